use super::*;
use crate::names;

impl Host {
    // ---- containers -----------------------------------------------------

    /// ContainerCreate. `name` is the `?name=` query parameter.
    pub fn container_create(
        &mut self,
        name: Option<&str>,
        req: ContainerCreateRequest,
    ) -> Result<ContainerCreateResponse> {
        if let Some(n) = name {
            if !valid_name(n) {
                return Err(EngineError::InvalidName(n.to_string()));
            }
            let bare = n.strip_prefix('/').unwrap_or(n);
            if let Some(other) = self.containers.values().find(|c| c.name == bare) {
                return Err(EngineError::NameConflict {
                    name: bare.to_string(),
                    id: other.id.clone(),
                });
            }
        }
        validate_restart_policy(&req.host_config)?;
        let image_id = self.resolve_image(&req.config.image)?;
        let Some(image) = self.images.image(&image_id).cloned() else {
            return Err(EngineError::NoSuchImage(req.config.image.clone()));
        };
        let config = merge_config(&image.config, req.config);
        let argv: Vec<String> = config
            .entrypoint
            .iter()
            .flatten()
            .chain(config.cmd.iter().flatten())
            .cloned()
            .collect();
        let Some((path, args)) = argv.split_first() else {
            return Err(EngineError::InvalidArgument(
                "no command specified".to_string(),
            ));
        };
        let mut id = self.rng.hex64();
        while self.containers.contains_key(&id) {
            id = self.rng.hex64();
        }
        let name = match name {
            Some(n) => n.strip_prefix('/').unwrap_or(n).to_string(),
            None => {
                let containers = &self.containers;
                names::generate(&mut self.rng, &id[..12], |n| {
                    containers.values().any(|c| c.name == n)
                })
            }
        };
        let mut c = Container::new(id.clone(), name, self.now);
        c.path = path.clone();
        c.args = args.to_vec();
        c.config = config;
        if c.config.hostname.is_empty() {
            c.config.hostname = id[..12].to_string();
        }
        let mut host_config = req.host_config;
        if host_config.network_mode.is_empty() {
            host_config.network_mode = "bridge".to_string();
        }
        for port in host_config.port_bindings.keys() {
            c.config.exposed_ports.entry(port.clone()).or_default();
        }
        c.host_config = host_config;
        c.image_id = image_id.clone();
        c.layers = self.images.layer_trees(&image_id);
        self.containers.insert(id.clone(), c);
        Ok(ContainerCreateResponse {
            id,
            warnings: Vec::new(),
        })
    }

    /// ContainerStart.
    pub fn container_start(&mut self, key: &str) -> Result<Change> {
        let id = self.find(key)?;
        let status = self.containers.get(&id).map(|c| c.state.status);
        match status {
            Some(Status::Paused) => return Err(EngineError::StartPaused),
            Some(Status::Running) => return Ok(Change::NotModified),
            Some(Status::Dead) | Some(Status::Removing) => {
                return Err(EngineError::Conflict(
                    "container is marked for removal and cannot be started".into(),
                ))
            }
            _ => {}
        }
        if let Some(c) = self.containers.get_mut(&id) {
            c.state.manually_stopped = false;
            c.state.restart_at = None;
            c.state.restart_delay = Millis(100);
        }
        self.launch(&id)?;
        Ok(Change::Done)
    }

    /// Binds ports, resolves the executable, and starts the process.
    pub(super) fn launch(&mut self, id: &str) -> Result<()> {
        let ports = self.allocate_ports(id)?;
        let Some(c) = self.containers.get_mut(id) else {
            return Err(EngineError::NoSuchContainer(id.to_string()));
        };
        let argv: Vec<String> = std::iter::once(c.path.clone())
            .chain(c.args.iter().cloned())
            .collect();
        let program = match resolve_program(c, &argv, self.now) {
            Ok(p) => p,
            Err(e) => {
                c.state.exit_code = 127;
                c.state.error = e.to_string();
                if c.state.status == Status::Restarting {
                    c.state.status = Status::Exited;
                    c.state.finished_at = Some(self.now);
                }
                return Err(e);
            }
        };
        if c.ip_address.is_empty() && c.host_config.network_mode == "bridge" {
            c.ip_address = format!("172.17.0.{}", self.next_ip);
            self.next_ip = self.next_ip.wrapping_add(1).max(2);
        }
        c.ports = ports;
        c.process = Some(program);
        c.state.status = Status::Running;
        c.state.started_at = Some(self.now);
        c.state.finished_at = None;
        c.state.exit_code = 0;
        c.state.error.clear();
        let flow = self.with_process(id, |p, io| p.start(io));
        self.apply_flow(id, flow);
        Ok(())
    }

