use super::*;
use super::{from_image_query, repo_tag_query};

impl Host {
    // ---- images ---------------------------------------------------------

    /// ImageCreate (`docker pull`): fetches `image` (a reference as typed)
    /// from its registry. Returns the progress messages the daemon streams.
    pub fn image_pull(&mut self, image: &str) -> Result<Vec<JsonMessage>> {
        self.api(
            "POST",
            format!("/images/create?{}", from_image_query(image)),
        );
        let r = reference::parse_normalized(image)
            .map_err(|e| EngineError::InvalidReference(e.to_string()))?;
        let r = r.with_default_tag();
        let hub = self.registry_for_pull(&r.domain)?;
        let manifest = match (&r.tag, &r.digest) {
            (_, Some(d)) => hub.manifest_by_digest(&r.path, d),
            (Some(t), None) => hub.manifest(&r.path, t),
            (None, None) => None,
        };
        let Some(manifest) = manifest else {
            if hub.repositories.contains_key(&r.path) {
                return Err(EngineError::ManifestUnknown(r.familiar_string()));
            }
            return Err(EngineError::PullAccessDenied(r.familiar_name()));
        };
        let mut out = Vec::new();
        let from = match (&r.digest, &r.tag) {
            (Some(_), _) => format!("{}: Pulling from {}", r, r.path),
            (None, Some(t)) => format!("{t}: Pulling from {}", r.path),
            (None, None) => format!("Pulling from {}", r.path),
        };
        out.push(JsonMessage::status(from));
        let full_ref = match &r.digest {
            Some(_) => None,
            None => Some(r.to_string()),
        };
        let up_to_date = self.images.image(&manifest.image.id).is_some()
            && full_ref
                .as_ref()
                .is_none_or(|t| self.images.tagged(t) == Some(&manifest.image.id));
        if !up_to_date {
            for layer in &manifest.layers {
                let id = short_id(&layer.digest).to_string();
                if self.images.has_layer(&layer.digest) {
                    out.push(JsonMessage::layer(id, "Already exists"));
                } else {
                    out.push(JsonMessage::layer(id.clone(), "Pulling fs layer"));
                    let detail = ProgressDetail {
                        current: 0,
                        total: layer.size,
                    };
                    out.push(JsonMessage {
                        progress_detail: Some(detail),
                        ..JsonMessage::layer(id.clone(), "Downloading")
                    });
                    out.push(JsonMessage::layer(id.clone(), "Download complete"));
                    out.push(JsonMessage {
                        progress_detail: Some(detail),
                        ..JsonMessage::layer(id.clone(), "Extracting")
                    });
                    out.push(JsonMessage::layer(id, "Pull complete"));
                }
            }
        }
        out.push(JsonMessage::status(format!("Digest: {}", manifest.digest)));
        let mut image = manifest.image.clone();
        let repo_digest = format!("{}@{}", r.familiar_name(), manifest.digest);
        if let Some(existing) = self.images.image(&image.id) {
            image.repo_digests = existing.repo_digests.clone();
        }
        if !image.repo_digests.contains(&repo_digest) {
            image.repo_digests.push(repo_digest);
        }
        let id = image.id.clone();
        if self.images.image(&id).is_some() {
            self.images
                .replace_repo_digests(&id, image.repo_digests.clone());
        } else {
            self.images.add_image(image, &manifest.layers);
        }
        // An image that loses its last tag stays, as `<none>:<none>`.
        if let Some(t) = &full_ref {
            self.images.tag(t, &id);
        }
        let shown = r.familiar_string();
        let name = BTreeMap::from([("name".to_string(), r.familiar_name())]);
        self.emit("image", "pull", &shown, name);
        out.push(JsonMessage::status(if up_to_date {
            format!("Status: Image is up to date for {shown}")
        } else {
            format!("Status: Downloaded newer image for {shown}")
        }));
        Ok(out)
    }

