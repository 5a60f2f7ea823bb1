//! The seed notes' Leafy application: a Spring Boot backend that needs its
//! PostgreSQL database by name (so it only starts on a shared user-defined
//! network) and answers a small JSON API on 8080; its Vue frontend is
//! nginx with `/api/` proxied to the backend (see the catalog).

use super::{Flow, Io, Program, Signal};
use crate::api::{HttpRequest, HttpResponse};
use crate::clock::{Millis, Timestamp};

/// `java -jar app.jar`: the JVM runs the program the jar is.
#[derive(Clone, Debug)]
pub struct Java {
    argv: Vec<String>,
}

impl Java {
    pub fn new(argv: &[String]) -> Java {
        Java {
            argv: argv.to_vec(),
        }
    }
}

impl Program for Java {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, io: &mut Io) -> Flow {
        let jar = self
            .argv
            .iter()
            .position(|a| a == "-jar")
            .and_then(|i| self.argv.get(i + 1));
        match jar {
            Some(j) if j.contains('/') => Flow::Exec(vec![j.clone()]),
            Some(j) => Flow::Exec(vec![format!("./{j}")]),
            None => {
                io.stderr("Usage: java [options] <mainclass> [args...]\n           (to execute a class)\n   or  java [options] -jar <jarfile> [args...]\n           (to execute a jar file)");
                Flow::Exit(1)
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Booting,
    Up,
}

#[derive(Clone, Debug)]
pub struct Backend {
    started: Timestamp,
    phase: Phase,
    wake: Option<Timestamp>,
    db: (String, u16),
    db_ok: bool,
}

impl Backend {
    pub fn new(now: Timestamp) -> Backend {
        Backend {
            started: now,
            phase: Phase::Booting,
            wake: None,
            db: ("leafy-postgres".into(), 5432),
            db_ok: false,
        }
    }

    fn log(&self, io: &mut Io, level: &str, logger: &str, msg: &str) {
        let c = io.now.civil();
        let time = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second, c.millis
        );
        io.stdout(format!(
            "{time} {level:>5} 1 --- [leafy] [           main] {logger:<40} : {msg}"
        ));
    }
}

/// `jdbc:postgresql://host:port/db` → (host, port).
fn jdbc_target(url: &str) -> Option<(String, u16)> {
    let rest = url.split("//").nth(1)?;
    let authority = rest.split('/').next()?;
    let (host, port) = authority.split_once(':').unwrap_or((authority, "5432"));
    Some((host.to_string(), port.parse().ok()?))
}

impl Program for Backend {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, io: &mut Io) -> Flow {
        self.started = io.now;
        if let Some(t) = io
            .env("DB_URL")
            .or(io.env("SPRING_DATASOURCE_URL"))
            .and_then(jdbc_target)
        {
            self.db = t;
        }
        for line in [
            "",
            "  .   ____          _            __ _ _",
            " /\\\\ / ___'_ __ _ _(_)_ __  __ _ \\ \\ \\ \\",
            "( ( )\\___ | '_ | '_| | '_ \\/ _` | \\ \\ \\ \\",
            " \\\\/  ___)| |_)| | | | | || (_| |  ) ) ) )",
            "  '  |____| .__|_| |_|_| |_\\__, | / / / /",
            " =========|_|==============|___/=/_/_/_/",
            "",
            " :: Spring Boot ::                (v3.2.5)",
            "",
        ] {
            io.stdout(line);
        }
        self.log(io, "INFO", "c.devwiki.leafy.LeafyApplication", "Starting LeafyApplication v1.0.0 using Java 17.0.11 with PID 1 (/app/app.jar started by root in /app)");
        self.log(
            io,
            "INFO",
            "c.devwiki.leafy.LeafyApplication",
            "No active profile set, falling back to 1 default profile: \"default\"",
        );
        self.log(
            io,
            "INFO",
            "o.s.b.w.embedded.tomcat.TomcatWebServer",
            "Tomcat initialized with port 8080 (http)",
        );
        self.log(
            io,
            "INFO",
            "com.zaxxer.hikari.HikariDataSource",
            "HikariPool-1 - Starting...",
        );
        self.db_ok = io.can_connect(&self.db.0, self.db.1);
        self.wake = Some(io.now + Millis(if self.db_ok { 3_400 } else { 2_100 }));
        if !io.resolves(&self.db.0) || !self.db_ok {
            // Remember why for the error, decided now as the driver would.
        }
        Flow::Running
    }

