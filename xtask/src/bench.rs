//! `cargo xtask bench`: one name for whatever benchmarks exist.
//!
//! The preferred shape is a `bench` binary in the cross-crate tests package
//! (it can drive the engine through the shell like a user does); plain
//! `benches/` directories in the crates work too.

use crate::workspace::{run, Workspace};

pub fn run_benches(ws: &Workspace, args: &[String]) -> Result<(), String> {
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
