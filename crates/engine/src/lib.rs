//! The simulated Docker host (placeholder while the engine is written).
pub struct Host;
