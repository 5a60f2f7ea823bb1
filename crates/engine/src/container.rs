//! A container: its config, its thin writable layer over the image's shared
//! layers, its process, and one state machine for its lifecycle.

use crate::api::{ContainerConfig, HostConfig};
use crate::clock::{human_duration, Millis, Timestamp};
use crate::fs::{normalize, FileTree, Filesystem, Meta, Node, ReadFs, Union, WriteError};
use crate::programs::{LogEntry, Program};
use std::sync::Arc;

/// The lifecycle states, as `.State` and `docker ps --filter status=` name
/// them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Restarting => "restarting",
            Status::Removing => "removing",
            Status::Exited => "exited",
            Status::Dead => "dead",
        }
    }
}

#[derive(Clone, Debug)]
pub struct State {
    pub status: Status,
    pub exit_code: i32,
    pub error: String,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    pub paused_at: Option<Timestamp>,
    /// `docker stop`/`kill` happened: restart policies stand down.
    pub manually_stopped: bool,
    pub restart_count: u32,
    /// When the restart policy will start it again.
    pub restart_at: Option<Timestamp>,
    /// The next backoff delay of the restart manager.
    pub restart_delay: Millis,
}

impl State {
    fn new() -> State {
        State {
            status: Status::Created,
            exit_code: 0,
            error: String::new(),
            started_at: None,
            finished_at: None,
            paused_at: None,
            manually_stopped: false,
            restart_count: 0,
            restart_at: None,
            restart_delay: Millis(100),
        }
    }

    /// `Up 5 seconds`, `Exited (0) 3 minutes ago`: the daemon's `Status`.
    pub fn describe(&self, now: Timestamp) -> String {
        let since = |t: Option<Timestamp>| human_duration(now - t.unwrap_or(now));
        match self.status {
            Status::Running => format!("Up {}", since(self.started_at)),
            Status::Paused => format!("Up {} (Paused)", since(self.started_at)),
            Status::Restarting => format!(
                "Restarting ({}) {} ago",
                self.exit_code,
                since(self.finished_at)
            ),
            Status::Removing => "Removal In Progress".to_string(),
            Status::Dead => "Dead".to_string(),
            Status::Created => "Created".to_string(),
            Status::Exited => format!(
                "Exited ({}) {} ago",
                self.exit_code,
                since(self.finished_at)
            ),
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self.status, Status::Running | Status::Paused)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedPort {
    /// `0.0.0.0`, `::` or a specific address.
    pub host_ip: String,
    pub host_port: u16,
    pub container_port: u16,
    pub proto: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MountKind {
    Bind,
    Volume,
    Tmpfs,
}

impl MountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MountKind::Bind => "bind",
            MountKind::Volume => "volume",
            MountKind::Tmpfs => "tmpfs",
        }
    }
}

/// A bind mount, volume or tmpfs: `destination` inside the container shows
/// the directory `data`: on the machine for a bind mount or a volume (a
/// volume's is `/var/lib/docker/volumes/<name>/_data`), in the container's
/// own [`Container::tmpfs`] tree for a tmpfs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    pub kind: MountKind,
    /// The volume name, or the bind source path; empty for a tmpfs.
    pub source: String,
    pub destination: String,
    pub rw: bool,
    pub data: String,
}

/// Where a container path really lives.
enum Place<'m> {
    Mount(&'m Mount, String),
    Rootfs,
}

/// `tmpfs`: whether tmpfs mounts are seen. The container's processes see
/// them; `docker cp` and `docker export` do not (the daemon mounts the
/// rootfs and volumes for them, not tmpfs), so they reach the directory
/// underneath.
fn place<'m>(mounts: &'m [Mount], path: &str, tmpfs: bool) -> Place<'m> {
    mounts
        .iter()
        .filter(|m| tmpfs || m.kind != MountKind::Tmpfs)
        .filter(|m| path == m.destination || path.starts_with(&format!("{}/", m.destination)))
        .max_by_key(|m| m.destination.len())
        .map(|m| {
            let rest = &path[m.destination.len()..];
            Place::Mount(m, normalize("/", &format!("{}{rest}", m.data)))
        })
        .unwrap_or(Place::Rootfs)
}

/// The files Docker bind-mounts over the image's from the container's own
/// directory (`/var/lib/docker/containers/<id>/`): a user's mount of the
/// same path wins, and they are never part of the container's layer, so
/// `docker diff` and `docker commit` leave them out.
pub const NETWORK_FILES: [&str; 3] = ["/etc/hostname", "/etc/hosts", "/etc/resolv.conf"];

