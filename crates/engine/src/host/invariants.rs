//! The host's invariants, checked by the property tests after random
//! command sequences.

use super::*;

impl Host {
    /// Everything that must hold whatever was typed: layer counts match the
    /// images using them; each container's image and volumes exist; a host
    /// port is bound by at most one running container. The first broken
    /// one, in words.
    pub fn check_invariants(&self) -> std::result::Result<(), String> {
        self.images.check()?;
        let mut bound: BTreeMap<(String, u16, String), &str> = BTreeMap::new();
        for c in self.containers.values() {
            if self.images.image(&c.image_id).is_none() {
                return Err(format!(
                    "container {} uses missing image {}",
                    c.id, c.image_id
                ));
            }
            for m in &c.mounts {
                if m.kind == crate::container::MountKind::Volume
                    && !self.volumes.contains_key(&m.source)
                {
                    return Err(format!(
                        "container {} mounts missing volume {}",
                        c.id, m.source
                    ));
                }
            }
            if !c.state.is_running() {
                continue;
            }
            for p in &c.ports {
                let key = (p.host_ip.clone(), p.host_port, p.proto.clone());
                if let Some(other) = bound.insert(key, &c.id) {
                    return Err(format!(
                        "host port {}:{}/{} bound by {other} and {}",
                        p.host_ip, p.host_port, p.proto, c.id
                    ));
                }
            }
        }
        Ok(())
    }

    /// What the objects are, without times: containers (name and state),
    /// images and their tags, volumes, networks. A command that fails
    /// leaves it as it was.
    pub fn fingerprint(&self) -> String {
        let mut out = String::new();
        for c in self.containers.values() {
            out.push_str(&format!("c {} {} {:?}\n", c.id, c.name, c.state.status));
        }
        for image in self.images.images() {
            out.push_str(&format!(
                "i {} {:?}\n",
                image.id,
                self.images.tags_of(&image.id)
            ));
        }
        for v in self.volumes.keys() {
            out.push_str(&format!("v {v}\n"));
        }
        for n in self.networks.keys() {
            out.push_str(&format!("n {n}\n"));
        }
        out
    }
}