    /// ImageList (`GET /images/json`), newest first.
    pub fn image_list(&self) -> Vec<ImageSummary> {
        self.api("GET", "/images/json");
        // SharedSize: the bytes of an image's layers that another listed
        // image also uses.
        let mut layer_users: std::collections::BTreeMap<&String, usize> =
            std::collections::BTreeMap::new();
        for img in self.images.images().filter(|i| !self.is_build_cache(&i.id)) {
            for d in img.layers.iter().collect::<std::collections::BTreeSet<_>>() {
                *layer_users.entry(d).or_default() += 1;
            }
        }
        let shared_size = |img: &crate::image::Image| -> i64 {
            img.layers
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .filter(|d| layer_users.get(d).is_some_and(|n| *n > 1))
                .filter_map(|d| self.images.layer(d))
                .map(|l| l.size as i64)
                .sum()
        };
        let mut list: Vec<ImageSummary> = self
            .images
            .images()
            .filter(|img| !self.is_build_cache(&img.id))
            .map(|img| {
                let mut repo_tags: Vec<String> = self
                    .images
                    .tags_of(&img.id)
                    .iter()
                    .filter_map(|t| reference::parse_normalized(t).ok())
                    .map(|r| r.familiar_string())
                    .collect();
                repo_tags.sort();
                ImageSummary {
                    id: img.id.clone(),
                    parent_id: img.parent.clone(),
                    repo_tags,
                    repo_digests: img.repo_digests.clone(),
                    created: img.created.unix_secs() as i64,
                    size: img.size as i64,
                    shared_size: shared_size(img),
                    labels: img.config.labels.clone(),
                    containers: -1,
                }
            })
            .collect();
        list.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
        list
    }
}

impl ImageStore {
    pub(crate) fn replace_repo_digests(&mut self, id: &str, digests: Vec<String>) {
        if let Some(img) = self.image_mut(id) {
            img.repo_digests = digests;
        }
    }
}

impl Host {
    /// The familiar `nginx:latest` names of an image's tags, sorted.
    fn familiar_tags(&self, id: &str) -> Vec<String> {
        let mut tags: Vec<String> = self
            .images
            .tags_of(id)
            .iter()
            .filter_map(|t| reference::parse_normalized(t).ok())
            .map(|r| r.familiar_string())
            .collect();
        tags.sort();
        tags
    }

    /// ImageTag: `target` names the same image as `source`.
    pub fn image_tag(&mut self, source: &str, target: &str) -> Result<()> {
        self.api(
            "POST",
            format!("/images/{source}/tag?{}", repo_tag_query(target)),
        );
        let id = self.resolve_image(source)?;
        let r = reference::parse_normalized(target)
            .map_err(|e| EngineError::InvalidReference(e.to_string()))?;
        if r.digest.is_some() {
            return Err(EngineError::InvalidArgument(
                "refusing to create a tag with a digest reference".into(),
            ));
        }
        let full = r.with_default_tag().to_string();
        self.images.tag(&full, &id);
        Ok(())
    }

