//! Long-running servers from the catalog: Apache httpd (a static file
//! server like nginx, with Apache's words), and databases and the registry,
//! which log their readiness lines and listen on their ports.

use super::{Flow, Io, Program, Signal};
use crate::api::{HttpRequest, HttpResponse};
use crate::clock::Timestamp;
use crate::fs::{Content, Node};

const HTDOCS: &str = "/usr/local/apache2/htdocs";

/// `[Mon Jun 02 09:00:00.000000 2025]`, Apache's error-log clock.
fn apache_time(t: Timestamp) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let c = t.civil();
    let day = DAYS[((t.unix_secs() / 86_400) % 7) as usize];
    let month = MONTHS[(c.month as usize + 11) % 12];
    format!(
        "{day} {month} {:02} {:02}:{:02}:{:02}.{:06} {}",
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.millis * 1000,
        c.year
    )
}

/// Apache httpd serving `htdocs`.
#[derive(Clone, Debug, Default)]
pub struct Httpd;

impl Program for Httpd {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, io: &mut Io) -> Flow {
        io.stderr("AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 172.17.0.2. Set the 'ServerName' directive globally to suppress this message");
        io.stderr("AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 172.17.0.2. Set the 'ServerName' directive globally to suppress this message");
        let t = apache_time(io.now);
        io.stderr(format!("[{t}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.63 (Unix) configured -- resuming normal operations"));
        io.stderr(format!(
            "[{t}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'"
        ));
        Flow::Running
    }

    fn signal(&mut self, sig: Signal, io: &mut Io) -> Flow {
        match sig {
            Signal::Winch | Signal::Term | Signal::Int | Signal::Quit => {
                let t = apache_time(io.now);
                io.stderr(format!("[{t}] [mpm_event:notice] [pid 1:tid 1] AH00492: caught SIGWINCH, shutting down gracefully"));
                Flow::Exit(0)
            }
            Signal::Kill => Flow::Exit(137),
            _ => Flow::Running,
        }
    }

    fn listens(&self) -> Vec<u16> {
        vec![80]
    }

    fn http(&mut self, _port: u16, req: &HttpRequest, io: &mut Io) -> Option<HttpResponse> {
        let path = req.path.split(['?', '#']).next().unwrap_or("/");
        let mut target = crate::fs::normalize(HTDOCS, &format!(".{path}"));
        if io.fs.is_dir(&io.fs.resolve(&target)) {
            target = format!("{}/index.html", target.trim_end_matches('/'));
        }
        let (status, reason, body) = match io.fs.node(&io.fs.resolve(&target)) {
            Some(Node::File { content: Content::Bytes(b), .. }) => (200, "OK", b),
            Some(Node::File { content: Content::Placeholder { size, .. }, .. }) => (200, "OK", vec![b'.'; size.min(1 << 16) as usize]),
            _ => (
                404,
                "Not Found",
                "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n".as_bytes().to_vec(),
            ),
        };
        let c = io.now.civil();
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let when = format!(
            "{:02}/{}/{:04}:{:02}:{:02}:{:02} +0000",
            c.day,
            MONTHS[(c.month as usize + 11) % 12],
            c.year,
            c.hour,
            c.minute,
            c.second
        );
        io.stdout(format!(
            "{} - - [{when}] \"{} {} HTTP/1.1\" {status} {}",
            req.remote_addr,
            req.method,
            req.path,
            body.len()
        ));
        Some(HttpResponse {
            status,
            reason: reason.to_string(),
            headers: vec![
                ("Server".into(), "Apache/2.4.63 (Unix)".into()),
                ("Content-Type".into(), "text/html".into()),
            ],
            body,
        })
    }
}

/// A server that logs how it starts and stops and listens on a port: the
/// databases and the registry. What they say is theirs, word for word.
#[derive(Clone, Debug)]
pub struct Database {
    kind: &'static str,
    port: u16,
}

impl Database {
    pub fn redis(_argv: &[String]) -> Database {
        Database {
            kind: "redis",
            port: 6379,
        }
    }

    pub fn postgres(_argv: &[String]) -> Database {
        Database {
            kind: "postgres",
            port: 5432,
        }
    }

    pub fn mysql(_argv: &[String]) -> Database {
        Database {
            kind: "mysql",
            port: 3306,
        }
    }

    pub fn registry(_argv: &[String]) -> Database {
        Database {
            kind: "registry",
            port: 5000,
        }
    }

