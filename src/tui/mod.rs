//! The interactive dashboard and setup wizard (ratatui + crossterm).
//!
//! `App` holds all state and is changed only by `App::update(Action)`; `view` draws it
//! (`App::render`), handing each pane a small `ViewCtx` and its own state, never the whole
//! `App`. The runner in `event_loop` turns terminal input, ticks and engine news into actions
//! and carries out the `Effect`s `update` asks for (connection tests, saving).
//!
//! Imports point one way, downwards:
//! `event_loop` → `view` → `app` → `panes` → `widgets` → `keymap` → `i18n` → `action`, `source`,
//! with `wizard` beside the panes (used by `app`, `view` and the Configuration pane) and small
//! leaves (`ctx`, `names`, `modal`, `deps`, `format`, `probe`). Nothing inside imports this
//! façade; it only re-exports what the rest of the crate uses.

pub mod action;
pub mod app;
pub mod ctx;
pub mod deps;
pub mod event_loop;
/// In-memory source and probe for tests and benches; compiled only for them (`test-support` is
/// enabled by the crate's dev-dependency on itself, never in a release build).
#[cfg(any(test, feature = "test-support"))]
pub mod fake;
pub mod format;
pub mod i18n;
pub mod keymap;
pub mod modal;
pub mod names;
pub mod panes;
pub mod probe;
pub mod source;
pub mod terminal;
pub mod view;
pub mod widgets;
pub mod wizard;

pub use deps::{DashboardDeps, EngineLink};
pub use event_loop::{run_dashboard, run_with};
pub use i18n::Lang;
pub use probe::*;
pub use source::*;
