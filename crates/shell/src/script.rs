//! Script mode: what `tidepool run FILE` and the transcript tests do. Each
//! command line is echoed as `$ <line>` and followed by exactly what the
//! terminal would show. Lines that need continuation (heredocs, trailing
//! `\`) are gathered first and echoed with `> ` like bash's PS2.

use crate::Sandbox;

/// A foreground job with no end in sight is interrupted after this much
/// virtual time, as a person would eventually press Ctrl-C.
pub const FOREGROUND_LIMIT_MS: u64 = 600_000;

/// Runs a whole script in a fresh sandbox and returns the transcript.
pub fn run(seed: u64, script: &str) -> String {
    let mut sandbox = Sandbox::new(seed);
    run_in(&mut sandbox, script)
}

/// Runs a script in an existing sandbox and returns the transcript.
pub fn run_in(sandbox: &mut Sandbox, script: &str) -> String {
    sandbox.plain_terminal = true;
    let mut out = String::new();
    for line in command_lines(script) {
        // Output that did not end its line (`cat` of a file without a final
        // newline) would run into the next prompt; a transcript keeps each
        // `$ ` at the start of a line.
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        // An answer shows after its question, as on a terminal; a secret
        // one not at all.
        if sandbox.asking() {
            let shown = if sandbox.secret_input() {
                ""
            } else {
                line.as_str()
            };
            out.push_str(&format!("{}{shown}\n", sandbox.prompt()));
        } else {
            out.push_str(&echo(&line));
        }
        out.push_str(&run_to_end(sandbox, &line).0);
    }
    settle(&out)
}

/// The command lines bash would read from `script`: blank and comment
/// lines skipped, continuations (heredocs, trailing `\`, open quotes)
/// gathered into one. An unfinished last line is returned as it is, for
/// the shell to report.
pub fn command_lines(script: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut pending = String::new();
    for line in script.lines() {
        if pending.is_empty() && (line.trim().is_empty() || line.trim_start().starts_with('#')) {
            continue;
        }
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(line);
        if !matches!(
            crate::syntax::parse(&pending),
            Err(crate::syntax::ParseError::Incomplete)
        ) {
            lines.push(std::mem::take(&mut pending));
        }
    }
    if !pending.is_empty() {
        lines.push(pending);
    }
    lines
}

/// Runs one command line and any foreground job it starts to the end,
/// moving virtual time as the job needs it. Returns what was printed and
/// the line's exit status.
pub fn run_to_end(sandbox: &mut Sandbox, line: &str) -> (String, i32) {
    let mut out = sandbox.run_line(line).output;
    let mut waited = 0;
    while sandbox.busy() {
        if waited >= FOREGROUND_LIMIT_MS {
            out.push_str(&sandbox.interrupt());
            if sandbox.busy() {
                // The job ignored SIGINT: leave it and take the prompt back.
                sandbox.job = None;
            }
            break;
        }
        out.push_str(&sandbox.advance(100));
        waited += 100;
    }
    (out, sandbox.last_status())
}

/// What a terminal leaves on screen for text that redraws lines with `\r`
/// (progress bars): each line's last state, without the padding.
fn settle(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.split_inclusive('\n')
        .map(|line| {
            let (body, nl) = match line.strip_suffix('\n') {
                Some(b) => (b, "\n"),
                None => (line, ""),
            };
            match body.rsplit_once('\r') {
                Some((_, last)) if !last.is_empty() => format!("{}{nl}", last.trim_end()),
                Some((before, _)) => format!(
                    "{}{nl}",
                    before.rsplit('\r').next().unwrap_or("").trim_end()
                ),
                None => line.to_string(),
            }
        })
        .collect()
}

fn echo(text: &str) -> String {
    let mut s = String::new();
    for (i, l) in text.split('\n').enumerate() {
        s.push_str(if i == 0 { "$ " } else { "> " });
        s.push_str(l);
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::settle;

    #[test]
    fn redrawn_lines_keep_their_last_state() {
        let drawn = "head\n\rab: Downloading [=>   ]   \rab: Pull complete      \nnext\r\n";
        assert_eq!(settle(drawn), "head\nab: Pull complete\nnext\n");
        assert_eq!(settle("plain\n"), "plain\n");
    }
}
