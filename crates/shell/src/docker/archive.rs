//! Archives on the machine's disk: `docker save`/`load` (images with their
//! layers and tags) and `docker export`/`import` (a container's flattened
//! filesystem).

use super::flags::Parsed;
use super::{daemon_error, Invocation};
use crate::exec::Ctx;
use crate::vfs;

/// Writes archive bytes to `-o FILE`, or to stdout unless that is the
/// terminal (docker refuses to print binary to a terminal).
fn emit(bytes: Vec<u8>, output: Option<&str>, what: &str, ctx: &mut Ctx) -> i32 {
    match output {
        Some(file) => {
            let path = ctx.path(file);
            match vfs::write_bytes(ctx.host.machine_fs_mut(), &path, bytes) {
                Ok(()) => 0,
                Err(e) => {
                    ctx.errln(format!(
                        "failed to {what}: open {file}: {}",
                        e.to_string().to_lowercase()
                    ));
                    1
                }
            }
        }
        None if ctx.stdout_tty => {
            ctx.errln(format!(
                "cowardly refusing to {what} to a terminal. Use the -o flag or redirect"
            ));
            1
        }
        None => {
            ctx.out(String::from_utf8_lossy(&bytes));
            0
        }
    }
}

/// Reads archive bytes from `-i FILE`, or stdin.
fn input(file: Option<&str>, ctx: &mut Ctx) -> Result<Vec<u8>, i32> {
    match file {
        Some(f) => {
            let path = ctx.path(f);
            vfs::read_bytes(ctx.host.machine_fs(), &path).map_err(|_| {
                ctx.errln(format!("open {f}: no such file or directory"));
                1
            })
        }
        None if ctx.stdin.is_empty() => {
            ctx.errln("requested load from stdin, but stdin is empty");
            Err(1)
        }
        None => Ok(ctx.stdin.clone().into_bytes()),
    }
}

pub fn save(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    // The CLI checks the output's folder before it asks the daemon.
    if let Some(file) = p.last("output") {
        let path = ctx.path(file);
        let dir = match path.rsplit_once('/') {
            Some(("", _)) | None => "/".to_string(),
            Some((dir, _)) => dir.to_string(),
        };
        if !ctx.host.machine_fs().is_dir(&dir) {
            ctx.errln(format!(
                "failed to save image: invalid output path: stat {dir}: no such file or directory"
            ));
            return 1;
        }
    }
    match ctx.host.image_save(&p.operands) {
        Ok(bytes) => emit(bytes, p.last("output"), "save", ctx),
        Err(e) => {
            daemon_error(&e, ctx);
            1
        }
    }
}

pub fn load(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let bytes = match input(p.last("input"), ctx) {
        Ok(b) => b,
        Err(code) => return code,
    };
    match ctx.host.image_load(&bytes) {
        Ok(lines) => {
            if !p.flag("quiet") {
                for l in lines {
                    ctx.outln(l);
                }
            }
            0
        }
        Err(e) => {
            daemon_error(&e, ctx);
            1
        }
    }
}

pub fn export(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    match ctx.host.container_export(&p.operands[0]) {
        Ok(bytes) => emit(bytes, p.last("output"), "export", ctx),
        Err(e) => {
            daemon_error(&e, ctx);
            1
        }
    }
}

pub fn import(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let file = p.operands[0].as_str();
    let bytes = match input(if file == "-" { None } else { Some(file) }, ctx) {
        Ok(b) => b,
        Err(code) => return code,
    };
    match ctx.host.image_import(
        &bytes,
        p.operands.get(1).map(String::as_str),
        p.last("message").unwrap_or(""),
    ) {
        Ok(id) => {
            ctx.outln(id);
            0
        }
        Err(e) => {
            daemon_error(&e, ctx);
            1
        }
    }
}
