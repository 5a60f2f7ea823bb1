//! Small container commands: pause, unpause, rename, port, diff, prune.

use super::flags::Parsed;
use super::{daemon_error, Invocation};
use crate::exec::Ctx;
use tidepool_engine::EngineError;

fn each(
    p: &Parsed,
    ctx: &mut Ctx,
    op: fn(&mut tidepool_engine::Host, &str) -> Result<(), EngineError>,
) -> i32 {
    let mut errors = Vec::new();
    for name in &p.operands {
        match op(ctx.host, name) {
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

pub fn pause(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    each(p, ctx, |h, n| h.container_pause(n))
}

pub fn unpause(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    each(p, ctx, |h, n| h.container_unpause(n))
}

pub fn rename(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    match ctx.host.container_rename(&p.operands[0], &p.operands[1]) {
        Ok(()) => 0,
        Err(e) => {
            daemon_error(&e, ctx);
            1
        }
    }
}

pub fn port(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let name = &p.operands[0];
    let inspect = match ctx.host.container_inspect(name) {
        Ok(i) => i,
        Err(e) => {
            daemon_error(&e, ctx);
            return 1;
        }
    };
    let mut lines: Vec<(u16, String, String)> = Vec::new();
    for (spec, bindings) in &inspect.network_settings.ports {
        let Some(bindings) = bindings else { continue };
        let (port, proto) = spec.split_once('/').unwrap_or((spec.as_str(), "tcp"));
        if let Some(want) = p.operands.get(1) {
            let (wport, wproto) = want.split_once('/').unwrap_or((want.as_str(), "tcp"));
            if wport != port || wproto != proto {
                continue;
            }
        }
        for b in bindings {
            let host = if b.host_ip.contains(':') {
                format!("[{}]:{}", b.host_ip, b.host_port)
            } else {
                format!("{}:{}", b.host_ip, b.host_port)
            };
            lines.push((port.parse().unwrap_or(0), spec.clone(), host));
        }
    }
    if lines.is_empty() {
        if let Some(want) = p.operands.get(1) {
            ctx.errln(format!("no public port '{want}' published for {name}"));
            return 1;
        }
        return 0;
    }
    lines.sort();
    let single = p.operands.len() > 1;
    for (_, spec, host) in lines {
        if single {
            ctx.outln(host);
        } else {
            ctx.outln(format!("{spec} -> {host}"));
        }
    }
    0
}

pub fn diff(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    match ctx.host.container_changes(&p.operands[0]) {
        Ok(changes) => {
            for (kind, path) in changes {
                let letter = match kind {
                    0 => 'C',
                    1 => 'A',
                    _ => 'D',
                };
                ctx.outln(format!("{letter} {path}"));
            }
            0
        }
        Err(e) => {
            daemon_error(&e, ctx);
            1
        }
    }
}

pub fn prune(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    if !p.flag("force") && !super::confirm("WARNING! This will remove all stopped containers.", ctx)
    {
        return 0;
    }
    let Some(filter) = super::prune_filter(p, &["until"], ctx) else {
        return 1;
    };
    let (ids, freed) = ctx.host.container_prune(&filter);
    if !ids.is_empty() {
        ctx.outln("Deleted Containers:");
        for id in ids {
            ctx.outln(id);
        }
        ctx.outln("");
    }
    ctx.outln(format!(
        "Total reclaimed space: {}",
        super::table::human_size4(freed)
    ));
    0
}

pub fn update(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    // The CLI's own check, before it asks the daemon anything.
    if p.values.is_empty() {
        ctx.errln("you must provide one or more flags when using this command");
        return 1;
    }
    let Some(restart) = p.last("restart") else {
        // Only the restart policy is modelled; other resources have no
        // effect in the simulation but are accepted as docker accepts them.
        for name in &p.operands {
            if let Err(e) = ctx.host.container_id(name) {
                daemon_error(&e, ctx);
                return 1;
            }
            ctx.outln(name);
        }
        return 0;
    };
    let policy = match super::run::parse_restart(restart) {
        Ok(p) => p,
        Err(e) => {
            ctx.errln(e);
            return 1;
        }
    };
    let mut errors = Vec::new();
    for name in &p.operands {
        match ctx.host.container_update_restart(name, policy.clone()) {
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
