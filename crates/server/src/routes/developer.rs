//! `/api/developer/webhook-secret`: the caller's webhook signing secret, and its rotation.

use actix_web::{get, post, web};
use chrono::{DateTime, TimeDelta, Utc};
use sandbank_domain::FieldErrors;
use sandbank_services::use_cases::webhook_secrets::{DEFAULT_GRACE_SECS, MAX_GRACE_SECS};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::authenticated::Authenticated;
use crate::error::{ApiError, ErrorResponse};
use crate::json_body::OptionalJsonBody;
use crate::state::AppState;

/// The caller's webhook signing secret.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "secret": "whsec_G45ZOKRB6TuRpnhH2eKx2StafISL4QarlX-_DMkqaow"
}))]
pub struct WebhookSecretResponse {
    /// Signs every webhook sent to the caller's connections: `Sandbank-Signature:
    /// t=<unix seconds>,v1=<lowercase hex HMAC-SHA256(key, "<t>.<raw body>")>`, the key being
    /// the UTF-8 bytes of this string exactly as shown.
    #[schema(example = "whsec_q1Jc3k2yQ8W9vXh0Zb5r7Tn4Ls6Pd1Ua2Me3Of8Gi0K")]
    pub secret: String,
}

/// How to rotate the secret.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "graceSeconds": 86400
}))]
pub struct RotateWebhookSecretRequest {
    /// How long the replaced secret keeps signing alongside the new one (a second `v1=`), in
    /// seconds: 0 to 604800 (seven days); 86400 (one day) when left out. 0 retires it at once.
    #[schema(example = 86400, default = 86400, nullable = false, minimum = 0, maximum = 604800)]
    pub grace_seconds: Option<i64>,
}

impl RotateWebhookSecretRequest {
    fn grace(&self) -> Result<TimeDelta, ApiError> {
        let seconds = self.grace_seconds.unwrap_or(i64::from(DEFAULT_GRACE_SECS));
        if !(0..=i64::from(MAX_GRACE_SECS)).contains(&seconds) {
            let message = format!("must be from 0 to {MAX_GRACE_SECS} seconds");
            return Err(ApiError::validation(&FieldErrors::single("graceSeconds", message)));
        }
        Ok(TimeDelta::seconds(seconds))
    }
}

/// The new secret after a rotation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "secret": "whsec_JU3LJXSZVQZW65GL-Uoa_yTwIZV9R9nbb-UqQeyXXXs",
    "previousSecretExpiresAt": "2026-12-04T03:10:49.852572001Z"
}))]
pub struct RotatedWebhookSecretResponse {
    /// The new secret; it signs from now on (its `v1=` comes first).
    #[schema(example = "whsec_Zb5r7Tn4Ls6Pd1Ua2Me3Of8Gi0Kq1Jc3k2yQ8W9vXh0")]
    pub secret: String,
    /// Until when the replaced secret still signs as a second `v1=`.
    pub previous_secret_expires_at: DateTime<Utc>,
}

/// The caller's webhook signing secret (made on first use).
#[utoipa::path(
    tag = "developer",
    operation_id = "getWebhookSecret",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    responses(
        (status = 200, description = "The secret that signs the caller's webhooks", body = WebhookSecretResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    )
)]
#[get("/api/developer/webhook-secret")]
pub async fn get_webhook_secret(
    state: web::Data<AppState>,
    caller: Authenticated,
) -> Result<web::Json<WebhookSecretResponse>, ApiError> {
    let service = state.webhook_secrets.clone();
    let secret = web::block(move || service.current(caller.0.user.id)).await??;
    Ok(web::Json(WebhookSecretResponse { secret }))
}

/// Replace the caller's webhook signing secret; the old one keeps signing for a grace period.
#[utoipa::path(
    tag = "developer",
    operation_id = "rotateWebhookSecret",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    request_body(content = Option<RotateWebhookSecretRequest>, description = "Optional; `graceSeconds` defaults to 86400"),
    responses(
        (status = 200, description = "Rotated: the new secret, and until when the old one signs alongside", body = RotatedWebhookSecretResponse),
        (status = 400, description = "`graceSeconds` not an integer from 0 to 604800", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "`csrf_failed`: the session cookie was sent from another origin without `X-CSRF-Token`", body = ErrorResponse),
        (status = 409, description = "`rotation_conflict`: rotated concurrently; try again", body = ErrorResponse),
    )
)]
#[post("/api/developer/webhook-secret")]
pub async fn rotate_webhook_secret(
    state: web::Data<AppState>,
    caller: Authenticated,
    body: OptionalJsonBody<RotateWebhookSecretRequest>,
) -> Result<web::Json<RotatedWebhookSecretResponse>, ApiError> {
    let grace = body.0.grace()?;
    let service = state.webhook_secrets.clone();
    let rotated = web::block(move || service.rotate(caller.0.user.id, grace, Utc::now())).await??;
    Ok(web::Json(RotatedWebhookSecretResponse {
        secret: rotated.secret,
        previous_secret_expires_at: rotated.previous_expires_at,
    }))
}
