//! The interpreter: expansion, redirection, pipelines and control flow over
//! the parsed syntax.
//!
//! Commands run one after another to completion (virtual time makes that
//! honest: a `sleep 5` moves the clock, it does not block a thread). Every
//! command writes *chunks* tagged with a file descriptor; its caller routes
//! them: into a file for `>`, into the next stage's stdin for `|`, into a
//! string for `$(...)`, or up to the terminal. Because routing happens in
//! order, stdout and stderr interleave on the terminal exactly as written.

use crate::builtins;
use crate::syntax::{
    self, AndOr, Command, Connector, List, ParseError, Part, Pipeline, RedirectKind, Simple, Word,
};
use crate::vfs;
use std::collections::{BTreeMap, BTreeSet};
use tidepool_engine::Host;

/// How deep `$(...)` and functions may nest before we refuse.
const MAX_DEPTH: usize = 32;
/// Loop iterations one command line may run (a `while true` stays finite).
pub const MAX_LOOP_STEPS: usize = 10_000;

/// Which shell this is: they word errors and prompts differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    Bash,
    /// busybox's ash (alpine, busybox).
    Ash,
    /// Debian's /bin/sh.
    Dash,
}

/// Shell state that outlives one line: variables, cwd, history.
#[derive(Clone, Debug)]
pub struct Shell {
    pub flavor: Flavor,
    pub vars: BTreeMap<String, String>,
    pub exported: BTreeSet<String>,
    pub cwd: String,
    pub last_status: i32,
    pub history: Vec<String>,
    pub aliases: BTreeMap<String, String>,
    pub positional: Vec<String>,
    /// `$0`: the name the shell was started as (`bash`, `sh`, `/bin/sh`).
    pub argv0: String,
    /// This shell is a container's main process (`docker run -it ubuntu`).
    pub pid1: bool,
    /// The group of `--user NAME:GROUP` / `USER name:group`, if one was given.
    pub group: Option<String>,
}

impl Shell {
    pub fn for_host() -> Shell {
        let mut shell = Shell {
            flavor: Flavor::Bash,
            vars: BTreeMap::new(),
            exported: BTreeSet::new(),
            cwd: "/root".to_string(),
            last_status: 0,
            history: Vec::new(),
            aliases: BTreeMap::new(),
            positional: Vec::new(),
            argv0: "bash".to_string(),
            pid1: false,
            group: None,
        };
        for (k, v) in [
            ("HOME", "/root"),
            ("USER", "root"),
            ("LOGNAME", "root"),
            ("SHELL", "/bin/bash"),
            (
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ),
            ("HOSTNAME", "tidepool"),
            ("TERM", "xterm-256color"),
            ("LANG", "C.UTF-8"),
            ("PWD", "/root"),
        ] {
            shell.vars.insert(k.to_string(), v.to_string());
            shell.exported.insert(k.to_string());
        }
        shell
    }

    /// A shell inside a container, with the container's environment.
    pub fn for_container(
        flavor: Flavor,
        env: &[String],
        working_dir: &str,
        hostname: &str,
    ) -> Shell {
        let mut shell = Shell {
            flavor,
            vars: BTreeMap::new(),
            exported: BTreeSet::new(),
            cwd: working_dir.to_string(),
            last_status: 0,
            history: Vec::new(),
            aliases: BTreeMap::new(),
            positional: Vec::new(),
            argv0: match flavor {
                Flavor::Bash => "bash",
                Flavor::Ash | Flavor::Dash => "sh",
            }
            .to_string(),
            pid1: false,
            group: None,
        };
        let defaults = [
            ("HOME", "/root"),
            ("HOSTNAME", hostname),
            ("PWD", working_dir),
        ];
        for (k, v) in defaults {
            shell.vars.insert(k.to_string(), v.to_string());
            shell.exported.insert(k.to_string());
        }
        for kv in env {
            let (k, v) = kv.split_once('=').unwrap_or((kv.as_str(), ""));
            shell.vars.insert(k.to_string(), v.to_string());
            shell.exported.insert(k.to_string());
        }
        shell
    }

