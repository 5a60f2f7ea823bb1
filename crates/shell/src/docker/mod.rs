//! The `docker` client. Like the real one it is a client of the Engine API:
//! it parses flags, calls `Host` operations (the API), and formats what
//! comes back. One file per subcommand (mini-redis style); what they share
//! (flags, help, tables, templates, errors) lives here once.
//!
//! Which commands exist, their aliases, usage lines and flags all come from
//! docker's own help texts (`help.rs`), so `docker container list --help`,
//! `docker ps -x` and `docker images a b` answer exactly as docker 28.2.

pub mod flags;
pub use events::{format_event, matches as events_matches};
pub(crate) use exec::{passwd_of, run_inside};
pub use stats::{stats_table, StatsView};
pub mod help;
pub mod table;
pub mod template;

mod archive;
mod build;
mod commit;
mod container_inspect;
mod container_misc;
mod cp;
mod events;
pub(crate) mod exec;
mod image_cmds;
mod images;
mod info;
mod lifecycle;
pub(crate) mod logs;
mod network;
mod ps;
mod pull;
mod registry_cmds;
mod run;
mod stats;
mod volume;

use crate::exec::Ctx;
use flags::{FlagSpec, Parsed};
use tidepool_engine::EngineError;

/// How many operands a command takes, with the CLI's wording for each rule.
#[derive(Clone, Copy, Debug)]
pub enum Args {
    Any,
    No,
    Exact(usize),
    Min(usize),
    Max(usize),
    Range(usize, usize),
}

type Handler = fn(&Invocation, &Parsed, &mut Ctx) -> i32;

/// What Tidepool implements, by the command's help key.
struct Entry {
    key: &'static str,
    args: Args,
    /// `run`, `create` and `exec` stop reading flags at the image name.
    interspersed: bool,
    handler: Handler,
}

const fn entry(key: &'static str, args: Args, handler: Handler) -> Entry {
    Entry {
        key,
        args,
        interspersed: true,
        handler,
    }
}

const COMMANDS: &[Entry] = &[
    Entry {
        key: "container_run",
        args: Args::Min(1),
        interspersed: false,
        handler: run::run,
    },
    Entry {
        key: "container_create",
        args: Args::Min(1),
        interspersed: false,
        handler: run::create,
    },
    entry("container_start", Args::Min(1), lifecycle::start),
    entry("container_stop", Args::Min(1), lifecycle::stop),
    entry("container_restart", Args::Min(1), lifecycle::restart),
    entry("container_kill", Args::Min(1), lifecycle::kill),
    entry("container_rm", Args::Min(1), lifecycle::rm),
    entry("container_ls", Args::No, ps::ps),
    entry("container_logs", Args::Exact(1), logs::logs),
    Entry {
        key: "container_exec",
        args: Args::Min(2),
        interspersed: false,
        handler: exec::exec,
    },
    entry("container_wait", Args::Min(1), lifecycle::wait),
    entry(
        "container_inspect",
        Args::Min(1),
        container_inspect::container_inspect,
    ),
    entry("inspect", Args::Min(1), container_inspect::inspect),
    entry("container_pause", Args::Min(1), container_misc::pause),
    entry("container_unpause", Args::Min(1), container_misc::unpause),
    entry("container_rename", Args::Exact(2), container_misc::rename),
    entry("container_port", Args::Range(1, 2), container_misc::port),
    entry("container_diff", Args::Exact(1), container_misc::diff),
    entry("container_cp", Args::Exact(2), cp::cp),
    entry("container_commit", Args::Range(1, 2), commit::commit),
    entry("container_stats", Args::Any, stats::stats),
    entry("container_top", Args::Min(1), stats::top),
    entry("container_update", Args::Min(1), container_misc::update),
    entry("container_attach", Args::Exact(1), lifecycle::attach),
    entry("container_prune", Args::No, container_misc::prune),
    entry("image_pull", Args::Exact(1), pull::pull),
    entry("image_ls", Args::Max(1), images::images),
    entry("image_tag", Args::Exact(2), image_cmds::tag),
    entry("image_rm", Args::Min(1), image_cmds::rmi),
    entry("image_history", Args::Exact(1), image_cmds::history),
    entry("image_inspect", Args::Min(1), image_cmds::image_inspect),
    entry("image_prune", Args::No, image_cmds::image_prune),
    entry("search", Args::Exact(1), image_cmds::search),
    entry("login", Args::Max(1), registry_cmds::login),
    entry("logout", Args::Max(1), registry_cmds::logout),
    entry("image_push", Args::Exact(1), registry_cmds::push),
    entry("image_save", Args::Min(1), archive::save),
    entry("image_load", Args::No, archive::load),
    entry("container_export", Args::Exact(1), archive::export),
    entry("image_import", Args::Min(1), archive::import),
    entry("system_df", Args::No, image_cmds::system_df),
    entry("system_prune", Args::No, image_cmds::system_prune),
    entry("volume_create", Args::Max(1), volume::create),
    entry("volume_ls", Args::No, volume::ls),
    entry("volume_inspect", Args::Min(1), volume::inspect),
    entry("volume_rm", Args::Min(1), volume::rm),
    entry("volume_prune", Args::No, volume::prune),
    entry("volume_update", Args::Exact(1), volume::update),
    entry("network_create", Args::Exact(1), network::create),
    entry("network_ls", Args::No, network::ls),
    entry("network_inspect", Args::Min(1), network::inspect),
    entry("network_rm", Args::Min(1), network::rm),
    entry("network_connect", Args::Exact(2), network::connect),
    entry("network_disconnect", Args::Exact(2), network::disconnect),
    entry("network_prune", Args::No, network::prune),
    entry("system_events", Args::No, events::events),
    entry("build", Args::Exact(1), build::build),
    entry("image_build", Args::Exact(1), build::build),
    entry("builder_build", Args::Exact(1), build::build),
    entry("builder_prune", Args::No, build::prune),
    entry("version", Args::No, info::version),
    entry("system_info", Args::No, info::info),
];

