//! Package managers inside containers: `apt-get`/`apt` (Debian, Ubuntu) and
//! `apk` (Alpine). Installing writes the package's executables into the
//! container's own layer (so `docker diff` shows them and a fresh container
//! from the same image does not have them) and takes virtual time.

use crate::exec::{Control, Ctx};
use tidepool_engine::fs::{Content, Meta, Node};
use tidepool_engine::Millis;

type R = Result<i32, Control>;

/// A package's executables: (path, simulated program).
type Executables = &'static [(&'static str, &'static str)];

/// Packages we know: name, executables, installed size.
const PACKAGES: &[(&str, Executables, u64)] = &[
    ("wget", &[("/usr/bin/wget", "wget")], 3_500_000),
    ("curl", &[("/usr/bin/curl", "curl")], 1_000_000),
    ("iputils-ping", &[("/usr/bin/ping", "ping")], 120_000),
    (
        "procps",
        &[("/usr/bin/ps", "ps"), ("/usr/bin/top", "top")],
        1_200_000,
    ),
    (
        "vim",
        &[("/usr/bin/vim", "vi"), ("/usr/bin/vi", "vi")],
        40_000_000,
    ),
    ("nano", &[("/usr/bin/nano", "vi")], 2_800_000),
    ("cowsay", &[("/usr/games/cowsay", "cowsay")], 90_000),
    ("net-tools", &[("/usr/sbin/ifconfig", "ifconfig")], 800_000),
    ("git", &[("/usr/bin/git", "git")], 45_000_000),
    ("tree", &[("/usr/bin/tree", "tree")], 110_000),
    (
        "python-dev",
        &[
            ("/usr/bin/python", "python"),
            ("/usr/bin/python2.7", "python"),
        ],
        31_000_000,
    ),
    ("python3", &[("/usr/bin/python3", "python")], 26_000_000),
    (
        "python3-pip",
        &[("/usr/bin/pip3", "pip"), ("/usr/bin/pip", "pip")],
        9_000_000,
    ),
    ("nodejs", &[("/usr/bin/node", "node")], 80_000_000),
    ("npm", &[("/usr/bin/npm", "npm")], 12_000_000),
    ("maven", &[("/usr/bin/mvn", "mvn")], 10_000_000),
    (
        "openjdk-17-jdk",
        &[("/usr/bin/java", "java"), ("/usr/bin/javac", "javac")],
        250_000_000,
    ),
];

fn install(ctx: &mut Ctx, name: &str) -> Option<u64> {
    let (_, files, size) = PACKAGES.iter().find(|(n, _, _)| *n == name)?;
    let (files, size) = (*files, *size);
    ctx.fs(|fs| {
        for (path, program) in files {
            let node = Node::File {
                meta: Meta::EXEC,
                content: Content::Placeholder {
                    size: size / files.len() as u64,
                    label: format!("package {name}"),
                },
                program: Some(program.to_string()),
            };
            let _ = fs.put(path, node);
        }
    });
    Some(size)
}

/// The shell runs as root (no `USER`, or `USER=root`).
pub(super) fn is_root(ctx: &Ctx) -> bool {
    ctx.shell.user() == "root"
}

