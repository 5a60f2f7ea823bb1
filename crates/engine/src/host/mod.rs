//! The host: one simulated machine running dockerd.
//!
//! It owns everything with state (the virtual clock, the seeded RNG, the
//! image store, the containers, the machine's own disk) and answers Engine
//! API operations. Time moves only through `advance`; operations that take
//! time in real Docker (`stop` waiting for a stubborn process, `wait`) move
//! the clock themselves, processing every container's events on the way.

use crate::api::*;
use crate::clock::{Millis, Timestamp, EPOCH};
use crate::container::{Container, PublishedPort, Status};
use crate::error::{EngineError, Result};
use crate::fs::{FileTree, Node, ReadFs, Union};
use crate::image::{short_id, ImageStore, Layer};
use crate::programs::{self, Flow, Io, LogEntry, Signal};
use crate::reference::{self, DEFAULT_DOMAIN};
use crate::registry::Registry;
use crate::rng::Rng;
use std::collections::BTreeMap;
use std::sync::Arc;

mod containers;
mod images;
mod invariants;
mod network;
mod network_files;
mod networks;
mod processes;
mod reach;
mod registries;
mod scripts;
mod users;
mod volumes;

pub use images::DiskUsage;
pub use networks::{Cidr, UserSubnet};
pub use processes::Process;
pub use reach::PingTarget;
pub use volumes::volume_data_dir;

/// The docker daemon's default stop timeout on Linux.
pub const DEFAULT_STOP_TIMEOUT: i64 = 10;

/// Address of the machine on its LAN, as the seed notes' `ip addr` shows.
pub const MACHINE_IP: &str = "192.168.1.10";
/// The default bridge's gateway: where published-port traffic comes from.
pub const BRIDGE_GATEWAY: &str = "172.17.0.1";

#[derive(Clone)]
pub struct Host {
    now: Timestamp,
    rng: Rng,
    pub(crate) images: ImageStore,
    /// Docker Hub as this host changed it (a push); `None` while it is the
    /// catalog's, which is built once when first needed (a pull, a search),
    /// so a new host, and the browser's first prompt, do not wait for it.
    hub: Option<Arc<Registry>>,
    containers: BTreeMap<String, Container>,
    machine: FileTree,
    attachments: BTreeMap<u64, Attachment>,
    next_attachment: u64,
    volumes: BTreeMap<String, volumes::VolumeRecord>,
    networks: BTreeMap<String, networks::NetworkRecord>,
    /// What each running `registry` container stores, by container id.
    private_registries: BTreeMap<String, Registry>,
    /// Container name → id, so names resolve without a scan.
    names: BTreeMap<String, String>,
    /// The next container's creation order number.
    next_seq: u64,
    /// Everything that happened, for `docker events`.
    events: Vec<EventMessage>,
    /// Build steps already done: cache key → resulting image id.
    build_cache: BTreeMap<String, String>,
    /// Images a build exported: listed even untagged (`<none>`).
    built: std::collections::BTreeSet<String>,
    /// The Engine API requests made while a client traces them (the web
    /// app's "Show API calls"); `None` when nobody is tracing. A cell,
    /// because reads (`GET /containers/json`) are requests too.
    api_trace: std::cell::RefCell<Option<Vec<String>>>,
}

/// An open ContainerAttach stream: output the client has not read yet, and
/// the exit code once the container stopped. It outlives the container, so
/// `docker run --rm` still shows everything its container printed.
#[derive(Clone, Debug)]
struct Attachment {
    container: String,
    pending: Vec<LogEntry>,
    exit: Option<i32>,
}

/// How `start`/`stop` ended when nothing went wrong: docker answers 304 Not
/// Modified when there was nothing to do, and the CLI treats that as success.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Done,
    NotModified,
}