    /// Runs `f` on a container's process with its `Io`, recording output.
    pub(super) fn with_process(
        &mut self,
        id: &str,
        f: impl FnOnce(&mut Box<dyn programs::Program>, &mut Io) -> Flow,
    ) -> Flow {
        let now = self.now;
        let Some(c) = self.containers.get_mut(id) else {
            return Flow::Running;
        };
        let Some(mut process) = c.process.take() else {
            return Flow::Running;
        };
        let mut output = Vec::new();
        let flow = {
            let fs = c.rootfs();
            let mut io = Io {
                now,
                fs: &fs,
                env: &c.config.env,
                hostname: &c.config.hostname,
                output: &mut output,
            };
            f(&mut process, &mut io)
        };
        c.process = Some(process);
        for a in self.attachments.values_mut().filter(|a| a.container == id) {
            a.pending.extend(output.iter().cloned());
        }
        c.logs.extend(output);
        flow
    }

    pub(super) fn apply_flow(&mut self, id: &str, mut flow: Flow) {
        // `exec` chains are short (entrypoint → server); bound them anyway.
        for _ in 0..16 {
            match flow {
                Flow::Running => return,
                Flow::Exit(code) => return self.process_exited(id, code),
                Flow::Exec(argv) => {
                    let now = self.now;
                    let Some(c) = self.containers.get_mut(id) else {
                        return;
                    };
                    match resolve_program(c, &argv, now) {
                        Ok(p) => {
                            c.process = Some(p);
                            flow = self.with_process(id, |p, io| p.start(io));
                        }
                        Err(e) => {
                            let msg = match &e {
                                EngineError::ExecFailed(m) => m.clone(),
                                other => other.to_string(),
                            };
                            c.logs.push(LogEntry {
                                time: now,
                                stream: programs::Stream::Stderr,
                                text: format!("{msg}\n"),
                            });
                            flow = Flow::Exit(127);
                        }
                    }
                }
            }
        }
        self.process_exited(id, 126);
    }

    /// The process ended by itself or by a signal: record it, free ports,
    /// and let the restart policy or `--rm` decide what happens next.
    fn process_exited(&mut self, id: &str, code: i32) {
        let now = self.now;
        let Some(c) = self.containers.get_mut(id) else {
            return;
        };
        c.process = None;
        c.ports.clear();
        c.state.exit_code = code;
        c.state.finished_at = Some(now);
        c.state.paused_at = None;
        let policy = c.host_config.restart_policy.clone();
        for a in self.attachments.values_mut().filter(|a| a.container == id) {
            a.exit = Some(code);
        }
        let ran_for = now - c.state.started_at.unwrap_or(now);
        if ran_for >= Millis::from_secs(10) {
            c.state.restart_delay = Millis(100);
        }
        let restart = !c.state.manually_stopped
            && match policy.name.as_str() {
                "always" | "unless-stopped" => true,
                "on-failure" => {
                    code != 0
                        && (policy.maximum_retry_count == 0
                            || i64::from(c.state.restart_count) < policy.maximum_retry_count)
                }
                _ => false,
            };
        if restart {
            c.state.status = Status::Restarting;
            c.state.restart_at = Some(now + c.state.restart_delay);
            c.state.restart_delay = Millis((c.state.restart_delay.0 * 2).min(60_000));
            return;
        }
        c.state.status = Status::Exited;
        if c.host_config.auto_remove {
            self.containers.remove(id);
        }
    }

