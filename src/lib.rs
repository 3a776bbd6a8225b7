//! shoptet-raynet-sync: the engine library. Front ends (TUI, daemon, CLI) are thin layers in
//! `main.rs` and `tui/` over these modules.

pub mod config;
pub mod engine;
pub mod http;
pub mod mapping;
pub mod raynet;
pub mod shoptet;
pub mod sim;
pub mod store;
pub mod tui;
