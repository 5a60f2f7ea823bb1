//! `--user NAME[:GROUP]`: names must exist in the container's /etc/passwd
//! and /etc/group when it starts, as the daemon checks while it writes the
//! process spec. Numbers need no entry. Only distribution images (one
//! layer: alpine, busybox, ubuntu, debian) are checked, since the catalog
//! does not carry the accounts application images add; a file the image
//! does not have is not checked either.

use super::network_files::text_of;
use super::*;

impl Host {
    /// Why the container's user cannot start a process, in the daemon's
    /// words; `None` when it can.
    pub(super) fn user_problem(&self, id: &str) -> Option<String> {
        let c = self.containers.get(id)?;
        let spec = c.config.user.trim();
        if spec.is_empty() {
            return None;
        }
        let (user, group) = match spec.split_once(':') {
            Some((u, g)) => (u, g),
            None => (spec, ""),
        };
        // The catalog models a distribution's own accounts, not the ones an
        // application image adds (node, postgres, nginx...): only a
        // one-layer image's files are the whole story.
        let whole = self
            .images
            .image(&c.image_id)
            .is_some_and(|image| image.layers.len() == 1);
        if !whole {
            return None;
        }
        let named = |s: &str| !s.is_empty() && !s.chars().all(|ch| ch.is_ascii_digit());
        let fs = c.view(&self.machine);
        // A file the simulated image does not carry cannot be checked.
        let has = |file: &str, name: &str| match text_of(fs.node(file).as_ref()) {
            Some(text) => text
                .lines()
                .any(|line| line.split(':').next() == Some(name)),
            None => true,
        };
        if named(user) && !has("/etc/passwd", user) {
            return Some(format!(
                "unable to find user {user}: no matching entries in passwd file"
            ));
        }
        if named(group) && !has("/etc/group", group) {
            return Some(format!(
                "unable to find group {group}: no matching entries in group file"
            ));
        }
        None
    }
}