    /// Runs as `user` (a name or uid, `name:group`), looked up in the
    /// container's /etc/passwd: USER, LOGNAME and HOME follow.
    pub fn as_user(&mut self, user: &str, passwd: &str) {
        self.group = user
            .split_once(':')
            .map(|(_, g)| g.to_string())
            .filter(|g| !g.is_empty());
        let name = user.split(':').next().unwrap_or_default();
        if name.is_empty() || name == "root" || name == "0" {
            return;
        }
        let entry = passwd.lines().find(|l| {
            let f: Vec<&str> = l.split(':').collect();
            f.first() == Some(&name) || f.get(2) == Some(&name)
        });
        let (login, home) = match entry {
            Some(l) => {
                let f: Vec<&str> = l.split(':').collect();
                (
                    f[0].to_string(),
                    f.get(5).copied().unwrap_or("/").to_string(),
                )
            }
            None => (name.to_string(), "/".to_string()),
        };
        for (k, v) in [
            ("USER", login.as_str()),
            ("LOGNAME", login.as_str()),
            ("HOME", home.as_str()),
        ] {
            self.vars.insert(k.to_string(), v.to_string());
            self.exported.insert(k.to_string());
        }
    }

    /// The user this shell runs as.
    pub fn user(&self) -> &str {
        self.var("USER").unwrap_or("root")
    }

    /// How this shell reports a command that does not exist.
    pub fn not_found(&self, name: &str) -> String {
        match self.flavor {
            Flavor::Bash => format!("bash: {name}: command not found"),
            Flavor::Ash => format!("sh: {name}: not found"),
            Flavor::Dash => format!("sh: 1: {name}: not found"),
        }
    }

    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    pub fn home(&self) -> String {
        self.var("HOME").unwrap_or("/root").to_string()
    }

    /// Exported variables as `KEY=value`, sorted.
    pub fn environ(&self) -> Vec<(String, String)> {
        self.exported
            .iter()
            .filter_map(|k| self.vars.get(k).map(|v| (k.clone(), v.clone())))
            .collect()
    }
}

/// Non-local exits out of nested lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Exit(i32),
    Break,
    Continue,
}

/// Which filesystem a shell works on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The machine itself (the host prompt).
    Machine,
    /// Inside a container (a `docker exec` or `docker run -it` shell).
    Container(String),
}

/// Everything one running command can touch.
pub struct Ctx<'a> {
    pub host: &'a mut Host,
    pub shell: &'a mut Shell,
    pub stdin: String,
    /// Output so far, tagged with file descriptors (1 stdout, 2 stderr).
    pub chunks: Vec<(u32, String)>,
    pub depth: usize,
    pub loop_steps: usize,
    /// Set by `clear`: the front end wipes the screen before this output.
    pub clear_screen: bool,
    /// The running command may become the terminal's foreground job.
    pub foreground_ok: bool,
    /// The job it became, if it did.
    pub foreground: Option<crate::job::Job>,
    /// Inside a loop or `if`: nothing may become a foreground job.
    pub compound: usize,
    /// Where file commands act.
    pub target: Target,
    /// The running command's stdout is the terminal (not a file or pipe).
    pub stdout_tty: bool,
    /// Set by `timeout N`: a foreground job started now ends after N.
    pub timeout: Option<tidepool_engine::Millis>,
    /// A container shell the line opened (`docker exec -it`), to become
    /// the terminal's current shell.
    pub(crate) new_session: Option<crate::Session>,
    /// The terminal is a log, not a screen (script mode): progress that
    /// would redraw in place prints plainly, as docker does without a tty.
    pub plain_progress: bool,
    /// What the user typed, on later lines, to the questions this command
    /// asked (see [`Ctx::ask`]).
    pub answers: std::collections::VecDeque<String>,
    /// The question the command stopped at, and the command itself.
    pub(crate) question: Option<(Question, Vec<String>)>,
    /// The front end has an editor (`nano FILE` opens it).
    pub editor_available: bool,
    /// A file `nano`/`vi` asked the front end to open.
    pub(crate) edit: Option<crate::EditRequest>,
    /// Running a container's main script a step at a time (see
    /// `mainproc`): the step's own clock, which `sleep` moves instead of
    /// the host's, so the script's time passes as the host's does.
    pub local_clock: Option<tidepool_engine::Timestamp>,
}

/// In a main script's step, a chunk on this "descriptor" marks where the
/// step's clock moved: its text is the new time in milliseconds. It travels
/// with the output through redirections and pipelines, so each line keeps
/// the time it was written.
pub const TIME_MARK: u32 = u32::MAX;

/// A question a command asks on the terminal (`[y/N]`, `Password:`): it
/// becomes the prompt, and the next line typed is the answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub prompt: String,
    /// What is typed is not shown (a password).
    pub secret: bool,
}

