//! `docker container inspect` and the container half of `docker inspect`.

use super::flags::Parsed;
use super::{print_inspect, Invocation};
use crate::exec::Ctx;
use serde_json::Value;

/// Inspects containers; `object` words the not-found error as `docker
/// inspect` does ("No such object") rather than `container inspect`.
fn inspect_containers(p: &Parsed, object: bool, ctx: &mut Ctx) -> i32 {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for name in &p.operands {
        match ctx.host.container_inspect(name) {
            Ok(c) => found.push(serde_json::to_value(c).unwrap_or(Value::Null)),
            Err(_) if object => errors.push(format!("Error: No such object: {name}")),
            Err(_) => errors.push(format!("Error: No such container: {name}")),
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
        None | Some("") => inspect_containers(p, true, ctx),
        Some(other) => {
            ctx.errln(format!("\"{other}\" is not a valid value for --type"));
            1
        }
    }
}