    fn next_wake(&self) -> Option<Timestamp> {
        self.wake
    }

    fn wake(&mut self, io: &mut Io) -> Flow {
        self.wake = None;
        if self.phase == Phase::Up {
            return Flow::Running;
        }
        if !self.db_ok {
            self.log(
                io,
                "ERROR",
                "com.zaxxer.hikari.pool.HikariPool",
                "HikariPool-1 - Exception during pool initialization.",
            );
            io.stdout("");
            io.stdout("org.postgresql.util.PSQLException: The connection attempt failed.");
            io.stdout("\tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:358)");
            io.stdout(format!(
                "Caused by: java.net.UnknownHostException: {}",
                self.db.0
            ));
            self.log(
                io,
                "ERROR",
                "o.s.boot.SpringApplication",
                "Application run failed",
            );
            return Flow::Exit(1);
        }
        self.log(
            io,
            "INFO",
            "com.zaxxer.hikari.pool.HikariPool",
            "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@5a1c3cb4",
        );
        self.log(
            io,
            "INFO",
            "com.zaxxer.hikari.HikariDataSource",
            "HikariPool-1 - Start completed.",
        );
        self.log(
            io,
            "INFO",
            "o.s.b.w.embedded.tomcat.TomcatWebServer",
            "Tomcat started on port 8080 (http) with context path ''",
        );
        let took = (io.now - self.started).0 as f64 / 1000.0;
        self.log(
            io,
            "INFO",
            "c.devwiki.leafy.LeafyApplication",
            &format!(
                "Started LeafyApplication in {took:.3} seconds (process running for {:.3})",
                took + 0.6
            ),
        );
        self.phase = Phase::Up;
        Flow::Running
    }

    fn signal(&mut self, sig: Signal, io: &mut Io) -> Flow {
        match sig {
            Signal::Kill => Flow::Exit(137),
            Signal::Term | Signal::Int => {
                self.log(
                    io,
                    "INFO",
                    "o.s.b.w.e.tomcat.GracefulShutdown",
                    "Commencing graceful shutdown. Waiting for active requests to complete",
                );
                self.log(
                    io,
                    "INFO",
                    "o.s.b.w.e.tomcat.GracefulShutdown",
                    "Graceful shutdown complete",
                );
                Flow::Exit(143)
            }
            _ => Flow::Running,
        }
    }

    fn listens(&self) -> Vec<u16> {
        if self.phase == Phase::Up {
            vec![8080]
        } else {
            Vec::new()
        }
    }

    fn http(&mut self, _port: u16, req: &HttpRequest, io: &mut Io) -> Option<HttpResponse> {
        let path = req.path.split('?').next().unwrap_or("/");
        let json = |status: u16, reason: &str, body: String| HttpResponse {
            status,
            reason: reason.to_string(),
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into_bytes(),
        };
        Some(match path {
            "/api/v1/plants" | "/api/v1/plants/" => json(
                200,
                "OK",
                "[{\"id\":1,\"name\":\"Monstera\",\"water\":\"weekly\"},{\"id\":2,\"name\":\"Olive tree\",\"water\":\"every 10 days\"},{\"id\":3,\"name\":\"Basil\",\"water\":\"daily\"}]\n".to_string(),
            ),
            "/api/v1/health" | "/actuator/health" => json(200, "OK", "{\"status\":\"UP\"}\n".to_string()),
            _ => json(
                404,
                "Not Found",
                format!("{{\"timestamp\":\"{}\",\"status\":404,\"error\":\"Not Found\",\"path\":\"{path}\"}}\n", io.now.rfc3339_nano()),
            ),
        })
    }
}
