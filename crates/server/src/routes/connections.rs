//! `/api/financial/connections`: create, list, get, update (the webhook URL), sync, disconnect,
//! authorize.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use sandbank_domain::connection::{ConnectionStatus, SandboxFault};
use sandbank_domain::job::JobStatus;
use sandbank_domain::scenario::RawScenario;
use sandbank_domain::webhook::WebhookFormat;
use sandbank_domain::{ConnectionId, FieldErrors, ScenarioId};
use sandbank_services::providers::Credentials;
use sandbank_services::use_cases::connections::{ConnectionView, SyncReport};
use sandbank_services::use_cases::scenarios::ScenarioSource;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api_query::ApiQuery;
use crate::authenticated::Authenticated;
use crate::error::{ApiError, ErrorResponse};
use crate::json_body::JsonBody;
use crate::state::AppState;

/// The consent page of a connection, absolute for the request's host.
pub fn authorize_url(req: &HttpRequest, id: ConnectionId) -> String {
    let info = req.connection_info();
    format!("{}://{}/financial/authorize/{id}", info.scheme(), info.host())
}

/// Input of `createConnection`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "providerId": "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a02",
    "seed": 42,
    "webhookUrl": "http://127.0.0.1:4000/webhooks"
}))]
pub struct CreateConnectionRequest {
    /// The provider to connect to (see `listProviders`).
    #[schema(value_type = Uuid)]
    pub provider_id: Option<String>,
    /// Makes the connection's data reproducible: the same seed gives the same accounts and
    /// transactions. 0 to 2^53 − 1; random when absent.
    #[schema(example = 42, nullable = false, minimum = 0, maximum = 9_007_199_254_740_991_i64)]
    pub seed: Option<i64>,
    /// Where the connection's webhooks are sent: an absolute http(s) URL, at most 2048 bytes,
    /// no user name or password, no fragment. Loopback and private addresses are allowed.
    #[schema(nullable = false, format = "uri", max_length = 2048, example = "http://127.0.0.1:4000/webhooks")]
    pub webhook_url: Option<String>,
    /// A saved scenario (see `createScenario`) whose accounts, rows and events the bank reports
    /// instead of generated ones. Not with `scenario`.
    #[schema(value_type = Option<Uuid>, nullable = false)]
    pub scenario_id: Option<String>,
    /// A scenario document sent inline (docs/scenarios.md), at most 64 KB here; save larger
    /// ones first. Problems are named `scenario.<path>`. Not with `scenarioId`.
    #[schema(value_type = Option<crate::routes::scenario_document::ScenarioDocument>, nullable = false)]
    pub scenario: Option<RawScenario>,
}

impl CreateConnectionRequest {
    /// The scenario the request names, if any: `scenarioId` or `scenario`, not both.
    fn scenario_source(&mut self) -> Result<Option<ScenarioSource>, ApiError> {
        let mut errors = FieldErrors::new();
        let source = match (self.scenario_id.take(), self.scenario.take()) {
            (Some(_), Some(_)) => {
                errors.add("scenarioId", "give either scenarioId or scenario");
                None
            }
            (Some(id), None) => {
                errors.uuid("scenarioId", &id).map(|id| ScenarioSource::Saved(ScenarioId::from_uuid(id)))
            }
            (None, Some(document)) => Some(ScenarioSource::Inline(Box::new(document))),
            (None, None) => None,
        };
        errors.into_result(|| source).map_err(|e| ApiError::validation(&e))
    }
}

/// A new connection, waiting for consent.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "connectionId": "01a239e2-1e67-7088-889c-bf302e43c66f",
    "status": "authorizing",
    "authorizeUrl": "http://127.0.0.1:8080/financial/authorize/01a239e2-1e67-7088-889c-bf302e43c66f",
    "webhookUrl": "http://127.0.0.1:4000/webhooks"
}))]
pub struct CreateConnectionResponse {
    /// Its id.
    pub connection_id: Uuid,
    /// Always `authorizing`.
    #[schema(value_type = crate::schemas::ConnectionStatus, example = "authorizing")]
    pub status: ConnectionStatus,
    /// The consent page to send the user to.
    pub authorize_url: String,
    /// Where its webhooks are sent (normalised), or null.
    #[schema(required = true)]
    pub webhook_url: Option<String>,
}

