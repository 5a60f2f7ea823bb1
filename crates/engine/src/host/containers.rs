use super::*;
use crate::names;
use std::collections::HashMap;

impl Host {
    // ---- containers -----------------------------------------------------

    /// ContainerCreate. `name` is the `?name=` query parameter.
    pub fn container_create(
        &mut self,
        name: Option<&str>,
        req: ContainerCreateRequest,
    ) -> Result<ContainerCreateResponse> {
        self.api(
            "POST",
            format!(
                "/containers/create{}",
                name.map(|n| format!("?name={n}")).unwrap_or_default()
            ),
        );
        if let Some(n) = name {
            if !valid_name(n) {
                return Err(EngineError::InvalidName(n.to_string()));
            }
            let bare = n.strip_prefix('/').unwrap_or(n);
            if let Some(other) = self.names.get(bare).and_then(|id| self.containers.get(id)) {
                return Err(EngineError::NameConflict {
                    name: bare.to_string(),
                    id: other.id.clone(),
                });
            }
        }
        self.validate_mounts(&req.host_config)?;
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
                let taken = &self.names;
                names::generate(&mut self.rng, &id[..12], |n| taken.contains_key(n))
            }
        };
        let mut c = Container::new(id.clone(), name, self.now);
        c.seq = self.next_seq;
        self.next_seq += 1;
        c.path = path.clone();
        c.args = args.to_vec();
        c.config = config;
        if c.config.hostname.is_empty() {
            // On the host's network the container has the host's name.
            c.config.hostname = if req.host_config.network_mode == "host" {
                self.machine_hostname()
            } else {
                id[..12].to_string()
            };
        }
        let mut host_config = req.host_config;
        if host_config.network_mode.is_empty() {
            host_config.network_mode = "bridge".to_string();
        }
        for port in host_config.port_bindings.keys() {
            c.config.exposed_ports.entry(port.clone()).or_default();
        }
        let wanted = match host_config.network_mode.as_str() {
            "default" => "bridge".to_string(),
            other => other.to_string(),
        };
        let network = self.find_network(&wanted)?;
        if let Some(ep) = req.networking_config.endpoints_config.get(&wanted) {
            c.aliases.insert(network.clone(), ep.aliases.clone());
            if !ep.ipv4_address.is_empty() {
                self.check_static_ip(&network, &ep.ipv4_address)?;
                c.static_ips
                    .insert(network.clone(), ep.ipv4_address.clone());
            }
        }
        c.networks = vec![network];
        c.image_id = image_id.clone();
        c.layers = self.images.layer_trees(&image_id);
        let binds = host_config.binds.clone().unwrap_or_default();
        let image_volumes: Vec<String> = c
            .config
            .volumes
            .iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .collect();
        c.mounts = self.prepare_mounts(
            &binds,
            &host_config.mounts,
            &host_config.tmpfs,
            &image_volumes,
            &c.layers,
        )?;
        c.host_config = host_config;
        self.names.insert(c.name.clone(), id.clone());
        self.containers.insert(id.clone(), c);
        self.emit("container", "create", &id, BTreeMap::new());
        Ok(ContainerCreateResponse {
            id,
            warnings: Vec::new(),
        })
    }

    /// ContainerStart.
    pub fn container_start(&mut self, key: &str) -> Result<Change> {
        self.api("POST", format!("/containers/{key}/start"));
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
        if let Err(e) = self.launch(&id) {
            // moby cleans up an auto-remove container whose start failed.
            if self
                .containers
                .get(&id)
                .is_some_and(|c| c.host_config.auto_remove)
            {
                self.remove_container(&id, true);
            }
            return Err(e);
        }
        Ok(Change::Done)
    }

    /// Binds ports, resolves the executable, and starts the process.
    pub(super) fn launch(&mut self, id: &str) -> Result<()> {
        if let Some(msg) = self.user_problem(id) {
            // The daemon builds the process spec before runc runs: the
            // container stays as it was, with the error recorded.
            if let Some(c) = self.containers.get_mut(id) {
                c.state.error = msg.clone();
                c.state.exit_code = 128;
            }
            return Err(EngineError::InvalidArgument(msg));
        }
        let joined = self
            .containers
            .get(id)
            .map(|c| c.networks.clone())
            .unwrap_or_default();
        if joined.iter().any(|n| self.static_ip_in_use(id, n)) {
            if let Some(c) = self.containers.get_mut(id) {
                c.state.error = EngineError::AddressInUse.to_string();
                c.state.exit_code = 128;
            }
            return Err(EngineError::AddressInUse);
        }
        let ports = self.allocate_ports(id)?;
        let Some(c) = self.containers.get_mut(id) else {
            return Err(EngineError::NoSuchContainer(id.to_string()));
        };
        let argv: Vec<String> = std::iter::once(c.path.clone())
            .chain(c.args.iter().cloned())
            .collect();
        c.mount_tmpfs();
        let program = match resolve_program(c, &self.machine, &argv, self.now) {
            Ok(p) => p,
            Err(e) => {
                c.unmount_tmpfs();
                c.state.exit_code = 127;
                c.state.error = e.to_string();
                if c.state.status == Status::Restarting {
                    c.state.status = Status::Exited;
                    c.state.finished_at = Some(self.now);
                }
                return Err(e);
            }
        };
        c.ports = ports;
        c.process = Some(program);
        c.state.status = Status::Running;
        c.state.started_at = Some(self.now);
        c.state.finished_at = None;
        c.state.exit_code = 0;
        c.state.error.clear();
        let networks = c.networks.clone();
        for n in networks {
            self.attach_endpoint(id, &n);
        }
        self.write_network_files(id);
        self.emit("container", "start", id, BTreeMap::new());
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
        let peers = self.peers_of(id);
        let Some(c) = self.containers.get_mut(id) else {
            return Flow::Running;
        };
        let Some(mut process) = c.process.take() else {
            return Flow::Running;
        };
        let mut output = Vec::new();
        let flow = {
            let peers = &peers;
            let fs = c.view(&self.machine);
            let mut io = Io {
                now,
                fs: &fs,
                env: &c.config.env,
                hostname: &c.config.hostname,
                cwd: if c.config.working_dir.is_empty() {
                    "/"
                } else {
                    &c.config.working_dir
                },
                interactive: c.config.open_stdin,
                peers,
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
                    match resolve_program(c, &self.machine, &argv, now) {
                        Ok(p) => {
                            c.process = Some(p);
                            flow = self.with_process(id, |p, io| p.start(io));
                        }
                        Err(e) => {
                            let shell_says = argv
                                .first()
                                .and_then(|cmd| c.process.as_ref()?.exec_not_found(cmd));
                            let msg = match (shell_says, &e) {
                                (Some(m), _) => m,
                                (None, EngineError::ExecFailed(m)) => m.clone(),
                                (None, other) => other.to_string(),
                            };
                            let entry = LogEntry {
                                time: now,
                                stream: programs::Stream::Stderr,
                                text: format!("{msg}\n"),
                            };
                            // An attached `docker run` shows it as it happens.
                            for a in self.attachments.values_mut().filter(|a| a.container == id) {
                                a.pending.push(entry.clone());
                            }
                            c.logs.push(entry);
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
        let attrs = BTreeMap::from([("exitCode".to_string(), code.to_string())]);
        self.emit("container", "die", id, attrs);
        let now = self.now;
        let Some(c) = self.containers.get_mut(id) else {
            return;
        };
        c.process = None;
        c.ports.clear();
        c.endpoints.clear();
        c.unmount_tmpfs();
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
            self.remove_container(id, true);
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
        self.api("POST", format!("/containers/{key}/stop"));
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
            self.emit_kill(&id, sig);
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
        self.emit("container", "stop", &id, BTreeMap::new());
        Ok(Change::Done)
    }

    fn emit_kill(&mut self, id: &str, sig: Signal) {
        let attrs = BTreeMap::from([("signal".to_string(), sig.number().to_string())]);
        self.emit("container", "kill", id, attrs);
    }

    fn kill_now(&mut self, id: &str) {
        if let Some(c) = self.containers.get_mut(id) {
            c.state.manually_stopped = true;
        }
        self.emit_kill(id, Signal::Kill);
        self.process_exited(id, 128 + Signal::Kill.number());
    }

    /// ContainerKill.
    pub fn container_kill(&mut self, key: &str, signal: Signal) -> Result<()> {
        self.api("POST", format!("/containers/{key}/kill"));
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
        self.emit_kill(&id, signal);
        let flow = self.with_process(&id, |p, io| p.signal(signal, io));
        self.apply_flow(&id, flow);
        Ok(())
    }

    /// ContainerDelete; `remove_volumes` also removes its anonymous volumes.
    /// `key` is echoed in errors exactly as typed.
    pub fn container_delete(&mut self, key: &str, force: bool, remove_volumes: bool) -> Result<()> {
        self.api(
            "DELETE",
            format!("/containers/{key}{}", if force { "?force=1" } else { "" }),
        );
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
        self.remove_container(&id, remove_volumes);
        Ok(())
    }

    /// Drops a container record, and with `remove_volumes` the anonymous
    /// volumes only it used.
    fn remove_container(&mut self, id: &str, remove_volumes: bool) {
        self.emit("container", "destroy", id, BTreeMap::new());
        let Some(c) = self.containers.remove(id) else {
            return;
        };
        self.names.remove(&c.name);
        // A registry container's own storage goes with it (a volume's stays).
        self.private_registries.remove(&format!("container:{id}"));
        if remove_volumes {
            for m in c
                .mounts
                .iter()
                .filter(|m| m.kind == crate::container::MountKind::Volume)
            {
                if self.volume_is_anonymous(&m.source) {
                    let _ = self.volume_remove(&m.source, false);
                }
            }
        }
    }

    /// ContainerList, newest first, filtered as the daemon filters.
    pub fn container_list(&self, opts: &ContainerListOptions) -> Result<Vec<ContainerSummary>> {
        self.api(
            "GET",
            if opts.all {
                "/containers/json?all=1"
            } else {
                "/containers/json"
            },
        );
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
        // Newest first, sorted on copies of the keys: comparing through the
        // records themselves is slow for thousands of them.
        let mut list: Vec<(Timestamp, u64, &Container)> = self
            .containers
            .values()
            .map(|c| (c.created, c.seq, c))
            .collect();
        list.sort_by_key(|&(created, seq, _)| std::cmp::Reverse((created, seq)));
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
        let regex_match = crate::filters::matches;
        // Containers mostly share a few image names: each is resolved once.
        // (Neighbours in the list often share one: that is checked first.)
        let mut images: HashMap<&str, Option<String>> = HashMap::new();
        let mut last_image: Option<(&str, Option<String>)> = None;
        let mut labels = SharedRun::default();
        let mut networks: SharedRun<BTreeMap<String, EndpointSettings>> = SharedRun::default();
        let mut out = Vec::with_capacity(list.len());
        for (_, _, c) in list {
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
                if !v.iter().any(|n| c.networks.contains(n)) {
                    continue;
                }
            }
            if let Some(v) = f("volume") {
                // A volume's name, a bind mount's source, or where either
                // is mounted.
                let mounted = v.iter().any(|want| {
                    c.mounts.iter().any(|m| {
                        &m.destination == want
                            || (m.kind == crate::container::MountKind::Volume && &m.source == want)
                            || (m.kind != crate::container::MountKind::Volume && &m.data == want)
                    })
                });
                if !mounted {
                    continue;
                }
            }
            if let Some(v) = f("health") {
                if !v.iter().any(|h| h == "none") {
                    continue;
                }
            }
            let image = c.config.image.as_str();
            if last_image.as_ref().is_none_or(|(name, _)| *name != image) {
                let id = images
                    .entry(image)
                    .or_insert_with(|| self.resolve_image(image).ok())
                    .clone();
                last_image = Some((image, id));
            }
            let resolved = last_image.as_ref().and_then(|(_, id)| id.as_deref());
            let mut summary = self.summary(c, resolved);
            summary.labels = labels.get(|l| *l == c.config.labels, || c.config.labels.clone());
            summary.network_settings.networks = networks.get(
                |m| m.len() == c.networks.len() && c.networks.iter().all(|n| m.contains_key(n)),
                || {
                    c.networks
                        .iter()
                        .map(|n| (n.clone(), EndpointSettings::default()))
                        .collect()
                },
            );
            if opts.size {
                let rw = c.upper.content_size() as i64;
                let image = self.images.image(&c.image_id).map_or(0, |i| i.size as i64);
                summary.size_rw = Some(rw);
                summary.size_root_fs = Some(image + rw);
            }
            out.push(summary);
            if opts.limit.is_some_and(|n| out.len() >= n) {
                break;
            }
        }
        Ok(out)
    }

    /// One ContainerList row, but for its labels and networks (which
    /// `container_list` shares between rows); `resolved` is the image id its
    /// image name leads to now, if any.
    fn summary(&self, c: &Container, resolved: Option<&str>) -> ContainerSummary {
        let mut ports: Vec<Port> = Vec::new();
        if c.state.is_running() && c.has_own_network() {
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
        // A name that no longer leads to the container's image (removed or
        // moved to another image) shows as the image's id, as dockerd does.
        let image = if resolved == Some(c.image_id.as_str()) {
            c.config.image.clone()
        } else {
            c.image_id.clone()
        };
        ContainerSummary {
            id: c.id.clone(),
            names: vec![format!("/{}", c.name)],
            image,
            image_id: c.image_id.clone(),
            command: c.command_line(),
            created: c.created.unix_secs() as i64,
            ports,
            labels: Arc::default(),
            state: c.state.status.as_str().to_string(),
            status: c.state.describe(self.now),
            network_settings: SummaryNetworkSettings::default(),
            mounts: mount_points(c),
            size_rw: None,
            size_root_fs: None,
        }
    }

    /// ExecCreate's checks and lookup: the container must be running and
    /// have the executable. Returns what a shell needs to run it there.
    pub fn exec_resolve(&self, key: &str, cmd: &str) -> Result<ExecTarget> {
        self.api("POST", format!("/containers/{key}/exec"));
        let c = self.container(key)?;
        match c.state.status {
            Status::Running => {}
            Status::Paused => {
                return Err(EngineError::Conflict(format!(
                    "Container {} is paused, unpause the container before exec",
                    c.id
                )))
            }
            Status::Restarting => {
                return Err(EngineError::Conflict(format!(
                    "Container {} is restarting, wait until the container is running",
                    c.id
                )))
            }
            _ => return Err(EngineError::NotRunning(c.id.clone())),
        }
        let program = match resolve_executable(c, &self.machine, cmd) {
            Ok((
                _,
                Node::File {
                    program: Some(spec),
                    ..
                },
            )) => spec,
            Ok(_) => String::new(),
            Err(EngineError::ExecFailed(detail)) => return Err(EngineError::ExecNotFound(detail)),
            Err(e) => return Err(e),
        };
        Ok(ExecTarget {
            container: c.id.clone(),
            program,
            env: c.config.env.clone(),
            working_dir: if c.config.working_dir.is_empty() {
                "/".into()
            } else {
                c.config.working_dir.clone()
            },
            hostname: c.config.hostname.clone(),
            user: c.config.user.clone(),
            tty: c.config.tty,
        })
    }

    /// ContainerPause: freezes the process; its timers stop.
    pub fn container_pause(&mut self, key: &str) -> Result<()> {
        self.api("POST", format!("/containers/{key}/pause"));
        let id = self.find(key)?;
        let now = self.now;
        let Some(c) = self.containers.get_mut(&id) else {
            return Err(EngineError::NoSuchContainer(key.to_string()));
        };
        match c.state.status {
            Status::Running => {
                c.state.status = Status::Paused;
                c.state.paused_at = Some(now);
                self.emit("container", "pause", &id, BTreeMap::new());
                Ok(())
            }
            Status::Paused => Err(EngineError::AlreadyPaused(c.id.clone())),
            _ => Err(EngineError::NotRunning(c.id.clone())),
        }
    }

    /// ContainerUnpause: the process resumes where it was.
    pub fn container_unpause(&mut self, key: &str) -> Result<()> {
        self.api("POST", format!("/containers/{key}/unpause"));
        let id = self.find(key)?;
        let now = self.now;
        let Some(c) = self.containers.get_mut(&id) else {
            return Err(EngineError::NoSuchContainer(key.to_string()));
        };
        if c.state.status != Status::Paused {
            return Err(EngineError::NotPaused(c.id.clone()));
        }
        let frozen = now - c.state.paused_at.unwrap_or(now);
        c.state.status = Status::Running;
        c.state.paused_at = None;
        if let Some(p) = c.process.as_mut() {
            p.resumed(frozen);
        }
        self.emit("container", "unpause", &id, BTreeMap::new());
        Ok(())
    }

    /// ContainerRename.
    pub fn container_rename(&mut self, key: &str, new_name: &str) -> Result<()> {
        self.api("POST", format!("/containers/{key}/rename?name={new_name}"));
        let id = self.find(key)?;
        let bare = new_name.strip_prefix('/').unwrap_or(new_name);
        if !valid_name(bare) {
            return Err(EngineError::InvalidName(new_name.to_string()));
        }
        if let Some(other) = self.names.get(bare).and_then(|o| self.containers.get(o)) {
            if other.id == id {
                return Err(EngineError::InvalidArgument(
                    "Renaming a container with the same name as its current name".into(),
                ));
            }
            return Err(EngineError::NameConflict {
                name: bare.to_string(),
                id: other.id.clone(),
            });
        }
        let old = self
            .containers
            .get(&id)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        if let Some(c) = self.containers.get_mut(&id) {
            self.names.remove(&c.name);
            c.name = bare.to_string();
            self.names.insert(c.name.clone(), id.clone());
        }
        self.emit(
            "container",
            "rename",
            &id,
            BTreeMap::from([("oldName".to_string(), format!("/{old}"))]),
        );
        Ok(())
    }

    /// ContainerChanges (`docker diff`): (kind, path) with kind 0 = C,
    /// 1 = A, 2 = D, as the API numbers them, sorted by path.
    pub fn container_changes(&self, key: &str) -> Result<Vec<(u8, String)>> {
        self.api("GET", format!("/containers/{key}/changes"));
        let c = self.container(key)?;
        let lower = Union::new(c.layers.iter().map(|t| t.as_ref()).collect());
        let mut out = Vec::new();
        for (path, node) in c.upper.iter() {
            let kind = match node {
                Node::Whiteout => 2,
                _ if lower.get(path).is_some() => 0,
                _ => 1,
            };
            out.push((kind, path.clone()));
        }
        Ok(out)
    }

    /// ContainersPrune: removes every stopped container. Returns their ids
    /// and the bytes their layers held.
    pub fn container_prune(&mut self, filter: &crate::filters::Prune) -> (Vec<String>, u64) {
        self.api("POST", "/containers/prune");
        let ids: Vec<String> = self
            .containers
            .values()
            .filter(|c| {
                matches!(
                    c.state.status,
                    Status::Exited | Status::Created | Status::Dead
                )
            })
            .filter(|c| filter.selects(c.created, &c.config.labels))
            .map(|c| c.id.clone())
            .collect();
        let mut freed = 0;
        for id in &ids {
            freed += self
                .containers
                .get(id)
                .map(|c| c.upper.content_size())
                .unwrap_or(0);
            self.remove_container(id, false);
        }
        (ids, freed)
    }

    /// ContainerCommit (`docker commit`): the container's writable layer
    /// becomes one more layer on top of its image's; `changes` are
    /// Dockerfile instructions (`CMD ["nginx"]`, `ENV A=1`, `EXPOSE 80`...).
    /// Returns the new image id.
    pub fn container_commit(
        &mut self,
        key: &str,
        repo: Option<&str>,
        message: &str,
        author: &str,
        changes: &[String],
    ) -> Result<String> {
        self.api("POST", format!("/commit?container={key}"));
        let id = self.find(key)?;
        let Some(c) = self.containers.get(&id) else {
            return Err(EngineError::NoSuchContainer(key.to_string()));
        };
        let target = match repo {
            Some(r) => Some(
                reference::parse_normalized(r)
                    .map_err(|e| EngineError::InvalidReference(e.to_string()))?
                    .with_default_tag(),
            ),
            None => None,
        };
        let Some(base) = self.images.image(&c.image_id).cloned() else {
            return Err(EngineError::NoSuchImage(c.image_id.clone()));
        };
        let mut config = c.config.clone();
        config.hostname.clear();
        config.image = c.image_id.clone();
        for change in changes {
            apply_change(&mut config, change)?;
        }
        let mut upper = c.upper.clone();
        // Mount points are not part of the container's layer. (A tmpfs is
        // not in the layer at all: what the layer has there, the directory
        // runc made or what `docker cp` put underneath, is committed.)
        for m in c
            .mounts
            .iter()
            .filter(|m| m.kind != crate::container::MountKind::Tmpfs)
        {
            upper.remove_tree(&m.destination);
        }
        let layer = crate::image::Layer::new(upper);
        let mut layers = base.layers.clone();
        layers.push(layer.digest.clone());
        let mut history = base.history.clone();
        history.push(crate::image::HistoryEntry {
            created: self.now,
            created_by: c.command_line(),
            comment: message.to_string(),
            empty_layer: false,
        });
        let _ = author;
        let image_id =
            crate::image::image_id_for(&config, &layers, self.now, &history, &c.image_id);
        let size = base.size + layer.size;
        let image = crate::image::Image {
            id: image_id.clone(),
            config,
            layers,
            created: self.now,
            history,
            repo_digests: Vec::new(),
            size,
            parent: c.image_id.clone(),
        };
        self.images.add_image(image, std::slice::from_ref(&layer));
        if let Some(t) = target {
            self.images.tag(&t.to_string(), &image_id);
        }
        Ok(image_id)
    }

    /// ContainerUpdate: the restart policy (what `docker update --restart`
    /// changes).
    pub fn container_update_restart(&mut self, key: &str, policy: RestartPolicy) -> Result<()> {
        self.api("POST", format!("/containers/{key}/update"));
        let id = self.find(key)?;
        let Some(c) = self.containers.get_mut(&id) else {
            return Err(EngineError::NoSuchContainer(key.to_string()));
        };
        let mut hc = c.host_config.clone();
        hc.restart_policy = policy;
        validate_restart_policy(&hc)?;
        c.host_config = hc;
        Ok(())
    }

    /// ContainerTop: (UID, PID, PPID, CMD) rows of the container's processes.
    pub fn container_top(&self, key: &str) -> Result<Vec<(String, u32, u32, String)>> {
        self.api("GET", format!("/containers/{key}/top"));
        let c = self.container(key)?;
        if !c.state.is_running() {
            return Err(EngineError::Conflict(format!(
                "container {} is not running",
                c.id
            )));
        }
        let base = 1000 + u32::from_str_radix(&c.id[..3], 16).unwrap_or(0) * 7;
        let mut rows = vec![(
            self.host_user_name(c, &super::processes::main_user(c)),
            base,
            base - 21,
            super::processes::main_command(c),
        )];
        if let Some(p) = c.process.as_ref() {
            for (i, (user, cmd)) in p.children().into_iter().enumerate() {
                rows.push((
                    self.host_user_name(c, &user),
                    base + 40 + i as u32,
                    base,
                    cmd,
                ));
            }
        }
        Ok(rows)
    }

    /// Resource figures for `docker stats`: (memory bytes, pids, net rx, net tx).
    pub fn container_stats(&self, key: &str) -> Result<(u64, u32, u64, u64)> {
        self.api("GET", format!("/containers/{key}/stats?stream=0"));
        let c = self.container(key)?;
        if !c.state.is_running() {
            return Ok((0, 0, 0, 0));
        }
        let pids = 1 + c
            .process
            .as_ref()
            .map(|p| p.children().len() as u32)
            .unwrap_or(0);
        let memory = c.process.as_ref().map(|p| p.memory()).unwrap_or(1_000_000);
        let served: u64 = c
            .logs
            .iter()
            .filter(|l| l.text.contains("HTTP/1.1\""))
            .count() as u64;
        let rx = 1_046 + served * 180;
        let tx = served * 850;
        Ok((memory, pids, rx, tx))
    }

    /// dockerd stopping and starting again (`systemctl restart docker`):
    /// running containers get their stop signal and grace period, then the
    /// restart policies decide which come back.
    pub fn daemon_restart(&mut self) {
        let running: Vec<String> = self
            .containers
            .values()
            .filter(|c| c.state.is_running())
            .map(|c| c.id.clone())
            .collect();
        for id in &running {
            let (sig, grace) = match self.containers.get(id) {
                Some(c) => (
                    c.config
                        .stop_signal
                        .as_deref()
                        .and_then(Signal::parse)
                        .unwrap_or(Signal::Term),
                    c.config.stop_timeout.unwrap_or(DEFAULT_STOP_TIMEOUT).max(0) as u64,
                ),
                None => continue,
            };
            let paused = self
                .containers
                .get(id)
                .is_some_and(|c| c.state.status == Status::Paused);
            if !paused {
                let flow = self.with_process(id, |p, io| p.signal(sig, io));
                self.apply_flow_without_restart(id, flow);
            }
            let done = |h: &Host| h.containers.get(id).is_none_or(|c| !c.state.is_running());
            if !self.run_until(self.now + Millis::from_secs(grace), done) {
                self.stop_for_shutdown(id, 128 + Signal::Kill.number());
            }
        }
        // Restarting containers were waiting on a daemon that is gone.
        for c in self.containers.values_mut() {
            if c.state.status == Status::Restarting {
                c.state.status = Status::Exited;
                c.state.restart_at = None;
            }
        }
        let ids: Vec<String> = self.containers.keys().cloned().collect();
        for id in ids {
            let Some(c) = self.containers.get(&id) else {
                continue;
            };
            let policy = c.host_config.restart_policy.name.as_str();
            let back = match policy {
                "always" => true,
                "unless-stopped" => !c.state.manually_stopped,
                _ => false,
            };
            if back && c.state.status == Status::Exited {
                let _ = self.launch(&id);
            }
        }
    }

    /// A process that ended because the daemon shut down: no restart now.
    fn stop_for_shutdown(&mut self, id: &str, code: i32) {
        let now = self.now;
        if let Some(c) = self.containers.get_mut(id) {
            c.process = None;
            c.ports.clear();
            c.endpoints.clear();
            c.unmount_tmpfs();
            c.state.exit_code = code;
            c.state.finished_at = Some(now);
            c.state.status = Status::Exited;
            for a in self.attachments.values_mut().filter(|a| a.container == id) {
                a.exit = Some(code);
            }
        }
    }

    fn apply_flow_without_restart(&mut self, id: &str, flow: Flow) {
        match flow {
            Flow::Exit(code) => self.stop_for_shutdown(id, code),
            other => self.apply_flow(id, other),
        }
    }

    /// ContainerInspect.
    pub fn container_inspect(&self, key: &str) -> Result<ContainerInspect> {
        self.api("GET", format!("/containers/{key}/json"));
        let c = self.container(key)?;
        let s = &c.state;
        let time = |t: Option<Timestamp>| {
            t.map(|t| t.rfc3339_nano())
                .unwrap_or_else(|| "0001-01-01T00:00:00Z".to_string())
        };
        let running = s.is_running();
        let mut ports: BTreeMap<String, Option<Vec<PortBinding>>> = BTreeMap::new();
        if c.has_own_network() {
            for p in c.config.exposed_ports.keys() {
                ports.insert(p.clone(), None);
            }
        }
        if running {
            for p in &c.ports {
                let key = format!("{}/{}", p.container_port, p.proto);
                ports
                    .entry(key)
                    .or_default()
                    .get_or_insert_with(Vec::new)
                    .push(PortBinding {
                        host_ip: p.host_ip.clone(),
                        host_port: p.host_port.to_string(),
                    });
            }
        }
        let bridge_ip = c.bridge_ip().unwrap_or_default().to_string();
        let on_bridge = !bridge_ip.is_empty();
        let mac = c
            .endpoints
            .get("bridge")
            .map(|e| e.mac.clone())
            .unwrap_or_default();
        let mut networks = BTreeMap::new();
        for name in &c.networks {
            let ep = c.endpoints.get(name);
            let record = self.networks.get(name);
            let user_defined = record.is_some_and(|r| r.resolves_names());
            // moby's order: the name, the aliases, the short id.
            let mut dns = vec![c.name.clone()];
            if let Some(e) = ep {
                dns.extend(e.aliases.iter().cloned());
            }
            dns.push(c.id[..12].to_string());
            let mut seen = std::collections::BTreeSet::new();
            dns.retain(|n| seen.insert(n.clone()));
            let aliases = c.aliases.get(name).filter(|a| !a.is_empty()).cloned();
            networks.insert(
                name.clone(),
                EndpointSettings {
                    aliases,
                    ipam_config: c
                        .static_ips
                        .get(name)
                        .map(|ip| crate::api::EndpointIpamConfig {
                            ipv4_address: ip.clone(),
                        }),
                    network_id: if ep.is_some() {
                        record.map(|r| r.id.clone()).unwrap_or_default()
                    } else {
                        String::new()
                    },
                    endpoint_id: ep.map(|e| e.id.clone()).unwrap_or_default(),
                    gateway: match (ep, record) {
                        (Some(e), Some(r)) if !e.ip.is_empty() => r.gateway(),
                        _ => String::new(),
                    },
                    ip_address: ep.map(|e| e.ip.clone()).unwrap_or_default(),
                    ip_prefix_len: match (ep, record) {
                        (Some(e), Some(r)) if !e.ip.is_empty() => i64::from(r.cidr().prefix),
                        _ => 0,
                    },
                    mac_address: ep.map(|e| e.mac.clone()).unwrap_or_default(),
                    dns_names: if user_defined && ep.is_some() {
                        Some(dns)
                    } else {
                        None
                    },
                },
            );
        }
        Ok(ContainerInspect {
            id: c.id.clone(),
            created: c.created.rfc3339_nano(),
            path: c.path.clone(),
            args: c.args.clone(),
            state: ContainerState {
                status: s.status.as_str().to_string(),
                running,
                paused: s.status == Status::Paused,
                restarting: s.status == Status::Restarting,
                oom_killed: false,
                dead: s.status == Status::Dead,
                pid: if running {
                    1000 + i64::from(u16::from_str_radix(&c.id[..4], 16).unwrap_or(0) % 30000)
                } else {
                    0
                },
                exit_code: i64::from(s.exit_code),
                error: s.error.clone(),
                started_at: time(s.started_at),
                finished_at: time(s.finished_at),
            },
            image: c.image_id.clone(),
            name: format!("/{}", c.name),
            restart_count: i64::from(s.restart_count),
            driver: "overlay2".into(),
            platform: "linux".into(),
            host_config: c.host_config.clone(),
            mounts: mount_points(c),
            config: c.config.clone(),
            network_settings: NetworkSettings {
                ports,
                gateway: if on_bridge {
                    BRIDGE_GATEWAY.to_string()
                } else {
                    String::new()
                },
                ip_address: bridge_ip.clone(),
                ip_prefix_len: if on_bridge { 16 } else { 0 },
                mac_address: mac,
                networks,
            },
        })
    }

    /// A running container whose main process the client runs (`docker run
    /// busybox wget …`): its command line, once, until reported.
    pub fn client_command(&self, key: &str) -> Option<Vec<String>> {
        let c = self.container(key).ok()?;
        if c.state.status != Status::Running {
            return None;
        }
        c.process.as_ref()?.client_argv()
    }

    /// Output the client-run main process wrote.
    pub fn container_main_output(&mut self, key: &str, stderr: bool, text: &str) -> Result<()> {
        let id = self.find(key)?;
        let now = self.now;
        let stream = if stderr {
            programs::Stream::Stderr
        } else {
            programs::Stream::Stdout
        };
        let entries: Vec<LogEntry> = text
            .split_inclusive('\n')
            .map(|line| LogEntry {
                time: now,
                stream,
                text: line.to_string(),
            })
            .collect();
        for a in self.attachments.values_mut().filter(|a| a.container == id) {
            a.pending.extend(entries.iter().cloned());
        }
        if let Some(c) = self.containers.get_mut(&id) {
            c.logs.extend(entries);
        }
        Ok(())
    }

    /// The client-driven main process of an interactive container (`docker
    /// run -it ubuntu`) ended with `code`.
    pub fn container_main_exit(&mut self, key: &str, code: i32) -> Result<()> {
        let id = self.find(key)?;
        let running = self
            .containers
            .get(&id)
            .is_some_and(|c| c.state.status == Status::Running);
        if running {
            self.process_exited(&id, code);
        }
        Ok(())
    }

    /// A container's filesystem, read-only (for completion and views).
    pub fn container_fs(&self, key: &str) -> Result<crate::container::ContainerFs<'_>> {
        let c = self.container(key)?;
        Ok(c.view(&self.machine))
    }

    /// A container's filesystem as its processes see it, for commands run
    /// inside it (`docker exec`).
    pub fn container_fs_mut(&mut self, key: &str) -> Result<crate::container::ContainerFsMut<'_>> {
        let id = self.find(key)?;
        match self.containers.get_mut(&id) {
            Some(c) => Ok(c.view_mut(&mut self.machine)),
            None => Err(EngineError::NoSuchContainer(key.to_string())),
        }
    }

    /// A container's filesystem as `docker cp` reaches it (the archive
    /// endpoints): without its tmpfs mounts.
    pub fn container_archive_fs_mut(
        &mut self,
        key: &str,
    ) -> Result<crate::container::ContainerFsMut<'_>> {
        let id = self.find(key)?;
        match self.containers.get_mut(&id) {
            Some(c) => Ok(c.archive_view_mut(&mut self.machine)),
            None => Err(EngineError::NoSuchContainer(key.to_string())),
        }
    }

    /// ContainerAttach: opens a stream of the container's output from now on.
    pub fn container_attach(&mut self, key: &str) -> Result<u64> {
        self.api(
            "POST",
            format!("/containers/{key}/attach?stream=1&stdout=1&stderr=1"),
        );
        let id = self.find(key)?;
        Ok(self.open_attachment(id))
    }

    /// A new stream for container `id`'s output and exit code.
    fn open_attachment(&mut self, id: String) -> u64 {
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
        handle
    }

    /// ContainerWait (condition `not-running`), asked now and answered
    /// later: `Ok(Err(code))` for a container already stopped, else a
    /// handle whose `attach_read` gives the exit code once it stops, even
    /// when `--rm` removes it on the way.
    pub fn container_wait_begin(&mut self, key: &str) -> Result<std::result::Result<u64, i64>> {
        self.api("POST", format!("/containers/{key}/wait"));
        let id = self.find(key)?;
        let stopped = self
            .containers
            .get(&id)
            .is_none_or(|c| !c.state.is_running() && c.state.status != Status::Restarting);
        if stopped {
            let code = self.containers.get(&id).map_or(0, |c| c.state.exit_code);
            return Ok(Err(i64::from(code)));
        }
        Ok(Ok(self.open_attachment(id)))
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
        self.api("GET", format!("/containers/{key}/logs?stdout=1&stderr=1"));
        Ok(self.container(key)?.logs.clone())
    }

    /// ContainerWait: blocks (in virtual time) until the container is not
    /// running, for at most `limit`. `None` when it is still running.
    pub fn container_wait(&mut self, key: &str, limit: Millis) -> Result<Option<WaitResponse>> {
        self.api("POST", format!("/containers/{key}/wait"));
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

/// A container's mounts as inspect and ContainerList show them.
fn mount_points(c: &Container) -> Vec<MountPoint> {
    c.mounts
        .iter()
        .filter(|m| c.is_mount_point(m))
        .map(|m| MountPoint {
            kind: m.kind.as_str().to_string(),
            name: if m.kind == crate::container::MountKind::Volume {
                m.source.clone()
            } else {
                String::new()
            },
            source: if m.kind == crate::container::MountKind::Tmpfs {
                String::new()
            } else {
                m.data.clone()
            },
            destination: m.destination.clone(),
            driver: if m.kind == crate::container::MountKind::Volume {
                "local".into()
            } else {
                String::new()
            },
            mode: if m.kind == crate::container::MountKind::Volume {
                "z".into()
            } else {
                String::new()
            },
            rw: m.rw,
            propagation: if m.kind == crate::container::MountKind::Bind {
                "rprivate".into()
            } else {
                String::new()
            },
        })
        .collect()
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

/// Finds the executable `cmd` names in the container's filesystem (through
/// PATH when it has no slash), or the runc error for it.
fn resolve_executable(c: &Container, machine: &FileTree, cmd: &str) -> Result<(String, Node)> {
    let fs = c.view(machine);
    if cmd.is_empty() {
        return Err(EngineError::ExecFailed(
            "exec: \"\": executable file not found in $PATH".into(),
        ));
    }
    if cmd.contains('/') {
        let cwd = if c.config.working_dir.is_empty() {
            "/"
        } else {
            &c.config.working_dir
        };
        let real = fs.resolve(&crate::fs::normalize(cwd, cmd));
        return match fs.node(&real) {
            Some(node) => Ok((real, node)),
            None => Err(EngineError::ExecFailed(format!(
                "exec: \"{cmd}\": stat {cmd}: no such file or directory"
            ))),
        };
    }
    let path_var = c
        .config
        .env
        .iter()
        .find_map(|e| e.strip_prefix("PATH="))
        .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    path_var
        .split(':')
        .find_map(|dir| {
            let real = fs.resolve(&format!("{dir}/{cmd}"));
            fs.node(&real)
                .filter(|n| matches!(n, Node::File { .. }))
                .map(|n| (real, n))
        })
        .ok_or_else(|| {
            EngineError::ExecFailed(format!(
                "exec: \"{cmd}\": executable file not found in $PATH"
            ))
        })
}

/// Makes the program `argv[0]` names, or fails the way runc does.
fn resolve_program(
    c: &Container,
    machine: &FileTree,
    argv: &[String],
    now: Timestamp,
) -> Result<Box<dyn programs::Program>> {
    let cmd = argv.first().map(String::as_str).unwrap_or_default();
    match resolve_executable(c, machine, cmd)? {
        (
            _,
            Node::File {
                program: Some(spec),
                ..
            },
        ) => match programs::spawn(&spec, argv, now) {
            Some(p) => Ok(p),
            None => Err(EngineError::ExecFailed(format!(
                "exec: \"{cmd}\": tidepool does not simulate {spec} yet"
            ))),
        },
        (_, Node::Dir { .. }) => Err(EngineError::ExecFailed(format!(
            "exec: \"{cmd}\": is a directory"
        ))),
        _ => Err(EngineError::ExecFailed(format!(
            "exec: \"{cmd}\": permission denied"
        ))),
    }
}

/// One `docker commit --change` instruction applied to a config.
fn apply_change(config: &mut ContainerConfig, change: &str) -> Result<()> {
    let (instr, rest) = change
        .trim()
        .split_once(char::is_whitespace)
        .unwrap_or((change.trim(), ""));
    let rest = rest.trim();
    let args = || -> Vec<String> {
        match serde_json::from_str::<Vec<String>>(rest) {
            Ok(v) => v,
            Err(_) => vec!["/bin/sh".into(), "-c".into(), rest.to_string()],
        }
    };
    match instr.to_ascii_uppercase().as_str() {
        "CMD" => config.cmd = Some(args()),
        "ENTRYPOINT" => config.entrypoint = Some(args()),
        "WORKDIR" => config.working_dir = rest.to_string(),
        "USER" => config.user = rest.to_string(),
        "STOPSIGNAL" => config.stop_signal = Some(rest.to_string()),
        "EXPOSE" => {
            for p in rest.split_whitespace() {
                let key = if p.contains('/') {
                    p.to_string()
                } else {
                    format!("{p}/tcp")
                };
                config.exposed_ports.insert(key, Empty {});
            }
        }
        "ENV" => {
            let pairs: Vec<(String, String)> = if rest.contains('=') {
                rest.split_whitespace()
                    .filter_map(|kv| kv.split_once('='))
                    .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
                    .collect()
            } else {
                match rest.split_once(char::is_whitespace) {
                    Some((k, v)) => vec![(k.to_string(), v.trim().to_string())],
                    None => Vec::new(),
                }
            };
            for (k, v) in pairs {
                config
                    .env
                    .retain(|e| e.split('=').next() != Some(k.as_str()));
                config.env.push(format!("{k}={v}"));
            }
        }
        "LABEL" => {
            for kv in rest.split_whitespace() {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                config.labels.insert(
                    k.trim_matches('"').to_string(),
                    v.trim_matches('"').to_string(),
                );
            }
        }
        "VOLUME" => {
            let vols = serde_json::from_str::<Vec<String>>(rest)
                .unwrap_or_else(|_| rest.split_whitespace().map(str::to_string).collect());
            let set = config.volumes.get_or_insert_with(BTreeMap::new);
            for v in vols {
                set.insert(v, Empty {});
            }
        }
        _ => {
            return Err(EngineError::InvalidArgument(format!(
                "{instr} is not a valid change command"
            )))
        }
    }
    Ok(())
}

/// One shared copy for each run of equal values in a list: neighbouring
/// rows mostly carry the same labels and networks, and a copy each is most
/// of what listing thousands of containers costs.
struct SharedRun<T> {
    last: Option<Arc<T>>,
}

impl<T> Default for SharedRun<T> {
    fn default() -> Self {
        SharedRun { last: None }
    }
}

impl<T> SharedRun<T> {
    /// The last value handed out if `same` says it is equal, else `make()`.
    fn get(&mut self, same: impl FnOnce(&T) -> bool, make: impl FnOnce() -> T) -> Arc<T> {
        match &self.last {
            Some(last) if same(last) => Arc::clone(last),
            _ => {
                let value = Arc::new(make());
                self.last = Some(Arc::clone(&value));
                value
            }
        }
    }
}
