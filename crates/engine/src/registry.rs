//! Registries. Docker Hub is simulated from the image catalog
//! (`catalog/images.toml`, which build.rs hands over as JSON), which is data:
//! each repository, its tags, each tag's layers and config. Layers are built from the catalog once and
//! shared, so every host that pulls `nginx` gets the same digests.

use crate::api::{ContainerConfig, Empty};
use crate::clock::Timestamp;
use crate::fs::{Content, FileTree, Meta, Node};
use crate::image::{image_id_for, sha256_digest, HistoryEntry, Image, Layer};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

const CATALOG: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog.json"));

#[derive(Deserialize)]
struct CatalogFile {
    layers: BTreeMap<String, LayerSpec>,
    images: Vec<ImageSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LayerSpec {
    bulk: u64,
    bin_dir: Option<String>,
    #[serde(default)]
    bin: Vec<String>,
    #[serde(default)]
    dirs: Vec<String>,
    #[serde(default)]
    symlinks: BTreeMap<String, String>,
    #[serde(default)]
    programs: BTreeMap<String, String>,
    #[serde(default)]
    files: BTreeMap<String, String>,
    /// Executables whose text matters (`cat /docker-entrypoint.sh`):
    /// path → program and script text.
    #[serde(default)]
    scripts: BTreeMap<String, ScriptSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScriptSpec {
    program: String,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImageSpec {
    repository: String,
    tags: Vec<String>,
    layers: Vec<String>,
    created: u64,
    description: String,
    stars: u64,
    official: bool,
    config: ConfigSpec,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default, deny_unknown_fields)]
struct ConfigSpec {
    env: Vec<String>,
    cmd: Option<Vec<String>>,
    entrypoint: Option<Vec<String>>,
    exposed_ports: Vec<String>,
    stop_signal: Option<String>,
    working_dir: String,
    user: String,
    labels: BTreeMap<String, String>,
    volumes: Vec<String>,
}

/// One tag's content in a registry: the image and the layers it needs.
#[derive(Clone, Debug)]
pub struct Manifest {
    /// `sha256:…` of the manifest, what `Digest:` prints and RepoDigests hold.
    pub digest: String,
    pub image: Image,
    pub layers: Vec<Layer>,
}

#[derive(Clone, Debug)]
pub struct Repository {
    pub description: String,
    pub stars: u64,
    pub official: bool,
    pub tags: BTreeMap<String, Arc<Manifest>>,
}

#[derive(Clone, Debug, Default)]
pub struct Registry {
    /// Keyed by path: `library/nginx`, `devwikirepo/tencounter`.
    pub repositories: BTreeMap<String, Repository>,
}

impl Registry {
    /// Docker Hub as the catalog describes it, built once per process.
    pub fn docker_hub() -> Arc<Registry> {
        static HUB: OnceLock<Arc<Registry>> = OnceLock::new();
        Arc::clone(HUB.get_or_init(|| Arc::new(build_hub(CATALOG))))
    }

    pub fn manifest(&self, path: &str, tag: &str) -> Option<&Arc<Manifest>> {
        self.repositories.get(path)?.tags.get(tag)
    }

    pub fn manifest_by_digest(&self, path: &str, digest: &str) -> Option<&Arc<Manifest>> {
        self.repositories
            .get(path)?
            .tags
            .values()
            .find(|m| m.digest == digest)
    }
}

fn build_layer(name: &str, spec: &LayerSpec) -> Layer {
    let mut tree = FileTree::new();
    for dir in &spec.dirs {
        tree.insert(dir, Node::dir());
    }
    if let Some(bin_dir) = &spec.bin_dir {
        for prog in &spec.bin {
            let node = Node::File {
                meta: Meta::EXEC,
                content: Content::Placeholder {
                    size: 0,
                    label: format!("{name}:{prog}"),
                },
                program: Some(prog.clone()),
            };
            tree.insert(&format!("{bin_dir}/{prog}"), node);
        }
    }
    for (path, program) in &spec.programs {
        let node = Node::File {
            meta: Meta::EXEC,
            content: Content::Placeholder {
                size: 0,
                label: format!("{name}:{program}"),
            },
            program: Some(program.clone()),
        };
        tree.insert(path, node);
    }
    for (path, text) in &spec.files {
        tree.insert(path, Node::file(text.as_bytes()));
    }
    for (path, script) in &spec.scripts {
        let node = Node::File {
            meta: Meta::EXEC,
            content: Content::Bytes(script.text.clone().into_bytes()),
            program: Some(script.program.clone()),
        };
        tree.insert(path, node);
    }
    for (path, target) in &spec.symlinks {
        tree.insert(
            path,
            Node::Symlink {
                target: target.clone(),
            },
        );
    }
    let used = tree.content_size();
    let bulk = Node::File {
        meta: Meta::FILE,
        content: Content::Placeholder {
            size: spec.bulk.saturating_sub(used),
            label: name.to_string(),
        },
        program: None,
    };
    tree.insert(&format!("/usr/share/tidepool/{name}.bulk"), bulk);
    Layer::new(tree)
}

fn quote_args(args: &[String]) -> String {
    let quoted: Vec<String> = args.iter().map(|a| format!("\"{a}\"")).collect();
    format!("[{}]", quoted.join(" "))
}

fn build_image(spec: &ImageSpec, layers: &[Layer], layer_names: &[String]) -> Image {
    let created = Timestamp(spec.created.saturating_mul(1000));
    let c = &spec.config;
    let config = ContainerConfig {
        env: c.env.clone(),
        cmd: c.cmd.clone(),
        entrypoint: c.entrypoint.clone(),
        exposed_ports: c
            .exposed_ports
            .iter()
            .map(|p| (p.clone(), Empty {}))
            .collect(),
        stop_signal: c.stop_signal.clone(),
        working_dir: c.working_dir.clone(),
        user: c.user.clone(),
        labels: c.labels.clone(),
        volumes: (!c.volumes.is_empty())
            .then(|| c.volumes.iter().map(|v| (v.clone(), Empty {})).collect()),
        ..ContainerConfig::default()
    };
    let mut history = Vec::new();
    for (i, (layer, name)) in layers.iter().zip(layer_names).enumerate() {
        let created_by = if i == 0 {
            format!("# {name}: ADD rootfs.tar.xz / # buildkit")
        } else {
            format!("RUN /bin/sh -c install-{name} # buildkit")
        };
        let _ = layer;
        history.push(HistoryEntry {
            created,
            created_by,
            comment: "buildkit.dockerfile.v0".into(),
            empty_layer: false,
        });
    }
    let mut meta = |text: String| {
        history.push(HistoryEntry {
            created,
            created_by: text,
            comment: "buildkit.dockerfile.v0".into(),
            empty_layer: true,
        })
    };
    for e in &c.env {
        meta(format!("ENV {e}"));
    }
    if !c.working_dir.is_empty() {
        meta(format!("WORKDIR {}", c.working_dir));
    }
    for p in &c.exposed_ports {
        meta(format!("EXPOSE map[{p}:{{}}]"));
    }
    if let Some(s) = &c.stop_signal {
        meta(format!("STOPSIGNAL {s}"));
    }
    if let Some(e) = &c.entrypoint {
        meta(format!("ENTRYPOINT {}", quote_args(e)));
    }
    if let Some(cmd) = &c.cmd {
        meta(format!("CMD {}", quote_args(cmd)));
    }
    let digests: Vec<String> = layers.iter().map(|l| l.digest.clone()).collect();
    let id = image_id_for(&config, &digests, created, &history, "");
    let size = layers.iter().map(|l| l.size).sum();
    Image {
        id,
        config,
        layers: digests,
        created,
        history,
        repo_digests: Vec::new(),
        size,
        parent: String::new(),
    }
}

fn build_hub(text: &str) -> Registry {
    // The catalog ships inside the binary and is checked by the tests below,
    // so a parse failure here is a build defect, not user input.
    let file: CatalogFile = match serde_json::from_str(text) {
        Ok(f) => f,
        Err(e) => panic!("catalog/images.toml is invalid: {e}"),
    };
    let built: BTreeMap<&String, Layer> = file
        .layers
        .iter()
        .map(|(name, spec)| (name, build_layer(name, spec)))
        .collect();
    let mut registry = Registry::default();
    for spec in &file.images {
        let layers: Vec<Layer> = spec
            .layers
            .iter()
            .filter_map(|n| built.get(n).cloned())
            .collect();
        assert_eq!(
            layers.len(),
            spec.layers.len(),
            "catalog image {} names a missing layer",
            spec.repository
        );
        let image = build_image(spec, &layers, &spec.layers);
        let manifest_json = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": { "digest": image.id, "size": 7000 },
            "layers": image.layers.iter().map(|d| serde_json::json!({"digest": d})).collect::<Vec<_>>(),
        });
        let digest = sha256_digest(manifest_json.to_string().as_bytes());
        let manifest = Arc::new(Manifest {
            digest,
            image,
            layers,
        });
        let repo = registry
            .repositories
            .entry(spec.repository.clone())
            .or_insert_with(|| Repository {
                description: spec.description.clone(),
                stars: spec.stars,
                official: spec.official,
                tags: BTreeMap::new(),
            });
        for tag in &spec.tags {
            repo.tags.insert(tag.clone(), Arc::clone(&manifest));
        }
    }
    registry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_builds_and_sizes_look_real() {
        let hub = Registry::docker_hub();
        let size = |repo: &str, tag: &str| hub.manifest(repo, tag).unwrap().image.size;
        let mb = |n: u64| n / 1_000_000;
        assert_eq!(mb(size("library/nginx", "latest")), 192);
        assert_eq!(mb(size("library/alpine", "latest")), 8);
        assert!(size("library/hello-world", "latest") < 20_000);
        assert!(size("library/node", "latest") > 1_000_000_000);
    }

    #[test]
    fn nginx_latest_and_stable_share_their_base_layer() {
        let hub = Registry::docker_hub();
        let latest = &hub.manifest("library/nginx", "latest").unwrap().image;
        let stable = &hub.manifest("library/nginx", "stable").unwrap().image;
        assert_eq!(latest.layers[0], stable.layers[0]);
        assert_ne!(latest.id, stable.id);
        let mainline = &hub.manifest("library/nginx", "mainline").unwrap().image;
        assert_eq!(latest.id, mainline.id);
    }
}
