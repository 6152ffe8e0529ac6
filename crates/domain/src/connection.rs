//! A user's connection to a provider and its lifecycle.

use crate::text_enum::text_enum;

text_enum!(
    /// Where a connection is in its lifecycle.
    ConnectionStatus {
        /// Created; waiting for the user to pass the consent page.
        Authorizing => "authorizing",
        /// Authorized; data can be synced.
        Connected => "connected",
        /// The provider failed; retried with backoff.
        Error => "error",
        /// The access token expired; authorize again to resume.
        Expired => "expired",
        /// Disconnected by the user; the token is erased.
        Disconnected => "disconnected",
    }
);

impl ConnectionStatus {
    /// Whether the consent flow may run from this status.
    pub const fn can_authorize(self) -> bool {
        matches!(self, Self::Authorizing | Self::Expired | Self::Error)
    }

    /// Whether a sync may run from this status.
    pub const fn can_sync(self) -> bool {
        matches!(self, Self::Connected | Self::Error)
    }
}
