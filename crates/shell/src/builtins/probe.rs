//! `ping` and `nc -z`: whether one container reaches another, by name on a
//! user-defined network or by address, as iputils/netcat-openbsd print it
//! on Debian, Ubuntu and the machine, and busybox in alpine.

use super::split_opts;
use crate::exec::{Control, Ctx, Flavor, Target};
use crate::job::{self, JobKind};
use tidepool_engine::host::PingTarget;
use tidepool_engine::{Millis, NetError, Timestamp};

type R = Result<i32, Control>;

/// A ping without `-c` runs until Ctrl-C; Tidepool stops it after this many.
const UNBOUNDED: usize = 600;

fn from(ctx: &Ctx) -> Option<String> {
    match &ctx.target {
        Target::Container(id) => Some(id.clone()),
        Target::Machine => None,
    }
}

fn busybox(ctx: &Ctx) -> bool {
    ctx.shell.flavor == Flavor::Ash
}

/// A round trip in milliseconds for packet `seq` (0-based): small and
/// steady, as on one machine's bridge.
fn rtt(seq: usize, loopback: bool) -> f64 {
    let base = if loopback { 0.025 } else { 0.045 };
    base + ((seq * 37 + 11) % 53) as f64 / 1000.0
}

struct Ping {
    shown: String,
    target: PingTarget,
    busybox: bool,
    loopback: bool,
}

impl Ping {
    fn header(&self) -> String {
        if self.busybox {
            format!("PING {} ({}): 56 data bytes\n", self.shown, self.target.ip)
        } else if self.target.ip.contains(':') {
            format!("PING {} ({}) 56 data bytes\n", self.shown, self.target.ip)
        } else {
            format!(
                "PING {} ({}) 56(84) bytes of data.\n",
                self.shown, self.target.ip
            )
        }
    }

    fn reply(&self, seq: usize) -> String {
        let t = rtt(seq, self.loopback);
        if self.busybox {
            format!(
                "64 bytes from {}: seq={seq} ttl=64 time={t:.3} ms\n",
                self.target.ip
            )
        } else {
            let from = match &self.target.name {
                Some(name) => format!("{name} ({})", self.target.ip),
                None => self.target.ip.clone(),
            };
            format!(
                "64 bytes from {from}: icmp_seq={} ttl=64 time={t:.3} ms\n",
                seq + 1
            )
        }
    }

    /// The statistics after `sent` packets, and ping's exit status.
    fn summary(&self, sent: usize) -> (String, i32) {
        let received = if self.target.replies { sent } else { 0 };
        let loss = (100 * (sent - received)).checked_div(sent).unwrap_or(0);
        let mut text = format!("--- {} ping statistics ---\n", self.shown);
        if self.busybox {
            text.push_str(&format!(
                "{sent} packets transmitted, {received} packets received, {loss}% packet loss\n"
            ));
        } else {
            let took = sent.saturating_sub(1) * 1001;
            text.push_str(&format!(
                "{sent} packets transmitted, {received} received, {loss}% packet loss, time {took}ms\n"
            ));
        }
        if received > 0 {
            let times: Vec<f64> = (0..received).map(|i| rtt(i, self.loopback)).collect();
            let min = times.iter().cloned().fold(f64::MAX, f64::min);
            let max = times.iter().cloned().fold(0.0, f64::max);
            let avg = times.iter().sum::<f64>() / times.len() as f64;
            if self.busybox {
                text.push_str(&format!(
                    "round-trip min/avg/max = {min:.3}/{avg:.3}/{max:.3} ms\n"
                ));
            } else {
                let var =
                    times.iter().map(|t| (t - avg) * (t - avg)).sum::<f64>() / times.len() as f64;
                text.push_str(&format!(
                    "rtt min/avg/max/mdev = {min:.3}/{avg:.3}/{max:.3}/{:.3} ms\n",
                    var.sqrt()
                ));
            }
        }
        (text, if received > 0 { 0 } else { 1 })
    }
}

