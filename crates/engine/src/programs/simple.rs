//! Small programs whose whole behaviour fits in a few lines.

use super::{Flow, Io, Program, Signal};
use crate::clock::{Millis, Timestamp};

/// hello-world's `/hello`.
#[derive(Clone, Debug)]
pub struct Hello;

const HELLO: &str = "
Hello from Docker!
This message shows that your installation appears to be working correctly.

To generate this message, Docker took the following steps:
 1. The Docker client contacted the Docker daemon.
 2. The Docker daemon pulled the \"hello-world\" image from the Docker Hub.
    (amd64)
 3. The Docker daemon created a new container from that image which runs the
    executable that produces the output you are currently reading.
 4. The Docker daemon streamed that output to the Docker client, which sent it
    to your terminal.

To try something more ambitious, you can run an Ubuntu container with:
 $ docker run -it ubuntu bash

Share images, automate workflows, and more with a free Docker ID:
 https://hub.docker.com/

For more examples and ideas, visit:
 https://docs.docker.com/get-started/

";

impl Program for Hello {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, io: &mut Io) -> Flow {
        for line in HELLO.split_inclusive('\n') {
            io.stdout(line);
        }
        Flow::Exit(0)
    }
}

#[derive(Clone, Debug)]
pub struct Echo {
    text: String,
}

impl Echo {
    pub fn new(argv: &[String]) -> Echo {
        Echo {
            text: argv.get(1..).unwrap_or_default().join(" "),
        }
    }
}

impl Program for Echo {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, io: &mut Io) -> Flow {
        io.stdout(self.text.clone());
        Flow::Exit(0)
    }
}

/// `true` and `false`.
#[derive(Clone, Debug)]
pub struct Exit(pub i32);

impl Program for Exit {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, _io: &mut Io) -> Flow {
        Flow::Exit(self.0)
    }
}

/// `sleep N`: as PID 1 it has no SIGTERM handler, so `docker stop` waits.
#[derive(Clone, Debug)]
pub struct Sleep {
    until: Option<Timestamp>,
    error: Option<String>,
}

impl Sleep {
    pub fn new(argv: &[String], now: Timestamp) -> Sleep {
        match argv.get(1).map(|a| parse_sleep(a)) {
            Some(Some(ms)) => Sleep {
                until: Some(now + ms),
                error: None,
            },
            Some(None) => Sleep {
                until: None,
                error: Some(format!("sleep: invalid time interval '{}'", argv[1])),
            },
            None => Sleep {
                until: None,
                error: Some("sleep: missing operand".to_string()),
            },
        }
    }
}

/// `10`, `1.5`, `2m`, `1h`, `infinity`.
fn parse_sleep(arg: &str) -> Option<Millis> {
    if arg == "infinity" {
        return Some(Millis(u64::MAX / 4));
    }
    let (num, unit) = match arg.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (&arg[..i], &arg[i..]),
        None => (arg, "s"),
    };
    let value: f64 = num.parse().ok()?;
    let scale = match unit {
        "s" => 1000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        _ => return None,
    };
    (value >= 0.0).then_some(Millis((value * scale) as u64))
}

impl Program for Sleep {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, io: &mut Io) -> Flow {
        if let Some(e) = &self.error {
            io.stderr(e.clone());
            return Flow::Exit(1);
        }
        Flow::Running
    }

    fn next_wake(&self) -> Option<Timestamp> {
        self.until
    }

    fn wake(&mut self, io: &mut Io) -> Flow {
        match self.until {
            Some(t) if io.now >= t => Flow::Exit(0),
            _ => Flow::Running,
        }
    }

    fn resumed(&mut self, paused_for: Millis) {
        self.until = self.until.map(|t| t + paused_for);
    }
}

/// A shell started as a container's main process. Without a terminal or a
/// script it finds its stdin closed and exits 0 at once, as `docker run
/// ubuntu` does. With `-i` it waits for input: the client drives it (the
/// terminal's container session) and reports when it exits.
#[derive(Clone, Debug)]
pub struct Shell {
    argv: Vec<String>,
    /// The client took up its script.
    claimed: bool,
}

impl Shell {
    pub fn new(argv: &[String]) -> Shell {
        Shell {
            argv: argv.to_vec(),
            claimed: false,
        }
    }
}

impl Program for Shell {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn client_argv(&self) -> Option<Vec<String>> {
        (self.argv.len() > 1 && !self.claimed).then(|| self.argv.clone())
    }

    fn claim(&mut self) {
        self.claimed = true;
    }

    fn start(&mut self, io: &mut Io) -> Flow {
        if self.argv.len() > 1 {
            // `sh -c '...'` runs on the client's interpreter (see ClientRun).
            return Flow::Running;
        }
        if io.interactive {
            return Flow::Running;
        }
        Flow::Exit(0)
    }

    /// An interactive shell ignores SIGTERM and SIGINT, so `docker stop`
    /// waits and then kills it.
    fn signal(&mut self, sig: Signal, _io: &mut Io) -> Flow {
        match sig {
            Signal::Kill => Flow::Exit(137),
            Signal::Hup => Flow::Exit(129),
            _ => Flow::Running,
        }
    }
}

/// A main process the client runs (see `CLIENT_RUN`): it waits, doing
/// nothing, until the client reports its output and exit status.
#[derive(Clone, Debug)]
pub struct ClientRun {
    pub argv: Vec<String>,
    /// The client is running it.
    claimed: bool,
}

impl ClientRun {
    pub fn new(argv: &[String]) -> ClientRun {
        ClientRun {
            argv: argv.to_vec(),
            claimed: false,
        }
    }
}

impl Program for ClientRun {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, _io: &mut Io) -> Flow {
        Flow::Running
    }

    fn client_argv(&self) -> Option<Vec<String>> {
        (!self.claimed).then(|| self.argv.clone())
    }

    fn claim(&mut self) {
        self.claimed = true;
    }
}
