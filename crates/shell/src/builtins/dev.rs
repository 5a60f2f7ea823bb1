//! The build tools Dockerfiles run: `npm install` / `npm run build`, `pip
//! install`, `mvn package`, `go build`, and `adduser` / `useradd`. They
//! read the project files a COPY brought in and write what the real tools
//! would (node_modules, site-packages, target/*.jar, a binary), with
//! realistic sizes, so layers and multi-stage builds have real weight.

use super::packages::is_root;
use crate::exec::{Control, Ctx};
use tidepool_engine::fs::{Content, Meta, Node};
use tidepool_engine::image::sha256_digest;
use tidepool_engine::Millis;

type R = Result<i32, Control>;

fn read(ctx: &mut Ctx, path: &str) -> Option<String> {
    let p = ctx.path(path);
    ctx.fs(|fs| crate::vfs::read_text(&*fs, &p).ok())
}

fn put(ctx: &mut Ctx, path: &str, node: Node) {
    let p = ctx.path(path);
    ctx.fs(|fs| {
        let _ = fs.put(&p, node);
    });
}

fn blob(size: u64, label: &str, program: Option<&str>) -> Node {
    Node::File {
        meta: if program.is_some() {
            Meta::EXEC
        } else {
            Meta::FILE
        },
        content: Content::Placeholder {
            size,
            label: label.to_string(),
        },
        program: program.map(str::to_string),
    }
}

/// A stable number in `lo..hi` for a name: package counts and sizes.
fn spread(name: &str, lo: u64, hi: u64) -> u64 {
    let h = sha256_digest(name.as_bytes());
    let n = u64::from_str_radix(&h[7..15], 16).unwrap_or(0);
    lo + n % (hi - lo).max(1)
}

/// The writable check a non-root user meets outside its home and /tmp.
fn denied(ctx: &Ctx, path: &str) -> bool {
    if is_root(ctx) {
        return false;
    }
    let home = ctx.shell.home();
    !(path.starts_with(&home) || path.starts_with("/tmp"))
}

// ---- npm ------------------------------------------------------------------

fn package_json(ctx: &mut Ctx) -> Result<serde_json::Value, i32> {
    let cwd = ctx.shell.cwd.clone();
    let Some(text) = read(ctx, "package.json") else {
        let path = format!("{}/package.json", cwd.trim_end_matches('/'));
        ctx.errln(format!(
            "npm error code ENOENT\nnpm error syscall open\nnpm error path {path}\nnpm error errno -2\nnpm error enoent Could not read package.json: Error: ENOENT: no such file or directory, open '{path}'\nnpm error enoent This is related to npm not being able to find a file.\nnpm error enoent\nnpm error A complete log of this run can be found in: /root/.npm/_logs/2025-06-02T09_00_00_000Z-debug-0.log"
        ));
        return Err(254);
    };
    serde_json::from_str(&text).map_err(|e| {
        ctx.errln(format!(
            "npm error code EJSONPARSE\nnpm error JSON.parse Invalid package.json: JSONParseError: {e}\nnpm error JSON.parse Failed to parse JSON data.\nnpm error JSON.parse Note: package.json must be actual JSON, not just JavaScript."
        ));
        1
    })
}

pub fn npm(args: &[String], ctx: &mut Ctx) -> R {
    let sub = args.get(1).map(String::as_str).unwrap_or("");
    match sub {
        "install" | "i" | "ci" | "add" => npm_install(args, ctx),
        "run" | "run-script" => npm_run(args.get(2).map(String::as_str), ctx),
        "start" | "test" | "build" => npm_run(Some(sub), ctx),
        "-v" | "--version" => {
            ctx.outln("10.9.2");
            Ok(0)
        }
        "" => {
            ctx.outln("npm <command>\n\nUsage:\n\nnpm install        install all the dependencies in your project\nnpm install <foo>  add the <foo> dependency to your project\nnpm test           run this project's tests\nnpm run <foo>      run the script named <foo>\nnpm <command> -h   quick help on <command>\nnpm -l             display usage info for all commands\nnpm help <term>    search for help on <term>\nnpm help npm       more involved overview\n\nnpm@10.9.2 /usr/local/lib/node_modules/npm");
            Ok(1)
        }
        other => {
            ctx.errln(format!("Unknown command: \"{other}\"\n\nTo see a list of supported npm commands, run:\n  npm help"));
            Ok(1)
        }
    }
}