/// The tree a mount's data lives in.
fn backing<'t>(
    m: &Mount,
    machine: &'t FileTree,
    tmpfs: Option<&'t FileTree>,
) -> Option<&'t FileTree> {
    match m.kind {
        MountKind::Tmpfs => tmpfs,
        MountKind::Bind | MountKind::Volume => Some(machine),
    }
}

fn view_node(fs: &ContainerFs<'_>, path: &str) -> Option<Node> {
    match place(fs.mounts, path, fs.tmpfs.is_some()) {
        Place::Mount(m, real) => backing(m, fs.machine, fs.tmpfs)
            .and_then(|t| t.node(&real))
            .or_else(|| (real == "/" || real == m.data).then(Node::dir)),
        Place::Rootfs if NETWORK_FILES.contains(&path) && fs.network_files.get(path).is_some() => {
            fs.network_files.get(path).cloned()
        }
        Place::Rootfs => {
            let mut trees: Vec<&FileTree> = vec![fs.upper];
            trees.extend(fs.layers.iter().map(|t| t.as_ref()));
            Union::new(trees).node(path)
        }
    }
}

fn view_list(fs: &ContainerFs<'_>, dir: &str) -> Vec<String> {
    let mut names = match place(fs.mounts, dir, fs.tmpfs.is_some()) {
        Place::Mount(m, real) => backing(m, fs.machine, fs.tmpfs)
            .map(|t| t.children(&real))
            .unwrap_or_default(),
        Place::Rootfs => {
            let mut trees: Vec<&FileTree> = vec![fs.upper];
            trees.extend(fs.layers.iter().map(|t| t.as_ref()));
            Union::new(trees).children(dir)
        }
    };
    let prefix = if dir == "/" {
        "/".to_string()
    } else {
        format!("{dir}/")
    };
    let network_names = NETWORK_FILES
        .iter()
        .filter(|p| fs.network_files.get(p).is_some())
        .map(|p| p.to_string());
    for destination in fs
        .mounts
        .iter()
        .filter(|m| fs.tmpfs.is_some() || m.kind != MountKind::Tmpfs)
        .map(|m| m.destination.clone())
        .chain(network_names)
    {
        if let Some(rest) = destination.strip_prefix(&prefix) {
            if !rest.is_empty() && !rest.contains('/') && !names.iter().any(|n| n == rest) {
                names.push(rest.to_string());
            }
        }
    }
    names.sort();
    names
}

/// A container's filesystem as its processes see it, read-only.
pub struct ContainerFs<'a> {
    pub layers: &'a [Arc<FileTree>],
    pub upper: &'a FileTree,
    pub mounts: &'a [Mount],
    pub machine: &'a FileTree,
    pub network_files: &'a FileTree,
    /// The contents of its tmpfs mounts; `None` for the view `docker cp`
    /// and `docker export` have, which does not see tmpfs mounts.
    pub tmpfs: Option<&'a FileTree>,
}

impl ReadFs for ContainerFs<'_> {
    fn node(&self, path: &str) -> Option<Node> {
        view_node(self, path)
    }

    fn list(&self, dir: &str) -> Vec<String> {
        view_list(self, dir)
    }
}

/// A container's filesystem for writing: changes land in its own layer
/// (copy-up, whiteouts for deletions), under a mount on the machine, or
/// in a tmpfs.
pub struct ContainerFsMut<'a> {
    pub layers: &'a [Arc<FileTree>],
    pub upper: &'a mut FileTree,
    pub mounts: &'a [Mount],
    pub machine: &'a mut FileTree,
    pub network_files: &'a mut FileTree,
    /// As in [`ContainerFs::tmpfs`].
    pub tmpfs: Option<&'a mut FileTree>,
}

impl ContainerFsMut<'_> {
    fn read(&self) -> ContainerFs<'_> {
        ContainerFs {
            layers: self.layers,
            upper: self.upper,
            mounts: self.mounts,
            machine: self.machine,
            network_files: self.network_files,
            tmpfs: self.tmpfs.as_deref(),
        }
    }

    fn place(&self, path: &str) -> Place<'_> {
        place(self.mounts, path, self.tmpfs.is_some())
    }

    /// The tree a mount's data lives in, for writing.
    fn backing_mut(&mut self, m: &Mount) -> Option<&mut FileTree> {
        match m.kind {
            MountKind::Tmpfs => self.tmpfs.as_deref_mut(),
            MountKind::Bind | MountKind::Volume => Some(self.machine),
        }
    }
}