/// The provider of a connection, in brief.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionProviderResponse {
    /// Its id.
    pub id: Uuid,
    /// Display name.
    pub name: String,
    /// Short name.
    pub slug: String,
    /// Its logo.
    pub logo_url: String,
}

/// Why a connection is in `error` or `expired`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionErrorResponse {
    /// Why, for machines.
    #[schema(value_type = crate::schemas::ConnectionErrorCode, example = "provider_unavailable")]
    pub code: String,
    /// What happened, in plain words.
    pub message: String,
}

/// The sandbox controls in force.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SandboxStateResponse {
    /// Days the connection's clock has been moved forward.
    pub clock_offset_days: i32,
    /// The connection's "today".
    pub today: chrono::NaiveDate,
    /// `token_expired` or `provider_outage` while switched on.
    #[schema(value_type = Option<crate::schemas::SandboxFault>)]
    #[schema(required = true)]
    pub fault: Option<SandboxFault>,
}

/// A connection to a provider.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!(connection_example()))]
pub struct ConnectionResponse {
    /// Its id.
    pub id: Uuid,
    /// Its provider's id.
    pub provider_id: Uuid,
    /// Its provider.
    pub provider: ConnectionProviderResponse,
    /// Where it is in its lifecycle.
    #[schema(value_type = crate::schemas::ConnectionStatus, example = "connected")]
    pub status: ConnectionStatus,
    /// The seed of its data.
    pub seed: i64,
    /// When data last arrived.
    #[schema(required = true)]
    pub last_synced_at: Option<DateTime<Utc>>,
    /// Why it is in `error` or `expired`.
    #[schema(required = true)]
    pub error: Option<ConnectionErrorResponse>,
    /// The consent page (to authorize, or to reconnect after `expired` or `error`).
    pub authorize_url: String,
    /// The sandbox controls in force.
    pub sandbox: SandboxStateResponse,
    /// Where its webhooks are sent (normalised), or null.
    #[schema(required = true)]
    pub webhook_url: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl ConnectionResponse {
    /// The response for `view`, with URLs for the host of `req`.
    pub fn new(req: &HttpRequest, view: ConnectionView) -> Self {
        let ConnectionView { connection: c, provider: p } = view;
        Self {
            id: c.id.as_uuid(),
            provider_id: p.id.as_uuid(),
            provider: ConnectionProviderResponse {
                id: p.id.as_uuid(),
                name: p.name,
                slug: p.slug,
                logo_url: p.logo_url,
            },
            status: c.status,
            seed: c.seed,
            last_synced_at: c.last_synced_at,
            error: c.problem.clone().map(|p| ConnectionErrorResponse { code: p.code, message: p.message }),
            authorize_url: authorize_url(req, c.id),
            sandbox: SandboxStateResponse {
                clock_offset_days: c.clock_offset_days,
                today: c.today(Utc::now()),
                fault: c.sandbox_fault,
            },
            webhook_url: c.webhook_url.as_ref().map(ToString::to_string),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// The caller's connections.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"connections": [connection_example()]}))]
pub struct ConnectionsResponse {
    /// Oldest first.
    pub connections: Vec<ConnectionResponse>,
}

/// What a sync changed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "syncedAt": "2026-12-03T03:10:50.020616551Z",
    "accountsUpdated": 2,
    "transactionsAdded": 0,
    "transactionsModified": 0,
    "transactionsRemoved": 0
}))]
pub struct SyncResponse {
    /// When it ran.
    pub synced_at: DateTime<Utc>,
    /// Accounts whose balances were refreshed.
    pub accounts_updated: usize,
    /// New transactions.
    pub transactions_added: usize,
    /// Transactions whose status changed (pending → posted, posted → refunded).
    pub transactions_modified: usize,
    /// Pending transactions the provider dropped.
    pub transactions_removed: usize,
}

impl From<SyncReport> for SyncResponse {
    fn from(r: SyncReport) -> Self {
        Self {
            synced_at: r.synced_at,
            accounts_updated: r.accounts_updated,
            transactions_added: r.transactions_added,
            transactions_modified: r.transactions_modified,
            transactions_removed: r.transactions_removed,
        }
    }
}

