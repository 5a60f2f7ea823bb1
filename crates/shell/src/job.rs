//! Foreground jobs: commands that stream a container's output over time
//! (attached `docker run`, `docker start -a`, `docker logs -f`).
//!
//! When such a command is the last thing on the line, it becomes the
//! terminal's foreground job and returns at once; the front end then moves
//! virtual time (`Sandbox::advance`) and output appears as the container
//! writes it, until the container exits or the user presses Ctrl-C. Anywhere
//! else (inside `$(...)`, before `&&`) it simply runs to the end in virtual
//! time, as a blocking call would.

use crate::exec::Ctx;
use tidepool_engine::programs::{LogEntry, Signal};
use tidepool_engine::{Host, Millis};

/// How long a blocking stream may run in virtual time when it cannot be a
/// foreground job (a container that never exits would otherwise hang).
pub const BLOCKING_LIMIT: Millis = Millis(3_600_000);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub kind: JobKind,
    /// Set by `timeout N`: when the job is cut short (status 124).
    pub deadline: Option<tidepool_engine::Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// An attach stream: ends with the container, `$?` is its exit code.
    Attach {
        handle: u64,
        container: String,
        sig_proxy: bool,
    },
    /// `docker logs -f`: new log lines until the container stops.
    Follow {
        container: String,
        seen: usize,
        timestamps: bool,
    },
    /// Output prepared in advance and shown as virtual time reaches each
    /// piece (`docker pull`'s progress bars).
    Frames {
        frames: Vec<(tidepool_engine::Timestamp, String)>,
        next: usize,
    },
    /// `ping`: a reply a second, then the statistics; Ctrl-C prints the
    /// statistics so far (`summaries[n]` after n packets) and its status.
    Ping {
        frames: Vec<(tidepool_engine::Timestamp, String)>,
        next: usize,
        summaries: Vec<(String, i32)>,
        status: i32,
    },
    /// `docker events`: each new event as it happens, until Ctrl-C.
    Events {
        seen: usize,
        filters: Vec<(String, String)>,
    },
    /// `docker wait`: each container's exit code as it stops, in the order
    /// named; the errors at the end, as the CLI collects them.
    Wait {
        /// Per name: the daemon's answer so far (see [`Waited`]).
        waits: Vec<Waited>,
        next: usize,
    },
    /// `docker stats`: a fresh table every second until Ctrl-C.
    Stats {
        view: crate::docker::StatsView,
        next: tidepool_engine::Timestamp,
    },
}

/// One container `docker wait` waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Waited {
    /// Running: the stream that will carry its exit code.
    Handle(u64),
    /// Stopped (or stopped already) with this code.
    Code(i64),
    /// The daemon's refusal (no such container).
    Error(String),
}

/// What one poll of a job produced.
pub struct Poll {
    pub output: String,
    /// `Some(status)` once the job is over.
    pub done: Option<i32>,
}

pub fn format_entry(e: &LogEntry, timestamps: bool) -> String {
    if timestamps {
        format!("{} {}", e.time.rfc3339_nano(), e.text)
    } else {
        e.text.clone()
    }
}

impl Job {
    pub fn new(kind: JobKind) -> Job {
        Job {
            kind,
            deadline: None,
        }
    }

    /// Collects what the job has to show now.
    pub fn poll(&mut self, host: &mut Host) -> Poll {
        crate::mainproc::run_due(host);
        if self.deadline.is_some_and(|d| host.now() >= d) {
            // `timeout` sends SIGTERM to docker, which passes it on to an
            // attached container through its signal proxy.
            if let JobKind::Attach {
                handle,
                container,
                sig_proxy,
            } = &self.kind
            {
                if *sig_proxy {
                    host.proxy_signal(container, Signal::Term);
                }
                let (entries, _) = host.attach_read(*handle);
                host.attach_close(*handle);
                return Poll {
                    output: entries.iter().map(|e| e.text.as_str()).collect(),
                    done: Some(124),
                };
            }
            self.release(host);
            return Poll {
                output: String::new(),
                done: Some(124),
            };
        }
        match &mut self.kind {
            JobKind::Events { seen, filters } => {
                let new = host.events_from(*seen);
                let output = new
                    .iter()
                    .filter(|e| crate::docker::events_matches(e, filters))
                    .map(crate::docker::format_event)
                    .collect();
                *seen += new.len();
                Poll { output, done: None }
            }
            JobKind::Frames { frames, next } => {
                let mut output = String::new();
                while *next < frames.len() && frames[*next].0 <= host.now() {
                    output.push_str(&frames[*next].1);
                    *next += 1;
                }
                let done = (*next >= frames.len()).then_some(0);
                Poll { output, done }
            }
            JobKind::Ping {
                frames,
                next,
                status,
                ..
            } => {
                let mut output = String::new();
                while *next < frames.len() && frames[*next].0 <= host.now() {
                    output.push_str(&frames[*next].1);
                    *next += 1;
                }
                let done = (*next >= frames.len()).then_some(*status);
                Poll { output, done }
            }
            JobKind::Stats { view, next } => {
                if host.now() < *next {
                    return Poll {
                        output: String::new(),
                        done: None,
                    };
                }
                *next = host.now() + Millis(1000);
                let table = crate::docker::stats_table(host, view).unwrap_or_default();
                Poll {
                    output: format!("\x1b[2J\x1b[H{table}"),
                    done: None,
                }
            }
            JobKind::Attach { handle, .. } => {
                let (entries, exit) = host.attach_read(*handle);
                let output = entries.iter().map(|e| e.text.as_str()).collect();
                if exit.is_some() {
                    host.attach_close(*handle);
                }
                Poll { output, done: exit }
            }
            JobKind::Wait { waits, next } => {
                let mut output = String::new();
                while let Some(wait) = waits.get_mut(*next) {
                    match wait {
                        Waited::Handle(handle) => match host.attach_read(*handle) {
                            (_, Some(code)) => {
                                host.attach_close(*handle);
                                *wait = Waited::Code(i64::from(code));
                            }
                            (_, None) => return Poll { output, done: None },
                        },
                        Waited::Code(_) | Waited::Error(_) => {}
                    }
                    if let Waited::Code(code) = wait {
                        output.push_str(&format!("{code}\n"));
                    }
                    *next += 1;
                }
                let failed = waits.iter().any(|w| matches!(w, Waited::Error(_)));
                Poll {
                    output,
                    done: Some(i32::from(failed)),
                }
            }
            JobKind::Follow {
                container,
                seen,
                timestamps,
            } => {
                let logs = host.container_logs(container).unwrap_or_default();
                let output = logs
                    .iter()
                    .skip(*seen)
                    .map(|e| format_entry(e, *timestamps))
                    .collect();
                *seen = logs.len();
                let done = (!host.container_running(container)).then_some(0);
                Poll { output, done }
            }
        }
    }

