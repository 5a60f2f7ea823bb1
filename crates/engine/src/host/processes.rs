//! A container's processes as its own PID namespace numbers them: what a
//! `ps` run inside it reads from /proc. The main process is PID 1 (under
//! the name it gave itself, if it renamed itself); its workers follow at
//! the PIDs nginx's log announces. `docker top` shows the same processes
//! with the host's PIDs instead.

use super::network_files::text_of;
use super::*;

/// One process in a container's PID namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Process {
    pub pid: u32,
    pub ppid: u32,
    /// A user name or uid, as the process runs.
    pub user: String,
    /// Its command line, arguments joined by spaces.
    pub command: String,
    /// It has the container's terminal (`docker run -t`).
    pub tty: bool,
    pub started: Timestamp,
}

/// Where the main process's children start numbering.
const FIRST_CHILD_PID: u32 = 29;

impl Host {
    /// The processes running in a container, PID 1 first; none when it is
    /// not running. Not an Engine API call: a process inside the container
    /// reading /proc.
    pub fn container_processes(&self, key: &str) -> Result<Vec<Process>> {
        let c = self.container(key)?;
        if !c.state.is_running() {
            return Ok(Vec::new());
        }
        let started = c.state.started_at.unwrap_or(self.now);
        let mut out = vec![Process {
            pid: 1,
            ppid: 0,
            user: main_user(c),
            command: main_command(c),
            tty: c.config.tty,
            started,
        }];
        let children = c.process.as_ref().map(|p| p.children()).unwrap_or_default();
        for (i, (user, command)) in children.into_iter().enumerate() {
            out.push(Process {
                pid: FIRST_CHILD_PID + i as u32,
                ppid: 1,
                user,
                command,
                tty: false,
                started,
            });
        }
        Ok(out)
    }

    /// How `docker top` names the user a container's process runs as: the
    /// daemon runs ps on the host, so a name is first turned into its uid
    /// through the container's /etc/passwd (as runc did when it started the
    /// process), then the uid into a name through the host's. A uid the
    /// host does not know stays a number.
    pub(super) fn host_user_name(&self, c: &Container, user: &str) -> String {
        let uid = if user.bytes().all(|b| b.is_ascii_digit()) {
            user.to_string()
        } else {
            let passwd = text_of(c.view(&self.machine).node("/etc/passwd").as_ref());
            match passwd_field(&passwd.unwrap_or_default(), 0, user, 2) {
                Some(uid) => uid,
                None => return user.to_string(),
            }
        };
        let host = text_of(self.machine.get("/etc/passwd")).unwrap_or_default();
        passwd_field(&host, 2, &uid, 0).unwrap_or(uid)
    }
}

/// The user the main process runs as: `--user`'s (or the image's USER)
/// name or uid, without its group; root when none is set.
pub(super) fn main_user(c: &Container) -> String {
    match c.config.user.split(':').next() {
        Some(u) if !u.is_empty() => u.to_string(),
        _ => "root".to_string(),
    }
}

/// In passwd text, field `want` of the first entry whose field `key` is
/// `value`.
fn passwd_field(passwd: &str, key: usize, value: &str, want: usize) -> Option<String> {
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.len() > key.max(want) && fields[key] == value).then(|| fields[want].to_string())
    })
}

/// The main process's command line as /proc shows it (and so `ps` inside
/// and `docker top` outside): the title it gave itself (nginx's "master
/// process"), else its arguments joined by spaces, unquoted.
pub(super) fn main_command(c: &Container) -> String {
    c.process
        .as_ref()
        .and_then(|p| p.title())
        .unwrap_or_else(|| {
            std::iter::once(c.path.as_str())
                .chain(c.args.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" ")
        })
}
