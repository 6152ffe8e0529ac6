//! The Plaid-compatible API under `/plaid`: a translation layer that lets Plaid's official SDKs
//! drive Sandbank with only the host changed. Each endpoint reads Plaid's request (`body`),
//! authenticates the developer key (`client`), calls the same services as our own API and
//! renders Plaid's response; every failure is Plaid's error object (`error`). Nothing here
//! holds a second copy of the lifecycle, the listing or the feed.

pub mod accounts;
pub mod body;
pub mod categories;
pub mod client;
pub mod custom_user;
pub mod error;
pub mod institutions;
pub mod items;
pub mod link;
pub mod products;
pub mod transaction;
pub mod transactions;
pub mod webhooks;

use actix_web::http::header::ContentType;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use sandbank_services::ServiceError;
use serde::Serialize;

use crate::request_context::RequestId;
use crate::state::AppState;
use client::PlaidClient;
use error::{PlaidError, PlaidErrorCode};

/// Registers the Plaid endpoints under `/plaid`; any other path there is Plaid's `NOT_FOUND`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/plaid")
            .app_data(web::PayloadConfig::new(body::PLAID_BODY_LIMIT))
            .service(institutions::institutions_get)
            .service(institutions::institutions_get_by_id)
            .service(items::sandbox_public_token_create)
            .service(items::item_public_token_exchange)
            .service(items::item_get)
            .service(items::item_remove)
            .service(link::link_token_create)
            .service(link::link_token_get)
            .service(accounts::accounts_get)
            .service(accounts::accounts_balance_get)
            .service(transactions::transactions_sync)
            .service(transactions::transactions_get)
            .service(transactions::transactions_refresh)
            .service(transactions::sandbox_item_reset_login)
            .service(webhooks::item_webhook_update)
            .service(webhooks::sandbox_item_fire_webhook)
            .service(webhooks::webhook_verification_key_get)
            .default_service(web::to(unknown_endpoint)),
    );
}

/// Reads a Plaid request: its body as `T`, and the client its keys authenticate.
pub async fn read<T: serde::de::DeserializeOwned>(
    req: &HttpRequest,
    state: &AppState,
    body: &[u8],
) -> Result<(PlaidClient, T), PlaidError> {
    let (keys, request) = body::parse(req, body)?;
    Ok((client::authenticate(state, keys).await?, request))
}

/// A successful Plaid response: JSON.
#[derive(Debug)]
pub struct PlaidJson(String);

impl PlaidJson {
    /// `value` as the response body.
    pub fn new(value: &impl Serialize) -> Result<Self, PlaidError> {
        serde_json::to_string(value).map(Self).map_err(|error| {
            tracing::error!(%error, "a Plaid response did not serialize");
            internal()
        })
    }
}

impl actix_web::Responder for PlaidJson {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::Ok().content_type(ContentType::json()).body(self.0)
    }
}

/// The request's id (every Plaid response carries it).
pub fn request_id(req: &HttpRequest) -> String {
    req.extensions().get::<RequestId>().map(|id| id.0.clone()).unwrap_or_default()
}

/// Plaid's `INTERNAL_SERVER_ERROR`.
pub fn internal() -> PlaidError {
    PlaidError::new(PlaidErrorCode::InternalServerError, "an unexpected error occurred; try again")
}

/// A service failure as Plaid reports it where no endpoint-specific meaning applies.
pub fn from_service(error: ServiceError) -> PlaidError {
    match error {
        ServiceError::Validation(fields) => PlaidError::new(PlaidErrorCode::InvalidField, fields.to_string()),
        ServiceError::RateLimited { .. } => PlaidError::new(PlaidErrorCode::RateLimit, "too many requests; slow down"),
        ServiceError::ProviderUnavailable(message) => PlaidError::new(PlaidErrorCode::InstitutionDown, message),
        other => {
            tracing::error!(error = %other, "a Plaid request failed");
            internal()
        }
    }
}

/// Any other path or method under `/plaid`.
async fn unknown_endpoint(req: HttpRequest) -> Result<HttpResponse, PlaidError> {
    let message = format!("{} {} is not a Plaid endpoint this server has", req.method(), req.path());
    Err(PlaidError::new(PlaidErrorCode::NotFound, message))
}
