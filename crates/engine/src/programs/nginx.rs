//! nginx as the official image runs it: the entrypoint's configuration
//! lines, the startup notices, a static file server over the container's
//! own filesystem (so bind mounts and volumes show through), access log lines
//! on stdout, and a graceful exit on SIGQUIT or SIGTERM.

use super::{Flow, Io, Program, Signal};
use crate::api::{HttpRequest, HttpResponse};
use crate::clock::Timestamp;
use crate::fs::Node;

const DOCROOT: &str = "/usr/share/nginx/html";

/// `/docker-entrypoint.sh`: logs what it configures, then `exec "$@"`.
#[derive(Clone, Debug)]
pub struct NginxEntrypoint {
    argv: Vec<String>,
}

impl NginxEntrypoint {
    pub fn new(argv: &[String]) -> NginxEntrypoint {
        NginxEntrypoint {
            argv: argv.to_vec(),
        }
    }
}

impl Program for NginxEntrypoint {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, io: &mut Io) -> Flow {
        let args: Vec<String> = self.argv.get(1..).unwrap_or_default().to_vec();
        if args.is_empty() {
            return Flow::Exit(0);
        }
        let quiet = io
            .env("NGINX_ENTRYPOINT_QUIET_LOGS")
            .is_some_and(|v| !v.is_empty());
        if (args[0] == "nginx" || args[0] == "nginx-debug") && !quiet {
            let me = "/docker-entrypoint.sh";
            for line in [
                format!("{me}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"),
                format!("{me}: Looking for shell scripts in /docker-entrypoint.d/"),
                format!("{me}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh"),
                "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf".to_string(),
                "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf".to_string(),
                format!("{me}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh"),
                format!("{me}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh"),
                format!("{me}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh"),
                format!("{me}: Configuration complete; ready for start up"),
            ] {
                io.stdout(line);
            }
        }
        Flow::Exec(args)
    }

    /// dash's words for `exec "$@"`, the script's line 47, failing.
    fn exec_not_found(&self, command: &str) -> Option<String> {
        Some(format!(
            "/docker-entrypoint.sh: 47: exec: {command}: not found"
        ))
    }
}

#[derive(Clone, Debug)]
pub struct Nginx {
    version: String,
    /// `location /api/ { proxy_pass http://host:port; }`: (prefix, host, port).
    proxy_to: Option<(String, String, u16)>,
}

impl Nginx {
    pub fn new(_argv: &[String]) -> Nginx {
        Nginx {
            version: String::new(),
            proxy_to: None,
        }
    }

    /// Catalog params `proxy=/api/@host@port` configure a proxied location.
    pub fn with_proxy(mut self, params: &[&str]) -> Nginx {
        for p in params {
            if let Some(spec) = p.strip_prefix("proxy=") {
                let parts: Vec<&str> = spec.split('@').collect();
                if let [prefix, host, port] = parts.as_slice() {
                    if let Ok(port) = port.parse() {
                        self.proxy_to = Some((prefix.to_string(), host.to_string(), port));
                    }
                }
            }
        }
        self
    }

    fn notice(&self, io: &mut Io, text: &str) {
        let line = format!("{} [notice] 1#1: {text}", error_log_time(io.now));
        io.stderr(line);
    }
}

