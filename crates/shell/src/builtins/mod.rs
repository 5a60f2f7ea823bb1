//! The host's commands. Each family lives in its own file; this table is
//! the one place that says which names exist (and so what `which` and Tab
//! completion know).

mod dev;
mod files;
mod more;
mod net;
mod packages;
mod probe;
mod ps;
mod sed;
mod system;
mod text;

use crate::exec::{Control, Ctx};

pub type Builtin = fn(&[String], &mut Ctx) -> Result<i32, Control>;

/// Every command the host prompt knows, sorted by name.
pub const COMMANDS: &[(&str, Builtin)] = &[
    ("[", text::test),
    ("alias", system::alias),
    ("adduser", dev::adduser),
    ("apk", packages::apk),
    ("apt", packages::apt_get),
    ("apt-get", packages::apt_get),
    ("awk", more::awk),
    ("bash", run_shell_command),
    ("break", system::break_),
    ("cat", files::cat),
    ("cd", files::cd),
    ("chmod", more::chmod),
    ("clear", system::clear),
    ("continue", system::continue_),
    ("cowsay", packages::cowsay),
    ("cp", files::cp),
    ("curl", net::curl),
    ("cut", text::cut),
    ("date", system::date),
    ("docker", docker),
    ("du", more::du),
    ("echo", text::echo),
    ("env", system::env),
    ("exit", system::exit),
    ("export", system::export),
    ("false", system::false_),
    ("find", more::find),
    ("grep", text::grep),
    ("head", text::head),
    ("go", dev::go),
    ("help", system::help),
    ("history", system::history),
    ("hostname", system::hostname),
    ("id", system::id),
    ("ip", more::ip),
    ("ls", files::ls),
    ("man", more::man),
    ("mkdir", files::mkdir),
    ("mvn", dev::mvn),
    ("mv", files::mv),
    ("nc", probe::nc),
    ("nano", more::editor),
    ("npm", dev::npm),
    ("pip", dev::pip),
    ("pip3", dev::pip),
    ("ping", probe::ping),
    ("printenv", system::printenv),
    ("printf", text::printf),
    ("pwd", files::pwd),
    ("rm", files::rm),
    ("rmdir", files::rmdir),
    ("sed", sed::sed),
    ("seq", text::seq),
    ("service", system::service),
    ("sh", run_shell_command),
    ("sleep", system::sleep),
    ("sort", text::sort),
    ("stat", more::stat),
    ("systemctl", system::systemctl),
    ("tail", text::tail),
    ("tee", text::tee),
    ("test", text::test),
    ("timeout", system::timeout),
    ("touch", files::touch),
    ("tree", more::tree),
    ("true", system::true_),
    ("type", system::type_),
    ("uname", system::uname),
    ("uniq", text::uniq),
    ("unset", system::unset),
    ("useradd", dev::adduser),
    ("vi", more::editor),
    ("vim", more::editor),
    ("wc", text::wc),
    ("wget", net::wget),
    ("which", system::which),
    ("whoami", system::whoami),
    ("xargs", more::xargs),
];

/// Commands that exist only in containers whose image has them: the
/// machine's own would need its whole process table.
const IMAGE_COMMANDS: &[(&str, Builtin)] = &[("ps", ps::ps)];

pub fn lookup(name: &str) -> Option<Builtin> {
    COMMANDS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

fn docker(args: &[String], ctx: &mut Ctx) -> Result<i32, Control> {
    Ok(crate::docker::main(&args[1..], ctx))
}

/// Commands the shell itself provides: they exist in every container.
const SHELL_BUILTINS: &[&str] = &[
    "[", "alias", "break", "cd", "continue", "echo", "exit", "export", "false", "help", "history",
    "printf", "pwd", "test", "true", "type", "unset",
];

/// Inside a container a command exists only if the image has it: finds the
/// executable on PATH and the command it runs.
fn container_command(argv0: &str, ctx: &mut Ctx) -> Option<String> {
    if SHELL_BUILTINS.contains(&argv0) && !argv0.contains('/') {
        return Some(argv0.to_string());
    }
    let candidates: Vec<String> = if argv0.contains('/') {
        vec![ctx.path(argv0)]
    } else {
        let path = ctx
            .shell
            .var("PATH")
            .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .to_string();
        path.split(':')
            .map(|d| format!("{}/{argv0}", d.trim_end_matches('/')))
            .collect()
    };
    ctx.fs(|fs| {
        candidates
            .iter()
            .find_map(|c| match fs.node(&fs.resolve(c)) {
                Some(tidepool_engine::fs::Node::File { program, .. }) => {
                    Some(program.unwrap_or_default())
                }
                _ => None,
            })
    })
}

pub(crate) fn dispatch(argv: &[String], ctx: &mut Ctx) -> Result<i32, Control> {
    if let crate::exec::Target::Container(_) = ctx.target {
        let name = argv[0].as_str();
        return match container_command(name, ctx) {
            None => {
                let msg = ctx.shell.not_found(name);
                ctx.errln(msg);
                Ok(127)
            }
            Some(program) => {
                // The executable's simulated program, e.g. /bin/ls is `ls`;
                // shells run as a nested shell of this one.
                let program = program.split(':').next().unwrap_or_default().to_string();
                let lookup_name = if SHELL_BUILTINS.contains(&name) {
                    name.to_string()
                } else {
                    program.clone()
                };
                let image_command = IMAGE_COMMANDS
                    .iter()
                    .find(|(n, _)| *n == lookup_name)
                    .map(|(_, f)| *f);
                match lookup(&lookup_name)
                    .filter(|_| lookup_name != "docker")
                    .or(image_command)
                {
                    Some(f) => f(argv, ctx),
                    None if matches!(program.as_str(), "sh" | "bash" | "ash" | "dash") => {
                        run_shell_command(argv, ctx)
                    }
                    None => {
                        ctx.errln(format!(
                            "{name}: Tidepool cannot run {program} from a shell yet"
                        ));
                        Ok(126)
                    }
                }
            }
        };
    }
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

/// `sh -c 'script'` (or `bash script.sh`) inside a shell: runs the script in
/// a nested shell that shares the filesystem.
fn run_shell_command(argv: &[String], ctx: &mut Ctx) -> Result<i32, Control> {
    match argv.get(1).map(String::as_str) {
        Some("-c") => {
            let Some(script) = argv.get(2) else {
                ctx.errln(format!("{}: -c: option requires an argument", argv[0]));
                return Ok(2);
            };
            let (status, chunks) = ctx.run_nested(script, ctx.stdin.clone());
            ctx.pass_on(chunks);
            Ok(status)
        }
        Some(file) => {
            let path = ctx.path(file);
            match ctx.fs(|fs| crate::vfs::read_text(fs, &path)) {
                Ok(script) => {
                    let (status, chunks) = ctx.run_nested(&script, ctx.stdin.clone());
                    ctx.pass_on(chunks);
                    Ok(status)
                }
                Err(_) => {
                    ctx.errln(format!("{}: {file}: No such file or directory", argv[0]));
                    Ok(127)
                }
            }
        }
        // A shell reading from stdin: runs what it was given.
        None => {
            let input = ctx.stdin.clone();
            if input.is_empty() {
                return Ok(0);
            }
            let (status, chunks) = ctx.run_nested(&input, String::new());
            ctx.pass_on(chunks);
            Ok(status)
        }
    }
}
