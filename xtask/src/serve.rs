//! A small static file server for `dist/`: enough HTTP/1.1 for a browser.
//!
//! The site is static files, so serving it needs no framework: GET and HEAD,
//! the right Content-Type (browsers only stream-compile `application/wasm`),
//! `index.html` for a directory, 404 for anything else. One thread per
//! connection, and `Connection: close` keeps each exchange to one request.

use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

pub struct Server {
    listener: TcpListener,
    root: Arc<PathBuf>,
}

impl Server {
    /// Port 0 picks a free port; `local_addr` says which.
    pub fn bind(root: &Path, addr: SocketAddr) -> io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind(addr)?,
            root: Arc::new(root.to_path_buf()),
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves forever; with `log`, prints one line per request.
    pub fn run(self, log: bool) {
        for stream in self.listener.incoming().flatten() {
            let root = Arc::clone(&self.root);
            thread::spawn(move || {
                if let Err(e) = handle(stream, &root, log) {
                    if log {
                        eprintln!("serve: {e}");
                    }
                }
            });
        }
    }

    /// Serves from a background thread for the rest of the process.
    pub fn spawn(self) {
        thread::spawn(move || self.run(false));
    }
}

fn handle(stream: TcpStream, root: &Path, log: bool) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim_end().is_empty() {
            break;
        }
    }
    let mut words = request_line.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));

    let response = match method {
        "GET" | "HEAD" => match resolve(root, target) {
            Some(path) => match fs::read(&path) {
                Ok(body) => Response::ok(content_type(&path), body),
                Err(_) => Response::status(404, "Not Found"),
            },
            None => Response::status(404, "Not Found"),
        },
        _ => Response::status(405, "Method Not Allowed"),
    };
    if log {
        println!("{method} {target} {}", response.code);
    }
    response.write(&stream, method == "HEAD")
}

/// The file a request target names inside `root`, if it exists. A path that
/// tries to climb out with `..` names nothing.
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let path = percent_decode(path.strip_prefix('/')?)?;
    let mut file = root.to_path_buf();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            _ if segment.contains('\\') => return None,
            _ => file.push(segment),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

fn content_type(path: &Path) -> &'static str {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        _ => "application/octet-stream",
    }
}

struct Response {
    code: u16,
    reason: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Response {
    fn ok(content_type: &'static str, body: Vec<u8>) -> Response {
        Response {
            code: 200,
            reason: "OK",
            content_type,
            body,
        }
    }

    fn status(code: u16, reason: &'static str) -> Response {
        Response {
            code,
            reason,
            content_type: "text/plain; charset=utf-8",
            body: format!("{code} {reason}\n").into_bytes(),
        }
    }

    fn write(&self, mut stream: &TcpStream, head_only: bool) -> io::Result<()> {
        let head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
            self.code,
            self.reason,
            self.content_type,
            self.body.len()
        );
        // One write, with Nagle off: a head written apart from its body
        // would wait on the browser's delayed ACK (40 ms on Linux) before
        // the body's first segment leaves.
        stream.set_nodelay(true)?;
        let mut whole = head.into_bytes();
        if !head_only {
            whole.extend_from_slice(&self.body);
        }
        stream.write_all(&whole)?;
        stream.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn site() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-serve-{}", std::process::id()));
        fs::create_dir_all(dir.join("sub")).unwrap();
        fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
        fs::write(dir.join("app_bg.wasm"), b"\0asm").unwrap();
        fs::write(dir.join("sub/a b.txt"), "spaced").unwrap();
        dir
    }

    fn get(addr: SocketAddr, target: &str) -> String {
        let mut stream = TcpStream::connect(addr).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }

    #[test]
    fn serves_files_with_their_types_and_404s_the_rest() {
        let root = site();
        let server = Server::bind(&root, ([127, 0, 0, 1], 0).into()).unwrap();
        let addr = server.local_addr();
        server.spawn();

        let index = get(addr, "/");
        assert!(index.starts_with("HTTP/1.1 200 OK\r\n"), "{index}");
        assert!(index.contains("Content-Type: text/html; charset=utf-8\r\n"));
        assert!(index.ends_with("<!doctype html>"));

        let wasm = get(addr, "/app_bg.wasm?v=1");
        assert!(
            wasm.contains("Content-Type: application/wasm\r\n"),
            "{wasm}"
        );
        assert!(wasm.contains("Content-Length: 4\r\n"));

        assert!(get(addr, "/sub/a%20b.txt").ends_with("spaced"));
        assert!(get(addr, "/missing.js").starts_with("HTTP/1.1 404 "));
        assert!(get(addr, "/../Cargo.toml").starts_with("HTTP/1.1 404 "));
        assert!(get(addr, "/sub/%2e%2e/index.html").starts_with("HTTP/1.1 404 "));
        fs::remove_dir_all(root).unwrap();
    }
}
