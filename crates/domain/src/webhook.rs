//! Webhooks: the events a connection's webhook URL receives (their JSON body is
//! `{id, type, createdAt, connectionId, data}`), their deliveries' states, and what one delivery
//! attempt leads to (retry with exponential backoff and jitter, or a final `failed`).

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::connection::{ConnectionProblem, ConnectionStatus};
use crate::ids::{ConnectionId, DeliveryId, EventId, UserId};
use crate::job::RetryPolicy;
use crate::text_enum::text_enum;
pub use crate::webhook_url::WebhookFormat;

text_enum!(
    /// What an event reports.
    WebhookEventType {
        /// A write changed the connection's transactions; pull the changes.
        UpdatesAvailable => "transactions.updates_available",
        /// The connection's status changed (error, expired, connected again, disconnected).
        StatusChanged => "connection.status_changed",
        /// Sent on demand from the sandbox, to try a receiver.
        Test => "connection.test",
    }
);

text_enum!(
    /// Where a delivery is.
    DeliveryStatus {
        /// Waiting for its first attempt (or for a retry asked for by its owner).
        Pending => "pending",
        /// The receiver answered 2xx.
        Succeeded => "succeeded",
        /// The last attempt failed; another is due at `nextAttemptAt`.
        Retrying => "retrying",
        /// Every attempt failed; it is not tried again unless its owner asks.
        Failed => "failed",
    }
);

impl DeliveryStatus {
    /// Whether the delivery still has attempts to make (it holds up later ones of its connection).
    pub const fn is_open(self) -> bool {
        matches!(self, Self::Pending | Self::Retrying)
    }
}

/// Attempts a delivery makes by default before it fails for good.
pub const DEFAULT_WEBHOOK_ATTEMPTS: u32 = 8;
/// The first retry delay of a delivery by default (30 s).
pub const DEFAULT_WEBHOOK_RETRY_BASE: TimeDelta = TimeDelta::seconds(30);
/// The longest delay between two attempts of a delivery (one hour).
pub const WEBHOOK_RETRY_CAP: TimeDelta = TimeDelta::hours(1);
/// The most characters of a failed attempt's error kept on the delivery.
pub const MAX_DELIVERY_ERROR_CHARS: usize = 500;

/// The retry policy of deliveries: attempt `n` waits `base · 2^(n−1)` (at most an hour), with
/// jitter; after `max_attempts` the delivery is `failed`.
pub fn webhook_retry_policy(base: TimeDelta, max_attempts: u32) -> RetryPolicy {
    RetryPolicy { base, factor: 2, cap: WEBHOOK_RETRY_CAP, max_attempts: max_attempts.max(1) }
}

/// What an event carries in `data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum EventData {
    /// `transactions.updates_available`: how many transactions the write added, modified and removed.
    UpdatesAvailable {
        /// New transactions.
        added: u64,
        /// Changed transactions.
        modified: u64,
        /// Removed transactions.
        removed: u64,
    },
    /// `connection.status_changed`: the status before and after, and the problem now shown.
    StatusChanged {
        /// The status before.
        from: ConnectionStatus,
        /// The status now.
        to: ConnectionStatus,
        /// What went wrong (`null` when nothing did).
        error: Option<EventProblem>,
    },
    /// `connection.test`: nothing (`{}`).
    Test {},
}

impl EventData {
    /// The event type this data belongs to.
    pub const fn event_type(&self) -> WebhookEventType {
        match self {
            Self::UpdatesAvailable { .. } => WebhookEventType::UpdatesAvailable,
            Self::StatusChanged { .. } => WebhookEventType::StatusChanged,
            Self::Test {} => WebhookEventType::Test,
        }
    }
}

/// A connection's problem as an event shows it: `{code, message}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventProblem {
    /// Machine-readable reason, e.g. `provider_unavailable`.
    pub code: String,
    /// What happened, in plain words.
    pub message: String,
}

