//! `docker network create|ls|inspect|rm|connect|disconnect|prune`.

use super::flags::Parsed;
use super::{daemon_error, format_rows, print_inspect, Invocation};
use crate::exec::Ctx;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn labels(p: &Parsed) -> BTreeMap<String, String> {
    p.all("label")
        .iter()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap_or((l.as_str(), ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

pub fn create(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let driver = p.last("driver").unwrap_or("bridge");
    match ctx
        .host
        .network_create(&p.operands[0], driver, labels(p), p.flag("internal"))
    {
        Ok(n) => {
            ctx.outln(n.id);
            0
        }
        Err(e) => {
            daemon_error(&e, ctx);
            1
        }
    }
}

pub fn ls(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let filters = super::ps::filters(p);
    if let Some(bad) = filters.keys().find(|k| {
        !matches!(
            k.as_str(),
            "driver" | "id" | "label" | "name" | "scope" | "type" | "dangling"
        )
    }) {
        ctx.errln(format!(
            "Error response from daemon: invalid filter '{bad}'"
        ));
        return 1;
    }
    let trunc = !p.flag("no-trunc");
    let nets: Vec<_> = ctx
        .host
        .network_list()
        .into_iter()
        .filter(|n| {
            filters.iter().all(|(k, vals)| {
                vals.iter().any(|v| match k.as_str() {
                    "driver" => &n.driver == v,
                    "id" => n.id.starts_with(v.as_str()),
                    "name" => tidepool_engine::filters::matches(v, &n.name),
                    "scope" => &n.scope == v,
                    "type" => {
                        (v == "builtin") == matches!(n.name.as_str(), "bridge" | "host" | "none")
                    }
                    "label" => match v.split_once('=') {
                        Some((lk, lv)) => n.labels.get(lk).is_some_and(|x| x == lv),
                        None => n.labels.contains_key(v),
                    },
                    "dangling" => (v == "true") == n.containers.is_empty(),
                    _ => true,
                })
            })
        })
        .collect();
    let id = |full: &str| {
        if trunc {
            full.chars().take(12).collect()
        } else {
            full.to_string()
        }
    };
    if p.flag("quiet") {
        for n in &nets {
            ctx.outln(id(&n.id));
        }
        return 0;
    }
    let rows: Vec<Value> = nets
        .iter()
        .map(|n| {
            json!({
                "ID": id(&n.id), "Name": n.name, "Driver": n.driver, "Scope": n.scope,
                "IPv4": "true", "IPv6": "false", "Internal": n.internal.to_string(), "CreatedAt": n.created, "Labels": "",
            })
        })
        .collect();
    let headers = json!({
        "ID": "NETWORK ID", "Name": "NAME", "Driver": "DRIVER", "Scope": "SCOPE", "IPv4": "IPV4", "IPv6": "IPV6",
        "Internal": "INTERNAL", "CreatedAt": "CREATED AT", "Labels": "LABELS",
    });
    format_rows(
        p.last("format").unwrap_or(""),
        "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}",
        &rows,
        &headers,
        "*formatter.networkContext",
        ctx,
    )
}

pub fn inspect(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for name in &p.operands {
        match ctx.host.network_inspect(name) {
            Ok(n) => found.push(serde_json::to_value(n).unwrap_or(Value::Null)),
            Err(e) => errors.push(format!("Error response from daemon: {e}")),
        }
    }
    let status = print_inspect(&found, p.last("format"), "network.Inspect", ctx);
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
        match ctx.host.network_remove(name) {
            Ok(()) => ctx.outln(name),
            Err(tidepool_engine::EngineError::NetworkNotFound(_)) if p.flag("force") => {}
            Err(e) => errors.push(format!("Error response from daemon: {e}")),
        }
    }
    if errors.is_empty() {
        return 0;
    }
    ctx.errln(errors.join("\n"));
    1
}

pub fn connect(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    match ctx
        .host
        .network_connect(&p.operands[0], &p.operands[1], p.all("alias"))
    {
        Ok(()) => 0,
        Err(e) => {
            daemon_error(&e, ctx);
            1
        }
    }
}

pub fn disconnect(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    match ctx.host.network_disconnect(&p.operands[0], &p.operands[1]) {
        Ok(()) => 0,
        Err(e) => {
            daemon_error(&e, ctx);
            1
        }
    }
}

pub fn prune(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    if !p.flag("force")
        && !super::confirm(
            "WARNING! This will remove all custom networks not used by at least one container.",
            ctx,
        )
    {
        return 0;
    }
    let names = ctx.host.network_prune();
    if !names.is_empty() {
        ctx.outln("Deleted Networks:");
        for n in names {
            ctx.outln(n);
        }
    }
    0
}
