use super::*;

impl Host {
    // ---- the machine's network -------------------------------------------

    /// A TCP connection from the machine to `host:port` carrying one HTTP
    /// request: through a published port, or straight to a container's IP.
    pub fn http_request(
        &mut self,
        host: &str,
        port: u16,
        mut req: HttpRequest,
    ) -> std::result::Result<HttpResponse, NetError> {
        let loopback = matches!(
            host,
            "localhost" | "127.0.0.1" | "0.0.0.0" | "::1" | "[::1]" | "tidepool"
        );
        let machine = loopback || host == MACHINE_IP;
        let target = if machine {
            let ipv6 = host.contains(':');
            let found = self.containers.values().find(|c| {
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
            match found {
                Some(c) => {
                    let cport = c
                        .ports
                        .iter()
                        .find(|p| p.host_port == port)
                        .map(|p| p.container_port)
                        .unwrap_or(port);
                    req.remote_addr = BRIDGE_GATEWAY.to_string();
                    Some((c.id.clone(), cport))
                }
                None => return Err(NetError::Refused),
            }
        } else if host.starts_with("172.17.") {
            match self
                .containers
                .values()
                .find(|c| c.state.is_running() && c.ip_address == host)
            {
                Some(c) => {
                    req.remote_addr = BRIDGE_GATEWAY.to_string();
                    Some((c.id.clone(), port))
                }
                None => return Err(NetError::Timeout),
            }
        } else {
            return Err(NetError::UnknownHost);
        };
        let Some((id, cport)) = target else {
            return Err(NetError::Refused);
        };
        let paused = self
            .containers
            .get(&id)
            .is_some_and(|c| c.state.status == Status::Paused);
        if paused {
            return Err(NetError::Timeout);
        }
        let listening = self
            .containers
            .get(&id)
            .and_then(|c| c.process.as_ref())
            .is_some_and(|p| p.listens().contains(&cport));
        if !listening {
            return if machine {
                Err(NetError::Reset)
            } else {
                Err(NetError::Refused)
            };
        }
        let mut response = None;
        let flow = self.with_process(&id, |p, io| {
            response = p.http(cport, &req, io);
            Flow::Running
        });
        self.apply_flow(&id, flow);
        response.ok_or(NetError::Reset)
    }
}
