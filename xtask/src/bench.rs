//! `cargo xtask bench`: one name for whatever benchmarks exist.
//!
//! The preferred shape is a `bench` binary in the cross-crate tests package
//! (it can drive the engine through the shell like a user does); plain
//! `benches/` directories in the crates work too.

use crate::workspace::{run, Workspace};

/// `cargo xtask bench [web]`: the native benchmarks, then the browser's
/// (`web` alone runs only those).
pub fn run_benches(ws: &Workspace, args: &[String]) -> Result<(), String> {
    let web_only = args.first().map(String::as_str) == Some("web");
    if !web_only {
        native(ws, args)?;
    }
    web(ws)
}

/// Startup, transfer size and keypress-to-render in headless Chromium
/// against the release site (tests/e2e/bench.mjs).
fn web(ws: &Workspace) -> Result<(), String> {
    crate::site::build(ws)?;
    crate::install::npm_packages(ws)?;
    crate::install::chromium(ws)?;
    let server = crate::serve::Server::bind(&ws.dist(), ([127, 0, 0, 1], 0).into())
        .map_err(|e| format!("cannot start the static server: {e}"))?;
    let url = format!("http://{}/", server.local_addr());
    server.spawn();
    run(ws
        .command("node")
        .arg("tests/e2e/bench.mjs")
        .env("TIDEPOOL_URL", &url)
        .env("NODE_PATH", ws.npm_modules())
        .env("CHROMIUM", crate::install::CHROMIUM))?;
    floor(ws)
}

/// The simulator alone (tests/wasm-floor: the engine and the shell, no UI),
/// built as the site is (the web profile, wasm-bindgen, index.html's
/// wasm-opt flags) and weighed: what no page built on it can go under.
fn floor(ws: &Workspace) -> Result<(), String> {
    const CRATE: &str = "tidepool-wasm-floor";
    run(ws.cargo().args([
        "build",
        "--quiet",
        "-p",
        CRATE,
        "--target",
        crate::install::WASM_TARGET,
        "--profile",
        "web",
    ]))?;
    let target = ws.root.join("target");
    let built = target
        .join(crate::install::WASM_TARGET)
        .join("web")
        .join(format!("{}.wasm", CRATE.replace('-', "_")));
    let out = target.join("wasm-floor");
    run(ws
        .command("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&out)
        .arg(&built))?;
    let bound = out.join(format!("{}_bg.wasm", CRATE.replace('-', "_")));
    let optimized = out.join("floor.wasm");
    run(ws
        .command(ws.wasm_opt())
        .arg("-Oz")
        .args(wasm_opt_params(ws)?)
        .arg(&bound)
        .arg("-o")
        .arg(&optimized))?;
    let size = std::fs::metadata(&optimized)
        .map_err(|e| format!("cannot read {}: {e}", optimized.display()))?
        .len();
    let gzipped = ws
        .command("gzip")
        .arg("-9c")
        .arg(&optimized)
        .output()
        .map_err(|e| format!("cannot run gzip: {e}"))?
        .stdout
        .len();
    println!(
        "the engine and shell alone, no UI: {:.2} MB, {} kB gzip -9",
        size as f64 / 1e6,
        gzipped / 1000
    );
    Ok(())
}

/// The feature flags index.html hands Trunk for wasm-opt, so the floor is
/// optimised exactly as the site is.
fn wasm_opt_params(ws: &Workspace) -> Result<Vec<String>, String> {
    const ATTRIBUTE: &str = "data-wasm-opt-params=\"";
    let page = ws.root.join("index.html");
    let text = std::fs::read_to_string(&page)
        .map_err(|e| format!("cannot read {}: {e}", page.display()))?;
    let params = text
        .split_once(ATTRIBUTE)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(params, _)| params.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    Ok(params)
}

fn native(ws: &Workspace, args: &[String]) -> Result<(), String> {
    let bench_bin = ["tests/src/bin/bench.rs", "tests/src/bin/bench/main.rs"]
        .iter()
        .any(|path| ws.root.join(path).is_file());
    if bench_bin {
        return run(ws
            .cargo()
            .args([
                "run",
                "--release",
                "-p",
                "tidepool-tests",
                "--bin",
                "bench",
                "--",
            ])
            .args(args));
    }

    let crates_dir = ws.root.join("crates");
    let has_benches = std::fs::read_dir(&crates_dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .any(|entry| entry.path().join("benches").is_dir())
        })
        .unwrap_or(false);
    if has_benches {
        return run(ws
            .cargo()
            .args(["bench", "--workspace", "--exclude", "tidepool-web", "--"])
            .args(args));
    }

    println!(
        "no benchmarks yet: add tests/src/bin/bench.rs (run as `cargo run --release -p tidepool-tests --bin bench`) \
         or a benches/ directory in a crate"
    );
    Ok(())
}
