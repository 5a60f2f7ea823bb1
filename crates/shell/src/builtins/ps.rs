//! `ps` inside a container whose image has it: procps-ng's (ubuntu, the
//! buildpack-based images) or busybox's (alpine, busybox). It lists the
//! container's own PID namespace: the main process as PID 1, its workers,
//! the shell a `docker exec -it` opened, and ps itself.

use crate::exec::{Control, Ctx, Flavor, Target};
use tidepool_engine::host::Process;

type R = Result<i32, Control>;

/// One row as ps prints it.
struct Row {
    pid: u32,
    ppid: u32,
    user: String,
    command: String,
    tty: String,
    stat: &'static str,
    started: String,
}

impl Row {
    /// The executable's name (`comm`): what plain `ps` shows.
    fn comm(&self) -> String {
        let first = self.command.split_whitespace().next().unwrap_or_default();
        first
            .rsplit('/')
            .next()
            .unwrap_or(first)
            .trim_end_matches(':')
            .to_string()
    }

    /// Virtual and resident size in KiB for `ps aux`: typical figures for
    /// each program, since nothing here allocates memory.
    fn sizes(&self) -> (u32, u32) {
        match (self.comm().as_str(), self.command.contains("worker")) {
            ("nginx", true) => (11872, 2932),
            ("nginx", false) => (11404, 7552),
            ("bash", _) => (4588, 3840),
            ("sh" | "dash", _) => (2680, 1536),
            ("ps", _) => (7888, 4096),
            _ => (2800, 1536),
        }
    }
}

/// Maps numeric users to names through the container's /etc/passwd, as
/// ps does.
fn user_name(user: &str, passwd: &str) -> String {
    if !user.bytes().all(|b| b.is_ascii_digit()) {
        return user.to_string();
    }
    passwd
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.len() > 2 && f[2] == user).then(|| f[0].to_string())
        })
        .unwrap_or_else(|| user.to_string())
}

pub fn ps(args: &[String], ctx: &mut Ctx) -> R {
    let Target::Container(id) = ctx.target.clone() else {
        ctx.errln("bash: ps: command not found");
        return Ok(127);
    };
    let processes = ctx.host.container_processes(&id).unwrap_or_default();
    let passwd = ctx.fs(|fs| crate::vfs::read_text(fs, "/etc/passwd").unwrap_or_default());
    let main_tty = processes.first().is_some_and(|p| p.tty);
    // An exec'd terminal is the next pseudo-terminal after the main one's.
    let my_tty = if !ctx.stdout_tty {
        "?".to_string()
    } else if main_tty && !ctx.shell.pid1 {
        "pts/1".to_string()
    } else {
        "pts/0".to_string()
    };
    let started = |p: &Process| {
        let c = p.started.civil();
        format!("{:02}:{:02}", c.hour, c.minute)
    };
    let now = {
        let c = ctx.host.now().civil();
        format!("{:02}:{:02}", c.hour, c.minute)
    };
    let mut rows: Vec<Row> = processes
        .iter()
        .map(|p| Row {
            pid: p.pid,
            ppid: p.ppid,
            user: user_name(&p.user, &passwd),
            command: p.command.clone(),
            tty: if p.tty {
                "pts/0".to_string()
            } else {
                "?".to_string()
            },
            stat: if p.pid == 1 { "Ss" } else { "S" },
            started: started(p),
        })
        .collect();
    let mut next_pid = rows.iter().map(|r| r.pid).max().unwrap_or(0) + 1;
    let mut parent = 0;
    // The shell this ps was typed into, unless that shell is PID 1 itself.
    if ctx.stdout_tty && !ctx.shell.pid1 {
        let shell = ctx.shell.argv0.clone();
        rows.push(Row {
            pid: next_pid,
            ppid: 0,
            user: ctx.shell.user().to_string(),
            command: shell,
            tty: my_tty.clone(),
            stat: "Ss",
            started: now.clone(),
        });
        parent = next_pid;
        next_pid += 1;
    } else if ctx.shell.pid1 {
        parent = 1;
    }
    rows.push(Row {
        pid: next_pid,
        ppid: parent,
        user: ctx.shell.user().to_string(),
        command: args.join(" "),
        tty: my_tty.clone(),
        stat: if ctx.stdout_tty { "R+" } else { "Rs" },
        started: now,
    });
    let mut out = String::new();
    if ctx.shell.flavor == Flavor::Ash {
        out.push_str("PID   USER     TIME  COMMAND\n");
        for r in &rows {
            out.push_str(&format!(
                "{:>5} {:<8} {:>5} {}\n",
                r.pid,
                r.user.chars().take(8).collect::<String>(),
                "0:00",
                r.command
            ));
        }
        ctx.out(out);
        return Ok(0);
    }
    let words = &args[1..];
    let every = words.iter().any(|w| {
        let dashed = w.starts_with('-');
        (dashed && (w.contains('e') || w.contains('A'))) || (!dashed && w.contains('a'))
    });
    let full = words.iter().any(|w| w.starts_with('-') && w.contains('f'));
    let bsd_user = words.iter().any(|w| !w.starts_with('-') && w.contains('u'));
    if !every {
        let me = ctx.shell.user().to_string();
        rows.retain(|r| r.tty == my_tty && r.user == me);
    }
    if bsd_user {
        out.push_str(
            "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n",
        );
        for r in &rows {
            let (vsz, rss) = r.sizes();
            out.push_str(&format!(
                "{:<8} {:>7}  0.0  0.0 {vsz:>6} {rss:>5} {:<8} {:<4} {}   0:00 {}\n",
                r.user, r.pid, r.tty, r.stat, r.started, r.command
            ));
        }
    } else if full {
        out.push_str("UID          PID    PPID  C STIME TTY          TIME CMD\n");
        for r in &rows {
            out.push_str(&format!(
                "{:<8} {:>7} {:>7}  0 {} {:<8} 00:00:00 {}\n",
                r.user, r.pid, r.ppid, r.started, r.tty, r.command
            ));
        }
    } else {
        out.push_str("    PID TTY          TIME CMD\n");
        for r in &rows {
            out.push_str(&format!(
                "{:>7} {:<8} 00:00:00 {}\n",
                r.pid,
                r.tty,
                r.comm()
            ));
        }
    }
    ctx.out(out);
    Ok(0)
}