    fn allocate_ports(&mut self, id: &str) -> Result<Vec<PublishedPort>> {
        let Some(c) = self.containers.get(id) else {
            return Ok(Vec::new());
        };
        let mut wanted: Vec<(String, String, u16, String)> = Vec::new();
        for (spec, bindings) in &c.host_config.port_bindings {
            let (port, proto) = spec.split_once('/').unwrap_or((spec.as_str(), "tcp"));
            let Ok(container_port) = port.parse::<u16>() else {
                continue;
            };
            for b in bindings {
                wanted.push((
                    b.host_ip.clone(),
                    b.host_port.clone(),
                    container_port,
                    proto.to_string(),
                ));
            }
        }
        if c.host_config.publish_all_ports {
            for spec in c.config.exposed_ports.keys() {
                if c.host_config.port_bindings.contains_key(spec) {
                    continue;
                }
                let (port, proto) = spec.split_once('/').unwrap_or((spec.as_str(), "tcp"));
                if let Ok(p) = port.parse::<u16>() {
                    wanted.push((String::new(), String::new(), p, proto.to_string()));
                }
            }
        }
        let name = c.name.clone();
        let endpoint_id = c.id.clone();
        let in_use: Vec<PublishedPort> = self
            .containers
            .values()
            .filter(|o| o.id != id && o.state.is_running())
            .flat_map(|o| o.ports.iter().cloned())
            .collect();
        let mut taken: Vec<PublishedPort> = Vec::new();
        let overlaps =
            |a: &str, b: &str| a == b || a == "0.0.0.0" || b == "0.0.0.0" || a == "::" || b == "::";
        let family = |ip: &str| if ip.contains(':') { 6 } else { 4 };
        let mut out = Vec::new();
        for (host_ip, host_port, container_port, proto) in wanted {
            let ips: Vec<String> = if host_ip.is_empty() {
                vec!["0.0.0.0".into(), "::".into()]
            } else {
                vec![host_ip.clone()]
            };
            let busy = |port: u16, ip: &str, taken: &[PublishedPort]| {
                in_use.iter().chain(taken.iter()).any(|p| {
                    p.host_port == port
                        && p.proto == proto
                        && family(&p.host_ip) == family(ip)
                        && overlaps(&p.host_ip, ip)
                })
            };
            let port = if host_port.is_empty() {
                let mut chosen = 0;
                for _ in 0..1000 {
                    let candidate = 32768 + self.rng.below(60999 - 32768) as u16;
                    if !ips.iter().any(|ip| busy(candidate, ip, &taken)) {
                        chosen = candidate;
                        break;
                    }
                }
                chosen
            } else {
                let (lo, hi) = match host_port.split_once('-') {
                    Some((a, b)) => (a.parse::<u16>().unwrap_or(0), b.parse::<u16>().unwrap_or(0)),
                    None => {
                        let p = host_port.parse::<u16>().unwrap_or(0);
                        (p, p)
                    }
                };
                match (lo..=hi).find(|p| !ips.iter().any(|ip| busy(*p, ip, &taken))) {
                    Some(p) => p,
                    None => {
                        let shown = if host_ip.is_empty() {
                            "0.0.0.0".to_string()
                        } else {
                            host_ip.clone()
                        };
                        return Err(EngineError::PortAllocated {
                            endpoint: name,
                            endpoint_id,
                            host_ip: shown,
                            host_port: lo,
                        });
                    }
                }
            };
            for ip in ips {
                let p = PublishedPort {
                    host_ip: ip,
                    host_port: port,
                    container_port,
                    proto: proto.clone(),
                };
                taken.push(p.clone());
                out.push(p);
            }
        }
        Ok(out)
    }

