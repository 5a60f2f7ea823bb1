//! `docker version`, `docker --version` and `docker info`: the client's
//! facts are the real 28.2.2 CLI's; the server is Tidepool's engine
//! presenting itself as Docker Engine 28.2.2.

use super::flags::Parsed;
use super::Invocation;
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
    if let Some(f) = p.last("format") {
        let data = serde_json::json!({
            "Client": {"Version": "28.2.2", "ApiVersion": "1.50", "GoVersion": "go1.24.3", "GitCommit": "e6534b4", "Os": "linux", "Arch": "amd64", "Context": "default"},
            "Server": {"Version": "28.2.2", "ApiVersion": "1.50", "MinAPIVersion": "1.24", "GoVersion": "go1.24.3", "GitCommit": "45873be", "Os": "linux", "Arch": "amd64", "KernelVersion": "6.8.0-60-generic"},
        });
        return super::format_rows(
            f,
            f,
            &[data],
            &serde_json::Value::Null,
            "types.Version",
            ctx,
        );
    }
    ctx.out(format!("{CLIENT}\n{SERVER}"));
    0
}

pub fn info(_inv: &Invocation, _p: &Parsed, ctx: &mut Ctx) -> i32 {
    ctx.host.api("GET", "/info");
    // One request: the counts it reports are the daemon's own business.
    let trace = ctx.host.api_trace_suspend();
    let code = info_text(ctx);
    ctx.host.api_trace_resume(trace);
    code
}

fn info_text(ctx: &mut Ctx) -> i32 {
    let all = ctx
        .host
        .container_list(&ContainerListOptions {
            all: true,
            ..Default::default()
        })
        .unwrap_or_default();
    let running = all.iter().filter(|c| c.state == "running").count();
    let paused = all.iter().filter(|c| c.state == "paused").count();
    let stopped = all.len() - running - paused;
    let images = ctx.host.image_list().len();
    ctx.out(format!(
        "Client:
 Version:    28.2.2
 Context:    default
 Debug Mode: false

Server:
 Containers: {}
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
 ID: 7c1b2f0e-4d3a-4e6b-9f2a-1d5e8c3b6a90
 Docker Root Dir: /var/lib/docker
 Debug Mode: false
 Experimental: false
 Insecure Registries:
  ::1/128
  127.0.0.0/8
 Live Restore Enabled: false

",
        all.len()
    ));
    0
}