    fn stamp(&self, t: Timestamp) -> String {
        let c = t.civil();
        match self.kind {
            "redis" => {
                const MONTHS: [&str; 12] = [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ];
                format!(
                    "1:M {:02} {} {:04} {:02}:{:02}:{:02}.{:03}",
                    c.day,
                    MONTHS[(c.month as usize + 11) % 12],
                    c.year,
                    c.hour,
                    c.minute,
                    c.second,
                    c.millis
                )
            }
            "postgres" => format!(
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03} UTC",
                c.year, c.month, c.day, c.hour, c.minute, c.second, c.millis
            ),
            _ => format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
                c.year,
                c.month,
                c.day,
                c.hour,
                c.minute,
                c.second,
                c.millis * 1000
            ),
        }
    }
}

impl Program for Database {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, io: &mut Io) -> Flow {
        let s = self.stamp(io.now);
        match self.kind {
            "redis" => {
                io.stdout(format!(
                    "{s} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo"
                ));
                io.stdout(format!("{s} * Redis version=8.0.2, bits=64, commit=00000000, modified=1, pid=1, just started"));
                io.stdout(format!("{s} * Server initialized"));
                io.stdout(format!("{s} * Ready to accept connections tcp"));
            }
            "postgres" => {
                if io.env("POSTGRES_PASSWORD").is_none_or(|p| p.is_empty())
                    && io.env("POSTGRES_HOST_AUTH_METHOD").is_none()
                {
                    for line in [
                        "Error: Database is uninitialized and superuser password is not specified.",
                        "       You must specify POSTGRES_PASSWORD to a non-empty value for the",
                        "       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".",
                        "",
                        "       You may also use \"POSTGRES_HOST_AUTH_METHOD=trust\" to allow all",
                        "       connections without a password. This is *not* recommended.",
                        "",
                        "       See PostgreSQL documentation about \"trust\":",
                        "       https://www.postgresql.org/docs/current/auth-trust.html",
                    ] {
                        io.stderr(line);
                    }
                    return Flow::Exit(1);
                }
                io.stdout("PostgreSQL init process complete; ready for start up.");
                io.stdout("");
                io.stderr(format!("{s} [1] LOG:  starting PostgreSQL 17.5 (Debian 17.5-1.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit"));
                io.stderr(format!(
                    "{s} [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432"
                ));
                io.stderr(format!(
                    "{s} [1] LOG:  listening on IPv6 address \"::\", port 5432"
                ));
                io.stderr(format!(
                    "{s} [1] LOG:  listening on Unix socket \"/var/run/postgresql/.s.PGSQL.5432\""
                ));
                io.stderr(format!(
                    "{s} [1] LOG:  database system is ready to accept connections"
                ));
            }
            "mysql" => {
                let has_password = [
                    "MYSQL_ROOT_PASSWORD",
                    "MYSQL_ALLOW_EMPTY_PASSWORD",
                    "MYSQL_RANDOM_ROOT_PASSWORD",
                ]
                .iter()
                .any(|k| io.env(k).is_some());
                if !has_password {
                    io.stderr(format!("{s} 0 [Note] [Entrypoint]: Entrypoint script for MySQL Server 9.3.0-1.el9 started."));
                    io.stderr(format!("{s} 0 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified"));
                    io.stderr(
                        "    You need to specify one of the following as an environment variable:",
                    );
                    io.stderr("    - MYSQL_ROOT_PASSWORD");
                    io.stderr("    - MYSQL_ALLOW_EMPTY_PASSWORD");
                    io.stderr("    - MYSQL_RANDOM_ROOT_PASSWORD");
                    return Flow::Exit(1);
                }
                io.stderr(format!(
                    "{s} 0 [System] [MY-015015] [Server] MySQL Server - start."
                ));
                io.stderr(format!("{s} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '9.3.0'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL."));
            }
            _ => {
                io.stderr(format!("time=\"{s}\" level=info msg=\"listening on [::]:5000\" go.version=go1.20.8 instance.id=0d0e7a52 service=registry version=2.8.3"));
            }
        }
        Flow::Running
    }

    fn signal(&mut self, sig: Signal, io: &mut Io) -> Flow {
        let s = self.stamp(io.now);
        match (self.kind, sig) {
            (_, Signal::Kill) => Flow::Exit(137),
            ("redis", Signal::Term | Signal::Int) => {
                io.stdout(format!("{s} # User requested shutdown..."));
                io.stdout(format!("{s} # Redis is now ready to exit, bye bye..."));
                Flow::Exit(0)
            }
            ("postgres", Signal::Int | Signal::Term) => {
                io.stderr(format!("{s} [1] LOG:  received fast shutdown request"));
                io.stderr(format!("{s} [1] LOG:  database system is shut down"));
                Flow::Exit(0)
            }
            ("mysql" | "registry", Signal::Term | Signal::Int) => Flow::Exit(0),
            _ => Flow::Running,
        }
    }

    fn listens(&self) -> Vec<u16> {
        vec![self.port]
    }
}
