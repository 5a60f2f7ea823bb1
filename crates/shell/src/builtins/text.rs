//! Text in, text out: echo, printf, and the filters people pipe docker's
//! output through (grep, head, tail, wc, sort, uniq, cut, tee), plus test.

use crate::exec::{Control, Ctx};
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

/// Parses `-n 5`, `-n5`, `-5`, `--lines=5`.
fn count_opt(args: &[String], default: usize) -> (usize, Vec<String>) {
    let mut n = default;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-n" || a == "-c" {
            n = args
                .get(i + 1)
                .and_then(|v| v.trim_start_matches('+').parse().ok())
                .unwrap_or(default);
            i += 2;
            continue;
        }
        if let Some(v) = a.strip_prefix("-n").or_else(|| a.strip_prefix("--lines=")) {
            n = v.trim_start_matches('+').parse().unwrap_or(default);
        } else if a.len() > 1 && a.starts_with('-') && a[1..].bytes().all(|b| b.is_ascii_digit()) {
            n = a[1..].parse().unwrap_or(default);
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    (n, files)
}

pub fn head(args: &[String], ctx: &mut Ctx) -> R {
    let (n, files) = count_opt(&args[1..], 10);
    let (text, status) = input("head", &files, ctx);
    let out: String = text.split_inclusive('\n').take(n).collect();
    ctx.out(out);
    Ok(status)
}

pub fn tail(args: &[String], ctx: &mut Ctx) -> R {
    let (n, files) = count_opt(&args[1..], 10);
    let (text, status) = input("tail", &files, ctx);
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let out: String = lines[lines.len().saturating_sub(n)..].concat();
    ctx.out(out);
    Ok(status)
}

pub fn grep(args: &[String], ctx: &mut Ctx) -> R {
    let mut ignore = false;
    let mut invert = false;
    let mut count = false;
    let mut quiet = false;
    let mut numbers = false;
    let mut only_names = false;
    let mut whole_line = false;
    let mut whole_word = false;
    let mut fixed = false;
    let (mut before, mut after) = (0usize, 0usize);
    let mut pattern: Option<String> = None;
    let mut files = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        if a == "-e" {
            pattern = args.get(i + 1).cloned();
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
        if a.starts_with('-') && a.len() > 1 && pattern.is_none() {
            let flags: Vec<char> = a[1..].chars().collect();
            for (k, &c) in flags.iter().enumerate() {
                // -A/-B/-C take a number: the rest of the word or the next one.
                if matches!(c, 'A' | 'B' | 'C') {
                    let rest: String = flags[k + 1..].iter().collect();
                    let value = if rest.is_empty() {
                        i += 1;
                        args.get(i).cloned().unwrap_or_default()
                    } else {
                        rest
                    };
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
                    'x' => whole_line = true,
                    'w' => whole_word = true,
                    'F' => fixed = true,
                    'E' | 's' | 'o' | 'r' | 'R' | 'H' | 'h' => {}
                    '-' => {}
                    other => {
                        ctx.errln(format!("grep: invalid option -- '{other}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information."));
                        return Ok(2);
                    }
                }
            }
        } else if pattern.is_none() {
            pattern = Some(a.clone());
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    let Some(pattern) = pattern else {
        ctx.errln(
            "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.",
        );
        return Ok(2);
    };
    let (text, status) = input("grep", &files, ctx);
    // -F, -w and -x narrow the pattern the way GNU grep does: a literal,
    // a match between word boundaries, or the whole line.
    let mut pattern = if fixed {
        regex_lite::escape(&pattern)
    } else {
        pattern
    };
    if whole_word {
        pattern = format!(r"\b(?:{pattern})\b");
    }
    if whole_line {
        pattern = format!("^(?:{pattern})$");
    }
    let matcher = crate::pattern::Pattern::new(&pattern, ignore);
    let lines: Vec<&str> = text.lines().collect();
    let selected: Vec<bool> = lines
        .iter()
        .map(|line| matcher.is_match(line) != invert)
        .collect();
    let hits = selected.iter().filter(|s| **s).count();
    let mut out = String::new();
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
        if numbers {
            out.push_str(&format!("{}{mark}", n + 1));
        }
        out.push_str(line);
        out.push('\n');
    }
    if quiet {
        return Ok(if hits > 0 { 0 } else { 1 });
    }
    if count {
        ctx.outln(hits.to_string());
    } else if only_names {
        if hits > 0 {
            ctx.outln(
                files
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "(standard input)".into()),
            );
        }
    } else {
        ctx.out(out);
    }
    Ok(if status != 0 {
        status
    } else if hits > 0 {
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
