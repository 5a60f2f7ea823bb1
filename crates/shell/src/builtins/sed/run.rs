//! Running a parsed program over a stream of lines, cycle by cycle as GNU
//! sed's execute.c does: read a line into the pattern space, run the
//! commands (jumping for `{`, `b`, `t`, `T` and `D`), print the pattern
//! space unless `-n`, then write the text `a` queued. `n` and `N` read
//! ahead inside a cycle, which is why the input is a cursor, not a loop.

use super::script::{Address, Command, Jump, Kind, Piece, Range};

/// A pattern or hold space, and whether its text ended in a newline when
/// read (only the input's last line may not).
#[derive(Clone)]
pub(super) struct Space {
    pub text: String,
    pub chomped: bool,
}

impl Default for Space {
    /// An empty space counts as newline-ended, as GNU's line_init makes it.
    fn default() -> Space {
        Space {
            text: String::new(),
            chomped: true,
        }
    }
}

/// sed's standard output: a line that lacked its newline gets one as soon
/// as anything else is written after it.
#[derive(Default)]
pub(super) struct Output {
    pub text: String,
    missing_newline: bool,
}

impl Output {
    fn fix(&mut self) {
        if std::mem::take(&mut self.missing_newline) {
            self.text.push('\n');
        }
    }

    fn line(&mut self, text: &str, newline: bool) {
        self.fix();
        self.text.push_str(text);
        if newline {
            self.text.push('\n');
        } else {
            self.missing_newline = true;
        }
    }

    fn raw(&mut self, text: &str) {
        self.fix();
        self.text.push_str(text);
    }
}

/// The input: every line of the stream, and how far sed has read.
pub(super) struct Input {
    lines: Vec<Space>,
    next: usize,
    /// The current line's number.
    number: usize,
}

impl Input {
    /// Lines of each file in turn: a file's last line without a newline
    /// still ends where the file does.
    pub fn new(texts: &[String]) -> Input {
        let lines = texts
            .iter()
            .flat_map(|t| t.split_inclusive('\n'))
            .map(|raw| Space {
                text: raw.strip_suffix('\n').unwrap_or(raw).to_string(),
                chomped: raw.ends_with('\n'),
            })
            .collect();
        Input {
            lines,
            next: 0,
            number: 0,
        }
    }

    fn at_end(&self) -> bool {
        self.next >= self.lines.len()
    }

    fn read(&mut self) -> Option<Space> {
        let line = self.lines.get(self.next)?.clone();
        self.next += 1;
        self.number += 1;
        Some(line)
    }
}

pub(super) struct Settings {
    pub quiet: bool,
    /// `-l N`: where `l` wraps its lines.
    pub line_length: usize,
}

/// How a stream ended early.
pub(super) enum Stop {
    /// `q` or `Q` with this exit status.
    Quit(i32),
    /// Busybox's jump to a label the script lacks.
    MissingLabel(String),
    /// A script that loops for ever (`:a;ba`) or doubles its space
    /// (`:a;h;G;ba`): real sed hangs or runs out of memory, Tidepool stops.
    Limit,
}

/// Commands one stream may run, and the bytes a space may hold, before
/// Tidepool stops a runaway script.
const MAX_STEPS: usize = 2_000_000;
const MAX_SPACE: usize = 16 << 20;

/// What a cycle's commands asked for at its end.
enum End {
    /// The end of the script (or a jump there): print unless `-n`.
    Script,
    /// `d`, `c`, `n`/`N` out of input: nothing more to print.
    Silent,
    Stop(Stop),
}

struct Cycle<'a> {
    settings: &'a Settings,
    input: &'a mut Input,
    out: &'a mut Output,
    hold: &'a mut Space,
    /// Text `a` queued for the end of the cycle (or the next read).
    queued: String,
    /// A substitution succeeded since the last read or taken `t`.
    replaced: bool,
    steps: usize,
}