    /// ImageDelete (`docker rmi`), with Docker's rules: removing one of
    /// several tags only untags; removing the last tag deletes the image and
    /// the layers no other image uses; images used by containers need -f
    /// (and a running container's image cannot be deleted at all).
    pub fn image_remove(&mut self, name: &str, force: bool) -> Result<Vec<ImageDeleteItem>> {
        self.api(
            "DELETE",
            format!("/images/{name}{}", if force { "?force=1" } else { "" }),
        );
        let by_ref = reference::parse_normalized(name)
            .ok()
            .map(|r| r.with_default_tag())
            .filter(|r| self.images.tagged(&r.to_string()).is_some());
        let id = match &by_ref {
            Some(r) => self
                .images
                .tagged(&r.to_string())
                .cloned()
                .unwrap_or_default(),
            None => self.resolve_image(name)?,
        };
        let short = short_id(&id).to_string();
        let users: Vec<&Container> = self
            .containers
            .values()
            .filter(|c| c.image_id == id)
            .collect();
        let running_user = users
            .iter()
            .find(|c| c.state.is_running())
            .map(|c| c.short_id().to_string());
        let any_user = users.first().map(|c| c.short_id().to_string());
        let tags = self.images.tags_of(&id);
        let mut out = Vec::new();
        if let Some(r) = by_ref {
            let full = r.to_string();
            let last_tag = tags.len() == 1;
            if last_tag {
                if let Some(user) = &any_user {
                    if !force {
                        return Err(EngineError::Conflict(format!(
                            "conflict: unable to remove repository reference \"{name}\" (must force) - container {user} is using its referenced image {short}"
                        )));
                    }
                    // Forced: the name goes, the image stays for its container.
                    self.images.untag(&full);
                    out.push(ImageDeleteItem::Untagged(r.familiar_string()));
                    return Ok(out);
                }
            }
            self.images.untag(&full);
            out.push(ImageDeleteItem::Untagged(r.familiar_string()));
            // The repository's last tag takes its digest references along.
            let repo = r.familiar_name();
            let repo_tag_left = self
                .images
                .tags_of(&id)
                .iter()
                .filter_map(|t| reference::parse_normalized(t).ok())
                .any(|t| t.familiar_name() == repo);
            if !repo_tag_left {
                let digests = self
                    .images
                    .image(&id)
                    .map(|i| i.repo_digests.clone())
                    .unwrap_or_default();
                let (gone, kept): (Vec<String>, Vec<String>) = digests
                    .into_iter()
                    .partition(|d| d.split_once('@').is_some_and(|(n, _)| n == repo));
                out.extend(gone.into_iter().map(ImageDeleteItem::Untagged));
                self.images.replace_repo_digests(&id, kept);
            }
            let refs_left = !self.images.tags_of(&id).is_empty()
                || self
                    .images
                    .image(&id)
                    .is_some_and(|i| !i.repo_digests.is_empty());
            if !last_tag || refs_left {
                return Ok(out);
            }
        } else {
            if let Some(user) = &running_user {
                return Err(EngineError::Conflict(format!(
                    "conflict: unable to delete {short} (cannot be forced) - image is being used by running container {user}"
                )));
            }
            if let Some(user) = &any_user {
                if !force {
                    return Err(EngineError::Conflict(format!(
                        "conflict: unable to delete {short} (must be forced) - image is being used by stopped container {user}"
                    )));
                }
            }
            if tags.len() > 1 && !force {
                return Err(EngineError::Conflict(format!(
                    "conflict: unable to delete {short} (must be forced) - image is referenced in multiple repositories"
                )));
            }
            for t in &tags {
                self.images.untag(t);
                if let Ok(r) = reference::parse_normalized(t) {
                    out.push(ImageDeleteItem::Untagged(r.familiar_string()));
                }
            }
            if any_user.is_some() {
                return Ok(out);
            }
        }
        let digests = self
            .images
            .image(&id)
            .map(|i| i.repo_digests.clone())
            .unwrap_or_default();
        for d in digests {
            out.push(ImageDeleteItem::Untagged(d));
        }
        out.push(ImageDeleteItem::Deleted(id.clone()));
        for layer in self.images.remove_image(&id) {
            out.push(ImageDeleteItem::Deleted(layer));
        }
        Ok(out)
    }

    /// ImageHistory: newest step first.
    pub fn image_history(&self, name: &str) -> Result<Vec<HistoryItem>> {
        self.api("GET", format!("/images/{name}/history"));
        let id = self.resolve_image(name)?;
        let Some(img) = self.images.image(&id) else {
            return Err(EngineError::NoSuchImage(name.to_string()));
        };
        let mut rows = Vec::new();
        let mut layer_index = 0usize;
        for h in &img.history {
            let size = if h.empty_layer {
                0
            } else {
                let s = img
                    .layers
                    .get(layer_index)
                    .and_then(|d| self.images.layer(d))
                    .map(|l| l.size)
                    .unwrap_or(0);
                layer_index += 1;
                s
            };
            rows.push(HistoryItem {
                id: "<missing>".to_string(),
                created: h.created.unix_secs() as i64,
                created_by: h.created_by.clone(),
                tags: Vec::new(),
                size: size as i64,
                comment: h.comment.clone(),
            });
        }
        rows.reverse();
        // As the graphdriver store does: the top row is the image, each
        // row below it the previous one's Parent, until an image has none.
        let mut step = Some(id);
        for row in rows.iter_mut() {
            let Some(step_id) = step.take() else {
                break;
            };
            row.tags = self.familiar_tags(&step_id);
            step = self
                .images
                .image(&step_id)
                .map(|i| i.parent.clone())
                .filter(|p| !p.is_empty());
            row.id = step_id;
        }
        Ok(rows)
    }

