//! Image references, normalized the way distribution/reference does it:
//! `nginx` is `docker.io/library/nginx`, a first component with a `.` or `:`
//! (or `localhost`, or an uppercase letter) is a registry, tags default to
//! `latest`. The error texts are Docker's, word for word.

use std::fmt;

pub const DEFAULT_DOMAIN: &str = "docker.io";
const LEGACY_DEFAULT_DOMAIN: &str = "index.docker.io";
const OFFICIAL_PREFIX: &str = "library/";
const NAME_TOTAL_LENGTH_MAX: usize = 255;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference {
    /// Registry host, with port when given: `docker.io`, `localhost:5000`.
    pub domain: String,
    /// Repository path inside the registry: `library/nginx`.
    pub path: String,
    pub tag: Option<String>,
    /// `sha256:<hex>`.
    pub digest: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReferenceError {
    InvalidFormat,
    MustBeLowercase(String),
    HexIdentifier(String),
    NameTooLong,
    NameEmpty,
    DigestInvalidLength,
    DigestInvalidFormat,
    DigestUnsupported,
}

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReferenceError::InvalidFormat => write!(f, "invalid reference format"),
            ReferenceError::MustBeLowercase(name) => {
                write!(
                    f,
                    "invalid reference format: repository name ({name}) must be lowercase"
                )
            }
            ReferenceError::HexIdentifier(s) => {
                write!(
                    f,
                    "invalid repository name ({s}), cannot specify 64-byte hexadecimal strings"
                )
            }
            ReferenceError::NameTooLong => {
                write!(
                    f,
                    "repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters"
                )
            }
            ReferenceError::NameEmpty => {
                write!(f, "repository name must have at least one component")
            }
            ReferenceError::DigestInvalidLength => write!(f, "invalid checksum digest length"),
            ReferenceError::DigestInvalidFormat => write!(f, "invalid checksum digest format"),
            ReferenceError::DigestUnsupported => write!(f, "unsupported digest algorithm"),
        }
    }
}

impl std::error::Error for ReferenceError {}

