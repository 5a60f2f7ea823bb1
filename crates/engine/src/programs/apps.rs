//! Applications learners build themselves: `node server.js`, `python
//! hello.py`, and the jar or binary a `mvn package` / `go build` made. They
//! read their own source from the container's filesystem, so what a
//! Dockerfile copied (or forgot to copy, or forgot to `npm install`) decides
//! what they do.

use super::{Flow, Io, Program, Signal};
use crate::api::{HttpRequest, HttpResponse};
use crate::fs::{normalize, Content, Node as FsNode};

fn read(io: &Io, path: &str) -> Option<String> {
    let p = io.fs.resolve(&normalize(io.cwd, path));
    match io.fs.node(&p) {
        Some(FsNode::File {
            content: Content::Bytes(b),
            ..
        }) => Some(String::from_utf8_lossy(&b).into_owned()),
        Some(FsNode::File { .. }) => Some(String::new()),
        _ => None,
    }
}

fn env<'a>(io: &'a Io, name: &str) -> Option<&'a str> {
    io.env
        .iter()
        .rev()
        .find_map(|kv| kv.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
}

/// The string literals passed to `func(` in `source`, in order.
fn literal_args(source: &str, func: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find(func) {
        rest = &rest[at + func.len()..];
        let t = rest.trim_start();
        let Some(q) = t.chars().next().filter(|c| matches!(c, '"' | '\'' | '`')) else {
            continue;
        };
        if let Some(end) = t[1..].find(q) {
            out.push(t[1..1 + end].to_string());
        }
    }
    out
}

fn html(status: u16, reason: &str, kind: &str, body: String) -> HttpResponse {
    HttpResponse {
        status,
        reason: reason.to_string(),
        headers: vec![("Content-Type".into(), kind.into())],
        body: body.into_bytes(),
    }
}

/// `java -jar app.jar` of a Spring Boot jar, or a Go binary: a web app that
/// answers on its port. Spec: `webapp:<port>:<name>`.
#[derive(Clone, Debug)]
pub struct WebApp {
    port: u16,
    name: String,
}

impl WebApp {
    pub fn new(params: &[&str]) -> WebApp {
        WebApp {
            port: params.first().and_then(|p| p.parse().ok()).unwrap_or(8080),
            name: params.get(1).unwrap_or(&"app").to_string(),
        }
    }
}

impl Program for WebApp {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, io: &mut Io) -> Flow {
        io.stdout(format!(
            "Started {} on port {} ({})",
            self.name, self.port, io.hostname
        ));
        Flow::Running
    }

    fn signal(&mut self, sig: Signal, _io: &mut Io) -> Flow {
        match sig {
            Signal::Term | Signal::Int => Flow::Exit(143),
            Signal::Kill => Flow::Exit(137),
            _ => Flow::Running,
        }
    }

    fn listens(&self) -> Vec<u16> {
        vec![self.port]
    }

    fn http(&mut self, _port: u16, _req: &HttpRequest, _io: &mut Io) -> Option<HttpResponse> {
        Some(html(
            200,
            "OK",
            "text/plain;charset=UTF-8",
            format!("Hello from {}!\n", self.name),
        ))
    }

    fn memory(&self) -> u64 {
        180_000_000
    }
}

/// `node [script]`.
#[derive(Clone, Debug)]
pub struct Node {
    argv: Vec<String>,
    port: Option<u16>,
    page: String,
}

impl Node {
    pub fn new(argv: &[String]) -> Node {
        Node {
            argv: argv.to_vec(),
            port: None,
            page: String::new(),
        }
    }

    fn fail(&self, io: &mut Io, what: &str, stack: &str) -> Flow {
        io.stderr(format!(
            "node:internal/modules/cjs/loader:1404\n  throw err;\n  ^\n\nError: Cannot find module '{what}'\n{stack}    at Function._resolveFilename (node:internal/modules/cjs/loader:1401:15)\n    at Function._load (node:internal/modules/cjs/loader:1211:37)\n    at node:internal/main/run_main_module:36:49 {{\n  code: 'MODULE_NOT_FOUND',\n  requireStack: []\n}}\n\nNode.js v24.1.0"
        ));
        Flow::Exit(1)
    }
}

