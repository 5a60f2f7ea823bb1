//! `tidepool`: the sandbox in a real terminal.
//!
//! - `tidepool` on a terminal: an interactive prompt.
//! - `tidepool` with stdin not a terminal, or `tidepool run FILE`: script
//!   mode. Each line runs in one sandbox and is printed as `$ <line>`
//!   followed by exactly what the web terminal would show; `sleep N` jumps
//!   the virtual clock instead of waiting.
//! - `tidepool check [PATH...]`: checks lessons for their authors.
//! - `tidepool lesson [ID]`: takes a built-in lesson at the prompt.
//! - `--seed N` fixes ids and names (default 1).

mod check;
mod lesson;

use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;
use tidepool_shell::{script, Sandbox};

const USAGE: &str = "Usage: tidepool [--seed N] [run FILE | check [PATH...] | lesson [ID]]

  tidepool              interactive sandbox (script mode when stdin is not a terminal)
  tidepool run FILE     run FILE's command lines and print the transcript
  tidepool check [PATH...]
                        check lessons: a folder (default lessons/) or lesson files
  tidepool lesson       list the built-in lessons
  tidepool lesson ID [--locale en|ko]
                        take a lesson (script mode when stdin is not a terminal)
  --seed N              seed for ids and names (default 1; a lesson's own otherwise)
";

fn main() -> ExitCode {
    let mut seed: u64 = 1;
    let mut seed_given = false;
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args
        .iter()
        .position(|a| a == "--seed" || a.starts_with("--seed="))
    {
        let value = match args[i].split_once('=') {
            Some((_, v)) => {
                let v = v.to_string();
                args.remove(i);
                Some(v)
            }
            None => {
                args.remove(i);
                (i < args.len()).then(|| args.remove(i))
            }
        };
        match value.and_then(|v| v.parse().ok()) {
            Some(s) => {
                seed = s;
                seed_given = true;
            }
            None => {
                eprintln!("tidepool: --seed needs a whole number\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    match args.first().map(String::as_str) {
        Some("-h") | Some("--help") | Some("help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("run") => {
            let Some(path) = args.get(1) else {
                eprintln!("tidepool: run needs a FILE\n\n{USAGE}");
                return ExitCode::from(2);
            };
            match std::fs::read_to_string(path) {
                Ok(text) => {
                    print!("{}", script::run(seed, &text));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("tidepool: cannot read {path}: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Some("check") => check::run(&args[1..]),
        Some("lesson") => lesson::run(&args[1..], seed_given.then_some(seed)),
        Some(other) => {
            eprintln!("tidepool: unknown command '{other}'\n\n{USAGE}");
            ExitCode::from(2)
        }
        None if io::stdin().is_terminal() => {
            println!("Tidepool: a simulated Docker host. Type `help`, or try `docker run -d -p 8080:80 nginx`. Ctrl-D quits.");
            interactive(Sandbox::new(seed), &mut FreeSandbox)
        }
        None => {
            let mut text = String::new();
            if let Err(e) = io::stdin().read_to_string(&mut text) {
                eprintln!("tidepool: cannot read standard input: {e}");
                return ExitCode::from(1);
            }
            print!("{}", script::run(seed, &text));
            ExitCode::SUCCESS
        }
    }
}

/// What runs alongside the prompt: nothing for the free sandbox, a lesson
/// for `tidepool lesson`.
pub trait Guide {
    /// Handles a line meant for the guide (`:hint`), returning what to
    /// print; `None` lets the shell run it.
    fn command(&mut self, line: &str, sandbox: &Sandbox) -> Option<String>;
    /// After a command ran: what to print (a step ticked, the next step).
    fn after(&mut self, sandbox: &Sandbox) -> String;
}

struct FreeSandbox;

impl Guide for FreeSandbox {
    fn command(&mut self, _: &str, _: &Sandbox) -> Option<String> {
        None
    }
    fn after(&mut self, _: &Sandbox) -> String {
        String::new()
    }
}

/// A plain line-reading prompt. Virtual time follows the wall clock between
/// lines, so `docker ps` ages as it would on a real host.
pub fn interactive(mut sandbox: Sandbox, guide: &mut dyn Guide) -> ExitCode {
    let stdin = io::stdin();
    let mut last = std::time::Instant::now();
    let mut pending = String::new();
    loop {
        let prompt = if pending.is_empty() {
            sandbox.prompt()
        } else {
            "> ".to_string()
        };
        print!("{prompt}");
        let _ = io::stdout().flush();
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => {
                println!();
                return ExitCode::SUCCESS;
            }
            Ok(_) => {}
        }
        let elapsed = last.elapsed().as_millis() as u64;
        last = std::time::Instant::now();
        print!("{}", sandbox.advance(elapsed));
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(line.trim_end_matches('\n'));
        if !sandbox.is_complete(&pending) {
            continue;
        }
        if let Some(text) = guide.command(pending.trim(), &sandbox) {
            print!("{text}");
            pending.clear();
            continue;
        }
        let outcome = sandbox.run_line(&pending);
        pending.clear();
        if outcome.clear_screen {
            print!("\x1b[H\x1b[2J");
        }
        print!("{}", outcome.output);
        // A foreground job streams in real time until it ends.
        while sandbox.busy() {
            std::thread::sleep(std::time::Duration::from_millis(100));
            print!("{}", sandbox.advance(100));
            let _ = io::stdout().flush();
        }
        print!("{}", guide.after(&sandbox));
        last = std::time::Instant::now();
    }
}
