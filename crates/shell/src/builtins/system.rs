//! The shell's own commands and the machine's identity: exit, export, env,
//! history, sleep (which moves virtual time), date, whoami, uname...

use crate::exec::{Control, Ctx};
use tidepool_engine::Millis;

type R = Result<i32, Control>;

pub fn true_(_: &[String], _: &mut Ctx) -> R {
    Ok(0)
}

pub fn false_(_: &[String], _: &mut Ctx) -> R {
    Ok(1)
}

pub fn exit(args: &[String], ctx: &mut Ctx) -> R {
    let code = match args.get(1) {
        None => ctx.shell.last_status,
        Some(a) => match a.parse::<i64>() {
            Ok(n) => (n & 0xff) as i32,
            Err(_) => {
                ctx.errln(format!("bash: exit: {a}: numeric argument required"));
                2
            }
        },
    };
    Err(Control::Exit(code))
}

pub fn break_(_: &[String], _: &mut Ctx) -> R {
    Err(Control::Break)
}

pub fn continue_(_: &[String], _: &mut Ctx) -> R {
    Err(Control::Continue)
}

pub fn export(args: &[String], ctx: &mut Ctx) -> R {
    if args.len() == 1 || args[1] == "-p" {
        for (k, v) in ctx.shell.environ() {
            ctx.outln(format!("declare -x {k}=\"{v}\""));
        }
        return Ok(0);
    }
    let mut status = 0;
    for a in &args[1..] {
        let (name, value) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (a.as_str(), None),
        };
        if name.is_empty()
            || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            || name.as_bytes()[0].is_ascii_digit()
        {
            ctx.errln(format!("bash: export: `{a}': not a valid identifier"));
            status = 1;
            continue;
        }
        if let Some(v) = value {
            ctx.shell.vars.insert(name.to_string(), v.to_string());
        }
        ctx.shell.exported.insert(name.to_string());
    }
    Ok(status)
}

pub fn unset(args: &[String], ctx: &mut Ctx) -> R {
    for a in &args[1..] {
        ctx.shell.vars.remove(a);
        ctx.shell.exported.remove(a);
    }
    Ok(0)
}

pub fn env(args: &[String], ctx: &mut Ctx) -> R {
    if args.len() > 1 {
        ctx.errln("env: running commands through env is not supported here; run them directly");
        return Ok(125);
    }
    let mut vars = ctx.shell.environ();
    vars.retain(|(k, _)| k != "PWD");
    vars.push(("PWD".into(), ctx.shell.cwd.clone()));
    for (k, v) in vars {
        ctx.outln(format!("{k}={v}"));
    }
    Ok(0)
}

pub fn printenv(args: &[String], ctx: &mut Ctx) -> R {
    if args.len() == 1 {
        return env(args, ctx);
    }
    let mut status = 0;
    for name in &args[1..] {
        let value = if name == "PWD" {
            Some(ctx.shell.cwd.clone())
        } else if ctx.shell.exported.contains(name) {
            ctx.shell.vars.get(name).cloned()
        } else {
            None
        };
        match value {
            Some(v) => ctx.outln(v),
            None => status = 1,
        }
    }
    Ok(status)
}

pub fn alias(args: &[String], ctx: &mut Ctx) -> R {
    if args.len() == 1 {
        let all: Vec<(String, String)> = ctx
            .shell
            .aliases
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (k, v) in all {
            ctx.outln(format!("alias {k}='{v}'"));
        }
        return Ok(0);
    }
    let mut status = 0;
    for a in &args[1..] {
        match a.split_once('=') {
            Some((k, v)) => {
                ctx.shell.aliases.insert(k.to_string(), v.to_string());
            }
            None => match ctx.shell.aliases.get(a).cloned() {
                Some(v) => ctx.outln(format!("alias {a}='{v}'")),
                None => {
                    ctx.errln(format!("bash: alias: {a}: not found"));
                    status = 1;
                }
            },
        }
    }
    Ok(status)
}

pub fn history(_: &[String], ctx: &mut Ctx) -> R {
    let lines: Vec<String> = ctx
        .shell
        .history
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{:>5}  {l}", i + 1))
        .collect();
    for l in lines {
        ctx.outln(l);
    }
    Ok(0)
}

pub fn clear(_: &[String], ctx: &mut Ctx) -> R {
    ctx.clear_screen = true;
    Ok(0)
}

