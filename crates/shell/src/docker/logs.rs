//! `docker logs`: what the container wrote, stdout to stdout and stderr to
//! stderr, with `--tail`, `-t`, and `-f` following as a foreground job.

use super::flags::Parsed;
use super::{daemon_error, Invocation};
use crate::exec::Ctx;
use crate::job::{self, format_entry, JobKind};
use tidepool_engine::programs::Stream;
use tidepool_engine::Timestamp;

pub fn logs(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let name = &p.operands[0];
    let entries = match ctx.host.container_logs(name) {
        Ok(e) => e,
        Err(e) => {
            daemon_error(&e, ctx);
            return 1;
        }
    };
    let now = ctx.host.now();
    let since = match p.last("since").map(|v| parse_time(v, now)) {
        Some(Some(t)) => Some(t),
        Some(None) => {
            ctx.errln(format!(
                "invalid value for \"since\": failed to parse value as time or duration: \"{}\"",
                p.last("since").unwrap_or_default()
            ));
            return 1;
        }
        None => None,
    };
    let until = match p.last("until").map(|v| parse_time(v, now)) {
        Some(Some(t)) => Some(t),
        Some(None) => {
            ctx.errln(format!(
                "invalid value for \"until\": failed to parse value as time or duration: \"{}\"",
                p.last("until").unwrap_or_default()
            ));
            return 1;
        }
        None => None,
    };
    let entries: Vec<_> = entries
        .into_iter()
        .filter(|e| since.is_none_or(|s| e.time >= s) && until.is_none_or(|u| e.time < u))
        .collect();
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
            JobKind::Follow {
                container,
                seen: entries.len(),
                timestamps,
            },
            ctx,
        );
    }
    0
}

/// `--since`/`--until` values: a Go duration before now (`10s`, `5m`,
/// `1h30m`), a Unix time, or an RFC 3339 date (`2025-06-02T09:00:00Z`).
pub(crate) fn parse_time(v: &str, now: Timestamp) -> Option<Timestamp> {
    if let Some(d) = parse_duration(v) {
        return Some(Timestamp(now.0.saturating_sub(d)));
    }
    if let Ok(secs) = v.parse::<f64>() {
        return Some(Timestamp((secs * 1000.0) as u64));
    }
    parse_rfc3339(v)
}

/// Go's `time.ParseDuration` for h, m, s, ms: milliseconds.
fn parse_duration(v: &str) -> Option<u64> {
    let mut total = 0f64;
    let mut rest = v;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_end = rest.find(|c: char| !c.is_ascii_digit() && c != '.')?;
        let (num, tail) = rest.split_at(num_end);
        let unit_end = tail
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(tail.len());
        let (unit, next) = tail.split_at(unit_end);
        let n: f64 = num.parse().ok()?;
        total += n * match unit {
            "h" => 3_600_000.0,
            "m" => 60_000.0,
            "s" => 1000.0,
            "ms" => 1.0,
            _ => return None,
        };
        rest = next;
    }
    Some(total as u64)
}

fn parse_rfc3339(v: &str) -> Option<Timestamp> {
    let (date, time) = v.split_once('T').unwrap_or((v, "00:00:00Z"));
    let d: Vec<i64> = date
        .split('-')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if d.len() != 3 {
        return None;
    }
    let time = time.trim_end_matches('Z');
    let t: Vec<f64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (y, m, day) = (d[0], d[1], d[2]);
    // Days from civil (proleptic Gregorian), the inverse of the engine's.
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400
        + (t.first().copied().unwrap_or(0.0) * 3600.0) as i64
        + (t.get(1).copied().unwrap_or(0.0) * 60.0) as i64;
    let ms = secs as f64 * 1000.0 + t.get(2).copied().unwrap_or(0.0) * 1000.0;
    (ms >= 0.0).then_some(Timestamp(ms as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_values() {
        let now = Timestamp(1_748_854_800_000 + 60_000);
        assert_eq!(parse_time("30s", now), Some(Timestamp(1_748_854_830_000)));
        assert_eq!(parse_time("1m", now), Some(Timestamp(1_748_854_800_000)));
        assert_eq!(
            parse_time("2025-06-02T09:00:00Z", now),
            Some(Timestamp(1_748_854_800_000))
        );
        assert_eq!(
            parse_time("1748854800", now),
            Some(Timestamp(1_748_854_800_000))
        );
        assert_eq!(parse_time("yesterday", now), None);
    }
}
