//! The one app state, and the actions that change it.
//!
//! It holds the sandbox (the simulated host and its shell), the terminal,
//! the course and where the learner is in it, and the locale. The sandbox is
//! shared behind `Rc<RefCell<..>>` because Yew's reducer clones the state for
//! every action, and a host is not something to copy; everything else in the
//! state is cheap to clone.

use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use tidepool_lessons::{bundled, prepare, Course, Progress};
use tidepool_shell::{EditRequest, Sandbox};
use yew::Reducible;

use crate::i18n::Locale;
use crate::persist::{self, Entry, Save};
use crate::terminal::{Edit, TerminalInput, TerminalState};

#[derive(Clone)]
pub struct AppState {
    sandbox: Rc<RefCell<Sandbox>>,
    pub terminal: TerminalState,
    pub locale: Locale,
    /// The lesson being taken; `None` is the free sandbox.
    pub lesson: Option<LessonState>,
    /// Steps completed per lesson id, for the lesson list.
    pub completed: BTreeMap<String, usize>,
    /// What rebuilds this sandbox: its seed and journal (see `persist`).
    journal: Rc<RefCell<Journal>>,
    /// Replaying a journal: nothing is saved or journaled meanwhile.
    replaying: bool,
    /// Saves go to localStorage (not in tests that mount many apps).
    pub keep: bool,
    /// Virtual milliseconds per wall-clock millisecond (1 or 10).
    pub speed: u64,
    /// The file `nano`/`vi`/`edit` opened, and what its last save said.
    pub editing: Option<(EditRequest, Option<String>)>,
}

/// The built-in course, read the first time something asks: the first
/// prompt does not wait for it, and a reset does not read it again.
pub fn course() -> Rc<Course> {
    thread_local! {
        static COURSE: OnceCell<Rc<Course>> = const { OnceCell::new() };
    }
    // `cargo xtask test` checks every bundled lesson, so nothing is left
    // out of a build from main.
    COURSE.with(|course| course.get_or_init(|| Rc::new(bundled().0)).clone())
}

struct Journal {
    seed: u64,
    entries: Vec<Entry>,
    /// Virtual time passed since the last entry.
    waited: u64,
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
    /// Take back the last line entered.
    Undo,
    /// Start over: a new host, the save forgotten.
    Reset,
    /// A line of the app's own in the terminal.
    Notice(&'static str),
    /// Virtual time runs this many times as fast as the wall clock.
    SetSpeed(u64),
    /// Jump to the next thing that happens by itself.
    Skip,
    /// "Show API calls" on or off.
    ToggleApi,
    /// The editor saves this text into its file.
    SaveFile(String),
    CloseEditor,
    ShowHint,
    AskSolution,
    AnswerSolution(bool),
    SetLocale(Locale),
}

impl AppState {
    /// The sandbox the page opens with: a shared link's, else the saved
    /// one, else a fresh one from `seed`. A link or save that cannot be
    /// read is reported in the terminal (and a save kept aside).
    pub fn open(seed: u64, locale: Locale, fragment: &str) -> Self {
        let mut state = AppState::opened(seed, locale, fragment);
        state.keep = true;
        persist::store(&state.save());
        state
    }

    fn opened(seed: u64, locale: Locale, fragment: &str) -> Self {
        let words = locale.words();
        match Save::from_fragment(fragment) {
            Some(Ok(save)) => return AppState::replay(&save, locale),
            Some(Err(reason)) => {
                let mut state = AppState::new(seed, locale);
                state.notice(&format!("{} {reason}", words.link_unreadable));
                return state;
            }
            None => {}
        }
        match persist::load() {
            persist::Loaded::Save(save) => AppState::replay(&save, locale),
            persist::Loaded::Nothing => AppState::new(seed, locale),
            persist::Loaded::Unreadable(reason) => {
                let mut state = AppState::new(seed, locale);
                state.notice(&format!(
                    "{} {reason}. {} localStorage[\"{}\"].",
                    words.save_unreadable,
                    words.save_kept,
                    persist::ASIDE_KEY
                ));
                state
            }
        }
    }

