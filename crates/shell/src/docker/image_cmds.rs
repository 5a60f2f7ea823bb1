//! Image commands: tag, rmi, history, image inspect, image prune, search,
//! and `docker system df`.

use super::flags::Parsed;
use super::table::{ellipsis, human_size, human_size4, tabwrite};
use super::{daemon_error, format_rows, print_inspect, Invocation};
use crate::exec::Ctx;
use serde_json::{json, Value};
use tidepool_engine::api::ImageDeleteItem;
use tidepool_engine::clock::{human_duration, Timestamp};
use tidepool_engine::reference;

pub fn tag(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let (source, target) = (&p.operands[0], &p.operands[1]);
    if let Err(e) = reference::parse_normalized(target) {
        ctx.errln(format!(
            "Error parsing reference: \"{target}\" is not a valid repository/tag: {e}"
        ));
        return 1;
    }
    match ctx.host.image_tag(source, target) {
        Ok(()) => 0,
        Err(e) => {
            daemon_error(&e, ctx);
            1
        }
    }
}

pub fn print_deleted(items: &[ImageDeleteItem], ctx: &mut Ctx) {
    for item in items {
        match item {
            ImageDeleteItem::Untagged(r) => ctx.outln(format!("Untagged: {r}")),
            ImageDeleteItem::Deleted(d) => ctx.outln(format!("Deleted: {d}")),
        }
    }
}

pub fn rmi(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let mut errors = Vec::new();
    for name in &p.operands {
        match ctx.host.image_remove(name, p.flag("force")) {
            Ok(items) => print_deleted(&items, ctx),
            Err(e) => errors.push(format!("Error response from daemon: {e}")),
        }
    }
    if errors.is_empty() {
        return 0;
    }
    ctx.errln(errors.join("\n"));
    1
}

pub fn history(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let rows = match ctx.host.image_history(&p.operands[0]) {
        Ok(r) => r,
        Err(e) => {
            daemon_error(&e, ctx);
            return 1;
        }
    };
    let trunc = !p.flag("no-trunc");
    let human = !p.has("human") || p.flag("human");
    let now = ctx.host.now();
    if p.flag("quiet") {
        for r in &rows {
            let id = if trunc && r.id.starts_with("sha256:") {
                r.id[7..19].to_string()
            } else {
                r.id.clone()
            };
            ctx.outln(id);
        }
        return 0;
    }
    let data: Vec<Value> = rows
        .iter()
        .map(|r| {
            let created = Timestamp((r.created.max(0) as u64) * 1000);
            let id = if trunc && r.id.starts_with("sha256:") { r.id[7..19].to_string() } else { r.id.clone() };
            let by = r.created_by.replace('\t', " ");
            json!({
                "ID": id,
                "CreatedSince": if human { format!("{} ago", human_duration(now - created)) } else { created.rfc3339_seconds() },
                "CreatedAt": created.rfc3339_seconds(),
                "CreatedBy": if trunc { ellipsis(&by, 45) } else { by },
                "Size": if human { human_size(r.size.max(0) as u64) } else { r.size.to_string() },
                "Comment": r.comment,
            })
        })
        .collect();
    let headers = json!({"ID": "IMAGE", "CreatedSince": "CREATED", "CreatedAt": "CREATED AT", "CreatedBy": "CREATED BY", "Size": "SIZE", "Comment": "COMMENT"});
    format_rows(
        p.last("format").unwrap_or(""),
        "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}",
        &data,
        &headers,
        "*formatter.historyContext",
        ctx,
    )
}

pub fn image_inspect(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for name in &p.operands {
        match ctx.host.image_inspect(name) {
            Ok(i) => found.push(serde_json::to_value(i).unwrap_or(Value::Null)),
            Err(_) => {
                let shown = reference::parse_normalized(name)
                    .map(|r| r.with_default_tag().familiar_string())
                    .unwrap_or_else(|_| name.clone());
                errors.push(format!(
                    "Error response from daemon: No such image: {shown}"
                ));
            }
        }
    }
    let status = print_inspect(&found, p.last("format"), "*image.InspectResponse", ctx);
    if status == super::INSPECT_TEMPLATE_ERROR {
        return status;
    }
    if !errors.is_empty() {
        ctx.errln(errors.join("\n"));
        return 1;
    }
    status
}

/// Prune's list of what it removed: lower-case records, unlike rmi's.
fn print_deleted_images(items: &[ImageDeleteItem], ctx: &mut Ctx) {
    if items.is_empty() {
        return;
    }
    ctx.outln("Deleted Images:");
    for item in items {
        match item {
            ImageDeleteItem::Untagged(r) => ctx.outln(format!("untagged: {r}")),
            ImageDeleteItem::Deleted(d) => ctx.outln(format!("deleted: {d}")),
        }
    }
    ctx.outln("");
}