/// Input of `authorizeConnection`: the sandbox credentials, all optional.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "username": "user_good",
    "password": "pass_good"
}))]
pub struct AuthorizeRequest {
    /// `user_good`, `user_mfa` or `user_locked`; leave out (with the password) to sign in as a
    /// good user.
    #[schema(nullable = false, max_length = 128, example = "user_good")]
    pub username: Option<String>,
    /// `pass_good`; any other password is refused (`invalid_credentials`).
    #[schema(nullable = false, max_length = 128, example = "pass_good")]
    pub password: Option<String>,
    /// For `user_mfa`: `1234`.
    #[schema(nullable = false, example = "1234")]
    pub mfa_code: Option<String>,
}

impl From<AuthorizeRequest> for Credentials {
    fn from(r: AuthorizeRequest) -> Self {
        Credentials { username: r.username, password: r.password, mfa_code: r.mfa_code }
    }
}

/// Options of `disconnectConnection`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DisconnectQuery {
    /// `true` also deletes the connection's accounts, transactions and balance history.
    #[param(value_type = Option<bool>)]
    pub purge: Option<String>,
}

/// Parses a boolean query value; names `field` when it is neither `true` nor `false`.
pub fn parse_flag(field: &str, value: Option<&str>) -> Result<bool, ApiError> {
    match value {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(ApiError::validation(&FieldErrors::single(field, "must be true or false"))),
    }
}

/// Start connecting to a provider. Limited per user (429 with `Retry-After`).
#[utoipa::path(
    tag = "financial",
    operation_id = "createConnection",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    request_body = CreateConnectionRequest,
    responses(
        (status = 201, description = "Created; send the user to `authorizeUrl`", body = CreateConnectionResponse),
        (status = 400, description = "Bad or unknown providerId, bad seed, bad webhookUrl, an unknown scenarioId, a scenario's problems (under `scenario.<path>`), malformed JSON", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "`csrf_failed`: the session cookie was sent from another origin without `X-CSRF-Token`", body = ErrorResponse),
        (status = 429, description = "Too many connections created; see Retry-After", body = ErrorResponse, headers(("Retry-After" = u64, description = "Seconds to wait before trying again"))),
    )
)]
#[post("/api/financial/connections")]
pub async fn create_connection(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Authenticated,
    body: JsonBody<CreateConnectionRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut body = body.into_inner();
    let scenario = body.scenario_source()?;
    let service = state.connections.clone();
    let user = caller.0.user.id;
    let view = web::block(move || {
        let webhook = (body.webhook_url.as_deref(), WebhookFormat::Sandbank);
        service.create(user, body.provider_id.as_deref(), body.seed, webhook, scenario)
    })
    .await??;
    let id = view.connection.id;
    Ok(HttpResponse::Created().json(CreateConnectionResponse {
        connection_id: id.as_uuid(),
        status: view.connection.status,
        authorize_url: authorize_url(&req, id),
        webhook_url: view.connection.webhook_url.as_ref().map(ToString::to_string),
    }))
}

/// The caller's connections.
#[utoipa::path(
    tag = "financial",
    operation_id = "listConnections",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    responses(
        (status = 200, description = "The caller's connections", body = ConnectionsResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    )
)]
#[get("/api/financial/connections")]
pub async fn list_connections(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Authenticated,
) -> Result<web::Json<ConnectionsResponse>, ApiError> {
    let service = state.connections.clone();
    let views = web::block(move || service.list(caller.0.user.id)).await??;
    Ok(web::Json(ConnectionsResponse {
        connections: views.into_iter().map(|v| ConnectionResponse::new(&req, v)).collect(),
    }))
}

/// One connection.
#[utoipa::path(
    tag = "financial",
    operation_id = "getConnection",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(("connectionId" = Uuid, Path, description = "The connection")),
    responses(
        (status = 200, description = "The connection", body = ConnectionResponse),
        (status = 400, description = "connectionId is not a UUID", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Another user's connection", body = ErrorResponse),
        (status = 404, description = "No such connection", body = ErrorResponse),
    )
)]
#[get("/api/financial/connections/{connectionId}")]
pub async fn get_connection(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<Uuid>,
) -> Result<web::Json<ConnectionResponse>, ApiError> {
    let service = state.connections.clone();
    let id = ConnectionId::from_uuid(path.into_inner());
    let view = web::block(move || service.get(caller.0.user.id, id)).await??;
    Ok(web::Json(ConnectionResponse::new(&req, view)))
}

