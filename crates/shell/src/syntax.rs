//! The shell's grammar: a small, honest subset of bash.
//!
//! Words keep their quoting as parts, so expansion can tell `"$x"` from
//! `$x` (field splitting, globbing) later, at run time. Parsing reports
//! `Incomplete` for input that bash would answer with a `>` continuation
//! prompt (an open quote, a trailing `|` or `\`, a heredoc without its end
//! line, a `for` without `done`), so front ends know to read another line.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Unquoted text: subject to globbing (and tilde at the start).
    Lit(String),
    /// Quoted text: taken as is.
    Quoted(String),
    /// `$NAME`, `${NAME}`, `$?`, `$1`; `quoted` when inside double quotes.
    Var {
        name: String,
        default: Option<Vec<Part>>,
        quoted: bool,
    },
    /// `$(...)` or backticks, holding the source.
    Subst { source: String, quoted: bool },
    /// `$((...))`.
    Arith { source: String },
    /// A `~` at the start of a word.
    Tilde,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    pub parts: Vec<Part>,
}

impl Word {
    /// The word's text if it has no expansions and no quotes (used for
    /// reserved words and assignments).
    pub fn plain(&self) -> Option<String> {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(t) => s.push_str(t),
                _ => return None,
            }
        }
        Some(s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedirectKind {
    /// `>` (truncate) or `>>` (append) to a file.
    Write { append: bool },
    /// `<` from a file.
    Read,
    /// `2>&1`, `>&2`.
    Dup { to: u32 },
    /// `<<EOF` with its body; `expand` is false for a quoted delimiter.
    HereDoc { body: String, expand: bool },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    pub fd: u32,
    pub kind: RedirectKind,
    pub target: Word,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Simple {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Simple(Simple),
    For {
        var: String,
        items: Vec<Word>,
        body: List,
    },
    While {
        until: bool,
        cond: List,
        body: List,
    },
    If {
        branches: Vec<(List, List)>,
        otherwise: Option<List>,
    },
    Group(List),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pipeline {
    pub negate: bool,
    /// Preceded by bash's `time` keyword.
    pub timed: bool,
    pub commands: Vec<Command>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

pub type List = Vec<AndOr>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// More input is needed (bash would print its `>` prompt).
    Incomplete,
    /// `bash: syntax error near unexpected token `X'`.
    Unexpected(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(Word),
    Op(&'static str),
    Redir(Redirect),
    Newline,
}

struct PendingHereDoc {
    delimiter: String,
    strip_tabs: bool,
    index: usize,
}

struct Lexer<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    toks: Vec<Tok>,
    pending: Vec<PendingHereDoc>,
}

const OPS: [&str; 8] = ["&&", "||", ";;", "|", ";", "&", "(", ")"];

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Lexer<'a> {
        Lexer {
            src: text.as_bytes(),
            text,
            pos: 0,
            toks: Vec::new(),
            pending: Vec::new(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn peek_at(&self, off: usize) -> Option<u8> {
        self.src.get(self.pos + off).copied()
    }

    fn run(mut self) -> Result<Vec<Tok>, ParseError> {
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\\' if self.peek_at(1) == Some(b'\n') => self.pos += 2,
                b'\\' if self.peek_at(1).is_none() => return Err(ParseError::Incomplete),
                b'#' => {
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.pos += 1;
                    }
                }
                b'\n' => {
                    self.pos += 1;
                    self.toks.push(Tok::Newline);
                    self.read_heredocs()?;
                }
                b'<' | b'>' => self.redirect(None)?,
                b'&' if self.peek_at(1) == Some(b'>') => {
                    // `&>file`: both streams.
                    self.pos += 1;
                    self.redirect(Some(u32::MAX))?;
                }
                _ => {
                    if let Some(op) = OPS
                        .iter()
                        .find(|op| self.text[self.pos..].starts_with(**op))
                    {
                        self.pos += op.len();
                        self.toks.push(Tok::Op(op));
                        continue;
                    }
                    let start = self.pos;
                    let word = self.word()?;
                    let digits = &self.text[start..self.pos];
                    if matches!(self.peek(), Some(b'<' | b'>'))
                        && !digits.is_empty()
                        && digits.bytes().all(|b| b.is_ascii_digit())
                    {
                        let fd = digits.parse().unwrap_or(1);
                        self.redirect(Some(fd))?;
                    } else {
                        self.toks.push(Tok::Word(word));
                    }
                }
            }
        }
        if !self.pending.is_empty() {
            return Err(ParseError::Incomplete);
        }
        Ok(self.toks)
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    fn redirect(&mut self, fd: Option<u32>) -> Result<(), ParseError> {
        let rest = &self.text[self.pos..];
        let (op, len) = if rest.starts_with("<<-") {
            ("<<-", 3)
        } else if rest.starts_with("<<") {
            ("<<", 2)
        } else if rest.starts_with(">>") {
            (">>", 2)
        } else if rest.starts_with(">&") {
            (">&", 2)
        } else if rest.starts_with("<&") {
            ("<&", 2)
        } else if rest.starts_with('>') {
            (">", 1)
        } else {
            ("<", 1)
        };
        self.pos += len;
        self.skip_blanks();
        if self.peek().is_none() || matches!(self.peek(), Some(b'\n')) {
            return match self.peek() {
                None => Err(ParseError::Unexpected("newline".into())),
                Some(_) => Err(ParseError::Unexpected("newline".into())),
            };
        }
        if let Some(op) = OPS.iter().find(|o| self.text[self.pos..].starts_with(**o)) {
            return Err(ParseError::Unexpected(op.to_string()));
        }
        let start = self.pos;
        let target = self.word()?;
        let raw = self.text[start..self.pos].to_string();
        let default_fd = if op.starts_with('<') { 0 } else { 1 };
        let fd = fd.unwrap_or(default_fd);
        let kind = match op {
            "<<" | "<<-" => {
                let expand = !raw.contains(['\'', '"', '\\']);
                let delimiter = raw.replace(['\'', '"', '\\'], "");
                self.pending.push(PendingHereDoc {
                    delimiter,
                    strip_tabs: op == "<<-",
                    index: self.toks.len(),
                });
                RedirectKind::HereDoc {
                    body: String::new(),
                    expand,
                }
            }
            ">&" | "<&" => match raw.parse::<u32>() {
                Ok(to) => RedirectKind::Dup { to },
                Err(_) if op == ">&" => RedirectKind::Write { append: false },
                Err(_) => return Err(ParseError::Unexpected(raw)),
            },
            ">>" => RedirectKind::Write { append: true },
            ">" => RedirectKind::Write { append: false },
            _ => RedirectKind::Read,
        };
        let (fd, kind) = match (fd, &kind, op) {
            // `>&file` means both streams to file, like `&>`.
            (_, RedirectKind::Write { .. }, ">&") => {
                (u32::MAX, RedirectKind::Write { append: false })
            }
            _ => (fd, kind),
        };
        self.toks.push(Tok::Redir(Redirect { fd, kind, target }));
        Ok(())
    }

    /// Reads the bodies of heredocs opened on the line just ended.
    fn read_heredocs(&mut self) -> Result<(), ParseError> {
        let pending = std::mem::take(&mut self.pending);
        for doc in pending {
            let mut body = String::new();
            loop {
                if self.pos >= self.src.len() {
                    self.pending.push(doc);
                    return Err(ParseError::Incomplete);
                }
                let end = self.text[self.pos..].find('\n').map(|i| self.pos + i);
                let line = &self.text[self.pos..end.unwrap_or(self.src.len())];
                self.pos = end.map(|e| e + 1).unwrap_or(self.src.len());
                let line = if doc.strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                if line == doc.delimiter {
                    break;
                }
                if end.is_none() {
                    // The last line of input is not the delimiter.
                    self.pending.push(doc);
                    return Err(ParseError::Incomplete);
                }
                body.push_str(line);
                body.push('\n');
            }
            if let Some(Tok::Redir(Redirect {
                kind: RedirectKind::HereDoc { body: b, .. },
                ..
            })) = self.toks.get_mut(doc.index)
            {
                *b = body;
            }
        }
        Ok(())
    }

    fn word(&mut self) -> Result<Word, ParseError> {
        let mut parts: Vec<Part> = Vec::new();
        let mut lit = String::new();
        let flush = |lit: &mut String, parts: &mut Vec<Part>| {
            if !lit.is_empty() {
                parts.push(Part::Lit(std::mem::take(lit)));
            }
        };
        if self.peek() == Some(b'~') {
            parts.push(Part::Tilde);
            self.pos += 1;
        }
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => {
                    break
                }
                b'\\' => {
                    match self.peek_at(1) {
                        None => return Err(ParseError::Incomplete),
                        Some(b'\n') => {}
                        Some(_) => {
                            flush(&mut lit, &mut parts);
                            let ch = self.char_at(self.pos + 1);
                            parts.push(Part::Quoted(ch.to_string()));
                            self.pos += ch.len_utf8() - 1;
                        }
                    }
                    self.pos += 2;
                }
                b'\'' => {
                    flush(&mut lit, &mut parts);
                    let start = self.pos + 1;
                    let Some(end) = self.text[start..].find('\'') else {
                        return Err(ParseError::Incomplete);
                    };
                    parts.push(Part::Quoted(self.text[start..start + end].to_string()));
                    self.pos = start + end + 1;
                }
                b'"' => {
                    flush(&mut lit, &mut parts);
                    self.pos += 1;
                    self.double_quoted(&mut parts)?;
                }
                b'$' => {
                    flush(&mut lit, &mut parts);
                    self.dollar(&mut parts, false)?;
                }
                b'`' => {
                    flush(&mut lit, &mut parts);
                    let source = self.backtick()?;
                    parts.push(Part::Subst {
                        source,
                        quoted: false,
                    });
                }
                _ => {
                    let ch = self.char_at(self.pos);
                    lit.push(ch);
                    self.pos += ch.len_utf8();
                }
            }
        }
        flush(&mut lit, &mut parts);
        Ok(Word { parts })
    }

    fn char_at(&self, pos: usize) -> char {
        self.text[pos..].chars().next().unwrap_or('\0')
    }

    fn double_quoted(&mut self, parts: &mut Vec<Part>) -> Result<(), ParseError> {
        let mut buf = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(ParseError::Incomplete);
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    parts.push(Part::Quoted(buf));
                    return Ok(());
                }
                b'\\' => {
                    match self.peek_at(1) {
                        Some(n @ (b'$' | b'`' | b'"' | b'\\')) => buf.push(n as char),
                        Some(b'\n') => {}
                        Some(_) => {
                            buf.push('\\');
                            self.pos += 1;
                            continue;
                        }
                        None => return Err(ParseError::Incomplete),
                    }
                    self.pos += 2;
                }
                b'$' => {
                    parts.push(Part::Quoted(std::mem::take(&mut buf)));
                    self.dollar(parts, true)?;
                }
                b'`' => {
                    parts.push(Part::Quoted(std::mem::take(&mut buf)));
                    let source = self.backtick()?;
                    parts.push(Part::Subst {
                        source,
                        quoted: true,
                    });
                }
                _ => {
                    let ch = self.char_at(self.pos);
                    buf.push(ch);
                    self.pos += ch.len_utf8();
                }
            }
        }
    }

    fn backtick(&mut self) -> Result<String, ParseError> {
        let start = self.pos + 1;
        let mut i = start;
        let mut out = String::new();
        while i < self.src.len() {
            match self.src[i] {
                b'\\' if i + 1 < self.src.len() => {
                    out.push(self.src[i + 1] as char);
                    i += 2;
                }
                b'`' => {
                    self.pos = i + 1;
                    return Ok(out);
                }
                _ => {
                    let ch = self.char_at(i);
                    out.push(ch);
                    i += ch.len_utf8();
                }
            }
        }
        Err(ParseError::Incomplete)
    }

    /// Finds the `)` closing a `$(` at `start`, honouring quotes and nesting.
    fn matching_paren(&self, start: usize) -> Result<usize, ParseError> {
        let mut depth = 1;
        let mut i = start;
        while i < self.src.len() {
            match self.src[i] {
                b'\\' => i += 1,
                b'\'' => match self.text[i + 1..].find('\'') {
                    Some(e) => i += e + 1,
                    None => return Err(ParseError::Incomplete),
                },
                b'"' => {
                    let mut j = i + 1;
                    while j < self.src.len() && self.src[j] != b'"' {
                        if self.src[j] == b'\\' {
                            j += 1;
                        }
                        j += 1;
                    }
                    if j >= self.src.len() {
                        return Err(ParseError::Incomplete);
                    }
                    i = j;
                }
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(i);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        Err(ParseError::Incomplete)
    }

    fn dollar(&mut self, parts: &mut Vec<Part>, quoted: bool) -> Result<(), ParseError> {
        let next = self.peek_at(1);
        match next {
            Some(b'(') if self.peek_at(2) == Some(b'(') => {
                let start = self.pos + 3;
                let end = self.matching_paren(start)?;
                if self.src.get(end + 1) != Some(&b')') {
                    return Err(ParseError::Unexpected(")".into()));
                }
                parts.push(Part::Arith {
                    source: self.text[start..end].to_string(),
                });
                self.pos = end + 2;
            }
            Some(b'(') => {
                let start = self.pos + 2;
                let end = self.matching_paren(start)?;
                parts.push(Part::Subst {
                    source: self.text[start..end].to_string(),
                    quoted,
                });
                self.pos = end + 1;
            }
            Some(b'{') => {
                let start = self.pos + 2;
                let Some(len) = self.text[start..].find('}') else {
                    return Err(ParseError::Incomplete);
                };
                let inner = &self.text[start..start + len];
                self.pos = start + len + 1;
                let (name, default) = match inner.find(":-").or_else(|| inner.find('-')) {
                    Some(i) => {
                        let skip = if inner[i..].starts_with(":-") { 2 } else { 1 };
                        let mut sub = Lexer::new(&inner[i + skip..]);
                        let w = sub.word()?;
                        (inner[..i].to_string(), Some(w.parts))
                    }
                    None => (inner.to_string(), None),
                };
                parts.push(Part::Var {
                    name,
                    default,
                    quoted,
                });
            }
            Some(c)
                if c == b'?'
                    || c == b'$'
                    || c == b'#'
                    || c == b'@'
                    || c == b'*'
                    || c.is_ascii_digit() =>
            {
                parts.push(Part::Var {
                    name: (c as char).to_string(),
                    default: None,
                    quoted,
                });
                self.pos += 2;
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let start = self.pos + 1;
                let mut end = start;
                while end < self.src.len()
                    && (self.src[end].is_ascii_alphanumeric() || self.src[end] == b'_')
                {
                    end += 1;
                }
                parts.push(Part::Var {
                    name: self.text[start..end].to_string(),
                    default: None,
                    quoted,
                });
                self.pos = end;
            }
            _ => {
                parts.push(if quoted {
                    Part::Quoted("$".into())
                } else {
                    Part::Lit("$".into())
                });
                self.pos += 1;
            }
        }
        Ok(())
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

const RESERVED_END: [&str; 7] = ["do", "done", "then", "fi", "elif", "else", "}"];

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn peek_word(&self) -> Option<String> {
        match self.peek() {
            Some(Tok::Word(w)) => w.plain(),
            _ => None,
        }
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline) | Some(Tok::Op(";"))) {
            self.pos += 1;
        }
    }

    fn unexpected(&self) -> ParseError {
        match self.peek() {
            None => ParseError::Incomplete,
            Some(Tok::Newline) => ParseError::Unexpected("newline".into()),
            Some(Tok::Op(op)) => ParseError::Unexpected(op.to_string()),
            Some(Tok::Word(w)) => ParseError::Unexpected(w.plain().unwrap_or_default()),
            Some(Tok::Redir(_)) => ParseError::Unexpected("newline".into()),
        }
    }

    /// A list up to end of input or one of `stop` reserved words.
    fn list(&mut self, stop: &[&str]) -> Result<List, ParseError> {
        let mut list = Vec::new();
        loop {
            while matches!(self.peek(), Some(Tok::Newline)) {
                self.pos += 1;
            }
            match self.peek() {
                None => {
                    return if stop.is_empty() {
                        Ok(list)
                    } else {
                        Err(ParseError::Incomplete)
                    }
                }
                Some(Tok::Op(")")) if stop.contains(&")") => return Ok(list),
                _ => {}
            }
            if let Some(w) = self.peek_word() {
                if stop.contains(&w.as_str()) {
                    return Ok(list);
                }
                if RESERVED_END.contains(&w.as_str()) {
                    return Err(ParseError::Unexpected(w));
                }
            }
            list.push(self.and_or()?);
            match self.peek() {
                Some(Tok::Op(";")) | Some(Tok::Op("&")) | Some(Tok::Newline) => self.pos += 1,
                None => {}
                Some(Tok::Op(")")) if stop.contains(&")") => {}
                Some(_) => {
                    if let Some(w) = self.peek_word() {
                        if stop.contains(&w.as_str()) {
                            continue;
                        }
                    }
                    return Err(self.unexpected());
                }
            }
        }
    }

    fn and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let conn = match self.peek() {
                Some(Tok::Op("&&")) => Connector::And,
                Some(Tok::Op("||")) => Connector::Or,
                _ => break,
            };
            self.pos += 1;
            while matches!(self.peek(), Some(Tok::Newline)) {
                self.pos += 1;
            }
            if self.peek().is_none() {
                return Err(ParseError::Incomplete);
            }
            rest.push((conn, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> Result<Pipeline, ParseError> {
        let timed = self.peek_word().as_deref() == Some("time");
        if timed {
            self.pos += 1;
            // `time` alone times nothing.
            if matches!(self.peek(), None | Some(Tok::Newline) | Some(Tok::Op(_))) {
                return Ok(Pipeline {
                    negate: false,
                    timed,
                    commands: Vec::new(),
                });
            }
        }
        let mut negate = false;
        if self.peek_word().as_deref() == Some("!") {
            negate = true;
            self.pos += 1;
        }
        let mut commands = vec![self.command()?];
        while matches!(self.peek(), Some(Tok::Op("|"))) {
            self.pos += 1;
            while matches!(self.peek(), Some(Tok::Newline)) {
                self.pos += 1;
            }
            if self.peek().is_none() {
                return Err(ParseError::Incomplete);
            }
            commands.push(self.command()?);
        }
        Ok(Pipeline {
            negate,
            timed,
            commands,
        })
    }

    fn expect_word(&mut self, w: &str) -> Result<(), ParseError> {
        self.skip_newlines();
        if self.peek_word().as_deref() == Some(w) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        match self.peek_word().as_deref() {
            Some("for") => {
                self.pos += 1;
                let var = match self.peek_word() {
                    Some(v) => v,
                    None => return Err(self.unexpected()),
                };
                self.pos += 1;
                let mut items = Vec::new();
                if self.peek_word().as_deref() == Some("in") {
                    self.pos += 1;
                    while let Some(Tok::Word(w)) = self.peek() {
                        items.push(w.clone());
                        self.pos += 1;
                    }
                } else {
                    items.push(Word {
                        parts: vec![Part::Var {
                            name: "@".into(),
                            default: None,
                            quoted: true,
                        }],
                    });
                }
                self.expect_word("do")?;
                let body = self.list(&["done"])?;
                self.expect_word("done")?;
                Ok(Command::For { var, items, body })
            }
            Some(kw @ ("while" | "until")) => {
                let until = kw == "until";
                self.pos += 1;
                let cond = self.list(&["do"])?;
                self.expect_word("do")?;
                let body = self.list(&["done"])?;
                self.expect_word("done")?;
                Ok(Command::While { until, cond, body })
            }
            Some("if") => {
                self.pos += 1;
                let mut branches = Vec::new();
                let mut otherwise = None;
                loop {
                    let cond = self.list(&["then"])?;
                    self.expect_word("then")?;
                    let body = self.list(&["elif", "else", "fi"])?;
                    branches.push((cond, body));
                    match self.peek_word().as_deref() {
                        Some("elif") => self.pos += 1,
                        Some("else") => {
                            self.pos += 1;
                            otherwise = Some(self.list(&["fi"])?);
                            self.expect_word("fi")?;
                            break;
                        }
                        Some("fi") => {
                            self.pos += 1;
                            break;
                        }
                        _ => return Err(self.unexpected()),
                    }
                }
                Ok(Command::If {
                    branches,
                    otherwise,
                })
            }
            Some("{") => {
                self.pos += 1;
                let body = self.list(&["}"])?;
                self.expect_word("}")?;
                Ok(Command::Group(body))
            }
            _ if matches!(self.peek(), Some(Tok::Op("("))) => {
                self.pos += 1;
                let body = self.list(&[")"])?;
                if !matches!(self.peek(), Some(Tok::Op(")"))) {
                    return Err(self.unexpected());
                }
                self.pos += 1;
                Ok(Command::Group(body))
            }
            _ => self.simple(),
        }
    }

    fn simple(&mut self) -> Result<Command, ParseError> {
        let mut cmd = Simple::default();
        loop {
            match self.peek() {
                Some(Tok::Word(w)) => {
                    let w = w.clone();
                    if cmd.words.is_empty() {
                        if let Some((name, value)) = split_assignment(&w) {
                            cmd.assigns.push((name, value));
                            self.pos += 1;
                            continue;
                        }
                    }
                    cmd.words.push(w);
                    self.pos += 1;
                }
                Some(Tok::Redir(r)) => {
                    cmd.redirects.push(r.clone());
                    self.pos += 1;
                }
                _ => break,
            }
        }
        if cmd.words.is_empty() && cmd.assigns.is_empty() && cmd.redirects.is_empty() {
            return Err(self.unexpected());
        }
        Ok(Command::Simple(cmd))
    }
}

/// `NAME=value` at the start of a command.
fn split_assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Part::Lit(first)) = w.parts.first() else {
        return None;
    };
    let eq = first.find('=')?;
    let name = &first[..eq];
    let valid = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit();
    if !valid {
        return None;
    }
    let mut parts = Vec::new();
    if eq + 1 < first.len() {
        parts.push(Part::Quoted(first[eq + 1..].to_string()));
    }
    parts.extend(w.parts[1..].iter().cloned());
    Some((name.to_string(), Word { parts }))
}

