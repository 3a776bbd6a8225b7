//! shoptet-raynet-sync: the engine library. The front ends are thin layers over it: `cli`
//! parses the command line and hands each command to one of `front/` (dashboard, daemon,
//! one-shot commands, demo, sim), which share the `runtime` (options, paths, lock, exit codes,
//! signals, logging) and never import each other.

pub mod cli;
pub mod config;
pub mod doctor;
pub mod engine;
pub mod front;
pub mod health;
pub mod http;
pub mod mapping;
pub mod money;
pub mod raynet;
pub mod runtime;
pub mod server;
pub mod shoptet;
pub mod sim;
pub mod store;
pub mod tui;
pub mod webhooks;
