use super::*;
use crate::api::{MountSpec, Volume};
use crate::container::{Mount, MountKind};
use crate::fs::{Filesystem, ReadFs, Union};

/// Where a volume's data lives on the machine, as `docker volume inspect`
/// reports (`Mountpoint`) and the seed notes list with `ls`.
pub fn volume_data_dir(name: &str) -> String {
    format!("/var/lib/docker/volumes/{name}/_data")
}

#[derive(Clone, Debug)]
pub(super) struct VolumeRecord {
    pub name: String,
    pub created: Timestamp,
    pub labels: BTreeMap<String, String>,
    pub anonymous: bool,
}

fn valid_volume_name(name: &str) -> Result<()> {
    if name.len() < 2 {
        return Err(EngineError::InvalidArgument(
            "volume name is too short, names should be at least two alphanumeric characters".into(),
        ));
    }
    let b = name.as_bytes();
    if !b[0].is_ascii_alphanumeric()
        || !b
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
    {
        return Err(EngineError::InvalidArgument(format!(
            "\"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"
        )));
    }
    Ok(())
}

impl Host {
    fn volume_view(&self, v: &VolumeRecord) -> Volume {
        Volume {
            created_at: v.created.rfc3339_seconds(),
            driver: "local".into(),
            labels: v.labels.clone(),
            mountpoint: volume_data_dir(&v.name),
            name: v.name.clone(),
            options: BTreeMap::new(),
            scope: "local".into(),
        }
    }

    /// VolumeCreate. An existing volume is returned as it is.
    pub fn volume_create(
        &mut self,
        name: Option<&str>,
        labels: BTreeMap<String, String>,
    ) -> Result<Volume> {
        self.api("POST", "/volumes/create");
        let (name, anonymous) = match name {
            Some(n) => {
                valid_volume_name(n)?;
                (n.to_string(), false)
            }
            None => (self.rng.hex64(), true),
        };
        if !self.volumes.contains_key(&name) {
            self.machine.insert(&volume_data_dir(&name), Node::dir());
            let record = VolumeRecord {
                name: name.clone(),
                created: self.now,
                labels,
                anonymous,
            };
            self.volumes.insert(name.clone(), record);
            let driver = BTreeMap::from([("driver".to_string(), "local".to_string())]);
            self.emit("volume", "create", &name, driver);
        }
        let v = &self.volumes[&name];
        Ok(self.volume_view(v))
    }

    pub(super) fn volume_is_anonymous(&self, name: &str) -> bool {
        self.volumes.get(name).is_some_and(|v| v.anonymous)
    }

    /// VolumeList, sorted by name.
    pub fn volume_list(&self) -> Vec<Volume> {
        self.api("GET", "/volumes");
        self.volumes.values().map(|v| self.volume_view(v)).collect()
    }

    /// VolumeInspect.
    pub fn volume_inspect(&self, name: &str) -> Result<Volume> {
        self.api("GET", format!("/volumes/{name}"));
        match self.volumes.get(name) {
            Some(v) => Ok(self.volume_view(v)),
            None => Err(EngineError::NoSuchVolume(name.to_string())),
        }
    }

    /// Ids of the containers that use a volume.
    pub fn volume_in_use(&self, name: &str) -> Vec<String> {
        self.volume_users(name)
    }

    fn volume_users(&self, name: &str) -> Vec<String> {
        self.containers
            .values()
            .filter(|c| {
                c.mounts
                    .iter()
                    .any(|m| m.kind == MountKind::Volume && m.source == name)
            })
            .map(|c| c.id.clone())
            .collect()
    }

    /// VolumeDelete.
    pub fn volume_remove(&mut self, name: &str, force: bool) -> Result<()> {
        self.api("DELETE", format!("/volumes/{name}"));
        if !self.volumes.contains_key(name) {
            return if force {
                Ok(())
            } else {
                Err(EngineError::NoSuchVolume(name.to_string()))
            };
        }
        let users = self.volume_users(name);
        if !users.is_empty() {
            return Err(EngineError::VolumeInUse {
                name: name.to_string(),
                containers: users,
            });
        }
        self.volumes.remove(name);
        self.private_registries.remove(&format!("volume:{name}"));
        self.machine
            .remove_tree(&format!("/var/lib/docker/volumes/{name}"));
        Ok(())
    }

