//! Files on the machine: ls, cat, cd, pwd, mkdir, rm, rmdir, touch, cp, mv.

use super::split_opts;
use crate::exec::{Control, Ctx};
use crate::vfs::{self, FsError};
use tidepool_engine::fs::{base_name, Content, Node};

type R = Result<i32, Control>;

pub fn pwd(_args: &[String], ctx: &mut Ctx) -> R {
    let cwd = ctx.shell.cwd.clone();
    ctx.outln(cwd);
    Ok(0)
}

pub fn cd(args: &[String], ctx: &mut Ctx) -> R {
    if args.len() > 2 {
        ctx.errln("bash: cd: too many arguments");
        return Ok(1);
    }
    let target = match args.get(1).map(String::as_str) {
        None | Some("~") => ctx.shell.home(),
        Some("-") => match ctx.shell.var("OLDPWD") {
            Some(old) => {
                let old = old.to_string();
                ctx.outln(&old);
                old
            }
            None => {
                ctx.errln("bash: cd: OLDPWD not set");
                return Ok(1);
            }
        },
        Some(p) => p.to_string(),
    };
    let path = ctx.path(&target);
    let fs = ctx.host.machine_fs();
    if !fs.exists(&path) {
        ctx.errln(format!("bash: cd: {target}: No such file or directory"));
        return Ok(1);
    }
    if !fs.is_dir(&path) {
        ctx.errln(format!("bash: cd: {target}: Not a directory"));
        return Ok(1);
    }
    let old = std::mem::replace(&mut ctx.shell.cwd, path.clone());
    ctx.shell.vars.insert("OLDPWD".into(), old);
    ctx.shell.vars.insert("PWD".into(), path);
    Ok(0)
}

pub fn cat(args: &[String], ctx: &mut Ctx) -> R {
    let (_, _, files) = split_opts(&args[1..]);
    if files.is_empty() {
        let input = ctx.stdin.clone();
        ctx.out(input);
        return Ok(0);
    }
    let mut status = 0;
    for f in files {
        if f == "-" {
            let input = ctx.stdin.clone();
            ctx.out(input);
            continue;
        }
        let path = ctx.path(&f);
        match vfs::read_text(ctx.host.machine_fs(), &path) {
            Ok(text) => ctx.out(text),
            Err(e) => {
                ctx.errln(format!("cat: {f}: {e}"));
                status = 1;
            }
        }
    }
    Ok(status)
}

pub fn mkdir(args: &[String], ctx: &mut Ctx) -> R {
    let (short, long, dirs) = split_opts(&args[1..]);
    let parents = short.contains(&'p') || long.iter().any(|l| l == "parents");
    if dirs.is_empty() {
        ctx.errln("mkdir: missing operand\nTry 'mkdir --help' for more information.");
        return Ok(1);
    }
    let mut status = 0;
    for d in dirs {
        let path = ctx.path(&d);
        let fs = ctx.host.machine_fs_mut();
        if fs.exists(&path) {
            if parents && fs.is_dir(&path) {
                continue;
            }
            ctx.errln(format!("mkdir: cannot create directory '{d}': File exists"));
            status = 1;
            continue;
        }
        let parent = tidepool_engine::fs::parent(&path);
        if !parents && !fs.is_dir(parent) {
            let why = if fs.exists(parent) {
                FsError::NotDir
            } else {
                FsError::NotFound
            };
            ctx.errln(format!("mkdir: cannot create directory '{d}': {why}"));
            status = 1;
            continue;
        }
        fs.insert(&path, Node::dir());
    }
    Ok(status)
}

pub fn touch(args: &[String], ctx: &mut Ctx) -> R {
    let (_, _, files) = split_opts(&args[1..]);
    if files.is_empty() {
        ctx.errln("touch: missing file operand\nTry 'touch --help' for more information.");
        return Ok(1);
    }
    let mut status = 0;
    for f in files {
        let path = ctx.path(&f);
        let fs = ctx.host.machine_fs_mut();
        if fs.exists(&path) {
            continue;
        }
        if let Err(e) = vfs::write_bytes(fs, &path, Vec::new()) {
            ctx.errln(format!("touch: cannot touch '{f}': {e}"));
            status = 1;
        }
    }
    Ok(status)
}

