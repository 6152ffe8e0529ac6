//! The `Provider` trait: what the services need from a bank (or an aggregator). The fake bank
//! implements it; a real aggregator could be another implementation without touching routes or
//! storage.

pub mod fake;
pub mod scripted;

use chrono::{DateTime, NaiveDate, Utc};
pub use sandbank_domain::bank_data::AccountReport as AccountData;
use sandbank_domain::bank_data::ReportedAccount;
use sandbank_domain::connection::SandboxFault;
use sandbank_domain::scenario::Scenario;

/// Which connection a call is about, as the provider knows it.
#[derive(Debug, Clone, Copy)]
pub struct ProviderLink<'a> {
    /// The provider's slug, e.g. `amex`.
    pub provider_slug: &'a str,
    /// The connection's data seed.
    pub seed: i64,
    /// The day the connection was made.
    pub linked_on: NaiveDate,
    /// A fault the sandbox controls switched on.
    pub fault: Option<SandboxFault>,
    /// The scenario the connection runs, if it was made from one: the bank then reports its
    /// accounts and rows, and its events happen as the clock reaches them.
    pub scenario: Option<&'a Scenario>,
    /// The connection's now (its sandbox clock included).
    pub clock: DateTime<Utc>,
}

/// What the user typed on the consent page (all optional in the sandbox).
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    /// The bank username.
    pub username: Option<String>,
    /// The bank password.
    pub password: Option<String>,
    /// A one-time code, for users that need one.
    pub mfa_code: Option<String>,
}

/// Why a provider call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// Wrong username or password.
    #[error("the username or password is incorrect")]
    InvalidCredentials,
    /// This user needs a one-time code and none was given.
    #[error("this user needs a one-time code (mfaCode)")]
    MfaRequired,
    /// The one-time code is wrong.
    #[error("the one-time code is incorrect")]
    InvalidMfaCode,
    /// The bank locked the user's account.
    #[error("the account is locked at the bank; the user must unlock it there")]
    AccountLocked,
    /// The access token is no longer accepted.
    #[error("the access token has expired; the user must authorize again")]
    TokenExpired,
    /// The stored access token cannot be opened (the secret that sealed it is gone).
    #[error("the stored access token cannot be opened (was SANDBANK_SECRET changed?); the user must authorize again")]
    TokenUnreadable,
    /// The provider does not answer.
    #[error("{0} is not responding")]
    Unavailable(String),
    /// The provider does not know the account asked for.
    #[error("unknown account {0}")]
    UnknownAccount(String),
}

/// A source of financial data.
pub trait Provider: Send + Sync + std::fmt::Debug {
    /// Checks the user's credentials and returns a new access token.
    fn authorize(&self, link: &ProviderLink<'_>, credentials: &Credentials) -> Result<String, ProviderError>;

    /// The accounts the token gives access to.
    fn accounts(&self, link: &ProviderLink<'_>, token: &str) -> Result<Vec<ReportedAccount>, ProviderError>;

    /// One account's transactions dated `since` or later (or its whole history), snapshots for
    /// the same days, and its balances, all as of `now` (the connection's clock, sandbox days
    /// included): nothing in it is stamped later.
    fn fetch(
        &self,
        link: &ProviderLink<'_>,
        token: &str,
        account_external_id: &str,
        since: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<AccountData, ProviderError>;
}
