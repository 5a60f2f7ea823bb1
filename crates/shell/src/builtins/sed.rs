//! sed, the stream editor: the part of GNU sed people type at a prompt or
//! put in a Dockerfile's RUN. A script is parsed once into commands (with
//! sed's own error words and character positions), then each input line
//! runs through them. Addresses are line numbers, `$` and `/regex/`, alone
//! or as `a,b` ranges, optionally negated with `!`; commands are `s`, `p`,
//! `d`, `q`, `Q`, `=`, `a`, `i`, `c` and `{ ... }` blocks. `-i` edits files
//! in place, each file its own stream as GNU sed makes it.

use crate::exec::{Control, Ctx, Flavor};
use crate::vfs;

type R = Result<i32, Control>;

const USAGE: &str = "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the `l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.";

/// What the command line asked for.
struct Options {
    quiet: bool,
    extended: bool,
    separate: bool,
    /// `-i`, with the backup suffix if one was given.
    in_place: Option<String>,
    scripts: Vec<String>,
    files: Vec<String>,
}

enum Parsed {
    Run(Options),
    /// Usage was printed (or an option refused): exit with this status.
    Exit(i32),
}

fn parse_options(args: &[String], ctx: &mut Ctx) -> Parsed {
    let mut o = Options {
        quiet: false,
        extended: false,
        separate: false,
        in_place: None,
        scripts: Vec::new(),
        files: Vec::new(),
    };
    let mut script_files = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    let mut done = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if done || a == "-" || !a.starts_with('-') {
            operands.push(a.clone());
            continue;
        }
        if a == "--" {
            done = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            match name {
                "quiet" | "silent" => o.quiet = true,
                "regexp-extended" => o.extended = true,
                "separate" => o.separate = true,
                "in-place" => o.in_place = Some(value.unwrap_or_default()),
                "expression" | "file" => {
                    let Some(v) = value.or_else(|| {
                        i += 1;
                        args.get(i - 1).cloned()
                    }) else {
                        ctx.errln(format!("sed: option '--{name}' requires an argument"));
                        ctx.errln(USAGE);
                        return Parsed::Exit(1);
                    };
                    if name == "file" {
                        script_files.push(v);
                    } else {
                        o.scripts.push(v);
                    }
                }
                "posix" | "debug" | "sandbox" | "unbuffered" | "follow-symlinks" => {}
                "help" => {
                    ctx.outln(USAGE);
                    return Parsed::Exit(0);
                }
                _ => {
                    ctx.errln(format!("sed: unrecognized option '{a}'"));
                    ctx.errln(USAGE);
                    return Parsed::Exit(1);
                }
            }
            continue;
        }
        let flags: Vec<char> = a[1..].chars().collect();
        for (k, c) in flags.iter().enumerate() {
            let rest: String = flags[k + 1..].iter().collect();
            match c {
                'n' => o.quiet = true,
                'E' | 'r' => o.extended = true,
                's' => o.separate = true,
                'u' | 'z' => {}
                // -i takes the rest of the word as its backup suffix.
                'i' => {
                    o.in_place = Some(rest);
                    break;
                }
                'e' | 'f' | 'l' => {
                    let value = if rest.is_empty() {
                        i += 1;
                        args.get(i - 1).cloned()
                    } else {
                        Some(rest)
                    };
                    let Some(v) = value else {
                        ctx.errln(format!("sed: option requires an argument -- '{c}'"));
                        ctx.errln(USAGE);
                        return Parsed::Exit(1);
                    };
                    match c {
                        'e' => o.scripts.push(v),
                        'f' => script_files.push(v),
                        _ => {}
                    }
                    break;
                }
                other => {
                    ctx.errln(format!("sed: invalid option -- '{other}'"));
                    ctx.errln(USAGE);
                    return Parsed::Exit(1);
                }
            }
        }
    }
    for f in script_files {
        let path = ctx.path(&f);
        match ctx.fs(|fs| vfs::read_text(fs, &path)) {
            Ok(text) => o
                .scripts
                .push(text.strip_suffix('\n').unwrap_or(&text).to_string()),
            Err(e) => {
                ctx.errln(format!("sed: couldn't open file {f}: {e}"));
                return Parsed::Exit(1);
            }
        }
    }
    if o.scripts.is_empty() {
        if operands.is_empty() {
            ctx.errln(USAGE);
            return Parsed::Exit(1);
        }
        o.scripts.push(operands.remove(0));
    }
    o.files = operands;
    Parsed::Run(o)
}

