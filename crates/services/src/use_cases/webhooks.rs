//! Webhooks: the outbox ([`record`], called inside the write transaction of the change an event
//! reports, so an event is stored exactly when its change commits), the status and sync hooks
//! the connection lifecycle calls, and [`WebhookService`]: a user's deliveries, a retry on
//! request, and the sandbox's events on demand. The delivery job
//! ([`crate::jobs::deliver_webhooks`]) sends what the outbox holds. A connection of the `plaid`
//! format gets Plaid's bodies instead of ours ([`plaid_body`]), signed by the delivery job with
//! a `Plaid-Verification` JWT.

pub mod plaid_body;

use chrono::{DateTime, Utc};
use sandbank_domain::connection::Connection;
use sandbank_domain::job::JobKind;
use sandbank_domain::webhook::{
    DeliveryStatus, EventData, WebhookDelivery, WebhookEvent, WebhookEventType, WebhookFormat,
};
use sandbank_domain::{ConnectionId, DeliveryId, ErrorCode, EventId, UserId};
use sandbank_store::time::as_stored;
use sandbank_store::{Db, DbConnection, StoreError, connections, jobs, webhooks};

use crate::error::ServiceError;
use crate::use_cases::connections::{SyncReport, owned};
use plaid_body::PlaidWebhook;

/// Attempts the delivery job itself gets (each delivery keeps its own count and policy; the
/// job is retried only when the database was away).
pub const DELIVERY_JOB_ATTEMPTS: u32 = 3;
/// The most deliveries a listing returns.
pub const MAX_LISTED_DELIVERIES: i64 = 100;

/// Writes `data` about `connection` to the outbox inside the caller's transaction: the event
/// with its exact JSON body in the connection's format, a pending delivery to the connection's
/// webhook URL, and a queued delivery job for the connection. Nothing when the connection has
/// no webhook URL, or when its format has no webhook for this event.
pub fn record(
    conn: &mut DbConnection,
    connection: &Connection,
    data: EventData,
    now: DateTime<Utc>,
) -> Result<Option<EventId>, ServiceError> {
    let Some(url) = &connection.webhook_url else { return Ok(None) };
    let event = WebhookEvent::new(connection.id, as_stored(now), data);
    let body = match connection.webhook_format {
        WebhookFormat::Sandbank => serde_json::to_string(&event),
        WebhookFormat::Plaid => match PlaidWebhook::from_event(event.data(), url.as_str()) {
            Some(webhook) => webhook.body(connection.id),
            None => return Ok(None),
        },
    };
    let body = body.map_err(|e| ServiceError::Internal(format!("event body: {e}")))?;
    store(conn, connection, &event, (connection.webhook_format, &body), now)
}

/// Writes a Plaid webhook about `connection` to the outbox as it is (the sandbox's
/// `/sandbox/item/fire_webhook`), whatever the connection's format. Its event is listed under
/// its nearest Sandbank type: `TRANSACTIONS` ones as `transactions.updates_available`, `ITEM`
/// ones as `connection.test`. Nothing when the connection has no webhook URL.
pub fn record_plaid(
    conn: &mut DbConnection,
    connection: &Connection,
    webhook: &PlaidWebhook,
    now: DateTime<Utc>,
) -> Result<Option<EventId>, ServiceError> {
    if connection.webhook_url.is_none() {
        return Ok(None);
    }
    let data = match webhook {
        PlaidWebhook::SyncUpdatesAvailable => EventData::UpdatesAvailable { added: 0, modified: 0, removed: 0 },
        PlaidWebhook::DefaultUpdate { new_transactions } => {
            EventData::UpdatesAvailable { added: *new_transactions, modified: 0, removed: 0 }
        }
        _ => EventData::Test {},
    };
    let event = WebhookEvent::new(connection.id, as_stored(now), data);
    let body = webhook.body(connection.id).map_err(|e| ServiceError::Internal(format!("event body: {e}")))?;
    store(conn, connection, &event, (WebhookFormat::Plaid, &body), now)
}

/// Stores the event, its delivery to the connection's URL, and queues the delivery job.
fn store(
    conn: &mut DbConnection,
    connection: &Connection,
    event: &WebhookEvent,
    body: (WebhookFormat, &str),
    now: DateTime<Utc>,
) -> Result<Option<EventId>, ServiceError> {
    let Some(url) = &connection.webhook_url else { return Ok(None) };
    webhooks::insert(conn, connection.user_id, event, body, url.as_str())?;
    let (user, id) = (connection.user_id, connection.id);
    jobs::ensure_queued(conn, JobKind::DeliverWebhooks, user, id, DELIVERY_JOB_ATTEMPTS, now)?;
    tracing::info!(connection_id = %id, event_id = %event.id, kind = %event.event_type(), "webhook event recorded");
    Ok(Some(event.id))
}

/// Records `connection.status_changed` when the connection's status now (read inside the
/// caller's transaction) differs from `before`'s. Call after the write that changed it.
pub fn status_changed(conn: &mut DbConnection, before: &Connection, now: DateTime<Utc>) -> Result<(), ServiceError> {
    let after = connections::find(conn, before.id)?.ok_or(StoreError::NotFound)?;
    record_status_change(conn, before, &after, now)
}

/// What the end of a sync (or of authorize's first load) sends: `connection.status_changed`
/// when it came back to `connected`, then `transactions.updates_available` when it added,
/// modified or removed anything. Call after the last chunk marked the connection synced.
pub fn after_sync(
    conn: &mut DbConnection,
    before: &Connection,
    report: &SyncReport,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let after = connections::find(conn, before.id)?.ok_or(StoreError::NotFound)?;
    record_status_change(conn, before, &after, now)?;
    let counts = [report.transactions_added, report.transactions_modified, report.transactions_removed];
    transactions_changed(conn, &after, counts, now)
}

