//! The one app state, and the actions that change it.
//!
//! It holds the sandbox (the simulated host and its shell), the terminal,
//! the course and where the learner is in it, and the locale. The sandbox is
//! shared behind `Rc<RefCell<..>>` because Yew's reducer clones the state for
//! every action, and a host is not something to copy; everything else in the
//! state is cheap to clone.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use tidepool_lessons::{bundled, prepare, Course, Progress};
use tidepool_shell::Sandbox;
use yew::Reducible;

use crate::i18n::Locale;
use crate::terminal::{TerminalInput, TerminalState};

#[derive(Clone)]
pub struct AppState {
    sandbox: Rc<RefCell<Sandbox>>,
    pub terminal: TerminalState,
    pub course: Rc<Course>,
    pub locale: Locale,
    /// The lesson being taken; `None` is the free sandbox.
    pub lesson: Option<LessonState>,
    /// Steps completed per lesson id, for the lesson list.
    pub completed: BTreeMap<String, usize>,
}

/// Where the learner is in the lesson being taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonState {
    /// Index into the course's lessons.
    pub index: usize,
    pub progress: Progress,
    /// Hints of the current step shown so far.
    pub hints_shown: usize,
    pub solution: SolutionView,
    /// What the current step's failing checks say, once the learner has
    /// run a command in this step (before that, nothing is "missing").
    pub failing: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SolutionView {
    Hidden,
    /// "Show the solution?" is being asked.
    Asking,
    Shown,
}

pub enum AppAction {
    Terminal(TerminalInput),
    /// Wall-clock milliseconds have passed.
    Advance(u64),
    /// Take the lesson with this id on a fresh host; `None` leaves lessons
    /// for the free sandbox, keeping the host.
    SelectLesson(Option<String>),
    /// The current lesson again, on a fresh host.
    RestartLesson,
    ShowHint,
    AskSolution,
    AnswerSolution(bool),
    SetLocale(Locale),
}

impl AppState {
    pub fn new(seed: u64, locale: Locale) -> Self {
        let sandbox = Sandbox::new(seed);
        let terminal = TerminalState::new(&sandbox);
        // `cargo xtask test` checks every bundled lesson, so nothing is left
        // out of a build from main.
        let (course, _left_out) = bundled();
        AppState {
            sandbox: Rc::new(RefCell::new(sandbox)),
            terminal,
            course: Rc::new(course),
            locale,
            lesson: None,
            completed: BTreeMap::new(),
        }
    }

    /// Starts lesson `index` on a fresh host with its setup.
    fn start_lesson(&mut self, index: usize) {
        let Some(lesson) = self.course.lessons.get(index) else {
            return;
        };
        let words = self.locale.words();
        let title = lesson.text(self.locale.code()).title.clone();
        match prepare(lesson) {
            Ok(sandbox) => {
                self.terminal
                    .switch_host(&sandbox, &format!("# {title}: {}", words.fresh_host));
                self.sandbox = Rc::new(RefCell::new(sandbox));
                self.lesson = Some(LessonState {
                    index,
                    progress: Progress::new(),
                    hints_shown: 0,
                    solution: SolutionView::Hidden,
                    failing: Vec::new(),
                });
                self.completed.entry(lesson.id.clone()).or_insert(0);
            }
            Err(failure) => {
                let sandbox = self.sandbox.borrow();
                self.terminal.switch_host(
                    &sandbox,
                    &format!(
                        "# {title}: {} {}\n{}",
                        words.setup_failed, failure.line, failure.output
                    ),
                );
            }
        }
    }

    /// After a command ran: tick the steps it completed, or say what the
    /// current one still misses.
    fn check_lesson(&mut self) {
        let Some(state) = self.lesson.as_mut() else {
            return;
        };
        let Some(lesson) = self.course.lessons.get(state.index) else {
            return;
        };
        let sandbox = self.sandbox.borrow();
        if sandbox.busy() {
            return;
        }
        let newly = state.progress.update(lesson, &sandbox);
        if !newly.is_empty() {
            state.hints_shown = 0;
            state.solution = SolutionView::Hidden;
            state.failing.clear();
            self.completed
                .insert(lesson.id.clone(), state.progress.completed());
        } else {
            state.failing = state
                .progress
                .failing(lesson, &sandbox, self.locale.code())
                .into_iter()
                .map(str::to_string)
                .collect();
        }
    }
}

impl Reducible for AppState {
    type Action = AppAction;

    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            AppAction::Terminal(input) => {
                let (runs, was_busy) = (next.terminal.commands_run, next.sandbox.borrow().busy());
                next.terminal.apply(input, &mut next.sandbox.borrow_mut());
                let ended = was_busy && !next.sandbox.borrow().busy();
                if next.terminal.commands_run != runs || ended {
                    next.check_lesson();
                }
            }
            AppAction::Advance(ms) => {
                let was_busy = next.sandbox.borrow().busy();
                next.terminal.advance(ms, &mut next.sandbox.borrow_mut());
                if was_busy && !next.sandbox.borrow().busy() {
                    next.check_lesson();
                }
                // Most ticks show nothing new: keeping the same state then
                // skips a render four times a second.
                if next.terminal == self.terminal && next.lesson == self.lesson {
                    return self;
                }
            }
            AppAction::SelectLesson(Some(id)) => {
                if let Some(index) = next.course.lessons.iter().position(|l| l.id == id) {
                    next.start_lesson(index);
                }
            }
            AppAction::SelectLesson(None) => next.lesson = None,
            AppAction::RestartLesson => {
                if let Some(index) = next.lesson.as_ref().map(|l| l.index) {
                    if let Some(lesson) = next.course.lessons.get(index) {
                        next.completed.remove(&lesson.id);
                    }
                    next.start_lesson(index);
                }
            }
            AppAction::ShowHint => {
                if let Some(l) = next.lesson.as_mut() {
                    l.hints_shown += 1;
                }
            }
            AppAction::AskSolution => {
                if let Some(l) = next.lesson.as_mut() {
                    l.solution = SolutionView::Asking;
                }
            }
            AppAction::AnswerSolution(yes) => {
                if let Some(l) = next.lesson.as_mut() {
                    l.solution = if yes {
                        SolutionView::Shown
                    } else {
                        SolutionView::Hidden
                    };
                }
            }
            AppAction::SetLocale(locale) => {
                next.locale = locale;
                // The missing-step messages shown are in the old language.
                if next.lesson.as_ref().is_some_and(|l| !l.failing.is_empty()) {
                    next.check_lesson();
                }
            }
        }
        Rc::new(next)
    }
}