/// One resolved command as the user typed it.
pub struct Invocation {
    /// Help key: `container_run`.
    pub key: String,
    /// What was typed after `docker`: `["run"]` or `["container", "run"]`.
    pub typed: Vec<String>,
    pub help: &'static str,
}

impl Invocation {
    /// `docker run` for a legacy alias, else the canonical path.
    pub fn path(&self) -> String {
        if self.typed.len() == 1 {
            format!("docker {}", self.typed[0])
        } else {
            format!("docker {}", self.key.replace('_', " "))
        }
    }

    /// The `Usage:` line without its label: `docker run [OPTIONS] IMAGE…`,
    /// with the tab-indented lines of a second form after it (`docker cp`),
    /// as cobra prints a multi-line use string.
    pub fn usage(&self) -> String {
        let mut lines = self.help.lines().skip_while(|l| !l.starts_with("Usage:"));
        let line = lines.next().unwrap_or_default();
        let canonical = format!("docker {}", self.key.replace('_', " "));
        let rest = line.trim_start_matches("Usage:").trim_start();
        let tail = rest.strip_prefix(&canonical).unwrap_or(rest);
        let mut usage = format!("{}{tail}", self.path());
        for more in lines.take_while(|l| l.starts_with('\t')) {
            usage.push('\n');
            usage.push_str(more);
        }
        usage
    }