    /// VolumesPrune: unused anonymous volumes (all unused ones with `all`).
    /// Returns the removed names and the bytes freed.
    pub fn volume_prune(
        &mut self,
        all: bool,
        filter: &crate::filters::Prune,
    ) -> (Vec<String>, u64) {
        self.api("POST", "/volumes/prune");
        let names: Vec<String> = self
            .volumes
            .values()
            .filter(|v| (all || v.anonymous) && self.volume_users(&v.name).is_empty())
            .filter(|v| filter.selects(v.created, &v.labels))
            .map(|v| v.name.clone())
            .collect();
        let mut freed = 0;
        for n in &names {
            freed += self.volume_size(n);
            self.volumes.remove(n);
            self.machine
                .remove_tree(&format!("/var/lib/docker/volumes/{n}"));
        }
        (names, freed)
    }

    /// Bytes stored in a volume.
    pub fn volume_size(&self, name: &str) -> u64 {
        self.machine
            .below(&volume_data_dir(name))
            .map(|(_, n)| n.size())
            .sum()
    }

    /// The daemon's checks of `--mount` specs and `--tmpfs` mount points
    /// (moby's ValidateMountConfig, ValidateTmpfsMountDestination), which
    /// come before it looks for the image.
    pub(super) fn validate_mounts(&self, hc: &HostConfig) -> Result<()> {
        for m in &hc.mounts {
            let invalid = |why: String| {
                EngineError::InvalidArgument(format!(
                    "invalid mount config for type \"{}\": {why}",
                    m.kind
                ))
            };
            if m.target.is_empty() {
                return Err(invalid("field Target must not be empty".into()));
            }
            mount_destination(&m.target).map_err(invalid)?;
            match m.kind.as_str() {
                "bind" => {
                    if m.source.is_empty() {
                        return Err(invalid("field Source must not be empty".into()));
                    }
                    if !m.source.starts_with('/') {
                        return Err(invalid(format!(
                            "invalid mount path: '{}' mount path must be absolute",
                            m.source
                        )));
                    }
                    if !self.machine.exists(&m.source) {
                        return Err(invalid(format!(
                            "bind source path does not exist: {}",
                            m.source
                        )));
                    }
                }
                "volume" => {
                    if m.source.is_empty() && m.read_only {
                        return Err(invalid(
                            "must not set ReadOnly mode when using anonymous volumes".into(),
                        ));
                    }
                }
                "tmpfs" => {
                    if !m.source.is_empty() {
                        return Err(invalid("field Source must not be specified".into()));
                    }
                }
                _ => return Err(invalid("mount type unknown".into())),
            }
        }
        for path in hc.tmpfs.keys() {
            mount_destination(path).map_err(EngineError::InvalidArgument)?;
        }
        Ok(())
    }

