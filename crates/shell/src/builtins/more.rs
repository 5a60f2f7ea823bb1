//! More host commands tutorials use around docker: tree, find, stat, du,
//! chmod, ip, xargs, awk's `{print $N}`, and the editors.

use super::split_opts;
use crate::exec::{Control, Ctx};
use tidepool_engine::fs::{Content, Meta, Node, ReadFs};

type R = Result<i32, Control>;

/// How `tree` walks: hidden files (-a), directories only (-d), how deep (-L).
#[derive(Clone, Copy)]
struct TreeOpts {
    all: bool,
    dirs_only: bool,
    depth: Option<usize>,
}

pub fn tree(args: &[String], ctx: &mut Ctx) -> R {
    let mut opts = TreeOpts {
        all: false,
        dirs_only: false,
        depth: None,
    };
    let mut dirs: Vec<String> = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        if a == "-L" || (a.starts_with("-L") && a.len() > 2) {
            let value = if a.len() > 2 {
                Some(a[2..].to_string())
            } else {
                i += 1;
                args.get(i).cloned()
            };
            let Some(value) = value else {
                ctx.errln("tree: Missing argument to -L option.");
                return Ok(1);
            };
            match value.parse::<usize>() {
                Ok(n) if n > 0 => opts.depth = Some(n),
                _ => {
                    ctx.errln("tree: Invalid level, must be greater than 0.");
                    return Ok(1);
                }
            }
        } else if a.starts_with('-') && a.len() > 1 {
            for c in a[1..].chars() {
                match c {
                    'a' => opts.all = true,
                    'd' => opts.dirs_only = true,
                    _ => {}
                }
            }
        } else {
            dirs.push(a.clone());
        }
        i += 1;
    }
    if dirs.is_empty() {
        dirs.push(".".into());
    }
    let (mut total_dirs, mut total_files) = (0, 0);
    for dir in &dirs {
        let path = ctx.path(dir);
        let (text, d, f) = ctx.fs(|fs| {
            if !fs.is_dir(&fs.resolve(&path)) {
                return (format!("{dir}  [error opening dir]\n"), 0, 0);
            }
            let mut out = format!("{dir}\n");
            let (mut d, mut f) = (0, 0);
            tree_walk(
                fs,
                &fs.resolve(&path),
                "",
                1,
                opts,
                &mut out,
                &mut d,
                &mut f,
            );
            (out, d, f)
        });
        ctx.out(text);
        total_dirs += d;
        total_files += f;
    }
    let dword = if total_dirs == 1 {
        "directory"
    } else {
        "directories"
    };
    if opts.dirs_only {
        ctx.outln(format!("\n{total_dirs} {dword}"));
    } else {
        let fword = if total_files == 1 { "file" } else { "files" };
        ctx.outln(format!("\n{total_dirs} {dword}, {total_files} {fword}"));
    }
    Ok(0)
}

#[allow(clippy::too_many_arguments)]
fn tree_walk(
    fs: &dyn ReadFs,
    path: &str,
    prefix: &str,
    level: usize,
    opts: TreeOpts,
    out: &mut String,
    d: &mut usize,
    f: &mut usize,
) {
    let child_of = |name: &str| {
        if path == "/" {
            format!("/{name}")
        } else {
            format!("{path}/{name}")
        }
    };
    let names: Vec<String> = fs
        .list(path)
        .into_iter()
        .filter(|n| opts.all || !n.starts_with('.'))
        .filter(|n| !opts.dirs_only || fs.node(&child_of(n)).is_some_and(|node| node.is_dir()))
        .collect();
    for (i, name) in names.iter().enumerate() {
        let last = i + 1 == names.len();
        out.push_str(&format!(
            "{prefix}{}{name}\n",
            if last { "└── " } else { "├── " }
        ));
        let child = child_of(name);
        if fs.node(&child).is_some_and(|n| n.is_dir()) {
            *d += 1;
            if opts.depth.is_none_or(|max| level < max) {
                let deeper = format!("{prefix}{}", if last { "    " } else { "│   " });
                tree_walk(fs, &child, &deeper, level + 1, opts, out, d, f);
            }
        } else {
            *f += 1;
        }
    }
}