/// `sleep N` moves the host's virtual clock; nothing waits. Containers'
/// main scripts catch up with it.
pub fn sleep(args: &[String], ctx: &mut Ctx) -> R {
    if args.len() < 2 {
        ctx.errln("sleep: missing operand\nTry 'sleep --help' for more information.");
        return Ok(1);
    }
    let mut total = 0u64;
    for a in &args[1..] {
        let (num, unit) = match a.find(|c: char| c.is_ascii_alphabetic()) {
            Some(i) => (&a[..i], &a[i..]),
            None => (a.as_str(), "s"),
        };
        let scale = match unit {
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            "d" => 86_400_000.0,
            _ => -1.0,
        };
        match num.parse::<f64>() {
            Ok(v) if v >= 0.0 && scale > 0.0 => total += (v * scale) as u64,
            _ => {
                ctx.errln(format!(
                    "sleep: invalid time interval '{a}'\nTry 'sleep --help' for more information."
                ));
                return Ok(1);
            }
        }
    }
    ctx.pass_time(Millis(total));
    Ok(0)
}

pub fn date(_: &[String], ctx: &mut Ctx) -> R {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let now = ctx.now();
    let c = now.civil();
    let weekday = DAYS[((now.unix_secs() / 86_400) % 7) as usize];
    let month = MONTHS[(c.month as usize + 11) % 12];
    ctx.outln(format!(
        "{weekday} {month} {:>2} {:02}:{:02}:{:02} UTC {}",
        c.day, c.hour, c.minute, c.second, c.year
    ));
    Ok(0)
}

pub fn whoami(_: &[String], ctx: &mut Ctx) -> R {
    let user = ctx.shell.user().to_string();
    ctx.outln(user);
    Ok(0)
}

pub fn id(args: &[String], ctx: &mut Ctx) -> R {
    let user = ctx.shell.user().to_string();
    // `-u`/`-g` print the number, `-un`/`-gn` the name, as coreutils does.
    let flags: String = args[1..]
        .iter()
        .filter_map(|a| a.strip_prefix('-'))
        .collect();
    let passwd = ctx.fs(|fs| crate::vfs::read_text(&*fs, "/etc/passwd").ok());
    let groups = ctx.fs(|fs| crate::vfs::read_text(&*fs, "/etc/group").ok());
    let who = Identity::of(
        &user,
        ctx.shell.group.as_deref(),
        passwd.as_deref(),
        groups.as_deref(),
    );
    let named = |n: &str, name: &Option<String>| match name {
        Some(name) => format!("{n}({name})"),
        None => n.to_string(),
    };
    if flags.contains('u') || flags.contains('g') || flags.contains('G') {
        let (number, name) = if flags.contains('u') {
            (&who.uid, &who.user)
        } else {
            (&who.gid, &who.group)
        };
        let shown = match (flags.contains('n'), name) {
            (true, Some(name)) => name.clone(),
            _ => number.clone(),
        };
        ctx.outln(shown);
        return Ok(0);
    }
    let group = named(&who.gid, &who.group);
    ctx.outln(format!(
        "uid={} gid={group} groups={group}",
        named(&who.uid, &who.user)
    ));
    Ok(0)
}

/// Who a process runs as: numbers, and names where the files have them.
struct Identity {
    uid: String,
    user: Option<String>,
    gid: String,
    group: Option<String>,
}

impl Identity {
    /// `user` is a name or a number; `group` the `:GROUP` part, if any.
    fn of(user: &str, group: Option<&str>, passwd: Option<&str>, groups: Option<&str>) -> Identity {
        let numeric = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        let entries: Vec<Vec<&str>> = passwd
            .unwrap_or_default()
            .lines()
            .map(|l| l.split(':').collect())
            .collect();
        let user = if user.is_empty() { "root" } else { user };
        let entry = entries.iter().find(|f| {
            if numeric(user) {
                f.get(2) == Some(&user)
            } else {
                f.first() == Some(&user)
            }
        });
        let (uid, name, primary) = match entry {
            Some(f) => (
                f.get(2).copied().unwrap_or("0").to_string(),
                f.first().map(|s| s.to_string()),
                f.get(3).copied().unwrap_or("0").to_string(),
            ),
            None if user == "root" => ("0".into(), Some("root".into()), "0".into()),
            // A number nobody has: runc gives it group 0.
            None if numeric(user) => (user.to_string(), None, "0".into()),
            // A name the image's files do not know (they are not all
            // simulated): an ordinary user.
            None => ("1000".into(), Some(user.to_string()), "1000".into()),
        };
        let group_entries: Vec<Vec<&str>> = groups
            .unwrap_or_default()
            .lines()
            .map(|l| l.split(':').collect())
            .collect();
        let gid = match group {
            Some(g) if numeric(g) => g.to_string(),
            Some(g) => group_entries
                .iter()
                .find(|f| f.first() == Some(&g))
                .and_then(|f| f.get(2))
                .map(|s| s.to_string())
                .unwrap_or_else(|| primary.clone()),
            None => primary.clone(),
        };
        let group_name = match group_entries
            .iter()
            .find(|f| f.get(2) == Some(&gid.as_str()))
            .and_then(|f| f.first())
        {
            Some(n) => Some(n.to_string()),
            None if gid == "0" => Some("root".to_string()),
            // Without a group file, a user's own group bears its name.
            None if groups.is_none() && gid == primary => name.clone(),
            None => None,
        };
        Identity {
            uid,
            user: name,
            gid,
            group: group_name,
        }
    }
}

