//! The machine's network clients: curl and wget reach published ports
//! (localhost, 127.0.0.1, the machine's own address) and container IPs,
//! with curl's own error lines and exit codes when nothing answers.

use crate::exec::{Control, Ctx};
use crate::vfs;
use tidepool_engine::api::{HttpRequest, HttpResponse};
use tidepool_engine::{Millis, NetError};

type R = Result<i32, Control>;

const CURL_VERSION: &str = "8.5.0";

struct Url {
    host: String,
    port: u16,
    path: String,
}

fn parse_url(raw: &str) -> Result<Url, String> {
    let rest = if let Some(r) = raw.strip_prefix("http://") {
        r
    } else if raw.starts_with("https://") {
        return Err("https".into());
    } else if raw.contains("://") {
        return Err("scheme".into());
    } else {
        raw
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let (host, port) = if let Some(stripped) = authority.strip_prefix('[') {
        match stripped.split_once(']') {
            Some((h, p)) => (h.to_string(), p.strip_prefix(':').unwrap_or("")),
            None => return Err("bad".into()),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p),
            None => (authority.to_string(), ""),
        }
    };
    let port = if port.is_empty() {
        80
    } else {
        port.parse::<u16>().map_err(|_| "port".to_string())?
    };
    if host.is_empty() {
        return Err("host".into());
    }
    Ok(Url { host, port, path })
}

fn http_date(ctx: &Ctx) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let now = ctx.host.now();
    let c = now.civil();
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        DAYS[((now.unix_secs() / 86_400) % 7) as usize],
        c.day,
        MONTHS[(c.month as usize + 11) % 12],
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

fn head_lines(resp: &HttpResponse, ctx: &Ctx) -> String {
    let mut s = format!("HTTP/1.1 {} {}\n", resp.status, resp.reason);
    let mut headers = resp.headers.clone();
    headers.insert(1.min(headers.len()), ("Date".into(), http_date(ctx)));
    if !headers.iter().any(|(k, _)| k == "Content-Type") {
        headers.push(("Content-Type".into(), "text/html".into()));
    }
    headers.push(("Content-Length".into(), resp.body.len().to_string()));
    headers.push(("Connection".into(), "keep-alive".into()));
    for (k, v) in headers {
        s.push_str(&format!("{k}: {v}\n"));
    }
    s
}

fn request(
    ctx: &mut Ctx,
    url: &Url,
    method: &str,
    agent: &str,
    max_time: Option<u64>,
) -> Result<HttpResponse, NetError> {
    let req = HttpRequest {
        method: method.to_string(),
        path: url.path.clone(),
        headers: vec![
            ("Host".into(), url.host.clone()),
            ("User-Agent".into(), agent.to_string()),
            ("Accept".into(), "*/*".into()),
        ],
        remote_addr: "127.0.0.1".into(),
    };
    let from = match &ctx.target {
        crate::exec::Target::Container(id) => Some(id.clone()),
        crate::exec::Target::Machine => None,
    };
    let result = ctx
        .host
        .http_request_from(from.as_deref(), &url.host, url.port, req);
    if matches!(result, Err(NetError::Timeout)) {
        // The connection hangs until the kernel gives up.
        ctx.pass_time(Millis(max_time.map(|ms| ms + 1).unwrap_or(134_000)));
    }
    result
}