impl Cycle<'_> {
    /// GNU's read_pattern_space: the queue is written before the line is
    /// read, and `t` forgets earlier substitutions.
    fn read(&mut self) -> Option<Space> {
        self.flush_queue();
        self.replaced = false;
        self.input.read()
    }

    fn flush_queue(&mut self) {
        if !self.queued.is_empty() {
            let queued = std::mem::take(&mut self.queued);
            self.out.raw(&queued);
        }
    }

    fn selects(&self, cmd: &mut Command, space: &Space) -> bool {
        let number = self.input.number;
        let last = self.input.at_end();
        let matches = |a: &Address| match a {
            Address::Line(n) => number == *n,
            Address::Last => last,
            Address::Regex(re) => re.is_match(&space.text),
        };
        let Some(a1) = &cmd.from else { return true };
        let Some(a2) = &cmd.to else {
            return matches(a1);
        };
        if cmd.range != Range::Active {
            // A line-number start also starts a range that jumped past it.
            let starts = match a1 {
                Address::Line(n) => cmd.range != Range::Closed && number >= *n,
                other => matches(other),
            };
            if !starts {
                return false;
            }
            cmd.range = Range::Active;
            match a2 {
                // A regex end is looked for from the next line on.
                Address::Regex(_) => return true,
                Address::Line(m) => {
                    if number >= *m {
                        cmd.range = Range::Closed;
                    }
                    return number <= *m || matches(a1);
                }
                Address::Last => {}
            }
        }
        if let Address::Line(m) = a2 {
            if number >= *m {
                cmd.range = Range::Closed;
            }
            return number <= *m;
        }
        if matches(a2) {
            cmd.range = Range::Closed;
        }
        true
    }

    fn execute(&mut self, program: &mut [Command], space: &mut Space) -> End {
        let mut pc = 0;
        while pc < program.len() {
            self.steps += 1;
            if self.steps > MAX_STEPS
                || space.text.len() > MAX_SPACE
                || self.hold.text.len() > MAX_SPACE
            {
                return End::Stop(Stop::Limit);
            }
            let selected = {
                let cmd = &mut program[pc];
                let hit = self.selects(cmd, space);
                hit != cmd.negate
            };
            let cmd = &program[pc];
            pc += 1;
            if !selected {
                if let Kind::Block { end } = cmd.kind {
                    pc = end + 1;
                }
                continue;
            }
            match &cmd.kind {
                Kind::Block { .. } | Kind::BlockEnd | Kind::Label(_) => {}
                Kind::Substitute {
                    re,
                    replacement,
                    global,
                    nth,
                    print,
                } => {
                    if let Some(new) = substitute(&space.text, re, replacement, *global, *nth) {
                        space.text = new;
                        self.replaced = true;
                        if *print {
                            self.out.line(&space.text, space.chomped);
                        }
                    }
                }
                Kind::Translate(pairs) => {
                    space.text = space
                        .text
                        .chars()
                        .map(|c| pairs.iter().find(|(f, _)| *f == c).map_or(c, |(_, t)| *t))
                        .collect();
                }
                Kind::Print { first_line: false } => self.out.line(&space.text, space.chomped),
                Kind::Print { first_line: true } => match space.text.split_once('\n') {
                    Some((first, _)) => self.out.line(first, true),
                    None => self.out.line(&space.text, space.chomped),
                },
                Kind::Delete { first_line: false } => return End::Silent,
                Kind::Delete { first_line: true } => {
                    let Some((_, rest)) = space.text.split_once('\n') else {
                        return End::Silent;
                    };
                    // The script starts again on what is left, reading nothing.
                    space.text = rest.to_string();
                    pc = 0;
                }
                Kind::Next { append: false } => {
                    if !self.settings.quiet {
                        self.out.line(&space.text, space.chomped);
                    }
                    if self.input.at_end() {
                        return End::Silent;
                    }
                    if let Some(line) = self.read() {
                        *space = line;
                    }
                }
                Kind::Next { append: true } => {
                    // GNU prints the pattern space when N finds no next line.
                    if self.input.at_end() {
                        if !self.settings.quiet {
                            self.out.line(&space.text, space.chomped);
                        }
                        return End::Silent;
                    }
                    if let Some(line) = self.read() {
                        space.text.push('\n');
                        space.text.push_str(&line.text);
                        space.chomped = line.chomped;
                    }
                }
                Kind::Hold { append: false } => *self.hold = space.clone(),
                Kind::Hold { append: true } => append(self.hold, space),
                Kind::Get { append: false } => *space = self.hold.clone(),
                Kind::Get { append: true } => append(space, self.hold),
                Kind::Exchange => std::mem::swap(space, self.hold),
                Kind::Zap => space.text.clear(),
                Kind::List(width) => {
                    let listed = list(&space.text, width.unwrap_or(self.settings.line_length));
                    self.out.raw(&listed);
                }
                Kind::Quit { code, print } => {
                    if *print {
                        if !self.settings.quiet {
                            self.out.line(&space.text, space.chomped);
                        }
                        self.flush_queue();
                    }
                    return End::Stop(Stop::Quit(*code));
                }
                Kind::LineNumber => self.out.raw(&format!("{}\n", self.input.number)),
                Kind::Append(text) => {
                    self.queued.push_str(text);
                    self.queued.push('\n');
                }
                Kind::Insert(text) => self.out.line(text, true),
                Kind::Change(text) => {
                    // In a range, the text replaces the whole range once.
                    if cmd.range != Range::Active {
                        self.out.line(text, true);
                    }
                    return End::Silent;
                }
                Kind::Branch {
                    label,
                    target,
                    when,
                } => {
                    let jump = match when {
                        Jump::Always => true,
                        Jump::IfReplaced => std::mem::take(&mut self.replaced),
                        Jump::UnlessReplaced => !std::mem::take(&mut self.replaced),
                    };
                    if jump {
                        match target {
                            Some(t) => pc = *t,
                            None if label.is_empty() => pc = program.len(),
                            None => return End::Stop(Stop::MissingLabel(label.clone())),
                        }
                    }
                }
            }
        }
        End::Script
    }
}

