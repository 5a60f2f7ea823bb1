//! `docker images` / `docker image ls`: ImageList rendered one row per tag,
//! `<none>` for untagged images.

use super::flags::Parsed;
use super::table::human_size;
use super::{format_rows, Invocation};
use crate::exec::Ctx;
use serde_json::{json, Value};
use tidepool_engine::clock::{human_duration, Timestamp};
use tidepool_engine::reference;

const DEFAULT: &str = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
const WITH_DIGESTS: &str =
    "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";

pub fn images(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let trunc = !p.flag("no-trunc");
    let now = ctx.host.now();
    let wanted = p.operands.first().cloned();
    let filters = super::ps::filters(p);
    if let Some(bad) = filters.keys().find(|k| {
        !matches!(
            k.as_str(),
            "dangling" | "reference" | "before" | "since" | "label" | "until"
        )
    }) {
        ctx.errln(format!(
            "Error response from daemon: invalid filter '{bad}'"
        ));
        return 1;
    }
    let created_of = |name: &str, ctx: &mut Ctx| -> Result<i64, String> {
        match ctx.host.image_inspect(name) {
            Ok(i) => Ok(ctx
                .host
                .image_list()
                .iter()
                .find(|x| x.id == i.id)
                .map(|x| x.created)
                .unwrap_or(0)),
            Err(e) => Err(format!("Error response from daemon: {e}")),
        }
    };
    let before = match filters.get("before").and_then(|v| v.first()) {
        Some(n) => match created_of(n, ctx) {
            Ok(t) => Some(t),
            Err(e) => {
                ctx.errln(e);
                return 1;
            }
        },
        None => None,
    };
    let since = match filters.get("since").and_then(|v| v.first()) {
        Some(n) => match created_of(n, ctx) {
            Ok(t) => Some(t),
            Err(e) => {
                ctx.errln(e);
                return 1;
            }
        },
        None => None,
    };
    let mut rows = Vec::new();
    let mut ids = Vec::new();
    for img in ctx.host.image_list() {
        let id = if trunc {
            img.id
                .trim_start_matches("sha256:")
                .chars()
                .take(12)
                .collect()
        } else {
            img.id.clone()
        };
        let created = Timestamp((img.created.max(0) as u64) * 1000);
        let mut tags: Vec<(String, String)> = img
            .repo_tags
            .iter()
            .map(
                |t| match t.rsplit_once(':').filter(|(_, tag)| !tag.contains('/')) {
                    Some((repo, tag)) => (repo.to_string(), tag.to_string()),
                    None => (t.clone(), "<none>".to_string()),
                },
            )
            .collect();
        if tags.is_empty() {
            tags.push(("<none>".into(), "<none>".into()));
        }
        let dangling = img.repo_tags.is_empty();
        if let Some(v) = filters.get("dangling") {
            if !v.iter().any(|d| (d == "true" || d == "1") == dangling) {
                continue;
            }
        }
        if before.is_some_and(|t| img.created >= t) || since.is_some_and(|t| img.created <= t) {
            continue;
        }
        if let Some(v) = filters.get("label") {
            let ok = v.iter().all(|l| match l.split_once('=') {
                Some((k, val)) => img.labels.get(k).is_some_and(|x| x == val),
                None => img.labels.contains_key(l),
            });
            if !ok {
                continue;
            }
        }
        for (repo, tag) in tags {
            if let Some(w) = &wanted {
                if !matches_reference(w, &repo, &tag) {
                    continue;
                }
            }
            if let Some(patterns) = filters.get("reference") {
                let full = format!("{repo}:{tag}");
                if !patterns
                    .iter()
                    .any(|pat| crate::vfs::wildcard(pat, &repo) || crate::vfs::wildcard(pat, &full))
                {
                    continue;
                }
            }
            let digest = img
                .repo_digests
                .iter()
                .find(|d| d.starts_with(&format!("{repo}@")))
                .and_then(|d| d.split_once('@'))
                .map(|(_, d)| d.to_string())
                .unwrap_or_else(|| "<none>".into());
            if !ids.contains(&id) {
                ids.push(id.clone());
            }
            rows.push(json!({
                "Repository": repo,
                "Tag": tag,
                "ID": id,
                "Digest": digest,
                "CreatedSince": format!("{} ago", human_duration(now - created)),
                "CreatedAt": created.go_default(),
                "Size": human_size(img.size.max(0) as u64),
                "SharedSize": "N/A",
                "UniqueSize": "N/A",
                "VirtualSize": human_size(img.size.max(0) as u64),
                "Containers": "N/A",
            }));
        }
    }
    if p.flag("quiet") {
        for id in ids {
            ctx.outln(id);
        }
        return 0;
    }
    let default = if p.flag("digests") {
        WITH_DIGESTS
    } else {
        DEFAULT
    };
    let headers = json!({
        "Repository": "REPOSITORY", "Tag": "TAG", "ID": "IMAGE ID", "Digest": "DIGEST",
        "CreatedSince": "CREATED", "CreatedAt": "CREATED AT", "Size": "SIZE",
        "SharedSize": "SHARED SIZE", "UniqueSize": "UNIQUE SIZE", "VirtualSize": "VIRTUAL SIZE", "Containers": "CONTAINERS",
    });
    let rows: Vec<Value> = rows;
    format_rows(
        p.last("format").unwrap_or(""),
        default,
        &rows,
        &headers,
        "*formatter.ImageContext",
        ctx,
    )
}

/// `docker images nginx` / `nginx:stable`: the positional reference filter.
fn matches_reference(wanted: &str, repo: &str, tag: &str) -> bool {
    let Ok(w) = reference::parse_normalized(wanted) else {
        return false;
    };
    let Ok(r) = reference::parse_normalized(repo) else {
        return false;
    };
    w.familiar_name() == r.familiar_name() && w.tag.as_deref().is_none_or(|t| t == tag)
}
