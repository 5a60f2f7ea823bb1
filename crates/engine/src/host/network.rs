use super::*;

pub(super) fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok())
}

/// Where a connection lands: a container, its port, the address it sees
/// the client at, and whether it came through docker-proxy.
pub(super) struct Route {
    pub(super) container: String,
    pub(super) port: u16,
    pub(super) remote: String,
    pub(super) proxied: bool,
}

impl Host {
    /// A TCP connection from the machine to `host:port` carrying one HTTP
    /// request: through a published port, to a host-network container, or
    /// straight to a container's address on a bridge.
    pub fn http_request(
        &mut self,
        host: &str,
        port: u16,
        req: HttpRequest,
    ) -> std::result::Result<HttpResponse, NetError> {
        self.http_request_from(None, host, port, req)
    }

    /// The same from inside a container (`from` is its id or name): names
    /// resolve on user-defined networks it shares with the target,
    /// `localhost` is the container itself.
    pub fn http_request_from(
        &mut self,
        from: Option<&str>,
        host: &str,
        port: u16,
        req: HttpRequest,
    ) -> std::result::Result<HttpResponse, NetError> {
        self.http_hop(from, host, port, req, 0)
    }

    fn http_hop(
        &mut self,
        from: Option<&str>,
        host: &str,
        port: u16,
        mut req: HttpRequest,
        depth: u8,
    ) -> std::result::Result<HttpResponse, NetError> {
        let route = match from {
            None => self.route_from_machine(host, port, "127.0.0.1")?,
            Some(key) => {
                let Ok(id) = self.find(key) else {
                    return Err(NetError::UnknownHost);
                };
                self.route_from_container(&id, host, port)?
            }
        };
        let paused = self
            .containers
            .get(&route.container)
            .is_some_and(|c| c.state.status == Status::Paused);
        if paused {
            return Err(NetError::Timeout);
        }
        let listening = self
            .containers
            .get(&route.container)
            .filter(|c| c.state.status == Status::Running)
            .and_then(|c| c.process.as_ref())
            .is_some_and(|p| p.listens().contains(&route.port));
        if !listening {
            return if route.proxied {
                Err(NetError::Reset)
            } else {
                Err(NetError::Refused)
            };
        }
        req.remote_addr = route.remote;
        let proxy = self
            .containers
            .get(&route.container)
            .and_then(|c| c.process.as_ref())
            .and_then(|p| p.proxy(route.port, &req));
        if let Some((upstream, upstream_port)) = proxy {
            if depth < 4 {
                let target = route.container.clone();
                return match self.http_hop(Some(&target), &upstream, upstream_port, req.clone(), depth + 1) {
                    Ok(r) => Ok(r),
                    Err(_) => Ok(HttpResponse {
                        status: 502,
                        reason: "Bad Gateway".into(),
                        headers: vec![("Server".into(), "nginx/1.27.5".into())],
                        body: b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.27.5</center>\r\n</body>\r\n</html>\r\n".to_vec(),
                    }),
                };
            }
        }
        let mut response = None;
        let flow = self.with_process(&route.container, |p, io| {
            response = p.http(route.port, &req, io);
            Flow::Running
        });
        self.apply_flow(&route.container, flow);
        response.ok_or(NetError::Reset)
    }

    pub(super) fn route_from_machine(
        &self,
        host: &str,
        port: u16,
        client: &str,
    ) -> std::result::Result<Route, NetError> {
        let loopback = matches!(
            host,
            "localhost" | "127.0.0.1" | "0.0.0.0" | "::1" | "[::1]" | "tidepool" | "ip6-localhost"
        );
        if loopback || host == MACHINE_IP {
            let ipv6 = host.contains(':');
            let published = self.containers.values().find(|c| {
                c.state.is_running()
                    && c.ports.iter().any(|p| {
                        p.host_port == port
                            && p.proto == "tcp"
                            && (p.host_ip == "0.0.0.0" && !ipv6
                                || p.host_ip == "::" && ipv6
                                || p.host_ip == "127.0.0.1" && loopback && !ipv6
                                || p.host_ip == host)
                    })
            });
            if let Some(c) = published {
                let cport = c
                    .ports
                    .iter()
                    .find(|p| p.host_port == port)
                    .map(|p| p.container_port)
                    .unwrap_or(port);
                let remote = c
                    .networks
                    .first()
                    .and_then(|n| self.networks.get(n))
                    .filter(|r| r.addressed())
                    .map(|r| r.gateway())
                    .unwrap_or_else(|| BRIDGE_GATEWAY.to_string());
                return Ok(Route {
                    container: c.id.clone(),
                    port: cport,
                    remote,
                    proxied: true,
                });
            }
            // A container on the host network listens on the machine itself.
            let on_host = self.containers.values().find(|c| {
                c.state.is_running()
                    && c.networks.iter().any(|n| n == "host")
                    && c.process
                        .as_ref()
                        .is_some_and(|p| p.listens().contains(&port))
            });
            if let Some(c) = on_host {
                return Ok(Route {
                    container: c.id.clone(),
                    port,
                    remote: client.to_string(),
                    proxied: false,
                });
            }
            return Err(NetError::Refused);
        }
        if is_ipv4(host) {
            let target = self
                .containers
                .values()
                .find(|c| c.endpoints.values().any(|e| e.ip == host));
            return match target {
                Some(c) => {
                    let gateway = format!(
                        "{}.0.1",
                        host.split('.').take(2).collect::<Vec<_>>().join(".")
                    );
                    Ok(Route {
                        container: c.id.clone(),
                        port,
                        remote: gateway,
                        proxied: false,
                    })
                }
                None => Err(NetError::Timeout),
            };
        }
        Err(NetError::UnknownHost)
    }

    pub(super) fn route_from_container(
        &self,
        id: &str,
        host: &str,
        port: u16,
    ) -> std::result::Result<Route, NetError> {
        let Some(me) = self.containers.get(id) else {
            return Err(NetError::UnknownHost);
        };
        let on_host_network = me.networks.iter().any(|n| n == "host");
        if on_host_network {
            return self.route_from_machine(host, port, "127.0.0.1");
        }
        if matches!(host, "localhost" | "127.0.0.1" | "::1") {
            return Ok(Route {
                container: id.to_string(),
                port,
                remote: "127.0.0.1".into(),
                proxied: false,
            });
        }
        if host == MACHINE_IP || host == "host.docker.internal" {
            let my_ip = me
                .endpoints
                .values()
                .next()
                .map(|e| e.ip.clone())
                .unwrap_or_default();
            return self.route_from_machine(MACHINE_IP, port, &my_ip);
        }
        let (target, ip) = if is_ipv4(host) {
            match self
                .containers
                .values()
                .find(|c| c.endpoints.values().any(|e| e.ip == host))
            {
                Some(c) => (c.id.clone(), host.to_string()),
                None => return Err(NetError::Timeout),
            }
        } else {
            match self.resolve_from(me, host) {
                Some(hit) => hit,
                None => return Err(NetError::UnknownHost),
            }
        };
        // Networks isolate: the target must share one with the caller.
        let Some(t) = self.containers.get(&target) else {
            return Err(NetError::Timeout);
        };
        let shared = me
            .endpoints
            .iter()
            .find(|(net, _)| t.endpoints.get(*net).is_some_and(|e| e.ip == ip));
        match shared {
            Some((_, mine)) => Ok(Route {
                container: target,
                port,
                remote: mine.ip.clone(),
                proxied: false,
            }),
            None => Err(NetError::Timeout),
        }
    }
}
