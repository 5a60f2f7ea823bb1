//! The seed notes' counters: `devwikirepo/tencounter` prints 1 to 10, one a
//! second, then exits 0; `hundredcounter` counts to 100 and ignores SIGTERM,
//! so `docker stop` waits its 10 seconds and ends it with SIGKILL (137).

use super::{Flow, Io, Program, Signal};
use crate::clock::{Millis, Timestamp};

#[derive(Clone, Debug)]
pub struct Counter {
    limit: u32,
    ignores_sigterm: bool,
    printed: u32,
    next: Timestamp,
}

impl Counter {
    pub fn new(params: &[&str]) -> Counter {
        Counter {
            limit: params.first().and_then(|p| p.parse().ok()).unwrap_or(10),
            ignores_sigterm: params.contains(&"ignore-sigterm"),
            printed: 0,
            next: Timestamp(0),
        }
    }
}

impl Program for Counter {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, io: &mut Io) -> Flow {
        self.printed = 1;
        io.stdout("1");
        self.next = io.now + Millis::from_secs(1);
        Flow::Running
    }

    fn next_wake(&self) -> Option<Timestamp> {
        Some(self.next)
    }

    fn wake(&mut self, io: &mut Io) -> Flow {
        if io.now < self.next {
            return Flow::Running;
        }
        if self.printed >= self.limit {
            return Flow::Exit(0);
        }
        self.printed += 1;
        io.stdout(self.printed.to_string());
        self.next = self.next + Millis::from_secs(1);
        Flow::Running
    }

    fn signal(&mut self, sig: Signal, _io: &mut Io) -> Flow {
        match sig {
            Signal::Term if self.ignores_sigterm => Flow::Running,
            Signal::Winch | Signal::Usr1 | Signal::Usr2 => Flow::Running,
            other => Flow::Exit(128 + other.number()),
        }
    }

    fn resumed(&mut self, paused_for: Millis) {
        self.next = self.next + paused_for;
    }
}