    /// The sandbox a journal describes, rebuilt by doing it all again.
    pub fn replay(save: &Save, locale: Locale) -> Self {
        let mut state = AppState::new(save.seed, locale);
        state.replaying = true;
        for entry in &save.entries {
            match entry {
                Entry::Wait(ms) => state.apply(AppAction::Advance(*ms)),
                Entry::Line(line) => state.apply(AppAction::Terminal(TerminalInput::Text(
                    format!("{line}\n"),
                ))),
                Entry::Interrupt(typed) => {
                    state.apply(AppAction::Terminal(TerminalInput::Text(typed.clone())));
                    state.apply(AppAction::Terminal(TerminalInput::Edit(Edit::Interrupt)));
                }
                Entry::EndOfInput => {
                    state.apply(AppAction::Terminal(TerminalInput::Edit(Edit::EndOfInput)))
                }
                Entry::Clear => {
                    state.apply(AppAction::Terminal(TerminalInput::Edit(Edit::ClearScreen)))
                }
                Entry::Lesson(id) => state.apply(AppAction::SelectLesson(id.clone())),
                Entry::Restart => state.apply(AppAction::RestartLesson),
                Entry::Write {
                    container,
                    path,
                    text,
                } => {
                    let request = EditRequest {
                        path: path.clone(),
                        container: container.clone(),
                        text: String::new(),
                    };
                    let _ = state.sandbox.borrow_mut().save_file(&request, text);
                    state.editing = None;
                }
            }
        }
        state.replaying = false;
        state.terminal.journal.clear();
        *state.journal.borrow_mut() = Journal {
            seed: save.seed,
            entries: save.entries.clone(),
            waited: 0,
        };
        state
    }

    /// The host as the diagram draws it.
    pub fn host_model(&self) -> crate::diagram::model::HostModel {
        crate::diagram::model::HostModel::of(self.sandbox.borrow().host())
    }

    /// Virtual seconds on the host's clock: what the diagram's freshness
    /// depends on besides commands.
    pub fn host_second(&self) -> i64 {
        self.sandbox.borrow().host().now().unix_secs() as i64
    }

    /// What rebuilds this sandbox now.
    pub fn save(&self) -> Save {
        let journal = self.journal.borrow();
        let mut entries = journal.entries.clone();
        if journal.waited > 0 {
            entries.push(Entry::Wait(journal.waited));
        }
        Save {
            version: persist::VERSION,
            seed: journal.seed,
            entries,
        }
    }

    /// A line of the app's own in the terminal.
    fn notice(&mut self, text: &str) {
        let sandbox = self.sandbox.borrow();
        self.terminal.switch_host(&sandbox, text);
    }

    /// Moves what the terminal journaled into the journal, after the time
    /// that passed before it, and saves.
    fn record(&mut self, more: Vec<Entry>) {
        if self.replaying || more.is_empty() {
            return;
        }
        let keep = self.keep;
        {
            let mut journal = self.journal.borrow_mut();
            if journal.waited > 0 {
                let waited = std::mem::take(&mut journal.waited);
                journal.entries.push(Entry::Wait(waited));
            }
            journal.entries.extend(more);
        }
        if keep {
            persist::store(&self.save());
        }
    }

    pub fn new(seed: u64, locale: Locale) -> Self {
        let mut sandbox = Sandbox::new(seed);
        sandbox.editor = true;
        let terminal = TerminalState::new(&sandbox);
        AppState {
            sandbox: Rc::new(RefCell::new(sandbox)),
            terminal,
            locale,
            lesson: None,
            completed: BTreeMap::new(),
            journal: Rc::new(RefCell::new(Journal {
                seed,
                entries: Vec::new(),
                waited: 0,
            })),
            replaying: false,
            keep: false,
            speed: 1,
            editing: None,
        }
    }

