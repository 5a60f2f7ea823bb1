//! `docker volume create|ls|inspect|rm|prune`.

use super::flags::Parsed;
use super::{daemon_error, format_rows, Invocation};
use crate::exec::Ctx;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use tidepool_engine::filters;

pub fn create(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let mut labels = BTreeMap::new();
    for l in p.all("label") {
        let (k, v) = l.split_once('=').unwrap_or((l.as_str(), ""));
        labels.insert(k.to_string(), v.to_string());
    }
    let name = p
        .operands
        .first()
        .cloned()
        .or_else(|| p.last("name").map(str::to_string));
    match ctx.host.volume_create(name.as_deref(), labels) {
        Ok(v) => {
            ctx.outln(v.name);
            0
        }
        Err(e) => {
            daemon_error(&e, ctx);
            1
        }
    }
}

pub fn ls(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let vols = ctx.host.volume_list();
    let filters = super::ps::filters(p);
    let vols: Vec<_> = vols
        .into_iter()
        .filter(|v| {
            filters.iter().all(|(k, vals)| match k.as_str() {
                "name" => vals.iter().any(|n| filters::matches(n, &v.name)),
                "driver" => vals.iter().any(|d| d == &v.driver),
                "label" => vals.iter().any(|l| match l.split_once('=') {
                    Some((k, val)) => v.labels.get(k).is_some_and(|x| x == val),
                    None => v.labels.contains_key(l),
                }),
                "dangling" => {
                    let dangling = ctx.host.volume_in_use(&v.name).is_empty();
                    vals.iter().any(|d| (d == "true" || d == "1") == dangling)
                }
                _ => true,
            })
        })
        .collect();
    if let Some(bad) = filters
        .keys()
        .find(|k| !matches!(k.as_str(), "name" | "driver" | "label" | "dangling"))
    {
        ctx.errln(format!(
            "Error response from daemon: invalid filter '{bad}'"
        ));
        return 1;
    }
    if p.flag("quiet") {
        for v in vols {
            ctx.outln(v.name);
        }
        return 0;
    }
    let rows: Vec<Value> = vols
        .iter()
        .map(|v| {
            let labels: Vec<String> = v.labels.iter().map(|(k, x)| format!("{k}={x}")).collect();
            json!({"Driver": v.driver, "Name": v.name, "Scope": v.scope, "Mountpoint": v.mountpoint, "Labels": labels.join(","), "Links": "N/A", "Size": "N/A"})
        })
        .collect();
    let headers = json!({"Driver": "DRIVER", "Name": "VOLUME NAME", "Scope": "SCOPE", "Mountpoint": "MOUNTPOINT", "Labels": "LABELS", "Links": "LINKS", "Size": "SIZE"});
    format_rows(
        p.last("format").unwrap_or(""),
        "table {{.Driver}}\t{{.Name}}",
        &rows,
        &headers,
        "*formatter.volumeContext",
        ctx,
    )
}

pub fn inspect(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for name in &p.operands {
        match ctx.host.volume_inspect(name) {
            Ok(v) => found.push(serde_json::to_value(v).unwrap_or(Value::Null)),
            Err(e) => errors.push(format!("Error response from daemon: {e}")),
        }
    }
    let status = super::print_inspect(&found, p.last("format"), "*volume.Volume", ctx);
    if status == super::INSPECT_TEMPLATE_ERROR {
        return status;
    }
    if !errors.is_empty() {
        ctx.errln(errors.join("\n"));
        return 1;
    }
    status
}

pub fn rm(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let mut errors = Vec::new();
    for name in &p.operands {
        match ctx.host.volume_remove(name, p.flag("force")) {
            Ok(()) => ctx.outln(name),
            Err(e) => errors.push(format!("Error response from daemon: {e}")),
        }
    }
    if errors.is_empty() {
        return 0;
    }
    ctx.errln(errors.join("\n"));
    1
}

pub fn prune(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let all = p.flag("all");
    if !p.flag("force") {
        let warning = if all {
            "WARNING! This will remove all local volumes not used by at least one container."
        } else {
            "WARNING! This will remove anonymous local volumes not used by at least one container."
        };
        if !super::confirm(warning, ctx) {
            return 0;
        }
    }
    let Some(filter) = super::prune_filter(p, &["all"], ctx) else {
        return 1;
    };
    let (names, freed) = ctx.host.volume_prune(all, &filter);
    if !names.is_empty() {
        ctx.outln("Deleted Volumes:");
        for n in names {
            ctx.outln(n);
        }
        ctx.outln("");
    }
    ctx.outln(format!(
        "Total reclaimed space: {}",
        super::table::human_size4(freed)
    ));
    0
}

/// `docker volume update`: only Swarm's cluster volumes can change, and a
/// daemon outside a swarm has none. The CLI inspects the volume first, so
/// a missing one is the daemon's "no such volume".
pub fn update(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    match ctx.host.volume_inspect(&p.operands[0]) {
        Ok(_) => ctx.errln("Can only update cluster volumes"),
        Err(e) => daemon_error(&e, ctx),
    }
    1
}
