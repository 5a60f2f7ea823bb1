use super::*;
use crate::error::EndpointRefusal;

/// One network: the three every host has (bridge, host, none) and any the
/// user creates. User-defined bridges get 172.18.0.0/16, 172.19.0.0/16, ...
/// in order, and resolve container names; the default bridge does not.
#[derive(Clone, Debug)]
pub(super) struct NetworkRecord {
    pub id: String,
    pub name: String,
    /// `bridge`, `host` or `null`.
    pub driver: String,
    /// Second octet of the /16 (17 for the default bridge); 0 when the
    /// driver gives no addresses.
    pub octet: u8,
    /// `--subnet` (with `--gateway`, `--ip-range`): the user's addresses
    /// instead of a predefined pool's.
    pub user_subnet: Option<UserSubnet>,
    pub created: Timestamp,
    pub labels: BTreeMap<String, String>,
    pub internal: bool,
    pub predefined: bool,
}

/// An IPv4 block: its first address and its prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub base: u32,
    pub prefix: u8,
}

impl Cidr {
    /// The daemon's default pool N: 172.N.0.0/16.
    pub fn predefined(octet: u8) -> Cidr {
        Cidr {
            base: u32::from_be_bytes([172, octet, 0, 0]),
            prefix: 16,
        }
    }

    /// `10.1.0.0/16`; host bits are cleared, as the daemon keeps the pool.
    pub fn parse(text: &str) -> Option<Cidr> {
        let (ip, prefix) = text.split_once('/')?;
        let ip: std::net::Ipv4Addr = ip.parse().ok()?;
        if !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let prefix: u8 = prefix.parse().ok().filter(|p| *p <= 32)?;
        let base = u32::from(ip) & Cidr::mask(prefix);
        Some(Cidr { base, prefix })
    }

    fn mask(prefix: u8) -> u32 {
        if prefix == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(prefix))
        }
    }

    pub fn last(&self) -> u32 {
        self.base | !Cidr::mask(self.prefix)
    }

    pub fn contains(&self, ip: u32) -> bool {
        ip & Cidr::mask(self.prefix) == self.base
    }

    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.contains(other.base) || other.contains(self.base)
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", std::net::Ipv4Addr::from(self.base), self.prefix)
    }
}

/// What `docker network create --subnet/--gateway/--ip-range` asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserSubnet {
    pub subnet: Cidr,
    /// As given; the daemon takes the subnet's first address otherwise
    /// (and does not report it in IPAM.Config).
    pub gateway: Option<u32>,
    /// Where dynamic addresses come from, when narrower than the subnet.
    pub ip_range: Option<Cidr>,
}

impl NetworkRecord {
    /// The block addresses come from: the user's, or 172.N.0.0/16.
    pub fn cidr(&self) -> Cidr {
        match &self.user_subnet {
            Some(user) => user.subnet,
            None => Cidr::predefined(self.octet),
        }
    }

    /// Whether containers on it get IPv4 addresses (not host or none).
    pub fn addressed(&self) -> bool {
        self.octet != 0 || self.user_subnet.is_some()
    }

    pub fn subnet(&self) -> String {
        self.cidr().to_string()
    }

    fn gateway_ip(&self) -> u32 {
        let cidr = self.cidr();
        self.user_subnet
            .as_ref()
            .and_then(|u| u.gateway)
            // The first host address; a /31 or /32 has none to spare.
            .unwrap_or_else(|| cidr.base.saturating_add(1).min(cidr.last()))
    }

    pub fn gateway(&self) -> String {
        std::net::Ipv4Addr::from(self.gateway_ip()).to_string()
    }

    /// User-defined bridges have an embedded DNS server; the default one
    /// does not.
    pub fn resolves_names(&self) -> bool {
        self.driver == "bridge" && !self.predefined
    }
}

use crate::container::Endpoint;

/// The networks every host starts with. Their ids are derived from their
/// names so they do not consume the RNG (container ids stay as they were).
pub(super) fn default_networks(now: Timestamp) -> BTreeMap<String, NetworkRecord> {
    let mut out = BTreeMap::new();
    for (name, driver, octet) in [
        ("bridge", "bridge", 17u8),
        ("host", "host", 0),
        ("none", "null", 0),
    ] {
        let digest = crate::image::sha256_digest(format!("tidepool network {name}").as_bytes());
        let record = NetworkRecord {
            id: digest.trim_start_matches("sha256:").to_string(),
            name: name.to_string(),
            driver: driver.to_string(),
            octet,
            user_subnet: None,
            created: now,
            labels: BTreeMap::new(),
            internal: false,
            predefined: true,
        };
        out.insert(name.to_string(), record);
    }
    out
}

