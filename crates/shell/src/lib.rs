//! The terminal's language: a small POSIX-ish shell whose commands act on a
//! simulated machine, including a `docker` client of the engine's API.
//!
//! [`Sandbox`] is the whole of it as front ends see it: feed it lines, move
//! its virtual time, read what it prints. The web app and the native
//! `tidepool` binary both drive exactly this.

pub mod build;
mod builtins;
mod complete;
pub mod docker;
mod exec;
mod job;
mod mainproc;
mod pattern;
pub mod script;
pub mod syntax;
mod vfs;

pub use complete::Completion;
use exec::{Control, Ctx, Flavor, Shell, Target};
use job::Job;
use tidepool_engine::{Host, Millis};

/// What one command line printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Everything the line wrote to the terminal, stdout and stderr
    /// interleaved in the order they were written. Lines end with `\n`.
    pub output: String,
    pub exit_code: i32,
    /// `clear` ran: the terminal wipes its screen before showing `output`.
    pub clear_screen: bool,
    /// The Engine API requests the line's docker commands made
    /// (`POST /v1.50/containers/create`, …), for "Show API calls".
    pub api_calls: Vec<String>,
    /// The line opened a file in the editor.
    pub edit: Option<EditRequest>,
}

/// A file `nano`, `vi` or `edit` opened: the front end shows an editor
/// and saves through [`Sandbox::save_file`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditRequest {
    /// Absolute, in the filesystem of the shell that asked.
    pub path: String,
    /// `None` for the machine; else the container whose shell asked.
    pub container: Option<String>,
    /// What the file holds now (empty for a new file).
    pub text: String,
}

/// A shell running inside a container on this terminal (`docker exec -it`,
/// `docker run -it`): lines go to it until it exits.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    pub shell: Shell,
    pub container: String,
    /// This shell is the container's main process: its exit stops the
    /// container.
    pub main: bool,
}

/// A command waiting at its question for the next line typed.
#[derive(Clone, Debug)]
struct Asking {
    question: exec::Question,
    /// The command, to run again with the answers.
    argv: Vec<String>,
    answers: Vec<String>,
}

/// One sandbox: a simulated Docker host and the shell that drives it.
#[derive(Clone)]
pub struct Sandbox {
    host: Host,
    shell: Shell,
    sessions: Vec<Session>,
    job: Option<Job>,
    asking: Option<Asking>,
    /// Output goes to a log, not a screen (script mode, transcripts).
    pub plain_terminal: bool,
    /// The front end has a file editor for `nano FILE` (the web app).
    pub editor: bool,
}

impl Sandbox {
    pub fn new(seed: u64) -> Self {
        Sandbox {
            host: Host::new(seed),
            shell: Shell::for_host(),
            sessions: Vec::new(),
            job: None,
            asking: None,
            plain_terminal: false,
            editor: false,
        }
    }

    /// Runs one (possibly multi-line) command line. If its last command
    /// streams output over time (an attached `docker run`, `logs -f`), the
    /// sandbox is [`busy`](Self::busy) afterwards until that ends.
    pub fn run_line(&mut self, line: &str) -> Outcome {
        if let Some(asking) = self.asking.take() {
            return self.answer(asking, line);
        }
        let trimmed = line.trim();
        let in_session = !self.sessions.is_empty();
        let (shell, target) = match self.sessions.last_mut() {
            Some(s) => (&mut s.shell, Target::Container(s.container.clone())),
            None => (&mut self.shell, Target::Machine),
        };
        if !trimmed.is_empty() {
            shell.history.push(line.trim_end_matches('\n').to_string());
        }
        let list = match syntax::parse(line) {
            Ok(list) => list,
            Err(e) => {
                shell.last_status = 2;
                return Outcome {
                    output: exec::syntax_error_text(&e),
                    exit_code: 2,
                    clear_screen: false,
                    api_calls: Vec::new(),
                    edit: None,
                };
            }
        };
        // Containers' main scripts catch up with the time that passed.
        mainproc::run_due(&mut self.host);
        self.host.api_trace_start();
        let mut ctx = Ctx::new(&mut self.host, shell);
        ctx.target = target;
        ctx.plain_progress = self.plain_terminal;
        ctx.editor_available = self.editor;
        let (status, exited) = match exec::run_list(&list, &mut ctx) {
            Ok(s) => (s, false),
            Err(Control::Exit(code)) => (code, true),
            Err(_) => (ctx.shell.last_status, false),
        };
        let mut output: String = ctx.chunks.iter().map(|(_, t)| t.as_str()).collect();
        let clear_screen = ctx.clear_screen;
        let job = ctx.foreground.take();
        let session = ctx.new_session.take();
        let question = ctx.question.take();
        let edit = ctx.edit.take();
        ctx.shell.last_status = status;
        self.job = job;
        if let Some((question, argv)) = question {
            self.asking = Some(Asking {
                question,
                argv,
                answers: Vec::new(),
            });
        }
        if exited && in_session {
            output.push_str(&self.end_session(status));
        }
        if let Some(s) = session {
            self.sessions.push(s);
        }
        let api_calls = self.host.api_trace_take();
        // Scripts whose containers the line started (or a restart policy
        // did, while it waited) take up their steps now, so the host is
        // settled between lines.
        mainproc::run_due(&mut self.host);
        Outcome {
            output,
            exit_code: status,
            clear_screen,
            api_calls,
            edit,
        }
    }