/// The machine's addresses as `ip addr` shows them (eth0, then docker0).
const MACHINE_ADDRESSES: [&str; 2] = ["192.168.1.10", "172.17.0.1"];

pub fn hostname(args: &[String], ctx: &mut Ctx) -> R {
    if args[1..]
        .iter()
        .any(|a| a == "-I" || a == "--all-ip-addresses")
    {
        // Every address of every interface but loopback, each followed by
        // a space, as net-tools' hostname prints them.
        // A process reading its own interfaces, not a client of the API.
        let trace = ctx.host.api_trace_suspend();
        let inspect = match &ctx.target {
            crate::exec::Target::Machine => None,
            crate::exec::Target::Container(id) => Some(ctx.host.container_inspect(id)),
        };
        ctx.host.api_trace_resume(trace);
        let addresses: Vec<String> = match inspect {
            None => MACHINE_ADDRESSES.iter().map(|a| a.to_string()).collect(),
            Some(inspect) => match inspect {
                Ok(c) if c.host_config.network_mode == "host" => {
                    MACHINE_ADDRESSES.iter().map(|a| a.to_string()).collect()
                }
                Ok(c) => c
                    .network_settings
                    .networks
                    .values()
                    .map(|e| e.ip_address.clone())
                    .filter(|ip| !ip.is_empty())
                    .collect(),
                Err(_) => Vec::new(),
            },
        };
        ctx.outln(
            addresses
                .iter()
                .map(|a| format!("{a} "))
                .collect::<String>(),
        );
        return Ok(0);
    }
    let name = ctx.shell.var("HOSTNAME").unwrap_or("tidepool").to_string();
    ctx.outln(name);
    Ok(0)
}

pub fn uname(args: &[String], ctx: &mut Ctx) -> R {
    let all = args.iter().any(|a| a == "-a" || a == "--all");
    if all {
        // The node name is the UTS namespace's: a container's own hostname.
        let node = ctx.shell.var("HOSTNAME").unwrap_or("tidepool").to_string();
        ctx.outln(format!(
            "Linux {node} {} {} x86_64 x86_64 x86_64 GNU/Linux",
            tidepool_engine::KERNEL_RELEASE,
            tidepool_engine::KERNEL_VERSION
        ));
    } else if args.iter().any(|a| a == "-r") {
        ctx.outln(tidepool_engine::KERNEL_RELEASE);
    } else if args.iter().any(|a| a == "-m") {
        ctx.outln("x86_64");
    } else {
        ctx.outln("Linux");
    }
    Ok(0)
}

pub fn which(args: &[String], ctx: &mut Ctx) -> R {
    let mut status = 0;
    let in_container = matches!(ctx.target, crate::exec::Target::Container(_));
    for name in &args[1..] {
        let found = if in_container {
            let path = ctx
                .shell
                .var("PATH")
                .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .to_string();
            let candidates: Vec<String> = path
                .split(':')
                .map(|d| format!("{}/{name}", d.trim_end_matches('/')))
                .collect();
            ctx.fs(|fs| {
                candidates.into_iter().find(|c| {
                    matches!(
                        fs.node(&fs.resolve(c)),
                        Some(tidepool_engine::fs::Node::File { .. })
                    )
                })
            })
        } else if super::lookup(name).is_some() && !is_shell_keyword(name) {
            Some(format!("/usr/bin/{name}"))
        } else {
            None
        };
        match found {
            Some(p) => ctx.outln(p),
            None => status = 1,
        }
    }
    Ok(status)
}

fn is_shell_keyword(name: &str) -> bool {
    matches!(
        name,
        "cd" | "exit"
            | "export"
            | "unset"
            | "alias"
            | "history"
            | "break"
            | "continue"
            | "type"
            | "help"
    )
}

