//! `docker container inspect` and the container half of `docker inspect`.

use super::flags::Parsed;
use super::{print_inspect, Invocation};
use crate::exec::Ctx;
use serde_json::{json, Map, Value};
use tidepool_engine::api::ContainerInspect;
use tidepool_engine::image::{derived_id, overlay_dir_id};

/// Inspects containers; `object` (plain `docker inspect`) also finds
/// images, then volumes and networks, and words the not-found error as
/// "No such object".
fn inspect_containers(p: &Parsed, object: bool, ctx: &mut Ctx) -> i32 {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for name in &p.operands {
        if let Ok(c) = ctx.host.container_inspect(name) {
            // The daemon knows its image's layers; the client asks nothing
            // more, so the API trace shows no extra request.
            let trace = ctx.host.api_trace_suspend();
            let layers = ctx
                .host
                .image_inspect(&c.image)
                .map(|i| i.root_fs.layers)
                .unwrap_or_default();
            ctx.host.api_trace_resume(trace);
            found.push(docker_shape(&c, &layers));
            continue;
        }
        if object {
            if let Ok(i) = ctx.host.image_inspect(name) {
                found.push(serde_json::to_value(i).unwrap_or(Value::Null));
                continue;
            }
            if let Ok(v) = ctx.host.volume_inspect(name) {
                found.push(serde_json::to_value(v).unwrap_or(Value::Null));
                continue;
            }
            if let Ok(n) = ctx.host.network_inspect(name) {
                found.push(serde_json::to_value(n).unwrap_or(Value::Null));
                continue;
            }
            errors.push(format!("Error: No such object: {name}"));
        } else {
            errors.push(format!("Error: No such container: {name}"));
        }
    }
    let status = print_inspect(&found, p.last("format"), "*container.InspectResponse", ctx);
    if status == super::INSPECT_TEMPLATE_ERROR {
        return status;
    }
    if !errors.is_empty() {
        ctx.errln(errors.join("\n"));
        return 1;
    }
    status
}

pub fn container_inspect(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    inspect_containers(p, false, ctx)
}

pub fn inspect(_inv: &Invocation, p: &Parsed, ctx: &mut Ctx) -> i32 {
    match p.last("type") {
        Some("container") => inspect_containers(p, false, ctx),
        Some("image") => super::image_cmds::image_inspect(_inv, p, ctx),
        Some("network") => super::network::inspect(_inv, p, ctx),
        Some("volume") => super::volume::inspect(_inv, p, ctx),
        None | Some("") => inspect_containers(p, true, ctx),
        // Swarm's objects: a daemon outside a swarm refuses each lookup.
        Some("config" | "node" | "secret" | "service" | "task") => {
            for _ in &p.operands {
                ctx.errln("Error response from daemon: This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.");
            }
            1
        }
        Some("plugin") => {
            for name in &p.operands {
                ctx.errln(format!(
                    "Error response from daemon: plugin \"{name}\" not found"
                ));
            }
            1
        }
        Some(other) => {
            ctx.errln(format!("unknown type: \"{other}\": must be one of \"config\", \"container\", \"image\", \"network\", \"node\", \"plugin\", \"secret\", \"service\", \"task\", \"volume\""));
            1
        }
    }
}

/// The paths under /proc a container cannot read, and those it cannot
/// write (moby's defaults).
const MASKED_PATHS: [&str; 11] = [
    "/proc/asound",
    "/proc/acpi",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
];
const READONLY_PATHS: [&str; 5] = [
    "/proc/bus",
    "/proc/fs",
    "/proc/irq",
    "/proc/sys",
    "/proc/sysrq-trigger",
];

/// A field of `v`, or null.
fn field(v: &Value, key: &str) -> Value {
    v.get(key).cloned().unwrap_or(Value::Null)
}

