//! File operations the shell's commands share, over whichever filesystem
//! the shell works on (the machine's, or a container's through its layers
//! and mounts), with the error words coreutils and bash use.

use std::fmt;
use tidepool_engine::fs::{parent, Content, Filesystem, Node, ReadFs, WriteError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    IsDir,
    NotDir,
    NotEmpty,
    ReadOnly,
    Busy,
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FsError::NotFound => "No such file or directory",
            FsError::IsDir => "Is a directory",
            FsError::NotDir => "Not a directory",
            FsError::NotEmpty => "Directory not empty",
            FsError::ReadOnly => "Read-only file system",
            FsError::Busy => "Device or resource busy",
        })
    }
}

impl From<WriteError> for FsError {
    fn from(e: WriteError) -> FsError {
        match e {
            WriteError::ReadOnly => FsError::ReadOnly,
            WriteError::Busy => FsError::Busy,
        }
    }
}

fn parent_ok(fs: &dyn ReadFs, path: &str) -> Result<(), FsError> {
    let dir = parent(path);
    match fs.node(dir) {
        _ if dir == "/" => Ok(()),
        Some(Node::Dir { .. }) => Ok(()),
        Some(_) => Err(FsError::NotDir),
        None => Err(FsError::NotFound),
    }
}

/// Creates or truncates a file for `>` (or just checks for `>>`).
pub fn open_for_write(fs: &mut dyn Filesystem, path: &str, append: bool) -> Result<(), FsError> {
    parent_ok(fs, path)?;
    match fs.node(path) {
        Some(Node::Dir { .. }) => Err(FsError::IsDir),
        Some(Node::File { .. }) if append => Ok(()),
        _ => Ok(fs.put(path, Node::file(Vec::new()))?),
    }
}

pub fn append_text(fs: &mut dyn Filesystem, path: &str, text: &str) -> Result<(), FsError> {
    let mut bytes = match fs.node(path) {
        Some(Node::File {
            content: Content::Bytes(b),
            ..
        }) => b,
        Some(Node::Dir { .. }) => return Err(FsError::IsDir),
        _ => Vec::new(),
    };
    bytes.extend_from_slice(text.as_bytes());
    write_bytes(fs, path, bytes)
}

/// Writes a whole file, keeping its mode if it existed.
pub fn write_bytes(fs: &mut dyn Filesystem, path: &str, bytes: Vec<u8>) -> Result<(), FsError> {
    parent_ok(fs, path)?;
    let node = match fs.node(path) {
        Some(Node::Dir { .. }) => return Err(FsError::IsDir),
        Some(Node::File { meta, program, .. }) => Node::File {
            meta,
            content: Content::Bytes(bytes),
            program,
        },
        _ => Node::file(bytes),
    };
    Ok(fs.put(path, node)?)
}

pub fn read_bytes(fs: &dyn ReadFs, path: &str) -> Result<Vec<u8>, FsError> {
    let resolved = fs.resolve(path);
    // The null device exists everywhere and reads as empty.
    if resolved == "/dev/null" {
        return Ok(Vec::new());
    }
    match fs.node(&resolved) {
        Some(Node::File {
            content: Content::Bytes(b),
            ..
        }) => Ok(b),
        Some(Node::File {
            content: Content::Placeholder { size, .. },
            ..
        }) => Ok(vec![0; size.min(4096) as usize]),
        Some(Node::Dir { .. }) => Err(FsError::IsDir),
        _ if path == "/" => Err(FsError::IsDir),
        _ => Err(FsError::NotFound),
    }
}

