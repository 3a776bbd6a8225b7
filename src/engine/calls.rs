//! The API calls each order made. The engine runs an order's work inside [`recorded`], which
//! collects the calls made by that work alone (a task-local scope, see `crate::http::record`):
//! calls made outside any order's work land on no order.

pub use crate::http::recorded;