/// Records `transactions.updates_available` with the `[added, modified, removed]` counts of a
/// write to the connection's transactions, when it changed any. Call inside that write.
pub fn transactions_changed(
    conn: &mut DbConnection,
    connection: &Connection,
    [added, modified, removed]: [usize; 3],
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    let (added, modified, removed) = (count(added), count(modified), count(removed));
    if added + modified + removed > 0 {
        record(conn, connection, EventData::UpdatesAvailable { added, modified, removed }, now)?;
    }
    Ok(())
}

fn record_status_change(
    conn: &mut DbConnection,
    before: &Connection,
    after: &Connection,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if before.status == after.status {
        return Ok(());
    }
    let error = after.problem.as_ref().map(Into::into);
    record(conn, after, EventData::StatusChanged { from: before.status, to: after.status, error }, now)?;
    Ok(())
}

/// A user's webhook deliveries.
#[derive(Debug, Clone)]
pub struct WebhookService {
    db: Db,
}

impl WebhookService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The user's last deliveries (of one of their connections, when given), newest first.
    pub fn deliveries(
        &self,
        user: UserId,
        connection: Option<ConnectionId>,
    ) -> Result<Vec<WebhookDelivery>, ServiceError> {
        self.db.read(|conn| {
            if let Some(id) = connection {
                owned(conn, user, id)?;
            }
            Ok(webhooks::list(conn, user, connection, MAX_LISTED_DELIVERIES)?)
        })
    }

    /// Sends a `failed` or `retrying` delivery again now: it goes back to `pending` (its
    /// attempts are kept) and the delivery job is queued.
    pub fn retry(&self, user: UserId, id: DeliveryId) -> Result<WebhookDelivery, ServiceError> {
        let now = Utc::now();
        self.db.write(|conn| {
            let delivery = owned_delivery(conn, user, id)?;
            if !matches!(delivery.status, DeliveryStatus::Failed | DeliveryStatus::Retrying) {
                return Err(ServiceError::Conflict {
                    code: ErrorCode::DeliveryNotRetryable,
                    message: format!("the delivery is {}; only a failed or retrying one is retried", delivery.status),
                });
            }
            webhooks::reopen(conn, id, now)?;
            let kind = JobKind::DeliverWebhooks;
            jobs::ensure_queued(conn, kind, user, delivery.connection_id, DELIVERY_JOB_ATTEMPTS, now)?;
            tracing::info!(delivery_id = %id, "webhook delivery retried on request");
            owned_delivery(conn, user, id)
        })
    }

    /// The sandbox's event on demand: `event_type` about the user's connection, sent to its
    /// webhook URL (409 `webhook_url_missing` without one). `transactions.updates_available`
    /// carries zero counts, `connection.status_changed` the current status as both ends. For a
    /// connection of the `plaid` format the event goes out as its Plaid webhook; one without
    /// (`connection.status_changed` while connected) is 409 `no_plaid_webhook`.
    pub fn fire(&self, user: UserId, id: ConnectionId, event_type: WebhookEventType) -> Result<EventId, ServiceError> {
        let now = Utc::now();
        self.db.write(|conn| {
            connections::lock(conn, id)?;
            let connection = owned(conn, user, id)?;
            connection.status.check_simulate()?;
            let data = match event_type {
                WebhookEventType::UpdatesAvailable => EventData::UpdatesAvailable { added: 0, modified: 0, removed: 0 },
                WebhookEventType::StatusChanged => EventData::StatusChanged {
                    from: connection.status,
                    to: connection.status,
                    error: connection.problem.as_ref().map(Into::into),
                },
                WebhookEventType::Test => EventData::Test {},
            };
            let recorded = record(conn, &connection, data, now)?;
            recorded.ok_or_else(|| match connection.webhook_url {
                None => missing_url(),
                Some(_) => ServiceError::Conflict {
                    code: ErrorCode::NoPlaidWebhook,
                    message: format!(
                        "the connection's webhooks are Plaid's, and Plaid has no webhook for {event_type} while it is {}",
                        connection.status
                    ),
                },
            })
        })
    }
}

impl WebhookService {
    /// The sandbox's Plaid webhook on demand (`/sandbox/item/fire_webhook`): `webhook` about the
    /// user's connection, sent to its webhook URL (409 `webhook_url_missing` without one).
    pub fn fire_plaid(&self, user: UserId, id: ConnectionId, webhook: &PlaidWebhook) -> Result<EventId, ServiceError> {
        let now = Utc::now();
        self.db.write(|conn| {
            connections::lock(conn, id)?;
            let connection = owned(conn, user, id)?;
            connection.status.check_simulate()?;
            record_plaid(conn, &connection, webhook, now)?.ok_or_else(missing_url)
        })
    }
}

/// The sandbox was asked for an event about a connection without a webhook URL.
fn missing_url() -> ServiceError {
    ServiceError::Conflict {
        code: ErrorCode::WebhookUrlMissing,
        message: "the connection has no webhookUrl; set one with PATCH /api/financial/connections/{id}".into(),
    }
}

/// The delivery, if it is the user's: 404 when missing, 403 when someone else's.
fn owned_delivery(conn: &mut DbConnection, user: UserId, id: DeliveryId) -> Result<WebhookDelivery, ServiceError> {
    let delivery = webhooks::find(conn, id)?.ok_or(ServiceError::NotFound("delivery"))?;
    if delivery.user_id != user {
        return Err(ServiceError::Forbidden("delivery"));
    }
    Ok(delivery)
}
