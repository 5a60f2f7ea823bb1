//! `docker ps` / `docker container ls`: the ContainerList call, rendered
//! through the CLI's container formatter (`table {{.ID}}\t{{.Image}}…`).

use super::flags::Parsed;
use super::table::{display_width, ellipsis, human_size, tabwrite};
use super::{cell_text, daemon_error, format_rows, plain_table_fields, Invocation};
use crate::exec::Ctx;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use tidepool_engine::api::{ContainerListOptions, ContainerSummary, Port};
use tidepool_engine::clock::{human_duration, Timestamp};
use tidepool_engine::reference;

const DEFAULT: &str =
    "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

/// Parses `key=value` filter flags into the API's filter map.
pub fn filters(p: &Parsed) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in p.all("filter") {
        if let Some((k, v)) = f.split_once('=') {
            out.entry(k.trim().to_lowercase())
                .or_default()
                .push(v.to_string());
        }
    }
    out
}

pub fn ps(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let mut limit = p
        .last("last")
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| *n > 0)
        .map(|n| n as usize);
    if p.flag("latest") {
        limit = Some(1);
    }
    let format = p.last("format").unwrap_or("").to_string();
    // The CLI parses a given template before it lists anything.
    if !format.is_empty() {
        if let Err(e) = super::template::Template::parse(&format) {
            ctx.errln(format!("failed to parse template: {}", e.0));
            return 1;
        }
    }
    // As the CLI does: sizes cost the daemon work, so they are asked for
    // only with -s or a template that shows them.
    let opts = ContainerListOptions {
        all: p.flag("all"),
        limit,
        size: p.flag("size") || format.contains(".Size"),
        filters: filters(p),
    };
    let list = match ctx.host.container_list(&opts) {
        Ok(l) => l,
        Err(e) => {
            daemon_error(&e, ctx);
            return 1;
        }
    };
    let trunc = !p.flag("no-trunc");
    let now = ctx.host.now();
    if p.flag("quiet") {
        for c in &list {
            ctx.outln(if trunc {
                c.id[..12.min(c.id.len())].to_string()
            } else {
                c.id.clone()
            });
        }
        return 0;
    }
    let mut format = format;
    if format.is_empty() && p.flag("size") {
        format = format!("{DEFAULT}\t{{{{.Size}}}}");
    }
    let headers = headers();
    // The usual table of plain columns is filled field by field: building
    // every field of every row for the template engine is what made
    // `docker ps -a` over thousands of containers slow.
    if let Some(fields) = plain_table_fields(&format, DEFAULT, &headers) {
        let mut columns = Columns::new(trunc, now);
        let mut cells: Vec<Vec<String>> = Vec::with_capacity(list.len() + 1);
        cells.push(fields.iter().map(|f| cell_text(&headers, f)).collect());
        for c in &list {
            cells.push(
                fields
                    .iter()
                    .map(|f| columns.field(c, f).unwrap_or_default())
                    .collect(),
            );
        }
        ctx.out(tabwrite(&cells));
        return 0;
    }
    let mut columns = Columns::new(trunc, now);
    let rows: Vec<Value> = list.iter().map(|c| columns.context(c)).collect();
    format_rows(
        &format,
        DEFAULT,
        &rows,
        &headers,
        "*formatter.ContainerContext",
        ctx,
    )
}

/// `a,b,c`, without gathering the parts first.
fn comma_joined<'s>(parts: impl Iterator<Item = &'s str>) -> String {
    let mut out = String::new();
    for (i, part) in parts.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(part);
    }
    out
}

/// `20B (virtual 78.1MB)`: what the container wrote, and with its image.
fn size_column(c: &ContainerSummary) -> String {
    let rw = human_size(c.size_rw.unwrap_or(0).max(0) as u64);
    match c.size_root_fs.filter(|v| *v > 0) {
        Some(v) => format!("{rw} (virtual {})", human_size(v as u64)),
        None => rw,
    }
}

fn headers() -> Value {
    json!({
        "ID": "CONTAINER ID", "Image": "IMAGE", "Command": "COMMAND", "CreatedAt": "CREATED AT",
        "RunningFor": "CREATED", "Ports": "PORTS", "State": "STATE", "Status": "STATUS", "Size": "SIZE",
        "Names": "NAMES", "Labels": "LABELS", "Mounts": "MOUNTS", "Networks": "NETWORKS",
        "LocalVolumes": "LOCAL VOLUMES", "Platform": "PLATFORM", "Label": "LABEL",
    })
}