/// Docker derives a MAC from the IPv4 address: 02:42 then the four octets.
pub(super) fn mac_for(ip: &str) -> String {
    let mut mac = String::from("02:42");
    for o in ip.split('.').filter_map(|o| o.parse::<u8>().ok()) {
        mac.push_str(&format!(":{o:02x}"));
    }
    mac
}

impl Host {
    /// Finds a network by name, full id or unique id prefix.
    pub(super) fn find_network(&self, key: &str) -> Result<String> {
        if self.networks.contains_key(key) {
            return Ok(key.to_string());
        }
        let by_id: Vec<&NetworkRecord> = self
            .networks
            .values()
            .filter(|n| !key.is_empty() && n.id.starts_with(key))
            .collect();
        match by_id.as_slice() {
            [one] => Ok(one.name.clone()),
            _ => Err(EngineError::NetworkNotFound(key.to_string())),
        }
    }

    /// NetworkCreate.
    pub fn network_create(
        &mut self,
        name: &str,
        driver: &str,
        labels: BTreeMap<String, String>,
        internal: bool,
        user_subnet: Option<UserSubnet>,
    ) -> Result<NetworkInfo> {
        self.api("POST", "/networks/create");
        if self.networks.contains_key(name) {
            return Err(EngineError::Conflict(format!(
                "network with name {name} already exists"
            )));
        }
        match driver {
            "" | "bridge" => {}
            "host" | "null" => {
                return Err(EngineError::Conflict(format!(
                    "only one instance of \"{driver}\" network is allowed"
                )))
            }
            other => return Err(EngineError::NetworkNotFound(format!("plugin \"{other}\""))),
        }
        let pools: Vec<Cidr> = self
            .networks
            .values()
            .filter(|n| n.addressed())
            .map(NetworkRecord::cidr)
            .collect();
        let octet = match &user_subnet {
            Some(user) => {
                if pools.iter().any(|p| p.overlaps(&user.subnet)) {
                    return Err(EngineError::PoolOverlaps);
                }
                0
            }
            None => {
                let free =
                    (18u8..=31).find(|o| !pools.iter().any(|p| p.overlaps(&Cidr::predefined(*o))));
                let Some(octet) = free else {
                    return Err(EngineError::InvalidArgument(
                        "all predefined address pools have been fully subnetted".into(),
                    ));
                };
                octet
            }
        };
        let record = NetworkRecord {
            id: self.rng.hex64(),
            name: name.to_string(),
            driver: "bridge".to_string(),
            octet,
            user_subnet,
            created: self.now,
            labels,
            internal,
            predefined: false,
        };
        let id = record.id.clone();
        self.networks.insert(name.to_string(), record);
        self.emit(
            "network",
            "create",
            &id,
            BTreeMap::from([
                ("name".to_string(), name.to_string()),
                ("type".to_string(), "bridge".to_string()),
            ]),
        );
        self.network_inspect(name)
    }

    /// NetworkList, sorted by name.
    pub fn network_list(&self) -> Vec<NetworkInfo> {
        self.api("GET", "/networks");
        self.networks
            .keys()
            .filter_map(|n| self.network_inspect(n).ok())
            .collect()
    }