fn npm_install(args: &[String], ctx: &mut Ctx) -> R {
    let pkg = match package_json(ctx) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let cwd = ctx.shell.cwd.clone();
    if denied(ctx, &cwd) {
        ctx.errln(format!("npm error code EACCES\nnpm error syscall mkdir\nnpm error path {cwd}/node_modules\nnpm error errno -13\nnpm error Error: EACCES: permission denied, mkdir '{cwd}/node_modules'"));
        return Ok(243);
    }
    let production = args
        .iter()
        .any(|a| a == "--production" || a == "--omit=dev");
    let mut deps: Vec<String> = Vec::new();
    let mut sections = vec!["dependencies"];
    if !production {
        sections.push("devDependencies");
    }
    for section in sections {
        if let Some(map) = pkg.get(section).and_then(|d| d.as_object()) {
            deps.extend(map.keys().cloned());
        }
    }
    deps.extend(args[2..].iter().filter(|a| !a.starts_with('-')).cloned());
    let mut total = 0;
    for d in &deps {
        let count = spread(d, 1, 60);
        total += count;
        let size = spread(&format!("{d}-size"), 40_000, 2_500_000);
        put(
            ctx,
            &format!("node_modules/{d}/package.json"),
            Node::file(format!("{{\"name\":\"{d}\"}}\n")),
        );
        put(
            ctx,
            &format!("node_modules/{d}/index.js"),
            blob(size, &format!("npm package {d}"), None),
        );
        for i in 1..count.min(8) {
            let dep = format!("{d}-dep{i}");
            put(
                ctx,
                &format!("node_modules/{dep}/index.js"),
                blob(size / 4, &format!("npm package {dep}"), None),
            );
        }
    }
    put(
        ctx,
        "package-lock.json",
        Node::file(format!("{{\"lockfileVersion\":3,\"packages\":{total}}}\n")),
    );
    ctx.pass_time(Millis(800 + 60 * total));
    let secs = (800 + 60 * total).div_ceil(1000);
    if total == 0 {
        ctx.outln(format!(
            "\nup to date, audited 1 package in {secs}s\n\nfound 0 vulnerabilities"
        ));
    } else {
        let funding = total / 8;
        let mut text = format!(
            "\nadded {total} packages, and audited {} packages in {secs}s\n",
            total + 1
        );
        if funding > 0 {
            text.push_str(&format!(
                "\n{funding} package{} looking for funding\n  run `npm fund` for details\n",
                if funding == 1 { " is" } else { "s are" }
            ));
        }
        text.push_str("\nfound 0 vulnerabilities");
        ctx.outln(text);
    }
    if ctx.shell.var("NODE_VERSION").is_some() && !args.iter().any(|a| a == "--no-update-notifier")
    {
        ctx.errln("npm notice\nnpm notice New major version of npm available! 10.9.2 -> 11.4.1\nnpm notice Changelog: https://github.com/npm/cli/releases/tag/v11.4.1\nnpm notice To update run: npm install -g npm@11.4.1\nnpm notice");
    }
    Ok(0)
}

