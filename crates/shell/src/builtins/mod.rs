//! The host's commands. Each family lives in its own file; this table is
//! the one place that says which names exist (and so what `which` and Tab
//! completion know).

mod files;
mod net;
mod system;
mod text;

use crate::exec::{Control, Ctx};

pub type Builtin = fn(&[String], &mut Ctx) -> Result<i32, Control>;

/// Every command the host prompt knows, sorted by name.
pub const COMMANDS: &[(&str, Builtin)] = &[
    ("[", text::test),
    ("alias", system::alias),
    ("break", system::break_),
    ("cat", files::cat),
    ("cd", files::cd),
    ("clear", system::clear),
    ("continue", system::continue_),
    ("cp", files::cp),
    ("curl", net::curl),
    ("cut", text::cut),
    ("date", system::date),
    ("docker", docker),
    ("echo", text::echo),
    ("env", system::env),
    ("exit", system::exit),
    ("export", system::export),
    ("false", system::false_),
    ("grep", text::grep),
    ("head", text::head),
    ("help", system::help),
    ("history", system::history),
    ("hostname", system::hostname),
    ("id", system::id),
    ("ls", files::ls),
    ("mkdir", files::mkdir),
    ("mv", files::mv),
    ("printenv", system::printenv),
    ("printf", text::printf),
    ("pwd", files::pwd),
    ("rm", files::rm),
    ("rmdir", files::rmdir),
    ("seq", text::seq),
    ("sleep", system::sleep),
    ("sort", text::sort),
    ("tail", text::tail),
    ("tee", text::tee),
    ("test", text::test),
    ("touch", files::touch),
    ("true", system::true_),
    ("type", system::type_),
    ("uname", system::uname),
    ("uniq", text::uniq),
    ("unset", system::unset),
    ("wc", text::wc),
    ("wget", net::wget),
    ("which", system::which),
    ("whoami", system::whoami),
];

pub fn lookup(name: &str) -> Option<Builtin> {
    COMMANDS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

fn docker(args: &[String], ctx: &mut Ctx) -> Result<i32, Control> {
    Ok(crate::docker::main(&args[1..], ctx))
}

pub fn dispatch(argv: &[String], ctx: &mut Ctx) -> Result<i32, Control> {
    let name = argv[0].as_str();
    // `/usr/bin/docker` and friends name the same commands.
    let base = name.rsplit('/').next().unwrap_or(name);
    let found = if name.contains('/') && is_system_path(name) {
        lookup(base)
    } else {
        lookup(name)
    };
    match found {
        Some(f) => f(argv, ctx),
        None => {
            if name.contains('/') {
                ctx.errln(format!("bash: {name}: No such file or directory"));
            } else {
                ctx.errln(format!("bash: {name}: command not found"));
            }
            Ok(127)
        }
    }
}

fn is_system_path(path: &str) -> bool {
    [
        "/bin/",
        "/usr/bin/",
        "/usr/local/bin/",
        "/sbin/",
        "/usr/sbin/",
    ]
    .iter()
    .any(|p| path.starts_with(p) && !path[p.len()..].contains('/'))
}

/// Splits leading `-abc` style options off a command's arguments. Returns
/// (flags as chars, long flags, operands). `--` ends options.
pub fn split_opts(args: &[String]) -> (Vec<char>, Vec<String>, Vec<String>) {
    let mut short = Vec::new();
    let mut long = Vec::new();
    let mut operands = Vec::new();
    let mut done = false;
    for a in args {
        if done || a == "-" || !a.starts_with('-') {
            operands.push(a.clone());
        } else if a == "--" {
            done = true;
        } else if let Some(l) = a.strip_prefix("--") {
            long.push(l.to_string());
        } else {
            short.extend(a[1..].chars());
        }
    }
    (short, long, operands)
}