/// G and H: a newline, then the other space.
fn append(to: &mut Space, from: &Space) {
    to.text.push('\n');
    to.text.push_str(&from.text);
    to.chomped = from.chomped;
}

/// Runs the program over one stream; the hold space carries over only
/// as far as the caller keeps it.
pub(super) fn run(
    program: &mut [Command],
    input: &mut Input,
    hold: &mut Space,
    out: &mut Output,
    settings: &Settings,
) -> Option<Stop> {
    let mut cycle = Cycle {
        settings,
        input,
        out,
        hold,
        queued: String::new(),
        replaced: false,
        steps: 0,
    };
    while let Some(mut space) = cycle.read() {
        match cycle.execute(program, &mut space) {
            End::Script => {
                if !settings.quiet {
                    cycle.out.line(&space.text, space.chomped);
                }
            }
            End::Silent => {}
            End::Stop(stop) => return Some(stop),
        }
    }
    None
}

/// Ranges start over for each file sed edits separately.
pub(super) fn reset(program: &mut [Command]) {
    for c in program {
        c.range = match c.from {
            Some(Address::Line(0)) => Range::Active,
            _ => Range::Inactive,
        };
    }
}

fn substitute(
    space: &str,
    re: &regex_lite::Regex,
    pieces: &[Piece],
    global: bool,
    nth: usize,
) -> Option<String> {
    let mut out = String::new();
    let mut last = 0;
    let mut replaced = false;
    for (k, caps) in re.captures_iter(space).enumerate() {
        let Some(m) = caps.get(0) else { continue };
        if k + 1 < nth {
            continue;
        }
        out.push_str(&space[last..m.start()]);
        for p in pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Whole => out.push_str(m.as_str()),
                Piece::Group(n) => out.push_str(caps.get(*n).map_or("", |g| g.as_str())),
            }
        }
        last = m.end();
        replaced = true;
        if !global {
            break;
        }
    }
    replaced.then(|| {
        out.push_str(&space[last..]);
        out
    })
}

/// `l`: the pattern space with C escapes (octal for other bytes), `$`
/// at the end, and lines broken with `\` before they reach `width`
/// (0: never).
fn list(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for b in text.bytes() {
        let piece = match b {
            b'\\' => "\\\\".to_string(),
            b' '..=b'~' => char::from(b).to_string(),
            7 => "\\a".into(),
            8 => "\\b".into(),
            12 => "\\f".into(),
            b'\n' => "\\n".into(),
            b'\r' => "\\r".into(),
            b'\t' => "\\t".into(),
            11 => "\\v".into(),
            other => format!("\\{other:03o}"),
        };
        if width > 1 && used + piece.len() >= width {
            out.push_str("\\\n");
            used = 0;
        }
        used += piece.len();
        out.push_str(&piece);
    }
    out.push_str("$\n");
    out
}
