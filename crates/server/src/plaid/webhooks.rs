//! Webhooks as Plaid sends them: `/item/webhook/update` points an item's webhooks at a URL (in
//! Plaid's format, and says so with `WEBHOOK_UPDATE_ACKNOWLEDGED`), `/sandbox/item/fire_webhook`
//! sends one on demand, and `/webhook_verification_key/get` publishes the public key (a JWK) that
//! verifies their `Plaid-Verification` JWT. The bodies and the outbox are the services' (see
//! `use_cases::webhooks::plaid_body`); deliveries, retries and the deliveries listing are ours.

use actix_web::{HttpRequest, post, web};
use sandbank_domain::webhook::WebhookFormat;
use sandbank_services::ServiceError;
use sandbank_services::use_cases::webhooks::plaid_body::PlaidWebhook;
use serde::{Deserialize, Serialize};

use super::error::{PlaidError, PlaidErrorCode};
use super::items::{ItemGetResponse, ItemResponse, item};
use super::{PlaidJson, from_service, internal, request_id};
use crate::state::AppState;

/// `/webhook_verification_key/get`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerificationKeyRequest {
    key_id: String,
}

/// Plaid's JWK of a webhook verification key.
#[derive(Debug, Serialize)]
struct JwkResponse<'a> {
    alg: &'static str,
    crv: &'static str,
    kid: &'a str,
    kty: &'static str,
    #[serde(rename = "use")]
    use_: &'static str,
    x: &'a str,
    y: &'a str,
    created_at: i64,
    expired_at: Option<i64>,
}

#[derive(Debug, Serialize)]
struct VerificationKeyResponse<'a> {
    key: JwkResponse<'a>,
    request_id: String,
}

/// The public key whose id a webhook's JWT header names; any other id is `INVALID_FIELD`.
#[post("/webhook_verification_key/get")]
pub async fn webhook_verification_key_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    let (_, request): (_, VerificationKeyRequest) = super::read(&req, &state, &body).await?;
    let jwk = state.webhook_jwt.jwk();
    if request.key_id != jwk.kid {
        return Err(PlaidError::new(
            PlaidErrorCode::InvalidField,
            format!("no webhook verification key {}", request.key_id),
        ));
    }
    let key = JwkResponse {
        alg: "ES256",
        crv: "P-256",
        kid: &jwk.kid,
        kty: "EC",
        use_: "sig",
        x: &jwk.x,
        y: &jwk.y,
        created_at: jwk.created_at,
        expired_at: None,
    };
    PlaidJson::new(&VerificationKeyResponse { key, request_id: request_id(&req) })
}

/// `/item/webhook/update`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookUpdateRequest {
    access_token: String,
    #[serde(default)]
    webhook: Option<String>,
}

/// Sends the item's webhooks to `webhook` in Plaid's format (no `webhook`, or `null`, stops
/// them); a URL we would not send to is `INVALID_FIELD`. The new URL then receives `ITEM` /
/// `WEBHOOK_UPDATE_ACKNOWLEDGED`, as Plaid does.
#[post("/item/webhook/update")]
pub async fn item_webhook_update(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    let (client, request): (_, WebhookUpdateRequest) = super::read(&req, &state, &body).await?;
    let id = item(&state, &client, &request.access_token).await?.connection.id;
    let (connections, webhooks, user) = (state.connections.clone(), state.webhooks.clone(), client.user);
    let view = web::block(move || {
        let view = connections.set_webhook(user, id, request.webhook.as_deref(), WebhookFormat::Plaid)?;
        if let Some(url) = &view.connection.webhook_url {
            let acknowledged = PlaidWebhook::WebhookUpdateAcknowledged { new_webhook_url: url.as_str().to_owned() };
            webhooks.fire_plaid(user, id, &acknowledged)?;
        }
        Ok::<_, ServiceError>(view)
    })
    .await
    .map_err(|_| internal())?
    .map_err(from_service)?;
    PlaidJson::new(&ItemGetResponse { item: ItemResponse::of(&view), request_id: request_id(&req) })
}

