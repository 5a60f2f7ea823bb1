//! `docker cp`: files and directories between the machine and a container
//! (running or not), with the CLI's path rules: `dir/.` copies a directory's
//! contents, an existing directory destination receives the source inside
//! it, and a summary line on stderr.

use super::flags::Parsed;
use super::Invocation;
use crate::exec::Ctx;
use tidepool_engine::fs::{base_name, normalize, parent, Filesystem, Node, ReadFs};

/// `container:path` or a local path.
enum End {
    Local(String),
    Container(String, String),
}

fn split(arg: &str) -> End {
    // A colon before any slash names a container (`web:/etc`, `web:.`).
    match arg.split_once(':') {
        Some((c, p)) if !c.is_empty() && !c.contains('/') => {
            End::Container(c.to_string(), p.to_string())
        }
        _ => End::Local(arg.to_string()),
    }
}

/// Reads the source as (path relative to the copied root, node) pairs; the
/// first entry is the root itself unless only its contents are copied.
fn collect(fs: &dyn ReadFs, path: &str, contents_only: bool) -> Option<Vec<(String, Node)>> {
    let real = fs.resolve(path);
    let node = fs.node(&real)?;
    let mut out = Vec::new();
    if !contents_only || !node.is_dir() {
        out.push((String::new(), node.clone()));
    }
    if node.is_dir() {
        for (p, n) in fs.walk(&real) {
            out.push((p[real.len()..].to_string(), n));
        }
    }
    Some(out)
}

/// The bytes a tar of these entries would take, as the CLI counts them.
fn tar_size(entries: &[(String, Node)]) -> u64 {
    let body: u64 = entries
        .iter()
        .map(|(_, n)| 512 + n.size().div_ceil(512) * 512)
        .sum();
    body + 1024
}

/// Where the copy lands: into an existing directory, or as `dest` itself.
fn place(
    fs: &dyn ReadFs,
    src_name: &str,
    dest: &str,
    contents_only: bool,
    src_is_dir: bool,
) -> Result<String, String> {
    if fs.is_dir(&fs.resolve(dest)) {
        if contents_only && src_is_dir {
            return Ok(fs.resolve(dest));
        }
        return Ok(normalize(&fs.resolve(dest), src_name));
    }
    if fs.exists(dest) && src_is_dir {
        return Err(format!("cannot copy a directory to a file: {dest}"));
    }
    if !fs.is_dir(&fs.resolve(parent(dest))) {
        return Err(format!("no such directory: {}", parent(dest)));
    }
    Ok(dest.to_string())
}

fn write(fs: &mut dyn Filesystem, root: &str, entries: Vec<(String, Node)>) -> Result<(), String> {
    for (rel, node) in entries {
        let path = if rel.is_empty() {
            root.to_string()
        } else {
            format!("{}{rel}", root.trim_end_matches('/'))
        };
        fs.put(&path, node)
            .map_err(|_| format!("{path}: Read-only file system"))?;
    }
    Ok(())
}

pub fn cp(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let (src, dest) = (split(&p.operands[0]), split(&p.operands[1]));
    let src_text = p.operands[0].clone();
    let contents_only = src_text.ends_with("/.");
    let result = match (src, dest) {
        (End::Local(_), End::Local(_)) => {
            Err("must specify at least one container source".to_string())
        }
        (End::Container(..), End::Container(..)) => {
            Err("copying between containers is not supported".to_string())
        }
        (End::Local(from), End::Container(name, to)) => {
            let from_path = ctx.path(&from);
            let entries = match collect(ctx.host.machine_fs(), &from_path, contents_only) {
                Some(e) => e,
                None => {
                    ctx.errln(format!("lstat {from_path}: no such file or directory"));
                    return 1;
                }
            };
            let src_is_dir = ctx.host.machine_fs().is_dir(&from_path);
            let size = tar_size(&entries);
            let shown = format!("{name}:{to}");
            match ctx.host.container_archive_fs_mut(&name) {
                Err(e) => Err(format!("Error response from daemon: {e}")),
                Ok(mut fs) => {
                    let cwd = "/";
                    let to_abs = normalize(cwd, &to);
                    place(
                        &fs,
                        base_name(&from_path),
                        &to_abs,
                        contents_only,
                        src_is_dir,
                    )
                    .map_err(|e| format!("Error response from daemon: {e}"))
                    .and_then(|root| write(&mut fs, &root, entries))
                    .map(|_| (size, shown))
                }
            }
        }
        (End::Container(name, from), End::Local(to)) => {
            let from_abs = normalize("/", &from);
            let collected = match ctx.host.container_archive_fs_mut(&name) {
                Err(e) => Err(format!("Error response from daemon: {e}")),
                Ok(fs) => match collect(&fs, &from_abs, contents_only) {
                    Some(e) => Ok((e, fs.is_dir(&fs.resolve(&from_abs)))),
                    None => Err(format!("Error response from daemon: Could not find the file {from_abs} in container {name}")),
                },
            };
            match collected {
                Err(e) => Err(e),
                Ok((entries, src_is_dir)) => {
                    let to_path = ctx.path(&to);
                    let size = tar_size(&entries);
                    let machine = ctx.host.machine_fs_mut();
                    place(
                        machine,
                        base_name(&from_abs),
                        &to_path,
                        contents_only,
                        src_is_dir,
                    )
                    .and_then(|root| write(machine, &root, entries))
                    .map(|_| (size, to_path))
                }
            }
        }
    };
    match result {
        Ok((size, shown)) => {
            if !p.flag("quiet") {
                ctx.errln(format!(
                    "Successfully copied {} to {shown}",
                    super::table::human_size(size)
                ));
            }
            0
        }
        Err(e) => {
            ctx.errln(e);
            1
        }
    }
}
