//! Simulated programs: what runs inside a container.
//!
//! Which program runs comes from the image's filesystem: the executable the
//! resolved Entrypoint + Cmd names is a file that says which simulated
//! program it is (see the catalog). Every program sits behind one trait and
//! reacts to the same four things a real process does: time passing,
//! signals, requests on the ports it listens on, and its start. Programs
//! never read a clock; `Io::now` is the host's virtual time.

mod apps;
mod counter;
mod leafy;
mod nginx;
mod script;
mod servers;
mod simple;

pub use script::{ClientScript, ScriptNext, ScriptState};

use crate::api::{HttpRequest, HttpResponse};
use crate::clock::Timestamp;
use crate::fs::ReadFs;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Signal {
    Hup,
    Int,
    Quit,
    Kill,
    Usr1,
    Usr2,
    Term,
    Winch,
}

impl Signal {
    pub fn number(self) -> i32 {
        match self {
            Signal::Hup => 1,
            Signal::Int => 2,
            Signal::Quit => 3,
            Signal::Kill => 9,
            Signal::Usr1 => 10,
            Signal::Usr2 => 12,
            Signal::Term => 15,
            Signal::Winch => 28,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Signal::Hup => "SIGHUP",
            Signal::Int => "SIGINT",
            Signal::Quit => "SIGQUIT",
            Signal::Kill => "SIGKILL",
            Signal::Usr1 => "SIGUSR1",
            Signal::Usr2 => "SIGUSR2",
            Signal::Term => "SIGTERM",
            Signal::Winch => "SIGWINCH",
        }
    }

    /// Parses `SIGTERM`, `TERM`, `term` or `15`, as `docker kill -s` does.
    pub fn parse(s: &str) -> Option<Signal> {
        let all = [
            Signal::Hup,
            Signal::Int,
            Signal::Quit,
            Signal::Kill,
            Signal::Usr1,
            Signal::Usr2,
            Signal::Term,
            Signal::Winch,
        ];
        if let Ok(n) = s.parse::<i32>() {
            return all.into_iter().find(|sig| sig.number() == n);
        }
        let upper = s.to_ascii_uppercase();
        let name = upper.strip_prefix("SIG").unwrap_or(&upper);
        all.into_iter().find(|sig| &sig.name()[3..] == name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    pub time: Timestamp,
    pub stream: Stream,
    /// One line, including its trailing newline when it had one.
    pub text: String,
}

/// What a program sees of the world while it runs one step.
pub struct Io<'a> {
    pub now: Timestamp,
    pub fs: &'a dyn ReadFs,
    pub env: &'a [String],
    pub hostname: &'a str,
    /// The process's working directory.
    pub cwd: &'a str,
    /// Started with `-i`: stdin stays open, so a shell waits for input.
    pub interactive: bool,
    /// Other containers this one can reach by name, and what they listen on.
    pub peers: &'a [Peer],
    pub(crate) output: &'a mut Vec<LogEntry>,
}

/// A container reachable by name from another (same user-defined network).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Peer {
    pub names: Vec<String>,
    pub listening: Vec<u16>,
}

impl Io<'_> {
    /// Whether `host:port` would accept a connection from this container.
    pub fn can_connect(&self, host: &str, port: u16) -> bool {
        self.peers
            .iter()
            .any(|p| p.names.iter().any(|n| n == host) && p.listening.contains(&port))
    }

    /// Whether `host` resolves at all from this container.
    pub fn resolves(&self, host: &str) -> bool {
        self.peers.iter().any(|p| p.names.iter().any(|n| n == host))
    }
}

impl Io<'_> {
    pub fn stdout(&mut self, line: impl Into<String>) {
        self.write(Stream::Stdout, line.into());
    }

    pub fn stderr(&mut self, line: impl Into<String>) {
        self.write(Stream::Stderr, line.into());
    }

    fn write(&mut self, stream: Stream, mut text: String) {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        self.output.push(LogEntry {
            time: self.now,
            stream,
            text,
        });
    }

    pub fn env(&self, key: &str) -> Option<&str> {
        self.env
            .iter()
            .find_map(|kv| kv.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')))
    }
}

/// What a program does after a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Flow {
    Running,
    Exit(i32),
    /// Replace this process with another (`exec "$@"`), same PID.
    Exec(Vec<String>),
}

pub trait Program: fmt::Debug {
    fn clone_box(&self) -> Box<dyn Program>;

    /// The process starts; `argv[0]` is what was executed.
    fn start(&mut self, io: &mut Io) -> Flow;

    /// What the process prints when the `exec` it asked for (`Flow::Exec`)
    /// names no command in the image. `None` is runc's wording, right for
    /// a process that execs directly; a shell script says it its own way.
    fn exec_not_found(&self, _command: &str) -> Option<String> {
        None
    }

    /// The next virtual time this program wants to act, if any.
    fn next_wake(&self) -> Option<Timestamp> {
        None
    }

    /// Virtual time reached `next_wake`.
    fn wake(&mut self, _io: &mut Io) -> Flow {
        Flow::Running
    }