/// `2025/06/02 09:00:00`, nginx's error-log clock.
fn error_log_time(t: Timestamp) -> String {
    let c = t.civil();
    format!(
        "{:04}/{:02}/{:02} {:02}:{:02}:{:02}",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// `02/Jun/2025:09:00:05 +0000`, the access log's clock.
fn access_log_time(t: Timestamp) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let c = t.civil();
    let month = MONTHS[(c.month as usize).saturating_sub(1) % 12];
    format!(
        "{:02}/{month}/{:04}:{:02}:{:02}:{:02} +0000",
        c.day, c.year, c.hour, c.minute, c.second
    )
}

fn page(status: u16, reason: &str, version: &str) -> Vec<u8> {
    format!(
        "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx/{version}</center>\r\n</body>\r\n</html>\r\n"
    )
    .into_bytes()
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" => "application/javascript",
        "json" => "application/json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    }
}

impl Program for Nginx {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, io: &mut Io) -> Flow {
        self.version = io.env("NGINX_VERSION").unwrap_or("1.27.5").to_string();
        self.notice(io, "using the \"epoll\" event method");
        let version = format!("nginx/{}", self.version);
        self.notice(io, &version);
        self.notice(io, "built by gcc 12.2.0 (Debian 12.2.0-14+deb12u1) ");
        self.notice(io, &format!("OS: Linux {}", crate::KERNEL_RELEASE));
        self.notice(io, "getrlimit(RLIMIT_NOFILE): 1048576:1048576");
        self.notice(io, "start worker processes");
        self.notice(io, "start worker process 29");
        self.notice(io, "start worker process 30");
        Flow::Running
    }

    fn signal(&mut self, sig: Signal, io: &mut Io) -> Flow {
        match sig {
            Signal::Quit => {
                self.notice(io, "signal 3 (SIGQUIT) received, shutting down");
                self.notice(io, "exit");
                Flow::Exit(0)
            }
            Signal::Term | Signal::Int => {
                let text = format!("signal {} ({}) received, exiting", sig.number(), sig.name());
                self.notice(io, &text);
                self.notice(io, "exit");
                Flow::Exit(0)
            }
            Signal::Kill => Flow::Exit(137),
            Signal::Hup => {
                self.notice(io, "signal 1 (SIGHUP) received from 1, reconfiguring");
                Flow::Running
            }
            _ => Flow::Running,
        }
    }

    fn listens(&self) -> Vec<u16> {
        vec![80]
    }

    fn proxy(&self, _port: u16, req: &HttpRequest) -> Option<(String, u16)> {
        let (prefix, host, port) = self.proxy_to.as_ref()?;
        req.path
            .starts_with(prefix.as_str())
            .then(|| (host.clone(), *port))
    }

    fn title(&self) -> Option<String> {
        Some("nginx: master process nginx -g daemon off;".into())
    }

    fn children(&self) -> Vec<(String, String)> {
        vec![
            ("101".into(), "nginx: worker process".into()),
            ("101".into(), "nginx: worker process".into()),
        ]
    }

    fn memory(&self) -> u64 {
        8_294_000
    }

    fn http(&mut self, _port: u16, req: &HttpRequest, io: &mut Io) -> Option<HttpResponse> {
        let path = req.path.split(['?', '#']).next().unwrap_or("/");
        let fs_path = crate::fs::normalize(DOCROOT, &format!(".{path}"));
        let target = if io.fs.is_dir(&io.fs.resolve(&fs_path)) {
            if !path.ends_with('/') {
                // nginx redirects a directory without its slash.
                let location = format!("http://localhost{path}/");
                return Some(self.respond(
                    io,
                    req,
                    301,
                    "Moved Permanently",
                    page(301, "Moved Permanently", &self.version),
                    Some(location),
                ));
            }
            let index = format!("{}/index.html", fs_path.trim_end_matches('/'));
            if io.fs.node(&io.fs.resolve(&index)).is_none() {
                let line = format!(
                    "{} [error] 29#29: *1 directory index of \"{}/\" is forbidden, client: {}, server: localhost, request: \"{} {} HTTP/1.1\", host: \"localhost\"",
                    error_log_time(io.now),
                    fs_path.trim_end_matches('/'),
                    req.remote_addr,
                    req.method,
                    req.path
                );
                io.stderr(line);
                return Some(self.respond(
                    io,
                    req,
                    403,
                    "Forbidden",
                    page(403, "Forbidden", &self.version),
                    None,
                ));
            }
            index
        } else {
            fs_path
        };
        let resolved = io.fs.resolve(&target);
        match io.fs.node(&resolved) {
            Some(Node::File { content, .. }) => {
                let body = match content {
                    crate::fs::Content::Bytes(b) => b,
                    crate::fs::Content::Placeholder { size, .. } => {
                        vec![b'.'; size.min(1 << 16) as usize]
                    }
                };
                let mut resp = self.respond(io, req, 200, "OK", body, None);
                resp.headers
                    .push(("Content-Type".into(), content_type(&target).into()));
                Some(resp)
            }
            _ => {
                let line = format!(
                    "{} [error] 29#29: *1 open() \"{}\" failed (2: No such file or directory), client: {}, server: localhost, request: \"{} {} HTTP/1.1\", host: \"localhost\"",
                    error_log_time(io.now),
                    target,
                    req.remote_addr,
                    req.method,
                    req.path
                );
                io.stderr(line);
                Some(self.respond(
                    io,
                    req,
                    404,
                    "Not Found",
                    page(404, "Not Found", &self.version),
                    None,
                ))
            }
        }
    }
}

impl Nginx {
    fn respond(
        &self,
        io: &mut Io,
        req: &HttpRequest,
        status: u16,
        reason: &str,
        body: Vec<u8>,
        location: Option<String>,
    ) -> HttpResponse {
        let agent = req
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("user-agent"))
            .map(|(_, v)| v.as_str())
            .unwrap_or("-");
        let sent = if req.method == "HEAD" { 0 } else { body.len() };
        io.stdout(format!(
            "{} - - [{}] \"{} {} HTTP/1.1\" {status} {sent} \"-\" \"{agent}\" \"-\"",
            req.remote_addr,
            access_log_time(io.now),
            req.method,
            req.path
        ));
        let mut headers = vec![("Server".to_string(), format!("nginx/{}", self.version))];
        if let Some(l) = location {
            headers.push(("Location".to_string(), l));
        }
        HttpResponse {
            status,
            reason: reason.to_string(),
            headers,
            body,
        }
    }
}
