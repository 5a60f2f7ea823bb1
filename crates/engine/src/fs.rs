//! Filesystem trees and their union.
//!
//! A `FileTree` maps absolute paths to nodes. The host machine's disk is one
//! tree; an image layer is a frozen tree that may also hold whiteouts (a
//! deleted path) and opaque directories (a directory whose lower contents are
//! hidden), exactly the overlayfs vocabulary. A container sees the union of
//! its image's layers and its own writable tree, top-down, plus its mounts.
//! Bulk content is a sized placeholder, so a 190 MB image costs a few
//! kilobytes of memory.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

impl Meta {
    pub const DIR: Meta = Meta {
        mode: 0o755,
        uid: 0,
        gid: 0,
    };
    pub const FILE: Meta = Meta {
        mode: 0o644,
        uid: 0,
        gid: 0,
    };
    pub const EXEC: Meta = Meta {
        mode: 0o755,
        uid: 0,
        gid: 0,
    };
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Content {
    /// Real bytes: configuration files, web pages, scripts.
    Bytes(Vec<u8>),
    /// Stands for `size` bytes nobody will read (libraries, binaries).
    Placeholder { size: u64, label: String },
}

impl Content {
    pub fn size(&self) -> u64 {
        match self {
            Content::Bytes(b) => b.len() as u64,
            Content::Placeholder { size, .. } => *size,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Node {
    File {
        meta: Meta,
        content: Content,
        /// Running this file runs the named simulated program.
        program: Option<String>,
    },
    Dir {
        meta: Meta,
        /// In a layer: hide everything lower layers have below this path.
        opaque: bool,
    },
    Symlink {
        target: String,
    },
    /// In a layer: this path was deleted.
    Whiteout,
}

impl Node {
    pub fn dir() -> Node {
        Node::Dir {
            meta: Meta::DIR,
            opaque: false,
        }
    }

    pub fn file(bytes: impl Into<Vec<u8>>) -> Node {
        Node::File {
            meta: Meta::FILE,
            content: Content::Bytes(bytes.into()),
            program: None,
        }
    }

    pub fn is_dir(&self) -> bool {
        matches!(self, Node::Dir { .. })
    }

    pub fn size(&self) -> u64 {
        match self {
            Node::File { content, .. } => content.size(),
            Node::Symlink { target } => target.len() as u64,
            _ => 0,
        }
    }
}

/// Normalizes a path against `cwd`: resolves `.` and `..`, collapses `//`,
/// always absolute, never a trailing slash (except `/` itself).
pub fn normalize(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// `/a/b/c` → `/a/b`; `/a` → `/`; `/` → `/`.
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// The last component of a path (`/` for the root).
pub fn base_name(path: &str) -> &str {
    if path == "/" {
        return "/";
    }
    path.rsplit('/').next().unwrap_or(path)
}

/// Every proper ancestor of `path`, root first, not including `/`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/')
        .filter(|(i, _)| *i > 0)
        .map(move |(i, _)| &path[..i])
}

fn child_prefix(dir: &str) -> String {
    if dir == "/" {
        "/".to_string()
    } else {
        format!("{dir}/")
    }
}

/// A plain tree of nodes keyed by absolute path. The root directory is
/// implicit and always exists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileTree {
    nodes: BTreeMap<String, Node>,
}

impl FileTree {
    pub fn new() -> FileTree {
        FileTree::default()
    }

    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Node)> {
        self.nodes.iter()
    }

    /// Inserts a node, creating missing parent directories.
    pub fn insert(&mut self, path: &str, node: Node) {
        for dir in ancestors(path) {
            if !self.nodes.get(dir).is_some_and(Node::is_dir) {
                self.nodes.insert(dir.to_string(), Node::dir());
            }
        }
        if path != "/" {
            self.nodes.insert(path.to_string(), node);
        }
    }

    /// Removes `path` and everything below it. Returns whether it existed.
    pub fn remove_tree(&mut self, path: &str) -> bool {
        let existed = self.nodes.remove(path).is_some();
        let below: Vec<String> = self.below(path).map(|(p, _)| p.clone()).collect();
        for p in &below {
            self.nodes.remove(p);
        }
        existed || !below.is_empty()
    }

    /// Every entry strictly below `dir`, in path order.
    pub fn below<'a>(&'a self, dir: &str) -> impl Iterator<Item = (&'a String, &'a Node)> + 'a {
        let prefix = child_prefix(dir);
        self.nodes
            .range(prefix.clone()..)
            .take_while(move |(p, _)| p.starts_with(&prefix))
    }

    /// Names of the direct children of `dir`.
    pub fn children(&self, dir: &str) -> Vec<String> {
        let prefix = child_prefix(dir);
        self.below(dir)
            .filter_map(|(p, _)| {
                let rest = &p[prefix.len()..];
                (!rest.contains('/')).then(|| rest.to_string())
            })
            .collect()
    }

