//! Stateful RAYNET API simulator.
