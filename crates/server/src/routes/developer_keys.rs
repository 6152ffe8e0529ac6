//! `/api/developer/keys`: the caller's developer API keys — the `client_id` / `secret` pairs the
//! Plaid-compatible API takes. A secret is shown once, in the creation's answer, and never again.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use sandbank_domain::FieldErrors;
use sandbank_domain::developer_key::{ClientId, DeveloperKey};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::authenticated::Authenticated;
use crate::error::{ApiError, ErrorResponse};
use crate::json_body::OptionalJsonBody;
use crate::state::AppState;

/// How to label a new key.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "name": "ci"
}))]
pub struct CreateDeveloperKeyRequest {
    /// An optional label, at most 64 characters (trimmed; blank is none).
    #[schema(example = "ci", nullable = false, max_length = 64)]
    pub name: Option<String>,
}

/// A key just made, with its secret: the only time the secret is shown.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "clientId": "237b2ab4d2fff776a9e1dfc2",
    "secret": "863a349432c68a9bdfbba2d637308d716f0c89c999306d1eef425de200aed5e8",
    "name": "ci",
    "createdAt": "2026-12-03T03:10:49.823789Z"
}))]
pub struct CreatedDeveloperKeyResponse {
    /// The public id: 24 lowercase hex characters. Send it as `PLAID-CLIENT-ID` (or `client_id`).
    #[schema(example = "5f2a9c0e1b7d4a3c8e6f0a12")]
    pub client_id: String,
    /// The secret: 64 lowercase hex characters (32 random bytes). Send it as `PLAID-SECRET` (or
    /// `secret`). Only its SHA-256 is stored: copy it now, it is never shown again.
    #[schema(example = "9b1c4e7f0a2d5c8e1f3a6b9d0c2e5f7a8b1d4c6e9f0a3b5d7c8e1f2a4b6c9d0e")]
    pub secret: String,
    /// The label, if any.
    #[schema(required = true)]
    pub name: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// A key as listed: never its secret.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeveloperKeyResponse {
    /// The public id.
    #[schema(example = "5f2a9c0e1b7d4a3c8e6f0a12")]
    pub client_id: String,
    /// The label, if any.
    #[schema(required = true)]
    pub name: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last authenticated a request (recorded at most once a minute); null if never.
    #[schema(required = true)]
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked; null while it is active. A revoked key authenticates nothing.
    #[schema(required = true)]
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<DeveloperKey> for DeveloperKeyResponse {
    fn from(key: DeveloperKey) -> Self {
        Self {
            client_id: key.client_id.to_string(),
            name: key.name,
            created_at: key.created_at,
            last_used_at: key.last_used_at,
            revoked_at: key.revoked_at,
        }
    }
}

/// The caller's keys.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "keys": [
        {
            "clientId": "13d8d3a39fae542f139e7e3d",
            "name": "ci",
            "createdAt": "2026-12-03T03:10:49.462192Z",
            "lastUsedAt": null,
            "revokedAt": null
        }
    ]
}))]
pub struct DeveloperKeysResponse {
    /// Newest first, revoked ones included.
    pub keys: Vec<DeveloperKeyResponse>,
}

/// Make a developer API key (at most 20 active per user). The answer holds the secret, the only
/// time it is shown.
#[utoipa::path(
    tag = "developer",
    operation_id = "createDeveloperKey",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    request_body(content = Option<CreateDeveloperKeyRequest>, description = "Optional; `name` labels the key"),
    responses(
        (status = 201, description = "Made: the client id and its secret (shown once)", body = CreatedDeveloperKeyResponse),
        (status = 400, description = "`name` longer than 64 characters, or not a string", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "`csrf_failed`: the session cookie was sent from another origin without `X-CSRF-Token`", body = ErrorResponse),
        (status = 409, description = "`too_many_keys`: 20 active keys already; revoke one first", body = ErrorResponse),
    )
)]
#[post("/api/developer/keys")]
pub async fn create_developer_key(
    state: web::Data<AppState>,
    caller: Authenticated,
    body: OptionalJsonBody<CreateDeveloperKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let service = state.developer_keys.clone();
    let name = body.0.name;
    let created = web::block(move || service.create(caller.0.user.id, name.as_deref())).await??;
    Ok(HttpResponse::Created().insert_header((header::CACHE_CONTROL, "no-store")).json(CreatedDeveloperKeyResponse {
        client_id: created.key.client_id.to_string(),
        secret: created.secret.expose().to_owned(),
        name: created.key.name,
        created_at: created.key.created_at,
    }))
}

/// The caller's developer API keys, newest first, revoked ones included; never a secret.
#[utoipa::path(
    tag = "developer",
    operation_id = "listDeveloperKeys",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    responses(
        (status = 200, description = "The caller's keys", body = DeveloperKeysResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    )
)]
#[get("/api/developer/keys")]
pub async fn list_developer_keys(
    state: web::Data<AppState>,
    caller: Authenticated,
) -> Result<web::Json<DeveloperKeysResponse>, ApiError> {
    let service = state.developer_keys.clone();
    let keys = web::block(move || service.list(caller.0.user.id)).await??;
    Ok(web::Json(DeveloperKeysResponse { keys: keys.into_iter().map(Into::into).collect() }))
}

/// Revoke a developer API key: it stops authenticating at once and stays listed with
/// `revokedAt`. Revoking a revoked key again is a 204 too.
#[utoipa::path(
    tag = "developer",
    operation_id = "revokeDeveloperKey",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(("clientId" = String, Path, description = "The key's client id (24 lowercase hex characters)", pattern = "^[0-9a-f]{24}$")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, description = "`clientId` is not 24 lowercase hex characters", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Another user's key, or `csrf_failed`", body = ErrorResponse),
        (status = 404, description = "No such key", body = ErrorResponse),
    )
)]
#[delete("/api/developer/keys/{clientId}")]
pub async fn revoke_developer_key(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let client_id = ClientId::parse(&path.into_inner())
        .map_err(|error| ApiError::validation(&FieldErrors::single("clientId", error.to_string())))?;
    let service = state.developer_keys.clone();
    web::block(move || service.revoke(caller.0.user.id, &client_id)).await??;
    Ok(HttpResponse::NoContent().finish())
}
