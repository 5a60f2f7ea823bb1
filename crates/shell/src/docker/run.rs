//! `docker run` and `docker create`: flags to a ContainerCreate request,
//! pulling the image when it is missing ("Unable to find image…"), then
//! for `run` a ContainerStart and either the id (`-d`) or an attached
//! stream of the container's output until it exits.

use super::flags::Parsed;
use super::{pull, Invocation};
use crate::exec::Ctx;
use crate::job::{self, JobKind};
use std::collections::BTreeMap;
use tidepool_engine::api::{ContainerCreateRequest, Empty, MountSpec, PortBinding, RestartPolicy};
use tidepool_engine::{reference, EngineError};

/// Errors `run`/`create` print as `docker: <msg>` + the help pointer, 125.
fn fail(inv: &Invocation, msg: &str, ctx: &mut Ctx) -> i32 {
    ctx.errln(format!(
        "docker: {msg}\n\nRun '{} --help' for more information",
        inv.path()
    ));
    125
}

/// go-connections `ParsePortRange`.
fn port_range(s: &str) -> Option<(u16, u16)> {
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (a.parse::<u16>().ok()?, b.parse::<u16>().ok()?);
            (b >= a).then_some((a, b))
        }
        None => s.parse::<u16>().ok().map(|p| (p, p)),
    }
}

fn valid_ip(ip: &str) -> bool {
    if ip.contains(':') {
        return ip
            .split(':')
            .all(|p| p.len() <= 4 && p.bytes().all(|b| b.is_ascii_hexdigit()))
            && ip.matches("::").count() <= 1;
    }
    let parts: Vec<&str> = ip.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

/// go-connections `ParsePortSpec`: one `-p` value to (container port spec,
/// binding) pairs.
pub fn parse_port_spec(raw: &str) -> Result<Vec<(String, PortBinding)>, String> {
    let parts: Vec<&str> = raw.split(':').collect();
    let (ip, host, container) = match parts.len() {
        1 => (String::new(), "", parts[0]),
        2 => (String::new(), parts[0], parts[1]),
        3 => (parts[0].to_string(), parts[1], parts[2]),
        n => (parts[..n - 2].join(":"), parts[n - 2], parts[n - 1]),
    };
    let ip = ip.trim_start_matches('[').trim_end_matches(']').to_string();
    if !ip.is_empty() && !valid_ip(&ip) {
        return Err(format!("invalid IP address: {ip}"));
    }
    let (container, proto) = match container.split_once('/') {
        Some((c, p)) => (c, p.to_string()),
        None => (container, "tcp".to_string()),
    };
    if container.is_empty() {
        return Err(format!("no port specified: {raw}<empty>"));
    }
    let (start, end) =
        port_range(container).ok_or_else(|| format!("invalid containerPort: {container}"))?;
    let host_range = if host.is_empty() {
        None
    } else {
        Some(port_range(host).ok_or_else(|| format!("invalid hostPort: {host}"))?)
    };
    if let Some((hs, he)) = host_range {
        if end - start != he - hs && end != start {
            return Err(format!(
                "invalid ranges specified for container and host Ports: {container} and {host}"
            ));
        }
    }
    let proto = proto.to_lowercase();
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("invalid proto: {proto}"));
    }
    let mut out = Vec::new();
    for i in 0..=(end - start) {
        let host_port = match host_range {
            None => String::new(),
            Some((hs, he)) if he - hs == end - start => (hs + i).to_string(),
            Some(_) => host.to_string(),
        };
        out.push((
            format!("{}/{proto}", start + i),
            PortBinding {
                host_ip: ip.clone(),
                host_port,
            },
        ));
    }
    Ok(out)
}

pub fn parse_restart(s: &str) -> Result<RestartPolicy, String> {
    let (name, count) = match s.split_once(':') {
        Some((n, c)) => {
            let c = c.parse::<i64>().map_err(|_| {
                "invalid restart policy format: maximum retry count must be an integer".to_string()
            })?;
            (n, c)
        }
        None => (s, 0),
    };
    Ok(RestartPolicy {
        name: name.to_string(),
        maximum_retry_count: count,
    })
}

