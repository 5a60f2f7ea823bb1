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
    if p.flag("all-tags") && (r.tag.is_some() || r.digest.is_some()) {
        ctx.errln("tag can't be used with --all-tags/-a");
        return 1;
    }
    let quiet = p.flag("quiet");
    if r.tag.is_none() && r.digest.is_none() && !quiet {
        ctx.outln("Using default tag: latest");
    }
    let full = r.with_default_tag().to_string();
    match ctx.host.image_pull(name) {
        Ok(messages) => {
            if quiet {
                ctx.outln(full);
                return 0;
            }
            if ctx.foreground_ok {
                let start = ctx.host.now();
                let mut frames = animate(&messages, start);
                let end = frames.last().map(|(t, _)| *t).unwrap_or(start);
                frames.push((end, format!("{full}\n")));
                return crate::job::attach(crate::job::JobKind::Frames { frames, next: 0 }, ctx);
            }
            ctx.out(render(&messages));
            ctx.outln(full);
            0
        }
        Err(e) => {
            daemon_error(&e, ctx);
            1
        }
    }
}

/// Virtual download and extraction speeds for the progress bars.
const DOWNLOAD_BYTES_PER_MS: u64 = 60_000;
const EXTRACT_BYTES_PER_MS: u64 = 250_000;

/// jsonmessage's progress bar: 50 cells, `=` done, `>` at the head.
fn bar(current: u64, total: u64) -> String {
    let width = 50u64;
    let done = (current.min(total) * width)
        .checked_div(total)
        .unwrap_or(width);
    let mut s = String::from("[");
    for i in 0..width {
        s.push(if i + 1 < done {
            '='
        } else if i + 1 == done {
            '>'
        } else {
            ' '
        });
    }
    s.push(']');
    format!(
        "{s}  {}/{}",
        super::table::human_size4(current),
        super::table::human_size4(total)
    )
}

/// The pull as a terminal shows it over time: each layer's line is redrawn
/// in place (`\r`) as it downloads and extracts, then says `Pull complete`.
pub fn animate(
    messages: &[JsonMessage],
    start: tidepool_engine::Timestamp,
) -> Vec<(tidepool_engine::Timestamp, String)> {
    use tidepool_engine::Millis;
    let mut frames = Vec::new();
    let mut t = start;
    let mut shown: Vec<String> = Vec::new();
    // A redrawn line is padded to the widest text drawn on it, so a
    // shorter state (`Pull complete`) wipes the bar it replaces.
    let mut widest = 0usize;
    let mut line = |id: &str, text: &str| {
        let s = format!("{id}: {text}");
        widest = widest.max(s.chars().count());
        let pad = widest - s.chars().count();
        format!("\r{s}{}", " ".repeat(pad))
    };
    for m in messages {
        if m.id.is_empty() {
            if !shown.is_empty() {
                frames.push((t, "\n".to_string()));
                shown.clear();
            }
            frames.push((t, format!("{}\n", m.status)));
            continue;
        }
        if !shown.contains(&m.id) {
            if !shown.is_empty() {
                frames.push((t, "\n".to_string()));
            }
            shown.clear();
            shown.push(m.id.clone());
        }
        match (m.status.as_str(), m.progress_detail) {
            ("Downloading", Some(d)) | ("Extracting", Some(d)) => {
                let rate = if m.status == "Downloading" {
                    DOWNLOAD_BYTES_PER_MS
                } else {
                    EXTRACT_BYTES_PER_MS
                };
                let duration = (d.total / rate).max(100);
                let steps = (duration / 250).clamp(1, 12);
                for s in 1..=steps {
                    t = t + Millis(duration / steps);
                    let current = d.total * s / steps;
                    frames.push((
                        t,
                        line(&m.id, &format!("{} {}", m.status, bar(current, d.total))),
                    ));
                }
            }
            (status, _) => frames.push((t, line(&m.id, status))),
        }
    }
    if !shown.is_empty() {
        frames.push((t, "\n".to_string()));
    }
    frames
}
