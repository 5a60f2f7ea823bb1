//! `docker build` (and `docker image build`, `docker builder build`) and
//! `docker builder prune`. The builder itself is `crate::build`; this file
//! turns flags into its options and says what docker says about bad ones.

use super::flags::Parsed;
use super::Invocation;
use crate::build::{BuildOptions, Progress};
use crate::exec::Ctx;
use std::collections::BTreeMap;
use tidepool_engine::reference;

/// `KEY=value` flags (`--build-arg`, `--label`); a bare `KEY` takes the
/// client's environment variable of that name, as docker does.
fn key_values(values: Vec<String>, ctx: &Ctx) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for v in values {
        match v.split_once('=') {
            Some((k, val)) => {
                out.insert(k.to_string(), val.to_string());
            }
            None => {
                if let Some(val) = ctx.shell.var(&v) {
                    out.insert(v.clone(), val.to_string());
                }
            }
        }
    }
    out
}

pub fn build(inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let legacy = ctx.shell.var("DOCKER_BUILDKIT") == Some("0");
    // The client streams the context to one request; the steps are the
    // builder's own business.
    let query: String = p.all("tag").iter().map(|t| format!("&t={t}")).collect();
    if legacy {
        ctx.host
            .api("POST", format!("/build?{}", query.trim_start_matches('&')));
    } else {
        ctx.host.api("POST", "/session");
        ctx.host.api("POST", format!("/build?version=2{query}"));
    }
    let trace = ctx.host.api_trace_suspend();
    let code = build_image(inv, p, ctx, legacy);
    ctx.host.api_trace_resume(trace);
    code
}

fn build_image(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx, legacy: bool) -> i32 {
    let target_dir = p.operands[0].clone();
    let mut tags = Vec::new();
    for t in p.all("tag") {
        match reference::parse_normalized(&t) {
            Ok(r) if r.digest.is_none() => tags.push(r.with_default_tag().to_string()),
            Ok(_) => {
                ctx.errln(format!(
                    "ERROR: invalid tag \"{t}\": invalid reference format"
                ));
                return 1;
            }
            Err(e) => {
                if legacy {
                    ctx.errln(format!(
                        "invalid argument \"{t}\" for \"-t, --tag\" flag: {e}"
                    ));
                    ctx.errln("See 'docker build --help'.");
                } else {
                    ctx.errln(format!("ERROR: invalid tag \"{t}\": {e}"));
                }
                return 1;
            }
        }
    }
    let progress = match p.last("progress").unwrap_or("auto") {
        "plain" => Progress::Plain,
        "tty" => Progress::Tty,
        "auto" => {
            if ctx.foreground_ok && ctx.stdout_tty && !ctx.plain_progress {
                Progress::Tty
            } else {
                Progress::Plain
            }
        }
        "quiet" => Progress::Plain,
        other => {
            ctx.errln(format!("ERROR: invalid progress mode {other}"));
            return 1;
        }
    };
    let quiet = p.flag("quiet") || p.last("progress") == Some("quiet");
    let stdin_dockerfile = (target_dir == "-").then(|| ctx.stdin.clone());
    let context = if target_dir == "-" {
        // No context: an empty directory nobody can see.
        "/var/lib/docker/tmp/empty-context".to_string()
    } else if target_dir.contains("://") || target_dir.starts_with("git@") {
        let host = target_dir
            .split("://")
            .nth(1)
            .unwrap_or(&target_dir)
            .split('/')
            .next()
            .unwrap_or_default()
            .to_string();
        ctx.errln(format!(
            "ERROR: failed to build: failed to solve: failed to read dockerfile: failed to load cache key: unable to resolve remote {target_dir}: dial tcp: lookup {host}: no such host"
        ));
        return 1;
    } else {
        let path = ctx.path(&target_dir);
        if !ctx.host.machine_fs().is_dir(&path) {
            let prefix = if legacy { "" } else { "ERROR: " };
            if ctx.host.machine_fs().exists(&path) {
                ctx.errln(format!(
                    "{prefix}unable to prepare context: path \"{target_dir}\" not a directory"
                ));
            } else {
                ctx.errln(format!(
                    "{prefix}unable to prepare context: path \"{target_dir}\" not found"
                ));
            }
            return 1;
        }
        path
    };
    let dockerfile = match p.last("file") {
        Some("-") => {
            return match stdin_dockerfile {
                Some(_) => {
                    ctx.errln("ERROR: invalid argument: can't use stdin for both build context and dockerfile");
                    1
                }
                None => {
                    let text = ctx.stdin.clone();
                    let opts = options(
                        p,
                        ctx,
                        context.clone(),
                        format!("{context}/Dockerfile"),
                        tags,
                        progress,
                        quiet,
                        legacy,
                        Some(text),
                    );
                    crate::build::build(&opts, ctx)
                }
            };
        }
        Some(f) => ctx.path(f),
        None => format!("{}/Dockerfile", context.trim_end_matches('/')),
    };
    let opts = options(
        p,
        ctx,
        context,
        dockerfile,
        tags,
        progress,
        quiet,
        legacy,
        stdin_dockerfile,
    );
    crate::build::build(&opts, ctx)
}

#[allow(clippy::too_many_arguments)]
fn options(
    p: &Parsed,
    ctx: &Ctx,
    context: String,
    dockerfile: String,
    tags: Vec<String>,
    progress: Progress,
    quiet: bool,
    legacy: bool,
    stdin_dockerfile: Option<String>,
) -> BuildOptions {
    BuildOptions {
        context,
        dockerfile,
        tags,
        build_args: key_values(p.all("build-arg"), ctx),
        target: p.last("target").map(str::to_string),
        no_cache: p.flag("no-cache"),
        pull: p.flag("pull"),
        quiet,
        labels: key_values(p.all("label"), ctx),
        progress,
        legacy,
        stdin_dockerfile,
    }
}

/// `docker builder prune`: forgets the build cache.
pub fn prune(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let warning = if p.flag("all") {
        "WARNING! This will remove all build cache."
    } else {
        "WARNING! This will remove all dangling build cache."
    };
    if !p.flag("force") && !super::confirm(warning, ctx) {
        return 0;
    }
    let (keys, freed) = ctx.host.build_cache_prune();
    print_deleted_cache(&keys, ctx);
    ctx.outln(format!(
        "Total reclaimed space: {}",
        super::table::human_size4(freed)
    ));
    0
}

/// The cache records a prune removed, as `builder prune` lists them.
pub fn print_deleted_cache(keys: &[String], ctx: &mut Ctx) {
    if keys.is_empty() {
        return;
    }
    ctx.outln("Deleted build cache objects:");
    for k in keys {
        ctx.outln(cache_object_id(k));
    }
    ctx.outln("");
}

/// BuildKit names cache records with 25 lowercase letters and digits.
pub fn cache_object_id(key: &str) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    key.trim_start_matches("sha256:")
        .as_bytes()
        .chunks(2)
        .take(25)
        .map(|pair| {
            let v = pair.iter().fold(0usize, |acc, b| acc * 31 + *b as usize);
            ALPHABET[v % ALPHABET.len()] as char
        })
        .collect()
}
