//! `docker version`, `docker --version` and `docker info`: the client's
//! facts are the real 28.2.2 CLI's; the server is Tidepool's engine
//! presenting itself as Docker Engine 28.2.2.

use super::flags::Parsed;
use super::{template, Invocation};
use crate::exec::Ctx;
use tidepool_engine::api::ContainerListOptions;

pub const VERSION_LINE: &str = "Docker version 28.2.2, build e6534b4";

const CLIENT: &str = "Client:
 Version:           28.2.2
 API version:       1.50
 Go version:        go1.24.3
 Git commit:        e6534b4
 Built:             Fri May 30 12:07:14 2025
 OS/Arch:           linux/amd64
 Context:           default
";

const SERVER: &str = "Server: Docker Engine - Community
 Engine:
  Version:          28.2.2
  API version:      1.50 (minimum version 1.24)
  Go version:       go1.24.3
  Git commit:       45873be
  Built:            Fri May 30 12:07:14 2025
  OS/Arch:          linux/amd64
  Experimental:     false
 containerd:
  Version:          1.7.27
  GitCommit:        05044ec0a9a75232cad458027ca83437aae3f4da
 runc:
  Version:          1.2.5
  GitCommit:        v1.2.5-0-g59923ef
 docker-init:
  Version:          0.19.0
  GitCommit:        de40ad0
";

pub fn version(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    ctx.host.api("GET", "/version");
    let Some(format) = p.last("format").filter(|f| !f.is_empty()) else {
        ctx.out(format!("{CLIENT}\n{SERVER}"));
        return 0;
    };
    let data = serde_json::json!({
        "Client": client_version(),
        "Server": {
            "Platform": {"Name": "Docker Engine - Community"},
            "Components": [
                {"Name": "Engine", "Version": "28.2.2", "Details": {"ApiVersion": "1.50", "Arch": "amd64", "BuildTime": "Fri May 30 12:07:14 2025", "Experimental": "false", "GitCommit": "45873be", "GoVersion": "go1.24.3", "KernelVersion": tidepool_engine::KERNEL_RELEASE, "MinAPIVersion": "1.24", "Os": "linux"}},
                {"Name": "containerd", "Version": "1.7.27", "Details": {"GitCommit": "05044ec0a9a75232cad458027ca83437aae3f4da"}},
                {"Name": "runc", "Version": "1.2.5", "Details": {"GitCommit": "v1.2.5-0-g59923ef"}},
                {"Name": "docker-init", "Version": "0.19.0", "Details": {"GitCommit": "de40ad0"}},
            ],
            "Version": "28.2.2",
            "ApiVersion": "1.50",
            "MinAPIVersion": "1.24",
            "GitCommit": "45873be",
            "GoVersion": "go1.24.3",
            "Os": "linux",
            "Arch": "amd64",
            "KernelVersion": tidepool_engine::KERNEL_RELEASE,
            "BuildTime": "2025-05-30T12:07:14.000000000+00:00",
        },
    });
    format_one(format, &data, "version", "system.versionInfo", ctx)
}

/// The CLI's own version facts, as `clientVersion` marshals them.
fn client_version() -> serde_json::Value {
    serde_json::json!({
        "Version": "28.2.2",
        "ApiVersion": "1.50",
        "DefaultAPIVersion": "1.50",
        "GitCommit": "e6534b4",
        "GoVersion": "go1.24.3",
        "Os": "linux",
        "Arch": "amd64",
        "BuildTime": "Fri May 30 12:07:14 2025",
        "Context": "default",
    })
}

/// Runs `docker version`'s or `docker info`'s `-f` template over its one
/// value as the CLI does: whatever the template printed, then a newline
/// even when it failed; a template that does not parse exits 64. `name` is
/// the Go template's name (`version` names its template, `info` does not).
fn format_one(
    format: &str,
    data: &serde_json::Value,
    name: &str,
    type_name: &str,
    ctx: &mut Ctx,
) -> i32 {
    let format = if format == "json" {
        "{{json .}}"
    } else {
        format
    };
    let named = |message: String| {
        if name.is_empty() {
            message
        } else {
            message
                .replacen("template: :", &format!("template: {name}:"), 1)
                .replacen("executing \"\"", &format!("executing \"{name}\""), 1)
        }
    };
    let template = match template::Template::parse(format) {
        Ok(t) => t,
        Err(e) => {
            ctx.errln(format!("template parsing error: {}", named(e.0)));
            return 64;
        }
    };
    match template.render(data, type_name) {
        Ok(text) => {
            ctx.outln(text);
            0
        }
        Err(e) => {
            ctx.outln("");
            ctx.errln(named(e.0));
            1
        }
    }
}

