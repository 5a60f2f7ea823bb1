//! `docker network create|ls|inspect|rm|connect|disconnect|prune`.

use super::flags::Parsed;
use super::{daemon_error, format_rows, print_inspect, Invocation};
use crate::exec::Ctx;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use tidepool_engine::host::{Cidr, UserSubnet};

fn labels(p: &Parsed) -> BTreeMap<String, String> {
    p.all("label")
        .iter()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap_or((l.as_str(), ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

/// A `strings` flag's values: each may hold several, comma-separated.
fn strings(p: &Parsed, name: &str) -> Vec<String> {
    p.all(name)
        .iter()
        .flat_map(|v| v.split(',').map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// The CLI's subnetMatches: whether `data` (an address or a block) lies
/// in `subnet`, with Go's words for what does not parse.
fn subnet_matches(subnet: &str, data: &str) -> Result<bool, String> {
    let Some(block) = Cidr::parse(subnet) else {
        return Err(format!("invalid subnet: invalid CIDR address: {subnet}"));
    };
    let address = if data.contains('/') {
        let (ip, _) = data.split_once('/').unwrap_or((data, ""));
        match (Cidr::parse(data), ip.parse::<std::net::Ipv4Addr>()) {
            (Some(_), Ok(ip)) => Some(ip),
            _ => return Err(format!("invalid CIDR address: {data}")),
        }
    } else {
        data.parse::<std::net::Ipv4Addr>().ok()
    };
    Ok(address.is_some_and(|ip| block.contains(u32::from(ip))))
}

/// `--subnet`, `--gateway` and `--ip-range`: the CLI pairs each gateway
/// and range with its subnet (createIPAMConfig), then the daemon checks
/// each block (ValidateIPAM). Errors come back worded as each side words
/// them, the daemon's with its prefix.
fn user_subnet(p: &Parsed) -> Result<Option<UserSubnet>, String> {
    let (subnets, gateways, ranges) = (
        strings(p, "subnet"),
        strings(p, "gateway"),
        strings(p, "ip-range"),
    );
    if subnets.len() < ranges.len() || subnets.len() < gateways.len() {
        return Err("every ip-range or gateway must have a corresponding subnet".into());
    }
    for (i, s) in subnets.iter().enumerate() {
        for k in &subnets[..i] {
            if subnet_matches(s, k)? || subnet_matches(k, s)? {
                return Err("multiple overlapping subnet configuration is not supported".into());
            }
        }
    }
    let pair = |values: &[String], what: &str| -> Result<BTreeMap<String, String>, String> {
        let mut paired: BTreeMap<String, String> = BTreeMap::new();
        for v in values {
            let mut matched = false;
            for s in &subnets {
                if !subnet_matches(s, v)? {
                    continue;
                }
                if let Some(before) = paired.get(s) {
                    return Err(match what {
                        "range" => format!("cannot configure multiple ranges ({v}, {before}) on the same subnet ({s})"),
                        _ => format!("cannot configure multiple gateways ({v}, {before}) for the same subnet ({s})"),
                    });
                }
                paired.insert(s.clone(), v.clone());
                matched = true;
            }
            if !matched {
                return Err(format!("no matching subnet for {what} {v}"));
            }
        }
        Ok(paired)
    };
    let range_of = pair(&ranges, "range")?;
    let gateway_of = pair(&gateways, "gateway")?;
    // Auxiliary addresses (`name=ip`) only need a subnet to sit in.
    for aux in strings(p, "aux-address") {
        let ip = aux.split_once('=').map_or("", |(_, ip)| ip);
        let mut matched = false;
        for s in &subnets {
            matched |= subnet_matches(s, ip)?;
        }
        if !matched {
            return Err("no matching subnet for aux-address".into());
        }
    }
    let daemon =
        |why: String| format!("Error response from daemon: invalid network config:\n{why}");
    let Some(subnet) = subnets.first() else {
        return Ok(None);
    };
    if subnets.len() > 1 {
        return Err(
            "Error response from daemon: bridge driver doesn't support multiple subnets".into(),
        );
    }
    let Some(block) = Cidr::parse(subnet) else {
        return Err(daemon(format!(
            "invalid subnet {subnet}: invalid CIDR block notation"
        )));
    };
    if block.to_string() != *subnet {
        return Err(daemon(format!(
            "invalid subnet {subnet}: it should be {block}"
        )));
    }
    let gateway = match gateway_of.get(subnet) {
        None => None,
        Some(g) => match g.parse::<std::net::Ipv4Addr>() {
            Ok(ip) => Some(u32::from(ip)),
            Err(_) => return Err(daemon(format!("invalid gateway {g}: invalid address"))),
        },
    };
    // ValidateIPAM's checks of the range against its subnet.
    let ip_range = match range_of.get(subnet) {
        None => None,
        Some(r) => {
            let Some(range) = Cidr::parse(r) else {
                return Err(daemon(format!(
                    "invalid ip-range {r}: invalid CIDR block notation"
                )));
            };
            if range.to_string() != *r {
                return Err(daemon(format!(
                    "invalid ip-range {r}: it should be {range}"
                )));
            }
            if range.prefix < block.prefix {
                return Err(daemon(format!(
                    "invalid ip-range {r}: CIDR block is bigger than its parent subnet {subnet}"
                )));
            }
            if !block.contains(range.base) {
                return Err(daemon(format!(
                    "invalid ip-range {r}: parent subnet {subnet} doesn't contain ip-range"
                )));
            }
            Some(range)
        }
    };
    Ok(Some(UserSubnet {
        subnet: block,
        gateway,
        ip_range,
    }))
}

pub fn create(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let driver = p.last("driver").unwrap_or("bridge");
    let user = match user_subnet(p) {
        Ok(user) => user,
        Err(why) => {
            ctx.errln(why);
            return 1;
        }
    };
    match ctx
        .host
        .network_create(&p.operands[0], driver, labels(p), p.flag("internal"), user)
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
    match ctx.host.network_connect(
        &p.operands[0],
        &p.operands[1],
        p.all("alias"),
        p.last("ip").unwrap_or(""),
    ) {
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
    let Some(filter) = super::prune_filter(p, &["until"], ctx) else {
        return 1;
    };
    let names = ctx.host.network_prune(&filter);
    if !names.is_empty() {
        ctx.outln("Deleted Networks:");
        for n in names {
            ctx.outln(n);
        }
    }
    0
}
