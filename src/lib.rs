//! shoptet-raynet-sync: the engine library. Front ends (TUI, daemon, CLI) are thin layers in
//! `app/`, `cli/` and `tui/` over these modules.

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod engine;
pub mod http;
pub mod logging;
pub mod mapping;
pub mod money;
pub mod raynet;
pub mod server;
pub mod shoptet;
pub mod sim;
pub mod store;
pub mod tui;
