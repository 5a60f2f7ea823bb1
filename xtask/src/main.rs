//! `cargo xtask`: the one entry point for building, serving and testing Tidepool.
//!
//! Why a Rust program and not a Makefile or shell scripts: it runs wherever
//! cargo runs, it needs nothing but std, and the steps it automates (install
//! the pinned tools a fresh machine lacks, build the site, serve it, run every
//! kind of test) stay readable as ordinary code. Every install is skipped when
//! the right version is already there, so a second run only builds and tests.
//!
//! - `serve [--port 8080]`: build the release site and serve `dist/`.
//! - `test [STAGE...]`: every check CI runs, in order, failing fast.
//! - `dist`: build the release site into `dist/`.
//! - `bench [ARGS...]`: run the benchmarks, if there are any yet.
//! - `fuzz [LINES]`: the property test over many more random lines than
//!   `test` runs (default 50,000), in a release build.

mod bench;
mod install;
mod serve;
mod site;
mod test;
mod workspace;

use std::process::ExitCode;

use workspace::Workspace;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [--port 8080]   build the release site and serve it on http://127.0.0.1:<port>/
  test [STAGE...]       run every check (or only the named stages); `test --list` names them
  dist                  build the release site into dist/
  bench [ARGS...]       run the benchmarks
  fuzz [LINES]          random command lines against the invariants (default 50000)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    };
    let ws = Workspace::locate();
    let result = match command.as_str() {
        "serve" => serve_command(&ws, rest),
        "test" => test::run_stages(&ws, rest),
        "dist" => site::build(&ws),
        "bench" => bench::run_benches(&ws, rest),
        "fuzz" => fuzz(&ws, rest),
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The property test (tests/tests/fuzz.rs) at length: `cargo xtask test`
/// runs it briefly.
fn fuzz(ws: &Workspace, args: &[String]) -> Result<(), String> {
    let lines = match args.first() {
        Some(n) => n
            .parse::<u64>()
            .map_err(|_| format!("`{n}` is not a number of lines\n\n{USAGE}"))?,
        None => 50_000,
    };
    workspace::run(
        ws.cargo()
            .args([
                "test",
                "--release",
                "-p",
                "tidepool-tests",
                "--test",
                "fuzz",
            ])
            .env("TIDEPOOL_FUZZ_LINES", lines.to_string()),
    )
}

fn serve_command(ws: &Workspace, args: &[String]) -> Result<(), String> {
    let port = parse_port(args)?;
    site::build(ws)?;
    let server = serve::Server::bind(&ws.dist(), ([127, 0, 0, 1], port).into())
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e} (try --port <other>)"))?;
    println!(
        "Serving {} at http://{}/ (Ctrl-C to stop)",
        ws.dist().display(),
        server.local_addr()
    );
    server.run(true);
    Ok(())
}

fn parse_port(args: &[String]) -> Result<u16, String> {
    let mut port = 8080;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = match arg.strip_prefix("--port") {
            Some("") => args.next().map(String::as_str),
            Some(rest) if rest.starts_with('=') => Some(&rest[1..]),
            _ => return Err(format!("serve: unexpected argument `{arg}`\n\n{USAGE}")),
        };
        port = value
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("serve: --port needs a number from 0 to 65535\n\n{USAGE}"))?;
    }
    Ok(port)
}
