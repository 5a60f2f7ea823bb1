use super::*;

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
    pub created: Timestamp,
    pub labels: BTreeMap<String, String>,
    pub internal: bool,
    pub predefined: bool,
}

impl NetworkRecord {
    pub fn subnet(&self) -> String {
        format!("172.{}.0.0/16", self.octet)
    }

    pub fn gateway(&self) -> String {
        format!("172.{}.0.1", self.octet)
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
        let used: Vec<u8> = self.networks.values().map(|n| n.octet).collect();
        let Some(octet) = (18u8..=31).find(|o| !used.contains(o)) else {
            return Err(EngineError::InvalidArgument(
                "all predefined address pools have been fully subnetted".into(),
            ));
        };
        let record = NetworkRecord {
            id: self.rng.hex64(),
            name: name.to_string(),
            driver: "bridge".to_string(),
            octet,
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
                            format!("{}/16", ep.ip)
                        },
                        ipv6_address: String::new(),
                    },
                );
            }
        }
        let ipam_config = if n.octet == 0 {
            Vec::new()
        } else {
            vec![IpamConfig {
                subnet: n.subnet(),
                gateway: n.gateway(),
            }]
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
    pub fn network_prune(&mut self) -> Vec<String> {
        self.api("POST", "/networks/prune");
        let names: Vec<String> = self
            .networks
            .values()
            .filter(|n| !n.predefined)
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
        if let Some(c) = self.containers.get_mut(&id) {
            c.networks.push(name.clone());
            c.aliases.insert(name.clone(), aliases);
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
        self.write_hosts(&id);
        Ok(())
    }

    /// Gives a running container its address on a network.
    pub(super) fn attach_endpoint(&mut self, id: &str, network: &str) {
        let Some(n) = self.networks.get(network) else {
            return;
        };
        let octet = n.octet;
        let ip = if octet == 0 {
            String::new()
        } else {
            let taken: Vec<String> = self
                .containers
                .values()
                .filter_map(|c| c.endpoints.get(network).map(|e| e.ip.clone()))
                .collect();
            let mut host_part = 2u32;
            loop {
                let candidate = format!("172.{octet}.{}.{}", host_part / 256, host_part % 256);
                if !taken.contains(&candidate) || host_part > 65_000 {
                    break candidate;
                }
                host_part += 1;
            }
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
