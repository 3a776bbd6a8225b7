//! Stateful Shoptet API simulator.