    /// ContainerStop: the stop signal, up to `timeout` seconds of grace
    /// (virtual time passes for everyone), then SIGKILL.
    pub fn container_stop(
        &mut self,
        key: &str,
        timeout: Option<i64>,
        signal: Option<Signal>,
    ) -> Result<Change> {
        let id = self.find(key)?;
        let Some(c) = self.containers.get_mut(&id) else {
            return Err(EngineError::NoSuchContainer(key.to_string()));
        };
        if c.state.status == Status::Restarting {
            c.state.manually_stopped = true;
            c.state.restart_at = None;
            c.state.status = Status::Exited;
            return Ok(Change::Done);
        }
        if !c.state.is_running() {
            return Ok(Change::NotModified);
        }
        c.state.manually_stopped = true;
        let sig = signal
            .or_else(|| c.config.stop_signal.as_deref().and_then(Signal::parse))
            .unwrap_or(Signal::Term);
        let grace = timeout
            .or(c.config.stop_timeout)
            .unwrap_or(DEFAULT_STOP_TIMEOUT);
        let paused = c.state.status == Status::Paused;
        if !paused {
            let flow = self.with_process(&id, |p, io| p.signal(sig, io));
            self.apply_flow(&id, flow);
        }
        let still_running = |h: &Host| h.containers.get(&id).is_none_or(|c| !c.state.is_running());
        let stopped = if grace < 0 {
            // `-t -1` waits as long as it takes; a day of virtual time is ours.
            self.run_until(self.now + Millis::from_secs(86_400), still_running)
        } else {
            self.run_until(self.now + Millis::from_secs(grace as u64), still_running)
        };
        if !stopped {
            self.kill_now(&id);
        }
        Ok(Change::Done)
    }

    fn kill_now(&mut self, id: &str) {
        if let Some(c) = self.containers.get_mut(id) {
            c.state.manually_stopped = true;
        }
        self.process_exited(id, 128 + Signal::Kill.number());
    }

    /// ContainerKill.
    pub fn container_kill(&mut self, key: &str, signal: Signal) -> Result<()> {
        let id = self.find(key)?;
        let Some(c) = self.containers.get_mut(&id) else {
            return Err(EngineError::NoSuchContainer(key.to_string()));
        };
        if !c.state.is_running() {
            return Err(EngineError::KillNotRunning {
                name: c.name.clone(),
                id: c.id.clone(),
            });
        }
        c.state.manually_stopped = true;
        if signal == Signal::Kill || c.state.status == Status::Paused {
            self.kill_now(&id);
            return Ok(());
        }
        let flow = self.with_process(&id, |p, io| p.signal(signal, io));
        self.apply_flow(&id, flow);
        Ok(())
    }

    /// ContainerDelete. `key` is echoed in errors exactly as typed.
    pub fn container_delete(&mut self, key: &str, force: bool) -> Result<()> {
        let id = self.find(key)?;
        let Some(c) = self.containers.get(&id) else {
            return Err(EngineError::NoSuchContainer(key.to_string()));
        };
        if c.state.is_running() && !force {
            if c.state.status == Status::Paused {
                return Err(EngineError::RemovePaused(key.to_string()));
            }
            return Err(EngineError::RemoveRunning(key.to_string()));
        }
        if c.state.is_running() {
            self.kill_now(&id);
        }
        self.containers.remove(&id);
        Ok(())
    }