/// Builds the ContainerCreate body from run/create flags.
fn request(p: &Parsed, ctx: &mut Ctx) -> Result<(Option<String>, ContainerCreateRequest), String> {
    let mut req = ContainerCreateRequest::default();
    let c = &mut req.config;
    c.image = p.operands[0].clone();
    if p.operands.len() > 1 {
        c.cmd = Some(p.operands[1..].to_vec());
    }
    if let Some(e) = p.last("entrypoint") {
        c.entrypoint = Some(if e.is_empty() {
            Vec::new()
        } else {
            vec![e.to_string()]
        });
    }
    for line in env_file_lines(p, ctx)? {
        push_env(&mut c.env, &line, ctx.shell);
    }
    for e in p.all("env") {
        push_env(&mut c.env, &e, ctx.shell);
    }
    for file in p.all("label-file") {
        let path = ctx.path(&file);
        let text = crate::vfs::read_text(ctx.host.machine_fs(), &path)
            .map_err(|_| format!("open {file}: no such file or directory"))?;
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (k, v) = line.split_once('=').unwrap_or((line, ""));
            c.labels.insert(k.to_string(), v.to_string());
        }
    }
    check_namespace_modes(p)?;
    if p.last("log-driver") == Some("none") && p.has("log-opt") {
        return Err("invalid logging opts for driver none".into());
    }
    if p.all("storage-opt").iter().any(|o| !o.contains('=')) {
        return Err("invalid storage option".into());
    }
    if let Some(mac) = p.last("mac-address").filter(|m| !m.is_empty()) {
        if !valid_mac(mac) {
            return Err(format!("{mac} is not a valid mac address"));
        }
    }
    c.hostname = p.last("hostname").unwrap_or_default().to_string();
    c.working_dir = p.last("workdir").unwrap_or_default().to_string();
    c.user = p.last("user").unwrap_or_default().to_string();
    c.tty = p.flag("tty");
    c.open_stdin = p.flag("interactive");
    c.stop_signal = p.last("stop-signal").map(str::to_string);
    c.stop_timeout = p.last("stop-timeout").and_then(|t| t.parse().ok());
    for l in p.all("label") {
        let (k, v) = l.split_once('=').unwrap_or((l.as_str(), ""));
        c.labels.insert(k.to_string(), v.to_string());
    }
    for e in p.all("expose") {
        let (port, proto) = e.split_once('/').unwrap_or((e.as_str(), "tcp"));
        let (a, b) = port_range(port).ok_or_else(|| format!("invalid range format for --expose: {e}, error: strconv.ParseUint: parsing \"{port}\": invalid syntax"))?;
        for n in a..=b {
            c.exposed_ports.insert(format!("{n}/{proto}"), Empty {});
        }
    }
    let hc = &mut req.host_config;
    let mut bindings: BTreeMap<String, Vec<PortBinding>> = BTreeMap::new();
    for spec in p.all("publish") {
        for (port, binding) in parse_port_spec(&spec)? {
            req.config.exposed_ports.insert(port.clone(), Empty {});
            bindings.entry(port).or_default().push(binding);
        }
    }
    hc.port_bindings = bindings;
    hc.publish_all_ports = p.flag("publish-all");
    hc.auto_remove = p.flag("rm");
    hc.network_mode = p.last("network").unwrap_or_default().to_string();
    if let Some(r) = p.last("restart") {
        hc.restart_policy = parse_restart(r)?;
    }
    if hc.auto_remove && !matches!(hc.restart_policy.name.as_str(), "" | "no") {
        return Err("conflicting options: cannot specify both --restart and --rm".to_string());
    }
    for t in p.all("tmpfs") {
        let (path, options) = t.split_once(':').unwrap_or((t.as_str(), ""));
        hc.tmpfs.insert(path.to_string(), options.to_string());
    }
    let binds = p.all("volume");
    for bind in &binds {
        check_volume_spec(bind)?;
    }
    if !binds.is_empty() {
        req.host_config.binds = Some(binds.iter().map(|b| absolutize_bind(b, ctx)).collect());
    }
    for m in p.all("mount") {
        // The flag parser has already refused malformed values.
        if let Ok(mut spec) = parse_mount(&m) {
            // The CLI makes `./dir` and `.` absolute (opts/mount.go).
            if spec.source == "." || spec.source.starts_with("./") {
                spec.source = ctx.path(&spec.source);
            }
            req.host_config.mounts.push(spec);
        }
    }
    let aliases = p.all("network-alias");
    let mode = req.host_config.network_mode.as_str();
    let user_defined = !matches!(mode, "" | "default" | "bridge" | "host" | "none")
        && !mode.starts_with("container:");
    if !aliases.is_empty() && !user_defined {
        return Err("network-scoped aliases are only supported for user-defined networks".into());
    }
    let ip = p.last("ip").unwrap_or_default().to_string();
    if !aliases.is_empty() || !ip.is_empty() {
        let net = if req.host_config.network_mode.is_empty() {
            "bridge".to_string()
        } else {
            req.host_config.network_mode.clone()
        };
        req.networking_config.endpoints_config.insert(
            net,
            tidepool_engine::api::EndpointConfig {
                aliases,
                ipv4_address: ip,
            },
        );
    }
    if req.host_config.network_mode == "host" && !req.host_config.port_bindings.is_empty() {
        ctx.errln("WARNING: Published ports are discarded when using host network mode");
        req.host_config.port_bindings.clear();
    }
    let name = p.last("name").map(str::to_string);
    Ok((name, req))
}