pub fn ping(args: &[String], ctx: &mut Ctx) -> R {
    let busybox = busybox(ctx);
    let mut count: Option<usize> = None;
    let mut quiet = false;
    let mut host: Option<String> = None;
    let mut i = 1;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-c" | "-W" | "-w" | "-i" | "-s" | "-t" | "-I" => {
                let Some(v) = args.get(i + 1) else {
                    ctx.errln(format!(
                        "ping: option requires an argument -- '{}'",
                        &a[1..]
                    ));
                    if busybox {
                        return Ok(1);
                    }
                    ctx.errln(ping_usage());
                    return Ok(2);
                };
                if a == "-c" {
                    match v.parse::<usize>() {
                        Ok(n) if n > 0 => count = Some(n),
                        _ => {
                            if busybox {
                                ctx.errln(format!("ping: invalid number '{v}'"));
                                return Ok(1);
                            }
                            ctx.errln(format!(
                                "ping: invalid argument: '{v}': out of range: 1 <= value <= 9223372036854775807"
                            ));
                            return Ok(1);
                        }
                    }
                }
                i += 2;
                continue;
            }
            "-q" => quiet = true,
            "-4" | "-n" | "-v" => {}
            s if s.starts_with("-c") && s.len() > 2 => match s[2..].parse::<usize>() {
                Ok(n) if n > 0 => count = Some(n),
                _ => {
                    ctx.errln(format!("ping: invalid argument: '{}'", &s[2..]));
                    return Ok(1);
                }
            },
            s if s.starts_with('-') && s.len() > 1 => {
                if busybox {
                    ctx.errln(format!("ping: unrecognized option '{s}'"));
                    return Ok(1);
                }
                ctx.errln(format!("ping: invalid option -- '{}'", &s[1..2]));
                ctx.errln(ping_usage());
                return Ok(2);
            }
            s => host = Some(s.to_string()),
        }
        i += 1;
    }
    let Some(host) = host else {
        if busybox {
            ctx.errln("BusyBox v1.37.0 (2025-05-26 20:04:45 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST");
            return Ok(1);
        }
        ctx.errln("ping: usage error: Destination address required");
        return Ok(1);
    };
    let target = match ctx.host.ping_from(from(ctx).as_deref(), &host) {
        Ok(t) => t,
        Err(_) => {
            if busybox {
                ctx.errln(format!("ping: bad address '{host}'"));
                return Ok(1);
            }
            ctx.errln(format!("ping: {host}: Name or service not known"));
            return Ok(2);
        }
    };
    let loopback = target.ip.starts_with("127.") || target.ip == "::1";
    let p = Ping {
        shown: host,
        target,
        busybox,
        loopback,
    };
    let n = count.unwrap_or(UNBOUNDED);
    let replies = p.target.replies;
    let line = |seq: usize| -> String {
        if replies && !quiet {
            p.reply(seq)
        } else {
            String::new()
        }
    };
    // When no reply comes, ping waits out its linger time after the last.
    let linger = if replies { 0 } else { 10_000 };
    if ctx.foreground_ok && ctx.local_clock.is_none() {
        let start = ctx.host.now();
        let mut frames: Vec<(Timestamp, String)> = Vec::new();
        for seq in 0..n {
            let mut text = if seq == 0 { p.header() } else { String::new() };
            text.push_str(&line(seq));
            frames.push((start + Millis(1000 * seq as u64), text));
        }
        let (summary, status) = p.summary(n);
        let end = start + Millis(1000 * (n as u64 - 1) + linger);
        frames.push((end, format!("\n{summary}")));
        let summaries = (0..=n).map(|sent| p.summary(sent.max(1))).collect();
        return Ok(job::attach(
            JobKind::Ping {
                frames,
                next: 0,
                summaries,
                status,
            },
            ctx,
        ));
    }
    ctx.out(p.header());
    for seq in 0..n {
        if seq > 0 {
            ctx.pass_time(Millis(1000));
        }
        ctx.out(line(seq));
    }
    ctx.pass_time(Millis(linger));
    let (summary, status) = p.summary(n);
    ctx.out(format!("\n{summary}"));
    Ok(status)
}

fn ping_usage() -> &'static str {
    "\nUsage\n  ping [options] <destination>\n"
}

/// `nc -z [-v] [-w N] HOST PORT...`: is anything listening?
pub fn nc(args: &[String], ctx: &mut Ctx) -> R {
    let busybox = busybox(ctx);
    let (short, _long, mut operands) = split_opts(&args[1..]);
    // -w takes a value: split_opts left it among the operands.
    if short.contains(&'w') && !operands.is_empty() {
        operands.remove(0);
    }
    if !short.contains(&'z') {
        ctx.errln("nc: Tidepool's nc only checks ports (nc -z HOST PORT)");
        return Ok(1);
    }
    let verbose = short.contains(&'v');
    let [host, ports @ ..] = operands.as_slice() else {
        if busybox {
            ctx.errln("BusyBox v1.37.0 (2025-05-26 20:04:45 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect");
        } else {
            ctx.errln("usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]");
        }
        return Ok(1);
    };
    if ports.is_empty() {
        ctx.errln(if busybox {
            "BusyBox v1.37.0 (2025-05-26 20:04:45 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect"
        } else {
            "nc: missing port number"
        });
        return Ok(1);
    }
    let ip = ctx
        .host
        .ping_from(from(ctx).as_deref(), host)
        .map(|t| t.ip)
        .ok();
    let Some(ip) = ip else {
        if busybox {
            ctx.errln(format!("nc: bad address '{host}'"));
        } else {
            ctx.errln(format!(
                "nc: getaddrinfo for host \"{host}\" port {}: Name or service not known",
                ports[0]
            ));
        }
        return Ok(1);
    };
    let mut status = 0;
    for port in ports {
        let Ok(n) = port.parse::<u16>() else {
            ctx.errln(format!("nc: port number invalid: {port}"));
            return Ok(1);
        };
        match ctx.host.tcp_connect_from(from(ctx).as_deref(), host, n) {
            Ok(()) => {
                if verbose {
                    if busybox {
                        ctx.errln(format!("{host} ({ip}:{n}) open"));
                    } else {
                        ctx.errln(format!(
                            "Connection to {host} ({ip}) {n} port [tcp/{}] succeeded!",
                            service(n)
                        ));
                    }
                }
            }
            Err(e) => {
                status = 1;
                if matches!(e, NetError::Timeout) {
                    ctx.pass_time(Millis(if short.contains(&'w') { 1000 } else { 130_000 }));
                }
                if verbose {
                    let why = match e {
                        NetError::Timeout => "Operation timed out",
                        _ => "Connection refused",
                    };
                    if busybox {
                        ctx.errln(format!("nc: {host} ({ip}:{n}): {why}"));
                    } else {
                        ctx.errln(format!(
                            "nc: connect to {host} ({ip}) port {n} (tcp) failed: {why}"
                        ));
                    }
                }
            }
        }
    }
    Ok(status)
}

/// /etc/services' name for a port, as netcat prints it.
fn service(port: u16) -> &'static str {
    match port {
        22 => "ssh",
        80 => "http",
        443 => "https",
        3306 => "mysql",
        5432 => "postgresql",
        6379 => "redis",
        8080 => "http-alt",
        _ => "*",
    }
}