impl ReadFs for ContainerFsMut<'_> {
    fn node(&self, path: &str) -> Option<Node> {
        view_node(&self.read(), path)
    }

    fn list(&self, dir: &str) -> Vec<String> {
        view_list(&self.read(), dir)
    }
}

impl ContainerFsMut<'_> {
    /// A path Docker mounted its own file on (and no user mount covers).
    fn network_file(&self, path: &str) -> bool {
        NETWORK_FILES.contains(&path)
            && self.network_files.get(path).is_some()
            && matches!(self.place(path), Place::Rootfs)
    }
}

impl ContainerFsMut<'_> {
    fn in_layers(&self, path: &str) -> bool {
        let trees: Vec<&FileTree> = self.layers.iter().map(|t| t.as_ref()).collect();
        Union::new(trees).get(path).is_some()
    }
}

impl Filesystem for ContainerFsMut<'_> {
    fn put(&mut self, path: &str, node: Node) -> Result<(), WriteError> {
        if self.network_file(path) {
            self.network_files.insert(path, node);
            return Ok(());
        }
        let mounts = self.mounts;
        match place(mounts, path, self.tmpfs.is_some()) {
            Place::Mount(m, _) if !m.rw => Err(WriteError::ReadOnly),
            Place::Mount(m, real) => {
                if let Some(tree) = self.backing_mut(m) {
                    tree.insert(&real, node);
                }
                Ok(())
            }
            Place::Rootfs => {
                // A directory deleted earlier and made again hides what the
                // image had there: it comes back opaque.
                let mut dir = crate::fs::parent(path).to_string();
                let mut recreated = Vec::new();
                while dir != "/" {
                    if matches!(self.upper.get(&dir), Some(Node::Whiteout)) {
                        recreated.push(dir.clone());
                    }
                    dir = crate::fs::parent(&dir).to_string();
                }
                for d in recreated {
                    self.upper.insert(
                        &d,
                        Node::Dir {
                            meta: Meta::DIR,
                            opaque: true,
                        },
                    );
                }
                let node = match (node, self.upper.get(path)) {
                    (Node::Dir { meta, .. }, Some(Node::Whiteout)) => {
                        Node::Dir { meta, opaque: true }
                    }
                    (n, _) => n,
                };
                self.upper.insert(path, node);
                Ok(())
            }
        }
    }

    fn delete(&mut self, path: &str) -> Result<bool, WriteError> {
        // A mount point cannot be removed from inside.
        if self.network_file(path) {
            return Err(WriteError::Busy);
        }
        let mounts = self.mounts;
        match place(mounts, path, self.tmpfs.is_some()) {
            Place::Mount(m, _) if !m.rw => Err(WriteError::ReadOnly),
            Place::Mount(m, real) => {
                let Some(tree) = self.backing_mut(m) else {
                    return Ok(false);
                };
                if path == m.destination {
                    // The mount point itself is busy; its contents go.
                    let names = tree.children(&real);
                    for n in names {
                        tree.remove_tree(&format!("{}/{n}", real.trim_end_matches('/')));
                    }
                    return Ok(true);
                }
                Ok(tree.remove_tree(&real))
            }
            Place::Rootfs => {
                let existed = self.exists(path);
                self.upper.remove_tree(path);
                if self.in_layers(path) {
                    self.upper.insert(path, Node::Whiteout);
                }
                Ok(existed)
            }
        }
    }
}

/// A container's address on one network while it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub ip: String,
    pub mac: String,
    pub id: String,
    pub aliases: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Container {
    pub id: String,
    /// Without the leading `/`.
    pub name: String,
    pub created: Timestamp,
    /// Creation order on this host: breaks ties between containers created
    /// in the same virtual millisecond.
    pub seq: u64,
    /// The executable and its arguments, from Entrypoint + Cmd.
    pub path: String,
    pub args: Vec<String>,
    pub config: ContainerConfig,
    pub host_config: HostConfig,
    pub image_id: String,
    /// The image's layers, top-down, shared with the image store.
    pub layers: Vec<Arc<FileTree>>,
    /// The container's own writable layer.
    pub upper: FileTree,
    pub state: State,
    pub process: Option<Box<dyn Program>>,
    pub logs: Vec<LogEntry>,
    pub ports: Vec<PublishedPort>,
    /// Networks it is connected to, in the order they were joined.
    pub networks: Vec<String>,
    /// `--network-alias` names per network.
    pub aliases: std::collections::BTreeMap<String, Vec<String>>,
    /// `--ip` addresses asked for, by network name.
    pub static_ips: std::collections::BTreeMap<String, String>,
    /// Addresses while running, by network name.
    pub endpoints: std::collections::BTreeMap<String, Endpoint>,
    pub mounts: Vec<Mount>,
    /// What its tmpfs mounts hold, by container path: written while it
    /// runs, gone when it stops (see [`Container::mount_tmpfs`]).
    pub tmpfs: FileTree,
    /// `/etc/hostname`, `/etc/hosts` and `/etc/resolv.conf` as the daemon
    /// wrote them for this container (see [`NETWORK_FILES`]).
    pub network_files: FileTree,
}