    /// ImageInspect.
    pub fn image_inspect(&self, name: &str) -> Result<ImageInspect> {
        self.api("GET", format!("/images/{name}/json"));
        let id = self.resolve_image(name)?;
        let Some(img) = self.images.image(&id) else {
            return Err(EngineError::NoSuchImage(name.to_string()));
        };
        let comment = img
            .history
            .last()
            .map(|h| h.comment.clone())
            .filter(|c| !c.starts_with("buildkit"))
            .unwrap_or_default();
        Ok(ImageInspect {
            id: id.clone(),
            repo_tags: self.familiar_tags(&id),
            repo_digests: img.repo_digests.clone(),
            parent: img.parent.clone(),
            comment,
            created: img.created.rfc3339_nano(),
            docker_version: String::new(),
            author: String::new(),
            config: img.config.clone(),
            architecture: "amd64".into(),
            os: "linux".into(),
            size: img.size as i64,
            graph_driver: {
                // The top layer is the upper directory, the rest below it.
                let dir = |d: &String| {
                    format!(
                        "/var/lib/docker/overlay2/{}",
                        crate::image::overlay_dir_id(d)
                    )
                };
                let top = img.layers.last().map(dir).unwrap_or_default();
                let lower: Vec<String> = img
                    .layers
                    .iter()
                    .rev()
                    .skip(1)
                    .map(|d| format!("{}/diff", dir(d)))
                    .collect();
                let mut data = serde_json::Map::new();
                if !lower.is_empty() {
                    data.insert("LowerDir".into(), lower.join(":").into());
                }
                data.insert("MergedDir".into(), format!("{top}/merged").into());
                data.insert("UpperDir".into(), format!("{top}/diff").into());
                data.insert("WorkDir".into(), format!("{top}/work").into());
                serde_json::json!({ "Data": data, "Name": "overlay2" })
            },
            root_fs: RootFs {
                kind: "layers".into(),
                layers: img.layers.clone(),
            },
            metadata: serde_json::json!({ "LastTagTime": "0001-01-01T00:00:00Z" }),
        })
    }

    /// ImagesPrune: dangling images nothing uses, or with `all` every image
    /// no container uses. Returns the delete records and bytes freed.
    pub fn image_prune(
        &mut self,
        all: bool,
        filter: &crate::filters::Prune,
    ) -> (Vec<ImageDeleteItem>, u64) {
        self.api("POST", "/images/prune");
        let candidates: Vec<String> = self
            .images
            .images()
            .filter(|img| filter.selects(img.created, &img.config.labels))
            .filter(|img| !self.containers.values().any(|c| c.image_id == img.id))
            .filter(|img| !self.is_build_cache(&img.id))
            .filter(|img| all || self.images.tags_of(&img.id).is_empty())
            .map(|img| img.id.clone())
            .collect();
        let before = self.images.stored_bytes();
        let mut out = Vec::new();
        for id in candidates {
            for t in self.images.tags_of(&id) {
                self.images.untag(&t);
                if let Ok(r) = reference::parse_normalized(&t) {
                    out.push(ImageDeleteItem::Untagged(r.familiar_string()));
                }
            }
            let digests = self
                .images
                .image(&id)
                .map(|i| i.repo_digests.clone())
                .unwrap_or_default();
            for d in digests {
                out.push(ImageDeleteItem::Untagged(d));
            }
            out.push(ImageDeleteItem::Deleted(id.clone()));
            for layer in self.images.remove_image(&id) {
                out.push(ImageDeleteItem::Deleted(layer));
            }
        }
        let freed = before.saturating_sub(self.images.stored_bytes());
        (out, freed)
    }

