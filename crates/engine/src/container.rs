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
}

impl MountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MountKind::Bind => "bind",
            MountKind::Volume => "volume",
        }
    }
}

/// A bind mount or volume: `destination` inside the container shows the
/// machine's directory `data` (a volume's is `/var/lib/docker/volumes/<name>/_data`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    pub kind: MountKind,
    /// The volume name, or the bind source path.
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

fn place<'m>(mounts: &'m [Mount], path: &str) -> Place<'m> {
    mounts
        .iter()
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

fn view_node(
    layers: &[Arc<FileTree>],
    upper: &FileTree,
    mounts: &[Mount],
    machine: &FileTree,
    network_files: &FileTree,
    path: &str,
) -> Option<Node> {
    match place(mounts, path) {
        Place::Mount(_, real) => machine
            .node(&real)
            .or_else(|| (real == "/").then(Node::dir)),
        Place::Rootfs if NETWORK_FILES.contains(&path) && network_files.get(path).is_some() => {
            network_files.get(path).cloned()
        }
        Place::Rootfs => {
            let mut trees: Vec<&FileTree> = vec![upper];
            trees.extend(layers.iter().map(|t| t.as_ref()));
            Union::new(trees).node(path)
        }
    }
}

fn view_list(
    layers: &[Arc<FileTree>],
    upper: &FileTree,
    mounts: &[Mount],
    machine: &FileTree,
    network_files: &FileTree,
    dir: &str,
) -> Vec<String> {
    let mut names = match place(mounts, dir) {
        Place::Mount(_, real) => machine.children(&real),
        Place::Rootfs => {
            let mut trees: Vec<&FileTree> = vec![upper];
            trees.extend(layers.iter().map(|t| t.as_ref()));
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
        .filter(|p| network_files.get(p).is_some())
        .map(|p| p.to_string());
    for destination in mounts
        .iter()
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
}

impl ReadFs for ContainerFs<'_> {
    fn node(&self, path: &str) -> Option<Node> {
        view_node(
            self.layers,
            self.upper,
            self.mounts,
            self.machine,
            self.network_files,
            path,
        )
    }

    fn list(&self, dir: &str) -> Vec<String> {
        view_list(
            self.layers,
            self.upper,
            self.mounts,
            self.machine,
            self.network_files,
            dir,
        )
    }
}

/// A container's filesystem for writing: changes land in its own layer
/// (copy-up, whiteouts for deletions) or, under a mount, on the machine.
pub struct ContainerFsMut<'a> {
    pub layers: &'a [Arc<FileTree>],
    pub upper: &'a mut FileTree,
    pub mounts: &'a [Mount],
    pub machine: &'a mut FileTree,
    pub network_files: &'a mut FileTree,
}

impl ReadFs for ContainerFsMut<'_> {
    fn node(&self, path: &str) -> Option<Node> {
        view_node(
            self.layers,
            self.upper,
            self.mounts,
            self.machine,
            self.network_files,
            path,
        )
    }

    fn list(&self, dir: &str) -> Vec<String> {
        view_list(
            self.layers,
            self.upper,
            self.mounts,
            self.machine,
            self.network_files,
            dir,
        )
    }
}

impl ContainerFsMut<'_> {
    /// A path Docker mounted its own file on (and no user mount covers).
    fn network_file(&self, path: &str) -> bool {
        NETWORK_FILES.contains(&path)
            && self.network_files.get(path).is_some()
            && matches!(place(self.mounts, path), Place::Rootfs)
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
        match place(self.mounts, path) {
            Place::Mount(m, _) if !m.rw => Err(WriteError::ReadOnly),
            Place::Mount(_, real) => {
                self.machine.insert(&real, node);
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
        match place(self.mounts, path) {
            Place::Mount(m, _) if !m.rw => Err(WriteError::ReadOnly),
            Place::Mount(m, real) => {
                if path == m.destination {
                    // The mount point itself is busy; its contents go.
                    let names = self.machine.children(&real);
                    for n in names {
                        self.machine
                            .remove_tree(&format!("{}/{n}", real.trim_end_matches('/')));
                    }
                    return Ok(true);
                }
                Ok(self.machine.remove_tree(&real))
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
    /// Addresses while running, by network name.
    pub endpoints: std::collections::BTreeMap<String, Endpoint>,
    pub mounts: Vec<Mount>,
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
            endpoints: std::collections::BTreeMap::new(),
            mounts: Vec::new(),
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
        }
    }

    pub fn view_mut<'a>(&'a mut self, machine: &'a mut FileTree) -> ContainerFsMut<'a> {
        ContainerFsMut {
            layers: &self.layers,
            upper: &mut self.upper,
            mounts: &self.mounts,
            machine,
            network_files: &mut self.network_files,
        }
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