/// Where `docker exec` runs a command: the container, the simulated
/// program its executable is (`ls`, `bash`...), and the process's world.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecTarget {
    pub container: String,
    pub program: String,
    pub env: Vec<String>,
    pub working_dir: String,
    pub hostname: String,
    /// `User` of the container's config (`USER` in a Dockerfile, `-u`).
    pub user: String,
    /// The main process has a terminal (`run -t`).
    pub tty: bool,
}

/// Why a TCP connection from the machine to a port failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetError {
    /// Nothing listens: `curl: (7) Failed to connect …`.
    Refused,
    /// docker-proxy accepted but nothing listens in the container.
    Reset,
    /// The container is paused: the connection hangs.
    Timeout,
    /// The name does not resolve.
    UnknownHost,
}

/// The machine's users: Ubuntu 24.04's fixed system accounts. `docker top`
/// names the users of containers' processes from this file, since the
/// daemon runs ps on the machine.
const MACHINE_PASSWD: &str = "root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
";

impl Host {
    pub fn new(seed: u64) -> Host {
        let mut machine = FileTree::new();
        for dir in [
            "/root",
            "/tmp",
            "/home",
            "/etc",
            "/var/lib/docker/volumes",
            "/usr/bin",
        ] {
            machine.insert(dir, Node::dir());
        }
        machine.insert("/etc/hostname", Node::file("tidepool\n"));
        machine.insert("/etc/hosts", Node::file(network_files::MACHINE_HOSTS));
        machine.insert(
            "/etc/resolv.conf",
            Node::file(network_files::MACHINE_RESOLV_CONF),
        );
        machine.insert("/etc/passwd", Node::file(MACHINE_PASSWD));
        machine.insert(
            "/etc/os-release",
            Node::file(
                "PRETTY_NAME=\"Ubuntu 24.04.2 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nVERSION=\"24.04.2 LTS (Noble Numbat)\"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\n",
            ),
        );
        Host {
            now: EPOCH,
            rng: Rng::new(seed),
            images: ImageStore::default(),
            hub: None,
            containers: BTreeMap::new(),
            machine,
            attachments: BTreeMap::new(),
            next_attachment: 1,
            volumes: BTreeMap::new(),
            networks: networks::default_networks(EPOCH),
            private_registries: BTreeMap::new(),
            names: BTreeMap::new(),
            next_seq: 0,
            events: Vec::new(),
            build_cache: BTreeMap::new(),
            built: std::collections::BTreeSet::new(),
            api_trace: std::cell::RefCell::new(None),
        }
    }

    /// Starts recording the Engine API requests made from now on.
    pub fn api_trace_start(&self) {
        *self.api_trace.borrow_mut() = Some(Vec::new());
    }

    /// Stops recording and returns the requests, as `POST /v1.50/…`.
    pub fn api_trace_take(&self) -> Vec<String> {
        self.api_trace.borrow_mut().take().unwrap_or_default()
    }

    /// Sets the trace aside while the daemon does work of its own that the
    /// client did not ask for request by request (a build's steps, the
    /// counts `GET /info` gathers); give it back with [`Host::api_trace_resume`].
    pub fn api_trace_suspend(&self) -> Option<Vec<String>> {
        self.api_trace.borrow_mut().take()
    }

    pub fn api_trace_resume(&self, saved: Option<Vec<String>>) {
        *self.api_trace.borrow_mut() = saved;
    }

