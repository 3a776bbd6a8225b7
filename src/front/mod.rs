//! The front ends, side by side: each is started by `cli` and imports the shared `runtime`,
//! never another front end.
//!
//! - `dashboard`: the TUI over your shop (`shoptet-raynet-sync`, `setup`) or the demo world (`demo`)
//! - `daemon`: `run`, the engine until a signal, with the optional webhook receiver
//! - `oneshot`: the commands that do one thing and exit (`sync --once`, `status`, `orders`, …)
//! - `demo`: `demo --headless`
//! - `sim`: both simulators standalone

pub mod daemon;
pub mod dashboard;
pub mod demo;
pub mod oneshot;
pub mod sim;
