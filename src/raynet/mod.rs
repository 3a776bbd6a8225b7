//! RAYNET CRM REST API v2: typed models and the client.

pub mod client;
pub mod envelope;
pub mod models;
pub mod query;
pub mod ratelimit;
mod vendor;

pub use client::{CompanyFilter, RaynetClient, ValueList};
pub use ratelimit::RateLimitState;
