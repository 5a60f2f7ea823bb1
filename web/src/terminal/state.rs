//! The terminal's state and how input changes it.
//!
//! This is the part of a terminal emulator plus readline that the sandbox does
//! not do: echoing what was typed, editing the line, history, collecting the
//! lines of an unfinished command under a `> ` prompt, and keeping what the
//! commands printed. The shell itself is passed in, so the same code runs in
//! the browser and in native unit tests.

use tidepool_shell::Sandbox;
use yew::AttrValue;

use super::history::History;
use super::line_editor::LineEditor;
use super::scrollback::Scrollback;
use crate::persist::Entry;

/// bash's PS2: the prompt for the next line of an unfinished command.
pub const CONTINUATION_PROMPT: &str = "> ";

/// One thing the user did to the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TerminalInput {
    /// Text typed, committed by an input method, or pasted. Each `\n` in it
    /// acts as Enter, so a pasted script runs line by line.
    Text(String),
    /// Text an input method is still composing (Korean syllables as they
    /// form); shown at the cursor, not yet part of the line.
    Composing(String),
    Edit(Edit),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Enter,
    DeleteBackward,
    DeleteForward,
    Left,
    Right,
    Home,
    End,
    HistoryOlder,
    HistoryNewer,
    KillToStart,
    KillToEnd,
    /// Ctrl-C: abandon the line (and any unfinished command), print `^C`.
    Interrupt,
    /// Ctrl-L: clear the screen, keep the line being typed.
    ClearScreen,
    /// Ctrl-D: on an empty line, leave a container's shell; otherwise
    /// delete the character under the cursor, as readline does.
    EndOfInput,
    /// Tab: complete the word at the cursor; a second Tab lists candidates.
    Complete,
    /// Alt-B / Alt-F.
    WordLeft,
    WordRight,
    /// Ctrl-W / Alt-D.
    KillWordBackward,
    KillWordForward,
    /// Ctrl-R: search the history backwards as one types.
    ReverseSearch,
    /// Esc or Ctrl-G: leave a history search with the line found.
    Escape,
}

/// A Ctrl-R search in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Search {
    query: String,
    /// The history entry found, if any.
    found: Option<usize>,
    /// The prompt to go back to.
    prompt: AttrValue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalState {
    pub scrollback: Scrollback,
    pub editor: LineEditor,
    /// The prompt the line is being typed at.
    pub prompt: AttrValue,
    pub composing: AttrValue,
    history: History,
    /// Lines already entered of a command that is not complete yet.
    pending: Vec<String>,
    /// The last key was a Tab that could not complete further.
    tab_pending: bool,
    /// How many command lines have run: a lesson checks its step after each.
    pub commands_run: u64,
    /// A command asks for a password: what is typed is not drawn.
    pub secret: bool,
    /// What was done since the app last took it: lines entered, Ctrl-C,
    /// Ctrl-D, Ctrl-L (see `persist`).
    pub journal: Vec<Entry>,
    /// `undo` was entered: the app takes back the last line (it is not a
    /// shell command; it replays the journal without that line).
    pub undo_requested: bool,
    search: Option<Search>,
    /// "Show API calls": each command's Engine API requests are shown
    /// before its output.
    pub show_api: bool,
    /// A file the last line opened in the editor, for the app to take.
    pub edit_request: Option<tidepool_shell::EditRequest>,
}

impl TerminalState {
    pub fn new(shell: &Sandbox) -> Self {
        TerminalState {
            scrollback: Scrollback::default(),
            editor: LineEditor::default(),
            prompt: shell.prompt().into(),
            composing: AttrValue::default(),
            history: History::default(),
            pending: Vec::new(),
            tab_pending: false,
            commands_run: 0,
            secret: false,
            journal: Vec::new(),
            undo_requested: false,
            search: None,
            show_api: false,
            edit_request: None,
        }
    }