fn npm_run(script: Option<&str>, ctx: &mut Ctx) -> R {
    let pkg = match package_json(ctx) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let name = pkg
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or("app")
        .to_string();
    let version = pkg
        .get("version")
        .and_then(|v| v.as_str())
        .unwrap_or("1.0.0")
        .to_string();
    let Some(script) = script else {
        ctx.outln(format!("Lifecycle scripts included in {name}@{version}:"));
        return Ok(0);
    };
    let Some(command) = pkg
        .get("scripts")
        .and_then(|s| s.get(script))
        .and_then(|v| v.as_str())
        .map(str::to_string)
    else {
        ctx.errln(format!("npm error Missing script: \"{script}\"\nnpm error\nnpm error To see a list of scripts, run:\nnpm error   npm run"));
        return Ok(1);
    };
    ctx.outln(format!("\n> {name}@{version} {script}\n> {command}\n"));
    let bundler = command
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    if matches!(
        bundler.as_str(),
        "vite" | "webpack" | "react-scripts" | "tsc" | "ng" | "vue-cli-service" | "next"
    ) {
        let modules = format!("{}/node_modules", ctx.shell.cwd.trim_end_matches('/'));
        if !ctx.fs(|fs| fs.is_dir(&modules)) {
            ctx.errln(format!("sh: 1: {bundler}: not found"));
            return Ok(127);
        }
        let out = if bundler == "react-scripts" {
            "build"
        } else {
            "dist"
        };
        ctx.pass_time(Millis(2_400));
        put(ctx, &format!("{out}/index.html"), Node::file(format!("<!doctype html>\n<html><head><title>{name}</title><script type=\"module\" src=\"/assets/index.js\"></script></head><body><div id=\"app\"></div></body></html>\n")));
        put(
            ctx,
            &format!("{out}/assets/index.js"),
            blob(spread(&name, 140_000, 420_000), "bundled javascript", None),
        );
        ctx.outln(format!("{bundler} building for production...\n✓ 42 modules transformed.\n{out}/index.html                 0.46 kB │ gzip:  0.30 kB\n{out}/assets/index.js         143.36 kB │ gzip: 46.27 kB\n✓ built in 2.40s"));
        return Ok(0);
    }
    // Anything else runs as a shell command line.
    let (status, chunks) = ctx.run_nested(&command, String::new());
    for (fd, text) in chunks {
        if fd == 1 {
            ctx.out(text);
        } else {
            ctx.err(text);
        }
    }
    Ok(status)
}

// ---- pip ------------------------------------------------------------------

