//! Lifecycle commands that act on one or more containers and echo each
//! name as typed: start, stop, restart, kill, rm, wait.

use super::flags::Parsed;
use super::Invocation;
use crate::exec::Ctx;
use crate::job::{self, JobKind};
use tidepool_engine::programs::Signal;
use tidepool_engine::EngineError;

/// Prints collected daemon errors the way `errors.Join` does, and the exit code.
fn finish(errors: Vec<String>, ctx: &mut Ctx) -> i32 {
    if errors.is_empty() {
        return 0;
    }
    ctx.errln(errors.join("\n"));
    1
}

fn daemon(e: &EngineError) -> String {
    format!("Error response from daemon: {e}")
}

pub fn start(inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let attach = p.flag("attach") || p.flag("interactive");
    if attach {
        if p.operands.len() > 1 {
            ctx.errln("you cannot start and attach multiple containers at once");
            return 1;
        }
        let name = &p.operands[0];
        let handle = match ctx.host.container_attach(name) {
            Ok(h) => h,
            Err(e) => {
                ctx.errln(daemon(&e));
                return 1;
            }
        };
        if let Err(e) = ctx.host.container_start(name) {
            ctx.host.attach_close(handle);
            ctx.errln(daemon(&e));
            return 1;
        }
        let container = ctx.host.container_id(name).unwrap_or_else(|_| name.clone());
        if p.flag("interactive") {
            if let Some(code) = super::run::open_main_shell(&container, handle, ctx) {
                return code;
            }
        }
        super::exec::drive_main_process(&container, ctx);
        return job::attach(
            JobKind::Attach {
                handle,
                container,
                sig_proxy: true,
            },
            ctx,
        );
    }
    let _ = inv;
    let mut failed = Vec::new();
    for name in &p.operands {
        match ctx.host.container_start(name) {
            Ok(_) => {
                super::exec::drive_main_process(name, ctx);
                ctx.outln(name);
            }
            Err(e) => {
                ctx.errln(daemon(&e));
                failed.push(name.clone());
            }
        }
    }
    if failed.is_empty() {
        return 0;
    }
    ctx.errln(format!("failed to start containers: {}", failed.join(", ")));
    1
}

fn timeout(p: &Parsed) -> Option<i64> {
    p.last("timeout")
        .or(p.last("time"))
        .and_then(|t| t.parse().ok())
}

fn signal(p: &Parsed, ctx: &mut Ctx) -> Result<Option<Signal>, i32> {
    match p.last("signal") {
        None => Ok(None),
        Some(s) => match Signal::parse(s) {
            Some(sig) => Ok(Some(sig)),
            None => {
                ctx.errln(format!("Error response from daemon: Invalid signal: {s}"));
                Err(1)
            }
        },
    }
}

pub fn stop(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let sig = match signal(p, ctx) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut errors = Vec::new();
    for name in &p.operands {
        match ctx.host.container_stop(name, timeout(p), sig) {
            Ok(_) => ctx.outln(name),
            Err(e) => errors.push(daemon(&e)),
        }
    }
    finish(errors, ctx)
}

pub fn restart(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let sig = match signal(p, ctx) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut errors = Vec::new();
    for name in &p.operands {
        let result = ctx
            .host
            .container_stop(name, timeout(p), sig)
            .and_then(|_| ctx.host.container_start(name));
        match result {
            Ok(_) => {
                super::exec::drive_main_process(name, ctx);
                ctx.outln(name);
            }
            Err(e) => errors.push(daemon(&e)),
        }
    }
    finish(errors, ctx)
}

pub fn kill(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let sig = match signal(p, ctx) {
        Ok(s) => s.unwrap_or(Signal::Kill),
        Err(code) => return code,
    };
    let mut errors = Vec::new();
    for name in &p.operands {
        match ctx.host.container_kill(name, sig) {
            Ok(()) => ctx.outln(name),
            Err(e) => errors.push(daemon(&e)),
        }
    }
    finish(errors, ctx)
}

pub fn rm(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let force = p.flag("force");
    let mut errors = Vec::new();
    for name in &p.operands {
        match ctx.host.container_delete(name, force, p.flag("volumes")) {
            Ok(()) => ctx.outln(name),
            Err(EngineError::NoSuchContainer(_)) if force => {}
            Err(e) => errors.push(daemon(&e)),
        }
    }
    finish(errors, ctx)
}

pub fn wait(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    // It blocks like the CLI's: at the prompt a job that Ctrl-C ends, in
    // a script until the containers stop (or the blocking limit).
    let waits = p
        .operands
        .iter()
        .map(|name| match ctx.host.container_wait_begin(name) {
            Ok(Ok(handle)) => job::Waited::Handle(handle),
            Ok(Err(code)) => job::Waited::Code(code),
            Err(e) => job::Waited::Error(daemon(&e)),
        })
        .collect();
    job::attach(job::JobKind::Wait { waits, next: 0 }, ctx)
}

/// `docker attach`: the container's output from now on, until it stops or
/// Ctrl-C (which, with --sig-proxy, reaches the container).
pub fn attach(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let name = &p.operands[0];
    if !ctx.host.container_running(name) {
        return match ctx.host.container_id(name) {
            Err(e) => {
                ctx.errln(daemon(&e));
                1
            }
            Ok(_) => {
                ctx.errln("You cannot attach to a stopped container, start it first");
                1
            }
        };
    }
    let handle = match ctx.host.container_attach(name) {
        Ok(h) => h,
        Err(e) => {
            ctx.errln(daemon(&e));
            return 1;
        }
    };
    let container = ctx.host.container_id(name).unwrap_or_else(|_| name.clone());
    let sig_proxy = !p.has("sig-proxy") || p.flag("sig-proxy");
    job::attach(
        JobKind::Attach {
            handle,
            container,
            sig_proxy,
        },
        ctx,
    )
}