impl<'a> Ctx<'a> {
    pub fn new(host: &'a mut Host, shell: &'a mut Shell) -> Ctx<'a> {
        Ctx {
            host,
            shell,
            stdin: String::new(),
            chunks: Vec::new(),
            depth: 0,
            loop_steps: 0,
            clear_screen: false,
            foreground_ok: false,
            foreground: None,
            compound: 0,
            target: Target::Machine,
            new_session: None,
            stdout_tty: true,
            timeout: None,
            plain_progress: false,
            answers: Default::default(),
            question: None,
            editor_available: false,
            edit: None,
            local_clock: None,
        }
    }

    /// Asks the user for a line, as a command reading its terminal does.
    /// At the terminal, a question not answered yet stops the command
    /// (`None`): the question becomes the prompt and the command runs again,
    /// from the start, with the line typed as the answer. Piped or
    /// redirected, the prompt is printed and stdin's next line answers
    /// (none: an empty answer).
    pub fn ask(&mut self, prompt: &str, secret: bool) -> Option<String> {
        if let Some(answer) = self.answers.pop_front() {
            return Some(answer);
        }
        if self.foreground_ok {
            let question = Question {
                prompt: prompt.to_string(),
                secret,
            };
            self.question = Some((question, Vec::new()));
            return None;
        }
        self.out(prompt);
        let (line, rest) = self.stdin.split_once('\n').unwrap_or((&self.stdin, ""));
        let line = line.to_string();
        self.stdin = rest.to_string();
        Some(line)
    }

    /// An answer is being waited for: the command must stop here.
    pub fn asking(&self) -> bool {
        self.question.is_some()
    }

    pub fn out(&mut self, text: impl AsRef<str>) {
        self.push(1, text.as_ref());
    }

    pub fn err(&mut self, text: impl AsRef<str>) {
        self.push(2, text.as_ref());
    }

    /// A line on stdout (adds the newline).
    pub fn outln(&mut self, text: impl AsRef<str>) {
        let mut s = text.as_ref().to_string();
        s.push('\n');
        self.push(1, &s);
    }

    /// A line on stderr (adds the newline).
    pub fn errln(&mut self, text: impl AsRef<str>) {
        let mut s = text.as_ref().to_string();
        s.push('\n');
        self.push(2, &s);
    }

    /// The time as the running command sees it: the host's, or a main
    /// script step's own clock.
    pub fn now(&self) -> tidepool_engine::Timestamp {
        self.local_clock.unwrap_or_else(|| self.host.now())
    }

    /// Output a nested shell produced, passed on as it is (time marks
    /// included).
    pub fn pass_on(&mut self, chunks: Vec<(u32, String)>) {
        for (fd, text) in chunks {
            self.push(fd, &text);
        }
    }

    fn push(&mut self, fd: u32, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some((last_fd, buf)) if *last_fd == fd && fd != TIME_MARK => buf.push_str(text),
            _ => self.chunks.push((fd, text.to_string())),
        }
    }

    /// A command takes `dt` of virtual time (`sleep`, a download): the
    /// host's clock moves, and containers' main scripts catch up; inside a
    /// main script's step, only the step's own clock moves.
    pub fn pass_time(&mut self, dt: tidepool_engine::Millis) {
        match self.local_clock {
            Some(t) => {
                let later = t + dt;
                self.local_clock = Some(later);
                self.push(TIME_MARK, &later.0.to_string());
            }
            None => crate::mainproc::advance(self.host, dt),
        }
    }

    /// Runs `f` on the filesystem this shell works on.
    pub fn fs<R>(&mut self, f: impl FnOnce(&mut dyn tidepool_engine::fs::Filesystem) -> R) -> R {
        match self.target.clone() {
            Target::Machine => f(self.host.machine_fs_mut()),
            Target::Container(id) => match self.host.container_fs_mut(&id) {
                Ok(mut view) => f(&mut view),
                // The container went away under us: it has no files left.
                Err(_) => f(&mut tidepool_engine::fs::FileTree::new()),
            },
        }
    }

    /// An absolute, normalized path for what the user typed.
    pub fn path(&self, p: &str) -> String {
        let p = if p == "~" {
            self.shell.home()
        } else if let Some(rest) = p.strip_prefix("~/") {
            format!("{}/{rest}", self.shell.home())
        } else {
            p.to_string()
        };
        tidepool_engine::fs::normalize(&self.shell.cwd, &p)
    }

    /// Runs a nested command line with the given stdin, returning its
    /// status and output chunks (used by `$(...)`, `xargs`, `watch`...).
    pub fn run_nested(&mut self, source: &str, stdin: String) -> (i32, Vec<(u32, String)>) {
        if self.depth >= MAX_DEPTH {
            return (
                1,
                vec![(2, "bash: maximum nesting level exceeded\n".to_string())],
            );
        }
        let list = match syntax::parse(source) {
            Ok(l) => l,
            Err(e) => return (2, vec![(2, syntax_error_text(&e))]),
        };
        let mut sub = Ctx {
            host: &mut *self.host,
            shell: &mut *self.shell,
            stdin,
            chunks: Vec::new(),
            depth: self.depth + 1,
            loop_steps: self.loop_steps,
            clear_screen: false,
            foreground_ok: false,
            foreground: None,
            compound: self.compound,
            target: self.target.clone(),
            new_session: None,
            stdout_tty: false,
            timeout: self.timeout,
            plain_progress: self.plain_progress,
            answers: Default::default(),
            question: None,
            editor_available: false,
            edit: None,
            local_clock: self.local_clock,
        };
        let status = match run_list(&list, &mut sub) {
            Ok(s) => s,
            Err(Control::Exit(code)) => code,
            Err(_) => sub.shell.last_status,
        };
        self.loop_steps = sub.loop_steps;
        self.local_clock = sub.local_clock;
        (status, sub.chunks)
    }
}