    /// ImageSearch on Docker Hub: repositories whose name or description
    /// mentions `term`, most starred first.
    pub fn image_search(&self, term: &str) -> Vec<SearchResult> {
        self.api("GET", format!("/images/search?term={term}"));
        let term = term.to_lowercase();
        let mut out: Vec<SearchResult> = self
            .hub()
            .repositories
            .iter()
            .filter(|(path, r)| {
                path.contains(&term) || r.description.to_lowercase().contains(&term)
            })
            .map(|(path, r)| SearchResult {
                name: path.strip_prefix("library/").unwrap_or(path).to_string(),
                description: r.description.clone(),
                star_count: r.stars,
                is_official: r.official,
            })
            .collect();
        out.sort_by(|a, b| b.star_count.cmp(&a.star_count).then(a.name.cmp(&b.name)));
        out
    }

    /// Disk usage as `docker system df` reports it: (images total, images
    /// active, image bytes with shared layers once, reclaimable bytes,
    /// containers total, running, container layer bytes, volumes total,
    /// volumes in use, volume bytes).
    pub fn system_df(&self) -> DiskUsage {
        self.api("GET", "/system/df");
        let used: Vec<&String> = self.containers.values().map(|c| &c.image_id).collect();
        // Build-cache records are not images: `Build Cache` counts them.
        let visible = || self.images.images().filter(|i| !self.is_build_cache(&i.id));
        let images_total = visible().count();
        let images_active = visible().filter(|i| used.contains(&&i.id)).count();
        let image_bytes: u64 = visible()
            .flat_map(|i| i.layers.iter())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .filter_map(|d| self.images.layer(d))
            .map(|l| l.size)
            .sum();
        // Layers only unused images hold can be reclaimed.
        let mut needed: Vec<&String> = Vec::new();
        for img in visible().filter(|i| used.contains(&&i.id)) {
            needed.extend(img.layers.iter());
        }
        let reclaimable: u64 = visible()
            .flat_map(|i| i.layers.iter())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .filter(|d| !needed.contains(d))
            .filter_map(|d| self.images.layer(d))
            .map(|l| l.size)
            .sum();
        let containers_total = self.containers.len();
        let containers_running = self
            .containers
            .values()
            .filter(|c| c.state.is_running())
            .count();
        let container_bytes: u64 = self
            .containers
            .values()
            .map(|c| c.upper.content_size())
            .sum();
        let container_reclaimable: u64 = self
            .containers
            .values()
            .filter(|c| !c.state.is_running())
            .map(|c| c.upper.content_size())
            .sum();
        let volumes_total = self.volumes.len();
        let volumes_active = self
            .volumes
            .keys()
            .filter(|v| !self.volume_in_use(v).is_empty())
            .count();
        let volume_bytes: u64 = self.volumes.keys().map(|v| self.volume_size(v)).sum();
        let volume_reclaimable: u64 = self
            .volumes
            .keys()
            .filter(|v| self.volume_in_use(v).is_empty())
            .map(|v| self.volume_size(v))
            .sum();
        DiskUsage {
            images_total,
            images_active,
            image_bytes,
            image_reclaimable: reclaimable,
            containers_total,
            containers_running,
            container_bytes,
            container_reclaimable,
            volumes_total,
            volumes_active,
            volume_bytes,
            volume_reclaimable,
        }
    }
}

/// What `docker system df` sums up.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DiskUsage {
    pub images_total: usize,
    pub images_active: usize,
    pub image_bytes: u64,
    pub image_reclaimable: u64,
    pub containers_total: usize,
    pub containers_running: usize,
    pub container_bytes: u64,
    pub container_reclaimable: u64,
    pub volumes_total: usize,
    pub volumes_active: usize,
    pub volume_bytes: u64,
    pub volume_reclaimable: u64,
}