pub fn curl(args: &[String], ctx: &mut Ctx) -> R {
    let mut silent = false;
    let mut show_error = false;
    let mut include = false;
    let mut head = false;
    let mut verbose = false;
    let mut fail = false;
    let mut output: Option<String> = None;
    let mut write_out: Option<String> = None;
    let mut max_time: Option<u64> = None;
    let mut method = "GET".to_string();
    let mut urls = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "-o" | "--output" => {
                i += 1;
                output = args.get(i).cloned();
            }
            "-w" | "--write-out" => {
                i += 1;
                write_out = args.get(i).cloned();
            }
            "-m" | "--max-time" | "--connect-timeout" => {
                i += 1;
                max_time = args
                    .get(i)
                    .and_then(|v| v.parse::<f64>().ok())
                    .map(|s| (s * 1000.0) as u64);
            }
            "-X" | "--request" => {
                i += 1;
                method = args.get(i).cloned().unwrap_or(method);
            }
            "--silent" => silent = true,
            "--show-error" => show_error = true,
            "--include" => include = true,
            "--head" => head = true,
            "--verbose" => verbose = true,
            "--fail" => fail = true,
            "-L" | "--location" => {}
            "--help" | "-h" => {
                ctx.outln("Usage: curl [options...] <url>\n -d, --data <data>          HTTP POST data\n -f, --fail                 Fail fast with no output on HTTP errors\n -h, --help <category>      Get help for commands\n -i, --include              Include protocol response headers in the output\n -o, --output <file>        Write to file instead of stdout\n -O, --remote-name          Write output to a file named as the remote file\n -s, --silent               Silent mode\n -T, --upload-file <file>   Transfer local FILE to destination\n -u, --user <user:password> Server user and password\n -A, --user-agent <name>    Send User-Agent <name> to server\n -v, --verbose              Make the operation more talkative\n -V, --version              Show version number and quit");
                return Ok(0);
            }
            "-V" | "--version" => {
                ctx.outln(format!("curl {CURL_VERSION} (x86_64-pc-linux-gnu) libcurl/{CURL_VERSION} OpenSSL/3.0.13 zlib/1.3"));
                return Ok(0);
            }
            s if s.starts_with('-') && !s.starts_with("--") && s.len() > 1 => {
                for c in s[1..].chars() {
                    match c {
                        's' => silent = true,
                        'S' => show_error = true,
                        'i' => include = true,
                        'I' => head = true,
                        'v' => verbose = true,
                        'f' => fail = true,
                        'L' => {}
                        'o' => {
                            i += 1;
                            output = args.get(i).cloned();
                        }
                        'w' => {
                            i += 1;
                            write_out = args.get(i).cloned();
                        }
                        other => {
                            ctx.errln(format!("curl: option -{other}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"));
                            return Ok(2);
                        }
                    }
                }
            }
            s if s.starts_with("--") => {
                ctx.errln(format!("curl: option {s}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"));
                return Ok(2);
            }
            _ => urls.push(a.clone()),
        }
        i += 1;
    }
    if urls.is_empty() {
        ctx.errln("curl: try 'curl --help' or 'curl --manual' for more information");
        return Ok(2);
    }
    if head {
        method = "HEAD".into();
    }
    let quiet_errors = silent && !show_error;
    let mut status = 0;
    for raw in urls {
        let url = match parse_url(&raw) {
            Ok(u) => u,
            Err(kind) => {
                let (code, msg) = match kind.as_str() {
                    "https" => (35, "curl: (35) OpenSSL/3.0.13: error:0A00010B:SSL routines::wrong version number".to_string()),
                    "port" => (3, "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535".to_string()),
                    _ => (1, format!("curl: (1) Protocol \"{}\" not supported", raw.split("://").next().unwrap_or(""))),
                };
                if !quiet_errors {
                    ctx.errln(msg);
                }
                status = code;
                if let Some(format) = &write_out {
                    let text = write_out_text(format, 0, 0, &raw, ctx);
                    ctx.out(text);
                }
                continue;
            }
        };
        let effective = format!(
            "http://{}{}{}",
            url.host,
            if url.port == 80 {
                String::new()
            } else {
                format!(":{}", url.port)
            },
            url.path
        );
        if verbose {
            ctx.errln(format!("*   Trying {}:{}...", url.host, url.port));
        }
        let result = request(
            ctx,
            &url,
            &method,
            &format!("curl/{CURL_VERSION}"),
            max_time,
        );
        // -w reports on the transfer: the status it got (000 for none) and
        // the body bytes it received.
        let report = match &result {
            Ok(resp) if head => (resp.status, 0),
            Ok(resp) => (resp.status, resp.body.len()),
            Err(_) => (0, 0),
        };
        match result {
            Ok(resp) => {
                if verbose {
                    ctx.errln(format!(
                        "* Connected to {} ({}) port {}",
                        url.host, url.host, url.port
                    ));
                    ctx.errln(format!("> {method} {} HTTP/1.1\n> Host: {}:{}\n> User-Agent: curl/{CURL_VERSION}\n> Accept: */*\n>", url.path, url.host, url.port));
                    let head = head_lines(&resp, ctx);
                    let shown: String = head.lines().map(|l| format!("< {l}\n")).collect();
                    ctx.err(format!("{shown}<\n"));
                }
                if fail && resp.status >= 400 {
                    if !quiet_errors {
                        ctx.errln(format!(
                            "curl: (22) The requested URL returned error: {}",
                            resp.status
                        ));
                    }
                    status = 22;
                    continue;
                }
                let mut text = String::new();
                if include || head {
                    text.push_str(&head_lines(&resp, ctx));
                    text.push('\n');
                }
                if !head {
                    text.push_str(&String::from_utf8_lossy(&resp.body));
                }
                match &output {
                    Some(file) => {
                        let path = ctx.path(file);
                        if let Err(e) = ctx.fs(|fs| vfs::write_bytes(fs, &path, text.into_bytes()))
                        {
                            if !quiet_errors {
                                ctx.errln(format!("curl: (23) Failure writing output to destination, passed {} returned 0: {e}", resp.body.len()));
                            }
                            status = 23;
                        }
                    }
                    None => ctx.out(text),
                }
            }
            Err(e) => {
                let (code, msg) = match e {
                    NetError::Refused => (7, format!("curl: (7) Failed to connect to {} port {} after 0 ms: Couldn't connect to server", url.host, url.port)),
                    NetError::Reset => (56, "curl: (56) Recv failure: Connection reset by peer".to_string()),
                    NetError::Timeout => match max_time {
                        Some(ms) => (28, format!("curl: (28) Operation timed out after {} milliseconds with 0 bytes received", ms + 1)),
                        None => (28, format!("curl: (28) Failed to connect to {} port {} after 134000 ms: Couldn't connect to server", url.host, url.port)),
                    },
                    NetError::UnknownHost => (6, format!("curl: (6) Could not resolve host: {}", url.host)),
                };
                if !quiet_errors {
                    ctx.errln(msg);
                }
                status = code;
            }
        }
        if let Some(format) = &write_out {
            let text = write_out_text(format, report.0, report.1, &effective, ctx);
            ctx.out(text);
        }
    }
    Ok(status)
}