pub fn read_text(fs: &dyn ReadFs, path: &str) -> Result<String, FsError> {
    read_bytes(fs, path).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// Matches `*` and `?` (and `[...]` classes) against one name.
pub fn wildcard(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    fn go(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') => (0..=n.len()).any(|i| go(&p[1..], &n[i..])),
            Some('?') => !n.is_empty() && go(&p[1..], &n[1..]),
            Some('[') => {
                let Some(end) = p.iter().position(|&c| c == ']') else {
                    return n.first() == Some(&'[') && go(&p[1..], &n[1..]);
                };
                let Some(&c) = n.first() else { return false };
                let class = &p[1..end];
                let (negate, class) = match class.first() {
                    Some('!') | Some('^') => (true, &class[1..]),
                    _ => (false, class),
                };
                let mut hit = false;
                let mut i = 0;
                while i < class.len() {
                    if i + 2 < class.len() && class[i + 1] == '-' {
                        hit |= class[i] <= c && c <= class[i + 2];
                        i += 3;
                    } else {
                        hit |= class[i] == c;
                        i += 1;
                    }
                }
                hit != negate && go(&p[end + 1..], &n[1..])
            }
            Some(&c) => n.first() == Some(&c) && go(&p[1..], &n[1..]),
        }
    }
    go(&p, &n)
}

/// Expands a glob pattern. Relative patterns give relative results,
/// sorted; no match gives an empty list.
pub fn glob(fs: &dyn ReadFs, cwd: &str, pattern: &str) -> Vec<String> {
    let absolute = pattern.starts_with('/');
    let mut results: Vec<String> = vec![if absolute {
        "/".to_string()
    } else {
        String::new()
    }];
    let comps: Vec<&str> = pattern.split('/').filter(|c| !c.is_empty()).collect();
    for comp in comps {
        let mut next = Vec::new();
        for base in &results {
            let dir = if absolute || base.starts_with('/') {
                tidepool_engine::fs::normalize("/", base)
            } else {
                tidepool_engine::fs::normalize(cwd, if base.is_empty() { "." } else { base })
            };
            let join = |name: &str| {
                if base.is_empty() {
                    name.to_string()
                } else if base.ends_with('/') {
                    format!("{base}{name}")
                } else {
                    format!("{base}/{name}")
                }
            };
            if comp.contains(['*', '?', '[']) {
                for name in fs.list(&dir) {
                    if name.starts_with('.') && !comp.starts_with('.') {
                        continue;
                    }
                    if wildcard(comp, &name) {
                        next.push(join(&name));
                    }
                }
            } else {
                let candidate = join(comp);
                if fs.exists(&tidepool_engine::fs::normalize(cwd, &candidate)) {
                    next.push(candidate);
                }
            }
        }
        results = next;
        if results.is_empty() {
            break;
        }
    }
    results.sort();
    results
}

/// `cp -r`: copies a file or a directory tree to `dest`.
pub fn copy_tree(fs: &mut dyn Filesystem, src: &str, dest: &str) -> Result<(), FsError> {
    let Some(node) = fs.node(src) else {
        return Err(FsError::NotFound);
    };
    parent_ok(fs, dest)?;
    let below = if node.is_dir() {
        fs.walk(src)
    } else {
        Vec::new()
    };
    fs.put(dest, node)?;
    for (p, n) in below {
        let rel = &p[src.len()..];
        fs.put(&format!("{dest}{rel}"), n)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tidepool_engine::fs::FileTree;

    #[test]
    fn wildcards() {
        assert!(wildcard("*.txt", "a.txt"));
        assert!(!wildcard("*.txt", "a.txt.bak"));
        assert!(wildcard("a?c", "abc"));
        assert!(wildcard("[a-c]x", "bx"));
        assert!(!wildcard("[!a-c]x", "bx"));
    }

    #[test]
    fn glob_relative_and_absolute() {
        let mut t = FileTree::new();
        t.insert("/root/a.txt", Node::file("a"));
        t.insert("/root/b.txt", Node::file("b"));
        t.insert("/root/c.md", Node::file("c"));
        assert_eq!(glob(&t, "/root", "*.txt"), vec!["a.txt", "b.txt"]);
        assert_eq!(glob(&t, "/", "/root/*.md"), vec!["/root/c.md"]);
        assert!(glob(&t, "/root", "*.zip").is_empty());
    }
}