pub fn pip(args: &[String], ctx: &mut Ctx) -> R {
    if args.get(1).map(String::as_str) != Some("install") {
        match args.get(1).map(String::as_str) {
            Some("--version") | Some("-V") => {
                ctx.outln(
                    "pip 25.1.1 from /usr/local/lib/python3.13/site-packages/pip (python 3.13)",
                );
                return Ok(0);
            }
            Some("list") | Some("freeze") => return Ok(0),
            _ => {
                ctx.errln("\nUsage:   \n  pip <command> [options]\n\nno such option or command");
                return Ok(2);
            }
        }
    }
    let mut wanted: Vec<String> = Vec::new();
    let mut i = 2;
    while i < args.len() {
        let a = &args[i];
        if a == "-r" || a == "--requirement" {
            let Some(file) = args.get(i + 1) else {
                ctx.errln("\nUsage:   \n  pip install [options] <requirement specifier> [package-index-options] ...\n\n-r option requires 1 argument");
                return Ok(2);
            };
            let Some(text) = read(ctx, file) else {
                ctx.errln(format!("ERROR: Could not open requirements file: [Errno 2] No such file or directory: '{file}'"));
                return Ok(1);
            };
            wanted.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_string),
            );
            i += 2;
            continue;
        }
        if !a.starts_with('-') {
            wanted.push(a.clone());
        }
        i += 1;
    }
    if wanted.is_empty() {
        ctx.errln(
            "ERROR: You must give at least one requirement to install (see \"pip help install\")",
        );
        return Ok(1);
    }
    let site = "/usr/local/lib/python3.13/site-packages";
    if denied(ctx, site) && !args.iter().any(|a| a == "--user") {
        ctx.errln(format!("ERROR: Could not install packages due to an OSError: [Errno 13] Permission denied: '{site}'\nConsider using the `--user` option or check the permissions.\n"));
        return Ok(1);
    }
    let mut installed = Vec::new();
    for spec in &wanted {
        let name: String = spec
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || *c == '.')
            .collect();
        let version = spec
            .split("==")
            .nth(1)
            .map(str::to_string)
            .unwrap_or_else(|| {
                format!(
                    "{}.{}.{}",
                    spread(&name, 1, 4),
                    spread(&format!("{name}m"), 0, 12),
                    spread(&format!("{name}p"), 0, 9)
                )
            });
        let size = spread(&name, 60_000, 9_000_000);
        ctx.outln(format!(
            "Collecting {spec}\n  Downloading {}-{version}-py3-none-any.whl.metadata (2.9 kB)",
            name.replace('-', "_")
        ));
        let shown = if size >= 1_000_000 {
            format!("{:.1} MB", size as f64 / 1e6)
        } else {
            format!("{} kB", size / 1000)
        };
        ctx.outln(format!(
            "Downloading {}-{version}-py3-none-any.whl ({shown})",
            name.replace('-', "_")
        ));
        put(
            ctx,
            &format!(
                "{site}/{}/__init__.py",
                name.replace('-', "_").to_lowercase()
            ),
            blob(size, &format!("python package {name}"), None),
        );
        installed.push(format!("{name}-{version}"));
        ctx.pass_time(Millis(300));
    }
    ctx.outln(format!(
        "Installing collected packages: {}",
        installed
            .iter()
            .map(|p| p.rsplit_once('-').map(|(n, _)| n).unwrap_or(p))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    ctx.outln(format!("Successfully installed {}", installed.join(" ")));
    if is_root(ctx) {
        ctx.errln("WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager, possibly rendering your system unusable. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv. Use the --root-user-action option if you know what you are doing and want to suppress this warning.");
    }
    Ok(0)
}

// ---- maven and go ----------------------------------------------------------

fn xml_tag(text: &str, tag: &str) -> Option<String> {
    // The project's own tag, not a dependency's: the first one before
    // <dependencies> or <parent> sections is good enough for a pom.
    let mut body = text.to_string();
    for section in ["parent", "dependencies", "build", "dependencyManagement"] {
        while let (Some(a), Some(b)) = (
            body.find(&format!("<{section}>")),
            body.find(&format!("</{section}>")),
        ) {
            if b < a {
                break;
            }
            body.replace_range(a..b + section.len() + 3, "");
        }
    }
    let start = body.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = body[start..].find(&format!("</{tag}>"))? + start;
    Some(body[start..end].trim().to_string())
}

pub fn mvn(args: &[String], ctx: &mut Ctx) -> R {
    let goals: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with('-')).collect();
    if args.iter().any(|a| a == "-v" || a == "--version") {
        ctx.outln("Apache Maven 3.9.9 (8e8579a9e76f7d015ee5ec7bfcdc97d260186937)\nMaven home: /usr/share/maven\nJava version: 17.0.15, vendor: Eclipse Adoptium, runtime: /opt/java/openjdk");
        return Ok(0);
    }
    ctx.outln("[INFO] Scanning for projects...");
    let Some(pom) = read(ctx, "pom.xml") else {
        let cwd = ctx.shell.cwd.clone();
        ctx.outln(format!("[INFO] ------------------------------------------------------------------------\n[INFO] BUILD FAILURE\n[INFO] ------------------------------------------------------------------------\n[ERROR] The goal you specified requires a project to execute but there is no POM in this directory ({cwd}). Please verify you invoked Maven from the correct directory. -> [Help 1]"));
        return Ok(1);
    };
    if goals.is_empty() {
        ctx.outln("[ERROR] No goals have been specified for this build. -> [Help 1]");
        return Ok(1);
    }
    let artifact = xml_tag(&pom, "artifactId").unwrap_or_else(|| "app".into());
    let version = xml_tag(&pom, "version").unwrap_or_else(|| "0.0.1-SNAPSHOT".into());
    let packaging = goals
        .iter()
        .any(|g| matches!(g.as_str(), "package" | "install" | "verify"));
    ctx.outln(format!("[INFO] \n[INFO] ------------------------< com.example:{artifact} >------------------------\n[INFO] Building {artifact} {version}\n[INFO]   from pom.xml\n[INFO] --------------------------------[ jar ]---------------------------------"));
    // The local repository fills with plugins and dependencies.
    if !ctx.fs(|fs| fs.exists("/root/.m2/repository")) {
        ctx.outln("[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/springframework/boot/spring-boot-starter-parent/3.5.0/spring-boot-starter-parent-3.5.0.pom");
        for (i, lib) in [
            "spring-boot",
            "spring-core",
            "spring-web",
            "tomcat-embed-core",
            "jackson-databind",
            "maven-plugins",
        ]
        .iter()
        .enumerate()
        {
            put(
                ctx,
                &format!("/root/.m2/repository/{lib}/{lib}.jar"),
                blob(
                    spread(lib, 8_000_000, 30_000_000) + i as u64,
                    &format!("maven artifact {lib}"),
                    None,
                ),
            );
        }
        ctx.pass_time(Millis(6_000));
    }
    ctx.outln("[INFO] \n[INFO] --- compiler:3.14.0:compile (default-compile) @ ".to_string() + &artifact + " ---\n[INFO] Compiling 3 source files with javac [debug parameters release 17] to target/classes");
    put(
        ctx,
        "target/classes/com/example/Application.class",
        blob(2_400, "compiled class", None),
    );
    ctx.pass_time(Millis(2_500));
    let skip_tests = args
        .iter()
        .any(|a| a == "-DskipTests" || a.starts_with("-Dmaven.test.skip"));
    if packaging {
        if skip_tests {
            ctx.outln(
                "[INFO] \n[INFO] --- surefire:3.5.3:test (default-test) @ ".to_string()
                    + &artifact
                    + " ---\n[INFO] Tests are skipped.",
            );
        } else {
            ctx.outln(
                "[INFO] \n[INFO] --- surefire:3.5.3:test (default-test) @ ".to_string()
                    + &artifact
                    + " ---\n[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0",
            );
            ctx.pass_time(Millis(3_000));
        }
        let jar = format!("target/{artifact}-{version}.jar");
        put(
            ctx,
            &jar,
            blob(
                spread(&artifact, 19_000_000, 24_000_000),
                "spring boot jar",
                Some(&format!("webapp:8080:{artifact}")),
            ),
        );
        ctx.outln(format!("[INFO] \n[INFO] --- jar:3.4.1:jar (default-jar) @ {artifact} ---\n[INFO] Building jar: {}/{jar}\n[INFO] \n[INFO] --- spring-boot:3.5.0:repackage (repackage) @ {artifact} ---\n[INFO] Replacing main artifact {}/{jar} with repackaged archive", ctx.shell.cwd.trim_end_matches('/'), ctx.shell.cwd.trim_end_matches('/')));
    }
    ctx.outln("[INFO] ------------------------------------------------------------------------\n[INFO] BUILD SUCCESS\n[INFO] ------------------------------------------------------------------------\n[INFO] Total time:  14.212 s\n[INFO] ------------------------------------------------------------------------");
    Ok(0)
}