    /// ContainerList, newest first, filtered as the daemon filters.
    pub fn container_list(&self, opts: &ContainerListOptions) -> Result<Vec<ContainerSummary>> {
        const KEYS: [&str; 15] = [
            "ancestor",
            "before",
            "expose",
            "exited",
            "health",
            "id",
            "isolation",
            "is-task",
            "label",
            "name",
            "network",
            "publish",
            "since",
            "status",
            "volume",
        ];
        const STATES: [&str; 7] = [
            "created",
            "running",
            "paused",
            "restarting",
            "removing",
            "exited",
            "dead",
        ];
        for (key, values) in &opts.filters {
            if !KEYS.contains(&key.as_str()) {
                return Err(EngineError::InvalidArgument(format!(
                    "invalid filter '{key}'"
                )));
            }
            for v in values {
                if key == "status" && !STATES.contains(&v.as_str()) {
                    return Err(EngineError::InvalidArgument(format!(
                        "invalid filter 'status={v}': invalid value for state ({v}): must be one of {}",
                        STATES.join(", ")
                    )));
                }
                if key == "exited" && v.parse::<i32>().is_err() {
                    return Err(EngineError::InvalidArgument(format!(
                        "invalid filter 'exited={v}'"
                    )));
                }
                if (key == "publish" || key == "expose") && v.contains(':') {
                    return Err(EngineError::InvalidArgument(format!(
                        "filter for '{key}' should not contain ':': {v}"
                    )));
                }
            }
        }
        let f = |k: &str| opts.filters.get(k).filter(|v| !v.is_empty());
        let mut all = opts.all || f("status").is_some() || opts.limit.is_some();
        if f("exited").is_some() && !opts.all {
            all = opts.all;
        }
        let mut list: Vec<&Container> = self.containers.values().collect();
        list.sort_by(|a, b| b.created.cmp(&a.created).then(b.id.cmp(&a.id)));
        let before = match f("before").and_then(|v| v.first()) {
            Some(k) => Some(self.container(k)?.created),
            None => None,
        };
        let since = match f("since").and_then(|v| v.first()) {
            Some(k) => Some(self.container(k)?.created),
            None => None,
        };
        let ancestors: Option<Vec<String>> = f("ancestor").map(|vals| {
            vals.iter()
                .filter_map(|v| self.resolve_image(v).ok())
                .collect()
        });
        let regex_match = |pattern: &str, text: &str| {
            text == pattern || text.contains(pattern) || simple_regex(pattern, text)
        };
        let mut out = Vec::new();
        for c in list {
            let running = c.state.is_running() || c.state.status == Status::Restarting;
            if !all && !running {
                continue;
            }
            if let Some(v) = f("status") {
                if !v.iter().any(|s| s == c.state.status.as_str()) {
                    continue;
                }
            }
            if let Some(v) = f("name") {
                let slashed = format!("/{}", c.name);
                if !v
                    .iter()
                    .any(|p| regex_match(p, &c.name) || regex_match(p, &slashed))
                {
                    continue;
                }
            }
            if let Some(v) = f("id") {
                if !v
                    .iter()
                    .any(|p| c.id.starts_with(p.as_str()) || regex_match(p, &c.id))
                {
                    continue;
                }
            }
            if let Some(v) = f("exited") {
                let exited = c.state.status == Status::Exited && c.state.started_at.is_some();
                if !exited
                    || !v
                        .iter()
                        .any(|code| code.parse::<i32>() == Ok(c.state.exit_code))
                {
                    continue;
                }
            }
            if let Some(v) = f("label") {
                let ok = v.iter().all(|l| match l.split_once('=') {
                    Some((k, val)) => c.config.labels.get(k).is_some_and(|x| x == val),
                    None => c.config.labels.contains_key(l),
                });
                if !ok {
                    continue;
                }
            }
            if let Some(ids) = &ancestors {
                if !ids.contains(&c.image_id) {
                    continue;
                }
            }
            if before.is_some_and(|t| c.created >= t) || since.is_some_and(|t| c.created <= t) {
                continue;
            }
            if let Some(v) = f("publish") {
                let ok = v.iter().any(|spec| {
                    let (port, proto) = spec.split_once('/').unwrap_or((spec.as_str(), "tcp"));
                    c.ports
                        .iter()
                        .any(|p| p.host_port.to_string() == port && p.proto == proto)
                });
                if !ok {
                    continue;
                }
            }
            if let Some(v) = f("expose") {
                let ok = v.iter().any(|spec| {
                    let key = if spec.contains('/') {
                        spec.clone()
                    } else {
                        format!("{spec}/tcp")
                    };
                    c.config.exposed_ports.contains_key(&key)
                });
                if !ok {
                    continue;
                }
            }
            if let Some(v) = f("network") {
                if !v.contains(&c.host_config.network_mode) {
                    continue;
                }
            }
            if let Some(v) = f("health") {
                if !v.iter().any(|h| h == "none") {
                    continue;
                }
            }
            out.push(self.summary(c));
            if opts.limit.is_some_and(|n| out.len() >= n) {
                break;
            }
        }
        Ok(out)
    }

    fn summary(&self, c: &Container) -> ContainerSummary {
        let mut ports: Vec<Port> = Vec::new();
        if c.state.is_running() {
            for p in &c.ports {
                ports.push(Port {
                    ip: Some(p.host_ip.clone()),
                    private_port: p.container_port,
                    public_port: Some(p.host_port),
                    kind: p.proto.clone(),
                });
            }
            for spec in c.config.exposed_ports.keys() {
                let (port, proto) = spec.split_once('/').unwrap_or((spec.as_str(), "tcp"));
                let Ok(port) = port.parse::<u16>() else {
                    continue;
                };
                if !c
                    .ports
                    .iter()
                    .any(|p| p.container_port == port && p.proto == proto)
                {
                    ports.push(Port {
                        ip: None,
                        private_port: port,
                        public_port: None,
                        kind: proto.to_string(),
                    });
                }
            }
        }
        ContainerSummary {
            id: c.id.clone(),
            names: vec![format!("/{}", c.name)],
            image: c.config.image.clone(),
            image_id: c.image_id.clone(),
            command: c.command_line(),
            created: c.created.unix_secs() as i64,
            ports,
            labels: c.config.labels.clone(),
            state: c.state.status.as_str().to_string(),
            status: c.state.describe(self.now),
        }
    }