impl Container {
    pub fn new(id: String, name: String, created: Timestamp) -> Container {
        Container {
            id,
            name,
            created,
            seq: 0,
            path: String::new(),
            args: Vec::new(),
            config: ContainerConfig::default(),
            host_config: HostConfig::default(),
            image_id: String::new(),
            layers: Vec::new(),
            upper: FileTree::new(),
            state: State::new(),
            process: None,
            logs: Vec::new(),
            ports: Vec::new(),
            networks: Vec::new(),
            aliases: std::collections::BTreeMap::new(),
            static_ips: std::collections::BTreeMap::new(),
            endpoints: std::collections::BTreeMap::new(),
            mounts: Vec::new(),
            tmpfs: FileTree::new(),
            network_files: FileTree::new(),
        }
    }

    /// What a process in this container sees: layers, its own layer and
    /// its mounts (whose data is on the machine's disk).
    pub fn view<'a>(&'a self, machine: &'a FileTree) -> ContainerFs<'a> {
        ContainerFs {
            layers: &self.layers,
            upper: &self.upper,
            mounts: &self.mounts,
            machine,
            network_files: &self.network_files,
            tmpfs: Some(&self.tmpfs),
        }
    }

    pub fn view_mut<'a>(&'a mut self, machine: &'a mut FileTree) -> ContainerFsMut<'a> {
        ContainerFsMut {
            layers: &self.layers,
            upper: &mut self.upper,
            mounts: &self.mounts,
            machine,
            network_files: &mut self.network_files,
            tmpfs: Some(&mut self.tmpfs),
        }
    }

    /// What `docker cp` and `docker export` see: the view without its
    /// tmpfs mounts (moby#22020: they reach the directory underneath).
    pub fn archive_view<'a>(&'a self, machine: &'a FileTree) -> ContainerFs<'a> {
        ContainerFs {
            tmpfs: None,
            ..self.view(machine)
        }
    }

    /// The container's root filesystem alone, as `docker export` archives
    /// it: image layers and the container's layer, no mounted volume,
    /// bind or tmpfs contents.
    pub fn rootfs_view<'a>(&'a self, machine: &'a FileTree) -> ContainerFs<'a> {
        ContainerFs {
            mounts: &[],
            tmpfs: None,
            ..self.view(machine)
        }
    }

    /// Where its mounts are mounted.
    pub fn mount_points(&self) -> impl Iterator<Item = &str> {
        self.mounts.iter().map(|m| m.destination.as_str())
    }

    pub fn archive_view_mut<'a>(&'a mut self, machine: &'a mut FileTree) -> ContainerFsMut<'a> {
        ContainerFsMut {
            tmpfs: None,
            ..self.view_mut(machine)
        }
    }

    /// Mounts its tmpfs mounts, empty, as the container starts: an empty
    /// directory at each (mode 1777, as the kernel makes a tmpfs root,
    /// unless the options say `mode=`).
    /// runc first makes a missing mount point, in the container's layer.
    pub fn mount_tmpfs(&mut self) {
        self.tmpfs = FileTree::new();
        for m in self.mounts.iter().filter(|m| m.kind == MountKind::Tmpfs) {
            let mut missing = Vec::new();
            let mut dir = m.destination.as_str();
            while dir != "/" {
                let mut trees: Vec<&FileTree> = vec![&self.upper];
                trees.extend(self.layers.iter().map(|t| t.as_ref()));
                if Union::new(trees).node(dir).is_some() {
                    break;
                }
                missing.push(dir.to_string());
                dir = crate::fs::parent(dir);
            }
            for d in missing.iter().rev() {
                self.upper.insert(d, Node::dir());
            }
            let mode = self.tmpfs_mode(&m.destination).unwrap_or(0o1777);
            let meta = Meta { mode, ..Meta::DIR };
            self.tmpfs.insert(
                &m.data,
                Node::Dir {
                    meta,
                    opaque: false,
                },
            );
        }
    }

    /// Its tmpfs mounts go away with its process, and what they held.
    pub fn unmount_tmpfs(&mut self) {
        self.tmpfs = FileTree::new();
    }