/// `--pid`, `--uts`, `--userns` and `--cgroupns`: the modes the CLI knows.
fn check_namespace_modes(p: &Parsed) -> Result<(), String> {
    let pid = p.last("pid").unwrap_or_default();
    if !(matches!(pid, "" | "host") || pid.starts_with("container:")) {
        return Err("--pid: invalid PID mode".into());
    }
    if !matches!(p.last("uts").unwrap_or_default(), "" | "host") {
        return Err("--uts: invalid UTS mode".into());
    }
    if !matches!(p.last("userns").unwrap_or_default(), "" | "host") {
        return Err("--userns: invalid USER mode".into());
    }
    if !matches!(
        p.last("cgroupns").unwrap_or_default(),
        "" | "host" | "private"
    ) {
        return Err("--cgroupns: invalid CGROUP mode".into());
    }
    Ok(())
}

/// Six hex pairs split by `:` or `-` (what `net.ParseMAC` reads for
/// Ethernet).
fn valid_mac(mac: &str) -> bool {
    let parts: Vec<&str> = mac.split([':', '-']).collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The CLI's reading of `-v SRC:DST[:OPTIONS]` (compose's ParseVolume):
/// only the colons are its business; the daemon judges the rest.
fn check_volume_spec(spec: &str) -> Result<(), String> {
    if spec.is_empty() {
        return Err("invalid empty volume spec".to_string());
    }
    if spec.len() <= 2 {
        return Ok(());
    }
    let fields: Vec<&str> = spec.split(':').collect();
    let why = if fields.iter().any(|f| f.is_empty()) && fields.len() > 1 {
        // An empty field before a fourth one still reads as "empty".
        let first_empty = fields.iter().position(|f| f.is_empty()).unwrap_or(0);
        if first_empty >= 3 {
            "too many colons"
        } else {
            "empty section between colons"
        }
    } else if fields.len() > 3 {
        "too many colons"
    } else {
        return Ok(());
    };
    Err(format!("invalid spec: {spec}: {why}"))
}

/// `-v ./html:/usr/share/nginx/html`: docker resolves a relative bind
/// source against the client's working directory.
fn absolutize_bind(spec: &str, ctx: &Ctx) -> String {
    match spec.split_once(':') {
        Some((src, rest)) if src.starts_with('.') || src.starts_with('~') => {
            format!("{}:{rest}", ctx.path(src))
        }
        _ => spec.to_string(),
    }
}

