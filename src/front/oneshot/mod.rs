//! The one-shot commands: each does one thing against the data directory and exits.
//! `sync --once` and `backfill` talk to the shop and the CRM; the others only read or change
//! the local record, which a running engine picks up.

pub mod actions;
pub mod backfill;
pub mod doctor;
pub mod orders;
pub mod poll_now;
mod progress;
pub mod render;
pub mod show;
pub mod status;
pub mod sync;
pub mod webhooks;
