//! `cargo xtask bench`: the speed and size figures the README quotes.
//!
//! The benchmark (unlike the engine) may read a clock. Each figure is the
//! best of a few runs, printed as one `name: value` line.

use std::time::{Duration, Instant};
use tidepool_engine::api::{ContainerCreateRequest, ContainerListOptions};
use tidepool_engine::{Host, Millis};
use tidepool_shell::Sandbox;

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best: Option<(Duration, T)> = None;
    for _ in 0..runs {
        let start = Instant::now();
        let v = f();
        let took = start.elapsed();
        if best.as_ref().is_none_or(|(b, _)| took < *b) {
            best = Some((took, v));
        }
    }
    best.unwrap_or_else(|| (Duration::ZERO, f()))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// 1,000 images built on one base: the base layer is stored once.
fn shared_layers() {
    let mut host = Host::new(1);
    let _ = host.image_pull("nginx");
    let (took, (stored, sum)) = best(1, || {
        for i in 0..1000 {
            let req = ContainerCreateRequest {
                config: tidepool_engine::api::ContainerConfig {
                    image: "nginx".into(),
                    ..Default::default()
                },
                ..Default::default()
            };
            let Ok(c) = host.container_create(None, req) else {
                continue;
            };
            let _ = host.container_commit(
                &c.id,
                Some(&format!("app{i}")),
                "",
                "",
                &[format!("ENV BUILD={i}")],
            );
            let _ = host.container_delete(&c.id, true, false);
        }
        let sum: u64 = host.image_list().iter().map(|i| i.size.max(0) as u64).sum();
        (host.image_store().stored_bytes(), sum)
    });
    println!(
        "1,000 images on one base: {} stored for {} of image sizes ({:.0}x shared) in {}",
        mb(stored),
        mb(sum),
        sum as f64 / stored.max(1) as f64,
        ms(took)
    );
}

/// Pull every tag of the catalog, then remove every image.
fn pull_rmi_catalog() {
    let hub = tidepool_engine::registry::Registry::docker_hub();
    let refs: Vec<String> = hub
        .repositories
        .iter()
        .flat_map(|(path, repo)| {
            repo.tags
                .keys()
                .map(move |t| format!("{}:{t}", path.trim_start_matches("library/")))
        })
        .collect();
    let (took, count) = best(5, || {
        let mut host = Host::new(1);
        for r in &refs {
            let _ = host.image_pull(r);
        }
        let ids: Vec<String> = host.image_list().into_iter().map(|i| i.id).collect();
        for id in &ids {
            let _ = host.image_remove(id, true);
        }
        refs.len()
    });
    println!(
        "pull + rmi of the whole catalog ({count} tags): {}",
        ms(took)
    );
}

/// 10,000 containers from one image, and `docker ps -a` over them.
fn many_containers() {
    let (took, mut host) = best(3, || {
        let mut host = Host::new(1);
        let _ = host.image_pull("nginx");
        for _ in 0..10_000 {
            let req = ContainerCreateRequest {
                config: tidepool_engine::api::ContainerConfig {
                    image: "nginx".into(),
                    ..Default::default()
                },
                ..Default::default()
            };
            let _ = host.container_create(None, req);
        }
        host
    });
    println!("create 10,000 containers from one image: {}", ms(took));
    let (list_took, n) = best(5, || {
        host.container_list(&ContainerListOptions {
            all: true,
            ..Default::default()
        })
        .map(|l| l.len())
        .unwrap_or(0)
    });
    println!("ContainerList over {n} containers: {}", ms(list_took));
    let mut sandbox = Sandbox::new(1);
    sandbox.run_line("docker pull -q nginx");
    for _ in 0..10_000 {
        sandbox.run_line("docker create nginx");
    }
    let (ps_took, lines) = best(3, || {
        sandbox.run_line("docker ps -a").output.lines().count()
    });
    println!(
        "docker ps -a over {} containers (parse, list, format): {}",
        lines.saturating_sub(1),
        ms(ps_took)
    );
    host.advance(Millis(0));
}

