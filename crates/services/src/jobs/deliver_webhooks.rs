//! The delivery job: sends a connection's due webhook deliveries, oldest first, each as a POST
//! of the event's stored body signed at send time. No database transaction is open during a
//! request. A 2xx answer is success; anything else (a 3xx too: redirects are not followed), a
//! timeout (5 s) or a refused connection is a failed attempt, retried with backoff and jitter
//! until the policy's attempts are spent, then `failed`. The job queues itself again for the
//! connection's next due delivery.

use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use sandbank_domain::ConnectionId;
use sandbank_domain::job::{JobKind, RetryPolicy};
use sandbank_domain::webhook::{AttemptOutcome, AttemptResult, WebhookFormat};
use sandbank_store::webhooks::{self, Claim, DueDelivery};
use sandbank_store::{Db, StoreError, connections, jobs};

use crate::error::ServiceError;
use crate::security::webhook_jwt::{VERIFICATION_HEADER, WebhookJwt};
use crate::security::webhook_signature::SIGNATURE_HEADER;
use crate::use_cases::webhook_secrets::WebhookSecretService;
use crate::use_cases::webhooks::DELIVERY_JOB_ATTEMPTS;

/// How long one request may take in all.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a claimed delivery stays the claimer's (well over one request's timeout).
const CLAIM: TimeDelta = TimeDelta::seconds(60);
/// How long one run of the job sends before it hands over to a fresh run (under the job's lease).
const RUN_BUDGET: Duration = Duration::from_secs(30);
/// The event type header.
pub const EVENT_HEADER: &str = "Sandbank-Event";
/// The delivery id header (the same on every attempt, for idempotency).
pub const DELIVERY_ID_HEADER: &str = "Sandbank-Delivery-Id";

/// Sends webhook deliveries.
#[derive(Debug, Clone)]
pub struct WebhookDeliverer {
    db: Db,
    secrets: WebhookSecretService,
    jwt: WebhookJwt,
    policy: RetryPolicy,
    agent: ureq::Agent,
}

impl WebhookDeliverer {
    /// A deliverer over `db`, signing Sandbank-format events with the users' `secrets` and
    /// Plaid-format ones with `jwt`, and retrying as `policy` says.
    pub fn new(db: Db, secrets: WebhookSecretService, jwt: WebhookJwt, policy: RetryPolicy) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(REQUEST_TIMEOUT))
            .max_redirects(0)
            .http_status_as_error(false)
            .proxy(None)
            .user_agent(concat!("Sandbank-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build();
        Self { db, secrets, jwt, policy, agent: config.into() }
    }

    /// Sends the connection's due deliveries in order until none is due (or the run's budget is
    /// spent), then queues the job again for the next one; returns how many attempts it made.
    pub fn deliver_due(&self, connection: ConnectionId) -> Result<usize, ServiceError> {
        let started = Instant::now();
        let mut attempts = 0;
        loop {
            let now = Utc::now();
            let next_run = match self.db.write(|conn| webhooks::claim_next(conn, connection, now, now + CLAIM))? {
                Claim::Idle => return Ok(attempts),
                Claim::Later(at) => at,
                Claim::Due(due) => {
                    self.attempt(&due)?;
                    attempts += 1;
                    if started.elapsed() < RUN_BUDGET {
                        continue;
                    }
                    Utc::now()
                }
            };
            self.requeue(connection, next_run)?;
            return Ok(attempts);
        }
    }

    /// Makes one attempt and records how it ended.
    fn attempt(&self, due: &DueDelivery) -> Result<(), ServiceError> {
        let delivery = &due.delivery;
        let result = match self.signature(due) {
            Ok(signature) => self.send(due, signature),
            Err(error) => AttemptResult::Refused { status_code: None, error: format!("cannot sign: {error}") },
        };
        let attempts = delivery.attempts.saturating_add(1);
        let outcome = AttemptOutcome::after(&self.policy, attempts, result, Utc::now(), super::worker::jitter());
        self.db.write(|conn| webhooks::record_attempt(conn, delivery.id, &outcome))?;
        tracing::info!(
            delivery_id = %delivery.id, connection_id = %delivery.connection_id, attempt = attempts,
            status = %outcome.status, code = ?outcome.status_code, "webhook attempt"
        );
        Ok(())
    }

    /// The signature header of the body, as its format wants it, made now (wall-clock time).
    fn signature(&self, due: &DueDelivery) -> Result<(&'static str, String), ServiceError> {
        let (now, body) = (Utc::now(), due.body.as_bytes());
        Ok(match due.format {
            WebhookFormat::Sandbank => {
                let secrets = self.secrets.signing_secrets(due.delivery.user_id, now)?;
                (SIGNATURE_HEADER, secrets.header_value(now.timestamp(), body))
            }
            WebhookFormat::Plaid => (VERIFICATION_HEADER, self.jwt.sign(body, now.timestamp())?),
        })
    }

    /// POSTs the body with its headers (the signature one is `(name, value)`); no transaction
    /// is open.
    fn send(&self, due: &DueDelivery, (header, signature): (&str, String)) -> AttemptResult {
        let delivery = &due.delivery;
        let sent = self
            .agent
            .post(&delivery.url)
            .header("Content-Type", "application/json")
            .header(header, signature)
            .header(EVENT_HEADER, delivery.event_type.as_str())
            .header(DELIVERY_ID_HEADER, delivery.id.to_string())
            .send(due.body.as_bytes());
        match sent {
            Ok(response) => {
                let code = response.status().as_u16();
                match code {
                    200..=299 => AttemptResult::Delivered { status_code: code },
                    300..=399 => AttemptResult::Refused {
                        status_code: Some(code),
                        error: format!("HTTP {code}: redirects are not followed"),
                    },
                    _ => AttemptResult::Refused { status_code: Some(code), error: format!("HTTP {code}") },
                }
            }
            Err(error) => AttemptResult::Refused { status_code: None, error: error.to_string() },
        }
    }

    /// Queues the delivery job for the connection at `at` (or brings a queued one forward).
    fn requeue(&self, connection: ConnectionId, at: chrono::DateTime<Utc>) -> Result<(), ServiceError> {
        self.db.write(|conn| {
            let owner = connections::find(conn, connection)?.ok_or(StoreError::NotFound)?.user_id;
            let kind = JobKind::DeliverWebhooks;
            Ok(jobs::ensure_queued(conn, kind, owner, connection, DELIVERY_JOB_ATTEMPTS, at)?)
        })
    }
}
