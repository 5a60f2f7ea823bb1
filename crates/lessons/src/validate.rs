//! `tidepool check`: does a lesson work? From a fresh host with its setup,
//! every check of a step must fail before the step's solution runs (else
//! the step would tick itself) and pass after it (else no learner could
//! finish it). The steps run in order on one host, as a learner's would.

use crate::course::{Lesson, Problem};
use crate::progress::prepare;
use tidepool_shell::script;

/// What checking a set of lessons found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub lessons: usize,
    pub steps: usize,
    pub checks: usize,
    pub problems: Vec<Problem>,
}

/// Runs `lesson`'s solutions and checks from a fresh host.
pub fn validate(lesson: &Lesson) -> Report {
    let mut report = Report {
        lessons: 1,
        steps: lesson.steps.len(),
        checks: lesson.steps.iter().map(|s| s.checks.len()).sum(),
        problems: Vec::new(),
    };
    let mut sandbox = match prepare(lesson) {
        Ok(s) => s,
        Err(failure) => {
            report.problems.push(Problem::new(
                &lesson.path,
                lesson.setup_line,
                format!(
                    "setup failed at `{}`:\n{}",
                    failure.line,
                    indent(&failure.output)
                ),
            ));
            return report;
        }
    };
    sandbox.plain_terminal = true;
    for step in &lesson.steps {
        for (n, check) in step.checks.iter().enumerate() {
            if sandbox.probe(&check.run).is_ok() {
                report.problems.push(Problem::new(
                    &lesson.path,
                    check.line,
                    format!(
                        "step `{}`, check {}: passes before the step's solution ran; it must fail on the host the step starts from",
                        step.id,
                        n + 1
                    ),
                ));
            }
        }
        let mut transcript = String::new();
        for line in script::command_lines(&step.solution) {
            transcript.push_str(&format!("$ {line}\n"));
            transcript.push_str(&script::run_to_end(&mut sandbox, &line).0);
        }
        for (n, check) in step.checks.iter().enumerate() {
            if let Err(failed) = sandbox.probe(&check.run) {
                report.problems.push(Problem::new(
                    &lesson.path,
                    check.line,
                    format!(
                        "step `{}`, check {}: fails after the step's solution ran:\n{}  the solution printed:\n{}",
                        step.id,
                        n + 1,
                        indent(&failed),
                        indent(&tail(&transcript, 12))
                    ),
                ));
            }
        }
    }
    report
}

impl Report {
    pub fn add(&mut self, other: Report) {
        self.lessons += other.lessons;
        self.steps += other.steps;
        self.checks += other.checks;
        self.problems.extend(other.problems);
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(n);
    lines[start..].iter().map(|l| format!("{l}\n")).collect()
}