/// `/sandbox/item/fire_webhook` (its `options` are accepted).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FireWebhookRequest {
    access_token: String,
    webhook_code: String,
    #[serde(default)]
    webhook_type: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    options: Option<serde_json::Value>,
}

#[derive(Debug, Serialize)]
struct FireWebhookResponse {
    webhook_fired: bool,
    request_id: String,
}

/// The webhook a fire request asks for: `SYNC_UPDATES_AVAILABLE`, `DEFAULT_UPDATE` (with
/// `new_transactions: 0`: nothing new happened) or `NEW_ACCOUNTS_AVAILABLE`; a `webhook_type`
/// that is not the code's, or any other code, is `INVALID_FIELD`.
fn fired(code: &str, webhook_type: Option<&str>) -> Result<PlaidWebhook, PlaidError> {
    let webhook = match code {
        "SYNC_UPDATES_AVAILABLE" => PlaidWebhook::SyncUpdatesAvailable,
        "DEFAULT_UPDATE" => PlaidWebhook::DefaultUpdate { new_transactions: 0 },
        "NEW_ACCOUNTS_AVAILABLE" => PlaidWebhook::NewAccountsAvailable,
        other => {
            let message = format!(
                "webhook_code {other} cannot be fired here; use SYNC_UPDATES_AVAILABLE, DEFAULT_UPDATE or NEW_ACCOUNTS_AVAILABLE"
            );
            return Err(PlaidError::new(PlaidErrorCode::InvalidField, message));
        }
    };
    let expected = webhook.tags().0;
    match webhook_type {
        Some(given) if given != expected => Err(PlaidError::new(
            PlaidErrorCode::InvalidField,
            format!("webhook_code {code} has webhook_type {expected}, not {given}"),
        )),
        _ => Ok(webhook),
    }
}

/// Sends the asked-for webhook to the item's URL through the outbox; an item without a webhook
/// URL is `SANDBOX_WEBHOOK_INVALID`, as in Plaid's sandbox.
#[post("/sandbox/item/fire_webhook")]
pub async fn sandbox_item_fire_webhook(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    let (client, request): (_, FireWebhookRequest) = super::read(&req, &state, &body).await?;
    let webhook = fired(&request.webhook_code, request.webhook_type.as_deref())?;
    let id = item(&state, &client, &request.access_token).await?.connection.id;
    let (service, user) = (state.webhooks.clone(), client.user);
    web::block(move || service.fire_plaid(user, id, &webhook)).await.map_err(|_| internal())?.map_err(|error| {
        match error {
            ServiceError::Conflict { code: sandbank_domain::ErrorCode::WebhookUrlMissing, .. } => PlaidError::new(
                PlaidErrorCode::SandboxWebhookInvalid,
                "the item has no webhook; set one with /item/webhook/update",
            ),
            other => from_service(other),
        }
    })?;
    PlaidJson::new(&FireWebhookResponse { webhook_fired: true, request_id: request_id(&req) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fire_accepts_the_three_codes_with_their_types() {
        assert_eq!(fired("SYNC_UPDATES_AVAILABLE", None), Ok(PlaidWebhook::SyncUpdatesAvailable));
        assert_eq!(
            fired("DEFAULT_UPDATE", Some("TRANSACTIONS")),
            Ok(PlaidWebhook::DefaultUpdate { new_transactions: 0 })
        );
        assert_eq!(fired("NEW_ACCOUNTS_AVAILABLE", Some("ITEM")), Ok(PlaidWebhook::NewAccountsAvailable));
        let wrong_type = fired("NEW_ACCOUNTS_AVAILABLE", Some("TRANSACTIONS")).map_err(|e| e.code);
        assert_eq!(wrong_type, Err(PlaidErrorCode::InvalidField));
        assert_eq!(fired("PRODUCT_READY", None).map_err(|e| e.code), Err(PlaidErrorCode::InvalidField));
    }
}