pub fn syntax_error_text(e: &ParseError) -> String {
    match e {
        ParseError::Incomplete => "bash: syntax error: unexpected end of file\n".to_string(),
        ParseError::Unexpected(tok) => {
            format!("bash: syntax error near unexpected token `{tok}'\n")
        }
    }
}

pub fn run_list(list: &List, ctx: &mut Ctx) -> Result<i32, Control> {
    let mut status = ctx.shell.last_status;
    for (i, item) in list.iter().enumerate() {
        // Only the line's last plain command may take over the terminal.
        let last_plain = ctx.depth == 0
            && ctx.compound == 0
            && i + 1 == list.len()
            && item.rest.is_empty()
            && item.first.commands.len() == 1
            && matches!(&item.first.commands[0], Command::Simple(s) if s.redirects.is_empty());
        let outer = std::mem::replace(&mut ctx.foreground_ok, last_plain);
        let result = run_and_or(item, ctx);
        ctx.foreground_ok = outer;
        status = result?;
        ctx.shell.last_status = status;
    }
    Ok(status)
}

fn run_and_or(item: &AndOr, ctx: &mut Ctx) -> Result<i32, Control> {
    let mut status = run_pipeline(&item.first, ctx)?;
    ctx.shell.last_status = status;
    for (conn, pipeline) in &item.rest {
        let run = match conn {
            Connector::And => status == 0,
            Connector::Or => status != 0,
        };
        if run {
            status = run_pipeline(pipeline, ctx)?;
            ctx.shell.last_status = status;
        }
    }
    Ok(status)
}

fn run_pipeline(p: &Pipeline, ctx: &mut Ctx) -> Result<i32, Control> {
    if p.timed {
        return run_timed(p, ctx);
    }
    let status = if p.commands.len() == 1 {
        run_command(&p.commands[0], ctx)?
    } else {
        let mut input = std::mem::take(&mut ctx.stdin);
        let mut status = 0;
        let last = p.commands.len() - 1;
        for (i, cmd) in p.commands.iter().enumerate() {
            let outer = std::mem::take(&mut ctx.chunks);
            ctx.stdin = std::mem::take(&mut input);
            // Each stage of a pipeline runs in a subshell: `exit` or `cd`
            // inside one does not leave or move the shell.
            let saved_cwd = ctx.shell.cwd.clone();
            let outer_tty = ctx.stdout_tty;
            ctx.stdout_tty = outer_tty && i == last;
            let result = run_command(cmd, ctx);
            ctx.stdout_tty = outer_tty;
            status = match result {
                Ok(s) => s,
                Err(Control::Exit(code)) => code,
                Err(_) => ctx.shell.last_status,
            };
            ctx.shell.cwd = saved_cwd;
            let produced = std::mem::replace(&mut ctx.chunks, outer);
            for (fd, text) in produced {
                if fd == 1 && i < last {
                    input.push_str(&text);
                } else {
                    ctx.push(fd, &text);
                }
            }
        }
        status
    };
    Ok(if p.negate {
        i32::from(status == 0)
    } else {
        status
    })
}

