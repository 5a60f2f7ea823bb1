//! A shell script running as a container's main process (`docker run -d
//! alpine sh -c 'while true; do echo hi; sleep 1; done'`).
//!
//! The interpreter lives in the shell crate, so the client runs the script
//! a step at a time (a top-level command, or one turn of a top-level loop),
//! each step at the virtual time it falls due, and hands back what the step
//! printed, stamped with the time each line was written. This program keeps
//! the lines that lie in the future and shows them as time reaches them, and
//! ends the process when the script's last step says so.

use super::{Flow, Io, LogEntry, Program, Signal};
use crate::clock::{Millis, Timestamp};
use std::any::Any;
use std::collections::VecDeque;
use std::fmt;

/// The interpreter's state between steps, which only the client reads.
pub trait ScriptState: fmt::Debug {
    fn clone_box(&self) -> Box<dyn ScriptState>;
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
}

impl Clone for Box<dyn ScriptState> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// What comes after a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptNext {
    /// The next step falls due then.
    At(Timestamp),
    /// The script ends then, with this status.
    Exit(Timestamp, i32),
    /// The script runs on but will never print or end by itself (it went
    /// past what Tidepool computes): only a signal ends it.
    Idle,
}

#[derive(Clone, Debug)]
pub struct ClientScript {
    argv: Vec<String>,
    /// Lines written at times still to come, oldest first.
    pending: VecDeque<LogEntry>,
    exit: Option<(Timestamp, i32)>,
    step_at: Option<Timestamp>,
    state: Option<Box<dyn ScriptState>>,
}

impl ClientScript {
    pub fn new(argv: Vec<String>, now: Timestamp, state: Box<dyn ScriptState>) -> ClientScript {
        ClientScript {
            argv,
            pending: VecDeque::new(),
            exit: None,
            step_at: Some(now),
            state: Some(state),
        }
    }

    /// When the client should run the next step, if one is waiting.
    pub fn step_at(&self) -> Option<Timestamp> {
        self.step_at.filter(|_| self.state.is_some())
    }

    /// Hands the interpreter state to the client for one step.
    pub fn take(&mut self) -> Option<(Timestamp, Box<dyn ScriptState>)> {
        let at = self.step_at?;
        let state = self.state.take()?;
        self.step_at = None;
        Some((at, state))
    }

    /// Takes back the state after a step, with the lines it wrote that lie
    /// after `now` (earlier ones the host logs at once).
    pub(crate) fn put(
        &mut self,
        state: Box<dyn ScriptState>,
        later: Vec<LogEntry>,
        next: ScriptNext,
    ) {
        self.pending.extend(later);
        match next {
            ScriptNext::At(t) => {
                self.step_at = Some(t);
                self.state = Some(state);
            }
            ScriptNext::Exit(t, code) => self.exit = Some((t, code)),
            ScriptNext::Idle => {}
        }
    }
}

impl Program for ClientScript {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, _io: &mut Io) -> Flow {
        Flow::Running
    }

    fn next_wake(&self) -> Option<Timestamp> {
        let line = self.pending.front().map(|e| e.time);
        let exit = self.exit.map(|(t, _)| t);
        match (line, exit) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn wake(&mut self, io: &mut Io) -> Flow {
        while self.pending.front().is_some_and(|e| e.time <= io.now) {
            if let Some(entry) = self.pending.pop_front() {
                io.output.push(entry);
            }
        }
        match self.exit {
            Some((t, code)) if t <= io.now && self.pending.is_empty() => Flow::Exit(code),
            _ => Flow::Running,
        }
    }

    /// A shell as PID 1 has no handlers: only SIGKILL ends it, so `docker
    /// stop` waits its 10 seconds.
    fn signal(&mut self, sig: Signal, _io: &mut Io) -> Flow {
        match sig {
            Signal::Kill => Flow::Exit(128 + sig.number()),
            _ => Flow::Running,
        }
    }

    fn title(&self) -> Option<String> {
        Some(self.argv.join(" "))
    }

    fn client_script(&mut self) -> Option<&mut ClientScript> {
        Some(self)
    }

    fn script_step_at(&self) -> Option<Timestamp> {
        self.step_at()
    }

    fn resumed(&mut self, paused_for: Millis) {
        for e in &mut self.pending {
            e.time = e.time + paused_for;
        }
        self.exit = self.exit.map(|(t, code)| (t + paused_for, code));
        self.step_at = self.step_at.map(|t| t + paused_for);
    }
}
