pub mod activity;
pub mod config;
pub mod entities;
pub mod orders;
pub mod overview;
