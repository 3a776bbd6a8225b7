//! Helpers shared by integration tests.

pub mod fields;
pub mod openapi;