    pub fn help_text(&self) -> String {
        let first_usage = self
            .help
            .lines()
            .position(|l| l.starts_with("Usage:"))
            .unwrap_or(0);
        let mut out = String::new();
        let mut in_usage = false;
        for (i, line) in self.help.lines().enumerate() {
            if i == first_usage {
                // usage() carries the second form's lines too.
                out.push_str(&format!("Usage:  {}\n", self.usage()));
                in_usage = true;
            } else if !(in_usage && line.starts_with('\t')) {
                in_usage = false;
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }
}

/// `docker <cmd>`: the exit code, with everything printed through `ctx`.
pub fn main(args: &[String], ctx: &mut Ctx) -> i32 {
    let Some(top) = help::text("docker") else {
        return 1;
    };
    let globals = FlagSpec::from_help(top, "Global Options:");
    let parsed = match flags::parse(&globals, args, false) {
        Ok(p) => p,
        Err(e) => {
            ctx.errln(format!(
                "{}\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information",
                e.0
            ));
            return 125;
        }
    };
    if parsed.flag("version") {
        ctx.outln(info::VERSION_LINE);
        return 0;
    }
    let ops = &parsed.operands;
    if ops.is_empty() || parsed.help {
        ctx.out(top);
        return 0;
    }
    if ops[0] == "help" {
        if ops.len() == 1 {
            ctx.out(top);
            return 0;
        }
        let mut with_help = ops[1..].to_vec();
        with_help.push("--help".to_string());
        return main(&with_help, ctx);
    }
    dispatch(ops, ctx)
}

/// Finds which help key a typed path names (through the Aliases sections).
fn resolve(words: &[String]) -> Option<String> {
    let typed = format!("docker {}", words.join(" "));
    for (key, text) in help::HELP {
        let canonical = format!("docker {}", key.replace('_', " "));
        if canonical == typed {
            return Some(key.to_string());
        }
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if line == "Aliases:" {
                if let Some(aliases) = lines.next() {
                    if aliases.split(", ").any(|a| a.trim() == typed) {
                        return Some(key.to_string());
                    }
                }
                break;
            }
        }
    }
    None
}

fn is_group(help: &str) -> bool {
    help.lines().any(|l| l == "Commands:")
}

fn dispatch(ops: &[String], ctx: &mut Ctx) -> i32 {
    // Two words first (`container ls`), then one (`ps`, `container`).
    let (key, used) = match ops.get(1).and_then(|_| resolve(&ops[..2])) {
        Some(k) if !ops[1].starts_with('-') => (k, 2),
        _ => match resolve(&ops[..1]) {
            Some(k) => (k, 1),
            None => {
                ctx.errln(format!("docker: unknown command: docker {}\n\nRun 'docker --help' for more information", ops[0]));
                return 1;
            }
        },
    };
    let Some(text) = help::text(&key) else {
        return 1;
    };
    let inv = Invocation {
        key: key.clone(),
        typed: ops[..used].to_vec(),
        help: text,
    };
    if is_group(text) {
        match ops.get(used) {
            None => {
                ctx.out(text);
                return 0;
            }
            Some(a) if a == "--help" || a == "-h" => {
                ctx.out(text);
                return 0;
            }
            Some(sub) => {
                let group = ops[0].clone();
                // Errors print cobra's use line, which for these groups is
                // the bare path; only volume's declares `COMMAND` in it.
                let usage = if group == "volume" {
                    format!("docker {group} COMMAND")
                } else {
                    format!("docker {group}")
                };
                if sub.starts_with('-') {
                    let flag = sub.split_once('=').map_or(sub.as_str(), |(f, _)| f);
                    ctx.errln(format!(
                        "unknown flag: {flag}\n\nUsage:  {usage}\n\nRun 'docker {group} --help' for more information"
                    ));
                    return 125;
                }
                ctx.errln(format!(
                    "docker: unknown command: docker {group} {sub}\n\nUsage:  {usage}\n\nRun 'docker {group} --help' for more information"
                ));
                return 1;
            }
        }
    }
    let entry = COMMANDS.iter().find(|e| e.key == key);
    let specs = FlagSpec::from_help(text, "Options:");
    let interspersed = entry.map(|e| e.interspersed).unwrap_or(true);
    let parsed = match flags::parse(&specs, &ops[used..], interspersed) {
        Ok(p) => p,
        Err(e) => return flag_error(&inv, &e.0, ctx),
    };
    if parsed.help {
        if parsed.help_shorthand {
            ctx.errln("Flag shorthand -h has been deprecated, use --help");
        }
        ctx.out(inv.help_text());
        return 0;
    }
    let Some(entry) = entry else {
        ctx.errln(format!(
            "docker: '{}' is not simulated in Tidepool yet",
            inv.path()
        ));
        return 1;
    };
    if let Some(code) = check_args(&inv, entry.args, parsed.operands.len(), ctx) {
        return code;
    }
    // The client's first word with the daemon: which API version it speaks.
    ctx.host.api("HEAD", "/_ping");
    (entry.handler)(&inv, &parsed, ctx)
}

/// pflag and argument-validation failures: usage and a pointer to --help.
pub fn flag_error(inv: &Invocation, msg: &str, ctx: &mut Ctx) -> i32 {
    ctx.errln(format!(
        "{msg}\n\nUsage:  {}\n\nRun '{} --help' for more information",
        inv.usage(),
        inv.path()
    ));
    125
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        "argument"
    } else {
        "arguments"
    }
}

