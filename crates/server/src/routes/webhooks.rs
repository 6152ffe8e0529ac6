//! `/api/webhooks`: the caller's webhook deliveries, and a retry on request.

use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use sandbank_domain::webhook::{DeliveryStatus, WebhookDelivery, WebhookEventType};
use sandbank_domain::{ConnectionId, DeliveryId, FieldErrors};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api_query::ApiQuery;
use crate::authenticated::Authenticated;
use crate::error::{ApiError, ErrorResponse};
use crate::state::AppState;

/// One delivery of a webhook event.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "01a239e2-1c53-76f1-830e-d30daa055ccb",
    "eventId": "01a239e2-1c53-76f1-830e-d30c7fcb7d9f",
    "type": "transactions.updates_available",
    "url": "http://127.0.0.1:4000/webhooks",
    "status": "pending",
    "attempts": 8,
    "lastStatusCode": 500,
    "lastError": "the receiver answered 500",
    "nextAttemptAt": "2026-12-03T03:10:50.309405Z",
    "createdAt": "2026-12-03T03:10:49.401293Z"
}))]
pub struct DeliveryResponse {
    /// Its id; sent as `Sandbank-Delivery-Id`, the same on every attempt.
    pub id: Uuid,
    /// The event's id (the `id` in the body).
    pub event_id: Uuid,
    /// The event's type (`Sandbank-Event`).
    #[serde(rename = "type")]
    #[schema(value_type = crate::schemas::WebhookEventType)]
    pub event_type: WebhookEventType,
    /// Where it is sent: the connection's webhook URL when the event happened.
    pub url: String,
    /// Where it is.
    #[schema(value_type = crate::schemas::DeliveryStatus)]
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// The HTTP status of the last answer, or null (not tried yet, or no answer).
    #[schema(required = true)]
    pub last_status_code: Option<u16>,
    /// Why the last attempt failed, or null.
    #[schema(required = true)]
    pub last_error: Option<String>,
    /// When the next attempt is due, or null once it succeeded or failed.
    #[schema(required = true)]
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// When the event happened.
    pub created_at: DateTime<Utc>,
}

impl From<WebhookDelivery> for DeliveryResponse {
    fn from(d: WebhookDelivery) -> Self {
        Self {
            id: d.id.as_uuid(),
            event_id: d.event_id.as_uuid(),
            event_type: d.event_type,
            url: d.url,
            status: d.status,
            attempts: d.attempts,
            last_status_code: d.last_status_code,
            last_error: d.last_error,
            next_attempt_at: d.next_attempt_at,
            created_at: d.created_at,
        }
    }
}

/// The caller's last deliveries.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "deliveries": [
        {
            "id": "01a239e2-1c53-76f1-830e-d30daa055ccb",
            "eventId": "01a239e2-1c53-76f1-830e-d30c7fcb7d9f",
            "type": "transactions.updates_available",
            "url": "http://127.0.0.1:4000/webhooks",
            "status": "failed",
            "attempts": 8,
            "lastStatusCode": 500,
            "lastError": "the receiver answered 500",
            "nextAttemptAt": null,
            "createdAt": "2026-12-03T03:10:49.401293Z"
        }
    ]
}))]
pub struct DeliveriesResponse {
    /// Newest first, at most 100.
    pub deliveries: Vec<DeliveryResponse>,
}

/// Filters of `listWebhookDeliveries`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct DeliveriesQuery {
    /// Only this connection's deliveries.
    #[param(value_type = Option<Uuid>)]
    pub connection_id: Option<String>,
}

/// The caller's webhook deliveries, newest first (at most 100).
#[utoipa::path(
    tag = "webhooks",
    operation_id = "listWebhookDeliveries",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(DeliveriesQuery),
    responses(
        (status = 200, description = "The caller's deliveries", body = DeliveriesResponse),
        (status = 400, description = "connectionId is not a UUID", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Another user's connection", body = ErrorResponse),
        (status = 404, description = "No such connection", body = ErrorResponse),
    )
)]
#[get("/api/webhooks/deliveries")]
pub async fn list_webhook_deliveries(
    state: web::Data<AppState>,
    caller: Authenticated,
    query: ApiQuery<DeliveriesQuery>,
) -> Result<web::Json<DeliveriesResponse>, ApiError> {
    let mut errors = FieldErrors::new();
    let connection =
        query.connection_id.as_deref().and_then(|v| errors.uuid("connectionId", v)).map(ConnectionId::from_uuid);
    errors.into_result(|| ()).map_err(|e| ApiError::validation(&e))?;
    let service = state.webhooks.clone();
    let deliveries = web::block(move || service.deliveries(caller.0.user.id, connection)).await??;
    Ok(web::Json(DeliveriesResponse { deliveries: deliveries.into_iter().map(Into::into).collect() }))
}

/// Send a failed or retrying delivery again now: it goes back to `pending` (its attempts are
/// kept, its id stays the same).
#[utoipa::path(
    tag = "webhooks",
    operation_id = "retryWebhookDelivery",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(("deliveryId" = Uuid, Path, description = "The delivery")),
    responses(
        (status = 200, description = "Queued again; the delivery as it is now", body = DeliveryResponse),
        (status = 400, description = "deliveryId is not a UUID", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Another user's delivery; or `csrf_failed`: the session cookie was sent from another origin without `X-CSRF-Token`", body = ErrorResponse),
        (status = 404, description = "No such delivery", body = ErrorResponse),
        (status = 409, description = "`delivery_not_retryable`: it is pending or succeeded", body = ErrorResponse),
    )
)]
#[post("/api/webhooks/deliveries/{deliveryId}/retry")]
pub async fn retry_webhook_delivery(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<Uuid>,
) -> Result<web::Json<DeliveryResponse>, ApiError> {
    let id = DeliveryId::from_uuid(path.into_inner());
    let service = state.webhooks.clone();
    let delivery = web::block(move || service.retry(caller.0.user.id, id)).await??;
    Ok(web::Json(delivery.into()))
}
