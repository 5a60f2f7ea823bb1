//! Text in, text out: echo, printf, and the filters people pipe docker's
//! output through (grep, head, tail, wc, sort, uniq, cut, tee), plus test.

use crate::exec::{Control, Ctx, Flavor};
use crate::vfs;

type R = Result<i32, Control>;

fn unescape(s: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('a') => out.push('\x07'),
            Some('e') => out.push('\x1b'),
            Some('c') => return (out, true),
            Some('0') => {
                let mut v = 0u32;
                for _ in 0..3 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.extend(char::from_u32(v));
            }
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

pub fn echo(args: &[String], ctx: &mut Ctx) -> R {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 1;
    while let Some(a) = args.get(i) {
        if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E'))
        {
            for c in a[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    let mut text = args[i..].join(" ");
    if escapes {
        let (t, stop) = unescape(&text);
        text = t;
        if stop {
            newline = false;
        }
    }
    if newline {
        text.push('\n');
    }
    ctx.out(text);
    Ok(0)
}

pub fn printf(args: &[String], ctx: &mut Ctx) -> R {
    let Some(format) = args.get(1) else {
        ctx.errln("printf: usage: printf [-v var] format [arguments]");
        return Ok(2);
    };
    let mut rest: Vec<&String> = args[2..].iter().collect();
    let mut out = String::new();
    loop {
        let (s, consumed) = format_once(format, &rest);
        out.push_str(&s);
        if consumed == 0 || consumed >= rest.len() {
            break;
        }
        rest = rest[consumed..].to_vec();
    }
    ctx.out(out);
    Ok(0)
}

fn format_once(format: &str, args: &[&String]) -> (String, usize) {
    let (fmt, _) = unescape(format);
    let mut out = String::new();
    let mut used = 0;
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        while let Some(&n) = chars.peek() {
            if n.is_ascii_digit() || n == '-' || n == '.' {
                spec.push(n);
                chars.next();
            } else {
                break;
            }
        }
        let arg = args.get(used).map(|s| s.as_str()).unwrap_or("");
        let left = spec.starts_with('-');
        let width: usize = spec
            .trim_start_matches('-')
            .split('.')
            .next()
            .and_then(|w| w.parse().ok())
            .unwrap_or(0);
        let value = match chars.next() {
            Some('%') => {
                out.push('%');
                continue;
            }
            Some('s') => arg.to_string(),
            Some('d') | Some('i') => arg.trim().parse::<i64>().unwrap_or(0).to_string(),
            Some('b') => unescape(arg).0,
            Some(other) => format!("%{spec}{other}"),
            None => "%".to_string(),
        };
        used += 1;
        let pad = width.saturating_sub(value.chars().count());
        if left {
            out.push_str(&value);
            out.push_str(&" ".repeat(pad));
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&value);
        }
    }
    (out, used)
}

/// Input for a filter: the named files, or stdin.
fn input(cmd: &str, files: &[String], ctx: &mut Ctx) -> (String, i32) {
    if files.is_empty() {
        return (ctx.stdin.clone(), 0);
    }
    let mut text = String::new();
    let mut status = 0;
    for f in files {
        if f == "-" {
            text.push_str(&ctx.stdin.clone());
            continue;
        }
        let path = ctx.path(f);
        match ctx.fs(|fs| vfs::read_text(fs, &path)) {
            Ok(t) => text.push_str(&t),
            Err(e) => {
                ctx.errln(format!("{cmd}: {f}: {e}"));
                status = if cmd == "grep" { 2 } else { 1 };
            }
        }
    }
    (text, status)
}

/// What head or tail counts, and how far: `-n 5`, `-c 5`, `-n -5` (head:
/// all but the last 5), `-n +5` (tail: from the 5th on).
#[derive(Clone, Copy)]
struct Span {
    bytes: bool,
    count: usize,
    /// head's `-N`: all but the last N; tail's `+N`: from the Nth on.
    from_other_end: bool,
}

/// head's and tail's options, as GNU coreutils (or busybox, in an Alpine
/// container) reads them; `Err` is the exit status after the message.
fn span_opts(cmd: &str, args: &[String], ctx: &mut Ctx) -> Result<(Span, bool, Vec<String>), i32> {
    let busybox = ctx.shell.flavor == Flavor::Ash;
    let mut span = Span {
        bytes: false,
        count: 10,
        from_other_end: false,
    };
    let mut headers: Option<bool> = None;
    let mut files = Vec::new();
    let mut i = 0;
    let value_of = |which: char, v: &str, ctx: &mut Ctx| -> Result<Span, i32> {
        let (sign, digits) = match v.as_bytes().first() {
            Some(b'+') => (Some('+'), &v[1..]),
            Some(b'-') => (Some('-'), &v[1..]),
            _ => (None, v),
        };
        match parse_size(digits) {
            Some(count) => Ok(Span {
                bytes: which == 'c',
                count,
                from_other_end: matches!((cmd, sign), ("head", Some('-')) | ("tail", Some('+'))),
            }),
            None => {
                let what = if which == 'c' { "bytes" } else { "lines" };
                ctx.errln(if busybox {
                    format!("{cmd}: invalid number '{v}'")
                } else {
                    format!("{cmd}: invalid number of {what}: '{v}'")
                });
                Err(1)
            }
        }
    };
    let mut only_files = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if only_files || a == "-" || !a.starts_with('-') {
            files.push(a.clone());
            continue;
        }
        if a == "--" {
            only_files = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            match name {
                "lines" | "bytes" => {
                    let Some(v) = inline.or_else(|| {
                        i += 1;
                        args.get(i - 1).cloned()
                    }) else {
                        ctx.errln(format!("{cmd}: option '--{name}' requires an argument\nTry '{cmd} --help' for more information."));
                        return Err(1);
                    };
                    span = value_of(if name == "bytes" { 'c' } else { 'n' }, &v, ctx)?;
                }
                "quiet" | "silent" => headers = Some(false),
                "verbose" => headers = Some(true),
                _ => {
                    ctx.errln(format!("{cmd}: unrecognized option '{a}'\nTry '{cmd} --help' for more information."));
                    return Err(1);
                }
            }
            continue;
        }
        // `-5`: the old way to say `-n 5`.
        if a[1..].bytes().all(|b| b.is_ascii_digit()) {
            span = value_of('n', &a[1..], ctx)?;
            continue;
        }
        let flags: Vec<char> = a[1..].chars().collect();
        for (k, &c) in flags.iter().enumerate() {
            match c {
                'n' | 'c' => {
                    let rest: String = flags[k + 1..].iter().collect();
                    let v = if rest.is_empty() {
                        i += 1;
                        match args.get(i - 1) {
                            Some(v) => v.clone(),
                            None => {
                                ctx.errln(if busybox {
                                    format!("{cmd}: option requires an argument -- '{c}'")
                                } else {
                                    format!("{cmd}: option requires an argument -- '{c}'\nTry '{cmd} --help' for more information.")
                                });
                                return Err(1);
                            }
                        }
                    } else {
                        rest
                    };
                    span = value_of(c, &v, ctx)?;
                    break;
                }
                'q' => headers = Some(false),
                'v' => headers = Some(true),
                _ => {
                    ctx.errln(if busybox {
                        format!("{cmd}: unrecognized option: {c}")
                    } else {
                        format!("{cmd}: invalid option -- '{c}'\nTry '{cmd} --help' for more information.")
                    });
                    return Err(1);
                }
            }
        }
    }
    let headers = headers.unwrap_or(files.len() > 1);
    Ok((span, headers, files))
}

/// A count with coreutils' multiplier suffixes (`b` 512, `K` 1024, `kB`
/// 1000, and on up).
fn parse_size(v: &str) -> Option<usize> {
    let end = v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len());
    let n: usize = v[..end].parse().ok()?;
    let factor: usize = match &v[end..] {
        "" => 1,
        "b" => 512,
        "K" | "k" | "KiB" => 1 << 10,
        "kB" | "KB" => 1000,
        "M" | "MiB" => 1 << 20,
        "MB" => 1_000_000,
        "G" | "GiB" => 1 << 30,
        "GB" => 1_000_000_000,
        _ => return None,
    };
    n.checked_mul(factor)
}