/// What Docker 28's ContainerInspect carries, in its order: the fields
/// the engine keeps, and the daemon's defaults for the ones it does not
/// model (log driver, cgroups, resource limits, masked paths, overlay2's
/// directories, the sandbox). `layers` are the image's layer digests.
fn docker_shape(c: &ContainerInspect, layers: &[String]) -> Value {
    let v = serde_json::to_value(c).unwrap_or(Value::Null);
    let id = c.id.as_str();
    let dir = format!("/var/lib/docker/containers/{id}");
    let running = c.state.running || c.state.paused;

    let hc = field(&v, "HostConfig");
    let mut host = Map::new();
    host.insert("Binds".into(), field(&hc, "Binds"));
    host.insert("ContainerIDFile".into(), json!(""));
    host.insert(
        "LogConfig".into(),
        json!({"Type": "json-file", "Config": {}}),
    );
    host.insert("NetworkMode".into(), field(&hc, "NetworkMode"));
    host.insert("PortBindings".into(), field(&hc, "PortBindings"));
    let mut policy = field(&hc, "RestartPolicy");
    if policy.get("Name").and_then(Value::as_str) == Some("") {
        policy["Name"] = json!("no");
    }
    host.insert("RestartPolicy".into(), policy);
    host.insert("AutoRemove".into(), field(&hc, "AutoRemove"));
    host.insert("VolumeDriver".into(), json!(""));
    host.insert("VolumesFrom".into(), Value::Null);
    host.insert("ConsoleSize".into(), json!([0, 0]));
    host.insert("CapAdd".into(), Value::Null);
    host.insert("CapDrop".into(), Value::Null);
    host.insert("CgroupnsMode".into(), json!("private"));
    host.insert("Dns".into(), json!([]));
    host.insert("DnsOptions".into(), json!([]));
    host.insert("DnsSearch".into(), json!([]));
    host.insert("ExtraHosts".into(), Value::Null);
    host.insert("GroupAdd".into(), Value::Null);
    host.insert("IpcMode".into(), json!("private"));
    host.insert("Cgroup".into(), json!(""));
    host.insert("Links".into(), Value::Null);
    host.insert("OomScoreAdj".into(), json!(0));
    host.insert("PidMode".into(), json!(""));
    host.insert("Privileged".into(), json!(false));
    host.insert("PublishAllPorts".into(), field(&hc, "PublishAllPorts"));
    host.insert("ReadonlyRootfs".into(), json!(false));
    host.insert("SecurityOpt".into(), Value::Null);
    if let Some(tmpfs) = hc.get("Tmpfs") {
        host.insert("Tmpfs".into(), tmpfs.clone());
    }
    host.insert("UTSMode".into(), json!(""));
    host.insert("UsernsMode".into(), json!(""));
    host.insert("ShmSize".into(), json!(67_108_864));
    host.insert("Runtime".into(), json!("runc"));
    host.insert("Isolation".into(), json!(""));
    for key in ["CpuShares", "Memory", "NanoCpus"] {
        host.insert(key.into(), json!(0));
    }
    host.insert("CgroupParent".into(), json!(""));
    host.insert("BlkioWeight".into(), json!(0));
    for key in [
        "BlkioWeightDevice",
        "BlkioDeviceReadBps",
        "BlkioDeviceWriteBps",
        "BlkioDeviceReadIOps",
        "BlkioDeviceWriteIOps",
    ] {
        host.insert(key.into(), json!([]));
    }
    for key in [
        "CpuPeriod",
        "CpuQuota",
        "CpuRealtimePeriod",
        "CpuRealtimeRuntime",
    ] {
        host.insert(key.into(), json!(0));
    }
    host.insert("CpusetCpus".into(), json!(""));
    host.insert("CpusetMems".into(), json!(""));
    host.insert("Devices".into(), json!([]));
    host.insert("DeviceCgroupRules".into(), Value::Null);
    host.insert("DeviceRequests".into(), Value::Null);
    host.insert("MemoryReservation".into(), json!(0));
    host.insert("MemorySwap".into(), json!(0));
    host.insert("MemorySwappiness".into(), Value::Null);
    host.insert("OomKillDisable".into(), Value::Null);
    host.insert("PidsLimit".into(), Value::Null);
    host.insert("Ulimits".into(), json!([]));
    for key in [
        "CpuCount",
        "CpuPercent",
        "IOMaximumIOps",
        "IOMaximumBandwidth",
    ] {
        host.insert(key.into(), json!(0));
    }
    if hc
        .get("Mounts")
        .and_then(Value::as_array)
        .is_some_and(|m| !m.is_empty())
    {
        host.insert("Mounts".into(), field(&hc, "Mounts"));
    }
    host.insert("MaskedPaths".into(), json!(MASKED_PATHS));
    host.insert("ReadonlyPaths".into(), json!(READONLY_PATHS));

    // overlay2: one directory per image layer, the container's init
    // layer, and its own.
    let own = overlay_dir_id(id);
    let mut lower = vec![format!("/var/lib/docker/overlay2/{own}-init/diff")];
    lower.extend(
        layers
            .iter()
            .rev()
            .map(|d| format!("/var/lib/docker/overlay2/{}/diff", overlay_dir_id(d))),
    );
    let graph = json!({
        "Data": {
            "LowerDir": lower.join(":"),
            "MergedDir": format!("/var/lib/docker/overlay2/{own}/merged"),
            "UpperDir": format!("/var/lib/docker/overlay2/{own}/diff"),
            "WorkDir": format!("/var/lib/docker/overlay2/{own}/work"),
        },
        "Name": "overlay2",
    });

    let mut config = Map::new();
    if let Some(Value::Object(given)) = v.get("Config") {
        for (key, value) in given {
            if key == "Labels" && !given.contains_key("OnBuild") {
                config.insert("OnBuild".into(), Value::Null);
            }
            config.insert(key.clone(), value.clone());
        }
    }

    let ns = field(&v, "NetworkSettings");
    let sandbox = if running {
        derived_id("sandbox", id)
    } else {
        String::new()
    };
    let mut networks = Map::new();
    if let Some(Value::Object(given)) = ns.get("Networks") {
        for (name, ep) in given {
            let aliases = field(ep, "Aliases");
            networks.insert(
                name.clone(),
                json!({
                    "IPAMConfig": ep.get("IPAMConfig").cloned().unwrap_or(Value::Null),
                    "Links": null,
                    "Aliases": aliases,
                    "MacAddress": field(ep, "MacAddress"),
                    "DriverOpts": null,
                    "GwPriority": 0,
                    "NetworkID": field(ep, "NetworkID"),
                    "EndpointID": field(ep, "EndpointID"),
                    "Gateway": field(ep, "Gateway"),
                    "IPAddress": field(ep, "IPAddress"),
                    "IPPrefixLen": field(ep, "IPPrefixLen"),
                    "IPv6Gateway": "",
                    "GlobalIPv6Address": "",
                    "GlobalIPv6PrefixLen": 0,
                    "DNSNames": field(ep, "DNSNames"),
                }),
            );
        }
    }
    let bridge_endpoint = ns
        .get("Networks")
        .and_then(|n| n.get("bridge"))
        .map(|ep| field(ep, "EndpointID"))
        .unwrap_or(json!(""));
    let network_settings = json!({
        "Bridge": "",
        "SandboxID": sandbox,
        "SandboxKey": if running { format!("/var/run/docker/netns/{}", &sandbox[..12.min(sandbox.len())]) } else { String::new() },
        "Ports": field(&ns, "Ports"),
        "HairpinMode": false,
        "LinkLocalIPv6Address": "",
        "LinkLocalIPv6PrefixLen": 0,
        "SecondaryIPAddresses": null,
        "SecondaryIPv6Addresses": null,
        "EndpointID": bridge_endpoint,
        "Gateway": field(&ns, "Gateway"),
        "GlobalIPv6Address": "",
        "GlobalIPv6PrefixLen": 0,
        "IPAddress": field(&ns, "IPAddress"),
        "IPPrefixLen": field(&ns, "IPPrefixLen"),
        "IPv6Gateway": "",
        "MacAddress": field(&ns, "MacAddress"),
        "Networks": networks,
    });

    let mut out = Map::new();
    for key in ["Id", "Created", "Path", "Args", "State", "Image"] {
        out.insert(key.into(), field(&v, key));
    }
    out.insert("ResolvConfPath".into(), json!(format!("{dir}/resolv.conf")));
    out.insert("HostnamePath".into(), json!(format!("{dir}/hostname")));
    out.insert("HostsPath".into(), json!(format!("{dir}/hosts")));
    out.insert("LogPath".into(), json!(format!("{dir}/{id}-json.log")));
    for key in ["Name", "RestartCount", "Driver", "Platform"] {
        out.insert(key.into(), field(&v, key));
    }
    out.insert("MountLabel".into(), json!(""));
    out.insert("ProcessLabel".into(), json!(""));
    out.insert("AppArmorProfile".into(), json!("docker-default"));
    out.insert("ExecIDs".into(), Value::Null);
    out.insert("HostConfig".into(), Value::Object(host));
    out.insert("GraphDriver".into(), graph);
    out.insert("Mounts".into(), field(&v, "Mounts"));
    out.insert("Config".into(), Value::Object(config));
    out.insert("NetworkSettings".into(), network_settings);
    Value::Object(out)
}