pub fn find(args: &[String], ctx: &mut Ctx) -> R {
    let mut start = Vec::new();
    let mut name: Option<String> = None;
    let mut kind: Option<char> = None;
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "-name" | "-iname" => {
                i += 1;
                name = args.get(i).cloned();
            }
            "-type" => {
                i += 1;
                kind = args.get(i).and_then(|t| t.chars().next());
            }
            "-maxdepth" | "-mindepth" => i += 1,
            s if s.starts_with('-') => {
                ctx.errln(format!("find: unknown predicate `{s}'"));
                return Ok(1);
            }
            s => start.push(s.to_string()),
        }
        i += 1;
    }
    if start.is_empty() {
        start.push(".".into());
    }
    let mut status = 0;
    for s in start {
        let path = ctx.path(&s);
        let found = ctx.fs(|fs| {
            let real = fs.resolve(&path);
            let node = fs.node(&real)?;
            let mut out = vec![(s.clone(), node.clone())];
            if node.is_dir() {
                for (p, n) in fs.walk(&real) {
                    let rel = format!("{}{}", s.trim_end_matches('/'), &p[real.len()..]);
                    out.push((rel, n));
                }
            }
            Some(out)
        });
        let Some(found) = found else {
            ctx.errln(format!("find: '{s}': No such file or directory"));
            status = 1;
            continue;
        };
        for (p, n) in found {
            let base = p.rsplit('/').next().unwrap_or(&p).to_string();
            let name_ok = name
                .as_ref()
                .is_none_or(|pat| crate::vfs::wildcard(pat, &base));
            let kind_ok = match kind {
                Some('d') => n.is_dir(),
                Some('f') => matches!(n, Node::File { .. }),
                Some('l') => matches!(n, Node::Symlink { .. }),
                _ => true,
            };
            if name_ok && kind_ok {
                ctx.outln(p);
            }
        }
    }
    Ok(status)
}

fn mode_bits(node: &Node) -> (char, u32) {
    match node {
        Node::Dir { meta, .. } => ('d', meta.mode),
        Node::File { meta, .. } => ('-', meta.mode),
        Node::Symlink { .. } => ('l', 0o777),
        Node::Whiteout => ('c', 0),
    }
}