/// The CLI's `--mount` parser (`opts/mount.go`): CSV `key=value` fields.
pub fn parse_mount(value: &str) -> Result<MountSpec, String> {
    let mut m = MountSpec {
        kind: "volume".into(),
        ..MountSpec::default()
    };
    // Which option families were given: each belongs to one mount type.
    let (mut volume_options, mut bind_options) = (false, false);
    for field in value.split(',') {
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k.to_lowercase(), v),
            None => {
                match field.to_lowercase().as_str() {
                    "readonly" | "ro" => m.read_only = true,
                    "volume-nocopy" => {
                        m.no_copy = true;
                        volume_options = true;
                    }
                    "bind-nonrecursive" => bind_options = true,
                    _ => return Err(format!("invalid field '{field}' must be a key=value pair")),
                }
                continue;
            }
        };
        let invalid = || format!("invalid value for {key}: {val}");
        let flag = || match val {
            "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(true),
            "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(false),
            _ => Err(invalid()),
        };
        match key.as_str() {
            "type" => m.kind = val.to_lowercase(),
            "source" | "src" => m.source = val.to_string(),
            "target" | "destination" | "dst" => m.target = val.to_string(),
            "readonly" | "ro" => m.read_only = flag()?,
            "volume-nocopy" => {
                m.no_copy =
                    flag().map_err(|_| format!("invalid value for volume-nocopy: {val}"))?;
                volume_options = true;
            }
            "consistency" => {}
            "bind-propagation" | "bind-recursive" => bind_options = true,
            "bind-nonrecursive" => {
                flag()?;
                bind_options = true;
            }
            "volume-driver" | "volume-label" | "volume-opt" | "volume-subpath" => {
                volume_options = true
            }
            "tmpfs-size" => {
                let size = super::flags::parse_bytes(val).ok_or_else(invalid)?;
                m.tmpfs_options
                    .get_or_insert_with(Default::default)
                    .size_bytes = size as i64;
            }
            "tmpfs-mode" => {
                let mode = Some(val)
                    .filter(|v| v.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|v| u32::from_str_radix(v, 8).ok())
                    .ok_or_else(invalid)?;
                m.tmpfs_options.get_or_insert_with(Default::default).mode = mode;
            }
            _ => return Err(format!("unexpected key '{key}' in '{field}'")),
        }
    }
    if m.kind.is_empty() {
        return Err("type is required".into());
    }
    if m.target.is_empty() {
        return Err("target is required".into());
    }
    let mixed = |family: &str| {
        format!(
            "cannot mix '{family}-*' options with mount type '{}'",
            m.kind
        )
    };
    if volume_options && m.kind != "volume" {
        return Err(mixed("volume"));
    }
    if bind_options && m.kind != "bind" {
        return Err(mixed("bind"));
    }
    if m.tmpfs_options.is_some() && m.kind != "tmpfs" {
        return Err(mixed("tmpfs"));
    }
    Ok(m)
}

/// The `--env-file`s' lines that set something (not blank, not `#`), in
/// order; the CLI's error for a file that is not there.
pub(super) fn env_file_lines(p: &Parsed, ctx: &Ctx) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    for file in p.all("env-file") {
        let path = ctx.path(&file);
        let text = crate::vfs::read_text(ctx.host.machine_fs(), &path)
            .map_err(|_| format!("open {file}: no such file or directory"))?;
        lines.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string),
        );
    }
    Ok(lines)
}

fn push_env(env: &mut Vec<String>, kv: &str, shell: &crate::exec::Shell) {
    if kv.contains('=') {
        env.push(kv.to_string());
    } else if let Some(v) = shell.exported.contains(kv).then(|| shell.var(kv)).flatten() {
        env.push(format!("{kv}={v}"));
    }
}

/// `--platform`, as containerd's `platforms.Parse` judges it on the
/// client: a lone word must name a known OS or architecture.
fn check_platform(platform: &str) -> Result<(), String> {
    const OS: [&str; 17] = [
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "js",
        "linux",
        "nacl",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
        "windows",
        "zos",
    ];
    const ARCH: [&str; 25] = [
        "386",
        "amd64",
        "amd64p32",
        "arm",
        "armbe",
        "arm64",
        "arm64be",
        "ppc64",
        "ppc64le",
        "loong64",
        "mips",
        "mipsle",
        "mips64",
        "mips64le",
        "mips64p32",
        "mips64p32le",
        "ppc",
        "riscv",
        "riscv64",
        "s390",
        "s390x",
        "sparc",
        "sparc64",
        "wasm",
        "i386",
    ];
    const ARCH_ALIASES: [&str; 6] = ["x86_64", "x86-64", "aarch64", "armhf", "armel", "macos"];
    if platform.contains('/') {
        return Ok(());
    }
    let word = platform.to_ascii_lowercase();
    if OS.contains(&word.as_str())
        || ARCH.contains(&word.as_str())
        || ARCH_ALIASES.contains(&word.as_str())
    {
        return Ok(());
    }
    Err(format!(
        "error parsing specified platform: \"{platform}\": unknown operating system or architecture: invalid argument"
    ))
}

