use super::*;
use crate::registry::{Manifest, Repository};

/// Where a registry host name leads.
enum Target {
    Hub,
    /// A `registry` container reachable on this machine's port.
    Private(String),
}

impl Host {
    fn registry_target(&self, domain: &str) -> Result<Target> {
        if domain == DEFAULT_DOMAIN {
            return Ok(Target::Hub);
        }
        let (host, port) = match domain.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().unwrap_or(0)),
            None => (domain, 443),
        };
        if matches!(host, "localhost" | "127.0.0.1") || host == MACHINE_IP {
            let found = self.containers.values().find(|c| {
                c.state.status == Status::Running
                    && c.process.as_ref().is_some_and(|p| p.serves_registry())
                    && c.ports.iter().any(|p| p.host_port == port)
            });
            return match found {
                Some(c) => Ok(Target::Private(c.id.clone())),
                None => Err(EngineError::RegistryRefused {
                    host: domain.to_string(),
                    port,
                }),
            };
        }
        Err(EngineError::RegistryUnreachable {
            host: host.to_string(),
        })
    }

    /// A copy of what the registry holds, to look at.
    fn registry_copy(&self, target: &Target) -> Option<Registry> {
        match target {
            Target::Hub => Some(Registry::clone(&self.hub())),
            Target::Private(id) => self
                .private_registries
                .get(&self.registry_storage(id))
                .cloned(),
        }
    }

    /// Where a registry container keeps what is pushed to it: a volume at
    /// /var/lib/registry if it has one (so it outlives the container), else
    /// the container itself.
    pub(super) fn registry_storage(&self, container: &str) -> String {
        let volume = self.containers.get(container).and_then(|c| {
            c.mounts
                .iter()
                .find(|m| {
                    m.destination == "/var/lib/registry"
                        && m.kind == crate::container::MountKind::Volume
                })
                .map(|m| m.source.clone())
        });
        match volume {
            Some(v) => format!("volume:{v}"),
            None => format!("container:{container}"),
        }
    }

    /// The registry serving `domain`, for pulls.
    pub(super) fn registry_for_pull(&self, domain: &str) -> Result<Registry> {
        let target = self.registry_target(domain)?;
        Ok(self.registry_copy(&target).unwrap_or_default())
    }

    /// Checks credentials the way the registry would (`docker login`):
    /// Docker Hub takes any user with a non-empty password, a private
    /// registry container takes anyone.
    pub fn registry_login(&self, server: &str, user: &str, password: &str) -> Result<()> {
        self.api("POST", "/auth");
        let domain = match server {
            ""
            | "docker.io"
            | "index.docker.io"
            | "https://index.docker.io/v1/"
            | "registry-1.docker.io" => DEFAULT_DOMAIN,
            s => s
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .trim_end_matches('/'),
        };
        match self.registry_target(domain)? {
            Target::Hub if user.is_empty() || password.is_empty() => {
                Err(EngineError::Unauthorized("Get \"https://registry-1.docker.io/v2/\": unauthorized: incorrect username or password".into()))
            }
            _ => Ok(()),
        }
    }

    /// ImagePush. `user` is who the client is logged in as on that registry.
    /// Returns the progress messages, and the error that ended the push if
    /// one did (after some progress was already shown).
    pub fn image_push(
        &mut self,
        name: &str,
        user: Option<&str>,
    ) -> Result<(Vec<JsonMessage>, Option<EngineError>)> {
        self.api("POST", format!("/images/{name}/push"));
        let r = reference::parse_normalized(name)
            .map_err(|e| EngineError::InvalidReference(e.to_string()))?
            .with_default_tag();
        let tag = r.tag.clone().unwrap_or_else(|| "latest".into());
        let Some(id) = self.images.tagged(&r.to_string()).cloned() else {
            return Err(EngineError::TagNotFound(r.familiar_name()));
        };
        let Some(image) = self.images.image(&id).cloned() else {
            return Err(EngineError::TagNotFound(r.familiar_name()));
        };
        let target = self.registry_target(&r.domain)?;
        let mut out = vec![JsonMessage::status(format!(
            "The push refers to repository [{}]",
            r.name()
        ))];
        let layers: Vec<Layer> = image
            .layers
            .iter()
            .rev()
            .filter_map(|d| self.images.layer(d).cloned())
            .collect();
        if let Target::Hub = target {
            let owner = r.path.split('/').next().unwrap_or_default();
            let allowed = owner != "library" && user == Some(owner);
            if !allowed {
                for l in &layers {
                    out.push(JsonMessage::layer(short_id(&l.digest), "Preparing"));
                }
                return Ok((out, Some(EngineError::PushDenied)));
            }
        }
        let existing = self.registry_copy(&target).unwrap_or_default();
        for l in &layers {
            let holders: Vec<&String> = existing
                .repositories
                .iter()
                .filter(|(_, repo)| {
                    repo.tags
                        .values()
                        .any(|m| m.image.layers.contains(&l.digest))
                })
                .map(|(path, _)| path)
                .collect();
            // The repository itself first, then where the image came from,
            // then official images.
            let origins: Vec<String> = image
                .repo_digests
                .iter()
                .filter_map(|d| d.split_once('@'))
                .map(|(name, _)| {
                    if name.contains('/') {
                        name.to_string()
                    } else {
                        format!("library/{name}")
                    }
                })
                .collect();
            let holder = holders
                .iter()
                .find(|p| ***p == r.path)
                .or_else(|| holders.iter().find(|p| origins.contains(p)))
                .or_else(|| holders.iter().find(|p| p.starts_with("library/")))
                .or(holders.first())
                .map(|p| (*p).clone());
            let status = match holder {
                Some(p) if p == r.path => "Layer already exists".to_string(),
                Some(p) => format!("Mounted from {p}"),
                None => "Pushed".to_string(),
            };
            out.push(JsonMessage::layer(short_id(&l.digest), status));
        }
        let manifest_json = serde_json::json!({
            "schemaVersion": 2,
            "config": { "digest": image.id },
            "layers": image.layers,
        });
        let digest = crate::image::sha256_digest(manifest_json.to_string().as_bytes());
        let size = 403 + 95 * image.layers.len();
        let mut pushed = image.clone();
        pushed.repo_digests = Vec::new();
        let manifest = Arc::new(Manifest {
            digest: digest.clone(),
            image: pushed,
            layers: layers.into_iter().rev().collect(),
        });
        let registry: &mut Registry = match &target {
            Target::Hub => self.hub_mut(),
            Target::Private(id) => {
                let key = self.registry_storage(id);
                self.private_registries.entry(key).or_default()
            }
        };
        let repo = registry
            .repositories
            .entry(r.path.clone())
            .or_insert_with(|| Repository {
                description: String::new(),
                stars: 0,
                official: false,
                tags: BTreeMap::new(),
            });
        repo.tags.insert(tag.clone(), manifest);
        let familiar = format!("{}@{digest}", r.familiar_name());
        if let Some(img) = self.images.image(&id) {
            let mut digests = img.repo_digests.clone();
            if !digests.contains(&familiar) {
                digests.push(familiar);
                self.images.replace_repo_digests(&id, digests);
            }
        }
        out.push(JsonMessage::status(format!(
            "{tag}: digest: {digest} size: {size}"
        )));
        Ok((out, None))
    }
}
