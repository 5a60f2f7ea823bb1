//! `docker container inspect` and the container half of `docker inspect`.

use super::flags::Parsed;
use super::{print_inspect, Invocation};
use crate::exec::Ctx;
use serde_json::Value;

/// Inspects containers; `object` (plain `docker inspect`) also finds
/// images, then volumes and networks, and words the not-found error as
/// "No such object".
fn inspect_containers(p: &Parsed, object: bool, ctx: &mut Ctx) -> i32 {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for name in &p.operands {
        if let Ok(c) = ctx.host.container_inspect(name) {
            found.push(serde_json::to_value(c).unwrap_or(Value::Null));
            continue;
        }
        if object {
            if let Ok(i) = ctx.host.image_inspect(name) {
                found.push(serde_json::to_value(i).unwrap_or(Value::Null));
                continue;
            }
            if let Ok(v) = ctx.host.volume_inspect(name) {
                found.push(serde_json::to_value(v).unwrap_or(Value::Null));
                continue;
            }
            if let Ok(n) = ctx.host.network_inspect(name) {
                found.push(serde_json::to_value(n).unwrap_or(Value::Null));
                continue;
            }
            errors.push(format!("Error: No such object: {name}"));
        } else {
            errors.push(format!("Error: No such container: {name}"));
        }
    }
    let status = print_inspect(&found, p.last("format"), "*container.InspectResponse", ctx);
    if !errors.is_empty() {
        ctx.errln(errors.join("\n"));
        return 1;
    }
    status
}

pub fn container_inspect(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    inspect_containers(p, false, ctx)
}

pub fn inspect(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    match p.last("type") {
        Some("container") => inspect_containers(p, false, ctx),
        Some("image") => super::image_cmds::image_inspect(_inv, p, ctx),
        None | Some("") => inspect_containers(p, true, ctx),
        Some(other) => {
            ctx.errln(format!("\"{other}\" is not a valid value for --type"));
            1
        }
    }
}
