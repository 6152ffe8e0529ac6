//! The services' one error type; the web layer maps each variant to an HTTP status.

use sandbank_domain::{ErrorCode, FieldErrors};
use sandbank_store::StoreError;

/// Why a use case did not complete.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input broke a rule; each problem is named by its field.
    #[error(transparent)]
    Validation(#[from] FieldErrors),
    /// No valid session came with the request.
    #[error("authentication required")]
    Unauthenticated,
    /// The e-mail and password do not match an account.
    #[error("wrong e-mail or password")]
    InvalidCredentials,
    /// The resource exists but belongs to another user.
    #[error("this {0} belongs to another user")]
    Forbidden(&'static str),
    /// The resource does not exist.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The action does not fit the resource's current state or an existing one.
    #[error("{message}")]
    Conflict {
        /// Machine-readable reason, e.g. `email_taken`.
        code: ErrorCode,
        /// What happened, in plain words.
        message: String,
    },
    /// The request was understood but refused, e.g. `invalid_credentials` at the consent step.
    #[error("{message}")]
    BadRequest {
        /// Machine-readable reason.
        code: ErrorCode,
        /// What happened, in plain words.
        message: String,
    },
    /// Too many attempts; try again after this many seconds.
    #[error("too many requests; retry in {retry_after_secs} s")]
    RateLimited {
        /// Seconds until the next attempt is allowed.
        retry_after_secs: u64,
    },
    /// The (simulated) provider did not answer.
    #[error("the provider is unavailable: {0}")]
    ProviderUnavailable(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something that should not happen (a crypto library refused, a hash is malformed).
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<sandbank_domain::connection::LifecycleError> for ServiceError {
    fn from(error: sandbank_domain::connection::LifecycleError) -> Self {
        Self::Conflict { code: error.code, message: error.message.to_owned() }
    }
}
