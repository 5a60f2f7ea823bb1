//! `docker stats` (a live table, or one with `--no-stream`) and `docker top`.

use super::flags::Parsed;
use super::table::human_size;
use super::{daemon_error, Invocation};
use crate::exec::Ctx;
use crate::job::{self, JobKind};
use tidepool_engine::api::ContainerListOptions;
use tidepool_engine::Host;

/// The machine's memory, which is every container's limit by default.
pub const MEM_LIMIT: u64 = 8_322_519_040;

/// go-units `BytesSize`: binary units, 4 significant digits.
fn bytes_size(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1024.0 && i < UNITS.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    let s = format!("{v:.3}");
    let digits = s.split('.').next().map(str::len).unwrap_or(1);
    let precision = 4usize.saturating_sub(digits);
    let s = format!("{v:.precision$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    format!("{s}{}", UNITS[i])
}

/// `docker stats`' default table.
const DEFAULT_FORMAT: &str =
    "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

/// What `docker stats` shows once, how the user asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatsView {
    /// The containers named (all running ones, or all with `-a`, if none).
    pub containers: Vec<String>,
    pub all: bool,
    pub format: String,
    pub no_trunc: bool,
}

/// One frame of the stats output, or the template's error.
pub fn stats_table(host: &Host, view: &StatsView) -> Result<String, String> {
    let list = host
        .container_list(&ContainerListOptions {
            all: view.all || !view.containers.is_empty(),
            ..Default::default()
        })
        .unwrap_or_default();
    let mut rows = Vec::new();
    for c in list {
        let name = c
            .names
            .first()
            .map(|n| n.trim_start_matches('/').to_string())
            .unwrap_or_default();
        // `.Container` is the container as the user named it.
        let asked = if view.containers.is_empty() {
            None
        } else {
            match view
                .containers
                .iter()
                .find(|n| **n == name || c.id.starts_with(n.as_str()))
            {
                Some(n) => Some(n.clone()),
                None => continue,
            }
        };
        let (mem, pids, rx, tx) = host.container_stats(&c.id).unwrap_or((0, 0, 0, 0));
        let running = c.state == "running";
        let limit = if running { MEM_LIMIT } else { 0 };
        let mem_pct = if limit == 0 {
            0.0
        } else {
            mem as f64 * 100.0 / limit as f64
        };
        let id = if view.no_trunc {
            c.id.clone()
        } else {
            c.id[..12.min(c.id.len())].to_string()
        };
        rows.push(serde_json::json!({
            "BlockIO": "0B / 0B",
            "CPUPerc": "0.00%",
            "Container": asked.unwrap_or_else(|| id.clone()),
            "ID": id,
            "MemPerc": format!("{mem_pct:.2}%"),
            "MemUsage": format!("{} / {}", bytes_size(mem), bytes_size(limit)),
            "Name": name,
            "NetIO": format!("{} / {}", human_size(rx), human_size(tx)),
            "PIDs": pids.to_string(),
        }));
    }
    let headers = serde_json::json!({
        "BlockIO": "BLOCK I/O",
        "CPUPerc": "CPU %",
        "Container": "CONTAINER",
        "ID": "CONTAINER ID",
        "MemPerc": "MEM %",
        "MemUsage": "MEM USAGE / LIMIT",
        "Name": "NAME",
        "NetIO": "NET I/O",
        "PIDs": "PIDS",
    });
    super::render_rows(
        &view.format,
        DEFAULT_FORMAT,
        &rows,
        &headers,
        "*container.statsContext",
    )
}

pub fn stats(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    for name in &p.operands {
        if let Err(e) = ctx.host.container_id(name) {
            daemon_error(&e, ctx);
            return 1;
        }
    }
    let view = StatsView {
        containers: p.operands.clone(),
        all: p.flag("all"),
        format: p.last("format").unwrap_or_default().to_string(),
        no_trunc: p.flag("no-trunc"),
    };
    if p.flag("no-stream") || !ctx.foreground_ok {
        return match stats_table(ctx.host, &view) {
            Ok(text) => {
                ctx.out(text);
                0
            }
            Err(e) => {
                ctx.errln(e);
                1
            }
        };
    }
    // A template that cannot render fails before the stream starts.
    if let Err(e) = stats_table(ctx.host, &view) {
        ctx.errln(e);
        return 1;
    }
    let now = ctx.host.now();
    job::attach(JobKind::Stats { view, next: now }, ctx)
}

pub fn top(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let rows = match ctx.host.container_top(&p.operands[0]) {
        Ok(r) => r,
        Err(e) => {
            daemon_error(&e, ctx);
            return 1;
        }
    };
    let started = ctx
        .host
        .container_inspect(&p.operands[0])
        .ok()
        .map(|i| i.state.started_at)
        .unwrap_or_default();
    let stime = started.get(11..16).unwrap_or("00:00").to_string();
    let mut table = vec![["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"]
        .map(String::from)
        .to_vec()];
    for (uid, pid, ppid, cmd) in rows {
        table.push(vec![
            uid,
            pid.to_string(),
            ppid.to_string(),
            "0".into(),
            stime.clone(),
            "?".into(),
            "00:00:00".into(),
            cmd,
        ]);
    }
    // `docker top` aligns with a minimum column width of 20.
    let widths: Vec<usize> = (0..8)
        .map(|i| {
            table
                .iter()
                .map(|r| super::table::display_width(&r[i]) + 3)
                .max()
                .unwrap_or(0)
                .max(20)
        })
        .collect();
    let mut out = String::new();
    for r in &table {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < r.len() {
                line.push_str(&" ".repeat(widths[i] - super::table::display_width(cell)));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    ctx.out(out);
    0
}