    /// Starts lesson `index` on a fresh host with its setup.
    fn start_lesson(&mut self, index: usize) {
        let course = course();
        let Some(lesson) = course.lessons.get(index) else {
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
        let course = course();
        let Some(lesson) = course.lessons.get(state.index) else {
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

impl AppState {
    /// Does one action to this state (the reducer's body, and what a
    /// replay runs).
    pub fn apply(&mut self, action: AppAction) {
        match action {
            AppAction::Terminal(input) => {
                let (runs, was_busy) = (self.terminal.commands_run, self.sandbox.borrow().busy());
                self.terminal.apply(input, &mut self.sandbox.borrow_mut());
                let ended = was_busy && !self.sandbox.borrow().busy();
                if self.terminal.commands_run != runs || ended {
                    self.check_lesson();
                }
                let more = std::mem::take(&mut self.terminal.journal);
                self.record(more);
                if let Some(request) = self.terminal.edit_request.take() {
                    self.editing = Some((request, None));
                }
                if std::mem::take(&mut self.terminal.undo_requested) {
                    self.undo();
                }
            }
            AppAction::Advance(ms) => {
                let ms = if self.replaying { ms } else { ms * self.speed };
                let was_busy = self.sandbox.borrow().busy();
                self.terminal.advance(ms, &mut self.sandbox.borrow_mut());
                if !self.replaying {
                    self.journal.borrow_mut().waited += ms;
                }
                if was_busy && !self.sandbox.borrow().busy() {
                    self.check_lesson();
                }
            }
            AppAction::SelectLesson(Some(id)) => {
                if let Some(index) = course().lessons.iter().position(|l| l.id == id) {
                    self.start_lesson(index);
                    self.record(vec![Entry::Lesson(Some(id))]);
                }
            }
            AppAction::SelectLesson(None) => {
                self.lesson = None;
                self.record(vec![Entry::Lesson(None)]);
            }
            AppAction::RestartLesson => {
                if let Some(index) = self.lesson.as_ref().map(|l| l.index) {
                    if let Some(lesson) = course().lessons.get(index) {
                        self.completed.remove(&lesson.id);
                    }
                    self.start_lesson(index);
                    self.record(vec![Entry::Restart]);
                }
            }
            AppAction::Undo => self.undo(),
            AppAction::Notice(text) => self.notice(text),
            AppAction::SetSpeed(speed) => self.speed = speed.max(1),
            AppAction::ToggleApi => self.terminal.show_api = !self.terminal.show_api,
            AppAction::SaveFile(text) => {
                let Some((request, _)) = self.editing.clone() else {
                    return;
                };
                let saved = self.sandbox.borrow_mut().save_file(&request, &text);
                let status = match saved {
                    Ok(()) => {
                        self.record(vec![Entry::Write {
                            container: request.container.clone(),
                            path: request.path.clone(),
                            text: text.clone(),
                        }]);
                        self.locale.words().editor_saved.to_string()
                    }
                    Err(e) => e,
                };
                let request = EditRequest { text, ..request };
                self.editing = Some((request, Some(status)));
            }
            AppAction::CloseEditor => self.editing = None,
            AppAction::Skip => {
                let was_busy = self.sandbox.borrow().busy();
                let before = self.sandbox.borrow().host().now().0;
                self.terminal.skip(&mut self.sandbox.borrow_mut());
                let after = self.sandbox.borrow().host().now().0;
                self.journal.borrow_mut().waited += after.saturating_sub(before);
                if was_busy && !self.sandbox.borrow().busy() {
                    self.check_lesson();
                }
            }
            AppAction::Reset => {
                persist::forget();
                let seed = self.journal.borrow().seed.wrapping_add(1);
                let (locale, keep) = (self.locale, self.keep);
                *self = AppState::new(seed, locale);
                self.keep = keep;
                self.notice(locale.words().reset_done);
            }
            AppAction::ShowHint => {
                if let Some(l) = self.lesson.as_mut() {
                    l.hints_shown += 1;
                }
            }
            AppAction::AskSolution => {
                if let Some(l) = self.lesson.as_mut() {
                    l.solution = SolutionView::Asking;
                }
            }
            AppAction::AnswerSolution(yes) => {
                if let Some(l) = self.lesson.as_mut() {
                    l.solution = if yes {
                        SolutionView::Shown
                    } else {
                        SolutionView::Hidden
                    };
                }
            }
            AppAction::SetLocale(locale) => {
                self.locale = locale;
                // The missing-step messages shown are in the old language.
                if self.lesson.as_ref().is_some_and(|l| !l.failing.is_empty()) {
                    self.check_lesson();
                }
            }
        }
    }

    /// Takes back the last line entered: the journal without it, replayed.
    /// The terminal then shows `undo` after the prompt, as typed.
    fn undo(&mut self) {
        let mut save = self.save();
        let last = save
            .entries
            .iter()
            .rposition(|e| matches!(e, Entry::Line(_)));
        let words = self.locale.words();
        let Some(last) = last else {
            let prompt = self.terminal.prompt.clone();
            self.terminal.scrollback.push_command(&prompt, "undo");
            self.terminal
                .scrollback
                .push_output(&format!("{}\n", words.nothing_to_undo));
            return;
        };
        save.entries.truncate(last);
        while matches!(save.entries.last(), Some(Entry::Wait(_))) {
            save.entries.pop();
        }
        let (locale, keep) = (self.locale, self.keep);
        let prompt = self.terminal.prompt.clone();
        *self = AppState::replay(&save, locale);
        self.keep = keep;
        self.terminal.scrollback.push_command(&prompt, "undo");
        if keep {
            persist::store(&self.save());
        }
    }
}

impl Reducible for AppState {
    type Action = AppAction;

    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        let tick = matches!(action, AppAction::Advance(_));
        let mut next = (*self).clone();
        next.apply(action);
        // Most ticks show nothing new: keeping the same state then skips a
        // render four times a second.
        if tick && next.terminal == self.terminal && next.lesson == self.lesson {
            return self;
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(state: &mut AppState, text: &str) {
        state.apply(AppAction::Terminal(TerminalInput::Text(text.into())));
    }

    fn screen(state: &AppState) -> Vec<String> {
        state
            .terminal
            .scrollback
            .lines()
            .map(|l| format!("{:?}", l.kind))
            .collect()
    }

    #[test]
    fn replaying_the_journal_rebuilds_the_same_screen_and_lesson() {
        let mut state = AppState::new(5, Locale::En);
        typed(&mut state, "docker run -d --name web -p 8080:80 nginx\n");
        state.apply(AppAction::Advance(3_000));
        typed(&mut state, "docker ps\n");
        state.apply(AppAction::SelectLesson(Some("hello".into())));
        typed(&mut state, "docker run hello-world\n");
        typed(&mut state, "echo half");
        state.apply(AppAction::Terminal(TerminalInput::Edit(Edit::Interrupt)));
        state.apply(AppAction::Advance(60_000));
        typed(&mut state, "docker ps -a\n");
        let save = state.save();
        assert_eq!(save.seed, 5);
        let again = AppState::replay(&save, Locale::En);
        assert_eq!(screen(&again), screen(&state));
        assert_eq!(again.lesson, state.lesson);
        assert_eq!(
            again.lesson.as_ref().map(|l| l.progress.completed()),
            Some(1)
        );
        // And through JSON, as a save or a link carries it.
        let through = Save::from_json(&save.to_json()).unwrap();
        assert_eq!(
            screen(&AppState::replay(&through, Locale::En)),
            screen(&state)
        );
    }

    #[test]
    fn skip_jumps_to_the_next_line_a_counter_prints() {
        let mut state = AppState::new(2, Locale::En);
        typed(&mut state, "docker run devwikirepo/tencounter\n");
        let lines = state.terminal.scrollback.lines().count();
        state.apply(AppAction::Skip);
        assert_eq!(state.terminal.scrollback.lines().count(), lines + 1);
        for _ in 0..12 {
            state.apply(AppAction::Skip);
        }
        assert!(!state.sandbox.borrow().busy());
        // Skipped time is journaled like waited time: a replay agrees.
        let again = AppState::replay(&state.save(), Locale::En);
        assert_eq!(screen(&again), screen(&state));
    }

    #[test]
    fn nano_opens_the_editor_and_a_save_is_journaled() {
        let mut state = AppState::new(4, Locale::En);
        typed(&mut state, "nano /root/index.html\n");
        let (request, _) = state.editing.clone().unwrap();
        assert_eq!(
            (
                request.path.as_str(),
                request.text.as_str(),
                request.container
            ),
            ("/root/index.html", "", None)
        );
        state.apply(AppAction::SaveFile("<h1>hi</h1>\n".into()));
        assert_eq!(state.editing.as_ref().unwrap().1.as_deref(), Some("Saved"));
        state.apply(AppAction::CloseEditor);
        typed(&mut state, "cat /root/index.html\n");
        let again = AppState::replay(&state.save(), Locale::En);
        assert_eq!(screen(&again), screen(&state));
        assert!(screen(&state).iter().any(|l| l.contains("<h1>hi</h1>")));
        // Inside a container, the container's file.
        typed(&mut state, "docker run -d --name web nginx\n");
        typed(&mut state, "docker exec -it web bash\n");
        typed(&mut state, "nano /usr/share/nginx/html/index.html\n");
        assert!(state.editing.is_none(), "nginx's image has no nano");
        typed(&mut state, "apt-get update && apt-get install -y nano\n");
        typed(&mut state, "nano /usr/share/nginx/html/index.html\n");
        let (request, _) = state.editing.clone().unwrap();
        assert!(request.container.is_some() && request.text.contains("Welcome to nginx!"));
    }

    #[test]
    fn undo_takes_back_the_last_line() {
        let mut before = AppState::new(9, Locale::En);
        typed(&mut before, "docker run -d --name web nginx\n");
        let mut state = AppState::new(9, Locale::En);
        typed(&mut state, "docker run -d --name web nginx\n");
        typed(&mut state, "docker rm -f web\n");
        typed(&mut state, "undo\n");
        let mut shown = screen(&state);
        let last = shown.pop().unwrap();
        assert!(
            last.contains("root@tidepool:~# ") && last.contains("\"undo\""),
            "{last}"
        );
        assert_eq!(shown, screen(&before));
        assert!(state
            .sandbox
            .borrow()
            .host()
            .container_inspect("web")
            .is_ok());
        typed(&mut state, "undo\n");
        typed(&mut state, "undo\n");
        assert!(screen(&state)
            .last()
            .unwrap()
            .contains("there is no command to take back"));
    }
}
