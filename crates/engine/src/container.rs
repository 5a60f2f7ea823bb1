//! A container: its config, its thin writable layer over the image's shared
//! layers, its process, and one state machine for its lifecycle.

use crate::api::{ContainerConfig, HostConfig};
use crate::clock::{human_duration, Millis, Timestamp};
use crate::fs::{FileTree, Union};
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

#[derive(Clone, Debug)]
pub struct Container {
    pub id: String,
    /// Without the leading `/`.
    pub name: String,
    pub created: Timestamp,
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
    pub ip_address: String,
}

impl Container {
    pub fn new(id: String, name: String, created: Timestamp) -> Container {
        Container {
            id,
            name,
            created,
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
            ip_address: String::new(),
        }
    }

    /// The union a process in this container sees.
    pub fn rootfs(&self) -> Union<'_> {
        let mut trees: Vec<&FileTree> = vec![&self.upper];
        trees.extend(self.layers.iter().map(|t| t.as_ref()));
        Union::new(trees)
    }

    /// `Command` as ContainerList reports it: path and args, args with a
    /// space in them single-quoted.
    pub fn command_line(&self) -> String {
        if self.args.is_empty() {
            return self.path.clone();
        }
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| {
                if a.contains(' ') {
                    format!("'{a}'")
                } else {
                    a.clone()
                }
            })
            .collect();
        format!("{} {}", self.path, args.join(" "))
    }

    pub fn short_id(&self) -> &str {
        &self.id[..12.min(self.id.len())]
    }
}