impl Program for Node {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, io: &mut Io) -> Flow {
        let Some(script) = self
            .argv
            .iter()
            .skip(1)
            .find(|a| !a.starts_with('-'))
            .cloned()
        else {
            if io.interactive {
                io.stdout("Welcome to Node.js v24.1.0.\nType \".help\" for more information.");
                return Flow::Running;
            }
            return Flow::Exit(0);
        };
        let path = normalize(io.cwd, &script);
        let Some(source) = read(io, &script).or_else(|| read(io, &format!("{script}.js"))) else {
            return self.fail(io, &path, "");
        };
        // Packages it requires must be in node_modules.
        for module in literal_args(&source, "require(") {
            if module.starts_with('.')
                || module.starts_with("node:")
                || matches!(
                    module.as_str(),
                    "fs" | "path" | "http" | "os" | "url" | "crypto" | "events" | "util"
                )
            {
                continue;
            }
            let dir = normalize(io.cwd, &format!("node_modules/{module}"));
            if !io.fs.is_dir(&io.fs.resolve(&dir)) {
                return self.fail(io, &module, &format!("Require stack:\n- {path}\n"));
            }
        }
        for line in literal_args(&source, "console.log(") {
            io.stdout(line);
        }
        let port = source.find(".listen(").and_then(|at| {
            let digits: String = source[at + 8..]
                .trim_start()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<u16>().ok()
        });
        self.page = literal_args(&source, ".send(")
            .into_iter()
            .next()
            .unwrap_or_else(|| "<h1>Hello from Node.js!</h1>".to_string());
        match port {
            Some(p) => {
                self.port = Some(p);
                Flow::Running
            }
            None => Flow::Exit(0),
        }
    }

    fn signal(&mut self, sig: Signal, _io: &mut Io) -> Flow {
        // Node as PID 1 installs no handler: SIGTERM is ignored, as the
        // well-known "docker stop takes 10 seconds" shows.
        match sig {
            Signal::Int => Flow::Exit(130),
            Signal::Kill => Flow::Exit(137),
            _ => Flow::Running,
        }
    }

    fn listens(&self) -> Vec<u16> {
        self.port.into_iter().collect()
    }

    fn http(&mut self, _port: u16, _req: &HttpRequest, _io: &mut Io) -> Option<HttpResponse> {
        Some(html(
            200,
            "OK",
            "text/html; charset=utf-8",
            self.page.clone(),
        ))
    }

    fn memory(&self) -> u64 {
        42_000_000
    }
}

/// `python script.py args...`: prints what the script's `print` calls
/// would, for scripts made of assignments from literals, `os.environ[...]`
/// and `sys.argv[N]`, and `print` of literals, `%` formats and f-strings.
#[derive(Clone, Debug)]
pub struct Python {
    argv: Vec<String>,
}

impl Python {
    pub fn new(argv: &[String]) -> Python {
        Python {
            argv: argv.to_vec(),
        }
    }
}

