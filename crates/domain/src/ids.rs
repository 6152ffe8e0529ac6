//! Typed UUID identifiers, so an account id cannot be passed where a user id is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh id: a UUIDv7, so new rows land at the end of their indexes.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps an existing UUID.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The UUID inside.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    )*};
}

uuid_id!(
    /// Identifies a user.
    UserId,
    /// Identifies a sign-in session (the `sid` of a token); revoking it ends the session.
    SessionId,
    /// Identifies a financial provider (a simulated bank).
    ProviderId,
    /// Identifies a user's connection to a provider.
    ConnectionId,
    /// Identifies a financial account.
    AccountId,
    /// Identifies a transaction.
    TransactionId,
    /// Identifies a background job.
    JobId,
    /// Identifies a webhook event (the `id` in its body).
    EventId,
    /// Identifies one delivery of a webhook event (`Sandbank-Delivery-Id`, the same on every retry).
    DeliveryId,
    /// Identifies a Link token of the Plaid-compatible API (`link-sandbox-<id>`); made from
    /// random bits, since the token is the credential of its hosted Link page.
    LinkTokenId,
    /// Identifies a saved scenario.
    ScenarioId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text() {
        let id = AccountId::new();
        let parsed: AccountId = id.to_string().parse().expect("a UUID");
        assert_eq!(id, parsed);
        assert!("not-a-uuid".parse::<AccountId>().is_err());
    }
}
