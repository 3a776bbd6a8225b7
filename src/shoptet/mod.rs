//! Shoptet REST API: typed models and the client.

pub mod models;
