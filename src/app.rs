//! TEMPORARY stub until the TUI lands.
use crate::cli::{CliError, Global};
pub async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
pub async fn dashboard(_g: &Global, _setup: bool) -> Result<i32, CliError> {
    Ok(1)
}
pub async fn demo_dashboard(_g: &Global) -> Result<i32, CliError> {
    Ok(1)
}
