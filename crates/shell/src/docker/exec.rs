//! `docker exec`: runs a command inside a running container. Commands the
//! container's image has (`ls`, `cat`, `sh`...) run through this crate's
//! shell over the container's filesystem, environment and working
//! directory; `-it` with a shell opens an interactive container prompt.

use super::flags::Parsed;
use super::{daemon_error, Invocation};
use crate::exec::{Control, Ctx, Flavor, Shell, Target};
use crate::Session;
use tidepool_engine::fs::ReadFs;
use tidepool_engine::EngineError;

/// Which shell a program spec is, for prompts and error wording.
pub fn flavor(program: &str, container: &str, ctx: &mut Ctx) -> Flavor {
    match program {
        "bash" => Flavor::Bash,
        "ash" => Flavor::Ash,
        "dash" => Flavor::Dash,
        _ => {
            let busybox = ctx
                .host
                .container_fs_mut(container)
                .map(|fs| fs.exists("/bin/busybox"))
                .unwrap_or(false);
            if busybox {
                Flavor::Ash
            } else {
                Flavor::Dash
            }
        }
    }
}

/// A container's /etc/passwd, for whom `USER` names.
pub fn passwd_of(container: &str, ctx: &mut Ctx) -> String {
    ctx.host
        .container_fs_mut(container)
        .ok()
        .and_then(|fs| crate::vfs::read_text(&fs, "/etc/passwd").ok())
        .unwrap_or_default()
}

pub fn is_shell(program: &str) -> bool {
    matches!(program, "sh" | "bash" | "ash" | "dash")
}

/// Runs `argv` inside `container` with `shell` as the calling shell's state.
/// `tty`: its stdout is a terminal (`-t`), so `ls` lays names out in
/// columns; otherwise it is a pipe, one name per line.
pub fn run_inside(
    container: &str,
    argv: &[String],
    shell: &mut Shell,
    stdin: String,
    tty: bool,
    ctx: &mut Ctx,
) -> (i32, Vec<(u32, String)>) {
    let mut sub = Ctx::new(&mut *ctx.host, shell);
    sub.target = Target::Container(container.to_string());
    sub.stdout_tty = tty;
    sub.stdin = stdin;
    sub.plain_progress = ctx.plain_progress;
    let status = match crate::builtins::dispatch(argv, &mut sub) {
        Ok(s) => s,
        Err(Control::Exit(code)) => code,
        Err(_) => sub.shell.last_status,
    };
    (status, sub.chunks)
}

pub fn exec(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let name = &p.operands[0];
    let argv: Vec<String> = p.operands[1..].to_vec();
    // The CLI reads --env-file before it asks the daemon anything.
    let from_files = match super::run::env_file_lines(p, ctx) {
        Ok(lines) => lines,
        Err(e) => {
            ctx.errln(e);
            return 1;
        }
    };
    let target = match ctx.host.exec_resolve(name, &argv[0]) {
        Ok(t) => t,
        Err(e @ EngineError::ExecNotFound(_)) => {
            ctx.errln(e.to_string());
            return 127;
        }
        Err(e) => {
            daemon_error(&e, ctx);
            return 1;
        }
    };
    let program = target
        .program
        .split(':')
        .next()
        .unwrap_or_default()
        .to_string();
    let mut env = target.env.clone();
    for e in from_files.into_iter().chain(p.all("env")) {
        if e.contains('=') {
            env.push(e);
        } else if let Some(v) = ctx.shell.var(&e) {
            env.push(format!("{e}={v}"));
        }
    }
    let workdir = p
        .last("workdir")
        .map(str::to_string)
        .unwrap_or(target.working_dir.clone());
    let flavor = flavor(&program, &target.container, ctx);
    let mut shell = Shell::for_container(flavor, &env, &workdir, &target.hostname);
    let user = p
        .last("user")
        .map(str::to_string)
        .unwrap_or(target.user.clone());
    let passwd = passwd_of(&target.container, ctx);
    shell.as_user(&user, &passwd);
    shell.argv0.clone_from(&argv[0]);
    let interactive = p.flag("interactive");
    if is_shell(&program) && argv.len() == 1 && interactive && !p.flag("detach") {
        if ctx.foreground_ok {
            ctx.new_session = Some(Session {
                shell,
                container: target.container,
                main: false,
            });
        }
        return 0;
    }
    let stdin = if interactive {
        ctx.stdin.clone()
    } else {
        String::new()
    };
    let tty = p.flag("tty");
    let (status, chunks) = run_inside(&target.container, &argv, &mut shell, stdin, tty, ctx);
    if !p.flag("detach") {
        for (fd, text) in chunks {
            if fd == 1 {
                ctx.out(text);
            } else {
                ctx.err(text);
            }
        }
    }
    status
}

/// Runs a container's main process when it is one this crate simulates (a
/// plain command or a shell script, see the engine's `CLIENT_RUN`): its
/// output goes to the container's logs and attached clients, and its exit
/// stops the container. A shell script runs as time passes (see mainproc);
/// other commands run to the end at once.
pub fn drive_main_process(container: &str, ctx: &mut Ctx) {
    let Some(argv) = ctx.host.client_command(container) else {
        return;
    };
    ctx.host.claim_client_main(container);
    let Ok(target) = ctx.host.exec_resolve(container, &argv[0]) else {
        return;
    };
    let program = target
        .program
        .split(':')
        .next()
        .unwrap_or_default()
        .to_string();
    let flavor = flavor(&program, &target.container, ctx);
    let mut shell =
        Shell::for_container(flavor, &target.env, &target.working_dir, &target.hostname);
    let passwd = passwd_of(&target.container, ctx);
    shell.as_user(&target.user, &passwd);
    let tty = target.tty;
    let script =
        crate::mainproc::script_text(&target.container, &argv, &target.working_dir, ctx.host);
    if let Some(text) = script {
        if crate::mainproc::begin(
            &target.container,
            &argv,
            &text,
            shell.clone(),
            tty,
            ctx.host,
        ) {
            return;
        }
    }
    let (status, chunks) = run_inside(
        &target.container,
        &argv,
        &mut shell,
        String::new(),
        tty,
        ctx,
    );
    for (fd, text) in chunks {
        let _ = ctx
            .host
            .container_main_output(&target.container, fd == 2, &text);
    }
    let _ = ctx.host.container_main_exit(&target.container, status);
}
