//! Registry commands: login, logout, push. Credentials live where the real
//! client keeps them, in `~/.docker/config.json` on the machine, so `cat
//! ~/.docker/config.json` shows what `docker login` wrote.

use super::flags::Parsed;
use super::{daemon_error, pull, Invocation};
use crate::exec::Ctx;
use crate::vfs;
use serde_json::{json, Map, Value};
use tidepool_engine::reference;

const CONFIG: &str = "/root/.docker/config.json";
const HUB: &str = "https://index.docker.io/v1/";

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn unbase64(s: &str) -> Option<Vec<u8>> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = B64.iter().position(|x| *x == c)? as u32;
        bits = (bits << 6) | v;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    Some(out)
}

/// `docker.io` and friends are stored under the v1 index URL, as docker does.
fn server_key(server: &str) -> String {
    match server {
        "" | "docker.io" | "index.docker.io" | "registry-1.docker.io" | HUB => HUB.to_string(),
        s => s
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string(),
    }
}

fn read_config(ctx: &mut Ctx) -> Value {
    let text = vfs::read_text(ctx.host.machine_fs(), CONFIG).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_else(|_| json!({ "auths": {} }))
}

/// Docker writes its config with tabs.
fn write_config(ctx: &mut Ctx, config: &Value) {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"\t");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if serde::Serialize::serialize(config, &mut ser).is_ok() {
        let fs = ctx.host.machine_fs_mut();
        fs.insert("/root/.docker", tidepool_engine::fs::Node::dir());
        let _ = vfs::write_bytes(fs, CONFIG, buf);
    }
}

/// Who the client is logged in as on `domain`, from the config file.
pub fn logged_in_user(ctx: &mut Ctx, domain: &str) -> Option<String> {
    let key = server_key(if domain == reference::DEFAULT_DOMAIN {
        ""
    } else {
        domain
    });
    let config = read_config(ctx);
    let auth = config
        .get("auths")?
        .get(&key)?
        .get("auth")?
        .as_str()?
        .to_string();
    let decoded = String::from_utf8(unbase64(&auth)?).ok()?;
    decoded.split_once(':').map(|(u, _)| u.to_string())
}

pub fn login(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let server = p.operands.first().cloned().unwrap_or_default();
    let mut user = p.last("username").unwrap_or("").to_string();
    if p.flag("password-stdin") && p.has("password") {
        ctx.errln("conflicting options: cannot specify both --password and --password-stdin");
        return 1;
    }
    if p.flag("password-stdin") && user.is_empty() {
        ctx.errln("the --password-stdin option requires --username to be set");
        return 1;
    }
    let mut password = if p.flag("password-stdin") {
        ctx.stdin.lines().next().unwrap_or("").to_string()
    } else {
        p.last("password").unwrap_or("").to_string()
    };
    let first_run = ctx.answers.is_empty();
    if p.has("password") && first_run {
        ctx.errln("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
    }
    let hub = server.is_empty() || server_key(&server) == server_key("");
    if user.is_empty() && password.is_empty() && first_run {
        let domain = if hub {
            reference::DEFAULT_DOMAIN.to_string()
        } else {
            server.clone()
        };
        if let Some(known) = logged_in_user(ctx, &domain) {
            ctx.outln(format!(
                "Authenticating with existing credentials... [Username: {known}]\n\ni Info → To login with a different account, run 'docker logout' followed by 'docker login'\n\n"
            ));
            ctx.outln("Login Succeeded");
            return 0;
        }
    }
    if (user.is_empty() || password.is_empty()) && !ctx.foreground_ok && first_run {
        // Piped or redirected: there is no terminal to prompt on.
        ctx.errln("Error: Cannot perform an interactive login from a non TTY device");
        return 1;
    }
    if user.is_empty() {
        if first_run && hub {
            ctx.outln("Log in with your Docker ID or email address to push and pull images from Docker Hub. If you don't have a Docker ID, head over to https://hub.docker.com/ to create one.\nYou can log in with your password or a Personal Access Token (PAT). Using a limited-scope PAT grants better security and is required for organizations using SSO. Learn more at https://docs.docker.com/go/access-tokens/\n");
        }
        let Some(answer) = ctx.ask("Username: ", false) else {
            return 0;
        };
        user = answer.trim().to_string();
        if user.is_empty() {
            ctx.errln("Error: Non-null Username Required");
            return 1;
        }
    }
    if password.is_empty() {
        if first_run && hub && p.has("username") {
            ctx.outln("\ni Info → A Personal Access Token (PAT) can be used instead.\n         To create a PAT, visit https://app.docker.com/settings\n\n");
        }
        let Some(answer) = ctx.ask("Password: ", true) else {
            return 0;
        };
        password = answer;
        if password.is_empty() {
            ctx.errln("Error: Password Required");
            return 1;
        }
    }
    if let Err(e) = ctx.host.registry_login(&server, &user, &password) {
        daemon_error(&e, ctx);
        return 1;
    }
    let mut config = read_config(ctx);
    let key = server_key(&server);
    if !config.get("auths").is_some_and(Value::is_object) {
        config["auths"] = Value::Object(Map::new());
    }
    config["auths"][&key] = json!({ "auth": base64(format!("{user}:{password}").as_bytes()) });
    write_config(ctx, &config);
    ctx.errln("\nWARNING! Your credentials are stored unencrypted in '/root/.docker/config.json'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n");
    ctx.outln("Login Succeeded");
    0
}

pub fn logout(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let key = server_key(p.operands.first().map(String::as_str).unwrap_or(""));
    let mut config = read_config(ctx);
    let had = config
        .get_mut("auths")
        .and_then(Value::as_object_mut)
        .and_then(|a| a.remove(&key))
        .is_some();
    if had {
        write_config(ctx, &config);
    }
    ctx.outln(format!("Removing login credentials for {key}"));
    0
}

pub fn push(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let name = &p.operands[0];
    let r = match reference::parse_normalized(name) {
        Ok(r) => r,
        Err(e) => {
            ctx.errln(e.to_string());
            return 1;
        }
    };
    if r.tag.is_none() && r.digest.is_none() && !p.flag("all-tags") && !p.flag("quiet") {
        ctx.outln("Using default tag: latest");
    }
    let user = logged_in_user(ctx, &r.domain);
    match ctx.host.image_push(name, user.as_deref()) {
        Ok((messages, error)) => {
            if !p.flag("quiet") {
                ctx.out(pull::render(&messages));
            }
            match error {
                Some(e) => {
                    ctx.errln(e.to_string());
                    1
                }
                None => {
                    if p.flag("quiet") {
                        ctx.outln(r.with_default_tag().to_string());
                    }
                    0
                }
            }
        }
        Err(e) => {
            daemon_error(&e, ctx);
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        assert_eq!(base64(b"user:pass"), "dXNlcjpwYXNz");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(unbase64("dXNlcjpwYXNz").unwrap(), b"user:pass");
    }
}