fn py_value(
    expr: &str,
    vars: &[(String, String)],
    args: &[String],
    io: &Io,
) -> Result<String, String> {
    let e = expr.trim();
    if let Some(inner) = e
        .strip_prefix("os.environ[")
        .and_then(|r| r.strip_suffix(']'))
    {
        let name = inner.trim_matches(|c| c == '"' || c == '\'');
        return env(io, name)
            .map(str::to_string)
            .ok_or_else(|| format!("KeyError: '{name}'"));
    }
    if let Some(inner) = e
        .strip_prefix("os.environ.get(")
        .or_else(|| e.strip_prefix("os.getenv("))
        .and_then(|r| r.strip_suffix(')'))
    {
        let mut parts = inner.splitn(2, ',');
        let name = parts
            .next()
            .unwrap_or_default()
            .trim()
            .trim_matches(|c| c == '"' || c == '\'');
        let default = parts
            .next()
            .map(|d| d.trim().trim_matches(|c| c == '"' || c == '\'').to_string());
        return Ok(env(io, name)
            .map(str::to_string)
            .or(default)
            .unwrap_or_else(|| "None".into()));
    }
    if let Some(inner) = e
        .strip_prefix("sys.argv[")
        .and_then(|r| r.strip_suffix(']'))
    {
        let n: usize = inner.trim().parse().map_err(|_| {
            "TypeError: list indices must be integers or slices, not str".to_string()
        })?;
        return args
            .get(n)
            .cloned()
            .ok_or_else(|| "IndexError: list index out of range".to_string());
    }
    if let Some(fmt) = e.strip_prefix("f\"").or_else(|| e.strip_prefix("f'")) {
        let fmt = fmt.strip_suffix(['"', '\'']).unwrap_or(fmt);
        let mut out = String::new();
        let mut rest = fmt;
        while let Some(a) = rest.find('{') {
            out.push_str(&rest[..a]);
            let Some(b) = rest[a..].find('}') else { break };
            out.push_str(&py_value(&rest[a + 1..a + b], vars, args, io)?);
            rest = &rest[a + b + 1..];
        }
        out.push_str(rest);
        return Ok(out);
    }
    if let Some((fmt, values)) = e.split_once(" % ") {
        let fmt = py_value(fmt, vars, args, io)?;
        let values = values.trim().trim_start_matches('(').trim_end_matches(')');
        let mut out = String::new();
        let mut vals = values.split(',').map(str::trim).filter(|v| !v.is_empty());
        let mut rest = fmt.as_str();
        while let Some(a) = rest.find('%') {
            out.push_str(&rest[..a]);
            let mut after = rest[a + 1..].chars();
            match after.next() {
                Some('%') => out.push('%'),
                Some('s' | 'd' | 'i' | 'r' | 'f') => match vals.next() {
                    Some(v) => out.push_str(&py_value(v, vars, args, io)?),
                    None => return Err("TypeError: not enough arguments for format string".into()),
                },
                Some(c) => {
                    let index = fmt.len() - rest.len() + a + 1;
                    return Err(format!(
                        "ValueError: unsupported format character '{c}' (0x{:x}) at index {index}",
                        c as u32
                    ));
                }
                None => return Err("ValueError: incomplete format".into()),
            }
            rest = after.as_str();
        }
        out.push_str(rest);
        return Ok(out);
    }
    if (e.starts_with('"') && e.ends_with('"') || e.starts_with('\'') && e.ends_with('\''))
        && e.len() >= 2
    {
        return Ok(e[1..e.len() - 1].to_string());
    }
    if let Some((_, v)) = vars.iter().rev().find(|(k, _)| k == e) {
        return Ok(v.clone());
    }
    if e.chars().all(|c| c.is_ascii_digit() || c == '.') && !e.is_empty() {
        return Ok(e.to_string());
    }
    Err(format!("NameError: name '{e}' is not defined"))
}

