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

pub use clock::{Millis, Timestamp};
pub use error::EngineError;
pub use host::{Change, DiskUsage, ExecTarget, Host, NetError};