    /// ContainerAttach: opens a stream of the container's output from now on.
    pub fn container_attach(&mut self, key: &str) -> Result<u64> {
        let id = self.find(key)?;
        let handle = self.next_attachment;
        self.next_attachment += 1;
        self.attachments.insert(
            handle,
            Attachment {
                container: id,
                pending: Vec::new(),
                exit: None,
            },
        );
        Ok(handle)
    }

    /// Takes what an attach stream has received, and the exit code once
    /// the container has stopped (the stream's end).
    pub fn attach_read(&mut self, handle: u64) -> (Vec<LogEntry>, Option<i32>) {
        match self.attachments.get_mut(&handle) {
            Some(a) => (std::mem::take(&mut a.pending), a.exit),
            None => (Vec::new(), Some(0)),
        }
    }

    pub fn attach_close(&mut self, handle: u64) {
        self.attachments.remove(&handle);
    }

    /// The container's full id, for a name or id prefix.
    pub fn container_id(&self, key: &str) -> Result<String> {
        self.find(key)
    }

    /// Whether the container is running (or restarting).
    pub fn container_running(&self, key: &str) -> bool {
        self.container(key)
            .is_ok_and(|c| c.state.is_running() || c.state.status == Status::Restarting)
    }

    /// Sends a signal the way `docker run`'s signal proxy does: to the
    /// process, quietly doing nothing if it is not running.
    pub fn proxy_signal(&mut self, key: &str, signal: Signal) {
        let Ok(id) = self.find(key) else { return };
        let running = self
            .containers
            .get(&id)
            .is_some_and(|c| c.state.status == Status::Running);
        if running {
            let flow = self.with_process(&id, |p, io| p.signal(signal, io));
            self.apply_flow(&id, flow);
        }
    }

    /// ContainerLogs: everything the container's processes wrote.
    pub fn container_logs(&self, key: &str) -> Result<Vec<LogEntry>> {
        Ok(self.container(key)?.logs.clone())
    }

    /// ContainerWait: blocks (in virtual time) until the container is not
    /// running, for at most `limit`. `None` when it is still running.
    pub fn container_wait(&mut self, key: &str, limit: Millis) -> Result<Option<WaitResponse>> {
        let id = self.find(key)?;
        let finished = |h: &Host| {
            h.containers
                .get(&id)
                .is_none_or(|c| !c.state.is_running() && c.state.status != Status::Restarting)
        };
        let done = self.run_until(self.now + limit, finished);
        if !done {
            return Ok(None);
        }
        let code = self
            .containers
            .get(&id)
            .map(|c| c.state.exit_code)
            .unwrap_or(0);
        Ok(Some(WaitResponse {
            status_code: i64::from(code),
        }))
    }
}

/// The regular expressions people use in name filters: `^` and `$`
/// anchors around a literal.
fn simple_regex(pattern: &str, text: &str) -> bool {
    let anchored_start = pattern.starts_with('^');
    let anchored_end = pattern.ends_with('$') && !pattern.ends_with("\\$");
    let core = pattern.trim_start_matches('^').trim_end_matches('$');
    if core.contains(['*', '+', '?', '[', '(', '|', '.', '\\']) {
        return false;
    }
    match (anchored_start, anchored_end) {
        (true, true) => text == core,
        (true, false) => text.starts_with(core),
        (false, true) => text.ends_with(core),
        (false, false) => text.contains(core),
    }
}

