//! Following a learner through a lesson: a fresh host with the lesson's
//! setup, then, after each command, the current step's checks run against a
//! copy of the host. Steps complete in order and stay complete, so a later
//! step that cleans up cannot undo an earlier tick.

use crate::course::Lesson;
use tidepool_shell::{script, Sandbox};

/// A setup line that did not succeed: the lesson cannot start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupFailure {
    pub line: String,
    pub output: String,
}

/// A fresh host for `lesson`, its setup already run.
pub fn prepare(lesson: &Lesson) -> Result<Sandbox, SetupFailure> {
    let mut sandbox = Sandbox::new(lesson.seed);
    sandbox.plain_terminal = true;
    for line in script::command_lines(&lesson.setup) {
        let (output, status) = script::run_to_end(&mut sandbox, &line);
        if status != 0 {
            return Err(SetupFailure { line, output });
        }
    }
    sandbox.plain_terminal = false;
    Ok(sandbox)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepState {
    Done,
    Current,
    Ahead,
}

/// How far a learner is: the number of steps completed, in order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    completed: usize,
}

impl Progress {
    pub fn new() -> Self {
        Progress::default()
    }

    /// Progress saved as its number of completed steps.
    pub fn restore(completed: usize, lesson: &Lesson) -> Self {
        Progress {
            completed: completed.min(lesson.steps.len()),
        }
    }

    pub fn completed(&self) -> usize {
        self.completed
    }

    pub fn finished(&self, lesson: &Lesson) -> bool {
        self.completed >= lesson.steps.len()
    }

    pub fn state(&self, step: usize) -> StepState {
        match step.cmp(&self.completed) {
            std::cmp::Ordering::Less => StepState::Done,
            std::cmp::Ordering::Equal => StepState::Current,
            std::cmp::Ordering::Greater => StepState::Ahead,
        }
    }

    /// Runs the current step's checks against `sandbox`; while they all
    /// pass, that step completes and the next one is tried. Returns the
    /// steps completed by this call.
    pub fn update(&mut self, lesson: &Lesson, sandbox: &Sandbox) -> Vec<usize> {
        let mut newly = Vec::new();
        while let Some(step) = lesson.steps.get(self.completed) {
            if !step.checks.iter().all(|c| sandbox.probe(&c.run).is_ok()) {
                break;
            }
            newly.push(self.completed);
            self.completed += 1;
        }
        newly
    }

    /// What the current step's failing checks tell the learner, in `locale`.
    pub fn failing<'a>(&self, lesson: &'a Lesson, sandbox: &Sandbox, locale: &str) -> Vec<&'a str> {
        let Some(step) = lesson.steps.get(self.completed) else {
            return Vec::new();
        };
        step.checks
            .iter()
            .filter(|c| sandbox.probe(&c.run).is_err())
            .map(|c| c.message(locale))
            .collect()
    }
}