enum Address {
    Line(usize),
    Last,
    Regex(regex_lite::Regex),
}

impl Address {
    fn matches(&self, line: &Line) -> bool {
        match self {
            Address::Line(n) => line.number == *n,
            Address::Last => line.last,
            Address::Regex(re) => re.is_match(&line.space),
        }
    }
}

/// One piece of an `s` command's replacement.
enum Piece {
    Text(String),
    /// `&`, the whole match.
    Whole,
    /// `\1` to `\9`.
    Group(usize),
}

enum Kind {
    Substitute {
        re: regex_lite::Regex,
        replacement: Vec<Piece>,
        global: bool,
        /// Replace only the Nth match (`s/a/b/2`).
        nth: usize,
        print: bool,
    },
    Print,
    Delete,
    /// `q` prints the pattern space first, `Q` does not.
    Quit {
        code: i32,
        print: bool,
    },
    LineNumber,
    Append(String),
    Insert(String),
    Change(String),
    Block(Vec<Command>),
}

struct Command {
    from: Option<Address>,
    to: Option<Address>,
    negate: bool,
    /// Inside a range that has started and not yet ended.
    active: bool,
    kind: Kind,
}

impl Command {
    fn selects(&mut self, line: &Line) -> bool {
        let hit = match (&self.from, &self.to) {
            (None, _) => true,
            (Some(a), None) => a.matches(line),
            (Some(a), Some(b)) => {
                if self.active {
                    let ends = match b {
                        Address::Line(n) => line.number >= *n,
                        other => other.matches(line),
                    };
                    self.active = !ends;
                    true
                } else if a.matches(line) {
                    // A line-number end at or before the start selects one line.
                    self.active = match b {
                        Address::Line(n) => *n > line.number,
                        Address::Last => !line.last,
                        Address::Regex(_) => true,
                    };
                    true
                } else {
                    false
                }
            }
        };
        hit != self.negate
    }
}

/// The line being edited.
struct Line {
    space: String,
    number: usize,
    last: bool,
}