    /// The terminal now drives another host (a lesson's fresh one): the
    /// scrollback stays, with `notice` under it, and the line starts over.
    pub fn switch_host(&mut self, shell: &Sandbox, notice: &str) {
        self.editor = LineEditor::default();
        self.composing = AttrValue::default();
        self.pending.clear();
        self.tab_pending = false;
        self.scrollback.push_output(&format!("{notice}\n"));
        self.prompt = shell.prompt().into();
    }

    pub fn apply(&mut self, input: TerminalInput, shell: &mut Sandbox) {
        if self.search.is_some() {
            if let Some(input) = self.searching(input) {
                self.apply(input, shell);
            }
            return;
        }
        match input {
            TerminalInput::Text(text) => self.type_text(&text, shell),
            TerminalInput::Composing(text) => self.composing = text.into(),
            TerminalInput::Edit(edit) => self.edit(edit, shell),
        }
    }

    fn type_text(&mut self, text: &str, shell: &mut Sandbox) {
        self.composing = AttrValue::default();
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let mut lines = text.split('\n');
        if let Some(first) = lines.next() {
            self.editor.insert(first);
        }
        for line in lines {
            self.enter(shell);
            self.editor.insert(line);
        }
    }

    fn edit(&mut self, edit: Edit, shell: &mut Sandbox) {
        if edit != Edit::Complete {
            self.tab_pending = false;
        }
        let editor = &mut self.editor;
        match edit {
            Edit::Enter => self.enter(shell),
            Edit::DeleteBackward => editor.delete_backward(),
            Edit::DeleteForward => editor.delete_forward(),
            Edit::Left => editor.move_left(),
            Edit::Right => editor.move_right(),
            Edit::Home => editor.move_home(),
            Edit::End => editor.move_end(),
            Edit::KillToStart => editor.kill_to_start(),
            Edit::KillToEnd => editor.kill_to_end(),
            Edit::HistoryOlder => {
                if let Some(entry) = self.history.older(editor.text()) {
                    editor.replace(entry);
                }
            }
            Edit::HistoryNewer => {
                if let Some(entry) = self.history.newer() {
                    editor.replace(&entry);
                }
            }
            Edit::Interrupt => {
                let typed = editor.take();
                self.journal.push(Entry::Interrupt(if self.secret {
                    String::new()
                } else {
                    typed.clone()
                }));
                if shell.busy() {
                    // SIGINT for the job; `^C` lands where the cursor was.
                    let printed = shell.interrupt();
                    self.scrollback.push_output(&format!("{typed}{printed}"));
                } else {
                    let typed = if self.secret { String::new() } else { typed };
                    self.echo(&format!("{typed}^C"));
                    self.pending.clear();
                    shell.cancel_question();
                }
                self.history.stop_browsing();
                self.refresh_prompt(shell);
            }
            Edit::ClearScreen => {
                self.journal.push(Entry::Clear);
                self.scrollback.clear()
            }
            Edit::EndOfInput if !editor.text().is_empty() => editor.delete_forward(),
            Edit::EndOfInput => self.end_of_input(shell),
            Edit::Complete => self.complete(shell),
            Edit::WordLeft => editor.word_left(),
            Edit::WordRight => editor.word_right(),
            Edit::KillWordBackward => editor.kill_word_backward(),
            Edit::KillWordForward => editor.kill_word_forward(),
            Edit::ReverseSearch if !shell.busy() && !self.secret => {
                self.search = Some(Search {
                    query: String::new(),
                    found: None,
                    prompt: self.prompt.clone(),
                });
                self.prompt = "(reverse-i-search)`': ".into();
            }
            Edit::ReverseSearch | Edit::Escape => {}
        }
    }