/// The CLI's `cli/required.go` checks, word for word (including the
/// "SRun" that `RequiresMaxArgs` prints).
fn check_args(inv: &Invocation, rule: Args, n: usize, ctx: &mut Ctx) -> Option<i32> {
    let path = inv.path();
    let usage = inv.usage();
    let msg = match rule {
        Args::Any => return None,
        Args::No if n > 0 => format!("'{path}' accepts no arguments\n\nUsage:  {usage}\n\nRun '{path} --help' for more information"),
        Args::Exact(k) if n != k => format!("'{path}' requires {k} {}\n\nUsage:  {usage}\n\nRun '{path} --help' for more information", plural(k)),
        Args::Min(k) if n < k => format!("'{path}' requires at least {k} {}\n\nUsage:  {usage}\n\nSee '{path} --help' for more information", plural(k)),
        Args::Max(k) if n > k => format!("'{path}' requires at most {k} {}\n\nUsage:  {usage}\n\nSRun '{path} --help' for more information", plural(k)),
        Args::Range(a, b) if n < a || n > b => format!(
            "'{path}' requires at least {a} and at most {b} {}\n\nUsage:  {usage}\n\nRun '{path} --help' for more information",
            plural(b)
        ),
        _ => return None,
    };
    ctx.errln(format!("docker: {msg}"));
    Some(1)
}

/// `Error response from daemon: …` on stderr.
pub fn daemon_error(e: &EngineError, ctx: &mut Ctx) {
    ctx.errln(format!("Error response from daemon: {e}"));
}

/// The format a list command renders: its default table for an empty
/// format or `table`, `{{json .}}` for `json`, else the given template.
fn effective_format(format: &str, default: &str) -> String {
    match format {
        "" | "table" => default.to_string(),
        "json" => "{{json .}}".to_string(),
        other => other.to_string(),
    }
}

/// A template's `table` prefix stripped, and its `\t` and `\n` escapes
/// made real: (is it a table, the row template).
fn table_body(format: &str) -> (bool, String) {
    let (is_table, body) = match format.strip_prefix("table") {
        Some(rest) => (true, rest.trim_start()),
        None => (false, format),
    };
    (is_table, body.replace("\\t", "\t").replace("\\n", "\n"))
}

/// The columns of a `table` format made only of plain `{{.Field}}` cells
/// between tabs, every one of them a field `headers` names: such a table
/// needs no template engine, so the common case of a long list stays
/// quick. `None` for any other format.
pub fn plain_table_fields(
    format: &str,
    default: &str,
    headers: &serde_json::Value,
) -> Option<Vec<String>> {
    let (is_table, body) = table_body(&effective_format(format, default));
    if !is_table {
        return None;
    }
    body.split('\t')
        .map(|part| {
            part.strip_prefix("{{.")
                .and_then(|r| r.strip_suffix("}}"))
                .filter(|f| f.chars().all(|c| c.is_ascii_alphanumeric()))
                .filter(|f| headers.get(*f).is_some())
                .map(str::to_string)
        })
        .collect()
}

/// One cell of a plain table: a field of a row (or of the header row).
pub fn cell_text(data: &serde_json::Value, field: &str) -> String {
    match data.get(field) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => template::go_print(other),
        None => String::new(),
    }
}

/// Renders rows through a `--format` template or the default table.
/// `headers` is the table header row's data; `type_name` names the Go type
/// in template errors.
pub fn format_rows(
    format: &str,
    default: &str,
    rows: &[serde_json::Value],
    headers: &serde_json::Value,
    type_name: &str,
    ctx: &mut Ctx,
) -> i32 {
    match render_rows(format, default, rows, headers, type_name) {
        Ok(text) => {
            ctx.out(text);
            0
        }
        Err(e) => {
            ctx.errln(e);
            1
        }
    }
}

/// What [`format_rows`] prints, or the error it prints.
pub fn render_rows(
    format: &str,
    default: &str,
    rows: &[serde_json::Value],
    headers: &serde_json::Value,
    type_name: &str,
) -> Result<String, String> {
    if let Some(fields) = plain_table_fields(format, default, headers) {
        let mut cells: Vec<Vec<String>> = Vec::with_capacity(rows.len() + 1);
        cells.push(fields.iter().map(|f| cell_text(headers, f)).collect());
        for row in rows {
            cells.push(fields.iter().map(|f| cell_text(row, f)).collect());
        }
        return Ok(table::tabwrite(&cells));
    }
    let (is_table, body) = table_body(&effective_format(format, default));
    let tpl =
        template::Template::parse(&body).map_err(|e| format!("template parsing error: {}", e.0))?;
    let mut lines = Vec::new();
    if is_table {
        let h = tpl
            .render(headers, type_name)
            .map_err(|e| format!("failed to execute template: {}", e.0))?;
        lines.push(h);
    }
    for row in rows {
        let line = tpl
            .render(row, type_name)
            .map_err(|e| format!("failed to execute template: {}", e.0))?;
        lines.push(line);
    }
    if is_table {
        let cells: Vec<Vec<String>> = lines
            .iter()
            .map(|l| l.split('\t').map(str::to_string).collect())
            .collect();
        Ok(table::tabwrite(&cells))
    } else {
        Ok(lines.iter().map(|l| format!("{l}\n")).collect())
    }
}