    pub fn exists(&self, path: &str) -> bool {
        path == "/" || self.nodes.contains_key(path)
    }

    pub fn is_dir(&self, path: &str) -> bool {
        path == "/" || self.nodes.get(path).is_some_and(Node::is_dir)
    }

    /// Sum of file sizes, the figure `docker images` and `docker ps -s` add up.
    pub fn content_size(&self) -> u64 {
        self.nodes.values().map(Node::size).sum()
    }

    /// A byte string that identifies the tree's content: sorted paths, kinds,
    /// metadata and content. Its sha256 is the layer's digest.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (path, node) in &self.nodes {
            out.extend_from_slice(path.as_bytes());
            out.push(0);
            match node {
                Node::File {
                    meta,
                    content,
                    program,
                } => {
                    out.extend_from_slice(
                        format!("f {:o} {} {}", meta.mode, meta.uid, meta.gid).as_bytes(),
                    );
                    if let Some(p) = program {
                        out.extend_from_slice(format!(" program={p}").as_bytes());
                    }
                    match content {
                        Content::Bytes(b) => {
                            out.extend_from_slice(format!(" bytes {}\0", b.len()).as_bytes());
                            out.extend_from_slice(b);
                        }
                        Content::Placeholder { size, label } => {
                            out.extend_from_slice(
                                format!(" placeholder {size} {label}").as_bytes(),
                            );
                        }
                    }
                }
                Node::Dir { meta, opaque } => {
                    out.extend_from_slice(
                        format!("d {:o} {} {} {opaque}", meta.mode, meta.uid, meta.gid).as_bytes(),
                    );
                }
                Node::Symlink { target } => out.extend_from_slice(format!("l {target}").as_bytes()),
                Node::Whiteout => out.extend_from_slice(b"w"),
            }
            out.push(b'\n');
        }
        out
    }
}

/// Read access to a filesystem as a process sees it: the machine's disk,
/// or a container's layers, writable layer and mounts together.
pub trait ReadFs {
    /// The node at `path` exactly (no symlink resolution).
    fn node(&self, path: &str) -> Option<Node>;
    /// Names of the children of `dir`, sorted.
    fn list(&self, dir: &str) -> Vec<String>;

    fn exists(&self, path: &str) -> bool {
        path == "/" || self.node(path).is_some()
    }

    fn is_dir(&self, path: &str) -> bool {
        path == "/" || self.node(path).is_some_and(|n| n.is_dir())
    }

    /// Follows symlinks in every component (at most 40 hops, as Linux).
    fn resolve(&self, path: &str) -> String {
        let mut current = normalize("/", path);
        for _ in 0..40 {
            let parts: Vec<String> = current
                .split('/')
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
            let mut prefix = String::new();
            let mut next = None;
            for (i, part) in parts.iter().enumerate() {
                prefix.push('/');
                prefix.push_str(part);
                if let Some(Node::Symlink { target }) = self.node(&prefix) {
                    let rest = parts[i + 1..].join("/");
                    let joined = if rest.is_empty() {
                        target.clone()
                    } else {
                        format!("{target}/{rest}")
                    };
                    next = Some(normalize(parent(&prefix), &joined));
                    break;
                }
            }
            match next {
                Some(n) => current = n,
                None => return current,
            }
        }
        current
    }

    /// Every path strictly below `dir`, depth first in path order.
    fn walk(&self, dir: &str) -> Vec<(String, Node)> {
        let mut out = Vec::new();
        for name in self.list(dir) {
            let child = if dir == "/" {
                format!("/{name}")
            } else {
                format!("{dir}/{name}")
            };
            if let Some(node) = self.node(&child) {
                let is_dir = node.is_dir();
                out.push((child.clone(), node));
                if is_dir {
                    out.extend(self.walk(&child));
                }
            }
        }
        out
    }
}

/// Why a write was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteError {
    ReadOnly,
    /// A mount point (`rm /etc/hosts` in a container).
    Busy,
}

/// A filesystem that can be changed.
pub trait Filesystem: ReadFs {
    /// Creates or replaces `path` (parents are created as directories).
    fn put(&mut self, path: &str, node: Node) -> std::result::Result<(), WriteError>;
    /// Removes `path` and everything below it.
    fn delete(&mut self, path: &str) -> std::result::Result<bool, WriteError>;
}

impl ReadFs for FileTree {
    fn node(&self, path: &str) -> Option<Node> {
        if path == "/" {
            return Some(Node::dir());
        }
        self.get(path).cloned()
    }

    fn list(&self, dir: &str) -> Vec<String> {
        self.children(dir)
    }
}