    /// Input during a Ctrl-R search. Typing narrows it, Ctrl-R finds the
    /// next older match, Backspace widens it; Enter runs the line found;
    /// Esc or Ctrl-G keeps it to edit; any other key leaves the search
    /// with the line found and then acts (returned to be applied).
    fn searching(&mut self, input: TerminalInput) -> Option<TerminalInput> {
        let search = self.search.as_mut()?;
        match input {
            TerminalInput::Text(text) => {
                let (typed, rest) = match text.split_once('\n') {
                    Some((t, _)) => (t.to_string(), true),
                    None => (text, false),
                };
                search.query.push_str(&typed);
                search.found = None;
                self.find(None);
                if rest {
                    self.leave_search();
                    return Some(TerminalInput::Edit(Edit::Enter));
                }
                None
            }
            TerminalInput::Composing(_) => None,
            TerminalInput::Edit(Edit::ReverseSearch) => {
                let before = search.found;
                self.find(before);
                None
            }
            TerminalInput::Edit(Edit::DeleteBackward) => {
                search.query.pop();
                self.find(None);
                None
            }
            TerminalInput::Edit(Edit::Interrupt) => {
                let prompt = search.prompt.clone();
                self.search = None;
                self.prompt = prompt;
                Some(TerminalInput::Edit(Edit::Interrupt))
            }
            TerminalInput::Edit(Edit::Escape) => {
                self.leave_search();
                None
            }
            other => {
                self.leave_search();
                Some(other)
            }
        }
    }

    /// The newest history entry with the query in it, older than `before`.
    fn find(&mut self, before: Option<usize>) {
        let Some(search) = self.search.as_mut() else {
            return;
        };
        match self.history.search(&search.query, before) {
            Some((i, entry)) => {
                search.found = Some(i);
                self.editor.replace(entry);
                self.prompt = format!("(reverse-i-search)`{}': ", search.query).into();
            }
            None => {
                self.prompt = format!("(failed reverse-i-search)`{}': ", search.query).into();
            }
        }
    }

    fn leave_search(&mut self) {
        if let Some(search) = self.search.take() {
            self.prompt = search.prompt;
        }
    }

    /// Enter: echo the line; run the command if it is complete, otherwise
    /// wait for its next line.
    fn enter(&mut self, shell: &mut Sandbox) {
        let line = self.editor.take();
        if line.trim() == "undo" && self.pending.is_empty() && !shell.busy() && !shell.asking() {
            self.undo_requested = true;
            self.history.record("undo");
            return;
        }
        let kept = if self.secret {
            "********".to_string()
        } else {
            line.clone()
        };
        self.journal.push(Entry::Line(kept));
        if shell.busy() {
            // The job has the terminal: the line is echoed, as a tty does,
            // and not run.
            self.scrollback.push_output(&format!("{line}\n"));
            return;
        }
        if shell.asking() {
            // An answer to a command's question: shown after the question
            // (a password not at all), never kept in history.
            let prompt = self.prompt.clone();
            let shown = if self.secret { "" } else { line.as_str() };
            self.scrollback.push_command(&prompt, shown);
            self.commands_run += 1;
            let outcome = shell.run_line(&line);
            if self.show_api {
                self.scrollback.push_api(&outcome.api_calls);
            }
            self.scrollback.push_output(&outcome.output);
            self.refresh_prompt(shell);
            return;
        }
        self.echo(&line);
        self.pending.push(line);
        let command = self.pending.join("\n");
        if !shell.is_complete(&command) {
            self.prompt = CONTINUATION_PROMPT.into();
            return;
        }
        self.pending.clear();
        self.history.record(&command);
        if !command.trim().is_empty() {
            self.commands_run += 1;
            let outcome = shell.run_line(&command);
            if outcome.clear_screen {
                self.scrollback.clear();
            }
            if self.show_api {
                self.scrollback.push_api(&outcome.api_calls);
            }
            if outcome.edit.is_some() {
                self.edit_request = outcome.edit.clone();
            }
            self.scrollback.push_output(&outcome.output);
        }
        self.refresh_prompt(shell);
    }