pub fn type_(args: &[String], ctx: &mut Ctx) -> R {
    let mut status = 0;
    for name in &args[1..] {
        if let Some(a) = ctx.shell.aliases.get(name).cloned() {
            ctx.outln(format!("{name} is aliased to `{a}'"));
        } else if is_shell_keyword(name)
            || matches!(
                name.as_str(),
                "echo" | "pwd" | "printf" | "true" | "false" | "test" | "["
            )
        {
            ctx.outln(format!("{name} is a shell builtin"));
        } else if super::lookup(name).is_some() {
            ctx.outln(format!("{name} is /usr/bin/{name}"));
        } else {
            ctx.errln(format!("bash: type: {name}: not found"));
            status = 1;
        }
    }
    Ok(status)
}

pub fn help(_: &[String], ctx: &mut Ctx) -> R {
    let names: Vec<&str> = super::COMMANDS.iter().map(|(n, _)| *n).collect();
    ctx.outln("Tidepool: a Docker host in your browser. Commands on this machine:");
    ctx.out(super::files::columns(&names, 80));
    ctx.outln("Try `docker run -d -p 8080:80 nginx`, then `curl localhost:8080`. `docker --help` lists docker's commands.");
    Ok(0)
}

/// `timeout N cmd...`: runs cmd; if it streams (an attached `docker run`,
/// `logs -f`, `stats`), it is cut off after N seconds of virtual time with
/// status 124, as coreutils' timeout does.
pub fn timeout(args: &[String], ctx: &mut Ctx) -> R {
    let Some(spec) = args.get(1) else {
        ctx.errln("timeout: missing operand\nTry 'timeout --help' for more information.");
        return Ok(125);
    };
    let (num, unit) = match spec.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&spec[..i], &spec[i..]),
        None => (spec.as_str(), "s"),
    };
    let scale = match unit {
        "s" => 1000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        _ => -1.0,
    };
    let seconds = match num.parse::<f64>() {
        Ok(v) if v >= 0.0 && scale > 0.0 => v * scale,
        _ => {
            ctx.errln(format!("timeout: invalid time interval '{spec}'\nTry 'timeout --help' for more information."));
            return Ok(125);
        }
    };
    if args.len() < 3 {
        ctx.errln("timeout: missing operand\nTry 'timeout --help' for more information.");
        return Ok(125);
    }
    let outer = ctx.timeout.replace(Millis(seconds as u64));
    let result = super::dispatch(&args[2..], ctx);
    ctx.timeout = outer;
    result
}

/// `systemctl restart docker` / `service docker restart`: the daemon stops
/// its containers and starts again, bringing back those whose restart
/// policy says so.
fn docker_service(action: &str, ctx: &mut Ctx) -> R {
    match action {
        "restart" => {
            ctx.host.daemon_restart();
            Ok(0)
        }
        "status" => {
            let started = tidepool_engine::clock::EPOCH.go_default();
            ctx.outln(format!(
                "● docker.service - Docker Application Container Engine\n     Loaded: loaded (/usr/lib/systemd/system/docker.service; enabled; preset: enabled)\n     Active: active (running) since {started}\nTriggeredBy: ● docker.socket\n       Docs: https://docs.docker.com\n   Main PID: 812 (dockerd)"
            ));
            Ok(0)
        }
        "start" | "enable" | "is-active" => {
            if action == "is-active" {
                ctx.outln("active");
            }
            Ok(0)
        }
        "stop" => {
            ctx.errln("Tidepool keeps its Docker daemon running; use `systemctl restart docker` to restart it.");
            Ok(1)
        }
        other => {
            ctx.errln(format!("Unknown command verb '{other}'."));
            Ok(1)
        }
    }
}

pub fn systemctl(args: &[String], ctx: &mut Ctx) -> R {
    let ops: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with('-')).collect();
    match (ops.first(), ops.get(1)) {
        (Some(action), Some(unit)) if unit.trim_end_matches(".service") == "docker" => {
            docker_service(action, ctx)
        }
        (Some(_), Some(unit)) => {
            ctx.errln(format!(
                "Failed to restart {unit}.service: Unit {unit}.service not found."
            ));
            Ok(5)
        }
        _ => {
            ctx.errln("Too few arguments.");
            Ok(1)
        }
    }
}

pub fn service(args: &[String], ctx: &mut Ctx) -> R {
    match (args.get(1), args.get(2)) {
        (Some(unit), Some(action)) if unit == "docker" => docker_service(action, ctx),
        (Some(unit), _) => {
            ctx.errln(format!("{unit}: unrecognized service"));
            Ok(1)
        }
        _ => {
            ctx.errln("Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]");
            Ok(1)
        }
    }
}