    /// A signal arrives. The default is the kernel's for a process with no
    /// handler running as PID 1: SIGKILL ends it, everything else is ignored
    /// (which is why `docker stop` of such a container waits 10 s).
    fn signal(&mut self, sig: Signal, _io: &mut Io) -> Flow {
        match sig {
            Signal::Kill => Flow::Exit(128 + sig.number()),
            _ => Flow::Running,
        }
    }

    /// TCP ports this program accepts connections on.
    fn listens(&self) -> Vec<u16> {
        Vec::new()
    }

    /// A request on `port` this program passes on to another server
    /// (nginx's `proxy_pass`): that server's host and port.
    fn proxy(&self, _port: u16, _req: &HttpRequest) -> Option<(String, u16)> {
        None
    }

    /// An HTTP request arrived on one of `listens()`.
    fn http(&mut self, _port: u16, _req: &HttpRequest, _io: &mut Io) -> Option<HttpResponse> {
        None
    }

    /// The command line it shows in /proc when it renames itself, as
    /// nginx's master process does (`ps` inside the container reads it).
    fn title(&self) -> Option<String> {
        None
    }

    /// Other processes it runs (workers): (user, command line), for `docker top`.
    fn children(&self) -> Vec<(String, String)> {
        Vec::new()
    }

    /// This is a container registry (`registry:2`): pushes to its published
    /// port store images in it.
    fn serves_registry(&self) -> bool {
        false
    }

    /// Resident memory in bytes, for `docker stats`.
    fn memory(&self) -> u64 {
        1_200_000
    }

    /// For processes the client runs on its own interpreter: the command
    /// line to run (see `CLIENT_RUN`).
    fn client_argv(&self) -> Option<Vec<String>> {
        None
    }

    /// The container was unpaused after `paused_for` of frozen time; timers
    /// move by that much, as a frozen cgroup's do.
    fn resumed(&mut self, _paused_for: crate::clock::Millis) {}

    /// The client took up the process `client_argv` names: it is not
    /// offered again.
    fn claim(&mut self) {}

    /// A script the client runs step by step (see `ClientScript`).
    fn client_script(&mut self) -> Option<&mut ClientScript> {
        None
    }

    /// When such a script's next step falls due.
    fn script_step_at(&self) -> Option<Timestamp> {
        None
    }
}

impl Clone for Box<dyn Program> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// Commands whose simulation lives in the shell crate (coreutils, wget,
/// shells running a script): as a container's main process they run on the
/// client's interpreter, which reports their output and exit back.
pub const CLIENT_RUN: &[&str] = &[
    "sh", "bash", "ash", "dash", "busybox", "ls", "cat", "env", "printenv", "hostname", "whoami",
    "id", "date", "touch", "mkdir", "rm", "cp", "mv", "grep", "wc", "head", "tail", "uname", "pwd",
    "ps", "chmod", "ln", "sort", "uniq", "cut", "tee", "seq", "find", "stat", "du", "df", "test",
    "sed", "awk", "xargs", "wget", "curl", "ping", "nc", "vi", "apt-get", "apk", "cowsay", "tree",
    "which", "npm", "pip", "mvn", "go", "adduser",
];

/// Makes the program a catalog entry names, e.g. `nginx` or `counter:10`.
/// `None` for a name the simulation does not know.
pub fn spawn(spec: &str, argv: &[String], now: Timestamp) -> Option<Box<dyn Program>> {
    let mut parts = spec.split(':');
    let name = parts.next().unwrap_or_default();
    let params: Vec<&str> = parts.collect();
    let program: Box<dyn Program> = match name {
        "nginx" => Box::new(nginx::Nginx::new(argv).with_proxy(&params)),
        "java" => Box::new(leafy::Java::new(argv)),
        "leafy-backend" => Box::new(leafy::Backend::new(now)),
        "docker-entrypoint" => Box::new(nginx::NginxEntrypoint::new(argv)),
        "hello" => Box::new(simple::Hello),
        "echo" => Box::new(simple::Echo::new(argv)),
        "true" => Box::new(simple::Exit(0)),
        "false" => Box::new(simple::Exit(1)),
        "sleep" => Box::new(simple::Sleep::new(argv, now)),
        "sh" | "bash" | "dash" | "ash" => Box::new(simple::Shell::new(argv)),
        "counter" => Box::new(counter::Counter::new(&params)),
        "webapp" => Box::new(apps::WebApp::new(&params)),
        "node" => Box::new(apps::Node::new(argv)),
        "node-entrypoint" => Box::new(apps::NodeEntrypoint::new(argv)),
        "python" => Box::new(apps::Python::new(argv)),
        "httpd" => Box::new(servers::Httpd),
        "redis-server" | "redis-entrypoint" => Box::new(servers::Database::redis(argv)),
        "postgres" | "postgres-entrypoint" => Box::new(servers::Database::postgres(argv)),
        "mysqld" | "mysql-entrypoint" => Box::new(servers::Database::mysql(argv)),
        "registry" | "registry-entrypoint" => Box::new(servers::Database::registry(argv)),
        n if CLIENT_RUN.contains(&n) => Box::new(simple::ClientRun::new(argv)),
        _ => return None,
    };
    Some(program)
}
