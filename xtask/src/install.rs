//! Installing what a fresh machine lacks, and nothing a second run already has.
//!
//! Each function checks the tool's version first (a `--version` call, or a
//! package.json for npm packages) and installs only on a mismatch. The pins
//! live here, next to the install commands, except wasm-bindgen's, which must
//! equal the `wasm-bindgen` crate in Cargo.lock and is read from there.

use std::collections::BTreeSet;
use std::fs;
use std::sync::Mutex;
use std::time::Instant;

use crate::workspace::{elapsed, run, version_line, Workspace};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
const TRUNK_VERSION: &str = "0.21.14";
/// Debian's binaryen (108) cannot read what wasm-bindgen 0.2.1xx writes.
const BINARYEN_VERSION: &str = "132.0.0";
const PLAYWRIGHT_VERSION: &str = "1.65.1";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Checks already done in this run, so stages can ask freely.
static READY: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

fn once(tool: &'static str, ensure: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    if READY.lock().unwrap().contains(tool) {
        return Ok(());
    }
    ensure()?;
    READY.lock().unwrap().insert(tool);
    Ok(())
}

fn timed_install(what: &str, install: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    println!("==> installing {what}");
    let start = Instant::now();
    install().map_err(|e| format!("installing {what}: {e}"))?;
    println!("==> installed {what} in {}", elapsed(start.elapsed()));
    Ok(())
}

/// rustfmt and clippy, which a minimal rustup profile leaves out.
pub fn rust_components(ws: &Workspace) -> Result<(), String> {
    once("components", || {
        let missing: Vec<&str> = [("fmt", "rustfmt"), ("clippy", "clippy")]
            .into_iter()
            .filter(|(subcommand, _)| {
                let status = ws.cargo().args([subcommand, "--version"]).output();
                !status.is_ok_and(|output| output.status.success())
            })
            .map(|(_, component)| component)
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        timed_install(&missing.join(" and "), || {
            run(ws
                .command("rustup")
                .args(["component", "add"])
                .args(&missing))
        })
    })
}

pub fn wasm_target(ws: &Workspace) -> Result<(), String> {
    once("wasm target", || {
        let output = ws
            .command("rustup")
            .args(["target", "list", "--installed"])
            .output()
            .map_err(|e| format!("cannot run rustup (is Rust installed with rustup?): {e}"))?;
        let installed = String::from_utf8_lossy(&output.stdout);
        if installed.lines().any(|line| line.trim() == WASM_TARGET) {
            return Ok(());
        }
        timed_install(&format!("the {WASM_TARGET} target"), || {
            run(ws.command("rustup").args(["target", "add", WASM_TARGET]))
        })
    })
}

pub fn trunk(ws: &Workspace) -> Result<(), String> {
    once("trunk", || {
        let wanted = format!("trunk {TRUNK_VERSION}");
        if has_version(ws, "trunk", "--version", &wanted) {
            return Ok(());
        }
        timed_install(&format!("trunk {TRUNK_VERSION} (about 11 minutes)"), || {
            run(cargo_install(ws).args(["trunk", "--version", TRUNK_VERSION, "--locked"]))
        })
    })
}

/// wasm-bindgen and wasm-bindgen-test-runner, at the version in Cargo.lock.
pub fn wasm_bindgen(ws: &Workspace) -> Result<(), String> {
    once("wasm-bindgen", || {
        let version = wasm_bindgen_version(ws)?;
        let ready = ["wasm-bindgen", "wasm-bindgen-test-runner"]
            .iter()
            .all(|tool| has_version(ws, tool, "--version", &format!("{tool} {version}")));
        if ready {
            return Ok(());
        }
        // Not `--locked`: one crate in wasm-bindgen-cli's lockfile is gone
        // from the registry, so only a fresh resolution installs.
        timed_install(&format!("wasm-bindgen-cli {version}"), || {
            run(cargo_install(ws).args(["wasm-bindgen-cli", "--version", &format!("={version}")]))
        })
    })
}