    /// NetworkInspect.
    pub fn network_inspect(&self, key: &str) -> Result<NetworkInfo> {
        self.api("GET", format!("/networks/{key}"));
        let name = self.find_network(key)?;
        let Some(n) = self.networks.get(&name) else {
            return Err(EngineError::NetworkNotFound(key.to_string()));
        };
        let mut containers = BTreeMap::new();
        for c in self.containers.values() {
            if let Some(ep) = c.endpoints.get(&n.name) {
                containers.insert(
                    c.id.clone(),
                    NetworkContainer {
                        name: c.name.clone(),
                        endpoint_id: ep.id.clone(),
                        mac_address: ep.mac.clone(),
                        ipv4_address: if ep.ip.is_empty() {
                            String::new()
                        } else {
                            format!("{}/{}", ep.ip, n.cidr().prefix)
                        },
                        ipv6_address: String::new(),
                    },
                );
            }
        }
        let ipam_config = match (&n.user_subnet, n.addressed()) {
            // What the user gave, and only that.
            (Some(user), _) => vec![IpamConfig {
                subnet: user.subnet.to_string(),
                ip_range: user.ip_range.map(|r| r.to_string()).unwrap_or_default(),
                gateway: user
                    .gateway
                    .map(|g| std::net::Ipv4Addr::from(g).to_string())
                    .unwrap_or_default(),
            }],
            (None, true) => vec![IpamConfig {
                subnet: n.subnet(),
                ip_range: String::new(),
                gateway: n.gateway(),
            }],
            (None, false) => Vec::new(),
        };
        let mut options = BTreeMap::new();
        if n.name == "bridge" {
            for (k, v) in [
                ("com.docker.network.bridge.default_bridge", "true"),
                ("com.docker.network.bridge.enable_icc", "true"),
                ("com.docker.network.bridge.enable_ip_masquerade", "true"),
                ("com.docker.network.bridge.host_binding_ipv4", "0.0.0.0"),
                ("com.docker.network.bridge.name", "docker0"),
                ("com.docker.network.driver.mtu", "1500"),
            ] {
                options.insert(k.to_string(), v.to_string());
            }
        }
        Ok(NetworkInfo {
            name: n.name.clone(),
            id: n.id.clone(),
            created: n.created.rfc3339_nano(),
            scope: "local".into(),
            driver: n.driver.clone(),
            enable_ipv4: true,
            enable_ipv6: false,
            ipam: Ipam {
                driver: "default".into(),
                options: BTreeMap::new(),
                config: ipam_config,
            },
            internal: n.internal,
            attachable: false,
            ingress: false,
            config_from: ConfigReference {
                network: String::new(),
            },
            config_only: false,
            containers,
            options,
            labels: n.labels.clone(),
        })
    }

    /// Names of the containers attached to a network (running or not).
    fn network_users(&self, name: &str) -> Vec<String> {
        self.containers
            .values()
            .filter(|c| c.networks.iter().any(|n| n == name))
            .map(|c| c.name.clone())
            .collect()
    }

    /// NetworkDelete.
    pub fn network_remove(&mut self, key: &str) -> Result<()> {
        self.api("DELETE", format!("/networks/{key}"));
        let name = self.find_network(key)?;
        let predefined = self.networks.get(&name).is_some_and(|n| n.predefined);
        if predefined {
            return Err(EngineError::Conflict(format!(
                "{name} is a pre-defined network and cannot be removed"
            )));
        }
        let active: Vec<String> = self
            .containers
            .values()
            .filter(|c| c.endpoints.contains_key(&name))
            .map(|c| c.name.clone())
            .collect();
        if !active.is_empty() {
            return Err(EngineError::Conflict(format!(
                "error while removing network: network {name} has active endpoints ({})",
                active.join(", ")
            )));
        }
        for c in self.containers.values_mut() {
            c.networks.retain(|n| *n != name);
        }
        self.networks.remove(&name);
        Ok(())
    }

    /// NetworksPrune: user networks nothing uses. Returns their names.
    pub fn network_prune(&mut self, filter: &crate::filters::Prune) -> Vec<String> {
        self.api("POST", "/networks/prune");
        let names: Vec<String> = self
            .networks
            .values()
            .filter(|n| !n.predefined)
            .filter(|n| filter.selects(n.created, &n.labels))
            .map(|n| n.name.clone())
            .filter(|n| self.network_users(n).is_empty())
            .collect();
        for n in &names {
            self.networks.remove(n);
        }
        names
    }

