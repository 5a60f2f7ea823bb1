//! `docker logs`: what the container wrote, stdout to stdout and stderr to
//! stderr, with `--tail`, `-t`, and `-f` following as a foreground job.

use super::flags::Parsed;
use super::{daemon_error, Invocation};
use crate::exec::Ctx;
use crate::job::{self, format_entry, Job};
use tidepool_engine::programs::Stream;

pub fn logs(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let name = &p.operands[0];
    let entries = match ctx.host.container_logs(name) {
        Ok(e) => e,
        Err(e) => {
            daemon_error(&e, ctx);
            return 1;
        }
    };
    let timestamps = p.flag("timestamps");
    let skip = match p.last("tail").unwrap_or("all") {
        "all" => 0,
        n => match n.parse::<i64>() {
            Ok(n) if n >= 0 => entries.len().saturating_sub(n as usize),
            _ => 0,
        },
    };
    for e in &entries[skip..] {
        let text = format_entry(e, timestamps);
        match e.stream {
            Stream::Stdout => ctx.out(text),
            Stream::Stderr => ctx.err(text),
        }
    }
    if p.flag("follow") {
        let container = ctx.host.container_id(name).unwrap_or_else(|_| name.clone());
        if !ctx.host.container_running(&container) {
            return 0;
        }
        return job::attach(
            Job::Follow {
                container,
                seen: entries.len(),
                timestamps,
            },
            ctx,
        );
    }
    0
}