/// The fields of the CLI's `ContainerContext`, in the order `{{json .}}`
/// prints them.
const FIELDS: [&str; 14] = [
    "Command",
    "CreatedAt",
    "ID",
    "Image",
    "Labels",
    "LocalVolumes",
    "Mounts",
    "Names",
    "Networks",
    "Ports",
    "RunningFor",
    "Size",
    "State",
    "Status",
];

/// The CLI's `ContainerContext` over the rows of one listing.
struct Columns<'a> {
    trunc: bool,
    now: Timestamp,
    // Neighbouring rows mostly share an image, a command and a creation
    // second: each is formatted once per run of them.
    image: Last<(&'a str, &'a str)>,
    command: Last<&'a str>,
    running_for: Last<i64>,
}

impl<'a> Columns<'a> {
    fn new(trunc: bool, now: Timestamp) -> Columns<'a> {
        Columns {
            trunc,
            now,
            image: Last::default(),
            command: Last::default(),
            running_for: Last::default(),
        }
    }

    /// Every field of one container, for templates.
    fn context(&mut self, c: &'a ContainerSummary) -> Value {
        let mut m = Map::new();
        for name in FIELDS {
            let value = self.field(c, name).unwrap_or_default();
            m.insert(name.into(), Value::String(value));
        }
        m.insert(
            "Labels_".into(),
            serde_json::to_value(&c.labels).unwrap_or(Value::Null),
        );
        Value::Object(m)
    }

    /// One field of one container; `None` for a name the context lacks.
    fn field(&mut self, c: &'a ContainerSummary, name: &str) -> Option<String> {
        let (trunc, now) = (self.trunc, self.now);
        let created = Timestamp((c.created.max(0) as u64) * 1000);
        Some(match name {
            "Image" => self
                .image
                .get((&c.image, &c.image_id), || image_column(c, trunc)),
            "Command" => self.command.get(&c.command, || {
                if trunc && display_width(&c.command) > 20 {
                    quote(&ellipsis(&c.command, 20))
                } else {
                    quote(&c.command)
                }
            }),
            "RunningFor" => self.running_for.get(c.created, || {
                let mut ago = human_duration(now - created);
                ago.push_str(" ago");
                ago
            }),
            other => plain_field(c, other, trunc, created)?,
        })
    }
}

/// The last key asked for and the text it gave.
struct Last<K> {
    last: Option<(K, String)>,
}

impl<K> Default for Last<K> {
    fn default() -> Self {
        Last { last: None }
    }
}

impl<K: PartialEq> Last<K> {
    fn get(&mut self, key: K, make: impl FnOnce() -> String) -> String {
        match &self.last {
            Some((k, text)) if *k == key => text.clone(),
            _ => {
                let text = make();
                self.last = Some((key, text.clone()));
                text
            }
        }
    }
}

/// The fields that need nothing beyond the container.
fn plain_field(
    c: &ContainerSummary,
    name: &str,
    trunc: bool,
    created: Timestamp,
) -> Option<String> {
    Some(match name {
        "CreatedAt" => created.go_default(),
        "ID" if trunc => c.id[..12.min(c.id.len())].to_string(),
        "ID" => c.id.clone(),
        "Labels" => {
            let labels: Vec<String> = c.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            labels.join(",")
        }
        "LocalVolumes" => c
            .mounts
            .iter()
            .filter(|m| m.driver == "local")
            .count()
            .to_string(),
        "Mounts" => {
            let mounts: Vec<String> = c
                .mounts
                .iter()
                .map(|m| {
                    if m.name.is_empty() {
                        &m.source
                    } else {
                        &m.name
                    }
                })
                .map(|name| {
                    if trunc {
                        ellipsis(name, 15)
                    } else {
                        name.clone()
                    }
                })
                .collect();
            mounts.join(",")
        }
        "Names" => {
            let names = c
                .names
                .iter()
                .map(|n| n.trim_start_matches('/'))
                .filter(|n| !trunc || !n.contains('/'))
                .take(if trunc { 1 } else { usize::MAX });
            comma_joined(names)
        }
        "Networks" => comma_joined(c.network_settings.networks.keys().map(String::as_str)),
        "Ports" => displayable_ports(&c.ports),
        "Size" => size_column(c),
        "State" => c.state.clone(),
        "Status" => c.status.clone(),
        _ => return None,
    })
}