pub fn image_prune(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    // `--filter dangling=false` is how the API spells `-a`.
    let dangling_false = super::ps::filters(p)
        .get("dangling")
        .is_some_and(|v| v.iter().any(|v| matches!(v.as_str(), "false" | "0")));
    let all = p.flag("all") || dangling_false;
    if !p.flag("force") {
        let warning = if all {
            "WARNING! This will remove all images without at least one container associated to them."
        } else {
            "WARNING! This will remove all dangling images."
        };
        if !super::confirm(warning, ctx) {
            return 0;
        }
    }
    let Some(filter) = super::prune_filter(p, &["until", "dangling"], ctx) else {
        return 1;
    };
    let (items, freed) = ctx.host.image_prune(all, &filter);
    print_deleted_images(&items, ctx);
    ctx.outln(format!("Total reclaimed space: {}", human_size4(freed)));
    0
}

/// `docker system prune`: stopped containers, unused networks, dangling
/// (or with -a unused) images, anonymous volumes with --volumes, and the
/// build cache, each listed as its own prune would.
pub fn system_prune(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let all = p.flag("all");
    let volumes = p.flag("volumes");
    let given = super::ps::filters(p);
    if volumes && given.contains_key("until") {
        ctx.errln("ERROR: The \"until\" filter is not supported with \"--volumes\"");
        return 1;
    }
    if !p.flag("force") {
        let mut warning = String::from(
            "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n",
        );
        if volumes {
            warning.push_str("  - all anonymous volumes not used by at least one container\n");
        }
        if all {
            warning.push_str("  - all images without at least one container associated to them\n  - all build cache\n");
        } else {
            warning.push_str("  - all dangling images\n  - unused build cache\n");
        }
        if !given.is_empty() {
            let mut shown: Vec<String> = given
                .iter()
                .flat_map(|(k, vs)| vs.iter().map(move |v| format!("{k}={v}")))
                .collect();
            shown.sort();
            warning.push_str(&format!(
                "\n  Items to be pruned will be filtered with:\n  - {}\n",
                shown.join("\n  - ")
            ));
        }
        if !super::confirm(&warning, ctx) {
            return 0;
        }
    }
    let Some(filter) = super::prune_filter(p, &["until"], ctx) else {
        return 1;
    };
    let mut freed = 0;
    let (containers, bytes) = ctx.host.container_prune(&filter);
    freed += bytes;
    if !containers.is_empty() {
        ctx.outln(format!("Deleted Containers:\n{}\n", containers.join("\n")));
    }
    let networks = ctx.host.network_prune(&filter);
    if !networks.is_empty() {
        ctx.outln(format!("Deleted Networks:\n{}\n", networks.join("\n")));
    }
    if volumes {
        let (names, bytes) = ctx.host.volume_prune(false, &filter);
        freed += bytes;
        if !names.is_empty() {
            ctx.outln(format!("Deleted Volumes:\n{}\n", names.join("\n")));
        }
    }
    let (items, bytes) = ctx.host.image_prune(all, &filter);
    freed += bytes;
    print_deleted_images(&items, ctx);
    let (keys, bytes) = ctx.host.build_cache_prune();
    freed += bytes;
    super::build::print_deleted_cache(&keys, ctx);
    ctx.outln(format!("Total reclaimed space: {}", human_size4(freed)));
    0
}

