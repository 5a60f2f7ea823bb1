//! What the host diagram shows, read through the same Engine API calls the
//! CLI makes (ImageList, ImageInspect, ContainerList, ContainerInspect,
//! VolumeList, NetworkList) and laid out as columns: one per image, its
//! layers stacked from the base up. Layers are merged into a tree by their
//! content, so a layer that several images share is one block spanning
//! their columns: sharing is visible, not described.

use std::collections::BTreeMap;

use tidepool_engine::api::ContainerListOptions;
use tidepool_engine::Host;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostModel {
    /// In column order.
    pub images: Vec<ImageView>,
    pub layers: Vec<LayerView>,
    pub containers: Vec<ContainerView>,
    pub volumes: Vec<VolumeView>,
    pub networks: Vec<NetworkView>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageView {
    /// `sha256:…`.
    pub id: String,
    /// `nginx:latest`, … (empty for `<none>`).
    pub tags: Vec<String>,
    pub column: usize,
    pub layers: usize,
    pub size: i64,
    pub created: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LayerView {
    /// The layer's content digest (`RootFS.Layers`).
    pub digest: String,
    /// 0 for a base layer.
    pub depth: usize,
    pub first_column: usize,
    pub last_column: usize,
    /// Tags (or short ids) of the images built on it.
    pub used_by: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerView {
    pub id: String,
    pub name: String,
    pub image: String,
    /// The column of its image, when the image is still there.
    pub column: Option<usize>,
    /// `running`, `exited`, `paused`, `created`, `restarting`, `dead`.
    pub state: String,
    pub exit_code: i64,
    /// `0.0.0.0:8080 → 80/tcp`.
    pub ports: Vec<String>,
    /// `volume web-data → /usr/share/nginx/html`, `bind /root/site → …`.
    pub mounts: Vec<String>,
    pub networks: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VolumeView {
    pub name: String,
    pub used_by: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetworkView {
    pub name: String,
    pub driver: String,
    pub containers: Vec<String>,
}

/// A node of the layer tree: one layer on one particular stack below it.
#[derive(Default)]
struct Node {
    digest: String,
    depth: usize,
    children: BTreeMap<String, usize>,
    /// Images whose top layer this is.
    ends: Vec<usize>,
}

/// A short id as `docker images` shows it.
pub fn short(id: &str) -> String {
    id.trim_start_matches("sha256:").chars().take(12).collect()
}

impl HostModel {
    pub fn of(host: &Host) -> HostModel {
        let mut summaries = host.image_list();
        summaries.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
        let mut images: Vec<ImageView> = Vec::new();
        let mut stacks: Vec<Vec<String>> = Vec::new();
        for s in &summaries {
            let layers = host
                .image_inspect(&s.id)
                .map(|i| i.root_fs.layers)
                .unwrap_or_default();
            images.push(ImageView {
                id: s.id.clone(),
                tags: s
                    .repo_tags
                    .iter()
                    .filter(|t| *t != "<none>:<none>")
                    .cloned()
                    .collect(),
                column: 0,
                layers: layers.len(),
                size: s.size,
                created: s.created,
            });
            stacks.push(layers);
        }
        // The layer tree: a root, then one node per layer per stack below.
        let mut nodes = vec![Node::default()];
        for (i, stack) in stacks.iter().enumerate() {
            let mut at = 0;
            for (depth, digest) in stack.iter().enumerate() {
                let next = match nodes[at].children.get(digest) {
                    Some(n) => *n,
                    None => {
                        nodes.push(Node {
                            digest: digest.clone(),
                            depth,
                            ..Node::default()
                        });
                        let n = nodes.len() - 1;
                        nodes[at].children.insert(digest.clone(), n);
                        n
                    }
                };
                at = next;
            }
            nodes[at].ends.push(i);
        }
        // Columns in depth-first order, so an image's relatives sit beside it.
        let mut order: Vec<usize> = Vec::new();
        let mut spans: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        place(&nodes, 0, &mut order, &mut spans);
        for (column, image) in order.iter().enumerate() {
            images[*image].column = column;
        }
        let label = |i: usize| {
            images[i]
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| short(&images[i].id))
        };
        let mut layers = Vec::new();
        for (n, node) in nodes.iter().enumerate().skip(1) {
            let Some((first, last)) = spans.get(&n) else {
                continue;
            };
            let mut users = Vec::new();
            collect_ends(&nodes, n, &mut users);
            users.sort_by_key(|i| images[*i].column);
            layers.push(LayerView {
                digest: node.digest.clone(),
                depth: node.depth,
                first_column: *first,
                last_column: *last,
                used_by: users.into_iter().map(label).collect(),
            });
        }
        images.sort_by_key(|i| i.column);
        let column_of: BTreeMap<String, usize> =
            images.iter().map(|i| (i.id.clone(), i.column)).collect();

        let all = ContainerListOptions {
            all: true,
            ..ContainerListOptions::default()
        };
        let mut containers = Vec::new();
        let mut volume_users: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for c in host
            .container_list(&all)
            .unwrap_or_default()
            .into_iter()
            .rev()
        {
            let name = c
                .names
                .first()
                .map(|n| n.trim_start_matches('/').to_string())
                .unwrap_or_default();
            let inspect = host.container_inspect(&c.id).ok();
            let mut ports: Vec<String> = c
                .ports
                .iter()
                .filter_map(|p| {
                    let public = p.public_port?;
                    let ip = p.ip.as_deref().unwrap_or("0.0.0.0");
                    (ip != "::").then(|| format!("{ip}:{public} → {}/{}", p.private_port, p.kind))
                })
                .collect();
            ports.dedup();
            let mut mounts = Vec::new();
            for m in inspect.iter().flat_map(|i| i.mounts.iter()) {
                let from = if m.kind == "volume" {
                    volume_users
                        .entry(m.name.clone())
                        .or_default()
                        .push(name.clone());
                    short_volume(&m.name)
                } else {
                    m.source.clone()
                };
                mounts.push(format!("{} {from} → {}", m.kind, m.destination));
            }
            containers.push(ContainerView {
                id: c.id.clone(),
                name,
                image: c.image.clone(),
                column: column_of.get(&c.image_id).copied(),
                state: c.state.clone(),
                exit_code: inspect.as_ref().map(|i| i.state.exit_code).unwrap_or(0),
                ports,
                mounts,
                networks: c.network_settings.networks.keys().cloned().collect(),
            });
        }
        let volumes = host
            .volume_list()
            .into_iter()
            .map(|v| VolumeView {
                used_by: volume_users.remove(&v.name).unwrap_or_default(),
                name: v.name,
            })
            .collect();
        let names: BTreeMap<String, String> = containers
            .iter()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect();
        let networks = host
            .network_list()
            .into_iter()
            .map(|n| NetworkView {
                containers: n
                    .containers
                    .keys()
                    .filter_map(|id| names.get(id).cloned())
                    .collect(),
                name: n.name,
                driver: n.driver,
            })
            .collect();
        HostModel {
            images,
            layers,
            containers,
            volumes,
            networks,
        }
    }

    /// The diagram as sentences, for screen readers and for reading.
    pub fn describe(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for image in &self.images {
            let name = image
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| format!("<none> ({})", short(&image.id)));
            let shared = self
                .layers
                .iter()
                .filter(|l| {
                    l.used_by.len() > 1 && (l.first_column..=l.last_column).contains(&image.column)
                })
                .count();
            let mut line = format!("Image {name}: {} layers", image.layers);
            if shared > 0 {
                line.push_str(&format!(", {shared} of them shared with other images"));
            }
            if image.tags.len() > 1 {
                line.push_str(&format!(" (also tagged {})", image.tags[1..].join(", ")));
            }
            lines.push(line);
        }
        for c in &self.containers {
            let mut line = format!("Container {} from {}: {}", c.name, c.image, c.state);
            if c.state == "exited" {
                line.push_str(&format!(" (code {})", c.exit_code));
            }
            for p in &c.ports {
                line.push_str(&format!(", port {p}"));
            }
            for m in &c.mounts {
                line.push_str(&format!(", {m}"));
            }
            if !c.networks.is_empty() {
                line.push_str(&format!(", on {}", c.networks.join(", ")));
            }
            lines.push(line);
        }
        for v in &self.volumes {
            let users = if v.used_by.is_empty() {
                "unused".to_string()
            } else {
                format!("used by {}", v.used_by.join(", "))
            };
            lines.push(format!("Volume {}: {users}", short_volume(&v.name)));
        }
        for n in self.networks.iter().filter(|n| !n.containers.is_empty()) {
            lines.push(format!(
                "Network {} ({}): {}",
                n.name,
                n.driver,
                n.containers.join(", ")
            ));
        }
        lines
    }
}

/// Anonymous volumes have 64-hex names; 12 are enough to tell them apart.
pub fn short_volume(name: &str) -> String {
    if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!("{}…", &name[..12])
    } else {
        name.to_string()
    }
}

/// Gives every image a column, depth first, and every node the span of
/// columns of the images above it.
fn place(
    nodes: &[Node],
    n: usize,
    order: &mut Vec<usize>,
    spans: &mut BTreeMap<usize, (usize, usize)>,
) -> Option<(usize, usize)> {
    let node = &nodes[n];
    let mut span: Option<(usize, usize)> = None;
    let widen = |s: (usize, usize), span: &mut Option<(usize, usize)>| {
        *span = Some(match *span {
            None => s,
            Some((a, b)) => (a.min(s.0), b.max(s.1)),
        });
    };
    for image in &node.ends {
        order.push(*image);
        let column = order.len() - 1;
        widen((column, column), &mut span);
    }
    for child in node.children.values() {
        if let Some(s) = place(nodes, *child, order, spans) {
            widen(s, &mut span);
        }
    }
    if let Some(s) = span {
        spans.insert(n, s);
    }
    span
}

fn collect_ends(nodes: &[Node], n: usize, out: &mut Vec<usize>) {
    out.extend(nodes[n].ends.iter().copied());
    for child in nodes[n].children.values() {
        collect_ends(nodes, *child, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tidepool_shell::{script, Sandbox};

    fn host_after(lines: &str) -> HostModel {
        let mut sandbox = Sandbox::new(3);
        script::run_in(&mut sandbox, lines);
        HostModel::of(sandbox.host())
    }

    #[test]
    fn nginx_latest_and_stable_share_their_base_layer_once() {
        let model = host_after("docker pull -q nginx\ndocker pull -q nginx:stable\n");
        assert_eq!(model.images.len(), 2);
        let base: Vec<&LayerView> = model.layers.iter().filter(|l| l.depth == 0).collect();
        assert_eq!(base.len(), 1, "one base layer block: {:?}", model.layers);
        assert_eq!((base[0].first_column, base[0].last_column), (0, 1));
        assert_eq!(base[0].used_by.len(), 2);
        // Above what they share, each has layers of its own.
        assert!(model.layers.iter().any(|l| l.used_by == ["nginx:latest"]));
        assert!(model.layers.iter().any(|l| l.used_by == ["nginx:stable"]));
        assert!(model.describe()[0].contains("shared with other images"));
    }

    #[test]
    fn containers_sit_on_their_image_with_ports_mounts_and_networks() {
        let model = host_after(
            "docker network create shop\ndocker volume create data\ndocker run -d --name web -p 8080:80 -v data:/usr/share/nginx/html --network shop nginx\ndocker run --name hi hello-world\n",
        );
        let web = model.containers.iter().find(|c| c.name == "web").unwrap();
        assert_eq!(web.state, "running");
        assert_eq!(web.ports, ["0.0.0.0:8080 → 80/tcp"]);
        assert_eq!(web.mounts, ["volume data → /usr/share/nginx/html"]);
        assert_eq!(web.networks, ["shop"]);
        let nginx = model
            .images
            .iter()
            .find(|i| i.tags == ["nginx:latest"])
            .unwrap();
        assert_eq!(web.column, Some(nginx.column));
        let hi = model.containers.iter().find(|c| c.name == "hi").unwrap();
        assert_eq!((hi.state.as_str(), hi.exit_code), ("exited", 0));
        assert_eq!(
            model.volumes,
            [VolumeView {
                name: "data".into(),
                used_by: vec!["web".into()]
            }]
        );
        let text = model.describe().join("\n");
        assert!(text.contains("Container web from nginx: running, port 0.0.0.0:8080 → 80/tcp, volume data → /usr/share/nginx/html, on shop"), "{text}");
        assert!(text.contains("Network shop (bridge): web"));
    }
}