pub fn rm(args: &[String], ctx: &mut Ctx) -> R {
    let (short, long, files) = split_opts(&args[1..]);
    let recursive =
        short.contains(&'r') || short.contains(&'R') || long.iter().any(|l| l == "recursive");
    let force = short.contains(&'f') || long.iter().any(|l| l == "force");
    if files.is_empty() && !force {
        ctx.errln("rm: missing operand\nTry 'rm --help' for more information.");
        return Ok(1);
    }
    let mut status = 0;
    for f in files {
        let path = ctx.path(&f);
        let fs = ctx.host.machine_fs_mut();
        if path == "/" {
            ctx.errln("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe");
            status = 1;
            continue;
        }
        match fs.get(&path) {
            None => {
                if !force {
                    ctx.errln(format!(
                        "rm: cannot remove '{f}': No such file or directory"
                    ));
                    status = 1;
                }
            }
            Some(Node::Dir { .. }) if !recursive => {
                ctx.errln(format!("rm: cannot remove '{f}': Is a directory"));
                status = 1;
            }
            Some(_) => {
                fs.remove_tree(&path);
            }
        }
    }
    Ok(status)
}

pub fn rmdir(args: &[String], ctx: &mut Ctx) -> R {
    let (_, _, dirs) = split_opts(&args[1..]);
    let mut status = 0;
    for d in dirs {
        let path = ctx.path(&d);
        let fs = ctx.host.machine_fs_mut();
        let err = match fs.get(&path) {
            None => Some(FsError::NotFound),
            Some(Node::Dir { .. }) if !fs.children(&path).is_empty() => Some(FsError::NotEmpty),
            Some(Node::Dir { .. }) => None,
            Some(_) => Some(FsError::NotDir),
        };
        match err {
            Some(e) => {
                ctx.errln(format!("rmdir: failed to remove '{d}': {e}"));
                status = 1;
            }
            None => {
                fs.remove_tree(&path);
            }
        }
    }
    Ok(status)
}

/// Shared by cp and mv: where `src` lands when the last operand is `dest`.
fn destination(ctx: &Ctx, src: &str, dest: &str, many: bool) -> Result<String, String> {
    let dest_path = ctx.path(dest);
    let fs = ctx.host.machine_fs();
    if fs.is_dir(&dest_path) {
        Ok(format!(
            "{}/{}",
            dest_path.trim_end_matches('/'),
            base_name(&ctx.path(src))
        ))
    } else if many {
        Err(format!("target '{dest}': Not a directory"))
    } else {
        Ok(dest_path)
    }
}

pub fn cp(args: &[String], ctx: &mut Ctx) -> R {
    let (short, long, ops) = split_opts(&args[1..]);
    let recursive =
        short.iter().any(|c| matches!(c, 'r' | 'R' | 'a')) || long.iter().any(|l| l == "recursive");
    if ops.len() < 2 {
        let msg = match ops.first() {
            None => "cp: missing file operand".to_string(),
            Some(f) => format!("cp: missing destination file operand after '{f}'"),
        };
        ctx.errln(format!("{msg}\nTry 'cp --help' for more information."));
        return Ok(1);
    }
    let (dest, srcs) = ops
        .split_last()
        .map(|(d, s)| (d.clone(), s.to_vec()))
        .unwrap_or_default();
    let mut status = 0;
    for src in &srcs {
        let src_path = ctx.path(src);
        let node = ctx.host.machine_fs().get(&src_path).cloned();
        let target = match destination(ctx, src, &dest, srcs.len() > 1) {
            Ok(t) => t,
            Err(e) => {
                ctx.errln(format!("cp: {e}"));
                return Ok(1);
            }
        };
        match node {
            None => {
                ctx.errln(format!(
                    "cp: cannot stat '{src}': No such file or directory"
                ));
                status = 1;
            }
            Some(Node::Dir { .. }) if !recursive => {
                ctx.errln(format!("cp: -r not specified; omitting directory '{src}'"));
                status = 1;
            }
            Some(_) => {
                if let Err(e) = vfs::copy_tree(ctx.host.machine_fs_mut(), &src_path, &target) {
                    ctx.errln(format!("cp: cannot create regular file '{dest}': {e}"));
                    status = 1;
                }
            }
        }
    }
    Ok(status)
}