/// Input of `updateConnection`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "webhookUrl": "http://127.0.0.1:4000/webhooks"
}))]
pub struct UpdateConnectionRequest {
    /// Where the connection's webhooks are sent (rules as in `createConnection`); null stops
    /// them. Required.
    #[serde(default, deserialize_with = "present")]
    #[schema(
        value_type = Option<String>,
        required = true,
        format = "uri",
        max_length = 2048,
        example = "http://127.0.0.1:4000/webhooks"
    )]
    pub webhook_url: Option<Option<String>>,
}

/// Tells a field sent as null (`Some(None)`) from one left out (`None`, by `default`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// Update a connection: set or clear its webhook URL. Allowed in every status but
/// `disconnected` (a disconnected connection never syncs or sends a webhook again).
#[utoipa::path(
    tag = "financial",
    operation_id = "updateConnection",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(("connectionId" = Uuid, Path, description = "The connection")),
    request_body = UpdateConnectionRequest,
    responses(
        (status = 200, description = "Updated", body = ConnectionResponse),
        (status = 400, description = "connectionId is not a UUID; webhookUrl missing or invalid; malformed JSON", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Another user's connection; or `csrf_failed`: the session cookie was sent from another origin without `X-CSRF-Token`", body = ErrorResponse),
        (status = 404, description = "No such connection", body = ErrorResponse),
        (status = 409, description = "`connection_disconnected`", body = ErrorResponse),
    )
)]
#[patch("/api/financial/connections/{connectionId}")]
pub async fn update_connection(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<Uuid>,
    body: JsonBody<UpdateConnectionRequest>,
) -> Result<web::Json<ConnectionResponse>, ApiError> {
    let Some(url) = body.into_inner().webhook_url else {
        return Err(ApiError::validation(&FieldErrors::single("webhookUrl", "is required (null clears it)")));
    };
    let service = state.connections.clone();
    let id = ConnectionId::from_uuid(path.into_inner());
    let view = web::block(move || service.set_webhook_url(caller.0.user.id, id, url.as_deref())).await??;
    Ok(web::Json(ConnectionResponse::new(&req, view)))
}

/// Options of `syncConnection`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SyncQuery {
    /// `true` queues the sync as a background job and answers 202 with its id at once.
    #[serde(rename = "async")]
    #[param(rename = "async", value_type = Option<bool>)]
    pub run_async: Option<String>,
}

/// A queued sync.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "jobId": "01a239e2-1ec0-727a-bada-340f29ea2cd4",
    "status": "queued"
}))]
pub struct QueuedSyncResponse {
    /// The job; follow it at `GET /api/jobs/{jobId}`.
    pub job_id: Uuid,
    /// `queued`.
    #[schema(value_type = crate::schemas::JobStatus, example = "queued")]
    pub status: JobStatus,
}

/// Sync: fetch what is new since the last sync (pending rows that posted are modified, dropped
/// ones removed). With `?async=true` the sync runs as a background job, retried with backoff.
#[utoipa::path(
    tag = "financial",
    operation_id = "syncConnection",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(("connectionId" = Uuid, Path, description = "The connection"), SyncQuery),
    responses(
        (status = 200, description = "Synced", body = SyncResponse),
        (status = 202, description = "Queued as a background job (`?async=true`)", body = QueuedSyncResponse),
        (status = 400, description = "connectionId is not a UUID, or async is not true/false", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Another user's connection; or `csrf_failed`: the session cookie was sent from another origin without `X-CSRF-Token`", body = ErrorResponse),
        (status = 404, description = "No such connection", body = ErrorResponse),
        (status = 409, description = "`connection_not_authorized`: not authorized yet; `connection_expired`: expired, also when its stored token no longer opens; `connection_disconnected`; or `sync_in_progress`: another sync of it still running after 30 s", body = ErrorResponse),
        (status = 503, description = "`provider_unavailable`: the provider is not responding, and the connection is now `error`; or `database_unavailable`: the database did not answer in time", body = ErrorResponse, headers(("Retry-After" = u64, description = "Seconds to wait before trying again"))),
    )
)]
#[post("/api/financial/connections/{connectionId}")]
pub async fn sync_connection(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<Uuid>,
    query: ApiQuery<SyncQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = ConnectionId::from_uuid(path.into_inner());
    let user = caller.0.user.id;
    if parse_flag("async", query.run_async.as_deref())? {
        let queue = state.jobs.clone();
        let job = web::block(move || queue.enqueue_sync(user, id)).await??;
        return Ok(HttpResponse::Accepted().json(QueuedSyncResponse { job_id: job.id.as_uuid(), status: job.status }));
    }
    let service = state.connections.clone();
    let report = web::block(move || service.sync(user, id)).await??;
    Ok(HttpResponse::Ok().json(SyncResponse::from(report)))
}

