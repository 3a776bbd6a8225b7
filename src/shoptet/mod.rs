//! Shoptet REST API: typed models, the client and webhook verification.

pub mod client;
pub mod models;
pub mod webhook;

pub use client::{OrderFilter, ShoptetClient};
