//! Scripts the client runs step by step as a container's main process (see
//! `programs::ClientScript`): the host says which step falls due next, lends
//! out the interpreter state, and takes back what the step wrote.

use super::Host;
use crate::clock::Timestamp;
use crate::container::Status;
use crate::error::{EngineError, Result};
use crate::programs::{ClientScript, LogEntry, ScriptNext, ScriptState, Stream};

impl Host {
    /// The running container's client-run main process becomes a script
    /// the client steps, its first step due now.
    pub fn script_begin(
        &mut self,
        key: &str,
        argv: Vec<String>,
        state: Box<dyn ScriptState>,
    ) -> Result<()> {
        let id = self.find(key)?;
        let c = self
            .containers
            .get_mut(&id)
            .ok_or_else(|| EngineError::NoSuchContainer(key.to_string()))?;
        if c.state.status != Status::Running {
            return Ok(());
        }
        // The script started with the container, even when the client
        // takes it up later (after a restart the policy made).
        let start = c.state.started_at.unwrap_or(self.now);
        c.process = Some(Box::new(ClientScript::new(argv, start, state)));
        Ok(())
    }

    /// The client takes up a container's client-run main process (see
    /// `client_command`): its command line is not offered again.
    pub fn claim_client_main(&mut self, key: &str) {
        let Ok(id) = self.find(key) else { return };
        if let Some(p) = self
            .containers
            .get_mut(&id)
            .and_then(|c| c.process.as_mut())
        {
            p.claim();
        }
    }

    /// Running containers whose client-run main process the client has
    /// not taken up yet (one a restart policy just started again).
    pub fn unclaimed_client_mains(&self) -> Vec<String> {
        self.containers
            .values()
            .filter(|c| c.state.status == Status::Running)
            .filter(|c| {
                c.process
                    .as_ref()
                    .is_some_and(|p| p.client_argv().is_some())
            })
            .map(|c| c.id.clone())
            .collect()
    }

    /// The earliest script step due by now: (container id, due time).
    pub fn script_due(&self) -> Option<(String, Timestamp)> {
        self.containers
            .values()
            .filter(|c| c.state.status == Status::Running)
            .filter_map(|c| {
                let at = c.process.as_ref()?.script_step_at()?;
                (at <= self.now).then(|| (c.id.clone(), at))
            })
            .min_by_key(|(_, at)| *at)
    }

    /// The next time the client has work on the host's clock: a script's
    /// next step, or a restart the policy will make (a script container
    /// comes back with a script to take up). Time should not run past it
    /// without the client (see the shell's `mainproc::advance`).
    pub fn next_client_wake(&self) -> Option<Timestamp> {
        self.containers
            .values()
            .filter_map(|c| match c.state.status {
                Status::Running => c.process.as_ref()?.script_step_at(),
                Status::Restarting => c.state.restart_at,
                _ => None,
            })
            .min()
    }

    /// Lends out a due script's state: (due time, state).
    pub fn script_take(&mut self, id: &str) -> Option<(Timestamp, Box<dyn ScriptState>)> {
        let c = self.containers.get_mut(id)?;
        c.process.as_mut()?.client_script()?.take()
    }

    /// Takes back a script's state after a step, with what the step wrote
    /// (each piece stamped with its time) and what comes next. Lines up to
    /// now are logged at once; later ones wait for their time.
    pub fn script_put(
        &mut self,
        id: &str,
        state: Box<dyn ScriptState>,
        written: Vec<(Timestamp, Stream, String)>,
        next: ScriptNext,
    ) {
        let now = self.now;
        let mut entries: Vec<LogEntry> = Vec::new();
        for (time, stream, text) in written {
            for line in text.split_inclusive('\n') {
                entries.push(LogEntry {
                    time,
                    stream,
                    text: line.to_string(),
                });
            }
        }
        let split = entries.partition_point(|e| e.time <= now);
        let later = entries.split_off(split);
        for a in self.attachments.values_mut().filter(|a| a.container == id) {
            a.pending.extend(entries.iter().cloned());
        }
        let Some(c) = self.containers.get_mut(id) else {
            return;
        };
        c.logs.extend(entries);
        let Some(script) = c.process.as_mut().and_then(|p| p.client_script()) else {
            return;
        };
        script.put(state, later, next);
        if let ScriptNext::Exit(at, code) = next {
            // A step run late (the client catches up after time moved on)
            // ended the script in the past: it exited then.
            if at <= now {
                let _ = self.container_main_exit(id, code);
                if let Some(c) = self.containers.get_mut(id) {
                    c.state.finished_at = Some(at);
                }
            }
        }
    }
}
