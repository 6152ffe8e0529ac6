//! `/api/sandbox`: controls to test incremental sync and error handling on purpose.

use actix_web::{HttpRequest, post, web};
use sandbank_domain::connection::SandboxEvent;
use sandbank_domain::webhook::WebhookEventType;
use sandbank_domain::{ConnectionId, FieldErrors};
use sandbank_services::use_cases::connections::{MAX_ADVANCE_DAYS, SimulationEvent};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::authenticated::Authenticated;
use crate::error::{ApiError, ErrorResponse};
use crate::json_body::JsonBody;
use crate::routes::connections::ConnectionResponse;
use crate::state::AppState;

/// A sandbox control to apply.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "event": "advance_days",
    "days": 3
}))]
pub struct SimulateRequest {
    /// `advance_days` (with `days`): the connection's clock moves on, so the next sync brings new
    /// days and posts pending rows. `expire_token`: the next sync is a 409 and the connection
    /// `expired` until authorized again. `provider_outage`: syncs answer 503 and the connection
    /// shows `error` (`provider_unavailable`). `recover`: the provider answers again.
    /// `fire_webhook` (with `webhookEvent`): one event of that type is sent to the connection's
    /// webhook URL now (409 `webhook_url_missing` without one), as Plaid's webhook for an item of
    /// the Plaid API (409 `no_plaid_webhook` when Plaid has none for it).
    #[schema(value_type = crate::schemas::SandboxEvent, example = "advance_days")]
    pub event: Option<String>,
    /// For `advance_days`: 1 to 365, and the clock ends at most 3,650 days past the link date.
    #[schema(example = 3, nullable = false, minimum = 1, maximum = 365)]
    pub days: Option<i64>,
    /// For `fire_webhook`: the type of event to send. `transactions.updates_available` carries
    /// zero counts; `connection.status_changed` the current status as both `from` and `to`.
    #[schema(value_type = Option<crate::schemas::WebhookEventType>, nullable = false)]
    pub webhook_event: Option<String>,
}

/// What a simulate request asks for.
enum Control {
    /// A change to the connection's sandbox.
    Connection(SimulationEvent),
    /// An event sent to its webhook URL.
    FireWebhook(WebhookEventType),
}

impl SimulateRequest {
    /// The control asked for. `days` and `webhookEvent` are checked whenever they are sent, as
    /// the spec bounds them, whatever the event; each is required only by its own event.
    fn control(&self) -> Result<Control, ApiError> {
        let mut errors = FieldErrors::new();
        let event = match self.event.as_deref() {
            Some(text) => errors.check("event", text.parse::<SandboxEvent>()),
            None => {
                errors.add("event", "is required");
                None
            }
        };
        let days = self.days.and_then(|days| checked_days(days, &mut errors));
        let webhook_event = self.webhook_event.as_deref().and_then(|text| errors.check("webhookEvent", text.parse()));
        let control = match event {
            None => None,
            Some(SandboxEvent::AdvanceDays) => {
                if self.days.is_none() {
                    errors.add("days", "is required with advance_days");
                }
                days.map(|days| Control::Connection(SimulationEvent::AdvanceDays(days)))
            }
            Some(SandboxEvent::ExpireToken) => Some(Control::Connection(SimulationEvent::ExpireToken)),
            Some(SandboxEvent::ProviderOutage) => Some(Control::Connection(SimulationEvent::ProviderOutage)),
            Some(SandboxEvent::Recover) => Some(Control::Connection(SimulationEvent::Recover)),
            Some(SandboxEvent::FireWebhook) => {
                if self.webhook_event.is_none() {
                    errors.add("webhookEvent", "is required with fire_webhook");
                }
                webhook_event.map(Control::FireWebhook)
            }
        };
        match control {
            Some(control) if errors.is_empty() => Ok(control),
            _ => Err(ApiError::validation(&errors)),
        }
    }
}

/// `days` when it is from 1 to [`MAX_ADVANCE_DAYS`], else its problem added to `errors`.
fn checked_days(days: i64, errors: &mut FieldErrors) -> Option<u32> {
    let checked = u32::try_from(days).ok().filter(|days| (1..=MAX_ADVANCE_DAYS).contains(days));
    if checked.is_none() {
        errors.add("days", format!("must be from 1 to {MAX_ADVANCE_DAYS}"));
    }
    checked
}

/// Apply a sandbox control to one of the caller's connections.
#[utoipa::path(
    tag = "sandbox",
    operation_id = "simulateConnectionEvent",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(("connectionId" = Uuid, Path, description = "The connection")),
    request_body = SimulateRequest,
    responses(
        (status = 200, description = "Applied; the connection as it is now", body = ConnectionResponse),
        (status = 400, description = "Unknown event, bad days (or the clock would pass 3,650 days), missing or unknown webhookEvent, connectionId not a UUID", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Another user's connection; or `csrf_failed`: the session cookie was sent from another origin without `X-CSRF-Token`", body = ErrorResponse),
        (status = 404, description = "No such connection", body = ErrorResponse),
        (status = 409, description = "`connection_disconnected`; `connection_not_connected`: `expire_token` on a connection that is not connected; `webhook_url_missing`: `fire_webhook` on a connection without a webhook URL, or `no_plaid_webhook`: an event Plaid has no webhook for, on an item of the Plaid API", body = ErrorResponse),
    )
)]
#[post("/api/sandbox/connections/{connectionId}/simulate")]
pub async fn simulate(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<Uuid>,
    body: JsonBody<SimulateRequest>,
) -> Result<web::Json<ConnectionResponse>, ApiError> {
    let control = body.control()?;
    let service = state.connections.clone();
    let webhooks = state.webhooks.clone();
    let id = ConnectionId::from_uuid(path.into_inner());
    let user = caller.0.user.id;
    let view = web::block(move || match control {
        Control::Connection(event) => service.simulate(user, id, event),
        Control::FireWebhook(event_type) => {
            webhooks.fire(user, id, event_type)?;
            service.get(user, id)
        }
    })
    .await??;
    Ok(web::Json(ConnectionResponse::new(&req, view)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn control(event: Option<&str>, days: Option<i64>, webhook_event: Option<&str>) -> Result<Control, ApiError> {
        let request =
            SimulateRequest { event: event.map(str::to_owned), days, webhook_event: webhook_event.map(str::to_owned) };
        request.control()
    }

    #[test]
    fn each_sandbox_event_parses_to_its_control() {
        assert!(matches!(
            control(Some("advance_days"), Some(3), None),
            Ok(Control::Connection(SimulationEvent::AdvanceDays(3)))
        ));
        assert!(matches!(
            control(Some("expire_token"), None, None),
            Ok(Control::Connection(SimulationEvent::ExpireToken))
        ));
        assert!(matches!(control(Some("recover"), None, None), Ok(Control::Connection(SimulationEvent::Recover))));
        assert!(matches!(
            control(Some("fire_webhook"), None, Some("connection.test")),
            Ok(Control::FireWebhook(WebhookEventType::Test))
        ));
        for (event, days, webhook_event) in [
            (None, None, None),
            (Some("advance"), None, None),
            (Some("advance_days"), Some(366), None),
            (Some("fire_webhook"), None, None),
            (Some("fire_webhook"), None, Some("nope")),
            (Some("recover"), Some(366), None),
            (Some("provider_outage"), None, Some("nope")),
        ] {
            let refused = control(event, days, webhook_event).err().map(|e| e.code());
            assert_eq!(
                refused,
                Some(sandbank_domain::ErrorCode::ValidationFailed),
                "{event:?} {days:?} {webhook_event:?}"
            );
        }
    }
}
