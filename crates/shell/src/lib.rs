//! The terminal's language (placeholder while the shell is written).

/// What one command line printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Everything the line wrote to the terminal, stdout and stderr interleaved
    /// in the order they were written. Lines end with `\n`.
    pub output: String,
    pub exit_code: i32,
}

/// One sandbox: a simulated Docker host and the shell that drives it.
pub struct Sandbox {
    seed: u64,
}

impl Sandbox {
    pub fn new(seed: u64) -> Self {
        Sandbox { seed }
    }

    /// Runs one (possibly multi-line) command line.
    pub fn run_line(&mut self, line: &str) -> Outcome {
        let _ = self.seed;
        Outcome {
            output: format!("{line}\n"),
            exit_code: 0,
        }
    }

    /// The prompt shown before the next line, e.g. `root@tidepool:~# `.
    pub fn prompt(&self) -> String {
        "root@tidepool:~# ".to_string()
    }

    /// True when `text` is a whole command; false when it ends inside a quote,
    /// after a trailing `\`, `&&`, `|`, or inside an unfinished heredoc.
    pub fn is_complete(&self, text: &str) -> bool {
        !text.ends_with('\\')
    }

    /// Moves virtual time forward by `ms` milliseconds.
    pub fn advance(&mut self, ms: u64) {
        let _ = ms;
    }
}
