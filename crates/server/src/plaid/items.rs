//! Items: a Plaid item is a Sandbank connection (`item_id` = the connection id), so items made
//! here show in the dashboard and our own API, and the other way round. `/sandbox/public_token/create`
//! connects a bank with the sandbox credentials (its history stored before it answers),
//! `/item/public_token/exchange` turns the public token into the access token, `/item/get`
//! and `/item/remove` read and disconnect the item.

use actix_web::{HttpRequest, post, web};
use sandbank_domain::connection::{ConnectionStatus, SandboxFault};
use sandbank_services::providers::Credentials;
use sandbank_services::use_cases::connections::ConnectionView;
use sandbank_services::use_cases::link::ExchangeError;
use sandbank_services::use_cases::scenarios::ScenarioSource;
use serde::{Deserialize, Serialize};

use super::client::PlaidClient;
use super::custom_user;
use super::error::{PlaidError, PlaidErrorCode};
use super::institutions::{institution_id, slug_of};
use super::{PlaidJson, from_service, internal, request_id};
use crate::state::AppState;

/// The products an item is billed for (the only one we simulate beyond balances).
const PRODUCTS: [&str; 1] = ["transactions"];

/// `/sandbox/public_token/create`'s options.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicTokenOptions {
    webhook: Option<String>,
    override_username: Option<String>,
    override_password: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    transactions: Option<serde_json::Value>,
}

/// `/sandbox/public_token/create`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicTokenCreateRequest {
    institution_id: String,
    #[allow(dead_code)]
    initial_products: Vec<String>,
    #[serde(default)]
    options: Option<PublicTokenOptions>,
    #[serde(default)]
    #[allow(dead_code)]
    user_token: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    user_id: Option<String>,
}

#[derive(Debug, Serialize)]
struct PublicTokenCreateResponse {
    public_token: String,
    request_id: String,
}

/// Connects the institution with the sandbox credentials (`user_good` / `pass_good` unless
/// overridden) and answers a public token; the item's history is stored before it answers.
#[post("/sandbox/public_token/create")]
pub async fn sandbox_public_token_create(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    let (client, request): (_, PublicTokenCreateRequest) = super::read(&req, &state, &body).await?;
    let slug = slug_of(&request.institution_id).ok_or_else(|| {
        PlaidError::new(PlaidErrorCode::InvalidInstitution, format!("no institution {}", request.institution_id))
    })?;
    let options = request.options.unwrap_or_default();
    let (scenario, credentials) = login_of(&options)?;
    let (link, user, client_id) = (state.link.clone(), client.user, client.client_id.clone());
    let public_token = web::block(move || {
        let bank = (slug, sandbox_seed(slug));
        let id = link.connect(user, bank, options.webhook.as_deref(), scenario, &credentials)?;
        link.issue_public_token(&client_id, id)
    })
    .await
    .map_err(|_| internal())?
    .map_err(login_error)?;
    PlaidJson::new(&PublicTokenCreateResponse { public_token, request_id: request_id(&req) })
}

/// The sandbox login `options` ask for: the credentials (`user_good` / `pass_good` unless
/// overridden), or Plaid's custom user (`user_custom` with its JSON configuration as the
/// password), whose scenario the item runs, logged in as the sandbox's good user.
fn login_of(options: &PublicTokenOptions) -> Result<(Option<ScenarioSource>, Credentials), PlaidError> {
    let username = options.override_username.clone().unwrap_or_else(|| "user_good".to_owned());
    let password = options.override_password.clone().unwrap_or_else(|| "pass_good".to_owned());
    if username == custom_user::CUSTOM_USER {
        let scenario = custom_user::scenario_of(&password)?;
        return Ok((Some(ScenarioSource::Inline(Box::new(scenario))), Credentials::default()));
    }
    Ok((None, Credentials { username: Some(username), password: Some(password), mfa_code: None }))
}

