//! What `ping` and `nc -z` find: an address resolved the way the caller
//! would resolve it (Docker's DNS on user-defined networks, nothing on the
//! default bridge), and whether it answers.

use super::network::is_ipv4;
use super::*;

/// Where a ping went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PingTarget {
    pub ip: String,
    /// The name reverse DNS gives it (`db.appnet` on a user network).
    pub name: Option<String>,
    /// Echo replies come back.
    pub replies: bool,
}

impl Host {
    /// A ping from `from` (a container's id or name; `None`: the machine)
    /// to `host`.
    pub fn ping_from(
        &self,
        from: Option<&str>,
        host: &str,
    ) -> std::result::Result<PingTarget, NetError> {
        let me = match from {
            Some(key) => {
                let id = self.find(key).map_err(|_| NetError::UnknownHost)?;
                self.containers.get(&id)
            }
            None => None,
        };
        let on_machine = me.is_none_or(|c| c.networks.iter().any(|n| n == "host"));
        let plain = |ip: &str, replies: bool| PingTarget {
            ip: ip.to_string(),
            name: None,
            replies,
        };
        if matches!(host, "localhost" | "ip6-localhost") || host.starts_with("127.") {
            if is_ipv4(host) {
                return Ok(plain(host, true));
            }
            // The machine (Ubuntu) resolves localhost to ::1 first; a
            // container's network has no IPv6.
            let ip = if me.is_none() { "::1" } else { "127.0.0.1" };
            return Ok(PingTarget {
                ip: ip.to_string(),
                name: Some("localhost".to_string()),
                replies: true,
            });
        }
        if host == MACHINE_IP || (on_machine && host == "tidepool") {
            return Ok(plain(MACHINE_IP, true));
        }
        if on_machine {
            // The machine reaches every bridge address, and no container
            // by name.
            if !is_ipv4(host) {
                return Err(NetError::UnknownHost);
            }
            let gateway = self
                .networks
                .values()
                .any(|n| n.addressed() && n.gateway() == host)
                || host == BRIDGE_GATEWAY;
            let up = self.containers.values().any(|c| {
                c.state.status == Status::Running && c.endpoints.values().any(|e| e.ip == host)
            });
            return Ok(plain(host, gateway || up));
        }
        let Some(me) = me else {
            return Err(NetError::UnknownHost);
        };
        if me.endpoints.is_empty() {
            // --network none: only loopback.
            return if is_ipv4(host) {
                Ok(plain(host, false))
            } else {
                Err(NetError::UnknownHost)
            };
        }
        let (ip, name) = if is_ipv4(host) {
            (host.to_string(), None)
        } else {
            match self.resolve_from(me, host) {
                Some((id, ip)) => {
                    // Reverse DNS on the shared network: name.network.
                    let net = me.endpoints.keys().find(|net| {
                        self.containers
                            .get(&id)
                            .and_then(|c| c.endpoints.get(*net))
                            .is_some_and(|e| e.ip == ip)
                    });
                    let name = self
                        .containers
                        .get(&id)
                        .zip(net)
                        .map(|(c, net)| format!("{}.{net}", c.name.trim_start_matches('/')));
                    (ip, name)
                }
                None => return Err(NetError::UnknownHost),
            }
        };
        let own_gateway = me.endpoints.keys().any(|net| {
            self.networks.get(net).is_some_and(|n| {
                if !n.addressed() {
                    ip == BRIDGE_GATEWAY
                } else {
                    n.gateway() == ip
                }
            })
        });
        let peer = self.containers.values().any(|c| {
            c.state.status == Status::Running
                && c.endpoints
                    .iter()
                    .any(|(net, e)| e.ip == ip && me.endpoints.contains_key(net))
        });
        Ok(PingTarget {
            ip,
            name,
            replies: own_gateway || peer,
        })
    }

    /// A TCP connection attempt (`nc -z`): whether something accepts on
    /// `host:port`, seen from `from` as `curl` would see it.
    pub fn tcp_connect_from(
        &self,
        from: Option<&str>,
        host: &str,
        port: u16,
    ) -> std::result::Result<(), NetError> {
        let route = match from {
            None => self.route_from_machine(host, port, "127.0.0.1")?,
            Some(key) => {
                let id = self.find(key).map_err(|_| NetError::UnknownHost)?;
                self.route_from_container(&id, host, port)?
            }
        };
        let Some(c) = self.containers.get(&route.container) else {
            return Err(NetError::Refused);
        };
        if c.state.status == Status::Paused {
            return Err(NetError::Timeout);
        }
        let listening = c.state.status == Status::Running
            && c.process
                .as_ref()
                .is_some_and(|p| p.listens().contains(&route.port));
        match (listening, route.proxied) {
            (true, _) => Ok(()),
            // docker-proxy accepts the connection, then drops it.
            (false, true) => Ok(()),
            (false, false) => Err(NetError::Refused),
        }
    }
}
