//! Workers that claim jobs under a lease and retry failures with exponential backoff and
//! jitter, and the threads that run them and the scheduler.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use ring::rand::{SecureRandom, SystemRandom};
use sandbank_domain::JobId;
use sandbank_domain::job::{Job, JobKind, JobStatus, RetryPolicy};
use sandbank_store::{Db, jobs};

use crate::error::ServiceError;
use crate::use_cases::connections::ConnectionService;

use super::deliver_webhooks::WebhookDeliverer;

use super::queue::JobQueue;

/// What became of one claimed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It ran and succeeded.
    Succeeded(JobId),
    /// It failed and will be tried again.
    Retrying(JobId),
    /// It failed for good.
    Failed(JobId),
}

/// A worker: claims jobs one at a time and runs them.
#[derive(Debug, Clone)]
pub struct Worker {
    db: Db,
    connections: ConnectionService,
    webhooks: WebhookDeliverer,
    policy: RetryPolicy,
    lease: TimeDelta,
    name: String,
}

impl Worker {
    /// A worker named `name` (unique per worker, e.g. host/process/thread) that syncs through
    /// `connections` and sends webhooks through `webhooks`.
    pub fn new(
        db: Db,
        connections: ConnectionService,
        webhooks: WebhookDeliverer,
        policy: RetryPolicy,
        lease: TimeDelta,
        name: String,
    ) -> Self {
        Self { db, connections, webhooks, policy, lease, name }
    }

    /// Claims one due job and runs it; `None` when nothing is due.
    pub fn run_once(&self) -> Result<Option<Outcome>, ServiceError> {
        let now = Utc::now();
        let claimed = self.db.write(|conn| jobs::claim(conn, &self.name, now, now + self.lease))?;
        let Some(job) = claimed else { return Ok(None) };
        let result = self.execute(&job);
        let (status, retry_at, error) = match &result {
            Ok(()) => (JobStatus::Succeeded, None, None),
            Err(error) if retryable(error) && self.policy.allows_retry(job.attempts) => {
                let delay = self.policy.delay(job.attempts, jitter());
                (JobStatus::Queued, Some(Utc::now() + delay), Some(error.to_string()))
            }
            Err(error) => (JobStatus::Failed, None, Some(error.to_string())),
        };
        let held = self.db.write(|conn| jobs::settle(conn, job.id, &self.name, status, retry_at, error.as_deref()))?;
        if !held {
            tracing::warn!(job_id = %job.id, worker = %self.name, "lease ran out before the job ended; another worker took it");
        }
        tracing::info!(job_id = %job.id, kind = %job.kind, attempt = job.attempts, status = %status, "job ran");
        Ok(Some(match status {
            JobStatus::Succeeded => Outcome::Succeeded(job.id),
            JobStatus::Queued => Outcome::Retrying(job.id),
            _ => Outcome::Failed(job.id),
        }))
    }

    fn execute(&self, job: &Job) -> Result<(), ServiceError> {
        let connection = job.connection_id.ok_or(ServiceError::NotFound("connection"))?;
        match job.kind {
            JobKind::SyncProviderConnection => self.connections.sync_for_job(connection).map(|_| ()),
            JobKind::CategorizeTransactions => {
                let corrected = crate::jobs::categorize::categorize(&self.db, connection)?;
                tracing::info!(connection_id = %connection, corrected, "transactions categorized");
                Ok(())
            }
            JobKind::DeliverWebhooks => {
                let attempts = self.webhooks.deliver_due(connection)?;
                tracing::debug!(connection_id = %connection, attempts, "webhooks delivered");
                Ok(())
            }
            JobKind::CalculateAccountBalance => {
                let matched = crate::jobs::reconcile::reconcile(&self.db, connection)?;
                tracing::info!(connection_id = %connection, matched, "balances checked");
                Ok(())
            }
        }
    }

    /// Runs jobs until `stop` is set, sleeping `idle` between polls when nothing is due.
    pub fn run(&self, stop: &AtomicBool, idle: Duration) {
        while !stop.load(Ordering::Relaxed) {
            match self.run_once() {
                Ok(Some(_)) => {}
                Ok(None) => std::thread::sleep(idle),
                Err(error) => {
                    tracing::error!(%error, worker = %self.name, "worker could not claim a job");
                    std::thread::sleep(idle * 10);
                }
            }
        }
    }
}

/// Failures worth another attempt: the provider or the database was away.
fn retryable(error: &ServiceError) -> bool {
    matches!(
        error,
        ServiceError::ProviderUnavailable(_) | ServiceError::Store(sandbank_store::StoreError::Unavailable(_))
    )
}

/// A random fraction in `[0, 1)`.
pub(crate) fn jitter() -> f64 {
    let mut bytes = [0u8; 4];
    let _ = SystemRandom::new().fill(&mut bytes);
    f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0)
}

/// Starts `count` worker threads and, if `schedule_every` is set, a scheduler thread; they stop
/// when the returned flag is set.
pub fn spawn(
    queue: JobQueue,
    worker: Worker,
    count: usize,
    schedule_every: Option<Duration>,
    idle: Duration,
) -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    for n in 0..count {
        let mut worker = worker.clone();
        worker.name = format!("{}-{n}", worker.name);
        let stop = stop.clone();
        std::thread::spawn(move || worker.run(&stop, idle));
    }
    if let Some(every) = schedule_every {
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Err(error) = queue.schedule_syncs() {
                    tracing::error!(%error, "scheduler could not queue syncs");
                }
                std::thread::sleep(every);
            }
        });
    }
    stop
}