    /// `line` answers the question a command is waiting at: the command
    /// runs again from the start with every answer so far, and may ask its
    /// next question (a username, then a password).
    fn answer(&mut self, mut asking: Asking, line: &str) -> Outcome {
        asking.answers.push(line.trim_end_matches('\n').to_string());
        let (shell, target) = match self.sessions.last_mut() {
            Some(s) => (&mut s.shell, Target::Container(s.container.clone())),
            None => (&mut self.shell, Target::Machine),
        };
        // Containers' main scripts catch up with the time that passed.
        mainproc::run_due(&mut self.host);
        self.host.api_trace_start();
        let mut ctx = Ctx::new(&mut self.host, shell);
        ctx.target = target;
        ctx.plain_progress = self.plain_terminal;
        ctx.foreground_ok = true;
        ctx.answers = asking.answers.iter().cloned().collect();
        let status = match builtins::dispatch(&asking.argv, &mut ctx) {
            Ok(s) => s,
            Err(Control::Exit(code)) => code,
            Err(_) => ctx.shell.last_status,
        };
        let output: String = ctx.chunks.iter().map(|(_, t)| t.as_str()).collect();
        let job = ctx.foreground.take();
        let question = ctx.question.take();
        ctx.shell.last_status = status;
        self.job = job;
        if let Some((question, _)) = question {
            asking.question = question;
            self.asking = Some(asking);
        }
        Outcome {
            output,
            exit_code: status,
            clear_screen: false,
            api_calls: self.host.api_trace_take(),
            edit: None,
        }
    }

    /// Writes what the editor saved into the file it opened. The error is
    /// what nano would report (the container is gone, the folder is not).
    pub fn save_file(&mut self, request: &EditRequest, text: &str) -> Result<(), String> {
        let bytes = text.as_bytes().to_vec();
        let written = match &request.container {
            None => vfs::write_bytes(self.host.machine_fs_mut(), &request.path, bytes),
            Some(id) => match self.host.container_fs_mut(id) {
                Ok(mut fs) => vfs::write_bytes(&mut fs, &request.path, bytes),
                Err(e) => return Err(e.to_string()),
            },
        };
        written.map_err(|_| format!("Error writing {}: No such file or directory", request.path))
    }

    /// A command waits for an answer: the prompt is its question.
    pub fn asking(&self) -> bool {
        self.asking.is_some()
    }

    /// What is typed now must not be shown or kept (a password).
    pub fn secret_input(&self) -> bool {
        self.asking.as_ref().is_some_and(|a| a.question.secret)
    }

    /// Ctrl-C at a question: the command ends there, as docker does when
    /// interrupted (status 130).
    pub fn cancel_question(&mut self) -> bool {
        if self.asking.take().is_none() {
            return false;
        }
        match self.sessions.last_mut() {
            Some(s) => s.shell.last_status = 130,
            None => self.shell.last_status = 130,
        }
        true
    }

    /// The top container shell exited with `status`: back to the shell
    /// below, stopping the container if that shell was its main process.
    fn end_session(&mut self, status: i32) -> String {
        let Some(s) = self.sessions.pop() else {
            return String::new();
        };
        if s.main {
            let _ = self.host.container_main_exit(&s.container, status);
        }
        let parent = match self.sessions.last_mut() {
            Some(p) => &mut p.shell,
            None => &mut self.shell,
        };
        parent.last_status = status;
        if s.shell.flavor == Flavor::Bash {
            "exit\n".to_string()
        } else {
            String::new()
        }
    }

    /// Ctrl-D on an empty line: leaves a container shell (`exit`); at the
    /// host prompt it does nothing.
    pub fn end_of_input(&mut self) -> String {
        if self.sessions.is_empty() {
            return String::new();
        }
        let status = self
            .sessions
            .last()
            .map(|s| s.shell.last_status)
            .unwrap_or(0);
        self.end_session(status)
    }

