//! Every way the daemon can refuse a request, with Docker's own words in
//! `Display` and the HTTP status the Engine API would answer with. The CLI
//! adds `Error response from daemon: ` in front, as the real client does.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EngineError {
    NoSuchContainer(String),
    NoSuchImage(String),
    /// `name` without the leading slash.
    NameConflict {
        name: String,
        id: String,
    },
    InvalidName(String),
    PullAccessDenied(String),
    ManifestUnknown(String),
    /// A registry host that does not resolve.
    RegistryUnreachable {
        host: String,
    },
    InvalidReference(String),
    PortAllocated {
        endpoint: String,
        endpoint_id: String,
        host_ip: String,
        host_port: u16,
    },
    RemoveRunning(String),
    RemovePaused(String),
    NotRunning(String),
    AlreadyPaused(String),
    NotPaused(String),
    StartPaused,
    KillNotRunning {
        name: String,
        id: String,
    },
    /// runc could not start the process.
    ExecFailed(String),
    Conflict(String),
    InvalidArgument(String),
    NoSuchVolume(String),
    NetworkNotFound(String),
    /// A push without the right to the repository.
    PushDenied,
    /// `docker push` of a name with no local image.
    TagNotFound(String),
    RegistryRefused {
        host: String,
        port: u16,
    },
    Unauthorized(String),
    /// `docker exec` of a command the container does not have.
    ExecNotFound(String),
    VolumeInUse {
        name: String,
        containers: Vec<String>,
    },
    /// `docker network connect host c`.
    ConflictHostNetwork,
    /// Connecting a container on the host's network to another one.
    ConflictSharedNetwork,
    /// Connecting a container on none to another network (or to none).
    ConflictNoNetwork,
    /// `network create --subnet` over a block another network uses.
    PoolOverlaps,
    /// A static address (`--ip`) another endpoint holds, or one the
    /// network keeps for itself (network, broadcast, gateway).
    AddressInUse,
    /// `--ip` the network cannot give.
    InvalidEndpointSettings {
        network: String,
        reason: EndpointRefusal,
    },
}

/// Why a network refuses an endpoint's `--ip`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointRefusal {
    /// The default bridge, host, none.
    PredefinedNetwork,
    /// A user network whose addresses the daemon chose.
    NoUserSubnet,
    OutsideSubnet(String),
    NotAnAddress(String),
}

impl fmt::Display for EndpointRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointRefusal::PredefinedNetwork => {
                write!(f, "user specified IP address is supported on user defined networks only")
            }
            EndpointRefusal::NoUserSubnet => write!(
                f,
                "user specified IP address is supported only when connecting to networks with user configured subnets"
            ),
            EndpointRefusal::OutsideSubnet(ip) => {
                write!(f, "no configured subnet contains IP address {ip}")
            }
            EndpointRefusal::NotAnAddress(ip) => write!(f, "invalid IPv4 address: {ip}"),
        }
    }
}

