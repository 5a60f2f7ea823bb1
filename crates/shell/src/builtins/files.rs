//! Files on the machine: ls, cat, cd, pwd, mkdir, rm, rmdir, touch, cp, mv.

use super::split_opts;
use crate::exec::{Control, Ctx};
use crate::vfs::{self, FsError};
use tidepool_engine::fs::{base_name, Content, Node, ReadFs};

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
    let (exists, is_dir) = ctx.fs(|fs| (fs.exists(&path), fs.is_dir(&fs.resolve(&path))));
    if !exists {
        ctx.errln(format!("bash: cd: {target}: No such file or directory"));
        return Ok(1);
    }
    if !is_dir {
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
        match ctx.fs(|fs| vfs::read_text(fs, &path)) {
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
        let result = ctx.fs(|fs| -> Result<(), FsError> {
            if fs.exists(&path) {
                if parents && fs.is_dir(&path) {
                    return Ok(());
                }
                return Err(FsError::NotEmpty);
            }
            let parent = tidepool_engine::fs::parent(&path);
            if !parents && !fs.is_dir(parent) {
                return Err(if fs.exists(parent) {
                    FsError::NotDir
                } else {
                    FsError::NotFound
                });
            }
            Ok(fs.put(&path, Node::dir())?)
        });
        match result {
            Ok(()) => {}
            Err(FsError::NotEmpty) => {
                ctx.errln(format!("mkdir: cannot create directory '{d}': File exists"));
                status = 1;
            }
            Err(e) => {
                ctx.errln(format!("mkdir: cannot create directory '{d}': {e}"));
                status = 1;
            }
        }
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
        let result = ctx.fs(|fs| {
            if fs.exists(&path) {
                Ok(())
            } else {
                vfs::write_bytes(fs, &path, Vec::new())
            }
        });
        if let Err(e) = result {
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
        if path == "/" {
            ctx.errln("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe");
            status = 1;
            continue;
        }
        let result = ctx.fs(|fs| match fs.node(&path) {
            None => Err(FsError::NotFound),
            Some(Node::Dir { .. }) if !recursive => Err(FsError::IsDir),
            Some(_) => fs.delete(&path).map(|_| ()).map_err(FsError::from),
        });
        match result {
            Ok(()) => {}
            Err(FsError::NotFound) if force => {}
            Err(e) => {
                ctx.errln(format!("rm: cannot remove '{f}': {e}"));
                status = 1;
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
        let result = ctx.fs(|fs| match fs.node(&path) {
            None => Err(FsError::NotFound),
            Some(Node::Dir { .. }) if !fs.list(&path).is_empty() => Err(FsError::NotEmpty),
            Some(Node::Dir { .. }) => fs.delete(&path).map(|_| ()).map_err(FsError::from),
            Some(_) => Err(FsError::NotDir),
        });
        if let Err(e) = result {
            ctx.errln(format!("rmdir: failed to remove '{d}': {e}"));
            status = 1;
        }
    }
    Ok(status)
}

/// Shared by cp and mv: where `src` lands when the last operand is `dest`.
fn destination(ctx: &mut Ctx, src: &str, dest: &str, many: bool) -> Result<String, String> {
    let dest_path = ctx.path(dest);
    let src_name = base_name(&ctx.path(src)).to_string();
    let dest_is_dir = ctx.fs(|fs| fs.is_dir(&dest_path));
    if dest_is_dir {
        Ok(format!("{}/{src_name}", dest_path.trim_end_matches('/')))
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
        let node = ctx.fs(|fs| fs.node(&src_path));
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
                if let Err(e) = ctx.fs(|fs| vfs::copy_tree(fs, &src_path, &target)) {
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
        if !ctx.fs(|fs| fs.exists(&src_path)) {
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
        let result = ctx.fs(|fs| {
            vfs::copy_tree(fs, &src_path, &target)?;
            fs.delete(&src_path).map(|_| ()).map_err(FsError::from)
        });
        if let Err(e) = result {
            ctx.errln(format!("mv: cannot move '{src}' to '{dest}': {e}"));
            status = 1;
        }
    }
    Ok(status)
}

/// `rwxr-xr-x` for a mode's permission bits; setuid, setgid and the
/// sticky bit show in the execute places (`rwsr-xr-x`, `rwxrwxrwt`, and
/// capitals when that execute bit is off), as GNU and busybox ls write them.
pub fn permission_string(mode: u32) -> String {
    let mut s = String::new();
    for (shift, special, mark) in [(6, 0o4000, 's'), (3, 0o2000, 's'), (0, 0o1000, 't')] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(match (bits & 1 != 0, mode & special != 0) {
            (true, false) => 'x',
            (false, false) => '-',
            (true, true) => mark,
            (false, true) => mark.to_ascii_uppercase(),
        });
    }
    s
}

/// du -h's sizes from kilobytes: `4.0K`, `12K`, `1.5M`.
pub fn human_kb(kb: u64) -> String {
    human(kb * 1024)
}

fn mode_string(node: &Node) -> String {
    let (kind, mode) = match node {
        Node::Dir { meta, .. } => ('d', meta.mode),
        Node::File { meta, .. } => ('-', meta.mode),
        Node::Symlink { .. } => ('l', 0o777),
        Node::Whiteout => ('c', 0),
    };
    let mut s = String::from(kind);
    s.push_str(&permission_string(mode));
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
    let opts = LsOpts {
        long: short.contains(&'l'),
        all: short.contains(&'a'),
        almost: short.contains(&'A'),
        // Into a pipe or a file, ls writes one name per line.
        one: short.contains(&'1') || !ctx.stdout_tty,
        human: short.contains(&'h'),
        recursive: short.contains(&'R'),
        directory: short.contains(&'d'),
    };
    if ops.is_empty() {
        ops.push(".".to_string());
    }
    let paths: Vec<(String, String)> = ops.iter().map(|op| (op.clone(), ctx.path(op))).collect();
    let now = ctx.host.now();
    let (text, errors) = ctx.fs(|fs| ls_render(fs, &paths, &opts, now));
    let status = if errors.is_empty() { 0 } else { 2 };
    for e in errors {
        ctx.errln(e);
    }
    ctx.out(text);
    Ok(status)
}

struct LsOpts {
    long: bool,
    all: bool,
    almost: bool,
    one: bool,
    human: bool,
    recursive: bool,
    /// `-d`: directories are listed themselves, not their contents.
    directory: bool,
}

fn ls_render(
    fs: &dyn ReadFs,
    ops: &[(String, String)],
    o: &LsOpts,
    now: tidepool_engine::Timestamp,
) -> (String, Vec<String>) {
    let mut errors = Vec::new();
    let mut files: Vec<(String, String)> = Vec::new();
    let mut dirs: Vec<(String, String)> = Vec::new();
    for (op, path) in ops {
        if !fs.exists(path) {
            errors.push(format!(
                "ls: cannot access '{op}': No such file or directory"
            ));
        } else if fs.is_dir(&fs.resolve(path)) && !o.directory {
            dirs.push((op.clone(), fs.resolve(path)));
        } else {
            files.push((op.clone(), path.clone()));
        }
    }
    let show_headers = ops.len() > 1 || o.recursive;
    let mut blocks: Vec<String> = Vec::new();
    if !files.is_empty() {
        blocks.push(render(fs, &files, o, now));
    }
    let mut queue = dirs;
    let mut i = 0;
    while i < queue.len() {
        let (label, path) = queue[i].clone();
        i += 1;
        let mut entries: Vec<(String, String)> = Vec::new();
        if o.all {
            entries.push((".".into(), path.clone()));
            entries.push(("..".into(), tidepool_engine::fs::parent(&path).to_string()));
        }
        for name in fs.list(&path) {
            if name.starts_with('.') && !o.all && !o.almost {
                continue;
            }
            let child = if path == "/" {
                format!("/{name}")
            } else {
                format!("{path}/{name}")
            };
            if o.recursive && fs.is_dir(&child) {
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
        if o.long {
            let total: u64 = entries
                .iter()
                .map(|(_, p)| fs.node(p).map(|n| n.size()).unwrap_or(0).div_ceil(4096) * 4)
                .sum();
            block.push_str(&format!("total {total}\n"));
        }
        block.push_str(&render(fs, &entries, o, now));
        blocks.push(block);
    }
    (blocks.join("\n"), errors)
}

fn render(
    fs: &dyn ReadFs,
    entries: &[(String, String)],
    o: &LsOpts,
    now: tidepool_engine::Timestamp,
) -> String {
    if entries.is_empty() {
        return String::new();
    }
    if o.long {
        let when = {
            let c = now.civil();
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
                let node = fs.node(path).unwrap_or_else(Node::dir);
                let size = match &node {
                    Node::Dir { .. } => 4096,
                    Node::File {
                        content: Content::Bytes(b),
                        ..
                    } => b.len() as u64,
                    other => other.size(),
                };
                let size = if o.human {
                    human(size)
                } else {
                    size.to_string()
                };
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
    } else if o.one {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_bits_show_in_the_execute_places() {
        assert_eq!(permission_string(0o755), "rwxr-xr-x");
        assert_eq!(permission_string(0o1777), "rwxrwxrwt");
        assert_eq!(permission_string(0o1770), "rwxrwx--T");
        assert_eq!(permission_string(0o4755), "rwsr-xr-x");
        assert_eq!(permission_string(0o2644), "rw-r-Sr--");
    }
}