    /// The prompt shown before the next line: `root@tidepool:~# ` on the
    /// host, `root@3f2a1b4c5d6e:/# ` in a bash in a container, `/ # ` in
    /// alpine's sh.
    pub fn prompt(&self) -> String {
        if let Some(asking) = &self.asking {
            return asking.question.prompt.clone();
        }
        let shell = match self.sessions.last() {
            Some(s) => &s.shell,
            None => &self.shell,
        };
        let host = shell.var("HOSTNAME").unwrap_or("tidepool");
        match shell.flavor {
            Flavor::Ash => return format!("{} # ", shell.cwd),
            Flavor::Dash => return "# ".to_string(),
            Flavor::Bash => {}
        }
        let home = shell.home();
        let cwd = &shell.cwd;
        let shown = if *cwd == home {
            "~".to_string()
        } else if let Some(rest) = cwd.strip_prefix(&format!("{home}/")) {
            format!("~/{rest}")
        } else {
            cwd.clone()
        };
        let user = shell.user();
        let sign = if user == "root" { '#' } else { '$' };
        format!("{user}@{host}:{shown}{sign} ")
    }

    /// True when `text` is a whole command line; false when bash would ask
    /// for more (an open quote, a trailing `\` or `|`, an unfinished heredoc
    /// or `for` loop).
    pub fn is_complete(&self, text: &str) -> bool {
        // An answer is one line, whatever it contains.
        self.asking.is_some() || !matches!(syntax::parse(text), Err(syntax::ParseError::Incomplete))
    }

    /// A foreground job is running: input goes to it, not to the prompt.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// Moves virtual time forward by `ms` milliseconds and returns what the
    /// foreground job printed meanwhile (empty when there is none).
    pub fn advance(&mut self, ms: u64) -> String {
        mainproc::advance(&mut self.host, Millis(ms));
        self.poll_job()
    }

    /// Jumps virtual time to the next thing that happens by itself (a
    /// counter's next line, a restart), at most ten minutes ahead, and
    /// returns what the foreground job printed. Nothing scheduled: no jump.
    pub fn skip_to_next_event(&mut self) -> String {
        match self.host.until_next_event() {
            Some(wait) => self.advance(wait.0.clamp(1, 600_000)),
            None => String::new(),
        }
    }

    fn poll_job(&mut self) -> String {
        let Some(job) = self.job.as_mut() else {
            return String::new();
        };
        let mut poll = job.poll(&mut self.host);
        if let Some(code) = poll.done {
            poll.output.push_str(&job.errors());
            self.job = None;
            self.shell.last_status = code;
        }
        poll.output
    }

    /// Ctrl-C: the terminal shows `^C`; the foreground job gets SIGINT (an
    /// attached container through docker's signal proxy) or ends.
    pub fn interrupt(&mut self) -> String {
        let mut out = String::from("^C\n");
        if let Some(job) = self.job.as_mut() {
            out.push_str(&job.interrupt_text());
            if let Some(code) = job.interrupt(&mut self.host) {
                self.job = None;
                self.shell.last_status = code;
            } else {
                out.push_str(&self.poll_job());
            }
        }
        out
    }

    /// The exit status of the last command (`$?`).
    pub fn last_status(&self) -> i32 {
        match self.sessions.last() {
            Some(s) => s.shell.last_status,
            None => self.shell.last_status,
        }
    }

    /// Tab completion for `line` with the cursor at byte `cursor`.
    pub fn complete(&self, line: &str, cursor: usize) -> Completion {
        let (shell, container) = match self.sessions.last() {
            Some(s) => (s.shell.clone(), Some(s.container.clone())),
            None => (self.shell.clone(), None),
        };
        let mut commands: Vec<String> = builtins::COMMANDS
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        commands.extend(shell.aliases.keys().cloned());
        let home = shell.home();
        let host = &self.host;
        match container {
            None => complete::complete(
                host,
                host.machine_fs(),
                &shell.cwd,
                &home,
                &commands,
                line,
                cursor,
            ),
            Some(id) => match host.container_fs(&id) {
                Ok(fs) => complete::complete(host, &fs, &shell.cwd, &home, &commands, line, cursor),
                Err(_) => Completion::default(),
            },
        }
    }

    /// Inside a container shell (the prompt is the container's).
    pub fn in_container(&self) -> bool {
        !self.sessions.is_empty()
    }

    /// Runs `script` on a throwaway copy of this sandbox, at the host
    /// prompt even while a container shell is open here, and says whether
    /// every command line exited 0 (it stops at the first that does not, as
    /// `sh -e` would). The error is the failing line and what it printed.
    /// This sandbox is left exactly as it was: lessons check a learner's
    /// host this way.
    pub fn probe(&self, script: &str) -> Result<(), String> {
        let mut copy = self.clone();
        copy.sessions.clear();
        copy.job = None;
        copy.asking = None;
        copy.plain_terminal = true;
        for line in script::command_lines(script) {
            let (output, status) = script::run_to_end(&mut copy, &line);
            if status != 0 {
                return Err(format!("$ {line}\n{output}(exit status {status})\n"));
            }
        }
        Ok(())
    }

    /// Read access to the simulated host, for views such as the diagram.
    pub fn host(&self) -> &Host {
        &self.host
    }
}