    /// The `mode=` a tmpfs at `destination` was given (`--tmpfs /run:mode=755`
    /// or `--mount type=tmpfs,tmpfs-mode=755`).
    fn tmpfs_mode(&self, destination: &str) -> Option<u32> {
        let from_flag = self
            .host_config
            .tmpfs
            .iter()
            .filter(|(path, _)| normalize("/", path) == destination)
            .flat_map(|(_, options)| options.split(','))
            .filter_map(|o| o.strip_prefix("mode="))
            .filter_map(|m| u32::from_str_radix(m, 8).ok())
            .next_back();
        let from_mount = self
            .host_config
            .mounts
            .iter()
            .filter(|m| m.kind == "tmpfs" && normalize("/", &m.target) == destination)
            .filter_map(|m| m.tmpfs_options.as_ref())
            .map(|o| o.mode)
            .find(|mode| *mode != 0);
        from_flag.or(from_mount)
    }

    /// Whether a mount appears in inspect's `Mounts` and in ps: all but the
    /// `--tmpfs` ones, which the daemon keeps only in `HostConfig.Tmpfs`.
    pub fn is_mount_point(&self, m: &Mount) -> bool {
        m.kind != MountKind::Tmpfs
            || !self
                .host_config
                .tmpfs
                .keys()
                .any(|path| normalize("/", path) == m.destination)
    }

    /// Whether the container has a network namespace with ports of its own:
    /// not on the host's network, none, or another container's.
    pub fn has_own_network(&self) -> bool {
        let mode = self.host_config.network_mode.as_str();
        !(mode == "host" || mode == "none" || mode.starts_with("container:"))
    }

    /// `Command` as ContainerList reports it: path and args, args with a
    /// space in them single-quoted.
    pub fn command_line(&self) -> String {
        let mut line = self.path.clone();
        for a in &self.args {
            line.push(' ');
            if a.contains(' ') {
                line.push('\'');
                line.push_str(a);
                line.push('\'');
            } else {
                line.push_str(a);
            }
        }
        line
    }

    /// Its address on the default bridge, as `NetworkSettings.IPAddress`.
    pub fn bridge_ip(&self) -> Option<&str> {
        self.endpoints.get("bridge").map(|e| e.ip.as_str())
    }

    pub fn short_id(&self) -> &str {
        &self.id[..12.min(self.id.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{MountSpec, TmpfsOptions};

    fn tmpfs(destination: &str) -> Mount {
        Mount {
            kind: MountKind::Tmpfs,
            source: String::new(),
            destination: destination.into(),
            rw: true,
            data: destination.into(),
        }
    }

    #[test]
    fn tmpfs_mounts_start_empty_with_their_mode_and_go_with_the_process() {
        let mut c = Container::new("c".into(), "c".into(), crate::clock::EPOCH);
        c.host_config
            .tmpfs
            .insert("/run/app/".into(), "size=1m,mode=755".into());
        c.host_config.mounts.push(MountSpec {
            kind: "tmpfs".into(),
            target: "/cache".into(),
            tmpfs_options: Some(TmpfsOptions {
                size_bytes: 0,
                mode: 0o1770,
            }),
            ..MountSpec::default()
        });
        c.mounts = vec![tmpfs("/run/app"), tmpfs("/cache"), tmpfs("/tmp")];
        c.mount_tmpfs();
        let mode = |c: &Container, path: &str| match c.tmpfs.get(path) {
            Some(Node::Dir { meta, .. }) => Some(meta.mode),
            _ => None,
        };
        assert_eq!(mode(&c, "/run/app"), Some(0o755));
        assert_eq!(mode(&c, "/cache"), Some(0o1770));
        assert_eq!(mode(&c, "/tmp"), Some(0o1777));
        // runc made the missing mount points in the container's layer.
        assert!(c.upper.get("/run").is_some() && c.upper.get("/cache").is_some());
        // Only the --mount one is a mount point to inspect and ps.
        let listed: Vec<bool> = c.mounts.iter().map(|m| c.is_mount_point(m)).collect();
        assert_eq!(listed, [false, true, true]);
        let mut machine = FileTree::new();
        c.view_mut(&mut machine)
            .put("/cache/a", Node::file("x"))
            .unwrap();
        assert!(c.upper.get("/cache/a").is_none());
        assert!(c.view(&machine).node("/cache/a").is_some());
        assert!(c.archive_view(&machine).node("/cache/a").is_none());
        c.unmount_tmpfs();
        assert!(c.view(&machine).node("/cache/a").is_none());
    }
}