/// head and tail read each file on its own, with a `==> name <==` header
/// when there are several.
fn head_or_tail(cmd: &str, args: &[String], ctx: &mut Ctx, cut: fn(&[u8], Span) -> &[u8]) -> R {
    let busybox = ctx.shell.flavor == Flavor::Ash;
    let (span, headers, mut files) = match span_opts(cmd, &args[1..], ctx) {
        Ok(parsed) => parsed,
        Err(status) => return Ok(status),
    };
    if files.is_empty() {
        files.push("-".into());
    }
    let mut status = 0;
    let mut first = true;
    for f in &files {
        let bytes = if f == "-" {
            ctx.stdin.clone().into_bytes()
        } else {
            let path = ctx.path(f);
            match ctx.fs(|fs| vfs::read_bytes(fs, &path)) {
                Ok(b) => b,
                Err(e) => {
                    ctx.errln(match (busybox, e) {
                        (true, vfs::FsError::IsDir) => format!("{cmd}: read error: {e}"),
                        (true, _) => format!("{cmd}: can't open '{f}': {e}"),
                        (false, vfs::FsError::IsDir) => format!("{cmd}: error reading '{f}': {e}"),
                        (false, _) => format!("{cmd}: cannot open '{f}' for reading: {e}"),
                    });
                    status = 1;
                    continue;
                }
            }
        };
        if headers {
            let name = if f == "-" { "standard input" } else { f };
            ctx.out(format!("{}==> {name} <==\n", if first { "" } else { "\n" }));
        }
        first = false;
        ctx.out(String::from_utf8_lossy(cut(&bytes, span)));
    }
    Ok(status)
}