    /// NetworkConnect.
    pub fn network_connect(
        &mut self,
        network: &str,
        container: &str,
        aliases: Vec<String>,
        ip: &str,
    ) -> Result<()> {
        self.api("POST", format!("/networks/{network}/connect"));
        let name = self.find_network(network)?;
        let id = self.find(container)?;
        let Some(c) = self.containers.get(&id) else {
            return Err(EngineError::NoSuchContainer(container.to_string()));
        };
        if c.networks.contains(&name) {
            return Err(EngineError::Conflict(format!(
                "endpoint with name {} already exists in network {name}",
                c.name
            )));
        }
        // moby's updateNetworkSettings: the host's namespace is shared and
        // none is private, so neither mixes with another network.
        let driver = |n: &str| self.networks.get(n).map(|r| r.driver.clone());
        let joining = driver(&name).unwrap_or_default();
        if c.host_config.network_mode != "host" && joining == "host" {
            return Err(EngineError::ConflictHostNetwork);
        }
        for current in &c.networks {
            if driver(current).as_deref() == Some("host") || joining == "host" {
                return Err(EngineError::ConflictSharedNetwork);
            }
            if current == "none" || name == "none" {
                return Err(EngineError::ConflictNoNetwork);
            }
        }
        if !ip.is_empty() {
            self.check_static_ip(&name, ip)?;
            let running = c.state.is_running();
            let taken = self.containers.values().any(|other| {
                other.id != id && other.endpoints.get(&name).is_some_and(|e| e.ip == ip)
            });
            if running && taken {
                return Err(EngineError::AddressInUse);
            }
        }
        if let Some(c) = self.containers.get_mut(&id) {
            c.networks.push(name.clone());
            c.aliases.insert(name.clone(), aliases);
            if !ip.is_empty() {
                c.static_ips.insert(name.clone(), ip.to_string());
            }
        }
        let running = self
            .containers
            .get(&id)
            .is_some_and(|c| c.state.is_running());
        if running {
            self.attach_endpoint(&id, &name);
            self.write_network_files(&id);
        }
        Ok(())
    }

    /// NetworkDisconnect.
    pub fn network_disconnect(&mut self, network: &str, container: &str) -> Result<()> {
        self.api("POST", format!("/networks/{network}/disconnect"));
        let name = self.find_network(network)?;
        let id = self.find(container)?;
        let Some(c) = self.containers.get_mut(&id) else {
            return Err(EngineError::NoSuchContainer(container.to_string()));
        };
        if !c.networks.contains(&name) {
            return Err(EngineError::Conflict(format!(
                "container {id} is not connected to network {name}"
            )));
        }
        c.networks.retain(|n| *n != name);
        c.endpoints.remove(&name);
        c.static_ips.remove(&name);
        self.write_hosts(&id);
        Ok(())
    }

    /// The first address on `n` no endpoint holds: from its `--ip-range`
    /// if it has one, past the network address and the gateway.
    fn free_address(&self, n: &NetworkRecord) -> Option<String> {
        let taken: std::collections::BTreeSet<String> = self
            .containers
            .values()
            .filter_map(|c| c.endpoints.get(&n.name).map(|e| e.ip.clone()))
            .collect();
        let pool = n
            .user_subnet
            .as_ref()
            .and_then(|u| u.ip_range)
            .unwrap_or(n.cidr());
        let subnet = n.cidr();
        let gateway = n.gateway_ip();
        (pool.base..=pool.last())
            .filter(|a| *a != subnet.base && *a != subnet.last() && *a != gateway)
            .map(|a| std::net::Ipv4Addr::from(a).to_string())
            .find(|a| !taken.contains(a))
    }

    /// Whether a static address (`--ip`) may be asked of `network`, in the
    /// daemon's words when not.
    pub(super) fn check_static_ip(&self, network: &str, ip: &str) -> Result<()> {
        let refuse = |reason: EndpointRefusal| {
            Err(EngineError::InvalidEndpointSettings {
                network: network.to_string(),
                reason,
            })
        };
        let Some(n) = self.networks.get(network) else {
            return Err(EngineError::NetworkNotFound(network.to_string()));
        };
        if n.predefined {
            return refuse(EndpointRefusal::PredefinedNetwork);
        }
        let Some(user) = &n.user_subnet else {
            return refuse(EndpointRefusal::NoUserSubnet);
        };
        let reserved =
            |a: u32| a == user.subnet.base || a == user.subnet.last() || a == n.gateway_ip();
        match ip.parse::<std::net::Ipv4Addr>() {
            // libnetwork keeps the network, broadcast and gateway addresses.
            Ok(addr) if reserved(u32::from(addr)) => Err(EngineError::AddressInUse),
            Ok(addr) if user.subnet.contains(u32::from(addr)) => Ok(()),
            Ok(_) => refuse(EndpointRefusal::OutsideSubnet(ip.to_string())),
            Err(_) => refuse(EndpointRefusal::NotAnAddress(ip.to_string())),
        }
    }