/// The seed of an item made through the Plaid API: from the number of its institution id, the
/// first whose household holds the most it can there and banks mainly there, so every such item of one bank
/// has the same everyday data (checking with pay and bills, and more), as in Plaid's sandbox.
pub fn sandbox_seed(slug: &str) -> i64 {
    let number: u64 = institution_id(slug).and_then(|id| id.trim_start_matches("ins_").parse().ok()).unwrap_or(0);
    let seed = match sandbank_fakebank::catalog::provider(slug) {
        Some(spec) => sandbank_fakebank::household::Household::main_bank_seed(spec, number),
        None => number,
    };
    i64::try_from(seed).unwrap_or(0)
}

/// A refused sandbox login as Plaid reports it.
fn login_error(error: sandbank_services::ServiceError) -> PlaidError {
    use sandbank_services::ServiceError as E;
    match error {
        E::BadRequest { code: sandbank_domain::ErrorCode::AccountLocked, message } => {
            PlaidError::new(PlaidErrorCode::ItemLocked, message)
        }
        E::BadRequest { message, .. } => PlaidError::new(PlaidErrorCode::InvalidCredentials, message),
        E::Validation(fields) => PlaidError::new(PlaidErrorCode::InvalidField, fields.to_string()),
        other => from_service(other),
    }
}

/// `/item/public_token/exchange`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeRequest {
    public_token: String,
}

#[derive(Debug, Serialize)]
struct ExchangeResponse {
    access_token: String,
    item_id: String,
    request_id: String,
}

/// The access token for a public token of this client's that has not expired; a public token
/// is exchanged once.
#[post("/item/public_token/exchange")]
pub async fn item_public_token_exchange(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    let (client, request): (_, ExchangeRequest) = super::read(&req, &state, &body).await?;
    let (link, client_id) = (state.link.clone(), client.client_id.clone());
    let id = web::block(move || link.exchange(&client_id, &request.public_token)).await.map_err(|_| internal())?;
    let id = id.map_err(|error| match error {
        ExchangeError::Store(error) => from_service(error.into()),
        invalid => PlaidError::new(PlaidErrorCode::InvalidPublicToken, invalid.to_string()),
    })?;
    let access_token = state.item_tokens.access(&client.client_id, id);
    PlaidJson::new(&ExchangeResponse { access_token, item_id: id.as_uuid().to_string(), request_id: request_id(&req) })
}

/// A request that names an item by its access token.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessTokenRequest {
    access_token: String,
}

impl AccessTokenRequest {
    /// The access token.
    pub fn access_token(&self) -> &str {
        &self.access_token
    }
}

/// The client's item behind `access_token`, in any state: a token that is not the client's is
/// `INVALID_ACCESS_TOKEN`, a removed item `ITEM_NOT_FOUND`.
pub async fn item(state: &AppState, client: &PlaidClient, access_token: &str) -> Result<ConnectionView, PlaidError> {
    let invalid = || {
        PlaidError::new(
            PlaidErrorCode::InvalidAccessToken,
            "provided access token is in an invalid format or is not valid for this client",
        )
    };
    let id = state.item_tokens.open_access(&client.client_id, access_token).map_err(|_| invalid())?;
    let (service, user) = (state.connections.clone(), client.user);
    let view = web::block(move || service.get(user, id)).await.map_err(|_| internal())?.map_err(|_| invalid())?;
    if view.connection.status == ConnectionStatus::Disconnected {
        return Err(PlaidError::new(PlaidErrorCode::ItemNotFound, "the item was removed"));
    }
    Ok(view)
}

/// The item behind `access_token` when its data can be read: login required (our `expired`,
/// or an `error` other than an outage) and an institution outage are Plaid's item errors.
pub async fn healthy_item(
    state: &AppState,
    client: &PlaidClient,
    access_token: &str,
) -> Result<ConnectionView, PlaidError> {
    let view = item(state, client, access_token).await?;
    match item_error(&view) {
        Some(error) => Err(error),
        None => Ok(view),
    }
}