/// Go's `strconv.Quote`.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `ContainerContext.Image`: the reference as given, with a digest trimmed
/// when truncating.
fn image_column(c: &ContainerSummary, trunc: bool) -> String {
    if c.image.is_empty() {
        return "<no image>".into();
    }
    if trunc {
        let short = |s: &str| {
            s.trim_start_matches("sha256:")
                .chars()
                .take(12)
                .collect::<String>()
        };
        if short(&c.image_id) == short(&c.image) {
            return short(&c.image_id);
        }
        if let Ok(r) = reference::parse_normalized(&c.image) {
            let mut r = r;
            r.digest = None;
            return r.familiar_string();
        }
    }
    c.image.clone()
}

/// The CLI's `DisplayablePorts`: sorted, consecutive ports grouped into
/// ranges, IPv6 addresses bracketed, remapped ports listed last.
pub fn displayable_ports(ports: &[Port]) -> String {
    let mut ports = ports.to_vec();
    ports.sort_by(|a, b| {
        a.private_port
            .cmp(&b.private_port)
            .then_with(|| {
                a.ip.clone()
                    .unwrap_or_default()
                    .cmp(&b.ip.clone().unwrap_or_default())
            })
            .then_with(|| a.public_port.cmp(&b.public_port))
            .then_with(|| a.kind.cmp(&b.kind))
    });
    let join_host = |ip: &str, port: &str| {
        if ip.contains(':') {
            format!("[{ip}]:{port}")
        } else {
            format!("{ip}:{port}")
        }
    };
    let mut groups: Vec<(String, u16, u16)> = Vec::new();
    let mut result = Vec::new();
    let mut mappings = Vec::new();
    for p in &ports {
        let current = p.private_port;
        let mut key = p.kind.clone();
        if let Some(ip) = p.ip.as_deref().filter(|ip| !ip.is_empty()) {
            let public = p.public_port.unwrap_or(0);
            if public != current {
                mappings.push(format!(
                    "{}->{}/{}",
                    join_host(ip, &public.to_string()),
                    p.private_port,
                    p.kind
                ));
                continue;
            }
            key = format!("{ip}/{}", p.kind);
        }
        match groups.iter_mut().find(|g| g.0 == key) {
            None => groups.push((key, current, current)),
            Some(g) if current == g.2 + 1 => g.2 = current,
            Some(g) => {
                result.push(form_group(&g.0, g.1, g.2));
                g.1 = current;
                g.2 = current;
            }
        }
    }
    for (key, first, last) in &groups {
        result.push(form_group(key, *first, *last));
    }
    result.extend(mappings);
    result.join(", ")
}

fn form_group(key: &str, first: u16, last: u16) -> String {
    let (ip, kind) = match key.rsplit_once('/') {
        Some((ip, kind)) => (ip, kind),
        None => ("", key),
    };
    let mut group = first.to_string();
    if first != last {
        group = format!("{group}-{last}");
    }
    if !ip.is_empty() {
        let host = if ip.contains(':') {
            format!("[{ip}]:{group}")
        } else {
            format!("{ip}:{group}")
        };
        group = format!("{host}->{group}");
    }
    format!("{group}/{kind}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(ip: Option<&str>, private: u16, public: Option<u16>, kind: &str) -> Port {
        Port {
            ip: ip.map(str::to_string),
            private_port: private,
            public_port: public,
            kind: kind.into(),
        }
    }

    #[test]
    fn ports_like_the_cli() {
        assert_eq!(
            displayable_ports(&[
                port(Some("::"), 80, Some(8080), "tcp"),
                port(Some("0.0.0.0"), 80, Some(8080), "tcp")
            ]),
            "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp"
        );
        assert_eq!(displayable_ports(&[port(None, 80, None, "tcp")]), "80/tcp");
        assert_eq!(
            displayable_ports(&[
                port(Some("1.2.3.4"), 9998, Some(9998), "udp"),
                port(Some("1.2.3.4"), 9999, Some(9999), "udp")
            ]),
            "1.2.3.4:9998-9999->9998-9999/udp"
        );
        assert_eq!(
            displayable_ports(&[
                port(None, 9988, None, "udp"),
                port(Some("1.2.3.4"), 6677, Some(7766), "tcp")
            ]),
            "9988/udp, 1.2.3.4:7766->6677/tcp"
        );
    }

    #[test]
    fn go_quote() {
        assert_eq!(
            quote("nginx -g 'daemon off;'"),
            "\"nginx -g 'daemon off;'\""
        );
        assert_eq!(quote("a\"b"), "\"a\\\"b\"");
    }
}
