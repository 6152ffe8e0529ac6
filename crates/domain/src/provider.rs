//! Financial providers: the simulated banks.

use crate::account::AccountType;
use crate::ids::ProviderId;
use crate::text_enum::text_enum;

text_enum!(
    /// Whether a provider accepts new connections.
    ProviderStatus {
        /// Up and accepting connections.
        Active => "active",
        /// Temporarily not accepting connections.
        Degraded => "degraded",
    }
);

/// A simulated bank that users can connect to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// Its id.
    pub id: ProviderId,
    /// Display name, e.g. "American Express".
    pub name: String,
    /// URL-safe short name, e.g. "amex".
    pub slug: String,
    /// Where its logo is served.
    pub logo_url: String,
    /// Account types it offers.
    pub supported_account_types: Vec<AccountType>,
    /// Whether it accepts connections.
    pub status: ProviderStatus,
}