pub fn apt_get(args: &[String], ctx: &mut Ctx) -> R {
    let apt = args[0].ends_with("apt");
    let ops: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with('-')).collect();
    let assume_yes = args
        .iter()
        .any(|a| a == "-y" || a == "--yes" || a == "-qy" || a == "-yq");
    if apt
        && matches!(
            ops.first().map(|s| s.as_str()),
            Some("update") | Some("install")
        )
    {
        ctx.errln(
            "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n",
        );
    }
    match ops.first().map(|s| s.as_str()) {
        Some("update") => {
            if !is_root(ctx) {
                ctx.errln("E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\nE: Unable to lock directory /var/lib/apt/lists/");
                return Ok(100);
            }
            ctx.pass_time(Millis(2_300));
            ctx.out(
                "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]\nGet:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]\nGet:3 http://deb.debian.org/debian-security bookworm-security InRelease [48.0 kB]\nGet:4 http://deb.debian.org/debian bookworm/main amd64 Packages [8792 kB]\nFetched 9047 kB in 2s (4521 kB/s)\nReading package lists... Done\n",
            );
            if apt {
                ctx.outln("Building dependency tree... Done\nReading state information... Done\nAll packages are up to date.");
            }
            Ok(0)
        }
        Some("install") => {
            if !is_root(ctx) {
                ctx.errln("E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?");
                return Ok(100);
            }
            let names: Vec<String> = ops[1..].iter().map(|s| s.to_string()).collect();
            ctx.outln("Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done");
            if let Some(missing) = names
                .iter()
                .find(|n| !PACKAGES.iter().any(|(p, _, _)| p == n))
            {
                ctx.errln(format!("E: Unable to locate package {missing}"));
                return Ok(100);
            }
            if names.is_empty() {
                ctx.outln("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.");
                return Ok(0);
            }
            if !assume_yes {
                ctx.outln(format!(
                    "The following NEW packages will be installed:\n  {}",
                    names.join(" ")
                ));
                ctx.outln(format!(
                    "0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.",
                    names.len()
                ));
                ctx.outln("Do you want to continue? [Y/n] Abort.");
                return Ok(1);
            }
            ctx.outln(format!(
                "The following NEW packages will be installed:\n  {}",
                names.join(" ")
            ));
            ctx.outln(format!(
                "0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.",
                names.len()
            ));
            for (i, n) in names.iter().enumerate() {
                ctx.pass_time(Millis(800));
                if let Some(size) = install(ctx, n) {
                    ctx.outln(format!(
                        "Get:{} http://deb.debian.org/debian bookworm/main amd64 {n} amd64 [{} kB]",
                        i + 1,
                        size / 4000
                    ));
                }
            }
            for n in &names {
                ctx.outln(format!("Selecting previously unselected package {n}.\nUnpacking {n} ...\nSetting up {n} ..."));
            }
            Ok(0)
        }
        Some(other) => {
            ctx.errln(format!("E: Invalid operation {other}"));
            Ok(100)
        }
        None => {
            ctx.outln(format!(
                "{} 2.6.1 (amd64)\nUsage: {} [options] command",
                args[0], args[0]
            ));
            Ok(1)
        }
    }
}

pub fn apk(args: &[String], ctx: &mut Ctx) -> R {
    let ops: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with('-')).collect();
    match ops.first().map(|s| s.as_str()) {
        Some("update") => {
            ctx.pass_time(Millis(1_200));
            ctx.outln("fetch https://dl-cdn.alpinelinux.org/alpine/v3.22/main/x86_64/APKINDEX.tar.gz\nfetch https://dl-cdn.alpinelinux.org/alpine/v3.22/community/x86_64/APKINDEX.tar.gz\nv3.22.0-1-g0d5ec3d8a4 [https://dl-cdn.alpinelinux.org/alpine/v3.22/main]\nOK: 26326 distinct packages available");
            Ok(0)
        }
        Some("add") => {
            let names: Vec<String> = ops[1..].iter().map(|s| s.to_string()).collect();
            if let Some(missing) = names
                .iter()
                .find(|n| !PACKAGES.iter().any(|(p, _, _)| p == n))
            {
                ctx.errln(format!("ERROR: unable to select packages:\n  {missing} (no such package):\n    required by: world[{missing}]"));
                return Ok(1);
            }
            for (i, n) in names.iter().enumerate() {
                ctx.pass_time(Millis(600));
                install(ctx, n);
                ctx.outln(format!("({}/{}) Installing {n}", i + 1, names.len()));
            }
            ctx.outln("Executing busybox-1.37.0-r18.trigger\nOK: 9 MiB in 18 packages");
            Ok(0)
        }
        _ => {
            ctx.outln("apk-tools 2.14.9, compiled for x86_64.\n\nusage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]");
            Ok(1)
        }
    }
}

/// `cowsay` as docker/whalesay ships it: the Docker whale says it.
pub fn cowsay(args: &[String], ctx: &mut Ctx) -> R {
    let text = if args.len() > 1 {
        args[1..].join(" ")
    } else {
        ctx.stdin.trim_end().to_string()
    };
    let width = crate::docker::table::display_width(&text);
    let mut out = String::new();
    out.push_str(&format!(" {} \n", "_".repeat(width + 2)));
    out.push_str(&format!("< {text} >\n"));
    out.push_str(&format!(" {} \n", "-".repeat(width + 2)));
    out.push_str(
        "    \\\n     \\\n      \\     \n                    ##        .            \n              ## ## ##       ==            \n           ## ## ## ##      ===            \n       /\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"___/ ===        \n  ~~~ {~~ ~~~~ ~~~ ~~~~ ~~ ~ /  ===- ~~~   \n       \\______ o          __/            \n        \\    \\        __/             \n          \\____\\______/   \n",
    );
    ctx.out(out);
    Ok(0)
}
