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
        for (repo, tag) in tags {
            if let Some(w) = &wanted {
                if !matches_reference(w, &repo, &tag) {
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
