//! `docker commit`: a new image from a container's changes, printed as
//! `sha256:<id>`.

use super::flags::Parsed;
use super::{daemon_error, Invocation};
use crate::exec::Ctx;

pub fn commit(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let container = &p.operands[0];
    let repo = p.operands.get(1).map(String::as_str);
    let message = p.last("message").unwrap_or("");
    let author = p.last("author").unwrap_or("");
    match ctx
        .host
        .container_commit(container, repo, message, author, &p.all("change"))
    {
        Ok(id) => {
            ctx.outln(id);
            0
        }
        Err(e) => {
            daemon_error(&e, ctx);
            1
        }
    }
}