impl From<&ConnectionProblem> for EventProblem {
    fn from(problem: &ConnectionProblem) -> Self {
        Self { code: problem.code.clone(), message: problem.message.clone() }
    }
}

/// One event, serialized as the body that is POSTed: `{id, type, createdAt, connectionId, data}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEvent {
    /// Its id.
    pub id: EventId,
    /// What it reports (always the type of `data`).
    #[serde(rename = "type")]
    event_type: WebhookEventType,
    /// When it happened.
    pub created_at: DateTime<Utc>,
    /// The connection it concerns.
    pub connection_id: ConnectionId,
    /// What it carries.
    data: EventData,
}

impl WebhookEvent {
    /// A new event about `connection` at `created_at`; its type follows from `data`.
    pub fn new(connection_id: ConnectionId, created_at: DateTime<Utc>, data: EventData) -> Self {
        Self { id: EventId::new(), event_type: data.event_type(), created_at, connection_id, data }
    }

    /// What it reports.
    pub const fn event_type(&self) -> WebhookEventType {
        self.event_type
    }

    /// What it carries.
    pub const fn data(&self) -> &EventData {
        &self.data
    }
}

/// One delivery of an event to a URL, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDelivery {
    /// Its id (`Sandbank-Delivery-Id`).
    pub id: DeliveryId,
    /// The event delivered.
    pub event_id: EventId,
    /// The event's type.
    pub event_type: WebhookEventType,
    /// Whose it is.
    pub user_id: UserId,
    /// The connection it concerns.
    pub connection_id: ConnectionId,
    /// Where it goes (the connection's webhook URL when the event happened).
    pub url: String,
    /// Where it is.
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// The HTTP status of the last answer, if the receiver answered.
    pub last_status_code: Option<u16>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the next attempt is due (`None` once it succeeded or failed).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// When the event happened.
    pub created_at: DateTime<Utc>,
}

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptResult {
    /// The receiver answered 2xx.
    Delivered {
        /// Its status code.
        status_code: u16,
    },
    /// It answered otherwise (a 3xx too: redirects are not followed), or not at all.
    Refused {
        /// Its status code, if it answered.
        status_code: Option<u16>,
        /// Why, in plain words.
        error: String,
    },
}

/// What a delivery becomes after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptOutcome {
    /// Its new status.
    pub status: DeliveryStatus,
    /// Attempts made, this one included.
    pub attempts: u32,
    /// The answer's status code, if any.
    pub status_code: Option<u16>,
    /// Why it failed, bounded to [`MAX_DELIVERY_ERROR_CHARS`].
    pub error: Option<String>,
    /// When the next attempt is due, when there is one.
    pub next_attempt_at: Option<DateTime<Utc>>,
}

impl AttemptOutcome {
    /// What attempt number `attempts` (from 1) that ended with `result` at `now` leads to under
    /// `policy`, with `jitter` in `[0, 1)`.
    pub fn after(policy: &RetryPolicy, attempts: u32, result: AttemptResult, now: DateTime<Utc>, jitter: f64) -> Self {
        match result {
            AttemptResult::Delivered { status_code } => Self {
                status: DeliveryStatus::Succeeded,
                attempts,
                status_code: Some(status_code),
                error: None,
                next_attempt_at: None,
            },
            AttemptResult::Refused { status_code, error } => {
                let retry = policy.allows_retry(attempts);
                Self {
                    status: if retry { DeliveryStatus::Retrying } else { DeliveryStatus::Failed },
                    attempts,
                    status_code,
                    error: Some(bounded(&error)),
                    next_attempt_at: retry.then(|| now + policy.delay(attempts, jitter)),
                }
            }
        }
    }
}

/// `text` cut to [`MAX_DELIVERY_ERROR_CHARS`] characters.
fn bounded(text: &str) -> String {
    text.chars().take(MAX_DELIVERY_ERROR_CHARS).collect()
}

#[cfg(test)]
mod tests;