    /// Tab, as readline does it: a single candidate completes the word (and
    /// a space, or nothing after a directory's `/`); several extend it to
    /// their common prefix; a second Tab with nothing to add lists them.
    fn complete(&mut self, shell: &mut Sandbox) {
        if shell.busy() {
            return;
        }
        let line = self.editor.text().to_string();
        let cursor = self.editor.before_cursor().len();
        let completion = shell.complete(&line, cursor);
        let typed = &line[completion.start.min(cursor)..cursor];
        let candidates = completion.candidates;
        let insertion = match candidates.as_slice() {
            [] => None,
            [one] => Some(if one.ends_with('/') {
                one.clone()
            } else {
                format!("{one} ")
            }),
            many => {
                let mut prefix = many[0].clone();
                for c in &many[1..] {
                    while !c.starts_with(&prefix) {
                        prefix.pop();
                    }
                }
                (prefix.len() > typed.len()).then_some(prefix)
            }
        };
        match insertion {
            Some(text) if text.starts_with(typed) => {
                self.editor.insert(&text[typed.len()..]);
                self.tab_pending = false;
            }
            _ if candidates.len() > 1 && self.tab_pending => {
                let prompt = self.prompt.clone();
                self.scrollback.push_command(&prompt, &line);
                let names: Vec<&str> = candidates.iter().map(String::as_str).collect();
                self.scrollback.push_output(&columns(&names, 80));
                self.tab_pending = false;
            }
            _ => self.tab_pending = candidates.len() > 1,
        }
    }

    /// Ctrl-D on an empty line. The host's shell stays (a browser tab has
    /// nowhere to log out to); a container's shell exits, and bash says
    /// `exit` on the prompt's own line.
    fn end_of_input(&mut self, shell: &mut Sandbox) {
        if !shell.in_container() || shell.busy() || !self.pending.is_empty() {
            return;
        }
        self.journal.push(Entry::EndOfInput);
        let printed = shell.end_of_input();
        let (said, rest) = printed.split_once('\n').unwrap_or((&printed, ""));
        let prompt = self.prompt.clone();
        self.scrollback.push_command(&prompt, said);
        self.scrollback.push_output(rest);
        self.history.stop_browsing();
        self.refresh_prompt(shell);
    }

    /// Virtual time jumped to the next event (the speed control's ⏭).
    pub fn skip(&mut self, shell: &mut Sandbox) {
        let printed = shell.skip_to_next_event();
        self.scrollback.push_output(&printed);
        self.refresh_prompt(shell);
    }

    /// Virtual time passed: show what the foreground job printed meanwhile,
    /// and the prompt again once it has ended.
    pub fn advance(&mut self, ms: u64, shell: &mut Sandbox) {
        let printed = shell.advance(ms);
        self.scrollback.push_output(&printed);
        self.refresh_prompt(shell);
    }

    /// The prompt, and whether what is typed at it stays hidden.
    fn refresh_prompt(&mut self, shell: &Sandbox) {
        self.prompt = self.prompt_for(shell);
        self.secret = shell.secret_input();
    }

    /// No prompt while a foreground job runs (an attached `docker run`,
    /// `logs -f`); `> ` while a command is unfinished; else the shell's.
    fn prompt_for(&self, shell: &Sandbox) -> AttrValue {
        if shell.busy() {
            AttrValue::default()
        } else if !self.pending.is_empty() {
            CONTINUATION_PROMPT.into()
        } else {
            shell.prompt().into()
        }
    }