/// Disconnect: the token is erased and the accounts are kept read-only; `?purge=true` deletes
/// them with their transactions and balance history.
#[utoipa::path(
    tag = "financial",
    operation_id = "disconnectConnection",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(("connectionId" = Uuid, Path, description = "The connection"), DisconnectQuery),
    responses(
        (status = 200, description = "Disconnected", body = ConnectionResponse),
        (status = 400, description = "connectionId is not a UUID, or purge is not true/false", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Another user's connection; or `csrf_failed`: the session cookie was sent from another origin without `X-CSRF-Token`", body = ErrorResponse),
        (status = 404, description = "No such connection", body = ErrorResponse),
    )
)]
#[delete("/api/financial/connections/{connectionId}")]
pub async fn disconnect_connection(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<Uuid>,
    query: ApiQuery<DisconnectQuery>,
) -> Result<web::Json<ConnectionResponse>, ApiError> {
    let purge = parse_flag("purge", query.purge.as_deref())?;
    let service = state.connections.clone();
    let id = ConnectionId::from_uuid(path.into_inner());
    let view = web::block(move || service.disconnect(caller.0.user.id, id, purge)).await??;
    Ok(web::Json(ConnectionResponse::new(&req, view)))
}

/// Complete the fake OAuth consent: the connection gets a token, 1–3 accounts and 3–6 months
/// of history, and becomes `connected`. Also reconnects an `expired` or `error` connection,
/// keeping its data.
#[utoipa::path(
    tag = "financial",
    operation_id = "authorizeConnection",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(("connectionId" = Uuid, Path, description = "The connection")),
    request_body(content = AuthorizeRequest, description = "Sandbox credentials; an empty object signs in as a good user"),
    responses(
        (status = 200, description = "Connected", body = ConnectionResponse),
        (status = 400, description = "`invalid_credentials`, `mfa_required`, `invalid_mfa_code`, `account_locked` (the connection is now `error`), or bad fields", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Another user's connection; or `csrf_failed`: the session cookie was sent from another origin without `X-CSRF-Token`", body = ErrorResponse),
        (status = 404, description = "No such connection", body = ErrorResponse),
        (status = 409, description = "`connection_already_connected`, `connection_disconnected`, or `sync_in_progress`: a sync of it still running after 30 s", body = ErrorResponse),
        (status = 503, description = "`provider_unavailable`: the provider is not responding; or `database_unavailable`: the database did not answer in time", body = ErrorResponse, headers(("Retry-After" = u64, description = "Seconds to wait before trying again"))),
    )
)]
#[post("/api/financial/connections/{connectionId}/authorize")]
pub async fn authorize_connection(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<Uuid>,
    body: JsonBody<AuthorizeRequest>,
) -> Result<web::Json<ConnectionResponse>, ApiError> {
    let service = state.connections.clone();
    let id = ConnectionId::from_uuid(path.into_inner());
    let credentials = Credentials::from(body.into_inner());
    let (view, _) = web::block(move || service.authorize(caller.0.user.id, id, &credentials)).await??;
    Ok(web::Json(ConnectionResponse::new(&req, view)))
}

/// The example connection of the spec.
fn connection_example() -> serde_json::Value {
    serde_json::json!({
        "id": "01a239e2-1c37-77f5-a2d9-59ee2566b457",
        "providerId": "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a02",
        "provider": {
            "id": "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a02",
            "name": "Chase",
            "slug": "chase",
            "logoUrl": "/static/logos/chase.svg"
        },
        "status": "connected",
        "seed": 7,
        "lastSyncedAt": "2026-12-03T03:10:50.053141Z",
        "error": null,
        "authorizeUrl": "http://127.0.0.1:8080/financial/authorize/01a239e2-1c37-77f5-a2d9-59ee2566b457",
        "sandbox": {
            "clockOffsetDays": 0,
            "today": "2026-12-03",
            "fault": "token_expired"
        },
        "webhookUrl": "http://127.0.0.1:4000/webhooks",
        "createdAt": "2026-12-03T03:10:49.399042Z",
        "updatedAt": "2026-12-03T03:10:50.269446Z"
    })
}
