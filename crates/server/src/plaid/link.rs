//! Link: `/link/token/create` makes a link token (with `hosted_link`, the URL of our hosted Link
//! page, where an end user picks a bank and passes the consent step; with `access_token`, update
//! mode for that item) and `/link/token/get` reports its session and the public token it ended
//! with. The session itself runs in [`crate::pages::link`].

use actix_web::{HttpRequest, post, web};
use chrono::{DateTime, SecondsFormat, Utc};
use sandbank_domain::link::{LinkOutcome, LinkSession, LinkToken};
use sandbank_services::ServiceError;
use sandbank_services::use_cases::link::LinkRequest;
use serde::{Deserialize, Serialize};

use super::accounts::{accounts_of, plaid_type};
use super::client::PlaidClient;
use super::error::{PlaidError, PlaidErrorCode};
use super::institutions::institution_id;
use super::products::{CountryCode, Product, text_of};
use super::{PlaidJson, from_service, internal, request_id};
use crate::state::AppState;

/// `user` of `/link/token/create` (only its id is required; the rest is accepted).
#[derive(Debug, Deserialize)]
pub struct LinkUser {
    #[allow(dead_code)]
    client_user_id: String,
}

/// `hosted_link` of `/link/token/create`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostedLink {
    completion_redirect_uri: Option<String>,
    #[allow(dead_code)]
    delivery_method: Option<String>,
    #[allow(dead_code)]
    url_lifetime_seconds: Option<u32>,
    #[allow(dead_code)]
    is_mobile_app: Option<bool>,
}

/// `/link/token/create`: the fields Link uses, and the common ones it accepts and ignores.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct LinkTokenCreateRequest {
    client_name: String,
    language: String,
    country_codes: Vec<CountryCode>,
    user: LinkUser,
    #[serde(default)]
    products: Option<Vec<Product>>,
    #[serde(default)]
    required_if_supported_products: Option<Vec<Product>>,
    #[serde(default)]
    optional_products: Option<Vec<Product>>,
    #[serde(default)]
    additional_consented_products: Option<Vec<Product>>,
    #[serde(default)]
    webhook: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    hosted_link: Option<HostedLink>,
    #[serde(default)]
    redirect_uri: Option<String>,
    #[serde(default)]
    link_customization_name: Option<String>,
    #[serde(default)]
    android_package_name: Option<String>,
    #[serde(default)]
    account_filters: Option<serde_json::Value>,
    #[serde(default)]
    transactions: Option<serde_json::Value>,
    #[serde(default)]
    update: Option<serde_json::Value>,
    #[serde(default)]
    user_token: Option<String>,
}

#[derive(Debug, Serialize)]
struct LinkTokenCreateResponse {
    link_token: String,
    expiration: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    hosted_link_url: Option<String>,
    request_id: String,
}

/// Plaid's time form.
fn plaid_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A link token; `hosted_link` adds the hosted page's URL on this server.
#[post("/link/token/create")]
pub async fn link_token_create(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    let (client, request): (_, LinkTokenCreateRequest) = super::read(&req, &state, &body).await?;
    if request.country_codes.is_empty() {
        return Err(PlaidError::new(PlaidErrorCode::InvalidField, "country_codes must name at least one country"));
    }
    let update = match &request.access_token {
        Some(token) => Some(super::items::item(&state, &client, token).await?.connection.id),
        None => None,
    };
    let products = request.products.iter().flatten().map(text_of).collect();
    let link_request = LinkRequest {
        client_id: client.client_id.clone(),
        client_name: request.client_name,
        language: request.language,
        country_codes: request.country_codes.iter().map(text_of).collect(),
        redirect_uri: request.redirect_uri,
        products,
        webhook: request.webhook,
        completion_redirect_uri: request.hosted_link.as_ref().and_then(|h| h.completion_redirect_uri.clone()),
        hosted: request.hosted_link.is_some(),
        update,
    };
    let (service, user) = (state.link.clone(), client.user);
    let link = web::block(move || service.create(user, link_request)).await.map_err(|_| internal())?;
    let link = link.map_err(from_service)?;
    let hosted_link_url = link.settings.hosted.then(|| format!("{}/link/{}", own_origin(&req), link.token()));
    PlaidJson::new(&LinkTokenCreateResponse {
        link_token: link.token(),
        expiration: plaid_time(link.expires_at),
        hosted_link_url,
        request_id: request_id(&req),
    })
}

/// This server as the request reached it: its `Host` header (not `X-Forwarded-Host`, which
/// anyone may send), over https when the server says it is served so.
fn own_origin(req: &HttpRequest) -> String {
    let host = req.headers().get(actix_web::http::header::HOST).and_then(|h| h.to_str().ok());
    let scheme = if req.app_config().secure() { "https" } else { "http" };
    format!("{scheme}://{}", host.unwrap_or_else(|| req.app_config().host()))
}