/// Memory for 10,000 containers, measured first while the process is fresh.
fn many_containers_memory() {
    let before = peak_rss().unwrap_or(0);
    let mut host = Host::new(1);
    let _ = host.image_pull("nginx");
    for _ in 0..10_000 {
        let req = ContainerCreateRequest {
            config: tidepool_engine::api::ContainerConfig {
                image: "nginx".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        let _ = host.container_create(None, req);
    }
    let after = peak_rss().unwrap_or(0);
    println!(
        "peak memory growth for 10,000 containers: {}",
        mb(after.saturating_sub(before))
    );
    drop(host);
}

/// One virtual hour with 100 running counters.
fn hour_of_counters() {
    let mut host = Host::new(1);
    let _ = host.image_pull("devwikirepo/hundredcounter");
    for _ in 0..100 {
        let mut req = ContainerCreateRequest {
            config: tidepool_engine::api::ContainerConfig {
                image: "devwikirepo/hundredcounter".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        // Restarting after each count keeps them busy for the whole hour.
        req.host_config.restart_policy.name = "always".into();
        if let Ok(c) = host.container_create(None, req) {
            let _ = host.container_start(&c.id);
        }
    }
    let (took, _) = best(1, || host.advance(Millis(3_600_000)));
    println!(
        "advance 1 virtual hour with 100 counters (restart always): {}",
        ms(took)
    );
}

/// Peak resident memory of this process so far (Linux), in bytes.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// A 20-instruction Dockerfile: the first build, then a rebuild where every
/// step is a cache hit.
fn dockerfile_build() {
    let dockerfile = "FROM alpine\nARG VERSION=1.0\nENV APP_HOME=/app\nENV MODE=production\nWORKDIR /app\nCOPY package.json .\nCOPY src ./src\nRUN mkdir -p /app/data /app/logs\nRUN echo $VERSION > /app/VERSION\nENV PORT=8080\nCOPY config.txt /etc/app.conf\nRUN echo built > /app/data/status\nLABEL org.example.version=$VERSION\nEXPOSE 8080\nRUN touch /app/logs/app.log\nCOPY README.md /app/\nRUN ls /app > /app/listing\nUSER nobody\nENTRYPOINT [\"sh\", \"-c\"]\nCMD [\"cat /app/VERSION\"]\n";
    let mut sandbox = Sandbox::new(1);
    let setup = format!(
        "mkdir -p /root/bench/src && cd /root/bench && printf '{}' > Dockerfile && echo '{{}}' > package.json && echo 'x' > src/a.js && echo 'y' > src/b.js && echo 'conf' > config.txt && echo 'readme' > README.md && docker pull -q alpine",
        dockerfile.replace('\n', "\\n").replace('\'', "'\\''")
    );
    sandbox.run_line(&setup);
    let mut n = 0;
    let (first, _) = best(5, || {
        n += 1;
        sandbox.run_line(&format!("docker build -q --no-cache -t bench{n} ."))
    });
    let (rebuild, out) = best(5, || sandbox.run_line("docker build -q -t bench ."));
    assert!(
        out.output.starts_with("sha256:"),
        "build failed: {}",
        out.output
    );
    println!("build_20_instructions: {}", ms(first));
    println!("build_20_instructions_cached: {}", ms(rebuild));
}

/// `bench [NAME...]` runs the named benchmarks (all without names), so one
/// figure can be re-measured without waiting for the others.
fn main() {
    let benches: [(&str, fn()); 6] = [
        ("build", dockerfile_build),
        ("memory", many_containers_memory),
        ("layers", shared_layers),
        ("catalog", pull_rmi_catalog),
        ("containers", many_containers),
        ("counters", hour_of_counters),
    ];
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    for (name, bench) in benches {
        if wanted.is_empty() || wanted.iter().any(|w| w == name) {
            bench();
        }
    }
}