    /// Puts an entered line in the scrollback after its prompt. A recalled
    /// multi-line command shows its later lines after `> `, as it was typed.
    fn echo(&mut self, line: &str) {
        let mut prompt = self.prompt.clone();
        for part in line.split('\n') {
            self.scrollback.push_command(&prompt, part);
            prompt = CONTINUATION_PROMPT.into();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::scrollback::LineKind;
    use super::*;

    struct Harness {
        shell: Sandbox,
        state: TerminalState,
    }

    impl Harness {
        fn new() -> Self {
            let shell = Sandbox::new(7);
            let state = TerminalState::new(&shell);
            Harness { shell, state }
        }

        fn text(&mut self, text: &str) {
            self.state
                .apply(TerminalInput::Text(text.into()), &mut self.shell);
        }

        fn edit(&mut self, edit: Edit) {
            self.state.apply(TerminalInput::Edit(edit), &mut self.shell);
        }

        fn commands(&self) -> Vec<String> {
            self.state
                .scrollback
                .lines()
                .filter_map(|line| match &line.kind {
                    LineKind::Command { prompt, text } => Some(format!("{prompt}{text}")),
                    LineKind::Output(_) | LineKind::Api(_) => None,
                })
                .collect()
        }

        fn output_text(&self) -> String {
            self.state
                .scrollback
                .lines()
                .filter_map(|line| match &line.kind {
                    LineKind::Output(text) => Some(format!("{text}\n")),
                    LineKind::Command { .. } | LineKind::Api(_) => None,
                })
                .collect()
        }

        fn output_lines(&self) -> usize {
            self.state
                .scrollback
                .lines()
                .filter(|line| matches!(line.kind, LineKind::Output(_)))
                .count()
        }
    }

    const PS1: &str = "root@tidepool:~# ";

    #[test]
    fn enter_echoes_the_line_runs_it_and_clears_the_input() {
        let mut h = Harness::new();
        h.text("echo hi");
        h.edit(Edit::Enter);
        assert_eq!(h.commands(), [format!("{PS1}echo hi")]);
        assert!(h.output_lines() > 0);
        assert_eq!(h.state.editor.text(), "");
        assert_eq!(h.state.prompt, PS1);
    }

    #[test]
    fn a_question_takes_the_next_line_and_a_password_stays_hidden() {
        let mut h = Harness::new();
        h.text("docker login\n");
        assert_eq!(h.state.prompt, "Username: ");
        assert!(!h.state.secret);
        h.text("learner\n");
        assert_eq!(h.state.prompt, "Password: ");
        assert!(h.state.secret);
        h.text("hunter2\n");
        assert_eq!(h.state.prompt, PS1);
        assert!(!h.state.secret);
        assert_eq!(
            h.commands(),
            [
                format!("{PS1}docker login"),
                "Username: learner".into(),
                "Password: ".into()
            ]
        );
        assert!(h.output_text().ends_with("Login Succeeded\n"));
        assert!(!h.output_text().contains("hunter2"));
        // Answers are not commands: Up recalls `docker login`.
        h.edit(Edit::HistoryOlder);
        assert_eq!(h.state.editor.text(), "docker login");
    }

    #[test]
    fn ctrl_c_at_a_question_cancels_the_command() {
        let mut h = Harness::new();
        h.text("docker container prune\n");
        assert_eq!(h.state.prompt, "Are you sure you want to continue? [y/N] ");
        h.text("y");
        h.edit(Edit::Interrupt);
        assert_eq!(h.state.prompt, PS1);
        assert_eq!(h.shell.last_status(), 130);
    }

    #[test]
    fn ctrl_r_finds_an_older_command_and_enter_runs_it() {
        let mut h = Harness::new();
        h.text("echo one\n");
        h.text("docker ps\n");
        h.text("echo two\n");
        h.edit(Edit::ReverseSearch);
        assert_eq!(h.state.prompt, "(reverse-i-search)`': ");
        h.text("ec");
        assert_eq!(h.state.prompt, "(reverse-i-search)`ec': ");
        assert_eq!(h.state.editor.text(), "echo two");
        h.edit(Edit::ReverseSearch);
        assert_eq!(h.state.editor.text(), "echo one");
        h.edit(Edit::ReverseSearch);
        assert_eq!(h.state.editor.text(), "echo one", "nothing older");
        h.text("x");
        assert_eq!(h.state.prompt, "(failed reverse-i-search)`ecx': ");
        h.edit(Edit::DeleteBackward);
        h.edit(Edit::Enter);
        assert_eq!(h.state.prompt, PS1);
        assert_eq!(h.commands().last().unwrap(), &format!("{PS1}echo two"));
        // Esc keeps the line found for editing.
        h.edit(Edit::ReverseSearch);
        h.text("docker");
        h.edit(Edit::Escape);
        assert_eq!(
            (h.state.prompt.as_str(), h.state.editor.text()),
            (PS1, "docker ps")
        );
    }

    #[test]
    fn show_api_calls_puts_the_requests_before_the_output() {
        let mut h = Harness::new();
        h.state.show_api = true;
        h.text("docker ps\n");
        let lines: Vec<String> = h
            .state
            .scrollback
            .lines()
            .map(|l| format!("{:?}", l.kind))
            .collect();
        assert!(
            lines[1].contains("Api(") && lines[1].contains("HEAD /v1.50/_ping"),
            "{lines:?}"
        );
        assert!(lines[2].contains("GET /v1.50/containers/json"), "{lines:?}");
        assert!(lines[3].contains("CONTAINER ID"), "{lines:?}");
    }

    #[test]
    fn an_empty_line_just_prompts_again() {
        let mut h = Harness::new();
        h.edit(Edit::Enter);
        assert_eq!(h.commands(), [PS1]);
        assert_eq!(h.output_lines(), 0);
    }

    #[test]
    fn an_unfinished_command_continues_after_the_continuation_prompt() {
        let mut h = Harness::new();
        h.text("echo a \\");
        h.edit(Edit::Enter);
        assert_eq!(h.state.prompt, CONTINUATION_PROMPT);
        assert_eq!(h.output_lines(), 0);
        h.text("b");
        h.edit(Edit::Enter);
        assert_eq!(h.commands(), [format!("{PS1}echo a \\"), "> b".to_string()]);
        assert!(h.output_lines() > 0);
        assert_eq!(h.state.prompt, PS1);
    }

    #[test]
    fn ctrl_c_abandons_the_line_and_any_unfinished_command() {
        let mut h = Harness::new();
        h.text("first \\");
        h.edit(Edit::Enter);
        h.text("docker ps");
        h.edit(Edit::Interrupt);
        assert_eq!(
            h.commands(),
            [format!("{PS1}first \\"), "> docker ps^C".to_string()]
        );
        assert_eq!(h.output_lines(), 0);
        assert_eq!(h.state.prompt, PS1);
        assert_eq!(h.state.editor.text(), "");
        h.edit(Edit::HistoryOlder);
        assert_eq!(
            h.state.editor.text(),
            "",
            "an abandoned line is not history"
        );
    }

    #[test]
    fn arrows_recall_history_and_bring_back_the_draft() {
        let mut h = Harness::new();
        for command in ["docker ps", "docker images"] {
            h.text(command);
            h.edit(Edit::Enter);
        }
        h.text("docker r");
        h.edit(Edit::HistoryOlder);
        assert_eq!(h.state.editor.text(), "docker images");
        h.edit(Edit::HistoryOlder);
        assert_eq!(h.state.editor.text(), "docker ps");
        h.edit(Edit::HistoryNewer);
        h.edit(Edit::HistoryNewer);
        assert_eq!(h.state.editor.text(), "docker r");
    }

    #[test]
    fn a_continued_command_is_one_history_entry() {
        let mut h = Harness::new();
        h.text("echo a \\\nb\n");
        h.edit(Edit::HistoryOlder);
        assert_eq!(h.state.editor.text(), "echo a \\\nb");
    }

    #[test]
    fn pasted_lines_run_one_by_one_and_the_tail_stays_typed() {
        let mut h = Harness::new();
        h.text("echo one\r\necho two\nech");
        assert_eq!(
            h.commands(),
            [format!("{PS1}echo one"), format!("{PS1}echo two")]
        );
        assert_eq!(h.state.editor.text(), "ech");
    }

    #[test]
    fn ctrl_l_clears_the_screen_but_not_the_line() {
        let mut h = Harness::new();
        h.text("echo hi\nwho");
        h.edit(Edit::ClearScreen);
        assert_eq!(h.state.scrollback.lines().count(), 0);
        assert_eq!(h.state.editor.text(), "who");
    }

    #[test]
    fn an_attached_container_streams_over_time_and_ctrl_c_gives_the_prompt_back() {
        let mut h = Harness::new();
        h.text("docker run --name counter devwikirepo/hundredcounter\n");
        assert_eq!(h.state.prompt, "", "no prompt while the job runs");
        let before = h.output_lines();
        h.state.advance(3_000, &mut h.shell);
        assert!(
            h.output_lines() > before,
            "the counter printed as time passed"
        );
        h.text("typed");
        h.edit(Edit::Interrupt);
        h.state.advance(20_000, &mut h.shell);
        assert_eq!(h.state.prompt, PS1);
        assert!(h.output_text().contains("typed^C"), "{}", h.output_text());
    }

    #[test]
    fn clear_wipes_the_screen_including_its_own_line() {
        let mut h = Harness::new();
        h.text("echo hi\nclear\n");
        assert_eq!(h.commands(), Vec::<String>::new());
    }

    #[test]
    fn ctrl_d_leaves_a_container_shell_and_deletes_mid_line() {
        let mut h = Harness::new();
        h.edit(Edit::EndOfInput);
        assert_eq!(
            h.state.scrollback.lines().count(),
            0,
            "nothing at the host prompt"
        );

        h.text("docker run -it --name box ubuntu\n");
        let inside = h.state.prompt.to_string();
        assert_ne!(inside, PS1);
        h.text("ls");
        h.edit(Edit::Home);
        h.edit(Edit::EndOfInput);
        assert_eq!(h.state.editor.text(), "s");
        h.edit(Edit::KillToEnd);
        h.edit(Edit::EndOfInput);
        assert_eq!(h.state.prompt, PS1);
        assert_eq!(h.commands().last().unwrap(), &format!("{inside}exit"));
    }

    #[test]
    fn committed_text_ends_the_composition() {
        let mut h = Harness::new();
        h.state
            .apply(TerminalInput::Composing("하".into()), &mut h.shell);
        assert_eq!(h.state.composing, "하");
        h.text("한");
        assert_eq!(h.state.composing, "");
        assert_eq!(h.state.editor.text(), "한");
    }
}

/// Candidates laid out in columns, as readline lists them.
fn columns(names: &[&str], width: usize) -> String {
    let widest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) + 2;
    let per_line = (width / widest.max(1)).max(1);
    let mut out = String::new();
    for row in names.chunks(per_line) {
        let line: Vec<String> = row.iter().map(|n| format!("{n:<widest$}")).collect();
        out.push_str(line.join("").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod completion_tests {
    use super::*;

    #[test]
    fn tab_completes_a_unique_word_and_a_second_tab_lists_many() {
        let mut shell = Sandbox::new(1);
        let mut t = TerminalState::new(&shell);
        t.apply(TerminalInput::Text("docker ru".into()), &mut shell);
        t.apply(TerminalInput::Edit(Edit::Complete), &mut shell);
        assert_eq!(t.editor.text(), "docker run ");
        t.apply(TerminalInput::Edit(Edit::KillToStart), &mut shell);
        t.apply(TerminalInput::Text("docker st".into()), &mut shell);
        t.apply(TerminalInput::Edit(Edit::Complete), &mut shell);
        t.apply(TerminalInput::Edit(Edit::Complete), &mut shell);
        let shown: String = t.scrollback.lines().map(|l| format!("{l:?}")).collect();
        assert!(shown.contains("start") && shown.contains("stop"), "{shown}");
        assert_eq!(t.editor.text(), "docker st");
    }
}