pub fn mv(args: &[String], ctx: &mut Ctx) -> R {
    let (_, _, ops) = split_opts(&args[1..]);
    if ops.len() < 2 {
        let msg = match ops.first() {
            None => "mv: missing file operand".to_string(),
            Some(f) => format!("mv: missing destination file operand after '{f}'"),
        };
        ctx.errln(format!("{msg}\nTry 'mv --help' for more information."));
        return Ok(1);
    }
    let (dest, srcs) = ops
        .split_last()
        .map(|(d, s)| (d.clone(), s.to_vec()))
        .unwrap_or_default();
    let mut status = 0;
    for src in &srcs {
        let src_path = ctx.path(src);
        if !ctx.host.machine_fs().exists(&src_path) {
            ctx.errln(format!(
                "mv: cannot stat '{src}': No such file or directory"
            ));
            status = 1;
            continue;
        }
        let target = match destination(ctx, src, &dest, srcs.len() > 1) {
            Ok(t) => t,
            Err(e) => {
                ctx.errln(format!("mv: {e}"));
                return Ok(1);
            }
        };
        let fs = ctx.host.machine_fs_mut();
        match vfs::copy_tree(fs, &src_path, &target) {
            Ok(()) => {
                fs.remove_tree(&src_path);
            }
            Err(e) => {
                ctx.errln(format!("mv: cannot move '{src}' to '{dest}': {e}"));
                status = 1;
            }
        }
    }
    Ok(status)
}

fn mode_string(node: &Node) -> String {
    let (kind, mode) = match node {
        Node::Dir { meta, .. } => ('d', meta.mode),
        Node::File { meta, .. } => ('-', meta.mode),
        Node::Symlink { .. } => ('l', 0o777),
        Node::Whiteout => ('c', 0),
    };
    let mut s = String::from(kind);
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    s
}

fn human(size: u64) -> String {
    if size < 1024 {
        return size.to_string();
    }
    let units = ["K", "M", "G", "T"];
    let mut v = size as f64;
    let mut i = 0;
    while v >= 1024.0 && i < units.len() {
        v /= 1024.0;
        i += 1;
    }
    if v < 10.0 {
        format!("{:.1}{}", (v * 10.0).ceil() / 10.0, units[i - 1])
    } else {
        format!("{}{}", v.ceil() as u64, units[i - 1])
    }
}