impl Program for Python {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, io: &mut Io) -> Flow {
        let Some(pos) = self.argv.iter().skip(1).position(|a| !a.starts_with('-')) else {
            if io.interactive {
                io.stdout("Python 3.13.3 (main, May  6 2025, 00:00:00) [GCC 12.2.0] on linux\nType \"help\", \"copyright\", \"credits\" or \"license\" for more information.");
                return Flow::Running;
            }
            return Flow::Exit(0);
        };
        let args: Vec<String> = self.argv[pos + 1..].to_vec();
        let script = args[0].clone();
        let Some(source) = read(io, &script) else {
            io.stderr(format!(
                "{}: can't open file '{}': [Errno 2] No such file or directory",
                self.argv[0].rsplit('/').next().unwrap_or("python"),
                normalize(io.cwd, &script)
            ));
            return Flow::Exit(2);
        };
        let mut vars: Vec<(String, String)> = Vec::new();
        for (n, line) in source.lines().enumerate() {
            let l = line.trim();
            if l.is_empty()
                || l.starts_with('#')
                || l.starts_with("import ")
                || l.starts_with("from ")
            {
                continue;
            }
            let result =
                if let Some(inner) = l.strip_prefix("print(").and_then(|r| r.strip_suffix(')')) {
                    py_value(inner, &vars, &args, io).map(|v| {
                        io.stdout(v);
                    })
                } else if let Some((k, v)) = l
                    .split_once('=')
                    .filter(|(k, _)| k.trim().chars().all(|c| c.is_alphanumeric() || c == '_'))
                {
                    py_value(v, &vars, &args, io).map(|v| vars.push((k.trim().to_string(), v)))
                } else {
                    Ok(())
                };
            if let Err(e) = result {
                io.stderr(format!(
                    "Traceback (most recent call last):\n  File \"{}\", line {}, in <module>\n    {l}\n{e}",
                    normalize(io.cwd, &script),
                    n + 1
                ));
                return Flow::Exit(1);
            }
        }
        Flow::Exit(0)
    }
}

/// The node image's `docker-entrypoint.sh`: runs the command it is given,
/// or `node` with it when it is an option (`-e ...`) or nothing at all.
#[derive(Clone, Debug)]
pub struct NodeEntrypoint {
    argv: Vec<String>,
}

impl NodeEntrypoint {
    pub fn new(argv: &[String]) -> NodeEntrypoint {
        NodeEntrypoint {
            argv: argv.to_vec(),
        }
    }
}

impl Program for NodeEntrypoint {
    fn clone_box(&self) -> Box<dyn Program> {
        Box::new(self.clone())
    }

    fn start(&mut self, _io: &mut Io) -> Flow {
        let rest: Vec<String> = self.argv.iter().skip(1).cloned().collect();
        match rest.first() {
            None => Flow::Exec(vec!["node".to_string()]),
            Some(first) if first.starts_with('-') => {
                let mut argv = vec!["node".to_string()];
                argv.extend(rest);
                Flow::Exec(argv)
            }
            Some(_) => Flow::Exec(rest),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(expr: &str) -> Result<String, String> {
        let fs = crate::fs::FileTree::new();
        let mut output = Vec::new();
        let io = Io {
            now: crate::clock::EPOCH,
            fs: &fs,
            env: &["my_ver=1.0".to_string()],
            hostname: "h",
            cwd: "/",
            interactive: false,
            peers: &[],
            output: &mut output,
        };
        py_value(
            expr,
            &[("arg".into(), "guest".into())],
            &["x.py".into(), "friend".into()],
            &io,
        )
    }

    #[test]
    fn python_formats_without_splitting_characters() {
        assert_eq!(
            eval(r#""hello %s, my version is %s!" % (arg, os.environ["my_ver"])"#).unwrap(),
            "hello guest, my version is 1.0!"
        );
        assert_eq!(
            eval(r#""%é" % (arg)"#).unwrap_err(),
            "ValueError: unsupported format character 'é' (0xe9) at index 1"
        );
        assert_eq!(
            eval(r#""%s %s" % (arg)"#).unwrap_err(),
            "TypeError: not enough arguments for format string"
        );
        assert_eq!(eval(r#"f"héllo {arg}""#).unwrap(), "héllo guest");
        assert_eq!(eval(r#"f"unterminated é"#).unwrap(), "unterminated é");
        assert_eq!(eval("sys.argv[1]").unwrap(), "friend");
        assert_eq!(
            eval("nope").unwrap_err(),
            "NameError: name 'nope' is not defined"
        );
    }
}