pub fn go(args: &[String], ctx: &mut Ctx) -> R {
    match args.get(1).map(String::as_str) {
        Some("build") => {
            let out = args.windows(2).find(|w| w[0] == "-o").map(|w| w[1].clone());
            let module = read(ctx, "go.mod").and_then(|t| {
                t.lines()
                    .find_map(|l| l.strip_prefix("module ").map(|m| m.trim().to_string()))
            });
            let Some(module) = module else {
                ctx.errln("go: go.mod file not found in current directory or any parent directory; see 'go help modules'");
                return Ok(1);
            };
            let name =
                out.unwrap_or_else(|| module.rsplit('/').next().unwrap_or("app").to_string());
            ctx.pass_time(Millis(4_000));
            put(
                ctx,
                &name,
                blob(
                    spread(&module, 7_000_000, 12_000_000),
                    "go binary",
                    Some(&format!("webapp:8080:{module}")),
                ),
            );
            Ok(0)
        }
        Some("version") => {
            ctx.outln("go version go1.24.3 linux/amd64");
            Ok(0)
        }
        _ => {
            ctx.errln(
                "Go is a tool for managing Go source code.\n\nUsage:\n\n\tgo <command> [arguments]",
            );
            Ok(2)
        }
    }
}

// ---- users ----------------------------------------------------------------

