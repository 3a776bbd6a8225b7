//! The interactive dashboard and setup wizard (ratatui + crossterm).
//!
//! `App` holds all state and is changed only by `App::update(Action)`; rendering reads it.
//! The runner in `event_loop` turns terminal input, ticks and engine news into actions and
//! carries out the `Effect`s `update` asks for (connection tests, saving).

pub mod action;
pub mod app;
pub mod event_loop;
/// In-memory source and probe for tests and benches; compiled only for them (`test-support` is
/// enabled by the crate's dev-dependency on itself, never in a release build).
#[cfg(any(test, feature = "test-support"))]
pub mod fake;
pub mod format;
pub mod i18n;
pub mod keymap;
pub mod panes;
pub mod probe;
pub mod source;
pub mod terminal;
pub mod view;
pub mod widgets;
pub mod wizard;

pub use event_loop::{run_dashboard, run_with};
pub use i18n::Lang;
pub use probe::*;
pub use source::*;

use crate::engine::api::{EngineCommand, EngineEvent, EngineStatus};

/// The channels to a running engine.
pub struct EngineLink {
    pub commands: tokio::sync::mpsc::UnboundedSender<EngineCommand>,
    pub events: tokio::sync::broadcast::Receiver<EngineEvent>,
    pub status: tokio::sync::watch::Receiver<EngineStatus>,
}

/// Everything the dashboard needs from the binary's wiring.
pub struct DashboardDeps {
    pub source: Box<dyn DashboardSource>,
    /// None → the wizard opens first.
    pub config: Option<crate::config::Config>,
    /// `setup`: the wizard opens first even with a configuration, starting from it.
    pub setup: bool,
    /// Shown in Configuration.
    pub config_path: std::path::PathBuf,
    pub engine: Option<EngineLink>,
    pub probe: std::sync::Arc<dyn SetupProbe>,
    /// Called after review → save: writes the file and (re)starts the engine; returns the new link.
    #[allow(clippy::type_complexity)]
    pub on_save: Box<dyn FnMut(&crate::config::Config) -> Result<Option<EngineLink>, String> + Send>,
    pub lang: Lang,
    /// e.g. "DEMO — simulated shop and CRM".
    pub banner: Option<String>,
}