/// Byte offsets where each line starts, plus the end.
fn line_starts(b: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        b.iter()
            .enumerate()
            .filter(|(i, c)| **c == b'\n' && i + 1 < b.len())
            .map(|(i, _)| i + 1),
    );
    if !b.is_empty() {
        starts.push(b.len());
    }
    starts
}

pub fn head(args: &[String], ctx: &mut Ctx) -> R {
    head_or_tail("head", args, ctx, |b, span| {
        let end = if span.bytes {
            if span.from_other_end {
                b.len().saturating_sub(span.count)
            } else {
                span.count.min(b.len())
            }
        } else {
            let starts = line_starts(b);
            let lines = starts.len() - 1;
            let keep = if span.from_other_end {
                lines.saturating_sub(span.count)
            } else {
                span.count.min(lines)
            };
            starts[keep]
        };
        &b[..end]
    })
}

pub fn tail(args: &[String], ctx: &mut Ctx) -> R {
    head_or_tail("tail", args, ctx, |b, span| {
        let start = if span.bytes {
            if span.from_other_end {
                span.count.saturating_sub(1).min(b.len())
            } else {
                b.len().saturating_sub(span.count)
            }
        } else {
            let starts = line_starts(b);
            let lines = starts.len() - 1;
            let skip = if span.from_other_end {
                span.count.saturating_sub(1).min(lines)
            } else {
                lines.saturating_sub(span.count)
            };
            starts[skip]
        };
        &b[start..]
    })
}

