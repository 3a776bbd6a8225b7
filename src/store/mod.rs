//! The SQLite store: the source of truth for what was seen, planned, synced and retried.