/// `/link/token/get`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkTokenGetRequest {
    link_token: String,
}

#[derive(Debug, Serialize)]
struct Metadata {
    initial_products: Vec<String>,
    webhook: Option<String>,
    country_codes: Vec<String>,
    language: Option<String>,
    redirect_uri: Option<String>,
    client_name: Option<String>,
}

#[derive(Debug, Serialize)]
struct SessionResponse {
    link_session_id: String,
    started_at: String,
    finished_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    on_success: Option<OnSuccess>,
}

#[derive(Debug, Serialize)]
struct OnSuccess {
    public_token: String,
    metadata: SuccessMetadata,
}

#[derive(Debug, Serialize)]
struct SuccessMetadata {
    institution: Institution,
    accounts: Vec<SessionAccount>,
    link_session_id: String,
}

#[derive(Debug, Serialize)]
struct Institution {
    name: String,
    institution_id: String,
}

#[derive(Debug, Serialize)]
struct SessionAccount {
    id: String,
    name: String,
    mask: Option<String>,
    #[serde(rename = "type")]
    account_type: &'static str,
    subtype: &'static str,
    verification_status: Option<String>,
    class_type: Option<String>,
}

#[derive(Debug, Serialize)]
struct LinkTokenGetResponse {
    link_token: String,
    created_at: String,
    expiration: String,
    metadata: Metadata,
    link_sessions: Vec<SessionResponse>,
    request_id: String,
}

/// The link token, what it was made with, and its session (with the public token and the
/// item's institution and accounts once it succeeded).
#[post("/link/token/get")]
pub async fn link_token_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    let (client, request): (_, LinkTokenGetRequest) = super::read(&req, &state, &body).await?;
    let (service, user, client_id) = (state.link.clone(), client.user, client.client_id.clone());
    let link = web::block(move || service.get(user, &client_id, &request.link_token)).await.map_err(|_| internal())?;
    let link = link.map_err(|error| match error {
        ServiceError::NotFound(_) => PlaidError::new(PlaidErrorCode::InvalidLinkToken, "unknown link token"),
        other => from_service(other),
    })?;
    let sessions = match &link.session {
        Some(session) => vec![session_response(&state, &client, &link, session).await?],
        None => Vec::new(),
    };
    let s = &link.settings;
    PlaidJson::new(&LinkTokenGetResponse {
        link_token: link.token(),
        created_at: plaid_time(link.created_at),
        expiration: plaid_time(link.expires_at),
        metadata: Metadata {
            initial_products: s.products.clone(),
            webhook: s.webhook.as_ref().map(|u| u.as_str().to_owned()),
            country_codes: s.country_codes.clone(),
            language: Some(s.language.clone()),
            redirect_uri: s.redirect_uri.as_ref().map(|u| u.as_str().to_owned()),
            client_name: Some(s.client_name.clone()),
        },
        link_sessions: sessions,
        request_id: request_id(&req),
    })
}

/// A session as `/link/token/get` reports it.
async fn session_response(
    state: &AppState,
    client: &PlaidClient,
    link: &LinkToken,
    session: &LinkSession,
) -> Result<SessionResponse, PlaidError> {
    let end = session.end.as_ref();
    let success = end.filter(|e| e.outcome == LinkOutcome::Success).and_then(|e| e.public_token.clone());
    let on_success = match (success, link.item()) {
        (Some(public_token), Some(item)) => {
            let (service, user) = (state.connections.clone(), link.user);
            let view = web::block(move || service.get(user, item)).await.map_err(|_| internal())?;
            let view = view.map_err(from_service)?;
            let accounts = accounts_of(state, client, &view, None).await?;
            let metadata = SuccessMetadata {
                institution: Institution {
                    name: view.provider.name.clone(),
                    institution_id: institution_id(&view.provider.slug).unwrap_or_default().to_owned(),
                },
                accounts: accounts.iter().map(session_account).collect(),
                link_session_id: session.id.to_string(),
            };
            Some(OnSuccess { public_token, metadata })
        }
        _ => None,
    };
    Ok(SessionResponse {
        link_session_id: session.id.to_string(),
        started_at: plaid_time(session.started_at),
        finished_at: end.map(|e| plaid_time(e.finished_at)),
        on_success,
    })
}

fn session_account(account: &sandbank_domain::account::Account) -> SessionAccount {
    let (account_type, subtype) = plaid_type(account.account_type, account.subtype);
    SessionAccount {
        id: account.id.as_uuid().to_string(),
        name: account.name.clone(),
        mask: Some(account.mask.clone()),
        account_type,
        subtype,
        verification_status: None,
        class_type: None,
    }
}
