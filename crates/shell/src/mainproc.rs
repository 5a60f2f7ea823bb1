//! A shell script as a container's main process (`docker run -d alpine sh
//! -c 'while true; do date; sleep 1; done'`), run as time passes rather
//! than all at once.
//!
//! The script runs a step at a time: one top-level command, or one turn of
//! a top-level `for`/`while`/`until` loop. A step runs when the host's
//! virtual time reaches it, on a clock of its own that its `sleep`s move;
//! the next step falls due where that clock stopped. What a step prints is
//! stamped with the time it was written, and the engine's `ClientScript`
//! shows lines that lie ahead of the host as time reaches them. So `docker
//! logs` a few seconds after the start shows a few lines, the container is
//! still Up, and `docker stop` has a running shell to stop (it ignores
//! SIGTERM as PID 1, so that takes the 10 seconds it takes in Docker).
//! Files a step writes change when the step runs, at its start.

use crate::exec::{expand_word, run_list, Control, Ctx, Shell, Target, MAX_LOOP_STEPS, TIME_MARK};
use crate::syntax::{self, AndOr, Command, List};
use std::any::Any;
use tidepool_engine::programs::{ScriptNext, ScriptState, Stream};
use tidepool_engine::{Host, Millis, Timestamp};

/// Steps run per catch-up at most (a host `sleep 1d` next to a script that
/// prints every second is 86,400 of them).
const MAX_CATCH_UP: usize = 200_000;

#[derive(Clone, Debug)]
pub struct MainScript {
    shell: Shell,
    place: Place,
}

/// Where the script is: everything but the interpreter's own state.
#[derive(Clone, Debug)]
struct Place {
    container: String,
    tty: bool,
    list: List,
    next: usize,
    turn: Option<Turn>,
    status: i32,
}

/// A top-level loop in progress.
#[derive(Clone, Debug)]
enum Turn {
    For {
        var: String,
        values: Vec<String>,
        at: usize,
        body: List,
    },
    While {
        until: bool,
        cond: List,
        body: List,
    },
}