pub fn search(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let limit = p
        .last("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(25);
    let mut min_stars = 0u64;
    let mut official: Option<bool> = None;
    for f in p.all("filter") {
        match f.split_once('=') {
            Some(("stars", v)) => match v.parse() {
                Ok(n) => min_stars = n,
                Err(_) => {
                    ctx.errln(format!("invalid filter 'stars={v}'"));
                    return 1;
                }
            },
            Some(("is-official", v)) => official = Some(v == "true" || v == "1"),
            Some(("is-automated", _)) => {}
            _ => {
                ctx.errln(format!(
                    "Error response from daemon: invalid filter '{}'",
                    f.split('=').next().unwrap_or(&f)
                ));
                return 1;
            }
        }
    }
    let trunc = !p.flag("no-trunc");
    let results: Vec<Value> = ctx
        .host
        .image_search(&p.operands[0])
        .into_iter()
        .filter(|r| r.star_count >= min_stars && official.is_none_or(|o| o == r.is_official))
        .take(limit)
        .map(|r| {
            let desc = r.description.replace('\n', " ");
            json!({
                "Name": r.name,
                "Description": if trunc { ellipsis(&desc, 45) } else { desc },
                "StarCount": r.star_count.to_string(),
                "IsOfficial": if r.is_official { "[OK]" } else { "" },
            })
        })
        .collect();
    let headers = json!({"Name": "NAME", "Description": "DESCRIPTION", "StarCount": "STARS", "IsOfficial": "OFFICIAL"});
    format_rows(
        p.last("format").unwrap_or(""),
        "table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}",
        &results,
        &headers,
        "*formatter.searchContext",
        ctx,
    )
}

fn reclaim(reclaimable: u64, total: u64) -> String {
    match (reclaimable * 100).checked_div(total) {
        Some(pct) => format!("{} ({pct}%)", human_size4(reclaimable)),
        None => human_size4(reclaimable),
    }
}

pub fn system_df(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let d = ctx.host.system_df();
    let (cache_total, cache_active, cache_bytes, cache_reclaimable) = ctx.host.build_cache_usage();
    let row = |kind: &str, total: usize, active: usize, size: u64, reclaimable: String| {
        // In name order, as the CLI's MarshalJSON writes a Go map.
        json!({
            "Active": active.to_string(),
            "Reclaimable": reclaimable,
            "Size": human_size4(size),
            "TotalCount": total.to_string(),
            "Type": kind,
        })
    };
    let rows = vec![
        row(
            "Images",
            d.images_total,
            d.images_active,
            d.image_bytes,
            reclaim(d.image_reclaimable, d.image_bytes),
        ),
        row(
            "Containers",
            d.containers_total,
            d.containers_running,
            d.container_bytes,
            reclaim(d.container_reclaimable, d.container_bytes),
        ),
        row(
            "Local Volumes",
            d.volumes_total,
            d.volumes_active,
            d.volume_bytes,
            reclaim(d.volume_reclaimable, d.volume_bytes),
        ),
        row(
            "Build Cache",
            cache_total,
            cache_active,
            cache_bytes,
            human_size4(cache_reclaimable),
        ),
    ];
    if !p.flag("verbose") {
        let headers = json!({
            "Type": "TYPE", "TotalCount": "TOTAL", "Active": "ACTIVE", "Size": "SIZE",
            "Reclaimable": "RECLAIMABLE",
        });
        return format_rows(
            p.last("format").unwrap_or(""),
            "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}",
            &rows,
            &headers,
            "*formatter.diskUsageImagesContext",
            ctx,
        );
    }
    let now = ctx.host.now();
    let mut images = vec![[
        "REPOSITORY",
        "TAG",
        "IMAGE ID",
        "CREATED",
        "SIZE",
        "SHARED SIZE",
        "UNIQUE SIZE",
        "CONTAINERS",
    ]
    .map(String::from)
    .to_vec()];
    let list = ctx.host.image_list();
    let containers = ctx
        .host
        .container_list(&tidepool_engine::api::ContainerListOptions {
            all: true,
            size: true,
            ..Default::default()
        })
        .unwrap_or_default();
    for img in &list {
        let tags = if img.repo_tags.is_empty() {
            vec!["<none>:<none>".to_string()]
        } else {
            img.repo_tags.clone()
        };
        let uses = containers.iter().filter(|c| c.image_id == img.id).count();
        let shared = img.shared_size.max(0) as u64;
        for t in tags {
            let (repo, tag) = t.rsplit_once(':').unwrap_or((t.as_str(), "<none>"));
            let created = Timestamp((img.created.max(0) as u64) * 1000);
            images.push(vec![
                repo.to_string(),
                tag.to_string(),
                img.id
                    .trim_start_matches("sha256:")
                    .chars()
                    .take(12)
                    .collect(),
                format!("{} ago", human_duration(now - created)),
                human_size(img.size.max(0) as u64),
                human_size4(shared),
                human_size4((img.size.max(0) as u64).saturating_sub(shared)),
                uses.to_string(),
            ]);
        }
    }
    ctx.outln("Images space usage:\n");
    ctx.out(tabwrite(&images));
    ctx.outln("\nContainers space usage:\n");
    let mut crows = vec![[
        "CONTAINER ID",
        "IMAGE",
        "COMMAND",
        "LOCAL VOLUMES",
        "SIZE",
        "CREATED",
        "STATUS",
        "NAMES",
    ]
    .map(String::from)
    .to_vec()];
    for c in &containers {
        let created = Timestamp((c.created.max(0) as u64) * 1000);
        crows.push(vec![
            c.id[..12.min(c.id.len())].to_string(),
            c.image.clone(),
            super::ps::quote(&ellipsis(&c.command, 20)),
            c.mounts
                .iter()
                .filter(|m| m.driver == "local")
                .count()
                .to_string(),
            // The verbose table leaves out the virtual size.
            human_size(c.size_rw.unwrap_or(0).max(0) as u64),
            format!("{} ago", human_duration(now - created)),
            c.status.clone(),
            c.names
                .first()
                .map(|n| n.trim_start_matches('/').to_string())
                .unwrap_or_default(),
        ]);
    }
    ctx.out(tabwrite(&crows));
    ctx.outln("\nLocal Volumes space usage:\n");
    let mut vrows = vec![["VOLUME NAME", "LINKS", "SIZE"].map(String::from).to_vec()];
    for v in ctx.host.volume_list() {
        let links = ctx.host.volume_in_use(&v.name).len();
        let size = ctx.host.volume_size(&v.name);
        vrows.push(vec![v.name, links.to_string(), human_size4(size)]);
    }
    ctx.out(tabwrite(&vrows));
    ctx.outln("\nBuild cache usage: 0B\n");
    ctx.out(tabwrite(&[[
        "CACHE ID",
        "CACHE TYPE",
        "SIZE",
        "CREATED",
        "LAST USED",
        "USAGE",
        "SHARED",
    ]
    .map(String::from)
    .to_vec()]));
    0
}