/// What the daemon counts for `docker info`.
struct Counts {
    containers: usize,
    running: usize,
    paused: usize,
    stopped: usize,
    images: usize,
}

pub fn info(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    let format = p.last("format").filter(|f| !f.is_empty());
    // The CLI asks the daemon only when the template needs more than the
    // client's own facts (its needsServerInfo).
    let needs_server = format.is_none_or(|f| {
        let has_field = f
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'.' && w[1].is_ascii_alphabetic());
        !has_field
            || template::Template::parse(f).map_or(true, |t| {
                t.render(&client_only(), "system.dockerInfo").is_err()
            })
    });
    let counts = if needs_server {
        ctx.host.api("GET", "/info");
        // One request: the counts it reports are the daemon's own business.
        let trace = ctx.host.api_trace_suspend();
        let counts = counts(ctx);
        ctx.host.api_trace_resume(trace);
        Some(counts)
    } else {
        None
    };
    match format {
        Some(f) => {
            let data = match &counts {
                Some(c) => info_data(c, ctx),
                None => client_only(),
            };
            format_one(f, &data, "", "system.dockerInfo", ctx)
        }
        None => {
            let c = counts.unwrap_or(Counts {
                containers: 0,
                running: 0,
                paused: 0,
                stopped: 0,
                images: 0,
            });
            info_text(&c, ctx)
        }
    }
}

fn counts(ctx: &mut Ctx) -> Counts {
    let all = ctx
        .host
        .container_list(&ContainerListOptions {
            all: true,
            ..Default::default()
        })
        .unwrap_or_default();
    let running = all.iter().filter(|c| c.state == "running").count();
    let paused = all.iter().filter(|c| c.state == "paused").count();
    Counts {
        containers: all.len(),
        running,
        paused,
        stopped: all.len() - running - paused,
        images: ctx.host.image_list().len(),
    }
}

/// The client half of `docker info`'s data, all a template sees when it
/// needs nothing from the daemon.
fn client_only() -> serde_json::Value {
    serde_json::json!({ "ClientInfo": client_info() })
}

fn client_info() -> serde_json::Value {
    let mut client = serde_json::json!({ "Debug": false });
    if let (Some(c), serde_json::Value::Object(version)) =
        (client.as_object_mut(), client_version())
    {
        c.extend(version);
        c.insert("Plugins".into(), serde_json::json!([]));
        c.insert("Warnings".into(), serde_json::Value::Null);
    }
    client
}

