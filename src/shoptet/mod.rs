//! Shoptet REST API: typed models, the client and webhook verification.

pub mod auth;
pub mod client;
pub mod models;
mod vendor;
pub mod webhook;

pub use client::{OrderFilter, ShoptetClient, shoptet_client_for};
pub use vendor::bucket_filling;