impl Filesystem for FileTree {
    fn put(&mut self, path: &str, node: Node) -> std::result::Result<(), WriteError> {
        self.insert(path, node);
        Ok(())
    }

    fn delete(&mut self, path: &str) -> std::result::Result<bool, WriteError> {
        Ok(self.remove_tree(path))
    }
}

impl ReadFs for Union<'_> {
    fn node(&self, path: &str) -> Option<Node> {
        if path == "/" {
            return Some(Node::dir());
        }
        self.get(path).cloned()
    }

    fn list(&self, dir: &str) -> Vec<String> {
        self.children(dir)
    }
}

/// A read-only union of trees, the first one on top.
pub struct Union<'a> {
    pub layers: Vec<&'a FileTree>,
}

/// What a path resolves to in a union.
pub enum Lookup<'a> {
    Found(&'a Node),
    Missing,
}

impl<'a> Union<'a> {
    pub fn new(layers: Vec<&'a FileTree>) -> Union<'a> {
        Union { layers }
    }

    pub fn get(&self, path: &str) -> Option<&'a Node> {
        match self.lookup(path) {
            Lookup::Found(n) => Some(n),
            Lookup::Missing => None,
        }
    }

    fn lookup(&self, path: &str) -> Lookup<'a> {
        for layer in &self.layers {
            let mut hidden_below = false;
            for dir in ancestors(path) {
                match layer.get(dir) {
                    Some(Node::Whiteout) => return Lookup::Missing,
                    Some(Node::Dir { opaque: true, .. }) => hidden_below = true,
                    Some(Node::File { .. }) | Some(Node::Symlink { .. }) => return Lookup::Missing,
                    _ => {}
                }
            }
            match layer.get(path) {
                Some(Node::Whiteout) => return Lookup::Missing,
                Some(node) => return Lookup::Found(node),
                None if hidden_below => return Lookup::Missing,
                None => {}
            }
        }
        Lookup::Missing
    }

    pub fn exists(&self, path: &str) -> bool {
        path == "/" || self.get(path).is_some()
    }

    pub fn is_dir(&self, path: &str) -> bool {
        path == "/" || self.get(path).is_some_and(Node::is_dir)
    }

    /// Names of the children of `dir`, sorted, merged across layers.
    pub fn children(&self, dir: &str) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for layer in &self.layers {
            for name in layer.children(dir) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        let prefix = child_prefix(dir);
        names.retain(|n| self.exists(&format!("{prefix}{n}")));
        names.sort();
        names
    }

    pub fn read(&self, path: &str) -> Option<&'a Content> {
        match self.get(path) {
            Some(Node::File { content, .. }) => Some(content),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_handles_dots_and_relatives() {
        assert_eq!(normalize("/root", "html/../x//y/."), "/root/x/y");
        assert_eq!(normalize("/", ".."), "/");
        assert_eq!(normalize("/a", "/b/"), "/b");
        assert_eq!(parent("/a/b"), "/a");
        assert_eq!(parent("/a"), "/");
        assert_eq!(base_name("/a/b"), "b");
    }

    #[test]
    fn union_honours_whiteouts_and_opaque_dirs() {
        let mut lower = FileTree::new();
        lower.insert("/etc/a", Node::file("a"));
        lower.insert("/etc/b", Node::file("b"));
        lower.insert("/data/x", Node::file("x"));
        let mut upper = FileTree::new();
        upper.insert("/etc/a", Node::Whiteout);
        upper.insert("/etc/c", Node::file("c"));
        upper.insert(
            "/data",
            Node::Dir {
                meta: Meta::DIR,
                opaque: true,
            },
        );
        let u = Union::new(vec![&upper, &lower]);
        assert!(u.get("/etc/a").is_none());
        assert!(u.get("/etc/b").is_some());
        assert_eq!(u.children("/etc"), vec!["b", "c"]);
        assert!(u.get("/data/x").is_none());
        assert!(u.is_dir("/data"));
        assert_eq!(u.children("/"), vec!["data", "etc"]);
    }

    #[test]
    fn resolve_follows_symlinked_directories() {
        let mut t = FileTree::new();
        t.insert("/usr/bin/sh", Node::file("x"));
        t.insert(
            "/bin",
            Node::Symlink {
                target: "usr/bin".into(),
            },
        );
        let u = Union::new(vec![&t]);
        assert_eq!(u.resolve("/bin/sh"), "/usr/bin/sh");
        assert_eq!(u.resolve("/usr/bin/sh"), "/usr/bin/sh");
    }

    #[test]
    fn remove_tree_takes_the_subtree() {
        let mut t = FileTree::new();
        t.insert("/a/b/c", Node::file("1"));
        t.insert("/ab", Node::file("2"));
        assert!(t.remove_tree("/a"));
        assert!(!t.exists("/a/b"));
        assert!(t.exists("/ab"));
    }
}
