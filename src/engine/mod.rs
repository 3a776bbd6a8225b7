//! The sync engine: poll, plan, execute, retry. No UI; front ends talk to it through
//! [`api::EngineCommand`] in and [`api::EngineEvent`] / [`api::EngineStatus`] out.

pub mod api;