/// binaryen's wasm-opt and playwright-core, from npm into a user-wide cache.
pub fn npm_packages(ws: &Workspace) -> Result<(), String> {
    once("npm packages", || {
        let binaryen_major = BINARYEN_VERSION.split('.').next().unwrap_or_default();
        let wasm_opt_ok = version_line(&ws.wasm_opt(), "--version")
            .is_some_and(|line| line.starts_with(&format!("wasm-opt version {binaryen_major} ")));
        let playwright_ok =
            npm_package_version(ws, "playwright-core").as_deref() == Some(PLAYWRIGHT_VERSION);
        if wasm_opt_ok && playwright_ok {
            return Ok(());
        }
        let packages = [
            format!("binaryen@{BINARYEN_VERSION}"),
            format!("playwright-core@{PLAYWRIGHT_VERSION}"),
        ];
        timed_install(&packages.join(" "), || {
            fs::create_dir_all(&ws.npm_prefix)
                .map_err(|e| format!("cannot create {}: {e}", ws.npm_prefix.display()))?;
            run(ws
                .command("npm")
                .arg("install")
                .arg("--prefix")
                .arg(&ws.npm_prefix)
                .args(["--no-audit", "--no-fund", "--no-update-notifier"])
                .args(&packages))
        })
    })
}

/// Chromium and its WebDriver, from apt when we may, for both kinds of browser test.
pub fn chromium(ws: &Workspace) -> Result<(), String> {
    once("chromium", || {
        let present = |path: &str| std::path::Path::new(path).is_file();
        if present(CHROMIUM) && present(CHROMEDRIVER) {
            return Ok(());
        }
        let command = "apt-get update && apt-get install -y chromium chromium-driver";
        if !is_root(ws) {
            return Err(format!(
                "the browser tests need {CHROMIUM} and {CHROMEDRIVER}; install them with:\n\n    sudo sh -c '{command}'\n"
            ));
        }
        timed_install("chromium and chromium-driver", || {
            run(ws.command("apt-get").arg("update"))?;
            run(ws
                .command("apt-get")
                .env("DEBIAN_FRONTEND", "noninteractive")
                .args(["install", "-y", "chromium", "chromium-driver"]))
        })
    })
}

/// The `wasm-bindgen` version the web crate links: Cargo.lock's, or the
/// workspace pin before anything depends on it.
pub fn wasm_bindgen_version(ws: &Workspace) -> Result<String, String> {
    let lock = fs::read_to_string(ws.root.join("Cargo.lock")).unwrap_or_default();
    if let Some(version) = locked_version(&lock, "wasm-bindgen") {
        return Ok(version);
    }
    let manifest = fs::read_to_string(ws.root.join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("wasm-bindgen = \"="))
        .and_then(|rest| rest.strip_suffix('"'))
        .map(str::to_owned)
        .ok_or_else(|| {
            "cannot find the wasm-bindgen version: neither Cargo.lock nor a `wasm-bindgen = \"=x.y.z\"` pin in Cargo.toml names it".to_owned()
        })
}

fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    lines.find(|line| *line == wanted)?;
    let version = lines
        .next()?
        .strip_prefix("version = \"")?
        .strip_suffix('"')?;
    Some(version.to_owned())
}

fn npm_package_version(ws: &Workspace, package: &str) -> Option<String> {
    let manifest = ws.npm_modules().join(package).join("package.json");
    let text = fs::read_to_string(manifest).ok()?;
    // The first "version" key of an npm package.json is the package's own.
    let after_key = text.split("\"version\"").nth(1)?;
    let value = after_key.trim_start().strip_prefix(':')?.trim_start();
    let value = value.strip_prefix('"')?;
    Some(value[..value.find('"')?].to_owned())
}

fn has_version(ws: &Workspace, tool: &str, arg: &str, wanted: &str) -> bool {
    ws.find(tool)
        .and_then(|path| version_line(&path, arg))
        .is_some_and(|line| line == wanted)
}

fn cargo_install(ws: &Workspace) -> std::process::Command {
    let mut command = ws.cargo();
    // Outside the workspace, so its .cargo/config.toml cannot change the install.
    command.current_dir(std::env::temp_dir()).arg("install");
    command
}

fn is_root(ws: &Workspace) -> bool {
    ws.command("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_locked_version() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"x\"\n\n[[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"0.2.130\"\n";
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(locked_version(lock, "yew"), None);
    }
}