/// True for exactly 64 lowercase hex digits: an image or container id.
pub fn is_full_id(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn is_path_component(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || !is_lower_alnum(b[0]) || !is_lower_alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if is_lower_alnum(b[i]) {
            i += 1;
            continue;
        }
        // A separator run: one of `.`, `_`, `__`, or any number of `-`.
        let start = i;
        while i < b.len() && !is_lower_alnum(b[i]) {
            i += 1;
        }
        let sep = &s[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|c| c == b'-');
        if !ok {
            return false;
        }
    }
    true
}

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`
fn is_domain_component(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && is_alnum(b[0])
        && is_alnum(b[b.len() - 1])
        && b.iter().all(|&c| is_alnum(c) || c == b'-')
}

/// A host (dotted name or bracketed IPv6) with an optional `:port`.
fn is_domain(s: &str) -> bool {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let Some(end) = rest.find(']') else {
            return false;
        };
        let ip = &rest[..end];
        if ip.is_empty() || !ip.bytes().all(|c| c.is_ascii_hexdigit() || c == b':') {
            return false;
        }
        let after = &rest[end + 1..];
        if after.is_empty() {
            return true;
        }
        match after.strip_prefix(':') {
            Some(port) => ("x", Some(port)),
            None => return false,
        }
    } else {
        match s.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    if let Some(port) = port {
        if port.is_empty() || !port.bytes().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    host.split('.').all(is_domain_component)
}

/// `[\w][\w.-]{0,127}`
fn is_tag(s: &str) -> bool {
    let b = s.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b.iter().all(|&c| word(c) || c == b'.' || c == b'-')
}

/// go-digest's `Digest.Validate`.
fn validate_digest(d: &str) -> Result<(), ReferenceError> {
    let Some((alg, hex)) = d.split_once(':') else {
        return Err(ReferenceError::DigestInvalidFormat);
    };
    if alg.is_empty() || hex.is_empty() {
        return Err(ReferenceError::DigestInvalidFormat);
    }
    let len = match alg {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return Err(ReferenceError::DigestUnsupported),
    };
    if hex.len() != len {
        return Err(ReferenceError::DigestInvalidLength);
    }
    if !hex
        .bytes()
        .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    {
        return Err(ReferenceError::DigestInvalidFormat);
    }
    Ok(())
}

/// The digest part must at least look like `alg:hex` to match the grammar.
fn digest_shape_ok(d: &str) -> bool {
    let Some((alg, hex)) = d.split_once(':') else {
        return false;
    };
    let alg_ok = alg.split(['-', '_', '+', '.']).all(|p| {
        !p.is_empty()
            && p.as_bytes()[0].is_ascii_alphabetic()
            && p.bytes().all(|c| c.is_ascii_alphanumeric())
    });
    alg_ok && hex.len() >= 32 && hex.bytes().all(|c| c.is_ascii_hexdigit())
}

/// Parses an already fully qualified `domain/path[:tag][@digest]`
/// (reference.Parse after normalization), checking the grammar.
fn parse_qualified(s: &str) -> Result<Reference, ReferenceError> {
    let grammar = |s: &str| -> Option<Reference> {
        let (name_tag, digest) = match s.split_once('@') {
            Some((n, d)) => {
                if !digest_shape_ok(d) {
                    return None;
                }
                (n, Some(d.to_string()))
            }
            None => (s, None),
        };
        let (name, tag) = match name_tag.rfind(':') {
            Some(i) if !name_tag[i + 1..].contains('/') => {
                (&name_tag[..i], Some(name_tag[i + 1..].to_string()))
            }
            _ => (name_tag, None),
        };
        if let Some(t) = &tag {
            if !is_tag(t) {
                return None;
            }
        }
        let (domain, path) = name.split_once('/')?;
        if !is_domain(domain) || !path.split('/').all(is_path_component) {
            return None;
        }
        Some(Reference {
            domain: domain.to_string(),
            path: path.to_string(),
            tag,
            digest,
        })
    };
    match grammar(s) {
        Some(r) => {
            if r.domain.len() + 1 + r.path.len() > NAME_TOTAL_LENGTH_MAX {
                return Err(ReferenceError::NameTooLong);
            }
            if let Some(d) = &r.digest {
                validate_digest(d)?;
            }
            Ok(r)
        }
        None if s.is_empty() => Err(ReferenceError::NameEmpty),
        None if grammar(&s.to_lowercase()).is_some() => {
            Err(ReferenceError::MustBeLowercase(s.to_string()))
        }
        None => Err(ReferenceError::InvalidFormat),
    }
}

/// reference.ParseNormalizedNamed: what `docker pull NAME` and `docker run
/// NAME` do with the name the user typed.
pub fn parse_normalized(s: &str) -> Result<Reference, ReferenceError> {
    if is_full_id(s) {
        return Err(ReferenceError::HexIdentifier(s.to_string()));
    }
    let (domain, remainder) = split_docker_domain(s);
    let remote = match remainder.find(':') {
        Some(i) => &remainder[..i],
        None => remainder.as_str(),
    };
    if remote.to_lowercase() != remote {
        return Err(ReferenceError::MustBeLowercase(remote.to_string()));
    }
    parse_qualified(&format!("{domain}/{remainder}"))
}

fn split_docker_domain(name: &str) -> (String, String) {
    let (mut domain, mut remainder) = match name.find('/') {
        Some(i) => {
            let first = &name[..i];
            if !first.contains(['.', ':']) && first != "localhost" && first.to_lowercase() == first
            {
                (DEFAULT_DOMAIN.to_string(), name.to_string())
            } else {
                (first.to_string(), name[i + 1..].to_string())
            }
        }
        None => (DEFAULT_DOMAIN.to_string(), name.to_string()),
    };
    if domain == LEGACY_DEFAULT_DOMAIN {
        domain = DEFAULT_DOMAIN.to_string();
    }
    if domain == DEFAULT_DOMAIN && !remainder.contains('/') {
        remainder = format!("{OFFICIAL_PREFIX}{remainder}");
    }
    (domain, remainder)
}