pub fn stat(args: &[String], ctx: &mut Ctx) -> R {
    let (_, _, files) = split_opts(&args[1..]);
    if files.is_empty() {
        ctx.errln("stat: missing operand\nTry 'stat --help' for more information.");
        return Ok(1);
    }
    let when = {
        let c = ctx.host.now().civil();
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.000000000 +0000",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    };
    let mut status = 0;
    for f in files {
        let path = ctx.path(&f);
        let Some(node) = ctx.fs(|fs| fs.node(&path)) else {
            ctx.errln(format!(
                "stat: cannot statx '{f}': No such file or directory"
            ));
            status = 1;
            continue;
        };
        let (kind, mode) = mode_bits(&node);
        let what = match kind {
            'd' => "directory",
            'l' => "symbolic link",
            _ if node.size() == 0 => "regular empty file",
            _ => "regular file",
        };
        let size = if node.is_dir() { 4096 } else { node.size() };
        ctx.outln(format!(
            "  File: {f}\n  Size: {size:<15} Blocks: {:<10} IO Block: 4096   {what}\nDevice: 0,45\tInode: 1234567     Links: 1\nAccess: ({mode:04o}/{kind}{})  Uid: (    0/    root)   Gid: (    0/    root)\nAccess: {when}\nModify: {when}\nChange: {when}\n Birth: {when}",
            size.div_ceil(512).max(if node.is_dir() { 8 } else { 0 }),
            super::files::permission_string(mode)
        ));
    }
    Ok(status)
}

pub fn du(args: &[String], ctx: &mut Ctx) -> R {
    let (short, _, mut ops) = split_opts(&args[1..]);
    let human = short.contains(&'h');
    let summary = short.contains(&'s');
    if ops.is_empty() {
        ops.push(".".into());
    }
    let mut status = 0;
    for op in ops {
        let path = ctx.path(&op);
        let total = ctx.fs(|fs| {
            let real = fs.resolve(&path);
            let node = fs.node(&real)?;
            let mut kb = node.size().div_ceil(1024).max(4);
            if node.is_dir() {
                kb += fs
                    .walk(&real)
                    .iter()
                    .map(|(_, n)| n.size().div_ceil(1024).max(4))
                    .sum::<u64>();
            }
            Some(kb)
        });
        let Some(kb) = total else {
            ctx.errln(format!(
                "du: cannot access '{op}': No such file or directory"
            ));
            status = 1;
            continue;
        };
        let shown = if human {
            super::files::human_kb(kb)
        } else {
            kb.to_string()
        };
        let _ = summary;
        ctx.outln(format!("{shown}\t{op}"));
    }
    Ok(status)
}

pub fn chmod(args: &[String], ctx: &mut Ctx) -> R {
    let (_, _, ops) = split_opts(&args[1..]);
    if ops.len() < 2 {
        ctx.errln("chmod: missing operand\nTry 'chmod --help' for more information.");
        return Ok(1);
    }
    let spec = ops[0].clone();
    let mut status = 0;
    for f in &ops[1..] {
        let path = ctx.path(f);
        let result = ctx.fs(|fs| {
            let node = fs.node(&path).ok_or(())?;
            let (_, mode) = mode_bits(&node);
            let new_mode = if let Ok(m) = u32::from_str_radix(&spec, 8) {
                m
            } else {
                let plus = spec.contains('+');
                let bits = spec.chars().fold(0, |acc, c| match c {
                    'r' => acc | 0o444,
                    'w' => acc | 0o200,
                    'x' => acc | 0o111,
                    _ => acc,
                });
                if plus {
                    mode | bits
                } else {
                    mode & !bits
                }
            };
            let changed = match node {
                Node::File {
                    content, program, ..
                } => Node::File {
                    meta: Meta {
                        mode: new_mode,
                        ..Meta::FILE
                    },
                    content,
                    program,
                },
                Node::Dir { opaque, .. } => Node::Dir {
                    meta: Meta {
                        mode: new_mode,
                        ..Meta::DIR
                    },
                    opaque,
                },
                other => other,
            };
            fs.put(&path, changed).map_err(|_| ())
        });
        if result.is_err() {
            ctx.errln(format!(
                "chmod: cannot access '{f}': No such file or directory"
            ));
            status = 1;
        }
    }
    Ok(status)
}

/// `ip addr` on the host: loopback, the LAN address the seed notes show,
/// and docker0.
pub fn ip(args: &[String], ctx: &mut Ctx) -> R {
    match args.get(1).map(String::as_str) {
        Some("a") | Some("addr") | Some("address") => {
            ctx.out(
                "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
    inet6 ::1/128 scope host noprefixroute
       valid_lft forever preferred_lft forever
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000
    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff
    inet 192.168.1.10/24 brd 192.168.1.255 scope global dynamic eth0
       valid_lft 86203sec preferred_lft 86203sec
3: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default
    link/ether 02:42:7c:1e:9a:33 brd ff:ff:ff:ff:ff:ff
    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0
       valid_lft forever preferred_lft forever
",
            );
            Ok(0)
        }
        Some(other) => {
            ctx.errln(format!("Object \"{other}\" is unknown, try \"ip help\"."));
            Ok(1)
        }
        None => {
            ctx.errln("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }");
            Ok(255)
        }
    }
}

/// `xargs cmd args...`: runs cmd with stdin's words appended.
pub fn xargs(args: &[String], ctx: &mut Ctx) -> R {
    let words: Vec<String> = ctx.stdin.split_whitespace().map(str::to_string).collect();
    let mut argv: Vec<String> = if args.len() > 1 {
        args[1..].to_vec()
    } else {
        vec!["echo".to_string()]
    };
    if words.is_empty() && argv[0] != "echo" {
        // GNU xargs runs the command once even with no input.
    }
    argv.extend(words);
    let saved = std::mem::take(&mut ctx.stdin);
    let result = super::dispatch(&argv, ctx);
    ctx.stdin = saved;
    result
}

/// awk's most used program: `{print $1}` (fields, `$0`, `NF`, `-F`).
pub fn awk(args: &[String], ctx: &mut Ctx) -> R {
    let mut sep: Option<String> = None;
    let mut program: Option<String> = None;
    let mut files = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        if a == "-F" {
            i += 1;
            sep = args.get(i).cloned();
        } else if let Some(s) = a.strip_prefix("-F") {
            sep = Some(s.to_string());
        } else if program.is_none() {
            program = Some(a.clone());
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    let Some(program) = program else {
        ctx.errln("usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]");
        return Ok(2);
    };
    let body = program
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .trim();
    let Some(list) = body.strip_prefix("print") else {
        ctx.errln(format!(
            "awk: Tidepool's awk runs {{print ...}} programs only: {program}"
        ));
        return Ok(2);
    };
    let mut input = String::new();
    if files.is_empty() {
        input = ctx.stdin.clone();
    } else {
        for f in &files {
            let path = ctx.path(f);
            match ctx.fs(|fs| crate::vfs::read_text(fs, &path)) {
                Ok(t) => input.push_str(&t),
                Err(e) => {
                    ctx.errln(format!("awk: cannot open \"{f}\" ({e})"));
                    return Ok(2);
                }
            }
        }
    }
    let items: Vec<String> = list
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let mut out = String::new();
    for line in input.lines() {
        let fields: Vec<&str> = match &sep {
            Some(s) if !s.is_empty() && s != " " => line.split(s.as_str()).collect(),
            _ => line.split_whitespace().collect(),
        };
        let values: Vec<String> = if items.is_empty() {
            vec![line.to_string()]
        } else {
            items
                .iter()
                .map(|item| match item.as_str() {
                    "$0" => line.to_string(),
                    "NF" => fields.len().to_string(),
                    "$NF" => fields.last().copied().unwrap_or("").to_string(),
                    s if s.starts_with('$') => s[1..]
                        .parse::<usize>()
                        .ok()
                        .and_then(|n| fields.get(n.wrapping_sub(1)))
                        .copied()
                        .unwrap_or("")
                        .to_string(),
                    s if s.starts_with('"') => s.trim_matches('"').to_string(),
                    s => s.to_string(),
                })
                .collect()
        };
        out.push_str(&values.join(" "));
        out.push('\n');
    }
    ctx.out(out);
    Ok(0)
}

/// `nano FILE`, `vi FILE`: the browser opens its editor; a terminal
/// without one says how to write the file instead.
pub fn editor(args: &[String], ctx: &mut Ctx) -> R {
    let file = args
        .iter()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .cloned()
        .unwrap_or_default();
    // The editor takes the screen: not from a pipe, a redirect or `$(…)`.
    if ctx.editor_available && ctx.stdout_tty && ctx.depth == 0 && !file.is_empty() {
        let path = ctx.path(&file);
        let (is_dir, text) = ctx.fs(|fs| {
            (
                fs.is_dir(&path),
                crate::vfs::read_text(&*fs, &path).unwrap_or_default(),
            )
        });
        if is_dir {
            ctx.errln(format!("{}: {file}: Is a directory", args[0]));
            return Ok(1);
        }
        let container = match &ctx.target {
            crate::exec::Target::Machine => None,
            crate::exec::Target::Container(id) => Some(id.clone()),
        };
        ctx.edit = Some(crate::EditRequest {
            path,
            container,
            text,
        });
        return Ok(0);
    }
    ctx.errln(format!(
        "{}: Tidepool's terminal has no full-screen editor here. Write the file with:\n  cat > {} <<'EOF'\n  ...\n  EOF",
        args[0],
        if file.is_empty() { "FILE" } else { &file }
    ));
    let _ = Content::Bytes(Vec::new());
    Ok(1)
}

/// `man`: the machine is a minimized Ubuntu server, where /usr/bin/man is
/// the stand-in that says so (as it is in the ubuntu image).
pub fn man(_: &[String], ctx: &mut Ctx) -> R {
    ctx.out(
        "This system has been minimized by removing packages and content that are\n\
         not required on a system that users do not log into.\n\
         \n\
         To restore this content, including manpages, you can run the 'unminimize'\n\
         command. You will still need to ensure the 'man-db' package is installed.\n",
    );
    Ok(0)
}