/// Parses a whole input (one or more lines).
pub fn parse(text: &str) -> Result<List, ParseError> {
    let toks = Lexer::new(text).run()?;
    let mut p = Parser { toks, pos: 0 };
    let list = p.list(&[])?;
    if p.pos < p.toks.len() {
        return Err(p.unexpected());
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_inputs_ask_for_more() {
        for text in [
            "echo 'abc",
            "echo \"abc",
            "ls |",
            "true &&",
            "echo \\",
            "cat <<EOF\nhello",
            "for x in a b; do",
            "echo $(ls",
        ] {
            assert_eq!(parse(text), Err(ParseError::Incomplete), "{text:?}");
        }
    }

    #[test]
    fn syntax_errors_name_the_token() {
        assert_eq!(
            parse("ls && && ls"),
            Err(ParseError::Unexpected("&&".into()))
        );
        assert_eq!(parse("| ls"), Err(ParseError::Unexpected("|".into())));
        assert_eq!(
            parse("echo >"),
            Err(ParseError::Unexpected("newline".into()))
        );
        assert_eq!(parse("done"), Err(ParseError::Unexpected("done".into())));
    }

    #[test]
    fn heredoc_body_is_captured() {
        let list = parse("cat > Dockerfile <<EOF\nFROM nginx\nCOPY . /x\nEOF\necho done").unwrap();
        assert_eq!(list.len(), 2);
        let Command::Simple(s) = &list[0].first.commands[0] else {
            panic!()
        };
        let heredoc = s.redirects.iter().find_map(|r| match &r.kind {
            RedirectKind::HereDoc { body, expand } => Some((body.clone(), *expand)),
            _ => None,
        });
        assert_eq!(heredoc, Some(("FROM nginx\nCOPY . /x\n".to_string(), true)));
    }

    #[test]
    fn fd_redirects_and_assignments() {
        let list = parse("A=1 B=\"x y\" cmd arg 2>&1 >out").unwrap();
        let Command::Simple(s) = &list[0].first.commands[0] else {
            panic!()
        };
        assert_eq!(s.assigns.len(), 2);
        assert_eq!(s.words.len(), 2);
        assert_eq!(s.redirects[0].kind, RedirectKind::Dup { to: 1 });
        assert_eq!(s.redirects[0].fd, 2);
        assert_eq!(s.redirects[1].fd, 1);
    }
}
