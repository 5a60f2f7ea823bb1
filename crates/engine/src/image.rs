//! Images and their layers.
//!
//! A layer is an immutable `FileTree` identified by the sha256 of its
//! canonical bytes. The store keeps each layer once, however many images use
//! it, and counts its users; an image is a config plus an ordered list of
//! layer digests, and its id is the sha256 of that config's JSON. This is
//! what makes `docker pull nginx:stable` after `nginx:latest` say "Already
//! exists" for the shared base, and `docker rmi` delete only what nothing
//! else uses.

use crate::api::ContainerConfig;
use crate::clock::Timestamp;
use crate::fs::FileTree;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;

/// `sha256:<64 hex>` of some bytes.
/// 64 hex digits the daemon would have made up for a `kind` of thing
/// (`overlay2` directories, network sandboxes), derived from `seed` so a
/// simulated host names it the same way every time it is shown.
pub fn derived_id(kind: &str, seed: &str) -> String {
    let digest = sha256_digest(format!("{kind} {seed}").as_bytes());
    digest
        .strip_prefix("sha256:")
        .unwrap_or(&digest)
        .to_string()
}

/// The directory overlay2 keeps a layer in (`/var/lib/docker/overlay2/<id>`),
/// from the layer's digest (or, for a container's own layer, its id).
pub fn overlay_dir_id(seed: &str) -> String {
    derived_id("overlay2", seed)
}