impl ScriptState for MainScript {
    fn clone_box(&self) -> Box<dyn ScriptState> {
        Box::new(self.clone())
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

/// The script a shell's command line runs: `sh -c TEXT` or `sh FILE`.
/// `None` when it is not a script (an interactive shell, an option this
/// does not model) or the file is missing: the caller runs it as before.
pub fn script_text(
    container: &str,
    argv: &[String],
    workdir: &str,
    host: &mut Host,
) -> Option<String> {
    let shell = argv.first()?.rsplit('/').next()?;
    if !matches!(shell, "sh" | "bash" | "ash" | "dash") {
        return None;
    }
    match argv.get(1).map(String::as_str) {
        Some("-c") => argv.get(2).cloned(),
        Some(file) if !file.starts_with('-') => {
            let fs = host.container_fs(container).ok()?;
            let cwd = if workdir.is_empty() { "/" } else { workdir };
            let path = tidepool_engine::fs::normalize(cwd, file);
            crate::vfs::read_text(&fs, &path).ok()
        }
        _ => None,
    }
}

/// Starts `text` as the running container's main script and runs what is
/// due now. `false` (nothing started) when the text does not parse.
pub fn begin(
    container: &str,
    argv: &[String],
    text: &str,
    shell: Shell,
    tty: bool,
    host: &mut Host,
) -> bool {
    let Ok(list) = syntax::parse(text) else {
        return false;
    };
    let script = MainScript {
        shell,
        place: Place {
            container: container.to_string(),
            tty,
            list,
            next: 0,
            turn: None,
            status: 0,
        },
    };
    if host
        .script_begin(container, argv.to_vec(), Box::new(script))
        .is_err()
    {
        return false;
    }
    run_due(host);
    true
}

/// Moves the host's clock by `dt` the way the client must while scripts
/// run: stopping at each script step (and each restart the engine will
/// make) to run it, so a script's exit, and the restart policy's answer to
/// it, happen at the right time.
pub fn advance(host: &mut Host, dt: Millis) {
    let target = host.now() + dt;
    for _ in 0..MAX_CATCH_UP {
        run_due(host);
        let now = host.now();
        match host.next_client_wake() {
            Some(t) if t > now && t <= target => host.advance(Millis(t.0 - now.0)),
            _ => break,
        }
    }
    let now = host.now();
    host.advance(Millis(target.0.saturating_sub(now.0)));
    run_due(host);
}

/// Runs every main-script step that falls due by the host's time, oldest
/// first. Called wherever the client lets time pass or looks at the host.
pub fn run_due(host: &mut Host) {
    for id in host.unclaimed_client_mains() {
        let mut shell = Shell::for_host();
        let mut ctx = Ctx::new(host, &mut shell);
        crate::docker::exec::drive_main_process(&id, &mut ctx);
    }
    for _ in 0..MAX_CATCH_UP {
        let Some((id, _)) = host.script_due() else {
            return;
        };
        let Some((at, state)) = host.script_take(&id) else {
            return;
        };
        let Ok(mut script) = state.into_any().downcast::<MainScript>() else {
            return;
        };
        let (written, next) = script.step(host, at);
        host.script_put(&id, script, written, next);
    }
}

impl MainScript {
    /// Runs from `at` until the script's clock moves or it ends.
    fn step(
        &mut self,
        host: &mut Host,
        at: Timestamp,
    ) -> (Vec<(Timestamp, Stream, String)>, ScriptNext) {
        let MainScript { shell, place } = self;
        let mut ctx = Ctx::new(host, shell);
        ctx.target = Target::Container(place.container.clone());
        ctx.stdout_tty = place.tty;
        // Nothing in a container's script takes over the terminal.
        ctx.depth = 1;
        ctx.local_clock = Some(at);
        let mut units = 0;
        let next = loop {
            let now = ctx.local_clock.unwrap_or(at);
            if now > at {
                break ScriptNext::At(now);
            }
            units += 1;
            if units > MAX_LOOP_STEPS {
                ctx.errln(format!(
                    "bash: loop stopped after {MAX_LOOP_STEPS} iterations (Tidepool's limit)"
                ));
                break ScriptNext::Exit(now, 1);
            }
            if let Some(code) = place.unit(&mut ctx) {
                break ScriptNext::Exit(ctx.local_clock.unwrap_or(at), code);
            }
        };
        let mut written = Vec::new();
        let mut time = at;
        for (fd, text) in ctx.chunks.drain(..) {
            match fd {
                TIME_MARK => time = text.parse().map(Timestamp).unwrap_or(time),
                2 => written.push((time, Stream::Stderr, text)),
                _ => written.push((time, Stream::Stdout, text)),
            }
        }
        (written, next)
    }
}

impl Place {
    /// Runs one top-level command or one loop turn; `Some(status)` once
    /// the script is over.
    fn unit(&mut self, ctx: &mut Ctx) -> Option<i32> {
        if let Some(turn) = &mut self.turn {
            let body = match turn {
                Turn::For {
                    var,
                    values,
                    at,
                    body,
                } => {
                    let Some(value) = values.get(*at).cloned() else {
                        return self.end_turn(ctx);
                    };
                    *at += 1;
                    ctx.shell.vars.insert(var.clone(), value);
                    body.clone()
                }
                Turn::While { until, cond, body } => {
                    let until = *until;
                    let (cond, body) = (cond.clone(), body.clone());
                    match run_list(&cond, ctx) {
                        Ok(c) if (c == 0) != until => body,
                        Ok(_) | Err(Control::Break) => return self.end_turn(ctx),
                        Err(Control::Continue) => return None,
                        Err(Control::Exit(code)) => return Some(code),
                    }
                }
            };
            match run_list(&body, ctx) {
                Ok(s) => self.status = s,
                Err(Control::Break) => return self.end_turn(ctx),
                Err(Control::Continue) => {}
                Err(Control::Exit(code)) => return Some(code),
            }
            return None;
        }
        let Some(item) = self.list.get(self.next).cloned() else {
            return Some(ctx.shell.last_status);
        };
        self.next += 1;
        if let Some(turn) = top_level_loop(&item, ctx) {
            self.status = 0;
            self.turn = Some(turn);
            return None;
        }
        match run_list(&vec![item], ctx) {
            Ok(_) | Err(Control::Break) | Err(Control::Continue) => None,
            Err(Control::Exit(code)) => Some(code),
        }
    }

    fn end_turn(&mut self, ctx: &mut Ctx) -> Option<i32> {
        self.turn = None;
        ctx.shell.last_status = self.status;
        None
    }
}

/// A command that is a loop on its own (not piped, negated or in a list):
/// those run a turn per step.
fn top_level_loop(item: &AndOr, ctx: &mut Ctx) -> Option<Turn> {
    if !item.rest.is_empty() || item.first.negate || item.first.timed {
        return None;
    }
    let [command] = item.first.commands.as_slice() else {
        return None;
    };
    match command {
        Command::For { var, items, body } => {
            let mut values = Vec::new();
            for w in items {
                values.extend(expand_word(w, ctx));
            }
            Some(Turn::For {
                var: var.clone(),
                values,
                at: 0,
                body: body.clone(),
            })
        }
        Command::While { until, cond, body } => Some(Turn::While {
            until: *until,
            cond: cond.clone(),
            body: body.clone(),
        }),
        _ => None,
    }
}
