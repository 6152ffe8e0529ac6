//! Who a Plaid request comes from: the developer key's client id and the user it acts as.

use actix_web::web;
use sandbank_domain::UserId;

use super::body::ApiKeys;
use super::error::{PlaidError, PlaidErrorCode};
use crate::state::AppState;
use sandbank_services::use_cases::developer_keys::KeyError;

/// The developer key a request authenticated with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaidClient {
    /// The key's client id (access tokens are bound to it).
    pub client_id: String,
    /// The user the key acts as.
    pub user: UserId,
}

/// Checks `keys`: an unknown client id, a revoked key or a wrong secret is Plaid's
/// `INVALID_API_KEYS`.
pub async fn authenticate(state: &AppState, keys: ApiKeys) -> Result<PlaidClient, PlaidError> {
    let service = state.developer_keys.clone();
    let client_id = keys.client_id.clone();
    let checked =
        web::block(move || service.authenticate(&keys.client_id, &keys.secret)).await.map_err(|_| super::internal())?;
    match checked {
        Ok(user) => Ok(PlaidClient { client_id, user }),
        Err(KeyError::Store(error)) => {
            tracing::error!(%error, "developer keys could not be checked");
            Err(super::internal())
        }
        Err(error) => {
            tracing::info!(%client_id, %error, "Plaid request with invalid keys");
            Err(PlaidError::new(PlaidErrorCode::InvalidApiKeys, "invalid client_id or secret provided"))
        }
    }
}
