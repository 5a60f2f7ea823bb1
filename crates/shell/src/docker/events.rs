//! `docker events`: the daemon's event log, past (`--since`) and live.

use super::flags::Parsed;
use super::Invocation;
use crate::exec::Ctx;
use crate::job::{self, JobKind};
use tidepool_engine::api::EventMessage;
use tidepool_engine::Timestamp;

/// `2025-06-02T09:00:00.000000000Z`: the CLI's fixed-width RFC 3339.
fn stamp(ms: u64) -> String {
    let c = Timestamp(ms).civil();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}000000Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second, c.millis
    )
}

/// One event as `docker events` prints it, attributes sorted by key.
pub fn format_event(e: &EventMessage) -> String {
    let mut line = format!(
        "{} {} {} {}",
        stamp(e.time_ms),
        e.kind,
        e.action,
        e.actor.id
    );
    if !e.actor.attributes.is_empty() {
        let attrs: Vec<String> = e
            .actor
            .attributes
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        line.push_str(&format!(" ({})", attrs.join(", ")));
    }
    line.push('\n');
    line
}

/// `--filter` keys: values of one key are ORed, keys ANDed.
pub fn matches(e: &EventMessage, filters: &[(String, String)]) -> bool {
    let keys: std::collections::BTreeSet<&str> = filters.iter().map(|(k, _)| k.as_str()).collect();
    keys.into_iter().all(|key| {
        filters
            .iter()
            .filter(|(k, _)| k == key)
            .any(|(_, v)| match key {
                "type" => &e.kind == v,
                "event" => &e.action == v,
                "container" => {
                    e.kind == "container"
                        && (e.actor.id.starts_with(v.as_str())
                            || e.actor.attributes.get("name") == Some(v))
                }
                "image" => {
                    e.actor.attributes.get("image") == Some(v)
                        || (e.kind == "image" && e.actor.id.starts_with(v.as_str()))
                }
                "volume" => e.kind == "volume" && &e.actor.id == v,
                "network" => {
                    e.kind == "network"
                        && (e.actor.attributes.get("name") == Some(v)
                            || e.actor.id.starts_with(v.as_str()))
                }
                "label" => match v.split_once('=') {
                    Some((lk, lv)) => e.actor.attributes.get(lk).is_some_and(|x| x == lv),
                    None => e.actor.attributes.contains_key(v),
                },
                _ => false,
            })
    })
}

pub fn events(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let mut filters = Vec::new();
    for f in p.all("filter") {
        if let Some((k, v)) = f.split_once('=') {
            if !matches!(
                k,
                "type"
                    | "event"
                    | "container"
                    | "image"
                    | "volume"
                    | "network"
                    | "label"
                    | "daemon"
                    | "scope"
                    | "plugin"
                    | "node"
                    | "service"
                    | "secret"
                    | "config"
            ) {
                ctx.errln(format!("Error response from daemon: invalid filter '{k}'"));
                return 1;
            }
            filters.push((k.to_string(), v.to_string()));
        }
    }
    let now = ctx.host.now();
    let parse = |v: &str| super::logs::parse_time(v, now);
    let since = p.last("since").map(parse);
    let until = p.last("until").map(parse);
    // The CLI turns both into timestamps itself, since first.
    for (given, parsed) in [(p.last("since"), since), (p.last("until"), until)] {
        if let (Some(given), Some(None)) = (given, parsed) {
            ctx.errln(format!(
                "failed to parse value as time or duration: \"{given}\""
            ));
            return 1;
        }
    }
    let (since, until) = (since.flatten(), until.flatten());
    let all = ctx.host.events_from(0).to_vec();
    let start = match since {
        Some(t) => all
            .iter()
            .position(|e| e.time_ms >= t.0)
            .unwrap_or(all.len()),
        None => all.len(),
    };
    let format = p.last("format").map(str::to_string);
    let shown: Vec<&EventMessage> = all[start..]
        .iter()
        .filter(|e| until.is_none_or(|u| e.time_ms <= u.0) && matches(e, &filters))
        .collect();
    for e in shown {
        match &format {
            Some(f) => {
                let v = serde_json::to_value(e).unwrap_or_default();
                let _ =
                    super::format_rows(f, f, &[v], &serde_json::Value::Null, "events.Message", ctx);
            }
            None => ctx.out(format_event(e)),
        }
    }
    if until.is_some() {
        return 0;
    }
    job::attach(
        JobKind::Events {
            seen: all.len(),
            filters,
        },
        ctx,
    )
}