/// `time pipeline`: bash's keyword reports the virtual time the pipeline
/// took on the shell's own stderr (user and sys stay zero: nothing here
/// burns CPU). busybox's `time` applet words it its own way; dash has no
/// such keyword and no /usr/bin/time in the images that use it.
fn run_timed(p: &Pipeline, ctx: &mut Ctx) -> Result<i32, Control> {
    if ctx.shell.flavor == Flavor::Dash {
        let msg = ctx.shell.not_found("time");
        ctx.errln(msg);
        return Ok(127);
    }
    let start = ctx.host.now();
    let untimed = Pipeline {
        timed: false,
        ..p.clone()
    };
    let status = if untimed.commands.is_empty() {
        0
    } else {
        run_pipeline(&untimed, ctx)?
    };
    let took = ctx.host.now() - start;
    let (m, s, ms) = (took.0 / 60_000, took.0 / 1000 % 60, took.0 % 1000);
    let report = if ctx.shell.flavor == Flavor::Ash {
        format!(
            "real\t{m}m {s}.{:02}s\nuser\t0m 0.00s\nsys\t0m 0.00s\n",
            ms / 10
        )
    } else {
        format!("\nreal\t{m}m{s}.{ms:03}s\nuser\t0m0.000s\nsys\t0m0.000s\n")
    };
    ctx.err(report);
    Ok(status)
}

fn run_command(cmd: &Command, ctx: &mut Ctx) -> Result<i32, Control> {
    if matches!(cmd, Command::Simple(_)) {
        return run_compound(cmd, ctx);
    }
    ctx.compound += 1;
    let result = run_compound(cmd, ctx);
    ctx.compound -= 1;
    result
}

fn run_compound(cmd: &Command, ctx: &mut Ctx) -> Result<i32, Control> {
    match cmd {
        Command::Simple(s) => run_simple(s, ctx),
        Command::Group(list) => run_list(list, ctx),
        Command::For { var, items, body } => {
            let mut values = Vec::new();
            for w in items {
                values.extend(expand_word(w, ctx));
            }
            let mut status = 0;
            for v in values {
                if bump_loop(ctx) {
                    return Ok(1);
                }
                ctx.shell.vars.insert(var.clone(), v);
                match run_list(body, ctx) {
                    Ok(s) => status = s,
                    Err(Control::Break) => break,
                    Err(Control::Continue) => continue,
                    Err(e) => return Err(e),
                }
            }
            Ok(status)
        }
        Command::While { until, cond, body } => {
            let mut status = 0;
            loop {
                if bump_loop(ctx) {
                    return Ok(1);
                }
                let c = run_list(cond, ctx)?;
                if (c == 0) == *until {
                    break;
                }
                match run_list(body, ctx) {
                    Ok(s) => status = s,
                    Err(Control::Break) => break,
                    Err(Control::Continue) => continue,
                    Err(e) => return Err(e),
                }
            }
            Ok(status)
        }
        Command::If {
            branches,
            otherwise,
        } => {
            for (cond, body) in branches {
                if run_list(cond, ctx)? == 0 {
                    return run_list(body, ctx);
                }
            }
            match otherwise {
                Some(body) => run_list(body, ctx),
                None => Ok(0),
            }
        }
    }
}

