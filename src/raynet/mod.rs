//! RAYNET CRM REST API v2: typed models and the client.

pub mod models;
