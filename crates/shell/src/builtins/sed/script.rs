//! A sed script, parsed once into a flat program as GNU sed compiles it:
//! `{` is a command that jumps past its `}` when its address does not
//! select the line, and `b`/`t`/`T` jump to the index of their `:label`.
//! Flat jumps are what let a branch leave a block, or enter one.
//!
//! Errors carry GNU's words and the character position GNU reports: the
//! number of characters read when the problem was noticed.

/// A line address.
pub(super) enum Address {
    Line(usize),
    Last,
    Regex(regex_lite::Regex),
}

/// Where a two-address command stands, as GNU sed tracks it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Range {
    Inactive,
    Active,
    /// Ended; a range that starts at a line number never starts again.
    Closed,
}

/// One piece of an `s` command's replacement.
pub(super) enum Piece {
    Text(String),
    /// `&`, the whole match.
    Whole,
    /// `\1` to `\9`.
    Group(usize),
}

/// When a `b`, `t` or `T` jumps.
#[derive(Clone, Copy)]
pub(super) enum Jump {
    Always,
    /// `t`: a substitution succeeded since the last line was read.
    IfReplaced,
    /// `T`: none did.
    UnlessReplaced,
}

pub(super) enum Kind {
    Substitute {
        re: regex_lite::Regex,
        replacement: Vec<Piece>,
        global: bool,
        /// Replace only the Nth match (`s/a/b/2`).
        nth: usize,
        print: bool,
    },
    /// `y/abc/xyz/`.
    Translate(Vec<(char, char)>),
    /// `p`, and `P` (up to the first newline).
    Print {
        first_line: bool,
    },
    /// `d`, and `D` (up to the first newline, then the script again).
    Delete {
        first_line: bool,
    },
    /// `n`, and `N` (append rather than replace).
    Next {
        append: bool,
    },
    /// `h`, and `H` (append).
    Hold {
        append: bool,
    },
    /// `g`, and `G` (append).
    Get {
        append: bool,
    },
    Exchange,
    /// `z`.
    Zap,
    /// `l`, with its own line length if one was given.
    List(Option<usize>),
    /// `q` prints the pattern space first, `Q` does not.
    Quit {
        code: i32,
        print: bool,
    },
    LineNumber,
    Append(String),
    Insert(String),
    Change(String),
    Label(String),
    Branch {
        label: String,
        /// Index of the label; `None` for the end of the script (or, in
        /// busybox, a label it only looks for when the jump is taken).
        target: Option<usize>,
        when: Jump,
    },
    /// `{`, with the index of its `}`.
    Block {
        end: usize,
    },
    BlockEnd,
}

pub(super) struct Command {
    pub from: Option<Address>,
    pub to: Option<Address>,
    pub negate: bool,
    pub range: Range,
    pub kind: Kind,
}

/// A script error: sed's message and the character it was found at.
pub(super) struct ScriptError {
    pub at: usize,
    pub message: String,
    /// Busybox's words, printed as `sed: message` with no position.
    pub bare: bool,
}

/// A whole program: every `-e` and `-f` script, blocks and labels
/// resolved across them as GNU does.
pub(super) struct Program {
    pub commands: Vec<Command>,
    /// Open `{`s: command index and the expression it came from.
    blocks: Vec<(usize, usize)>,
    last_regex: Option<regex_lite::Regex>,
    extended: bool,
    busybox: bool,
}

/// Why a program could not be built.
pub(super) enum BuildError {
    /// A script's own error, with the expression number (1-based).
    Script(usize, ScriptError),
    /// Found once every script was read (GNU's panic: no position).
    Final(String),
}

impl Program {
    pub fn new(extended: bool, busybox: bool) -> Program {
        Program {
            commands: Vec::new(),
            blocks: Vec::new(),
            last_regex: None,
            extended,
            busybox,
        }
    }

    /// Adds one script (the `expression`th, counting from 1).
    pub fn add(&mut self, script: &str, expression: usize) -> Result<(), BuildError> {
        let mut parser = Parser {
            chars: script.chars().collect(),
            pos: 0,
            expression,
            program: self,
        };
        parser
            .commands()
            .map_err(|e| BuildError::Script(expression, e))
    }