/// Creates the container, pulling its image first if it is missing.
/// Returns the new id, or the exit code after printing the error.
fn create_container(inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> Result<String, i32> {
    // The CLI checks --pull before anything else.
    let pull_mode = p.last("pull").unwrap_or("missing");
    if !matches!(pull_mode, "always" | "missing" | "never" | "") {
        return Err(fail(
            inv,
            &format!("invalid pull option: '{pull_mode}': must be one of \"always\", \"missing\" or \"never\""),
            ctx,
        ));
    }
    let (name, req) = request(p, ctx).map_err(|m| fail(inv, &m, ctx))?;
    let cidfile = p
        .last("cidfile")
        .filter(|f| !f.is_empty())
        .map(|f| ctx.path(f));
    if let Some(path) = &cidfile {
        if ctx.host.machine_fs().exists(path) {
            return Err(fail(
                inv,
                &format!("container ID file found, make sure the other container isn't running or delete {path}"),
                ctx,
            ));
        }
    }
    if p.flag("detach") && p.has("attach") {
        ctx.errln("conflicting options: cannot specify both --attach and --detach");
        return Err(1);
    }
    if let Some(platform) = p.last("platform") {
        check_platform(platform).map_err(|m| fail(inv, &m, ctx))?;
    }
    let image = req.config.image.clone();
    // A reference that does not parse never reaches the daemon.
    reference::parse_normalized(&image).map_err(|e| fail(inv, &e.to_string(), ctx))?;
    if pull_mode == "always" {
        pull_for_run(inv, p, &image, ctx)?;
    }
    let created = create_or_pull(inv, p, ctx, name, req, pull_mode)?;
    if let Some(path) = cidfile {
        // `--cidfile`: the id, without a newline, as the CLI writes it.
        let _ = crate::vfs::write_bytes(
            ctx.host.machine_fs_mut(),
            &path,
            created.clone().into_bytes(),
        );
    }
    Ok(created)
}

/// The pull `run` and `create` make: its progress on stderr, or nothing
/// with `-q` (which keeps "Unable to find image" all the same).
fn pull_for_run(inv: &Invocation, p: &Parsed, image: &str, ctx: &mut Ctx) -> Result<(), i32> {
    let pulled = if p.flag("quiet") {
        ctx.host.image_pull(image).map(|_| ())
    } else {
        pull::pull_image(image, true, ctx)
    };
    pulled.map_err(|e| fail(inv, &format!("Error response from daemon: {e}"), ctx))
}

/// ContainerCreate, and on "No such image" the pull and a second try,
/// unless `--pull never`.
fn create_or_pull(
    inv: &Invocation,
    p: &Parsed,
    ctx: &mut Ctx,
    name: Option<String>,
    req: ContainerCreateRequest,
    pull_mode: &str,
) -> Result<String, i32> {
    let image = req.config.image.clone();
    match ctx.host.container_create(name.as_deref(), req.clone()) {
        Ok(r) => Ok(r.id),
        Err(EngineError::NoSuchImage(_)) if pull_mode != "never" => {
            let shown = reference::parse_normalized(&image)
                .map(|r| r.with_default_tag().familiar_string())
                .unwrap_or_else(|_| image.clone());
            ctx.errln(format!("Unable to find image '{shown}' locally"));
            pull_for_run(inv, p, &image, ctx)?;
            ctx.host
                .container_create(name.as_deref(), req)
                .map(|r| r.id)
                .map_err(|e| fail(inv, &format!("Error response from daemon: {e}"), ctx))
        }
        Err(e) => Err(fail(inv, &format!("Error response from daemon: {e}"), ctx)),
    }
}

pub fn create(inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    match create_container(inv, p, ctx) {
        Ok(id) => {
            ctx.outln(id);
            0
        }
        Err(code) => code,
    }
}

/// The CLI's exit code for a failed start: 127 when the command does not
/// exist, 126 when it cannot be run, 125 otherwise.
fn start_failure_code(msg: &str) -> i32 {
    if msg.contains("executable file not found") || msg.contains("no such file or directory") {
        127
    } else if msg.contains("permission denied") || msg.contains("is a directory") {
        126
    } else {
        125
    }
}

pub fn run(inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let detach = p.flag("detach");
    let id = match create_container(inv, p, ctx) {
        Ok(id) => id,
        Err(code) => return code,
    };
    if detach {
        ctx.outln(&id);
        if let Err(e) = ctx.host.container_start(&id) {
            let msg = e.to_string();
            ctx.errln(format!(
                "docker: Error response from daemon: {msg}\n\nRun '{} --help' for more information",
                inv.path()
            ));
            return start_failure_code(&msg);
        }
        super::exec::drive_main_process(&id, ctx);
        return 0;
    }
    let handle = match ctx.host.container_attach(&id) {
        Ok(h) => h,
        Err(e) => {
            super::daemon_error(&e, ctx);
            return 125;
        }
    };
    if let Err(e) = ctx.host.container_start(&id) {
        ctx.host.attach_close(handle);
        let msg = e.to_string();
        ctx.errln(format!(
            "docker: Error response from daemon: {msg}\n\nRun '{} --help' for more information",
            inv.path()
        ));
        return start_failure_code(&msg);
    }
    if p.flag("interactive") {
        if let Some(code) = open_main_shell(&id, handle, ctx) {
            return code;
        }
    }
    super::exec::drive_main_process(&id, ctx);
    let sig_proxy = !p.has("sig-proxy") || p.flag("sig-proxy");
    job::attach(
        JobKind::Attach {
            handle,
            container: id,
            sig_proxy,
        },
        ctx,
    )
}

/// `docker run -it ubuntu` / `docker start -ai`: when the container's main
/// process is a shell waiting for input, the terminal becomes that shell.
/// `None` when the main process is something else (it is attached as usual).
pub fn open_main_shell(id: &str, handle: u64, ctx: &mut Ctx) -> Option<i32> {
    let inspect = ctx.host.container_inspect(id).ok()?;
    if !inspect.args.is_empty() || !inspect.state.running {
        return None;
    }
    let target = ctx.host.exec_resolve(id, &inspect.path).ok()?;
    let program = target
        .program
        .split(':')
        .next()
        .unwrap_or_default()
        .to_string();
    if !super::exec::is_shell(&program) {
        return None;
    }
    let (early, _) = ctx.host.attach_read(handle);
    for e in early {
        ctx.out(e.text);
    }
    ctx.host.attach_close(handle);
    if !ctx.foreground_ok {
        // Nobody will type into it: its stdin closes and it exits.
        let _ = ctx.host.container_main_exit(id, 0);
        return Some(0);
    }
    let flavor = super::exec::flavor(&program, &target.container, ctx);
    let mut shell = crate::exec::Shell::for_container(
        flavor,
        &target.env,
        &target.working_dir,
        &target.hostname,
    );
    let passwd = super::exec::passwd_of(&target.container, ctx);
    shell.as_user(&target.user, &passwd);
    shell.argv0.clone_from(&inspect.path);
    shell.pid1 = true;
    ctx.new_session = Some(crate::Session {
        shell,
        container: target.container,
        main: true,
    });
    Some(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tidepool_engine::api::TmpfsOptions;

    #[test]
    fn tmpfs_mounts_parse_like_the_cli() {
        let m = parse_mount("type=tmpfs,dst=/cache,tmpfs-size=64m,tmpfs-mode=1770").unwrap();
        assert_eq!((m.kind.as_str(), m.target.as_str()), ("tmpfs", "/cache"));
        assert_eq!(
            m.tmpfs_options,
            Some(TmpfsOptions {
                size_bytes: 64 << 20,
                mode: 0o1770
            })
        );
        assert_eq!(
            parse_mount("type=tmpfs,dst=/x,tmpfs-mode=+7"),
            Err("invalid value for tmpfs-mode: +7".to_string())
        );
        assert_eq!(
            parse_mount("type=bind,src=/a,dst=/x,tmpfs-size=1k"),
            Err("cannot mix 'tmpfs-*' options with mount type 'bind'".to_string())
        );
        assert_eq!(
            parse_mount("Type=TMPFS,target=/x,RO").map(|m| (m.kind, m.read_only)),
            Ok(("tmpfs".to_string(), true))
        );
        assert_eq!(
            parse_mount("type"),
            Err("invalid field 'type' must be a key=value pair".to_string())
        );
    }
}