/// A script error: sed's message and the character it was found at.
struct ScriptError {
    at: usize,
    message: String,
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    extended: bool,
    last_regex: &'a mut Option<regex_lite::Regex>,
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
        })
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
    }

    fn commands(&mut self, in_block: bool) -> Result<Vec<Command>, ScriptError> {
        let mut out = Vec::new();
        loop {
            while matches!(self.peek(), Some(' ' | '\t' | '\n' | ';')) {
                self.pos += 1;
            }
            match self.peek() {
                None if in_block => {
                    return Err(ScriptError {
                        at: 0,
                        message: "unmatched `{'".into(),
                    })
                }
                None => return Ok(out),
                Some('}') if in_block => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('#') => while !matches!(self.bump(), None | Some('\n')) {},
                Some(_) => out.push(self.command()?),
            }
        }
    }

    fn command(&mut self) -> Result<Command, ScriptError> {
        let from = self.address()?;
        let mut to = None;
        if from.is_some() && self.peek() == Some(',') {
            self.pos += 1;
            self.skip_blanks();
            to = self.address()?;
            if to.is_none() {
                self.pos += 1;
                return self.fail("unexpected `,'");
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
        let kind = match c {
            's' => self.substitute()?,
            'p' => Kind::Print,
            'd' => Kind::Delete,
            '=' => Kind::LineNumber,
            'q' | 'Q' => {
                self.skip_blanks();
                let mut digits = String::new();
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    digits.push(d);
                    self.pos += 1;
                }
                Kind::Quit {
                    code: digits.parse().unwrap_or(0),
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
            '{' => Kind::Block(self.commands(true)?),
            '}' => return self.fail("unexpected `}'"),
            other => return self.fail(format!("unknown command: `{other}'")),
        };
        if !matches!(kind, Kind::Block(_)) && !matches!(c, 'a' | 'i' | 'c') {
            self.end_of_command()?;
        }
        Ok(Command {
            from,
            to,
            negate,
            active: false,
            kind,
        })
    }

    /// After a command: blanks, then `;`, a newline, `}`, `#` or the end.
    fn end_of_command(&mut self) -> Result<(), ScriptError> {
        self.skip_blanks();
        match self.peek() {
            None | Some(';' | '\n' | '}' | '#') => Ok(()),
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
    /// replacement they stay for [`replacement`].
    fn delimited(&mut self, delim: char, regex: bool) -> Option<String> {
        let mut out = String::new();
        let mut in_bracket = false;
        loop {
            let c = self.bump()?;
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
            return match self.last_regex.clone() {
                Some(re) => Ok(re),
                None => self.fail("no previous regular expression"),
            };
        }
        let translated = crate::pattern::posix_to_regex(pattern, self.extended);
        match regex_lite::RegexBuilder::new(&translated)
            .case_insensitive(ignore_case)
            .build()
        {
            Ok(re) => {
                *self.last_regex = Some(re.clone());
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

/// What a command told the cycle to do next.
enum Flow {
    Next,
    /// `d` (or `c`): start the next cycle without printing.
    EndCycle,
    Quit {
        code: i32,
        print: bool,
    },
}

struct Run {
    quiet: bool,
    out: String,
    /// Text `a` queued for the end of this cycle.
    appended: String,
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

fn execute(commands: &mut [Command], line: &mut Line, run: &mut Run) -> Flow {
    for cmd in commands.iter_mut() {
        if !cmd.selects(line) {
            continue;
        }
        match &mut cmd.kind {
            Kind::Substitute {
                re,
                replacement,
                global,
                nth,
                print,
            } => {
                if let Some(new) = substitute(&line.space, re, replacement, *global, *nth) {
                    line.space = new;
                    if *print {
                        run.out.push_str(&line.space);
                        run.out.push('\n');
                    }
                }
            }
            Kind::Print => {
                run.out.push_str(&line.space);
                run.out.push('\n');
            }
            Kind::Delete => return Flow::EndCycle,
            Kind::Quit { code, print } => {
                return Flow::Quit {
                    code: *code,
                    print: *print,
                }
            }
            Kind::LineNumber => run.out.push_str(&format!("{}\n", line.number)),
            Kind::Append(text) => {
                run.appended.push_str(text);
                run.appended.push('\n');
            }
            Kind::Insert(text) => {
                run.out.push_str(text);
                run.out.push('\n');
            }
            Kind::Change(text) => {
                // In a range, the text replaces the whole range once.
                if !cmd.active || cmd.negate {
                    run.out.push_str(text);
                    run.out.push('\n');
                }
                return Flow::EndCycle;
            }
            Kind::Block(inner) => match execute(inner, line, run) {
                Flow::Next => {}
                other => return other,
            },
        }
    }
    Flow::Next
}

/// Runs the script over one stream of text; returns the output and, if a
/// `q` ended it, the exit status.
fn edit(commands: &mut [Command], text: &str, quiet: bool) -> (String, Option<i32>) {
    let mut run = Run {
        quiet,
        out: String::new(),
        appended: String::new(),
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let count = lines.len();
    for (k, raw) in lines.iter().enumerate() {
        let newline = raw.ends_with('\n');
        let mut line = Line {
            space: raw.strip_suffix('\n').unwrap_or(raw).to_string(),
            number: k + 1,
            last: k + 1 == count,
        };
        let flow = execute(commands, &mut line, &mut run);
        let print = match flow {
            Flow::Next => !run.quiet,
            Flow::EndCycle => false,
            Flow::Quit { print, .. } => print && !run.quiet,
        };
        if print {
            run.out.push_str(&line.space);
            // sed keeps a last line without a newline that way.
            if newline || !run.appended.is_empty() {
                run.out.push('\n');
            }
        }
        run.out.push_str(&std::mem::take(&mut run.appended));
        if let Flow::Quit { code, .. } = flow {
            return (run.out, Some(code));
        }
    }
    (run.out, None)
}

fn reset(commands: &mut [Command]) {
    for c in commands {
        c.active = false;
        if let Kind::Block(inner) = &mut c.kind {
            reset(inner);
        }
    }
}

pub fn sed(args: &[String], ctx: &mut Ctx) -> R {
    let o = match parse_options(&args[1..], ctx) {
        Parsed::Run(o) => o,
        Parsed::Exit(code) => return Ok(code),
    };
    let mut commands = Vec::new();
    let mut last_regex = None;
    for (k, script) in o.scripts.iter().enumerate() {
        let mut parser = Parser {
            chars: script.chars().collect(),
            pos: 0,
            extended: o.extended,
            last_regex: &mut last_regex,
        };
        match parser.commands(false) {
            Ok(mut cmds) => commands.append(&mut cmds),
            Err(e) => {
                ctx.errln(format!(
                    "sed: -e expression #{}, char {}: {}",
                    k + 1,
                    e.at,
                    e.message
                ));
                return Ok(1);
            }
        }
    }
    let busybox = ctx.shell.flavor == Flavor::Ash;
    let mut status = 0;
    let Some(suffix) = o.in_place.clone() else {
        // Without -i the files are one stream (or, with -s, one each).
        let mut texts = Vec::new();
        let files = if o.files.is_empty() {
            vec!["-".to_string()]
        } else {
            o.files.clone()
        };
        for f in &files {
            match read_input(f, ctx) {
                Ok(t) => texts.push(t),
                Err(e) => {
                    ctx.errln(input_error(f, e, busybox));
                    status = if busybox { 1 } else { 2 };
                }
            }
        }
        let streams = if o.separate {
            texts
        } else {
            vec![texts.concat()]
        };
        for text in streams {
            reset(&mut commands);
            let (out, quit) = edit(&mut commands, &text, o.quiet);
            ctx.out(out);
            if let Some(code) = quit {
                return Ok(code);
            }
        }
        return Ok(status);
    };
    if o.files.is_empty() {
        ctx.errln("sed: no input files");
        return Ok(1);
    }
    for f in &o.files {
        let text = match read_input(f, ctx) {
            Ok(t) => t,
            Err(e) => {
                ctx.errln(input_error(f, e, busybox));
                status = if busybox { 1 } else { 2 };
                continue;
            }
        };
        reset(&mut commands);
        let (out, quit) = edit(&mut commands, &text, o.quiet);
        let path = ctx.path(f);
        let backup = (!suffix.is_empty()).then(|| backup_name(&path, &suffix));
        let written = ctx.fs(|fs| {
            if let Some(b) = &backup {
                vfs::write_bytes(fs, b, text.clone().into_bytes())?;
            }
            vfs::write_bytes(fs, &path, out.into_bytes())
        });
        if let Err(e) = written {
            ctx.errln(format!("sed: couldn't open temporary file {f}: {e}"));
            return Ok(4);
        }
        if let Some(code) = quit {
            return Ok(code);
        }
    }
    Ok(status)
}

/// `-i.bak` appends the suffix; a suffix with `*` names the backup with
/// the file's name in place of the star.
fn backup_name(path: &str, suffix: &str) -> String {
    if suffix.contains('*') {
        let (dir, base) = path.rsplit_once('/').unwrap_or(("", path));
        let name = suffix.replace('*', base);
        if name.contains('/') {
            name
        } else {
            format!("{dir}/{name}")
        }
    } else {
        format!("{path}{suffix}")
    }
}

/// A file sed cannot read, in GNU's words or busybox's.
fn input_error(f: &str, e: vfs::FsError, busybox: bool) -> String {
    match (busybox, e) {
        (true, _) => format!("sed: can't open '{f}': {e}"),
        (false, vfs::FsError::IsDir) => format!("sed: read error on {f}: {e}"),
        (false, _) => format!("sed: can't read {f}: {e}"),
    }
}

fn read_input(f: &str, ctx: &mut Ctx) -> Result<String, vfs::FsError> {
    if f == "-" {
        return Ok(ctx.stdin.clone());
    }
    let path = ctx.path(f);
    ctx.fs(|fs| vfs::read_text(fs, &path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(script: &str, input: &str, quiet: bool, extended: bool) -> String {
        let mut last = None;
        let mut parser = Parser {
            chars: script.chars().collect(),
            pos: 0,
            extended,
            last_regex: &mut last,
        };
        let Ok(mut cmds) = parser.commands(false) else {
            return "parse error".into();
        };
        edit(&mut cmds, input, quiet).0
    }

    fn error(script: &str) -> String {
        let mut last = None;
        let mut parser = Parser {
            chars: script.chars().collect(),
            pos: 0,
            extended: false,
            last_regex: &mut last,
        };
        match parser.commands(false) {
            Ok(_) => "ok".into(),
            Err(e) => format!("char {}: {}", e.at, e.message),
        }
    }

    #[test]
    fn substitutes_with_flags_groups_and_delimiters() {
        assert_eq!(run("s/o/0/", "foo\n", false, false), "f0o\n");
        assert_eq!(run("s/o/0/g", "foo\n", false, false), "f00\n");
        assert_eq!(run("s/o/0/2", "foo\n", false, false), "fo0\n");
        assert_eq!(run("s/FOO/bar/i", "foo\n", false, false), "bar\n");
        assert_eq!(
            run("s|/usr|/opt|", "/usr/bin\n", false, false),
            "/opt/bin\n"
        );
        assert_eq!(run(r"s/\(a\)\(b\)/\2\1/", "ab\n", false, false), "ba\n");
        assert_eq!(run(r"s/(a)(b)/\2\1 [&]/", "ab\n", false, true), "ba [ab]\n");
        assert_eq!(run("s/a+/x/", "a+aa\n", false, false), "xaa\n");
        assert_eq!(run("s/x/y/p", "x\nz\n", true, false), "y\n");
    }

    #[test]
    fn addresses_and_ranges() {
        let input = "one\ntwo\nthree\nfour\n";
        assert_eq!(run("2,3d", input, false, false), "one\nfour\n");
        assert_eq!(run("$p", input, true, false), "four\n");
        assert_eq!(run("/t/p", input, true, false), "two\nthree\n");
        assert_eq!(
            run("/two/,/four/!d", input, false, false),
            "two\nthree\nfour\n"
        );
        assert_eq!(run("3,1p", input, true, false), "three\n");
        assert_eq!(run("2q", input, false, false), "one\ntwo\n");
        assert_eq!(run("1i top\n$a end", "x\n", false, false), "top\nx\nend\n");
        assert_eq!(run("2{s/t/T/;p}", input, true, false), "Two\n");
        assert_eq!(run("=", "a\n", false, false), "1\na\n");
        assert_eq!(run("s/a/b/", "a", false, false), "b");
    }

    #[test]
    fn errors_carry_gnu_positions() {
        assert_eq!(error("s/a/b"), "char 5: unterminated `s' command");
        assert_eq!(error("s/a/b/z"), "char 7: unknown option to `s'");
        assert_eq!(error("k"), "char 1: unknown command: `k'");
        assert_eq!(error("dp"), "char 2: extra characters after command");
        assert_eq!(error("/a/"), "char 3: missing command");
        assert_eq!(error("/a"), "char 2: unterminated address regex");
        assert_eq!(error("1,p"), "char 3: unexpected `,'");
        assert_eq!(error("0p"), "char 2: invalid usage of line address 0");
        assert_eq!(
            error("s/a/b/gg"),
            "char 8: multiple `g' options to `s' command"
        );
    }
}