impl EngineError {
    /// The HTTP status the Engine API answers with.
    pub fn status(&self) -> u16 {
        use EngineError::*;
        match self {
            NoSuchContainer(_) | NoSuchImage(_) | PullAccessDenied(_) | ManifestUnknown(_)
            | NoSuchVolume(_) => 404,
            VolumeInUse { .. } => 409,
            ExecNotFound(_) => 500,
            NetworkNotFound(_) | TagNotFound(_) => 404,
            PushDenied | Unauthorized(_) => 401,
            RegistryRefused { .. } => 500,
            NameConflict { .. }
            | RemoveRunning(_)
            | RemovePaused(_)
            | NotRunning(_)
            | AlreadyPaused(_)
            | NotPaused(_)
            | StartPaused
            | KillNotRunning { .. }
            | Conflict(_) => 409,
            InvalidName(_) | InvalidReference(_) | InvalidArgument(_) | ExecFailed(_) => 400,
            ConflictHostNetwork | ConflictSharedNetwork | ConflictNoNetwork => 400,
            PoolOverlaps => 403,
            InvalidEndpointSettings { .. } => 400,
            AddressInUse => 500,
            PortAllocated { .. } | RegistryUnreachable { .. } => 500,
        }
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use EngineError::*;
        match self {
            NoSuchContainer(x) => write!(f, "No such container: {x}"),
            NoSuchImage(x) => write!(f, "No such image: {x}"),
            NameConflict { name, id } => write!(
                f,
                "Conflict. The container name \"/{name}\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name."
            ),
            InvalidName(x) => write!(f, "Invalid container name ({x}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"),
            PullAccessDenied(repo) => write!(
                f,
                "pull access denied for {repo}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"
            ),
            ManifestUnknown(r) => write!(f, "manifest for {r} not found: manifest unknown: manifest unknown"),
            RegistryUnreachable { host } => write!(
                f,
                "Get \"https://{host}/v2/\": dial tcp: lookup {host} on 127.0.0.53:53: no such host"
            ),
            InvalidReference(msg) => write!(f, "{msg}"),
            PortAllocated { endpoint, endpoint_id, host_ip, host_port } => write!(
                f,
                "failed to set up container networking: driver failed programming external connectivity on endpoint {endpoint} ({endpoint_id}): Bind for {host_ip}:{host_port} failed: port is already allocated"
            ),
            RemoveRunning(name) => write!(
                f,
                "cannot remove container \"{name}\": container is running: stop the container before removing or force remove"
            ),
            RemovePaused(name) => write!(
                f,
                "cannot remove container \"{name}\": container is paused and must be unpaused first"
            ),
            NotRunning(id) => write!(f, "container {id} is not running"),
            AlreadyPaused(id) => write!(f, "container {id} is already paused"),
            NotPaused(id) => write!(f, "Container {id} is not paused"),
            StartPaused => write!(f, "cannot start a paused container, try unpause instead"),
            KillNotRunning { name, id } => write!(f, "cannot kill container: {name}: container {id} is not running"),
            ExecFailed(msg) => write!(
                f,
                "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: {msg}: unknown"
            ),
            Conflict(msg) | InvalidArgument(msg) => write!(f, "{msg}"),
            NoSuchVolume(name) => write!(f, "get {name}: no such volume"),
            NetworkNotFound(name) => write!(f, "network {name} not found"),
            ConflictHostNetwork => write!(
                f,
                "container cannot be disconnected from host network or connected to host network"
            ),
            ConflictSharedNetwork => write!(
                f,
                "container sharing network namespace with another container or host cannot be connected to any other network"
            ),
            ConflictNoNetwork => write!(
                f,
                "container cannot be connected to multiple networks with one of the networks in private (none) mode"
            ),
            PoolOverlaps => write!(
                f,
                "invalid pool request: Pool overlaps with other one on this address space"
            ),
            AddressInUse => write!(
                f,
                "failed to set up container networking: Address already in use"
            ),
            InvalidEndpointSettings { network, reason } => write!(
                f,
                "invalid config for network {network}: invalid endpoint settings:\n{reason}"
            ),
            PushDenied => write!(f, "denied: requested access to the resource is denied"),
            TagNotFound(name) => write!(f, "An image does not exist locally with the tag: {name}"),
            RegistryRefused { host, port } => write!(
                f,
                "Get \"http://{host}/v2/\": dial tcp 127.0.0.1:{port}: connect: connection refused"
            ),
            Unauthorized(msg) => write!(f, "{msg}"),
            ExecNotFound(detail) => write!(
                f,
                "OCI runtime exec failed: exec failed: unable to start container process: {detail}: unknown"
            ),
            VolumeInUse { name, containers } => write!(f, "remove {name}: volume is in use - [{}]", containers.join(", ")),
        }
    }
}

impl std::error::Error for EngineError {}

pub type Result<T> = std::result::Result<T, EngineError>;