pub fn grep(args: &[String], ctx: &mut Ctx) -> R {
    let mut ignore = false;
    let mut invert = false;
    let mut count = false;
    let mut quiet = false;
    let mut numbers = false;
    let mut only_names = false;
    let mut only_matching = false;
    let mut whole_line = false;
    let mut whole_word = false;
    let mut fixed = false;
    let mut extended = false;
    let mut with_names: Option<bool> = None;
    let (mut before, mut after) = (0usize, 0usize);
    let mut patterns: Vec<String> = Vec::new();
    let mut pattern_given = false;
    let mut files = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        if a == "-e" {
            if let Some(p) = args.get(i + 1) {
                patterns.push(p.clone());
            }
            pattern_given = true;
            i += 2;
            continue;
        }
        if let Some((name, value)) = a.strip_prefix("--").and_then(|l| l.split_once('=')) {
            let which = match name {
                "after-context" => Some('A'),
                "before-context" => Some('B'),
                "context" => Some('C'),
                _ => None,
            };
            if let Some(which) = which {
                match value.parse::<usize>() {
                    Ok(n) => set_context(which, n, &mut before, &mut after),
                    Err(_) => {
                        ctx.errln(format!("grep: {value}: invalid context length argument"));
                        return Ok(2);
                    }
                }
                i += 1;
                continue;
            }
        }
        if a == "--only-matching" {
            only_matching = true;
        } else if a.starts_with('-') && a.len() > 1 {
            let flags: Vec<char> = a[1..].chars().collect();
            for (k, &c) in flags.iter().enumerate() {
                // -A/-B/-C take a number, and -e a pattern: the rest of the
                // word or the next one.
                if matches!(c, 'A' | 'B' | 'C' | 'e') {
                    let rest: String = flags[k + 1..].iter().collect();
                    let value = if rest.is_empty() {
                        i += 1;
                        args.get(i).cloned().unwrap_or_default()
                    } else {
                        rest
                    };
                    if c == 'e' {
                        patterns.push(value);
                        pattern_given = true;
                        break;
                    }
                    match value.parse::<usize>() {
                        Ok(n) => set_context(c, n, &mut before, &mut after),
                        Err(_) => {
                            ctx.errln(format!("grep: {value}: invalid context length argument"));
                            return Ok(2);
                        }
                    }
                    break;
                }
                match c {
                    'i' => ignore = true,
                    'v' => invert = true,
                    'c' => count = true,
                    'q' => quiet = true,
                    'n' => numbers = true,
                    'l' => only_names = true,
                    'o' => only_matching = true,
                    'x' => whole_line = true,
                    'w' => whole_word = true,
                    'F' => fixed = true,
                    'E' => extended = true,
                    'G' => extended = false,
                    'H' => with_names = Some(true),
                    'h' => with_names = Some(false),
                    's' | 'r' | 'R' => {}
                    '-' => {}
                    other => {
                        ctx.errln(format!("grep: invalid option -- '{other}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information."));
                        return Ok(2);
                    }
                }
            }
        } else if !pattern_given {
            // One argument holds several patterns, a line each.
            patterns.extend(a.split('\n').map(str::to_string));
            pattern_given = true;
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    if !pattern_given {
        ctx.errln(
            "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.",
        );
        return Ok(2);
    }
    // -F, -w and -x narrow each pattern the way GNU grep does: a literal,
    // a match between word boundaries, or the whole line.
    let alternatives: Vec<String> = patterns
        .iter()
        .map(|p| {
            let mut re = if fixed {
                regex_lite::escape(p)
            } else {
                crate::pattern::posix_to_regex(p, extended)
            };
            if whole_word {
                re = format!(r"\b(?:{re})\b");
            }
            if whole_line {
                re = format!("^(?:{re})$");
            }
            format!("(?:{re})")
        })
        .collect();
    let matcher =
        crate::pattern::Pattern::from_regex(&alternatives.join("|"), &patterns.join("\n"), ignore);
    let with_names = with_names.unwrap_or(files.len() > 1);
    if files.is_empty() {
        files.push("-".into());
    }
    let mut status = 0;
    let mut any_hits = false;
    for f in &files {
        let text = if f == "-" {
            ctx.stdin.clone()
        } else {
            let path = ctx.path(f);
            match ctx.fs(|fs| vfs::read_text(fs, &path)) {
                Ok(t) => t,
                Err(e) => {
                    ctx.errln(format!("grep: {f}: {e}"));
                    status = 2;
                    continue;
                }
            }
        };
        let name = if f == "-" { "(standard input)" } else { f };
        let lines: Vec<&str> = text.lines().collect();
        let selected: Vec<bool> = lines
            .iter()
            .map(|line| matcher.is_match(line) != invert)
            .collect();
        let hits = selected.iter().filter(|s| **s).count();
        any_hits |= hits > 0;
        if quiet {
            if any_hits {
                return Ok(0);
            }
            continue;
        }
        if count {
            if with_names {
                ctx.outln(format!("{name}:{hits}"));
            } else {
                ctx.outln(hits.to_string());
            }
            continue;
        }
        if only_names {
            if hits > 0 {
                ctx.outln(name);
            }
            continue;
        }
        let prefix = |n: usize, mark: char| {
            let mut p = String::new();
            if with_names {
                p.push_str(name);
                p.push(mark);
            }
            if numbers {
                p.push_str(&format!("{}{mark}", n + 1));
            }
            p
        };
        let mut out = String::new();
        if only_matching {
            // Each non-empty match of a selected line on its own line; a
            // line selected by -v has none to show.
            for (n, line) in lines.iter().enumerate() {
                if !selected[n] || invert {
                    continue;
                }
                for m in matcher.find_iter(line) {
                    out.push_str(&prefix(n, ':'));
                    out.push_str(m);
                    out.push('\n');
                }
            }
            ctx.out(out);
            continue;
        }
        // Context lines print with `-` after their number instead of `:`, and
        // `--` separates groups that do not touch, as GNU grep prints them.
        let mut printed_up_to: Option<usize> = None;
        let mut after_left = 0;
        for (n, line) in lines.iter().enumerate() {
            let shown = if selected[n] {
                after_left = after;
                Some(':')
            } else if after_left > 0 {
                after_left -= 1;
                Some('-')
            } else if selected[n + 1..].iter().take(before).any(|s| *s) {
                Some('-')
            } else {
                None
            };
            let Some(mark) = shown else { continue };
            if (before > 0 || after > 0) && printed_up_to.is_some_and(|p| p + 1 < n) {
                out.push_str("--\n");
            }
            printed_up_to = Some(n);
            out.push_str(&prefix(n, mark));
            out.push_str(line);
            out.push('\n');
        }
        ctx.out(out);
    }
    Ok(if status != 0 && !(quiet && any_hits) {
        status
    } else if any_hits {
        0
    } else {
        1
    })
}

fn set_context(which: char, n: usize, before: &mut usize, after: &mut usize) {
    match which {
        'A' => *after = n,
        'B' => *before = n,
        _ => {
            *before = n;
            *after = n;
        }
    }
}

pub fn wc(args: &[String], ctx: &mut Ctx) -> R {
    let (short, _, files) = super::split_opts(&args[1..]);
    let (text, status) = input("wc", &files, ctx);
    let lines = text.matches('\n').count();
    let words = text.split_whitespace().count();
    let bytes = text.len();
    let chars = text.chars().count();
    let mut parts = Vec::new();
    if short.is_empty() {
        parts = vec![lines, words, bytes];
    } else {
        for c in &short {
            match c {
                'l' => parts.push(lines),
                'w' => parts.push(words),
                'c' => parts.push(bytes),
                'm' => parts.push(chars),
                _ => {}
            }
        }
    }
    let single = parts.len() == 1 && files.is_empty();
    let width = if single {
        0
    } else {
        parts
            .iter()
            .map(|p| p.to_string().len())
            .max()
            .unwrap_or(1)
            .max(if files.is_empty() { 7 } else { 1 })
    };
    let mut line: Vec<String> = parts.iter().map(|p| format!("{p:>width$}")).collect();
    if let Some(f) = files.first() {
        line.push(f.clone());
    }
    ctx.outln(line.join(" "));
    Ok(status)
}

pub fn sort(args: &[String], ctx: &mut Ctx) -> R {
    let (short, _, files) = super::split_opts(&args[1..]);
    let (text, status) = input("sort", &files, ctx);
    let mut lines: Vec<&str> = text.lines().collect();
    if short.contains(&'n') {
        lines.sort_by(|a, b| {
            let num = |s: &str| {
                s.trim()
                    .split(|c: char| !c.is_ascii_digit() && c != '-' && c != '.')
                    .next()
                    .and_then(|n| n.parse::<f64>().ok())
                    .unwrap_or(0.0)
            };
            num(a)
                .partial_cmp(&num(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    } else {
        lines.sort();
    }
    if short.contains(&'r') {
        lines.reverse();
    }
    if short.contains(&'u') {
        lines.dedup();
    }
    let out: String = lines.iter().map(|l| format!("{l}\n")).collect();
    ctx.out(out);
    Ok(status)
}

pub fn uniq(args: &[String], ctx: &mut Ctx) -> R {
    let (short, _, files) = super::split_opts(&args[1..]);
    let (text, status) = input("uniq", &files, ctx);
    let mut groups: Vec<(usize, &str)> = Vec::new();
    for line in text.lines() {
        match groups.last_mut() {
            Some((n, l)) if *l == line => *n += 1,
            _ => groups.push((1, line)),
        }
    }
    let mut out = String::new();
    for (n, l) in groups {
        if short.contains(&'d') && n < 2 {
            continue;
        }
        if short.contains(&'c') {
            out.push_str(&format!("{n:>7} {l}\n"));
        } else {
            out.push_str(l);
            out.push('\n');
        }
    }
    ctx.out(out);
    Ok(status)
}

pub fn cut(args: &[String], ctx: &mut Ctx) -> R {
    let mut delim = '\t';
    let mut fields: Option<String> = None;
    let mut chars_spec: Option<String> = None;
    let mut files = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        let take = |i: &mut usize, inline: &str| -> Option<String> {
            if inline.is_empty() {
                *i += 1;
                args.get(*i).cloned()
            } else {
                Some(inline.to_string())
            }
        };
        if let Some(v) = a.strip_prefix("-d") {
            delim = take(&mut i, v)
                .and_then(|s| s.chars().next())
                .unwrap_or('\t');
        } else if let Some(v) = a.strip_prefix("-f") {
            fields = take(&mut i, v);
        } else if let Some(v) = a.strip_prefix("-c") {
            chars_spec = take(&mut i, v);
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    let Some(spec) = fields.clone().or(chars_spec.clone()) else {
        ctx.errln("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.");
        return Ok(1);
    };
    let wanted = |n: usize| {
        spec.split(',').any(|r| match r.split_once('-') {
            Some((a, b)) => {
                let lo = a.parse().unwrap_or(1);
                let hi = b.parse().unwrap_or(usize::MAX);
                (lo..=hi).contains(&n)
            }
            None => r.parse() == Ok(n),
        })
    };
    let (text, status) = input("cut", &files, ctx);
    let mut out = String::new();
    for line in text.lines() {
        if fields.is_some() {
            if !line.contains(delim) {
                out.push_str(line);
            } else {
                let picked: Vec<&str> = line
                    .split(delim)
                    .enumerate()
                    .filter(|(i, _)| wanted(i + 1))
                    .map(|(_, f)| f)
                    .collect();
                out.push_str(&picked.join(&delim.to_string()));
            }
        } else {
            out.extend(
                line.chars()
                    .enumerate()
                    .filter(|(i, _)| wanted(i + 1))
                    .map(|(_, c)| c),
            );
        }
        out.push('\n');
    }
    ctx.out(out);
    Ok(status)
}

pub fn tee(args: &[String], ctx: &mut Ctx) -> R {
    let (short, _, files) = super::split_opts(&args[1..]);
    let text = ctx.stdin.clone();
    let mut status = 0;
    for f in files {
        let path = ctx.path(&f);
        let append = short.contains(&'a');
        let result = ctx.fs(|fs| {
            vfs::open_for_write(fs, &path, append).and_then(|_| vfs::append_text(fs, &path, &text))
        });
        if let Err(e) = result {
            ctx.errln(format!("tee: {f}: {e}"));
            status = 1;
        }
    }
    ctx.out(text);
    Ok(status)
}

pub fn seq(args: &[String], ctx: &mut Ctx) -> R {
    let nums: Vec<i64> = args[1..].iter().filter_map(|a| a.parse().ok()).collect();
    let (first, step, last) = match nums.as_slice() {
        [l] => (1, 1, *l),
        [f, l] => (*f, 1, *l),
        [f, s, l] => (*f, *s, *l),
        _ => {
            ctx.errln("seq: missing operand\nTry 'seq --help' for more information.");
            return Ok(1);
        }
    };
    if step == 0 {
        ctx.errln("seq: invalid Zero increment value: '0'\nTry 'seq --help' for more information.");
        return Ok(1);
    }
    let mut out = String::new();
    let mut v = first;
    let mut count = 0;
    while (step > 0 && v <= last || step < 0 && v >= last) && count < 100_000 {
        out.push_str(&format!("{v}\n"));
        v += step;
        count += 1;
    }
    ctx.out(out);
    Ok(0)
}

/// `test` / `[`: strings, integers and files.
pub fn test(args: &[String], ctx: &mut Ctx) -> R {
    let mut a: Vec<&str> = args[1..].iter().map(String::as_str).collect();
    if args[0] == "[" {
        if a.last() != Some(&"]") {
            ctx.errln("bash: [: missing `]'");
            return Ok(2);
        }
        a.pop();
    }
    let negate = a.first() == Some(&"!");
    if negate {
        a.remove(0);
    }
    let file_test = |ctx: &mut Ctx, p: &str, test: fn(&tidepool_engine::fs::Node) -> bool| {
        let path = ctx.path(p);
        ctx.fs(|fs| fs.node(&fs.resolve(&path)).is_some_and(|n| test(&n)))
    };
    let result = match a.as_slice() {
        [] => false,
        [s] => !s.is_empty(),
        ["-z", s] => s.is_empty(),
        ["-n", s] => !s.is_empty(),
        ["-e", p] => file_test(ctx, p, |_| true),
        ["-f", p] => file_test(ctx, p, |n| {
            matches!(n, tidepool_engine::fs::Node::File { .. })
        }),
        ["-d", p] => file_test(ctx, p, |n| n.is_dir()),
        ["-s", p] => file_test(ctx, p, |n| n.size() > 0),
        [x, "=", y] | [x, "==", y] => x == y,
        [x, "!=", y] => x != y,
        [x, op, y] => {
            let (Ok(x), Ok(y)) = (x.parse::<i64>(), y.parse::<i64>()) else {
                ctx.errln(format!(
                    "bash: test: {}: integer expression expected",
                    if x.parse::<i64>().is_err() { x } else { y }
                ));
                return Ok(2);
            };
            match *op {
                "-eq" => x == y,
                "-ne" => x != y,
                "-lt" => x < y,
                "-le" => x <= y,
                "-gt" => x > y,
                "-ge" => x >= y,
                _ => {
                    ctx.errln(format!("bash: test: {op}: binary operator expected"));
                    return Ok(2);
                }
            }
        }
        _ => {
            ctx.errln("bash: test: too many arguments");
            return Ok(2);
        }
    };
    Ok(i32::from(result == negate))
}