/// JSON the way `docker inspect` prints it: an array, four-space indent,
/// and `<`, `>`, `&` escaped as Go's encoder does.
pub fn inspect_json(values: &[serde_json::Value]) -> String {
    if values.is_empty() {
        return "[]\n".to_string();
    }
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if serde::Serialize::serialize(&values, &mut ser).is_err() {
        return "[]\n".to_string();
    }
    let text = String::from_utf8_lossy(&buf)
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    format!("{text}\n")
}

/// A prune command's `--filter`s, read as the daemon reads them: `until`
/// (a time or a duration ago), `label`, `label!`, and whatever else
/// `allowed` names. `None` once the daemon's refusal is printed.
pub fn prune_filter(
    p: &Parsed,
    allowed: &[&str],
    ctx: &mut Ctx,
) -> Option<tidepool_engine::filters::Prune> {
    match read_prune_filter(p, allowed, ctx) {
        Ok(filter) => Some(filter),
        Err(refusal) => {
            ctx.errln(refusal);
            None
        }
    }
}

fn read_prune_filter(
    p: &Parsed,
    allowed: &[&str],
    ctx: &Ctx,
) -> Result<tidepool_engine::filters::Prune, String> {
    let mut filter = tidepool_engine::filters::Prune::default();
    for (key, values) in ps::filters(p) {
        match key.as_str() {
            "until" if allowed.contains(&"until") => {
                if values.len() > 1 {
                    return Err(
                        "Error response from daemon: more than one until filter specified".into(),
                    );
                }
                for v in values {
                    let at = logs::parse_time(&v, ctx.host.now()).ok_or_else(|| {
                        format!("Error response from daemon: failed to parse value as time or duration: \"{v}\"")
                    })?;
                    filter.until = Some(at);
                }
            }
            "label" => filter.labels.extend(values),
            "label!" => filter.not_labels.extend(values),
            other if allowed.contains(&other) => {}
            other => {
                return Err(format!(
                    "Error response from daemon: invalid filter '{other}'"
                ))
            }
        }
    }
    Ok(filter)
}

/// The exit status of an inspect whose --format does not parse: the CLI
/// stops there, before asking for any object.
pub const INSPECT_TEMPLATE_ERROR: i32 = 64;

/// `inspect` output: JSON, or each value through `--format`.
pub fn print_inspect(
    values: &[serde_json::Value],
    format: Option<&str>,
    type_name: &str,
    ctx: &mut Ctx,
) -> i32 {
    match format {
        None | Some("") => {
            ctx.out(inspect_json(values));
            0
        }
        Some(f) => {
            let f = if f == "json" { "{{json .}}" } else { f };
            let body = f.replace("\\t", "\t").replace("\\n", "\n");
            let tpl = match template::Template::parse(&body) {
                Ok(t) => t,
                Err(e) => {
                    ctx.errln(format!("template parsing error: {}", e.0));
                    return INSPECT_TEMPLATE_ERROR;
                }
            };
            for v in values {
                match tpl.render(v, type_name) {
                    Ok(s) => ctx.outln(s),
                    Err(e) => {
                        ctx.errln(format!("template parsing error: {}", e.0));
                        return 1;
                    }
                }
            }
            0
        }
    }
}

/// The `[y/N]` question prune commands ask: at the terminal it waits for
/// the answer (the command stops here and runs again with it, so callers
/// just return when this says no); piped, stdin answers and no input is N.
pub fn confirm(warning: &str, ctx: &mut Ctx) -> bool {
    let first_time = ctx.answers.is_empty();
    if first_time {
        ctx.outln(warning);
    }
    let piped = !ctx.foreground_ok && first_time;
    let Some(answer) = ctx.ask("Are you sure you want to continue? [y/N] ", false) else {
        return false;
    };
    let answer = answer.trim().to_lowercase();
    let yes = answer == "y" || answer == "yes";
    if !yes && piped {
        ctx.outln("");
    }
    yes
}