fn bump_loop(ctx: &mut Ctx) -> bool {
    ctx.loop_steps += 1;
    if ctx.loop_steps > MAX_LOOP_STEPS {
        if ctx.loop_steps == MAX_LOOP_STEPS + 1 {
            ctx.errln(format!(
                "bash: loop stopped after {MAX_LOOP_STEPS} iterations (Tidepool's limit)"
            ));
        }
        return true;
    }
    false
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Route {
    Parent(u32),
    File(String),
    Null,
}

fn run_simple(s: &Simple, ctx: &mut Ctx) -> Result<i32, Control> {
    let mut argv: Vec<String> = Vec::new();
    for w in &s.words {
        argv.extend(expand_word(w, ctx));
    }
    if let Some(first) = argv.first().cloned() {
        if let Some(alias) = ctx.shell.aliases.get(&first).cloned() {
            let mut expanded: Vec<String> = alias.split_whitespace().map(str::to_string).collect();
            expanded.extend(argv.drain(1..));
            argv = expanded;
        }
    }
    let mut assigns = Vec::new();
    for (name, w) in &s.assigns {
        let value = expand_to_string(w, ctx);
        assigns.push((name.clone(), value));
    }
    if argv.is_empty() {
        for (k, v) in &assigns {
            ctx.shell.vars.insert(k.clone(), v.clone());
        }
    }

    // Redirections, in order.
    let mut fds: BTreeMap<u32, Route> = BTreeMap::new();
    fds.insert(1, Route::Parent(1));
    fds.insert(2, Route::Parent(2));
    let mut stdin: Option<String> = None;
    for r in &s.redirects {
        match &r.kind {
            RedirectKind::Write { append } => {
                let name = expand_to_string(&r.target, ctx);
                let target = if name == "/dev/null" {
                    Route::Null
                } else if name == "/dev/stderr" {
                    Route::Parent(2)
                } else if name == "/dev/stdout" {
                    Route::Parent(1)
                } else {
                    let path = ctx.path(&name);
                    if let Err(e) = ctx.fs(|fs| vfs::open_for_write(fs, &path, *append)) {
                        ctx.errln(format!("bash: {name}: {e}"));
                        return Ok(1);
                    }
                    Route::File(path)
                };
                if r.fd == u32::MAX {
                    fds.insert(1, target.clone());
                    fds.insert(2, target);
                } else {
                    fds.insert(r.fd, target);
                }
            }
            RedirectKind::Dup { to } => {
                let t = fds.get(to).cloned().unwrap_or(Route::Parent(*to));
                fds.insert(r.fd, t);
            }
            RedirectKind::Read => {
                let name = expand_to_string(&r.target, ctx);
                let path = ctx.path(&name);
                match ctx.fs(|fs| vfs::read_text(fs, &path)) {
                    Ok(text) => stdin = Some(text),
                    Err(e) => {
                        ctx.errln(format!("bash: {name}: {e}"));
                        return Ok(1);
                    }
                }
            }
            RedirectKind::HereDoc { body, expand } => {
                stdin = Some(if *expand {
                    expand_heredoc(body, ctx)
                } else {
                    body.clone()
                });
            }
        }
    }
    if argv.is_empty() {
        return Ok(0);
    }

    let outer_chunks = std::mem::take(&mut ctx.chunks);
    let outer_stdin = std::mem::take(&mut ctx.stdin);
    ctx.stdin = stdin.unwrap_or_else(|| outer_stdin.clone());
    // `VAR=x cmd` sets VAR for cmd only.
    let saved: Vec<(String, Option<String>, bool)> = assigns
        .iter()
        .map(|(k, _)| {
            (
                k.clone(),
                ctx.shell.vars.get(k).cloned(),
                ctx.shell.exported.contains(k),
            )
        })
        .collect();
    for (k, v) in &assigns {
        ctx.shell.vars.insert(k.clone(), v.clone());
        ctx.shell.exported.insert(k.clone());
    }
    let outer_tty = ctx.stdout_tty;
    ctx.stdout_tty = outer_tty && fds.get(&1) == Some(&Route::Parent(1));
    let result = builtins::dispatch(&argv, ctx);
    ctx.stdout_tty = outer_tty;
    // The command asked a question: remember which command, to run it
    // again with the answer.
    if let Some((_, asker)) = ctx.question.as_mut() {
        if asker.is_empty() {
            *asker = argv.clone();
        }
    }
    for (k, old, was_exported) in saved {
        match old {
            Some(v) => ctx.shell.vars.insert(k.clone(), v),
            None => ctx.shell.vars.remove(&k),
        };
        if !was_exported {
            ctx.shell.exported.remove(&k);
        }
    }
    ctx.stdin = outer_stdin;
    let produced = std::mem::replace(&mut ctx.chunks, outer_chunks);
    for (fd, text) in produced {
        match fds.get(&fd).cloned().unwrap_or(Route::Parent(fd)) {
            Route::Parent(n) => ctx.push(n, &text),
            Route::File(path) => {
                if let Err(e) = ctx.fs(|fs| vfs::append_text(fs, &path, &text)) {
                    ctx.errln(format!("bash: {path}: {e}"));
                }
            }
            Route::Null => {}
        }
    }
    result
}

/// Expands a heredoc body like a double-quoted string.
fn expand_heredoc(body: &str, ctx: &mut Ctx) -> String {
    let escaped = body.replace('"', "\\\"");
    match syntax::parse(&format!("x \"{escaped}\"")) {
        Ok(list) => match list.first().and_then(|ao| ao.first.commands.first()) {
            Some(Command::Simple(s)) if s.words.len() == 2 => {
                expand_to_string(&s.words[1], ctx).replace("\\\"", "\"")
            }
            _ => body.to_string(),
        },
        Err(_) => body.to_string(),
    }
}

/// Expands a word to one string (no field splitting, no globbing), as in
/// assignments and redirection targets.
pub fn expand_to_string(w: &Word, ctx: &mut Ctx) -> String {
    let mut out = String::new();
    for part in &w.parts {
        match part {
            Part::Lit(t) | Part::Quoted(t) => out.push_str(t),
            Part::Tilde => out.push_str(&ctx.shell.home()),
            Part::Var { name, default, .. } => {
                out.push_str(&var_value(name, default.as_deref(), ctx))
            }
            Part::Subst { source, .. } => out.push_str(&command_substitution(source, ctx)),
            Part::Arith { source } => out.push_str(&arith(source, ctx)),
        }
    }
    out
}

fn var_value(name: &str, default: Option<&[Part]>, ctx: &mut Ctx) -> String {
    let value = match name {
        "?" => Some(ctx.shell.last_status.to_string()),
        "$" => Some("4242".to_string()),
        "#" => Some(ctx.shell.positional.len().to_string()),
        "@" | "*" => Some(ctx.shell.positional.join(" ")),
        "0" => Some(ctx.shell.argv0.clone()),
        n if n.bytes().all(|b| b.is_ascii_digit()) => n
            .parse::<usize>()
            .ok()
            .and_then(|i| ctx.shell.positional.get(i.wrapping_sub(1)).cloned()),
        "PWD" => Some(ctx.shell.cwd.clone()),
        "RANDOM" => Some((ctx.host.now().0 % 32768).to_string()),
        n => ctx.shell.vars.get(n).cloned(),
    };
    match (value, default) {
        (Some(v), _) if !v.is_empty() => v,
        (_, Some(parts)) => expand_to_string(
            &Word {
                parts: parts.to_vec(),
            },
            ctx,
        ),
        (v, None) => v.unwrap_or_default(),
    }
}

fn command_substitution(source: &str, ctx: &mut Ctx) -> String {
    let (status, chunks) = ctx.run_nested(source, String::new());
    ctx.shell.last_status = status;
    let mut captured = String::new();
    for (fd, text) in chunks {
        if fd == 1 {
            captured.push_str(&text);
        } else {
            ctx.push(fd, &text);
        }
    }
    let trimmed = captured.trim_end_matches('\n').len();
    captured.truncate(trimmed);
    captured
}

/// `$((...))`: integers with + - * / % and parentheses.
fn arith(source: &str, ctx: &mut Ctx) -> String {
    let mut text = String::new();
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphabetic() || c == '_' || c == '$' {
            let mut name = String::new();
            if c != '$' {
                name.push(c);
            }
            while let Some(&n) = chars.peek() {
                if n.is_ascii_alphanumeric() || n == '_' {
                    name.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            let v = ctx.shell.vars.get(&name).cloned().unwrap_or_default();
            text.push_str(if v.is_empty() { "0" } else { &v });
        } else {
            text.push(c);
        }
    }
    match eval_arith(&text) {
        Some(v) => v.to_string(),
        None => {
            ctx.errln(format!("bash: {source}: syntax error in expression"));
            "0".to_string()
        }
    }
}

fn eval_arith(text: &str) -> Option<i64> {
    fn expr(t: &[u8], i: &mut usize) -> Option<i64> {
        let mut v = term(t, i)?;
        loop {
            skip(t, i);
            match t.get(*i) {
                Some(b'+') => {
                    *i += 1;
                    v = v.checked_add(term(t, i)?)?;
                }
                Some(b'-') => {
                    *i += 1;
                    v = v.checked_sub(term(t, i)?)?;
                }
                _ => return Some(v),
            }
        }
    }
    fn term(t: &[u8], i: &mut usize) -> Option<i64> {
        let mut v = atom(t, i)?;
        loop {
            skip(t, i);
            match t.get(*i) {
                Some(b'*') => {
                    *i += 1;
                    v = v.checked_mul(atom(t, i)?)?;
                }
                Some(b'/') => {
                    *i += 1;
                    v = v.checked_div(atom(t, i)?)?;
                }
                Some(b'%') => {
                    *i += 1;
                    v = v.checked_rem(atom(t, i)?)?;
                }
                _ => return Some(v),
            }
        }
    }
    fn atom(t: &[u8], i: &mut usize) -> Option<i64> {
        skip(t, i);
        match t.get(*i)? {
            b'(' => {
                *i += 1;
                let v = expr(t, i)?;
                skip(t, i);
                (t.get(*i) == Some(&b')')).then(|| *i += 1)?;
                Some(v)
            }
            b'-' => {
                *i += 1;
                atom(t, i).map(|v| -v)
            }
            c if c.is_ascii_digit() => {
                let start = *i;
                while t.get(*i).is_some_and(u8::is_ascii_digit) {
                    *i += 1;
                }
                std::str::from_utf8(&t[start..*i]).ok()?.parse().ok()
            }
            _ => None,
        }
    }
    fn skip(t: &[u8], i: &mut usize) {
        while t.get(*i).is_some_and(|c| c.is_ascii_whitespace()) {
            *i += 1;
        }
    }
    let t = text.as_bytes();
    let mut i = 0;
    let v = expr(t, &mut i)?;
    skip(t, &mut i);
    (i == t.len()).then_some(v)
}

/// Expands a word into fields: variables and substitutions, field splitting
/// of unquoted results, then globbing of unquoted `*` and `?`.
pub fn expand_word(w: &Word, ctx: &mut Ctx) -> Vec<String> {
    let mut fields: Vec<(String, bool)> = Vec::new();
    let mut cur = String::new();
    let mut cur_live = false;
    let mut cur_glob = false;
    let split_into = |text: &str,
                      cur: &mut String,
                      cur_live: &mut bool,
                      cur_glob: &mut bool,
                      fields: &mut Vec<(String, bool)>| {
        let mut pieces = text.split([' ', '\t', '\n']).peekable();
        let starts_blank = text.starts_with([' ', '\t', '\n']);
        if starts_blank && *cur_live {
            fields.push((std::mem::take(cur), *cur_glob));
            *cur_live = false;
            *cur_glob = false;
        }
        while let Some(p) = pieces.next() {
            if !p.is_empty() {
                cur.push_str(p);
                *cur_live = true;
                if p.contains(['*', '?']) {
                    *cur_glob = true;
                }
            }
            if pieces.peek().is_some() && *cur_live {
                fields.push((std::mem::take(cur), *cur_glob));
                *cur_live = false;
                *cur_glob = false;
            }
        }
    };
    for part in &w.parts {
        match part {
            Part::Lit(t) => {
                cur.push_str(t);
                cur_live = true;
                if t.contains(['*', '?']) {
                    cur_glob = true;
                }
            }
            Part::Quoted(t) => {
                cur.push_str(t);
                cur_live = true;
            }
            Part::Tilde => {
                cur.push_str(&ctx.shell.home());
                cur_live = true;
            }
            Part::Var {
                name,
                default,
                quoted,
            } => {
                let v = var_value(name, default.as_deref(), ctx);
                if *quoted {
                    cur.push_str(&v);
                    cur_live = true;
                } else {
                    split_into(&v, &mut cur, &mut cur_live, &mut cur_glob, &mut fields);
                }
            }
            Part::Subst { source, quoted } => {
                let v = command_substitution(source, ctx);
                if *quoted {
                    cur.push_str(&v);
                    cur_live = true;
                } else {
                    split_into(&v, &mut cur, &mut cur_live, &mut cur_glob, &mut fields);
                }
            }
            Part::Arith { source } => {
                cur.push_str(&arith(source, ctx));
                cur_live = true;
            }
        }
    }
    if cur_live {
        fields.push((cur, cur_glob));
    }
    let mut out = Vec::new();
    for (field, glob) in fields {
        if glob {
            let cwd = ctx.shell.cwd.clone();
            let matches = ctx.fs(|fs| vfs::glob(fs, &cwd, &field));
            if !matches.is_empty() {
                out.extend(matches);
                continue;
            }
        }
        out.push(field);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic() {
        assert_eq!(eval_arith("1 + 2 * 3"), Some(7));
        assert_eq!(eval_arith("(1 + 2) * 3 - -1"), Some(10));
        assert_eq!(eval_arith("7 % 4"), Some(3));
        assert_eq!(eval_arith("1 +"), None);
        assert_eq!(eval_arith("1 / 0"), None);
    }
}
