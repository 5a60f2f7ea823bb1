//! What the terminal has shown so far: echoed command lines and their output.
//!
//! Lines are plain text, never markup: the view puts them in text nodes, so
//! `echo '<img src=x onerror=alert(1)>'` shows those characters and nothing
//! else. The scrollback keeps the newest [`MAX_LINES`] lines, like a terminal
//! emulator's scrollback limit; each line has an id that never repeats, so
//! the view can key its elements and only touch what changed.

use std::collections::VecDeque;
use std::rc::Rc;

use yew::AttrValue;

/// How many lines the scrollback keeps before it drops the oldest.
pub const MAX_LINES: usize = 5_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub id: u64,
    pub kind: LineKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind {
    /// A line the user entered, after the prompt it was entered at.
    Command { prompt: AttrValue, text: AttrValue },
    /// A line a command printed.
    Output(AttrValue),
    /// An Engine API request a command made ("Show API calls").
    Api(AttrValue),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scrollback {
    /// Shared: the app state is cloned on every keystroke, the lines only
    /// when a line is added.
    lines: Rc<VecDeque<Line>>,
    next_id: u64,
    /// The last line is output still waiting for its `\n`: a job printing
    /// `Counting...` and, a second later, `done\n` makes one line.
    open: bool,
}

impl Scrollback {
    pub fn lines(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter()
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn push_command(&mut self, prompt: &str, text: &str) {
        self.open = false;
        self.push(LineKind::Command {
            prompt: AttrValue::from(prompt.to_string()),
            text: AttrValue::from(text.to_string()),
        });
    }

    /// Adds what a command printed. Text after the last `\n` stays open
    /// and the next output continues it, as on a terminal; a command line
    /// echoed after it starts a line of its own.
    pub fn push_output(&mut self, output: &str) {
        // `ESC [ n A` (cursor up n lines), as a progress display redrawing
        // its block sends: what follows replaces those lines.
        if let Some(at) = output.find("\x1b[") {
            let rest = &output[at + 2..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if rest[digits.len()..].starts_with('A') {
                self.push_text(&output[..at]);
                let n: usize = digits.parse().unwrap_or(1);
                self.cursor_up(n);
                self.push_output(&rest[digits.len() + 1..]);
                return;
            }
        }
        self.push_text(output);
    }

    /// Forgets the last `n` lines, for text that overwrites them.
    fn cursor_up(&mut self, n: usize) {
        let lines = Rc::make_mut(&mut self.lines);
        let drop = if self.open { n + 1 } else { n };
        for _ in 0..drop {
            match lines.back() {
                Some(Line {
                    kind: LineKind::Output(_),
                    ..
                }) => {
                    lines.pop_back();
                }
                _ => break,
            }
        }
        self.open = false;
    }

    fn push_text(&mut self, output: &str) {
        if output.is_empty() {
            return;
        }
        let (body, ended) = match output.strip_suffix('\n') {
            Some(body) => (body, true),
            None => (output, false),
        };
        let mut parts = body.split('\n');
        if let Some(first) = parts.next() {
            match self.open_line() {
                Some(open) => *open = AttrValue::from(overstrike(&format!("{open}{first}"))),
                None => self.push(LineKind::Output(AttrValue::from(overstrike(first)))),
            }
        }
        for part in parts {
            self.push(LineKind::Output(AttrValue::from(overstrike(part))));
        }
        self.open = !ended;
    }

    fn open_line(&mut self) -> Option<&mut AttrValue> {
        if !self.open {
            return None;
        }
        match Rc::make_mut(&mut self.lines).back_mut() {
            Some(Line {
                kind: LineKind::Output(text),
                ..
            }) => Some(text),
            _ => None,
        }
    }

    /// Ctrl-L.
    pub fn clear(&mut self) {
        self.open = false;
        Rc::make_mut(&mut self.lines).clear();
    }

    /// The requests a command made, each on its own line.
    pub fn push_api(&mut self, calls: &[String]) {
        self.open = false;
        for call in calls {
            self.push(LineKind::Api(AttrValue::from(call.clone())));
        }
    }

    fn push(&mut self, kind: LineKind) {
        let lines = Rc::make_mut(&mut self.lines);
        if lines.len() == MAX_LINES {
            lines.pop_front();
        }
        lines.push_back(Line {
            id: self.next_id,
            kind,
        });
        self.next_id += 1;
    }
}

/// Applies carriage returns the way a terminal does: `\r` moves back to the
/// start of the line and what follows overwrites what was there, so a
/// progress line redrawn in place shows its last state, and `\r\n` endings
/// leave no stray character.
fn overstrike(line: &str) -> String {
    if !line.contains('\r') {
        return line.to_string();
    }
    let mut cells: Vec<char> = Vec::new();
    let mut column = 0;
    for c in line.chars() {
        if c == '\r' {
            column = 0;
            continue;
        }
        match cells.get_mut(column) {
            Some(cell) => *cell = c,
            None => cells.push(c),
        }
        column += 1;
    }
    cells.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(scrollback: &Scrollback) -> Vec<String> {
        scrollback
            .lines()
            .map(|line| match &line.kind {
                LineKind::Command { prompt, text } => format!("{prompt}{text}"),
                LineKind::Output(text) | LineKind::Api(text) => text.to_string(),
            })
            .collect()
    }

    #[test]
    fn output_splits_into_lines_and_keeps_blank_ones() {
        let mut s = Scrollback::default();
        s.push_command("$ ", "cat notes");
        s.push_output("one\n\n  three\n");
        assert_eq!(texts(&s), ["$ cat notes", "one", "", "  three"]);
    }

    #[test]
    fn cursor_up_redraws_a_block() {
        let mut s = Scrollback::default();
        s.push_command("$ ", "docker build .");
        s.push_output("[+] Building 0.1s (1/2)\n => a   0.1s\n");
        s.push_output("\x1b[2A[+] Building 0.2s (2/2) FINISHED\n => a   0.1s\n => b   0.1s\n");
        assert_eq!(
            texts(&s),
            [
                "$ docker build .",
                "[+] Building 0.2s (2/2) FINISHED",
                " => a   0.1s",
                " => b   0.1s"
            ]
        );
    }

    #[test]
    fn empty_output_adds_nothing() {
        let mut s = Scrollback::default();
        s.push_output("");
        assert_eq!(texts(&s), Vec::<String>::new());
    }

    #[test]
    fn output_without_a_newline_is_continued_by_the_next_output() {
        let mut s = Scrollback::default();
        s.push_output("Counting");
        s.push_output("...");
        s.push_output(" done\nnext\n");
        s.push_output("10%");
        s.push_output("\r100%\n");
        assert_eq!(texts(&s), ["Counting... done", "next", "100%"]);
    }

    #[test]
    fn a_command_after_unended_output_starts_its_own_line() {
        let mut s = Scrollback::default();
        s.push_output("no newline");
        s.push_command("$ ", "ls");
        s.push_output("file\n");
        assert_eq!(texts(&s), ["no newline", "$ ls", "file"]);
    }

    #[test]
    fn carriage_returns_overwrite() {
        assert_eq!(overstrike("10%\r55%\r100%"), "100%");
        assert_eq!(overstrike("abc\rX"), "Xbc");
        assert_eq!(overstrike("dos line\r"), "dos line");
    }

    #[test]
    fn the_oldest_lines_go_past_the_limit() {
        let mut s = Scrollback::default();
        for i in 0..MAX_LINES + 2 {
            s.push_output(&format!("{i}\n"));
        }
        assert_eq!(s.lines().count(), MAX_LINES);
        let first = s.lines().next().unwrap();
        assert_eq!(first.kind, LineKind::Output("2".into()));
        assert_eq!(first.id, 2);
    }

    #[test]
    fn clear_keeps_ids_unique() {
        let mut s = Scrollback::default();
        s.push_output("a\n");
        s.clear();
        s.push_output("b\n");
        assert_eq!(s.lines().next().unwrap().id, 1);
    }
}