/// What is wrong with an item, as Plaid reports it, if anything.
pub fn item_error(view: &ConnectionView) -> Option<PlaidError> {
    let connection = &view.connection;
    if connection.sandbox_fault == Some(SandboxFault::ProviderOutage) {
        return Some(PlaidError::new(
            PlaidErrorCode::InstitutionDown,
            format!("{} is not responding; try again later", view.provider.name),
        ));
    }
    // A token the sandbox expired needs a new login at once (our own API finds out at the
    // next sync; Plaid's `reset_login` says so straight away).
    let token_expired = connection.sandbox_fault == Some(SandboxFault::TokenExpired);
    match connection.status {
        _ if token_expired => Some(login_required()),
        ConnectionStatus::Expired | ConnectionStatus::Error => Some(login_required()),
        _ => None,
    }
}

fn login_required() -> PlaidError {
    PlaidError::new(
        PlaidErrorCode::ItemLoginRequired,
        "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information",
    )
}

/// Plaid's item object.
#[derive(Debug, Serialize)]
pub struct ItemResponse {
    item_id: String,
    institution_id: Option<&'static str>,
    institution_name: String,
    webhook: Option<String>,
    error: Option<ItemErrorResponse>,
    available_products: [&'static str; 0],
    billed_products: [&'static str; 1],
    products: [&'static str; 1],
    consented_products: [&'static str; 1],
    consent_expiration_time: Option<String>,
    update_type: &'static str,
}

/// Plaid's error object as it sits in an item.
#[derive(Debug, Serialize)]
pub struct ItemErrorResponse {
    error_type: super::error::PlaidErrorType,
    error_code: &'static str,
    error_message: String,
    display_message: Option<String>,
}

impl ItemResponse {
    /// The item of `view`.
    pub fn of(view: &ConnectionView) -> Self {
        let error = item_error(view).map(|e| ItemErrorResponse {
            error_type: e.code.error_type(),
            error_code: e.code.as_str(),
            error_message: e.message,
            display_message: None,
        });
        Self {
            item_id: view.connection.id.as_uuid().to_string(),
            institution_id: institution_id(&view.provider.slug),
            institution_name: view.provider.name.clone(),
            webhook: view.connection.webhook_url.as_ref().map(|url| url.as_str().to_owned()),
            error,
            available_products: [],
            billed_products: PRODUCTS,
            products: PRODUCTS,
            consented_products: PRODUCTS,
            consent_expiration_time: None,
            update_type: "background",
        }
    }
}

/// `{item, request_id}` (`/item/get`, `/item/webhook/update`).
#[derive(Debug, Serialize)]
pub struct ItemGetResponse {
    /// The item.
    pub item: ItemResponse,
    /// The request's id.
    pub request_id: String,
}

/// The item, in any state but removed.
#[post("/item/get")]
pub async fn item_get(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> Result<PlaidJson, PlaidError> {
    let (client, request): (_, AccessTokenRequest) = super::read(&req, &state, &body).await?;
    let view = item(&state, &client, &request.access_token).await?;
    PlaidJson::new(&ItemGetResponse { item: ItemResponse::of(&view), request_id: request_id(&req) })
}

/// `/item/remove` (its reason fields are accepted).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemRemoveRequest {
    access_token: String,
    #[serde(default)]
    #[allow(dead_code)]
    reason_code: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    reason_note: Option<String>,
}

#[derive(Debug, Serialize)]
struct RequestIdResponse {
    request_id: String,
}

/// Disconnects the item, in any state; its access token stops working.
#[post("/item/remove")]
pub async fn item_remove(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    let (client, request): (_, ItemRemoveRequest) = super::read(&req, &state, &body).await?;
    let view = item(&state, &client, &request.access_token).await?;
    let (service, user, id) = (state.connections.clone(), client.user, view.connection.id);
    web::block(move || service.disconnect(user, id, false)).await.map_err(|_| internal())?.map_err(from_service)?;
    PlaidJson::new(&RequestIdResponse { request_id: request_id(&req) })
}