/// An image as `docker save` writes it into an archive.
#[derive(serde::Serialize, serde::Deserialize)]
struct SavedImage {
    id: String,
    tags: Vec<String>,
    config: ContainerConfig,
    created: Timestamp,
    history: Vec<crate::image::HistoryEntry>,
    layers: Vec<FileTree>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Archive {
    #[serde(rename = "tidepool-image-archive")]
    version: u32,
    images: Vec<SavedImage>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct RootfsArchive {
    #[serde(rename = "tidepool-rootfs-archive")]
    version: u32,
    tree: FileTree,
}

impl Host {
    /// ImageGet (`docker save`): an archive holding the images, their
    /// layers and the tags given.
    pub fn image_save(&self, names: &[String]) -> Result<Vec<u8>> {
        self.api(
            "GET",
            format!("/images/get?names={}", names.join("&names=")),
        );
        let mut images = Vec::new();
        for name in names {
            let id = self.resolve_image(name)?;
            let Some(img) = self.images.image(&id) else {
                return Err(EngineError::NoSuchImage(name.clone()));
            };
            let tags = match reference::parse_normalized(name) {
                Ok(r)
                    if self
                        .images
                        .tagged(&r.clone().with_default_tag().to_string())
                        .is_some() =>
                {
                    vec![r.with_default_tag().to_string()]
                }
                _ => self.images.tags_of(&id),
            };
            let layers = img
                .layers
                .iter()
                .filter_map(|d| self.images.layer(d))
                .map(|l| (*l.tree).clone())
                .collect();
            images.push(SavedImage {
                id,
                tags,
                config: img.config.clone(),
                created: img.created,
                history: img.history.clone(),
                layers,
            });
        }
        serde_json::to_vec(&Archive { version: 1, images })
            .map_err(|e| EngineError::InvalidArgument(e.to_string()))
    }

    /// ImageLoad (`docker load`): adds the archive's images and tags.
    /// Returns the `Loaded image: …` names.
    pub fn image_load(&mut self, bytes: &[u8]) -> Result<Vec<String>> {
        self.api("POST", "/images/load");
        let archive: Archive = serde_json::from_slice(bytes)
            .map_err(|_| EngineError::InvalidArgument("archive/tar: invalid tar header".into()))?;
        let mut loaded = Vec::new();
        for saved in archive.images {
            let layers: Vec<Layer> = saved.layers.into_iter().map(Layer::new).collect();
            let digests: Vec<String> = layers.iter().map(|l| l.digest.clone()).collect();
            let id = crate::image::image_id_for(
                &saved.config,
                &digests,
                saved.created,
                &saved.history,
                "",
            );
            let size = layers.iter().map(|l| l.size).sum();
            let image = crate::image::Image {
                id: id.clone(),
                config: saved.config,
                layers: digests,
                created: saved.created,
                history: saved.history,
                repo_digests: Vec::new(),
                size,
                parent: String::new(),
            };
            self.images.add_image(image, &layers);
            if saved.tags.is_empty() {
                loaded.push(format!("Loaded image ID: {id}"));
            }
            for t in saved.tags {
                self.images.tag(&t, &id);
                let shown = reference::parse_normalized(&t)
                    .map(|r| r.familiar_string())
                    .unwrap_or(t);
                loaded.push(format!("Loaded image: {shown}"));
            }
        }
        Ok(loaded)
    }

    /// ContainerExport: the container's whole filesystem, flattened.
    pub fn container_export(&self, key: &str) -> Result<Vec<u8>> {
        self.api("GET", format!("/containers/{key}/export"));
        // The root filesystem only: "does not export the contents of
        // volumes associated with the container", binds and tmpfs neither;
        // their mount points are empty directories in it.
        let c = self.container(key)?;
        let fs = c.rootfs_view(&self.machine);
        let mut tree = FileTree::new();
        for (path, node) in fs.walk("/") {
            tree.insert(&path, node);
        }
        for point in c.mount_points() {
            if tree.get(point).is_none() {
                tree.insert(point, Node::dir());
            }
        }
        // The rootfs has empty mount points where the daemon mounts its
        // network files (moby's init layer); their contents are not in it.
        for path in crate::container::NETWORK_FILES {
            tree.insert(path, Node::file(Vec::new()));
        }
        serde_json::to_vec(&RootfsArchive { version: 1, tree })
            .map_err(|e| EngineError::InvalidArgument(e.to_string()))
    }

    /// ImageImport (`docker import`): one layer from an exported filesystem.
    pub fn image_import(
        &mut self,
        bytes: &[u8],
        repo: Option<&str>,
        message: &str,
    ) -> Result<String> {
        self.api("POST", "/images/create?fromSrc=-");
        let archive: RootfsArchive = serde_json::from_slice(bytes)
            .map_err(|_| EngineError::InvalidArgument("archive/tar: invalid tar header".into()))?;
        let target = match repo {
            Some(r) => Some(
                reference::parse_normalized(r)
                    .map_err(|e| EngineError::InvalidReference(e.to_string()))?
                    .with_default_tag(),
            ),
            None => None,
        };
        let layer = Layer::new(archive.tree);
        let history = vec![crate::image::HistoryEntry {
            created: self.now,
            created_by: String::new(),
            comment: if message.is_empty() {
                "Imported from -".into()
            } else {
                message.to_string()
            },
            empty_layer: false,
        }];
        let config = ContainerConfig::default();
        let digests = vec![layer.digest.clone()];
        let id = crate::image::image_id_for(&config, &digests, self.now, &history, "");
        let image = crate::image::Image {
            id: id.clone(),
            config,
            layers: digests,
            created: self.now,
            history,
            repo_digests: Vec::new(),
            size: layer.size,
            parent: String::new(),
        };
        self.images.add_image(image, std::slice::from_ref(&layer));
        if let Some(t) = target {
            self.images.tag(&t.to_string(), &id);
        }
        Ok(id)
    }
}

impl Host {
    /// A build step's result: `parent`'s layers plus `layer` (if any), with
    /// `config` and one more history entry. Build-cache images are hidden
    /// from `docker images` until a tag names them. `link_parent` records
    /// `parent` as the image's Parent, as the legacy builder does; BuildKit
    /// does not.
    pub fn image_derive(
        &mut self,
        parent: Option<&str>,
        link_parent: bool,
        layer: Option<FileTree>,
        config: ContainerConfig,
        created_by: &str,
        comment: &str,
    ) -> Result<String> {
        let base = match parent {
            Some(p) => Some(
                self.images
                    .image(p)
                    .cloned()
                    .ok_or_else(|| EngineError::NoSuchImage(p.to_string()))?,
            ),
            None => None,
        };
        let mut layers = base.as_ref().map(|b| b.layers.clone()).unwrap_or_default();
        let mut history = base.as_ref().map(|b| b.history.clone()).unwrap_or_default();
        let new_layer = layer.map(Layer::new);
        if let Some(l) = &new_layer {
            layers.push(l.digest.clone());
        }
        history.push(crate::image::HistoryEntry {
            created: self.now,
            created_by: created_by.to_string(),
            comment: comment.to_string(),
            empty_layer: new_layer.is_none(),
        });
        let parent_link = match parent {
            Some(p) if link_parent => p.to_string(),
            _ => String::new(),
        };
        let id = crate::image::image_id_for(&config, &layers, self.now, &history, &parent_link);
        let size = base.as_ref().map(|b| b.size).unwrap_or(0)
            + new_layer.as_ref().map(|l| l.size).unwrap_or(0);
        let image = crate::image::Image {
            id: id.clone(),
            config,
            layers,
            created: self.now,
            history,
            repo_digests: Vec::new(),
            size,
            parent: parent_link,
        };
        let added: Vec<Layer> = new_layer.into_iter().collect();
        self.images.add_image(image, &added);
        Ok(id)
    }

    /// The build cache: a step's key → the image it produced.
    pub fn build_cache_get(&self, key: &str) -> Option<String> {
        self.build_cache
            .get(key)
            .filter(|id| self.images.image(id).is_some())
            .cloned()
    }

    pub fn build_cache_put(&mut self, key: &str, id: &str) {
        self.build_cache.insert(key.to_string(), id.to_string());
    }

    /// `docker builder prune`: forgets the cache and frees its images.
    /// Returns the entries' keys and the bytes freed.
    pub fn build_cache_prune(&mut self) -> (Vec<String>, u64) {
        let before = self.images.stored_bytes();
        let entries = std::mem::take(&mut self.build_cache);
        // Newest steps first, so a child goes before the parent it holds.
        let mut ids: Vec<&String> = entries.values().collect();
        ids.sort_by_key(|id| {
            std::cmp::Reverse(self.images.image(id).map(|i| i.history.len()).unwrap_or(0))
        });
        for id in ids {
            let tagged = !self.images.tags_of(id).is_empty();
            let used = self.containers.values().any(|c| &c.image_id == id);
            if !tagged && !used && !self.built.contains(id.as_str()) {
                self.images.remove_image(id);
            }
        }
        let keys = entries.keys().cloned().collect();
        (keys, before.saturating_sub(self.images.stored_bytes()))
    }

    /// The layers of an image, top-down, for reading its files.
    pub fn image_layers(&self, id: &str) -> Vec<Arc<FileTree>> {
        self.images.layer_trees(id)
    }

    /// What a container wrote (its own layer), for a build step's commit.
    pub fn container_upper(&self, key: &str) -> Result<FileTree> {
        let id = self.find(key)?;
        self.containers
            .get(&id)
            .map(|c| c.upper.clone())
            .ok_or(EngineError::NoSuchContainer(key.to_string()))
    }

    /// Ids of build-cache images no tag names (hidden from `docker images`).
    fn is_build_cache(&self, id: &str) -> bool {
        self.images.tags_of(id).is_empty()
            && !self.built.contains(id)
            && self.build_cache.values().any(|v| v == id)
    }

    /// A build's result: an image in its own right, `<none>` until tagged.
    pub fn build_export(&mut self, id: &str) {
        self.built.insert(id.to_string());
    }
}

impl Host {
    /// A build step's sandbox: a container over `image`'s layers (none for
    /// `scratch`) that no listing, name or event shows. It exists only
    /// while a RUN instruction executes; see [`Host::build_sandbox_finish`].
    pub fn build_sandbox(
        &mut self,
        image: Option<&str>,
        config: ContainerConfig,
    ) -> Result<String> {
        let layers = match image {
            Some(i) => {
                if self.images.image(i).is_none() {
                    return Err(EngineError::NoSuchImage(i.to_string()));
                }
                self.images.layer_trees(i)
            }
            None => Vec::new(),
        };
        let mut id = self.rng.hex64();
        while self.containers.contains_key(&id) {
            id = self.rng.hex64();
        }
        let mut c = crate::container::Container::new(
            id.clone(),
            format!("buildkit-{}", &id[..12]),
            self.now,
        );
        c.config = config;
        c.image_id = image.unwrap_or_default().to_string();
        c.layers = layers;
        self.containers.insert(id.clone(), c);
        Ok(id)
    }

    /// Ends a sandbox and returns what its command wrote.
    pub fn build_sandbox_finish(&mut self, id: &str) -> FileTree {
        self.containers
            .remove(id)
            .map(|c| c.upper)
            .unwrap_or_default()
    }
}

impl Host {
    /// `system df`'s Build Cache row: records, records in use by an image
    /// someone can see, and the bytes the records' own layers hold.
    pub fn build_cache_usage(&self) -> (usize, usize, u64, u64) {
        let mut bytes = 0;
        let mut active = 0;
        let mut reclaimable = 0;
        let in_images: std::collections::BTreeSet<&String> = self
            .images
            .images()
            .filter(|i| !self.is_build_cache(&i.id))
            .flat_map(|i| i.layers.iter())
            .collect();
        let mut counted = std::collections::BTreeSet::new();
        for id in self.build_cache.values() {
            let Some(image) = self.images.image(id) else {
                continue;
            };
            if self.built.contains(id) || !self.images.tags_of(id).is_empty() {
                active += 1;
            }
            let own = match (image.history.last(), image.layers.last()) {
                (Some(h), Some(d)) if !h.empty_layer && counted.insert(d.clone()) => self
                    .images
                    .layer(d)
                    .map(|l| (l.size, in_images.contains(d)))
                    .unwrap_or((0, true)),
                _ => (0, true),
            };
            bytes += own.0;
            if !own.1 {
                reclaimable += own.0;
            }
        }
        (self.build_cache.len(), active, bytes, reclaimable)
    }
}
