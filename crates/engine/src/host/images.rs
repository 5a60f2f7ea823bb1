use super::*;

impl Host {
    // ---- images ---------------------------------------------------------

    /// ImageCreate (`docker pull`): fetches `image` (a reference as typed)
    /// from its registry. Returns the progress messages the daemon streams.
    pub fn image_pull(&mut self, image: &str) -> Result<Vec<JsonMessage>> {
        let r = reference::parse_normalized(image)
            .map_err(|e| EngineError::InvalidReference(e.to_string()))?;
        let r = r.with_default_tag();
        if r.domain != DEFAULT_DOMAIN {
            return Err(EngineError::RegistryUnreachable {
                host: r.domain.clone(),
            });
        }
        let hub = Arc::clone(&self.hub);
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
        let previous = full_ref.as_ref().and_then(|t| self.images.tag(t, &id));
        if let Some(old) = previous.filter(|old| old != &id) {
            self.drop_if_dangling(&old);
        }
        let shown = r.familiar_string();
        out.push(JsonMessage::status(if up_to_date {
            format!("Status: Image is up to date for {shown}")
        } else {
            format!("Status: Downloaded newer image for {shown}")
        }));
        Ok(out)
    }

    /// An image that lost its last tag to a newer pull stays as a dangling
    /// `<none>` image only if something still uses it; ours are dropped
    /// when unused, the way the containerd store garbage-collects them.
    pub(super) fn drop_if_dangling(&mut self, id: &str) {
        let tagged = !self.images.tags_of(id).is_empty();
        let used = self.containers.values().any(|c| c.image_id == id);
        if !tagged && !used {
            self.images.remove_image(id);
        }
    }

    /// ImageList (`GET /images/json`), newest first.
    pub fn image_list(&self) -> Vec<ImageSummary> {
        let mut list: Vec<ImageSummary> = self
            .images
            .images()
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
                    parent_id: String::new(),
                    repo_tags,
                    repo_digests: img.repo_digests.clone(),
                    created: img.created.unix_secs() as i64,
                    size: img.size as i64,
                    shared_size: -1,
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
