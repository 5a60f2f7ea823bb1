//! The simulated Docker host.
//!
//! Pure Rust, no I/O, no clock, no threads: a [`Host`] owns a virtual clock
//! and a seeded RNG, so the same seed, commands and time advances always give
//! byte-identical results. Its methods are Docker Engine API operations and
//! speak the API's types ([`api`]); the CLI in the shell crate is a client
//! of exactly that surface.

pub mod api;
pub mod clock;
pub mod container;
pub mod error;
pub mod filters;
pub mod fs;
pub mod host;
pub mod image;
mod names;
pub mod programs;
pub mod reference;
pub mod registry;
pub mod rng;

/// The machine's kernel: what `uname` prints, on the host and in every
/// container (they share it), and what programs that log it see.
pub const KERNEL_RELEASE: &str = "6.8.0-60-generic";
pub const KERNEL_VERSION: &str = "#63-Ubuntu SMP PREEMPT_DYNAMIC Tue Apr 15 19:04:15 UTC 2025";

pub use clock::{Millis, Timestamp};
pub use error::EngineError;
pub use host::{Change, DiskUsage, ExecTarget, Host, NetError};