impl Reference {
    /// `docker.io/library/nginx` (no tag or digest).
    pub fn name(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    /// `nginx`, `dmcgowan/myapp`, `localhost:5000/foo`: how docker shows a
    /// repository name.
    pub fn familiar_name(&self) -> String {
        if self.domain == DEFAULT_DOMAIN {
            match self.path.strip_prefix(OFFICIAL_PREFIX) {
                Some(rest) if !rest.contains('/') => rest.to_string(),
                _ => self.path.clone(),
            }
        } else {
            self.name()
        }
    }

    /// reference.TagNameOnly: adds `latest` when there is neither tag nor digest.
    pub fn with_default_tag(mut self) -> Reference {
        if self.tag.is_none() && self.digest.is_none() {
            self.tag = Some("latest".to_string());
        }
        self
    }

    /// `nginx:latest`, `nginx@sha256:…`: the familiar string with tag/digest.
    pub fn familiar_string(&self) -> String {
        let mut s = self.familiar_name();
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }

    /// The repository path as a registry names it in `Pulling from library/nginx`.
    pub fn remote_path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for Reference {
    /// The fully qualified form: `docker.io/library/nginx:latest`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name())?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str, full: &str, familiar: &str) {
        let r = parse_normalized(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(r.to_string(), full, "{input}");
        assert_eq!(r.familiar_string(), familiar, "{input}");
    }

    fn err(input: &str, want: &str) {
        match parse_normalized(input) {
            Ok(r) => panic!("{input} parsed as {r}"),
            Err(e) => assert_eq!(e.to_string(), want, "{input}"),
        }
    }

    const H: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    #[test]
    fn normalization_table_from_docker_facts() {
        ok("nginx", "docker.io/library/nginx", "nginx");
        ok("nginx:1.25", "docker.io/library/nginx:1.25", "nginx:1.25");
        ok("library/nginx", "docker.io/library/nginx", "nginx");
        ok("docker.io/nginx", "docker.io/library/nginx", "nginx");
        ok(
            "index.docker.io/library/nginx",
            "docker.io/library/nginx",
            "nginx",
        );
        ok(
            "dmcgowan/myapp:latest",
            "docker.io/dmcgowan/myapp:latest",
            "dmcgowan/myapp:latest",
        );
        ok(
            "library/foo/bar",
            "docker.io/library/foo/bar",
            "library/foo/bar",
        );
        ok(
            "localhost:5000/foo",
            "localhost:5000/foo",
            "localhost:5000/foo",
        );
        ok("localhost/foo", "localhost/foo", "localhost/foo");
        ok(
            "example.com:8000/private/moonbase",
            "example.com:8000/private/moonbase",
            "example.com:8000/private/moonbase",
        );
        ok(
            "montag.com/proj/img:tag",
            "montag.com/proj/img:tag",
            "montag.com/proj/img:tag",
        );
        ok("test_com/foo", "docker.io/test_com/foo", "test_com/foo");
        ok(
            "test.com:5000",
            "docker.io/library/test.com:5000",
            "test.com:5000",
        );
        ok("Foo/bar", "Foo/bar", "Foo/bar");
        ok("FOO/bar", "FOO/bar", "FOO/bar");
        ok(
            "nginx:Latest",
            "docker.io/library/nginx:Latest",
            "nginx:Latest",
        );
        ok(
            &format!("redis@sha256:{H}"),
            &format!("docker.io/library/redis@sha256:{H}"),
            &format!("redis@sha256:{H}"),
        );
        ok(
            &format!("busybox:latest@sha256:{H}"),
            &format!("docker.io/library/busybox:latest@sha256:{H}"),
            &format!("busybox:latest@sha256:{H}"),
        );
        ok(
            "gcr.io/library/busybox",
            "gcr.io/library/busybox",
            "gcr.io/library/busybox",
        );
        ok("[::1]:5000/repo", "[::1]:5000/repo", "[::1]:5000/repo");
        ok(
            "192.168.1.1:5000/repo:5050",
            "192.168.1.1:5000/repo:5050",
            "192.168.1.1:5000/repo:5050",
        );
        assert_eq!(
            parse_normalized("localhost:5000/foo")
                .unwrap()
                .with_default_tag()
                .to_string(),
            "localhost:5000/foo:latest"
        );
        assert_eq!(
            parse_normalized(&format!("redis@sha256:{H}"))
                .unwrap()
                .with_default_tag()
                .tag,
            None
        );
    }

    #[test]
    fn error_texts_from_docker_facts() {
        err(
            "Nginx",
            "invalid reference format: repository name (library/Nginx) must be lowercase",
        );
        err(
            "docker/Docker",
            "invalid reference format: repository name (docker/Docker) must be lowercase",
        );
        err(
            "localhost:5000/Foo",
            "invalid reference format: repository name (Foo) must be lowercase",
        );
        err(
            H,
            &format!("invalid repository name ({H}), cannot specify 64-byte hexadecimal strings"),
        );
        for bad in [
            ":justtag",
            "ubuntu:",
            "-docker",
            "docker///docker",
            "aa/asdf$$^/aa",
            "https://github.com/docker/docker",
            "a:b:c",
            "dock..er/docker",
            "[fe80::1%eth0]:5000/debian",
        ] {
            err(bad, "invalid reference format");
        }
        err(
            "repo@sha256:ffffffffffffffffffffffffffffffffff",
            "invalid checksum digest length",
        );
        err(
            "name@invaliddigest:ffffffffffffffffffffffffffffffffffffffffffffff",
            "unsupported digest algorithm",
        );
        let long = format!("a/{}", "b".repeat(260));
        err(
            &long,
            "repository name must not be more than 255 characters",
        );
    }
}