/// `docker info`'s data with Docker's field names and order: the daemon's
/// system.Info, then the client's.
fn info_data(c: &Counts, ctx: &mut Ctx) -> serde_json::Value {
    // Two halves: one json! of them all is past the macro's recursion limit.
    let mut data = serde_json::json!({
        "ID": ENGINE_ID,
        "Containers": c.containers,
        "ContainersRunning": c.running,
        "ContainersPaused": c.paused,
        "ContainersStopped": c.stopped,
        "Images": c.images,
        "Driver": "overlay2",
        "DriverStatus": [["Backing Filesystem", "extfs"], ["Supports d_type", "true"], ["Using metacopy", "false"], ["Native Overlay Diff", "true"], ["userxattr", "false"]],
        "Plugins": {
            "Volume": ["local"],
            "Network": ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"],
            "Authorization": null,
            "Log": ["awslogs", "fluentd", "gcplogs", "gelf", "journald", "json-file", "local", "splunk", "syslog"],
        },
        "MemoryLimit": true,
        "SwapLimit": true,
        "CpuCfsPeriod": true,
        "CpuCfsQuota": true,
        "CPUShares": true,
        "CPUSet": true,
        "PidsLimit": true,
        "IPv4Forwarding": true,
        "Debug": false,
        "NFd": 24,
        "OomKillDisable": false,
        "NGoroutines": 41,
        "SystemTime": ctx.host.now().rfc3339_nano(),
        "LoggingDriver": "json-file",
        "CgroupDriver": "systemd",
        "CgroupVersion": "2",
        "NEventsListener": 0,
        "KernelVersion": tidepool_engine::KERNEL_RELEASE,
        "OperatingSystem": "Ubuntu 24.04.2 LTS",
        "OSVersion": "24.04",
        "OSType": "linux",
        "Architecture": "x86_64",
        "IndexServerAddress": "https://index.docker.io/v1/",
        "RegistryConfig": {
            "InsecureRegistryCIDRs": ["::1/128", "127.0.0.0/8"],
            "IndexConfigs": {
                "docker.io": {"Name": "docker.io", "Mirrors": [], "Secure": true, "Official": true},
            },
            "Mirrors": null,
        },
    });
    let rest = serde_json::json!({
        "NCPU": 2,
        "MemTotal": super::stats::MEM_LIMIT,
        "GenericResources": null,
        "DockerRootDir": "/var/lib/docker",
        "HttpProxy": "",
        "HttpsProxy": "",
        "NoProxy": "",
        "Name": "tidepool",
        "Labels": [],
        "ExperimentalBuild": false,
        "ServerVersion": "28.2.2",
        "Runtimes": {
            "io.containerd.runc.v2": {"path": "runc"},
            "runc": {"path": "runc"},
        },
        "DefaultRuntime": "runc",
        "Swarm": {
            "NodeID": "",
            "NodeAddr": "",
            "LocalNodeState": "inactive",
            "ControlAvailable": false,
            "Error": "",
            "RemoteManagers": null,
        },
        "LiveRestoreEnabled": false,
        "Isolation": "",
        "InitBinary": "docker-init",
        "ContainerdCommit": {"ID": "05044ec0a9a75232cad458027ca83437aae3f4da"},
        "RuncCommit": {"ID": "v1.2.5-0-g59923ef"},
        "InitCommit": {"ID": "de40ad0"},
        "SecurityOptions": ["name=apparmor", "name=seccomp,profile=builtin", "name=cgroupns"],
        "CDISpecDirs": ["/etc/cdi", "/var/run/cdi"],
        "Containerd": {
            "Address": "/run/containerd/containerd.sock",
            "Namespaces": {"Containers": "moby", "Plugins": "plugins.moby"},
        },
        "Warnings": null,
        "ClientInfo": client_info(),
    });
    if let (Some(first), serde_json::Value::Object(rest)) = (data.as_object_mut(), rest) {
        first.extend(rest);
    }
    data
}

const ENGINE_ID: &str = "7c1b2f0e-4d3a-4e6b-9f2a-1d5e8c3b6a90";

fn info_text(c: &Counts, ctx: &mut Ctx) -> i32 {
    let Counts {
        containers,
        running,
        paused,
        stopped,
        images,
    } = c;
    ctx.out(format!(
        "Client:
 Version:    28.2.2
 Context:    default
 Debug Mode: false

Server:
 Containers: {containers}
  Running: {running}
  Paused: {paused}
  Stopped: {stopped}
 Images: {images}
 Server Version: 28.2.2
 Storage Driver: overlay2
  Backing Filesystem: extfs
  Supports d_type: true
  Using metacopy: false
  Native Overlay Diff: true
  userxattr: false
 Logging Driver: json-file
 Cgroup Driver: systemd
 Cgroup Version: 2
 Plugins:
  Volume: local
  Network: bridge host ipvlan macvlan null overlay
  Log: awslogs fluentd gcplogs gelf journald json-file local splunk syslog
 CDI spec directories:
  /etc/cdi
  /var/run/cdi
 Swarm: inactive
 Runtimes: io.containerd.runc.v2 runc
 Default Runtime: runc
 Init Binary: docker-init
 containerd version: 05044ec0a9a75232cad458027ca83437aae3f4da
 runc version: v1.2.5-0-g59923ef
 init version: de40ad0
 Security Options:
  apparmor
  seccomp
   Profile: builtin
  cgroupns
 Kernel Version: 6.8.0-60-generic
 Operating System: Ubuntu 24.04.2 LTS
 OSType: linux
 Architecture: x86_64
 CPUs: 2
 Total Memory: 7.751GiB
 Name: tidepool
 ID: {ENGINE_ID}
 Docker Root Dir: /var/lib/docker
 Debug Mode: false
 Experimental: false
 Insecure Registries:
  ::1/128
  127.0.0.0/8
 Live Restore Enabled: false

"
    ));
    0
}
