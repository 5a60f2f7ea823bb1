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
        .env("CHROMIUM", crate::install::CHROMIUM))
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