    /// Closes the streams a `docker wait` still holds open.
    pub fn release(&mut self, host: &mut Host) {
        if let JobKind::Wait { waits, .. } = &mut self.kind {
            for wait in waits.iter_mut() {
                if let Waited::Handle(handle) = wait {
                    host.attach_close(*handle);
                    *wait = Waited::Error(String::new());
                }
            }
        }
    }

    /// What an ended job still has to say on stderr: `docker wait`'s
    /// errors, which the CLI prints after every code.
    pub fn errors(&self) -> String {
        match &self.kind {
            JobKind::Wait { waits, .. } => waits
                .iter()
                .filter_map(|w| match w {
                    Waited::Error(e) if !e.is_empty() => Some(format!("{e}\n")),
                    _ => None,
                })
                .collect(),
            _ => String::new(),
        }
    }

    /// What the job prints when Ctrl-C ends it (after the terminal's `^C`).
    pub fn interrupt_text(&self) -> String {
        match &self.kind {
            JobKind::Ping {
                next, summaries, ..
            } => summaries
                .get(*next)
                .map(|(text, _)| text.clone())
                .unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// Ctrl-C. Returns the exit status if the job ends.
    pub fn interrupt(&mut self, host: &mut Host) -> Option<i32> {
        match &self.kind {
            JobKind::Attach {
                container,
                sig_proxy,
                ..
            } => {
                if *sig_proxy {
                    host.proxy_signal(container, Signal::Int);
                }
                None
            }
            JobKind::Wait { .. } => {
                self.release(host);
                Some(130)
            }
            JobKind::Follow { .. } | JobKind::Stats { .. } => Some(130),
            JobKind::Ping {
                next, summaries, ..
            } => Some(summaries.get(*next).map_or(130, |(_, status)| *status)),
            // The pull itself is done; Ctrl-C only stops the drawing.
            JobKind::Frames { .. } | JobKind::Events { .. } => Some(130),
        }
    }
}

/// Runs `job` in the foreground if the line allows it, else to completion.
pub fn attach(kind: JobKind, ctx: &mut Ctx) -> i32 {
    let mut job = Job::new(kind);
    if let Some(limit) = ctx.timeout {
        job.deadline = Some(ctx.host.now() + limit);
    }
    let first = job.poll(ctx.host);
    ctx.out(first.output);
    if let Some(code) = first.done {
        ctx.err(job.errors());
        return code;
    }
    if ctx.foreground_ok {
        ctx.foreground = Some(job);
        return 0;
    }
    let deadline = job.deadline.unwrap_or(ctx.host.now() + BLOCKING_LIMIT);
    let waiting = matches!(job.kind, JobKind::Wait { .. });
    while ctx.host.now() <= deadline {
        // A wait shows nothing until something stops: jump to what happens
        // next rather than tick through an idle hour.
        let step = match ctx.host.until_next_event() {
            Some(next) if waiting => next.max(Millis(1)),
            None if waiting => Millis(deadline.0.saturating_sub(ctx.host.now().0).max(1)),
            _ => Millis(1000),
        };
        crate::mainproc::advance(ctx.host, step);
        let p = job.poll(ctx.host);
        ctx.out(p.output);
        if let Some(code) = p.done {
            ctx.err(job.errors());
            return code;
        }
    }
    job.release(ctx.host);
    match job.kind {
        JobKind::Attach { handle, .. } => ctx.host.attach_close(handle),
        JobKind::Wait { .. } => {
            // Nobody is there to press Ctrl-C: say why the wait gave up.
            ctx.errln(format!(
                "tidepool: still running after {} virtual minutes",
                BLOCKING_LIMIT.0 / 60_000
            ));
            return 1;
        }
        _ => {}
    }
    0
}