pub fn adduser(args: &[String], ctx: &mut Ctx) -> R {
    let useradd = args[0].ends_with("useradd");
    let mut name = None;
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        if matches!(
            a.as_str(),
            "--gecos"
                | "--home"
                | "--shell"
                | "--uid"
                | "--gid"
                | "--ingroup"
                | "-s"
                | "-d"
                | "-u"
                | "-g"
                | "-G"
                | "-c"
        ) {
            i += 2;
            continue;
        }
        if !a.starts_with('-') {
            name = Some(a.clone());
        }
        i += 1;
    }
    let Some(name) = name else {
        if useradd {
            ctx.errln("Usage: useradd [options] LOGIN");
        } else {
            ctx.errln("adduser: Only one or two names allowed.");
        }
        return Ok(if useradd { 2 } else { 1 });
    };
    if !is_root(ctx) {
        ctx.errln(if useradd {
            "useradd: Permission denied.\nuseradd: cannot lock /etc/passwd; try again later."
        } else {
            "adduser: Only root may add a user or group to the system."
        });
        return Ok(1);
    }
    let passwd = read(ctx, "/etc/passwd").unwrap_or_default();
    if passwd
        .lines()
        .any(|l| l.split(':').next() == Some(name.as_str()))
    {
        ctx.errln(if useradd {
            format!("useradd: user '{name}' already exists")
        } else {
            format!("adduser: The user `{name}' already exists.")
        });
        return Ok(if useradd { 9 } else { 1 });
    }
    let uid = passwd
        .lines()
        .filter_map(|l| l.split(':').nth(2).and_then(|u| u.parse::<u32>().ok()))
        .filter(|u| (1000..60000).contains(u))
        .max()
        .map(|u| u + 1)
        .unwrap_or(1000);
    let make_home = !useradd || args.iter().any(|a| a == "-m" || a == "--create-home");
    let home = format!("/home/{name}");
    let mut text = passwd;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!(
        "{name}:x:{uid}:{uid}:,,,:{home}:/bin/{}\n",
        if useradd { "sh" } else { "bash" }
    ));
    put(ctx, "/etc/passwd", Node::file(text));
    let mut group = read(ctx, "/etc/group").unwrap_or_default();
    group.push_str(&format!("{name}:x:{uid}:\n"));
    put(ctx, "/etc/group", Node::file(group));
    if make_home {
        put(
            ctx,
            &home,
            Node::Dir {
                meta: Meta {
                    mode: 0o750,
                    uid,
                    gid: uid,
                },
                opaque: false,
            },
        );
    }
    if !useradd {
        let quiet = args.iter().any(|a| a == "--quiet" || a == "-q");
        if !quiet {
            ctx.outln(format!("Adding user `{name}' ...\nAdding new group `{name}' ({uid}) ...\nAdding new user `{name}' ({uid}) with group `{name}' ...\nCreating home directory `{home}' ...\nCopying files from `/etc/skel' ..."));
        }
    }
    Ok(0)
}