    /// Checks what needs the whole program: unclosed blocks and labels.
    pub fn finish(mut self) -> Result<Vec<Command>, BuildError> {
        if let Some(&(_, expression)) = self.blocks.last() {
            return Err(BuildError::Script(
                expression,
                ScriptError {
                    at: 0,
                    message: "unmatched `{'".into(),
                    bare: false,
                },
            ));
        }
        // The last definition of a label wins, as in GNU's label stack.
        let labels: Vec<(usize, String)> = self
            .commands
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match &c.kind {
                Kind::Label(name) => Some((i, name.clone())),
                _ => None,
            })
            .collect();
        for cmd in &mut self.commands {
            let Kind::Branch { label, target, .. } = &mut cmd.kind else {
                continue;
            };
            if label.is_empty() {
                continue;
            }
            match labels.iter().rev().find(|(_, name)| name == label) {
                Some((i, _)) => *target = Some(*i),
                // Busybox looks the label up only when the jump is taken.
                None if self.busybox => {}
                None => {
                    return Err(BuildError::Final(format!(
                        "can't find label for jump to `{label}'"
                    )))
                }
            }
        }
        Ok(self.commands)
    }
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    expression: usize,
    program: &'a mut Program,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn fail<T>(&self, message: impl Into<String>) -> Result<T, ScriptError> {
        Err(ScriptError {
            at: self.pos,
            message: message.into(),
            bare: false,
        })
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
    }

    fn commands(&mut self) -> Result<(), ScriptError> {
        loop {
            while matches!(self.peek(), Some(' ' | '\t' | '\n' | ';')) {
                self.pos += 1;
            }
            match self.peek() {
                None => return Ok(()),
                Some('#') => while !matches!(self.bump(), None | Some('\n')) {},
                Some(_) => self.command()?,
            }
        }
    }

    fn command(&mut self) -> Result<(), ScriptError> {
        let from = self.address()?;
        let mut to = None;
        if from.is_some() {
            self.skip_blanks();
            if self.peek() == Some(',') {
                self.pos += 1;
                self.skip_blanks();
                to = self.address()?;
                if to.is_none() {
                    self.pos += 1;
                    return self.fail("unexpected `,'");
                }
            }
        }
        self.skip_blanks();
        let mut negate = false;
        while self.peek() == Some('!') {
            if negate {
                self.pos += 1;
                return self.fail("multiple `!'s");
            }
            negate = true;
            self.pos += 1;
            self.skip_blanks();
        }
        let Some(c) = self.bump() else {
            return self.fail("missing command");
        };
        if let Some(Address::Line(0)) = from {
            if !matches!(to, Some(Address::Regex(_))) {
                return self.fail("invalid usage of line address 0");
            }
        }
        let index = self.program.commands.len();
        let kind = match c {
            's' => self.substitute()?,
            'y' => self.translate()?,
            'p' | 'P' => Kind::Print {
                first_line: c == 'P',
            },
            'd' | 'D' => Kind::Delete {
                first_line: c == 'D',
            },
            'n' | 'N' => Kind::Next { append: c == 'N' },
            'h' | 'H' => Kind::Hold { append: c == 'H' },
            'g' | 'G' => Kind::Get { append: c == 'G' },
            'x' => Kind::Exchange,
            'z' => Kind::Zap,
            '=' => Kind::LineNumber,
            'l' => Kind::List(self.number()),
            'q' | 'Q' => {
                if to.is_some() {
                    return self.fail("command only uses one address");
                }
                Kind::Quit {
                    code: self
                        .number()
                        .map_or(0, |n| i32::try_from(n).unwrap_or(i32::MAX)),
                    print: c == 'q',
                }
            }
            'a' | 'i' | 'c' => {
                let text = self.text_argument()?;
                match c {
                    'a' => Kind::Append(text),
                    'i' => Kind::Insert(text),
                    _ => Kind::Change(text),
                }
            }
            ':' => {
                if from.is_some() {
                    return self.fail(": doesn't want any addresses");
                }
                let label = self.label();
                if label.is_empty() {
                    return self.fail("\":\" lacks a label");
                }
                Kind::Label(label)
            }
            'b' | 't' | 'T' => Kind::Branch {
                label: self.label(),
                target: None,
                when: match c {
                    'b' => Jump::Always,
                    't' => Jump::IfReplaced,
                    _ => Jump::UnlessReplaced,
                },
            },
            '{' => {
                self.program.blocks.push((index, self.expression));
                Kind::Block { end: index }
            }
            '}' => {
                let Some((start, _)) = self.program.blocks.pop() else {
                    return self.fail("unexpected `}'");
                };
                if from.is_some() {
                    return self.fail("`}' doesn't want any addresses");
                }
                if let Some(Command {
                    kind: Kind::Block { end },
                    ..
                }) = self.program.commands.get_mut(start)
                {
                    *end = index;
                }
                Kind::BlockEnd
            }
            other if self.program.busybox => {
                return Err(ScriptError {
                    at: self.pos,
                    message: format!("unsupported command {other}"),
                    bare: true,
                })
            }
            other => return self.fail(format!("unknown command: `{other}'")),
        };
        let ends_itself = matches!(
            kind,
            Kind::Block { .. }
                | Kind::Append(_)
                | Kind::Insert(_)
                | Kind::Change(_)
                | Kind::Label(_)
                | Kind::Branch { .. }
        );
        if !ends_itself {
            self.end_of_command()?;
        }
        let range = match from {
            // `0,/re/` is already inside its range on the first line.
            Some(Address::Line(0)) => Range::Active,
            _ => Range::Inactive,
        };
        self.program.commands.push(Command {
            from,
            to,
            negate,
            range,
            kind,
        });
        Ok(())
    }

    /// The optional number after `q`, `Q` and `l`.
    fn number(&mut self) -> Option<usize> {
        self.skip_blanks();
        let mut digits = String::new();
        while let Some(d) = self.peek().filter(char::is_ascii_digit) {
            digits.push(d);
            self.pos += 1;
        }
        (!digits.is_empty()).then(|| digits.parse().unwrap_or(usize::MAX))
    }

    /// A label for `:`, `b`, `t` or `T`: up to a blank, `;`, `}`, `#` or
    /// the end of the line.
    fn label(&mut self) -> String {
        self.skip_blanks();
        let mut label = String::new();
        while let Some(c) = self.peek() {
            if matches!(c, ' ' | '\t' | '\n' | ';' | '}' | '#') {
                break;
            }
            label.push(c);
            self.pos += 1;
        }
        label
    }

    /// After a command: blanks, then `;`, a newline, `}`, `#` or the end.
    fn end_of_command(&mut self) -> Result<(), ScriptError> {
        self.skip_blanks();
        match self.peek() {
            None | Some('}' | '#') => Ok(()),
            Some(';' | '\n') => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => {
                self.pos += 1;
                self.fail("extra characters after command")
            }
        }
    }

    fn address(&mut self) -> Result<Option<Address>, ScriptError> {
        match self.peek() {
            Some(d) if d.is_ascii_digit() => {
                let mut n = String::new();
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    n.push(d);
                    self.pos += 1;
                }
                Ok(Some(Address::Line(n.parse().unwrap_or(usize::MAX))))
            }
            Some('$') => {
                self.pos += 1;
                Ok(Some(Address::Last))
            }
            Some('/') | Some('\\') => {
                let mut delim = self.bump().unwrap_or('/');
                if delim == '\\' {
                    match self.bump() {
                        Some(d) => delim = d,
                        None => return self.fail("unexpected end of input"),
                    }
                }
                let Some(pattern) = self.delimited(delim, true) else {
                    return self.fail("unterminated address regex");
                };
                let mut ignore_case = false;
                while matches!(self.peek(), Some('I')) {
                    ignore_case = true;
                    self.pos += 1;
                }
                Ok(Some(Address::Regex(self.regex(&pattern, ignore_case)?)))
            }
            _ => Ok(None),
        }
    }

    /// Reads up to an unescaped `delim`; `\delim` stands for the delimiter
    /// itself. In a regex other escapes stay for the regex; in a
    /// replacement they stay for [`replacement_pieces`].
    fn delimited(&mut self, delim: char, regex: bool) -> Option<String> {
        let mut out = String::new();
        let mut in_bracket = false;
        loop {
            let c = self.bump()?;
            if c == '\n' && !in_bracket {
                return None;
            }
            if c == '\\' {
                let n = self.bump()?;
                if n == delim {
                    out.push(n);
                } else if n == 'n' && regex {
                    out.push_str("\\n");
                } else {
                    out.push('\\');
                    out.push(n);
                }
            } else if regex && c == '[' && !in_bracket {
                in_bracket = true;
                out.push(c);
                // `[]...]` and `[^]...]` keep their leading `]`.
                if self.peek() == Some('^') {
                    out.push('^');
                    self.pos += 1;
                }
                if self.peek() == Some(']') {
                    out.push(']');
                    self.pos += 1;
                }
            } else if in_bracket && c == ']' {
                in_bracket = false;
                out.push(c);
            } else if c == delim && !in_bracket {
                return Some(out);
            } else {
                out.push(c);
            }
        }
    }

    fn regex(
        &mut self,
        pattern: &str,
        ignore_case: bool,
    ) -> Result<regex_lite::Regex, ScriptError> {
        if pattern.is_empty() {
            return match self.program.last_regex.clone() {
                Some(re) => Ok(re),
                None => self.fail("no previous regular expression"),
            };
        }
        let translated = crate::pattern::posix_to_regex(pattern, self.program.extended);
        // In sed `.` matches the newlines N and G put in the pattern space.
        match regex_lite::RegexBuilder::new(&translated)
            .case_insensitive(ignore_case)
            .dot_matches_new_line(true)
            .build()
        {
            Ok(re) => {
                self.program.last_regex = Some(re.clone());
                Ok(re)
            }
            Err(_) => self.fail(if pattern.contains(['(', ')']) {
                "Unmatched ( or \\("
            } else {
                "Invalid preceding regular expression"
            }),
        }
    }

    fn substitute(&mut self) -> Result<Kind, ScriptError> {
        let Some(delim) = self.bump() else {
            return self.fail("unterminated `s' command");
        };
        if delim == '\\' || delim == '\n' {
            return self.fail("unknown option to `s'");
        }
        let Some(pattern) = self.delimited(delim, true) else {
            return self.fail("unterminated `s' command");
        };
        let Some(replacement) = self.delimited(delim, false) else {
            return self.fail("unterminated `s' command");
        };
        let (mut global, mut print, mut ignore_case) = (false, false, false);
        let mut nth: Option<usize> = None;
        loop {
            match self.peek() {
                Some('g') => {
                    self.pos += 1;
                    if global {
                        return self.fail("multiple `g' options to `s' command");
                    }
                    global = true;
                }
                Some('p') => {
                    self.pos += 1;
                    if print {
                        return self.fail("multiple `p' options to `s' command");
                    }
                    print = true;
                }
                Some('i' | 'I') => {
                    self.pos += 1;
                    ignore_case = true;
                }
                Some(d) if d.is_ascii_digit() => {
                    let mut n = String::new();
                    while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                        n.push(d);
                        self.pos += 1;
                    }
                    if nth.is_some() {
                        return self.fail("multiple number options to `s' command");
                    }
                    match n.parse::<usize>() {
                        Ok(0) | Err(_) => {
                            return self.fail("number option to `s' command may not be zero")
                        }
                        Ok(v) => nth = Some(v),
                    }
                }
                None | Some(';' | '\n' | '}' | '#' | ' ' | '\t') => break,
                Some(_) => {
                    self.pos += 1;
                    return self.fail("unknown option to `s'");
                }
            }
        }
        let re = self.regex(&pattern, ignore_case)?;
        Ok(Kind::Substitute {
            re,
            replacement: replacement_pieces(&replacement),
            global,
            nth: nth.unwrap_or(1),
            print,
        })
    }

    /// `y/source/dest/`: `\delim`, `\\`, `\n` and `\t` escapes, and one
    /// character for each (busybox pairs them up as far as both go).
    fn translate(&mut self) -> Result<Kind, ScriptError> {
        let delim = self.bump();
        let mut parts = Vec::new();
        for _ in 0..2 {
            let part = match delim {
                Some(d) if d != '\n' && d != '\\' => self.delimited(d, false),
                _ => None,
            };
            let Some(part) = part else {
                return self.fail("unterminated `y' command");
            };
            parts.push(unescape_text(&part));
        }
        let (from, to) = (&parts[0], &parts[1]);
        if from.len() != to.len() && !self.program.busybox {
            return self.fail("strings for `y' command are different lengths");
        }
        Ok(Kind::Translate(
            from.iter().copied().zip(to.iter().copied()).collect(),
        ))
    }

    /// The text of `a`, `i` and `c`: GNU's one-line form (`a text`) or the
    /// classic `a\` followed by the text.
    fn text_argument(&mut self) -> Result<String, ScriptError> {
        self.skip_blanks();
        if self.peek() == Some('\\') {
            self.pos += 1;
            if self.peek() == Some('\n') {
                self.pos += 1;
            }
        }
        let mut text = String::new();
        while let Some(c) = self.bump() {
            match c {
                '\n' => break,
                '\\' => match self.bump() {
                    Some('t') => text.push('\t'),
                    Some(n) => text.push(n),
                    None => {}
                },
                _ => text.push(c),
            }
        }
        if text.is_empty() {
            return self.fail("expected \\ after `a', `c' or `i'");
        }
        Ok(text)
    }
}

/// The characters of a `y` string once its escapes are read: what
/// [`Parser::delimited`] left as `\x` pairs.
fn unescape_text(text: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\u{7}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn replacement_pieces(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars();
    let flush = |literal: &mut String, pieces: &mut Vec<Piece>| {
        if !literal.is_empty() {
            pieces.push(Piece::Text(std::mem::take(literal)));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '&' => {
                flush(&mut literal, &mut pieces);
                pieces.push(Piece::Whole);
            }
            '\\' => match chars.next() {
                Some(d @ '0'..='9') => {
                    flush(&mut literal, &mut pieces);
                    match d.to_digit(10).unwrap_or(0) as usize {
                        0 => pieces.push(Piece::Whole),
                        n => pieces.push(Piece::Group(n)),
                    }
                }
                Some('n') => literal.push('\n'),
                Some('t') => literal.push('\t'),
                Some(other) => literal.push(other),
                None => literal.push('\\'),
            },
            _ => literal.push(c),
        }
    }
    flush(&mut literal, &mut pieces);
    pieces
}
