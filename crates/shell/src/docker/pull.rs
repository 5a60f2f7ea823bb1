//! `docker pull`: ImageCreate, with the daemon's progress messages shown
//! the way a terminal ends up showing them (one final line per layer).

use super::flags::Parsed;
use super::{daemon_error, Invocation};
use crate::exec::Ctx;
use tidepool_engine::api::JsonMessage;
use tidepool_engine::{reference, EngineError};

/// Each layer's last status, in the order layers first appeared, with the
/// other status lines where they came.
pub fn render(messages: &[JsonMessage]) -> String {
    let mut lines: Vec<(String, String)> = Vec::new();
    for m in messages {
        if m.id.is_empty() {
            lines.push((String::new(), m.status.clone()));
        } else if let Some(line) = lines.iter_mut().find(|(id, _)| *id == m.id) {
            line.1 = m.status.clone();
        } else {
            lines.push((m.id.clone(), m.status.clone()));
        }
    }
    lines
        .into_iter()
        .map(|(id, status)| {
            if id.is_empty() {
                format!("{status}\n")
            } else {
                format!("{id}: {status}\n")
            }
        })
        .collect()
}

/// Pulls `image`, printing progress to stdout (or stderr, as `run` does).
pub fn pull_image(image: &str, to_stderr: bool, ctx: &mut Ctx) -> Result<(), EngineError> {
    let messages = ctx.host.image_pull(image)?;
    let text = render(&messages);
    if to_stderr {
        ctx.err(text);
    } else {
        ctx.out(text);
    }
    Ok(())
}

pub fn pull(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let name = &p.operands[0];
    let r = match reference::parse_normalized(name) {
        Ok(r) => r,
        Err(e) => {
            ctx.errln(e.to_string());
            return 1;
        }
    };
    let quiet = p.flag("quiet");
    if r.tag.is_none() && r.digest.is_none() && !quiet {
        ctx.outln("Using default tag: latest");
    }
    let full = r.with_default_tag().to_string();
    match ctx.host.image_pull(name) {
        Ok(messages) => {
            if !quiet {
                ctx.out(render(&messages));
            }
            ctx.outln(full);
            0
        }
        Err(e) => {
            daemon_error(&e, ctx);
            1
        }
    }
}
