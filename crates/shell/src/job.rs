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
pub enum Job {
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
    /// Collects what the job has to show now.
    pub fn poll(&mut self, host: &mut Host) -> Poll {
        match self {
            Job::Attach { handle, .. } => {
                let (entries, exit) = host.attach_read(*handle);
                let output = entries.iter().map(|e| e.text.as_str()).collect();
                if exit.is_some() {
                    host.attach_close(*handle);
                }
                Poll { output, done: exit }
            }
            Job::Follow {
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

    /// Ctrl-C. Returns the exit status if the job ends.
    pub fn interrupt(&mut self, host: &mut Host) -> Option<i32> {
        match self {
            Job::Attach {
                container,
                sig_proxy,
                ..
            } => {
                if *sig_proxy {
                    host.proxy_signal(container, Signal::Int);
                }
                None
            }
            Job::Follow { .. } => Some(130),
        }
    }
}

/// Runs `job` in the foreground if the line allows it, else to completion.
pub fn attach(mut job: Job, ctx: &mut Ctx) -> i32 {
    let first = job.poll(ctx.host);
    ctx.out(first.output);
    if let Some(code) = first.done {
        return code;
    }
    if ctx.foreground_ok {
        ctx.foreground = Some(job);
        return 0;
    }
    let deadline = ctx.host.now() + BLOCKING_LIMIT;
    while ctx.host.now() < deadline {
        ctx.host.advance(Millis(1000));
        let p = job.poll(ctx.host);
        ctx.out(p.output);
        if let Some(code) = p.done {
            return code;
        }
    }
    if let Job::Attach { handle, .. } = job {
        ctx.host.attach_close(handle);
    }
    0
}
