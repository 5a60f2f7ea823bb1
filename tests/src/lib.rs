//! Transcript tests: a file of `$ command` lines, each followed by the exact
//! output Tidepool must print, run through the same script mode as
//! `tidepool run`. A transcript is the clearest spec we have; reading one
//! shows precisely what a learner sees.
//!
//! Format: lines starting with `#` before the first command are comments;
//! `# seed: N` picks the seed (default 1). `$ ` starts a command, `> `
//! continues one while it is incomplete (heredocs, trailing `\`). A line
//! that starts with a question a command asks (`[y/N] `, `Username: `) is
//! the answer typed after it, unless the command reads a pipe or a file;
//! `Password: ` types `secret`, unseen.
//! Set `TIDEPOOL_BLESS=1` to rewrite a transcript with the actual output
//! (then read the diff: a blessed transcript is a claim about Docker).

use std::path::Path;
use tidepool_shell::{script, Sandbox};

pub struct Transcript {
    pub seed: u64,
    pub header: String,
    pub script: String,
    pub expected: String,
}

/// The questions commands ask at the terminal; what follows one on its line
/// in a transcript is the answer typed.
const QUESTIONS: &[&str] = &["Are you sure you want to continue? [y/N] ", "Username: "];

pub fn parse(text: &str) -> Transcript {
    let mut seed = 1;
    let mut header = String::new();
    let mut script = String::new();
    let mut expected = String::new();
    let mut started = false;
    let mut pending: Option<String> = None;
    let mut fed = false;
    let probe = Sandbox::new(0);
    for line in text.lines() {
        if !started && line.starts_with('#') {
            if let Some(s) = line.strip_prefix("# seed:") {
                seed = s.trim().parse().unwrap_or(1);
            }
            header.push_str(line);
            header.push('\n');
            continue;
        }
        if let Some(cmd) = pending.as_mut() {
            if let Some(cont) = line.strip_prefix("> ") {
                cmd.push('\n');
                cmd.push_str(cont);
                expected.push_str(line);
                expected.push('\n');
                if probe.is_complete(cmd) {
                    script.push_str(cmd);
                    script.push('\n');
                    pending = None;
                }
                continue;
            }
        }
        let answer = QUESTIONS
            .iter()
            .find_map(|q| line.strip_prefix(q))
            .or((line == "Password: ").then_some("secret"));
        if let (true, None, false, Some(answer)) = (started, &pending, fed, answer) {
            script.push_str(answer);
            script.push('\n');
            expected.push_str(line);
            expected.push('\n');
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            started = true;
            // A command fed from a pipe or a file reads its answers there.
            fed = cmd.contains('|') || cmd.contains('<');
            expected.push_str(line);
            expected.push('\n');
            if probe.is_complete(cmd) {
                script.push_str(cmd);
                script.push('\n');
            } else {
                pending = Some(cmd.to_string());
            }
            continue;
        }
        if started {
            expected.push_str(line);
            expected.push('\n');
        }
    }
    Transcript {
        seed,
        header,
        script,
        expected,
    }
}

/// Runs one transcript file; `Err` holds a readable diff.
pub fn check(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let t = parse(&text);
    // Files hold `\n` line ends; what servers send as `\r\n` (nginx's error
    // pages) reads the same on a terminal.
    let actual = script::run(t.seed, &t.script).replace("\r\n", "\n");
    if actual == t.expected {
        return Ok(());
    }
    if std::env::var_os("TIDEPOOL_BLESS").is_some() {
        let _ = std::fs::write(path, format!("{}{actual}", t.header));
        return Ok(());
    }
    Err(format!(
        "{}:\n{}",
        path.display(),
        diff(&t.expected, &actual)
    ))
}

/// A small line diff: the first differing line with context.
pub fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let first = e
        .iter()
        .zip(a.iter())
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let from = first.saturating_sub(3);
    let mut out = format!("first difference at line {}\n", first + 1);
    for (i, l) in e.iter().enumerate().skip(from).take(8) {
        out.push_str(&format!("  expected {:>4}| {l}\n", i + 1));
    }
    for (i, l) in a.iter().enumerate().skip(from).take(8) {
        out.push_str(&format!("  actual   {:>4}| {l}\n", i + 1));
    }
    if e.len() != a.len() {
        out.push_str(&format!(
            "  ({} expected lines, {} actual)\n",
            e.len(),
            a.len()
        ));
    }
    out
}