pub fn sha256_digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The 12 hex digits docker shows for an id or digest.
pub fn short_id(id: &str) -> &str {
    let hex = id.strip_prefix("sha256:").unwrap_or(id);
    &hex[..hex.len().min(12)]
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layer {
    pub digest: String,
    pub tree: Arc<FileTree>,
    pub size: u64,
}

impl Layer {
    pub fn new(tree: FileTree) -> Layer {
        let digest = sha256_digest(&tree.canonical_bytes());
        let size = tree.content_size();
        Layer {
            digest,
            tree: Arc::new(tree),
            size,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub created: Timestamp,
    pub created_by: String,
    pub comment: String,
    pub empty_layer: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    /// `sha256:<hex>`, the digest of the config.
    pub id: String,
    pub config: ContainerConfig,
    /// Bottom-up layer digests.
    pub layers: Vec<String>,
    pub created: Timestamp,
    pub history: Vec<HistoryEntry>,
    /// `nginx@sha256:<manifest digest>` entries, familiar form.
    pub repo_digests: Vec<String>,
    pub size: u64,
    /// The image this one was made from, for `docker commit` and the legacy
    /// builder's steps; empty for pulled and BuildKit-built images, whose
    /// configs name no parent (which is why `docker history` shows
    /// `<missing>` below their top row).
    pub parent: String,
}

/// The image config JSON whose digest is the image id (the OCI config
/// blob: architecture, config, created, history, os, rootfs, and the
/// `parent` a commit or a legacy build step names).
pub fn image_id_for(
    config: &ContainerConfig,
    layers: &[String],
    created: Timestamp,
    history: &[HistoryEntry],
    parent: &str,
) -> String {
    let history_json: Vec<serde_json::Value> = history
        .iter()
        .map(|h| {
            serde_json::json!({
                "created": h.created.rfc3339_nano(),
                "created_by": h.created_by,
                "comment": h.comment,
                "empty_layer": h.empty_layer,
            })
        })
        .collect();
    let mut blob = serde_json::json!({
        "architecture": "amd64",
        "config": config,
        "created": created.rfc3339_nano(),
        "history": history_json,
        "os": "linux",
        "rootfs": { "type": "layers", "diff_ids": layers },
    });
    if !parent.is_empty() {
        blob["parent"] = serde_json::Value::String(parent.to_string());
    }
    sha256_digest(blob.to_string().as_bytes())
}

#[derive(Clone, Debug, Default)]
struct StoredLayer {
    layer: Option<Layer>,
    users: usize,
}

/// The daemon's local images: layers stored once, images, and tags.
#[derive(Clone, Debug, Default)]
pub struct ImageStore {
    layers: BTreeMap<String, StoredLayer>,
    images: BTreeMap<String, Image>,
    /// Fully qualified `docker.io/library/nginx:latest` → image id.
    tags: BTreeMap<String, String>,
}

impl ImageStore {
    /// What should always hold: each stored layer is counted once per
    /// image using it and has its data, and every image's layers are
    /// stored. The first thing that does not hold, in words.
    pub fn check(&self) -> Result<(), String> {
        let mut users: BTreeMap<&str, usize> = BTreeMap::new();
        for image in self.images.values() {
            for digest in &image.layers {
                *users.entry(digest.as_str()).or_default() += 1;
                if !self.has_layer(digest) {
                    return Err(format!("image {} uses missing layer {digest}", image.id));
                }
            }
        }
        for (digest, stored) in &self.layers {
            let counted = users.get(digest.as_str()).copied().unwrap_or(0);
            if stored.users != counted {
                return Err(format!(
                    "layer {digest} counts {} users, {counted} images use it",
                    stored.users
                ));
            }
        }
        for (tag, id) in &self.tags {
            if !self.images.contains_key(id) {
                return Err(format!("tag {tag} names missing image {id}"));
            }
        }
        Ok(())
    }

    pub fn has_layer(&self, digest: &str) -> bool {
        self.layers.get(digest).is_some_and(|l| l.layer.is_some())
    }

    pub fn layer(&self, digest: &str) -> Option<&Layer> {
        self.layers.get(digest).and_then(|l| l.layer.as_ref())
    }

    /// Adds an image whose layers are given (already stored ones are
    /// reused). Returns the image id.
    pub fn add_image(&mut self, image: Image, layers: &[Layer]) -> String {
        if self.images.contains_key(&image.id) {
            return image.id;
        }
        for digest in &image.layers {
            let entry = self.layers.entry(digest.clone()).or_default();
            if entry.layer.is_none() {
                entry.layer = layers.iter().find(|l| &l.digest == digest).cloned();
            }
            entry.users += 1;
        }
        let id = image.id.clone();
        self.images.insert(id.clone(), image);
        id
    }

    /// Removes an image record and frees layers nothing else uses. Returns
    /// the freed layer digests, top layer first (the order `docker rmi`
    /// prints them).
    pub fn remove_image(&mut self, id: &str) -> Vec<String> {
        let Some(image) = self.images.remove(id) else {
            return Vec::new();
        };
        self.tags.retain(|_, v| v != id);
        let mut freed = Vec::new();
        for digest in image.layers.iter().rev() {
            if let Some(entry) = self.layers.get_mut(digest) {
                entry.users = entry.users.saturating_sub(1);
                if entry.users == 0 {
                    self.layers.remove(digest);
                    freed.push(digest.clone());
                }
            }
        }
        freed
    }

    pub fn image(&self, id: &str) -> Option<&Image> {
        self.images.get(id)
    }

    pub(crate) fn image_mut(&mut self, id: &str) -> Option<&mut Image> {
        self.images.get_mut(id)
    }

    pub fn images(&self) -> impl Iterator<Item = &Image> {
        self.images.values()
    }

    pub fn tag(&mut self, full_ref: &str, id: &str) -> Option<String> {
        self.tags.insert(full_ref.to_string(), id.to_string())
    }

    pub fn untag(&mut self, full_ref: &str) -> Option<String> {
        self.tags.remove(full_ref)
    }

    pub fn tagged(&self, full_ref: &str) -> Option<&String> {
        self.tags.get(full_ref)
    }

    /// Every `docker.io/library/nginx:latest`-style tag pointing at `id`.
    pub fn tags_of(&self, id: &str) -> Vec<String> {
        self.tags
            .iter()
            .filter(|(_, v)| v.as_str() == id)
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Bytes the store holds, each layer counted once.
    pub fn stored_bytes(&self) -> u64 {
        self.layers
            .values()
            .filter_map(|l| l.layer.as_ref())
            .map(|l| l.size)
            .sum()
    }

    /// The trees of an image's layers, top-down, ready for a `Union`.
    pub fn layer_trees(&self, id: &str) -> Vec<Arc<FileTree>> {
        let Some(image) = self.images.get(id) else {
            return Vec::new();
        };
        image
            .layers
            .iter()
            .rev()
            .filter_map(|d| self.layer(d))
            .map(|l| Arc::clone(&l.tree))
            .collect()
    }

    /// Resolves what a user typed to an image id: a full or short id
    /// (with or without `sha256:`), or a tag.
    pub fn resolve_id(&self, s: &str) -> Option<String> {
        let hex = s.strip_prefix("sha256:").unwrap_or(s);
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let matches: Vec<&String> = self
                .images
                .keys()
                .filter(|id| {
                    id.strip_prefix("sha256:")
                        .is_some_and(|h| h.starts_with(hex))
                })
                .collect();
            if matches.len() == 1 {
                return Some(matches[0].clone());
            }
        }
        None
    }
}