    /// A static address another running container already holds.
    pub(super) fn static_ip_in_use(&self, id: &str, network: &str) -> bool {
        let Some(wanted) = self
            .containers
            .get(id)
            .and_then(|c| c.static_ips.get(network))
        else {
            return false;
        };
        self.containers
            .values()
            .filter(|c| c.id != id)
            .any(|c| c.endpoints.get(network).is_some_and(|e| &e.ip == wanted))
    }

    /// Gives a running container its address on a network.
    pub(super) fn attach_endpoint(&mut self, id: &str, network: &str) {
        let Some(n) = self.networks.get(network) else {
            return;
        };
        let wanted = self
            .containers
            .get(id)
            .and_then(|c| c.static_ips.get(network))
            .cloned();
        let ip = match (n.addressed(), wanted) {
            (false, _) => String::new(),
            (true, Some(ip)) => ip,
            (true, None) => self.free_address(n).unwrap_or_default(),
        };
        let endpoint_id = self.rng.hex64();
        if let Some(c) = self.containers.get_mut(id) {
            let mac = if ip.is_empty() {
                String::new()
            } else {
                mac_for(&ip)
            };
            let aliases = c.aliases.get(network).cloned().unwrap_or_default();
            c.endpoints.insert(
                network.to_string(),
                Endpoint {
                    ip,
                    mac,
                    id: endpoint_id,
                    aliases,
                },
            );
        }
    }

    /// Who a container can reach by name, and what each listens on.
    pub(super) fn peers_of(&self, id: &str) -> Vec<crate::programs::Peer> {
        let Some(me) = self.containers.get(id) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for net in me.endpoints.keys() {
            if !self.networks.get(net).is_some_and(|n| n.resolves_names()) {
                continue;
            }
            for c in self
                .containers
                .values()
                .filter(|c| c.id != me.id && c.state.status == Status::Running)
            {
                let Some(ep) = c.endpoints.get(net) else {
                    continue;
                };
                let mut names = vec![c.name.clone(), c.id[..12].to_string()];
                names.extend(ep.aliases.iter().cloned());
                let listening = c.process.as_ref().map(|p| p.listens()).unwrap_or_default();
                out.push(crate::programs::Peer { names, listening });
            }
        }
        out
    }

    /// Resolves `name` the way a container's resolver does: on user-defined
    /// networks it shares with `from`, container names, aliases and short
    /// ids give addresses. Returns the target container and its address.
    pub(super) fn resolve_from(&self, from: &Container, name: &str) -> Option<(String, String)> {
        for net in from.endpoints.keys() {
            let Some(n) = self.networks.get(net) else {
                continue;
            };
            if !n.resolves_names() {
                continue;
            }
            for c in self.containers.values() {
                let Some(ep) = c.endpoints.get(net) else {
                    continue;
                };
                let hit = c.name == name
                    || ep.aliases.iter().any(|a| a == name)
                    || (name.len() >= 12 && c.id.starts_with(name));
                if hit {
                    return Some((c.id.clone(), ep.ip.clone()));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::Cidr;

    #[test]
    fn cidr_blocks_from_slash_zero_to_slash_thirty_two() {
        let all = Cidr::parse("0.0.0.0/0").expect("a block");
        assert_eq!((all.base, all.last()), (0, u32::MAX));
        let one = Cidr::parse("10.1.2.3/32").expect("a block");
        assert_eq!(one.last(), one.base);
        assert_eq!(one.to_string(), "10.1.2.3/32");
        let net = Cidr::parse("10.1.2.3/16").expect("a block");
        assert_eq!(net.to_string(), "10.1.0.0/16", "host bits cleared");
        assert!(net.overlaps(&Cidr::parse("10.1.200.0/24").expect("a block")));
        assert!(!net.overlaps(&Cidr::parse("10.2.0.0/16").expect("a block")));
        for bad in ["10.0.0.0", "10.0.0.0/33", "x/8", "10.0.0.0/+8"] {
            assert_eq!(Cidr::parse(bad), None, "{bad}");
        }
    }
}
