//! `cargo xtask test`: every check CI runs, cheapest first, stopping at the
//! first failure with the stage's name.
//!
//! Stages install what they need just before they run, so a formatting slip
//! fails in seconds even on a machine that still lacks trunk.
//!
//! The web crate ships as wasm, so clippy lints it for wasm32 only. Its tests
//! run twice over, each kind where it can: plain `#[test]`s natively with the
//! rest of the workspace (wasm-bindgen-test-runner never sees them), and
//! `#[wasm_bindgen_test]`s in headless Chromium (natively they are not tests).
//! Everything shares one target directory and the dev profile, except the
//! site, which is the release build that ships.

use std::fs;
use std::time::{Duration, Instant};

use crate::install::{self, WASM_TARGET};
use crate::serve::Server;
use crate::site;
use crate::workspace::{elapsed, run, Workspace};

struct Stage {
    name: &'static str,
    /// Stages that must run before this one, even when only this one is asked for.
    needs: &'static [&'static str],
    run: fn(&Workspace) -> Result<(), String>,
}

impl Stage {
    const fn new(name: &'static str, run: fn(&Workspace) -> Result<(), String>) -> Stage {
        Stage {
            name,
            needs: &[],
            run,
        }
    }

    const fn needs(self, needs: &'static [&'static str]) -> Stage {
        Stage { needs, ..self }
    }
}

/// The checks, in the order they run. Adding a check is adding a line.
const STAGES: &[Stage] = &[
    Stage::new("fmt", fmt),
    Stage::new("clippy", clippy),
    Stage::new("clippy-wasm", clippy_wasm),
    Stage::new("test", native_tests),
    Stage::new("lessons", lessons),
    Stage::new("wasm-test", wasm_tests),
    Stage::new("site", site::build),
    Stage::new("e2e", e2e).needs(&["site"]),
];

const WEB_CRATE: &str = "tidepool-web";

pub fn run_stages(ws: &Workspace, args: &[String]) -> Result<(), String> {
    if args.iter().any(|a| a == "--list") {
        for stage in STAGES {
            println!("{}", stage.name);
        }
        return Ok(());
    }
    let selected = select(args)?;
    let mut timings: Vec<(&str, Duration)> = Vec::new();
    let total = Instant::now();
    for stage in STAGES.iter().filter(|s| selected.contains(&s.name)) {
        println!("\n==> stage {}", stage.name);
        let start = Instant::now();
        let result = (stage.run)(ws);
        let took = start.elapsed();
        timings.push((stage.name, took));
        if let Err(message) = result {
            summary(&timings);
            return Err(format!(
                "stage `{}` failed after {}: {message}",
                stage.name,
                elapsed(took)
            ));
        }
        println!("==> stage {} ok in {}", stage.name, elapsed(took));
    }
    summary(&timings);
    println!(
        "all {} stages passed in {}",
        timings.len(),
        elapsed(total.elapsed())
    );
    Ok(())
}

/// The named stages plus what they need; no names means every stage.
fn select(args: &[String]) -> Result<Vec<&'static str>, String> {
    if args.is_empty() {
        return Ok(STAGES.iter().map(|s| s.name).collect());
    }
    let mut selected = Vec::new();
    for arg in args {
        let stage = STAGES.iter().find(|s| s.name == arg).ok_or_else(|| {
            let names: Vec<&str> = STAGES.iter().map(|s| s.name).collect();
            format!("no stage `{arg}`; stages are: {}", names.join(", "))
        })?;
        selected.extend(stage.needs);
        selected.push(stage.name);
    }
    Ok(selected)
}

fn summary(timings: &[(&str, Duration)]) {
    println!("\nstage        time");
    for (name, took) in timings {
        println!("{name:<12} {}", elapsed(*took));
    }
}

fn fmt(ws: &Workspace) -> Result<(), String> {
    install::rust_components(ws)?;
    run(ws.cargo().args(["fmt", "--all", "--", "--check"]))
}

fn clippy(ws: &Workspace) -> Result<(), String> {
    install::rust_components(ws)?;
    run(ws.cargo().args([
        "clippy",
        "--workspace",
        "--exclude",
        WEB_CRATE,
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

fn clippy_wasm(ws: &Workspace) -> Result<(), String> {
    install::rust_components(ws)?;
    install::wasm_target(ws)?;
    run(ws.cargo().args([
        "clippy",
        "-p",
        WEB_CRATE,
        "--target",
        WASM_TARGET,
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

fn native_tests(ws: &Workspace) -> Result<(), String> {
    run(ws.cargo().args(["test", "--workspace"]))
}

/// `tidepool check lessons/`: every lesson in every locale, every reference
/// solution against every check from a fresh host.
fn lessons(ws: &Workspace) -> Result<(), String> {
    run(ws
        .cargo()
        .args(["run", "--quiet", "-p", "tidepool", "--", "check"])
        .arg(ws.root.join("lessons")))
}

/// The web crate's `#[wasm_bindgen_test]`s, in headless Chromium through
/// chromedriver. The runner adds `--headless --no-sandbox` itself;
/// xtask/webdriver.json names the browser binary and the rest.
fn wasm_tests(ws: &Workspace) -> Result<(), String> {
    install::wasm_target(ws)?;
    install::wasm_bindgen(ws)?;
    install::chromium(ws)?;
    let runner = ws
        .find("wasm-bindgen-test-runner")
        .ok_or("wasm-bindgen-test-runner is not on PATH after installing it")?;
    run(ws
        .cargo()
        .args(["test", "-p", WEB_CRATE, "--target", WASM_TARGET, "--tests"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", runner)
        .env("CHROMEDRIVER", install::CHROMEDRIVER)
        .env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            ws.root.join("xtask/webdriver.json"),
        )
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120"))
}

/// The browser end-to-end tests (tests/e2e/*.test.mjs) against the release
/// site, served from this process on a free port.
fn e2e(ws: &Workspace) -> Result<(), String> {
    install::npm_packages(ws)?;
    install::chromium(ws)?;
    let server = Server::bind(&ws.dist(), ([127, 0, 0, 1], 0).into())
        .map_err(|e| format!("cannot start the static server: {e}"))?;
    let url = format!("http://{}/", server.local_addr());
    server.spawn();

    let screenshots = ws.root.join("target/e2e-screenshots");
    let _ = fs::remove_dir_all(&screenshots);
    fs::create_dir_all(&screenshots)
        .map_err(|e| format!("cannot create {}: {e}", screenshots.display()))?;
    run(ws
        .command("node")
        .arg("tests/e2e/run.mjs")
        .env("TIDEPOOL_URL", &url)
        .env("NODE_PATH", ws.npm_modules())
        .env("CHROMIUM", install::CHROMIUM)
        .env("SCREENSHOTS", &screenshots))
}
