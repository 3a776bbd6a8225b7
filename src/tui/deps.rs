//! What the binary's wiring hands the dashboard: the data source, the engine's channels, the
//! probe and the save hook.

use crate::engine::api::{EngineCommand, EngineEvent, EngineStatus};
use crate::tui::i18n::Lang;
use crate::tui::probe::SetupProbe;
use crate::tui::source::DashboardSource;

/// The channels to a running engine.
pub struct EngineLink {
    pub commands: tokio::sync::mpsc::UnboundedSender<EngineCommand>,
    pub events: tokio::sync::broadcast::Receiver<EngineEvent>,
    pub status: tokio::sync::watch::Receiver<EngineStatus>,
}

/// Called after review → save: writes the file and (re)starts the engine; returns the new link.
pub type OnSave = Box<dyn FnMut(&crate::config::Config) -> Result<Option<EngineLink>, String> + Send>;

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
    pub on_save: OnSave,
    pub lang: Lang,
    /// e.g. "DEMO — simulated shop and CRM".
    pub banner: Option<String>,
}
