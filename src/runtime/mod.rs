//! The runtime every front end shares: global options, paths and the data directory, the
//! engine lock, exit codes, the error type, shutdown signals, logging set-up, and the demo
//! world. Front ends (`cli`, `front/*`) import it; it imports none of them.

pub mod demo_world;
mod error;
mod exit;
mod lock;
pub mod logging;
mod options;
mod paths;
mod signal;

pub use error::{AppError, print_error, print_error_as};
pub use exit::*;
pub use lock::{
    EngineLock, PidNote, acquire_lock, engine_running, noted_engine, noted_engine_alive, process_alive,
};
pub use options::Global;
pub use paths::{
    check_data_dir, checked, load_config, open_existing, open_store, paths, private_dir, warn_loose_modes,
};
pub use signal::{DaemonSignal, Signals, shutdown_signal};