/// Valid container names: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, optional leading `/`.
fn valid_name(name: &str) -> bool {
    let n = name.strip_prefix('/').unwrap_or(name);
    let b = n.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

fn validate_restart_policy(hc: &HostConfig) -> Result<()> {
    let p = &hc.restart_policy;
    match p.name.as_str() {
        "" | "no" | "always" | "unless-stopped" | "on-failure" => {}
        other => return Err(EngineError::InvalidArgument(format!("invalid restart policy: unknown policy '{other}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"))),
    }
    if p.maximum_retry_count != 0 && p.name != "on-failure" {
        return Err(EngineError::InvalidArgument(
            "invalid restart policy: maximum retry count can only be used with 'on-failure'".into(),
        ));
    }
    if p.maximum_retry_count < 0 {
        return Err(EngineError::InvalidArgument(
            "invalid restart policy: maximum retry count must be a positive integer".into(),
        ));
    }
    if hc.auto_remove && !matches!(p.name.as_str(), "" | "no") {
        return Err(EngineError::Conflict(
            "conflicting options: cannot specify both --restart and --rm".into(),
        ));
    }
    Ok(())
}

/// The daemon's merge of image config under the request's config: the
/// request wins where it says something; Cmd is reset when Entrypoint is
/// overridden.
fn merge_config(image: &ContainerConfig, mut req: ContainerConfig) -> ContainerConfig {
    if req.entrypoint.is_none() {
        req.entrypoint = image.entrypoint.clone();
        if req.cmd.is_none() {
            req.cmd = image.cmd.clone();
        }
    }
    if req.working_dir.is_empty() {
        req.working_dir = image.working_dir.clone();
    }
    if req.user.is_empty() {
        req.user = image.user.clone();
    }
    if req.stop_signal.is_none() {
        req.stop_signal = image.stop_signal.clone();
    }
    let mut env = image.env.clone();
    for kv in &req.env {
        let key = kv.split('=').next().unwrap_or(kv);
        env.retain(|e| e.split('=').next() != Some(key));
        env.push(kv.clone());
    }
    req.env = env;
    for (p, e) in &image.exposed_ports {
        req.exposed_ports
            .entry(p.clone())
            .or_insert_with(|| e.clone());
    }
    for (k, v) in &image.labels {
        req.labels.entry(k.clone()).or_insert_with(|| v.clone());
    }
    if req.volumes.is_none() {
        req.volumes = image.volumes.clone();
    }
    req
}

/// Finds the executable `argv[0]` names in the container's filesystem and
/// makes its program, or fails the way runc does.
fn resolve_program(
    c: &Container,
    argv: &[String],
    now: Timestamp,
) -> Result<Box<dyn programs::Program>> {
    let Some(cmd) = argv.first() else {
        return Err(EngineError::ExecFailed(
            "exec: \"\": executable file not found in $PATH".into(),
        ));
    };
    let fs = c.rootfs();
    let found = if cmd.contains('/') {
        let path = crate::fs::normalize(
            if c.config.working_dir.is_empty() {
                "/"
            } else {
                &c.config.working_dir
            },
            cmd,
        );
        let real = fs.resolve(&path);
        match fs.get(&real) {
            Some(node) => Some((real, node)),
            None => {
                return Err(EngineError::ExecFailed(format!(
                    "exec: \"{cmd}\": stat {cmd}: no such file or directory"
                )))
            }
        }
    } else {
        let path_var = c
            .config
            .env
            .iter()
            .find_map(|e| e.strip_prefix("PATH="))
            .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        path_var.split(':').find_map(|dir| {
            let real = fs.resolve(&format!("{dir}/{cmd}"));
            fs.get(&real)
                .filter(|n| matches!(n, Node::File { .. }))
                .map(|n| (real, n))
        })
    };
    let Some((_, node)) = found else {
        return Err(EngineError::ExecFailed(format!(
            "exec: \"{cmd}\": executable file not found in $PATH"
        )));
    };
    match node {
        Node::File {
            program: Some(spec),
            ..
        } => match programs::spawn(spec, argv, now) {
            Some(p) => Ok(p),
            None => Err(EngineError::ExecFailed(format!(
                "exec: \"{cmd}\": tidepool does not simulate {spec} yet"
            ))),
        },
        Node::Dir { .. } => Err(EngineError::ExecFailed(format!(
            "exec: \"{cmd}\": is a directory"
        ))),
        _ => Err(EngineError::ExecFailed(format!(
            "exec: \"{cmd}\": permission denied"
        ))),
    }
}