pub fn ls(args: &[String], ctx: &mut Ctx) -> R {
    let (short, _long, mut ops) = split_opts(&args[1..]);
    let long_fmt = short.contains(&'l');
    let all = short.contains(&'a');
    let almost = short.contains(&'A');
    let one = short.contains(&'1');
    let hum = short.contains(&'h');
    let recursive = short.contains(&'R');
    if ops.is_empty() {
        ops.push(".".to_string());
    }
    let mut status = 0;
    let mut files: Vec<(String, String)> = Vec::new();
    let mut dirs: Vec<(String, String)> = Vec::new();
    for op in &ops {
        let path = ctx.path(op);
        let fs = ctx.host.machine_fs();
        if !fs.exists(&path) {
            ctx.errln(format!(
                "ls: cannot access '{op}': No such file or directory"
            ));
            status = 2;
        } else if fs.is_dir(&path) {
            dirs.push((op.clone(), path));
        } else {
            files.push((op.clone(), path));
        }
    }
    let show_headers = ops.len() > 1 || recursive;
    let mut blocks: Vec<String> = Vec::new();
    if !files.is_empty() {
        blocks.push(render(ctx, &files, long_fmt, one, hum, false));
    }
    let mut queue = dirs;
    let mut i = 0;
    while i < queue.len() {
        let (label, path) = queue[i].clone();
        i += 1;
        let fs = ctx.host.machine_fs();
        let mut entries: Vec<(String, String)> = Vec::new();
        if all {
            entries.push((".".into(), path.clone()));
            entries.push(("..".into(), tidepool_engine::fs::parent(&path).to_string()));
        }
        for name in fs.children(&path) {
            if name.starts_with('.') && !all && !almost {
                continue;
            }
            let child = if path == "/" {
                format!("/{name}")
            } else {
                format!("{path}/{name}")
            };
            if recursive && fs.is_dir(&child) {
                queue.push((
                    format!("{}/{name}", label.trim_end_matches('/')),
                    child.clone(),
                ));
            }
            entries.push((name, child));
        }
        let mut block = String::new();
        if show_headers {
            block.push_str(&format!("{label}:\n"));
        }
        if long_fmt {
            let total: u64 = entries
                .iter()
                .map(|(_, p)| {
                    ctx.host
                        .machine_fs()
                        .get(p)
                        .map(Node::size)
                        .unwrap_or(0)
                        .div_ceil(4096)
                        * 4
                })
                .sum();
            block.push_str(&format!("total {total}\n"));
        }
        block.push_str(&render(ctx, &entries, long_fmt, one, hum, true));
        blocks.push(block);
    }
    let text = blocks.join("\n");
    ctx.out(text);
    Ok(status)
}

fn render(
    ctx: &Ctx,
    entries: &[(String, String)],
    long_fmt: bool,
    one: bool,
    hum: bool,
    _in_dir: bool,
) -> String {
    let fs = ctx.host.machine_fs();
    if entries.is_empty() {
        return String::new();
    }
    if long_fmt {
        let when = {
            let c = ctx.host.now().civil();
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            format!(
                "{} {:>2} {:02}:{:02}",
                MONTHS[(c.month as usize + 11) % 12],
                c.day,
                c.hour,
                c.minute
            )
        };
        let rows: Vec<(String, String, String)> = entries
            .iter()
            .map(|(name, path)| {
                let node = fs.get(path).cloned().unwrap_or_else(Node::dir);
                let size = match &node {
                    Node::Dir { .. } => 4096,
                    Node::File {
                        content: Content::Bytes(b),
                        ..
                    } => b.len() as u64,
                    other => other.size(),
                };
                let size = if hum { human(size) } else { size.to_string() };
                let shown = match &node {
                    Node::Symlink { target } => format!("{name} -> {target}"),
                    _ => name.clone(),
                };
                (mode_string(&node), size, shown)
            })
            .collect();
        let width = rows.iter().map(|r| r.1.len()).max().unwrap_or(1);
        rows.iter()
            .map(|(mode, size, name)| format!("{mode} 1 root root {size:>width$} {when} {name}\n"))
            .collect()
    } else if one {
        entries.iter().map(|(n, _)| format!("{n}\n")).collect()
    } else {
        let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        columns(&names, 80)
    }
}

/// GNU ls's column layout for a terminal `width` wide: as few rows as
/// possible, filled column by column, two spaces between columns.
pub fn columns(names: &[&str], width: usize) -> String {
    let n = names.len();
    for rows in 1..=n {
        let cols = n.div_ceil(rows);
        let widths: Vec<usize> = (0..cols)
            .map(|c| {
                (0..rows)
                    .filter_map(|r| names.get(c * rows + r))
                    .map(|s| crate::docker::table::display_width(s))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let total: usize = widths.iter().sum::<usize>() + 2 * (cols.saturating_sub(1));
        if total <= width || rows == n {
            let mut out = String::new();
            for r in 0..rows {
                let mut line = String::new();
                for (c, width) in widths.iter().enumerate() {
                    if let Some(name) = names.get(c * rows + r) {
                        line.push_str(name);
                        if names.get((c + 1) * rows + r).is_some() {
                            let pad = width + 2 - crate::docker::table::display_width(name);
                            line.push_str(&" ".repeat(pad));
                        }
                    }
                }
                out.push_str(&line);
                out.push('\n');
            }
            return out;
        }
    }
    String::new()
}