    /// Records one request (when tracing): what a client of this method
    /// would have sent dockerd. `path` is the API path without its version.
    pub fn api(&self, method: &str, path: impl AsRef<str>) {
        if let Some(trace) = self.api_trace.borrow_mut().as_mut() {
            trace.push(format!(
                "{method} /v{}{}",
                crate::api::API_VERSION,
                path.as_ref()
            ));
        }
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The machine's own filesystem (not Docker's business: the shell's
    /// `ls`, `cat`, `cp` work here, and bind mounts point into it).
    pub fn machine_fs(&self) -> &FileTree {
        &self.machine
    }

    pub fn machine_fs_mut(&mut self) -> &mut FileTree {
        &mut self.machine
    }

    pub fn image_store(&self) -> &ImageStore {
        &self.images
    }

    /// Records an event; container events carry the image and name.
    pub(crate) fn emit(
        &mut self,
        kind: &str,
        action: &str,
        id: &str,
        mut attributes: BTreeMap<String, String>,
    ) {
        if kind == "container" {
            if let Some(c) = self.containers.get(id) {
                attributes
                    .entry("image".into())
                    .or_insert_with(|| c.config.image.clone());
                attributes
                    .entry("name".into())
                    .or_insert_with(|| c.name.clone());
                for (k, v) in &c.config.labels {
                    attributes.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
        self.events.push(EventMessage {
            kind: kind.to_string(),
            action: action.to_string(),
            actor: EventActor {
                id: id.to_string(),
                attributes,
            },
            scope: "local".into(),
            time_ms: self.now.0,
        });
    }

    /// The event log from position `from` on (SystemEvents).
    pub fn events_from(&self, from: usize) -> &[EventMessage] {
        self.events.get(from..).unwrap_or_default()
    }

    /// Docker Hub as this host sees it.
    fn hub(&self) -> Arc<Registry> {
        self.hub.clone().unwrap_or_else(Registry::docker_hub)
    }

    /// Docker Hub, to push to.
    fn hub_mut(&mut self) -> &mut Registry {
        Arc::make_mut(self.hub.get_or_insert_with(Registry::docker_hub))
    }

    // ---- time -----------------------------------------------------------

    /// Moves virtual time forward by `dt`, running every timer that falls
    /// due on the way, in order.
    pub fn advance(&mut self, dt: Millis) {
        let target = self.now + dt;
        self.run_until(target, |_| false);
    }

    /// Runs events up to `target`, stopping early (at the event time) when
    /// `done` holds. Returns whether `done` held.
    fn run_until(&mut self, target: Timestamp, done: impl Fn(&Host) -> bool) -> bool {
        // A program that keeps asking to be woken in the past would spin;
        // bound the work per call generously instead of trusting it.
        for _ in 0..1_000_000 {
            if done(self) {
                return true;
            }
            match self.next_event() {
                Some(t) if t <= target => {
                    self.now = self.now.max(t);
                    self.fire_due();
                }
                _ => break,
            }
        }
        self.now = self.now.max(target);
        done(self)
    }

    /// How long until the next thing happens on its own (a program's timer,
    /// a restart falling due); `None` when nothing is scheduled.
    pub fn until_next_event(&self) -> Option<Millis> {
        // A main script's next step counts too, though the client runs it.
        let step = self
            .containers
            .values()
            .filter(|c| c.state.status == Status::Running)
            .filter_map(|c| c.process.as_ref()?.script_step_at())
            .min();
        let next = match (self.next_event(), step) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        next.map(|t| Millis(t.0.saturating_sub(self.now.0)))
    }

    fn next_event(&self) -> Option<Timestamp> {
        self.containers
            .values()
            .filter_map(|c| match c.state.status {
                Status::Running => c.process.as_ref().and_then(|p| p.next_wake()),
                Status::Restarting => c.state.restart_at,
                _ => None,
            })
            .min()
    }

    fn fire_due(&mut self) {
        let now = self.now;
        let due: Vec<String> = self
            .containers
            .values()
            .filter(|c| match c.state.status {
                Status::Running => c
                    .process
                    .as_ref()
                    .and_then(|p| p.next_wake())
                    .is_some_and(|t| t <= now),
                Status::Restarting => c.state.restart_at.is_some_and(|t| t <= now),
                _ => false,
            })
            .map(|c| c.id.clone())
            .collect();
        for id in due {
            let restarting = self
                .containers
                .get(&id)
                .is_some_and(|c| c.state.status == Status::Restarting);
            if restarting {
                if let Some(c) = self.containers.get_mut(&id) {
                    c.state.restart_at = None;
                    c.state.restart_count += 1;
                }
                let _ = self.launch(&id);
            } else {
                let flow = self.with_process(&id, |p, io| p.wake(io));
                self.apply_flow(&id, flow);
            }
        }
    }

    // ---- lookups --------------------------------------------------------

    /// Finds a container by full id, name (with or without `/`), or unique
    /// id prefix, as the daemon's `GetContainer` does.
    fn find(&self, key: &str) -> Result<String> {
        if key.is_empty() {
            return Err(EngineError::NoSuchContainer(key.to_string()));
        }
        if self.containers.contains_key(key) {
            return Ok(key.to_string());
        }
        let name = key.strip_prefix('/').unwrap_or(key);
        if let Some(id) = self.names.get(name) {
            return Ok(id.clone());
        }
        let matches: Vec<&String> = self
            .containers
            .range(key.to_string()..)
            .map(|(id, _)| id)
            .take_while(|id| id.starts_with(key))
            .take(2)
            .collect();
        match matches.len() {
            1 => Ok(matches[0].clone()),
            0 => Err(EngineError::NoSuchContainer(key.to_string())),
            _ => Err(EngineError::InvalidArgument(format!(
                "Multiple IDs found with provided prefix: {key}"
            ))),
        }
    }

    fn container(&self, key: &str) -> Result<&Container> {
        let id = self.find(key)?;
        self.containers
            .get(&id)
            .ok_or(EngineError::NoSuchContainer(key.to_string()))
    }

    /// Resolves an image reference or id to a local image id.
    pub fn resolve_image(&self, name: &str) -> Result<String> {
        if let Some(id) = self.images.resolve_id(name) {
            return Ok(id);
        }
        let not_found = || {
            let shown = match reference::parse_normalized(name) {
                Ok(r) => r.with_default_tag().familiar_string(),
                Err(_) => name.to_string(),
            };
            EngineError::NoSuchImage(shown)
        };
        let r = reference::parse_normalized(name)
            .map_err(|_| not_found())?
            .with_default_tag();
        match &r.digest {
            Some(d) => {
                let repo = r.name();
                let full = format!("{}@{d}", r.familiar_name());
                self.images
                    .images()
                    .find(|img| {
                        img.repo_digests.contains(&full)
                            && self
                                .images
                                .tags_of(&img.id)
                                .iter()
                                .any(|t| t.starts_with(&repo))
                            || img.repo_digests.contains(&full)
                    })
                    .map(|img| img.id.clone())
                    .ok_or_else(not_found)
            }
            None => self
                .images
                .tagged(&r.to_string())
                .cloned()
                .ok_or_else(not_found),
        }
    }
}

/// ImageCreate's query for a reference: `fromImage=nginx&tag=latest`.
pub(crate) fn from_image_query(image: &str) -> String {
    if let Some((name, digest)) = image.split_once('@') {
        return format!("fromImage={name}&tag={digest}");
    }
    let (name, tag) = split_tag(image);
    format!("fromImage={name}&tag={}", tag.unwrap_or("latest"))
}

/// ImageTag's query for a target reference: `repo=me/web&tag=1.0`.
pub(crate) fn repo_tag_query(target: &str) -> String {
    let (repo, tag) = split_tag(target);
    format!("repo={repo}&tag={}", tag.unwrap_or("latest"))
}

/// `localhost:5000/web:1.0` → (`localhost:5000/web`, `1.0`): the tag is
/// after the last `:` that comes after the last `/`.
fn split_tag(reference: &str) -> (&str, Option<&str>) {
    let slash = reference.rfind('/').map_or(0, |i| i + 1);
    match reference[slash..].rfind(':') {
        Some(i) => (&reference[..slash + i], Some(&reference[slash + i + 1..])),
        None => (reference, None),
    }
}