/// curl's `-w` format: `%{variable}`, `%%`, and the `\n`, `\t`, `\r`
/// escapes curl itself reads. An unknown variable is warned about and
/// left out, as curl does.
fn write_out_text(format: &str, code: u16, size: usize, url: &str, ctx: &mut Ctx) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("%{") {
            if let Some(end) = after.find('}') {
                match &after[..end] {
                    "http_code" | "response_code" => out.push_str(&format!("{code:03}")),
                    "size_download" => out.push_str(&size.to_string()),
                    "url_effective" => out.push_str(url),
                    other => ctx.errln(format!("curl: unknown --write-out variable: '{other}'")),
                }
                rest = &after[end + 1..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("%%") {
            out.push('%');
            rest = after;
            continue;
        }
        if let Some(after) = rest.strip_prefix('\\') {
            let next = after.chars().next();
            match next {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
            rest = &after[next.map_or(0, char::len_utf8)..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

pub fn wget(args: &[String], ctx: &mut Ctx) -> R {
    let mut quiet = false;
    let mut output: Option<String> = None;
    let mut urls: Vec<String> = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        if a == "--quiet" {
            quiet = true;
        } else if let Some(v) = a.strip_prefix("--output-document=") {
            output = Some(v.to_string());
        } else if a.starts_with('-') && a.len() > 1 && !a.starts_with("--") {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                match chars[j] {
                    'q' => quiet = true,
                    'O' => {
                        let rest: String = chars[j + 1..].iter().collect();
                        output = if rest.is_empty() {
                            i += 1;
                            args.get(i).cloned()
                        } else {
                            Some(rest)
                        };
                        break;
                    }
                    _ => {}
                }
                j += 1;
            }
        } else if !a.starts_with("--") {
            urls.push(a.clone());
        }
        i += 1;
    }
    let to_stdout = output.as_deref() == Some("-");
    let Some(raw) = urls.first() else {
        ctx.errln("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.");
        return Ok(1);
    };
    let raw = raw.clone();
    let url = match parse_url(&raw) {
        Ok(u) => u,
        Err(_) => {
            ctx.errln(format!("{raw}: Unsupported scheme."));
            return Ok(1);
        }
    };
    let full = format!("http://{}:{}{}", url.host, url.port, url.path);
    if !quiet {
        ctx.errln(format!("--{}--  {full}", wget_time(ctx)));
        ctx.errln(format!("Connecting to {}:{}... ", url.host, url.port));
    }
    match request(ctx, &url, "GET", "Wget/1.21.4", None) {
        Ok(resp) => {
            if !quiet {
                ctx.errln(format!(
                    "HTTP request sent, awaiting response... {} {}",
                    resp.status, resp.reason
                ));
            }
            if resp.status >= 400 {
                if !quiet {
                    ctx.errln(format!(
                        "{} ERROR {}: {}.\n",
                        wget_time(ctx),
                        resp.status,
                        resp.reason
                    ));
                }
                return Ok(8);
            }
            if to_stdout {
                ctx.out(String::from_utf8_lossy(&resp.body));
                return Ok(0);
            }
            let name = match (&output, url.path.rsplit('/').next()) {
                (Some(o), _) => o.clone(),
                (None, Some(n)) if !n.is_empty() => n.to_string(),
                _ => "index.html".to_string(),
            };
            let path = ctx.path(&name);
            let len = resp.body.len();
            let body = resp.body;
            if let Err(e) = ctx.fs(|fs| vfs::write_bytes(fs, &path, body)) {
                ctx.errln(format!("{name}: {e}"));
                return Ok(3);
            }
            if !quiet {
                ctx.errln(format!("Length: {len} [text/html]\nSaving to: '{name}'\n\n{name}            100%[===================>]     {len}  --.-KB/s    in 0s\n\n{} - '{name}' saved [{len}/{len}]\n", wget_time(ctx)));
            }
            Ok(0)
        }
        Err(e) => {
            if !quiet {
                let why = match e {
                    NetError::Refused => "failed: Connection refused.",
                    NetError::Reset => "failed: Connection reset by peer.",
                    NetError::Timeout => "failed: Connection timed out.",
                    NetError::UnknownHost => "failed: Name or service not known.",
                };
                ctx.errln(why);
            }
            Ok(4)
        }
    }
}

fn wget_time(ctx: &Ctx) -> String {
    let c = ctx.host.now().civil();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}