    /// Turns `-v`, `--mount` and `--tmpfs` specs plus the image's VOLUMEs
    /// into mounts, creating named and anonymous volumes and bind source
    /// directories. Nothing is created unless every spec is valid.
    pub(super) fn prepare_mounts(
        &mut self,
        binds: &[String],
        specs: &[MountSpec],
        tmpfs: &BTreeMap<String, String>,
        image_volumes: &[String],
        image_layers: &[Arc<FileTree>],
    ) -> Result<Vec<Mount>> {
        struct Plan {
            kind: MountKind,
            source: Option<String>,
            destination: String,
            rw: bool,
            copy: bool,
        }
        let mut plans: Vec<Plan> = Vec::new();
        for b in binds {
            let parts: Vec<&str> = b.split(':').collect();
            let invalid =
                || EngineError::InvalidArgument(format!("invalid volume specification: '{b}'"));
            let (src, dst, opts) = match parts.as_slice() {
                [dst] => (None, *dst, ""),
                [src, dst] => (Some(*src), *dst, ""),
                [src, dst, opts] => (Some(*src), *dst, *opts),
                _ => return Err(invalid()),
            };
            if !dst.starts_with('/') {
                return Err(EngineError::InvalidArgument(format!(
                    "invalid volume specification: '{b}': invalid mount config for type \"volume\": invalid mount path: '{dst}' mount path must be absolute"
                )));
            }
            let mut rw = true;
            let mut copy = true;
            for o in opts.split(',').filter(|o| !o.is_empty()) {
                match o {
                    "ro" => rw = false,
                    "rw" => rw = true,
                    "nocopy" => copy = false,
                    "z" | "Z" | "shared" | "slave" | "private" | "rshared" | "rslave"
                    | "rprivate" | "consistent" | "cached" | "delegated" => {}
                    _ => return Err(EngineError::InvalidArgument(format!("invalid mode: {o}"))),
                }
            }
            let kind = if src.is_some_and(|s| s.starts_with('/')) {
                MountKind::Bind
            } else {
                MountKind::Volume
            };
            if let (Some(s), MountKind::Volume) = (src, kind) {
                valid_volume_name(s)?;
            }
            plans.push(Plan {
                kind,
                source: src.map(str::to_string),
                destination: crate::fs::normalize("/", dst),
                rw,
                copy,
            });
        }
        for m in specs {
            let target = crate::fs::normalize("/", &m.target);
            match m.kind.as_str() {
                "bind" => {
                    plans.push(Plan {
                        kind: MountKind::Bind,
                        source: Some(m.source.clone()),
                        destination: target,
                        rw: !m.read_only,
                        copy: false,
                    });
                }
                "volume" | "" => {
                    let source = (!m.source.is_empty()).then(|| m.source.clone());
                    if let Some(s) = &source {
                        valid_volume_name(s)?;
                    }
                    plans.push(Plan {
                        kind: MountKind::Volume,
                        source,
                        destination: target,
                        rw: !m.read_only,
                        copy: !m.no_copy,
                    });
                }
                "tmpfs" => plans.push(Plan {
                    kind: MountKind::Tmpfs,
                    source: None,
                    destination: target,
                    rw: !m.read_only,
                    copy: false,
                }),
                other => {
                    return Err(EngineError::InvalidArgument(format!(
                        "invalid mount config for type \"{other}\": mount type unknown"
                    )))
                }
            }
        }
        // `--tmpfs` mount points are not mount points to the daemon
        // (HostConfig.Tmpfs): they clash with none, but win over a volume
        // or bind mount at the same place, and an image's VOLUME there is
        // not created.
        let tmpfs: Vec<(String, bool)> = tmpfs
            .iter()
            .map(|(path, options)| {
                let ro = options.split(',').any(|o| o == "ro");
                (crate::fs::normalize("/", path), !ro)
            })
            .collect();
        for v in image_volumes {
            let dst = crate::fs::normalize("/", v);
            if !plans.iter().any(|p| p.destination == dst)
                && !tmpfs.iter().any(|(path, _)| *path == dst)
            {
                plans.push(Plan {
                    kind: MountKind::Volume,
                    source: None,
                    destination: dst,
                    rw: true,
                    copy: true,
                });
            }
        }
        for (i, p) in plans.iter().enumerate() {
            if plans[..i].iter().any(|q| q.destination == p.destination) {
                return Err(EngineError::InvalidArgument(format!(
                    "Duplicate mount point: {}",
                    p.destination
                )));
            }
        }
        let image_view = Union::new(image_layers.iter().map(|t| t.as_ref()).collect());
        let mut mounts = Vec::new();
        for p in plans {
            match p.kind {
                MountKind::Bind => {
                    let src = crate::fs::normalize("/", p.source.as_deref().unwrap_or("/"));
                    if !self.machine.exists(&src) {
                        self.machine.insert(&src, Node::dir());
                    }
                    mounts.push(Mount {
                        kind: MountKind::Bind,
                        source: src.clone(),
                        destination: p.destination,
                        rw: p.rw,
                        data: src,
                    });
                }
                MountKind::Volume => {
                    let v = self.volume_create(p.source.as_deref(), BTreeMap::new())?;
                    let data = volume_data_dir(&v.name);
                    // An empty volume is filled with what the image has at the
                    // mount point; a volume with data keeps its own.
                    if p.copy
                        && self.machine.children(&data).is_empty()
                        && image_view.is_dir(&p.destination)
                    {
                        for (path, node) in image_view.walk(&p.destination) {
                            let rest = &path[p.destination.len()..];
                            let _ = self.machine.put(&format!("{data}{rest}"), node);
                        }
                    }
                    mounts.push(Mount {
                        kind: MountKind::Volume,
                        source: v.name,
                        destination: p.destination,
                        rw: p.rw,
                        data,
                    });
                }
                MountKind::Tmpfs => mounts.push(tmpfs_mount(p.destination, p.rw)),
            }
        }
        // Last, so that they win over a mount at the same place.
        for (path, rw) in tmpfs {
            mounts.push(tmpfs_mount(path, rw));
        }
        Ok(mounts)
    }
}

/// A tmpfs at `destination`; its contents live at the same path in the
/// container's tmpfs tree.
fn tmpfs_mount(destination: String, rw: bool) -> Mount {
    Mount {
        kind: MountKind::Tmpfs,
        source: String::new(),
        data: destination.clone(),
        destination,
        rw,
    }
}

/// moby's checks of a mount point: not `/`, and absolute.
fn mount_destination(path: &str) -> std::result::Result<(), String> {
    if path.starts_with('/') && crate::fs::normalize("/", path) == "/" {
        return Err("invalid specification: destination can't be '/'".into());
    }
    if !path.starts_with('/') {
        return Err(format!(
            "invalid mount path: '{path}' mount path must be absolute"
        ));
    }
    Ok(())
}
