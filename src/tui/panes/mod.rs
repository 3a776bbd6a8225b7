//! The six panes. Each draws from a `ViewCtx` and its own state, never from the whole `App`;
//! the four list panes are a `TablePane` each, with only their columns and actions here.

pub mod activity;
pub mod config;
pub mod config_checks;
pub mod entities;
pub mod orders;
pub mod overview;
pub mod pending;
pub mod retry;
pub mod table;
