//! The sync engine: poll, decide, plan, execute, retry. No UI; front ends talk to it through
//! [`api::EngineCommand`] in and [`api::EngineEvent`] / [`api::EngineStatus`] out.

pub mod api;
mod calls;
pub mod context;
pub mod decide;
pub mod detail;
pub mod estimate;
mod execute;
pub mod local;
pub mod plan;
mod poll;
mod problem;
mod reason;
pub mod retry;
mod runner;

pub use context::SyncContext;
pub use runner::{BackfillReport, Engine, EngineParts, OrderOutcome, PassReport};

use crate::http::ApiError;
use crate::mapping::MappingError;
use crate::store::StoreError;

/// Why an engine step failed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Api(Box<ApiError>),
    #[error("local store: {0}")]
    Store(#[from] StoreError),
    #[error("order data: {0}")]
    Mapping(#[from] MappingError),
    /// The configuration does not fit the connected shop or CRM (unknown owner, phase…).
    #[error("configuration: {0}")]
    Config(problem::ConfigIssue),
    /// The order's currency is not a currency in RAYNET (the order waits until it is added).
    #[error(
        "configuration: the order is in {iso}, which is not a currency in RAYNET — add {iso} in RAYNET \
         (Nastavení → Měny) and retry"
    )]
    CurrencyMissing { iso: String },
}

impl From<ApiError> for EngineError {
    fn from(e: ApiError) -> Self {
        EngineError::Api(Box::new(e))
    }
}

impl EngineError {
    /// The kind of failure, for the metrics.
    pub fn class(&self) -> api::FailureClass {
        use crate::http::ErrorKind;
        match self {
            EngineError::Api(e) => match e.kind {
                ErrorKind::Transient => api::FailureClass::Transient,
                ErrorKind::RateLimited => api::FailureClass::RateLimited,
                ErrorKind::Auth => api::FailureClass::Auth,
                ErrorKind::NotFound => api::FailureClass::NotFound,
                ErrorKind::Permanent => api::FailureClass::Permanent,
            },
            EngineError::Store(_) => api::FailureClass::Store,
            EngineError::Mapping(_) => api::FailureClass::OrderData,
            EngineError::Config(_) | EngineError::CurrencyMissing { .. } => api::FailureClass::Config,
        }
    }

    /// Errors that stop the whole engine rather than one order.
    pub fn is_fatal(&self) -> bool {
        match self {
            EngineError::Api(e) => e.kind == crate::http::ErrorKind::Auth,
            EngineError::Store(_) | EngineError::Config(_) => true,
            EngineError::Mapping(_) | EngineError::CurrencyMissing { .. } => false,
        }
    }
}
