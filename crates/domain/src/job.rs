//! Background jobs: their kinds, states and the retry policy (exponential backoff with jitter).

use chrono::{DateTime, TimeDelta, Utc};

use crate::ids::{ConnectionId, JobId, UserId};
use crate::text_enum::text_enum;

text_enum!(
    /// What a job does.
    JobKind {
        /// Sync one connection.
        SyncProviderConnection => "sync_provider_connection",
        /// Check each account's reported balances against its transactions.
        CalculateAccountBalance => "calculate_account_balance",
        /// Fill or correct categories by rules.
        CategorizeTransactions => "categorize_transactions",
        /// Send a connection's due webhook deliveries, oldest first.
        DeliverWebhooks => "deliver_webhooks",
    }
);

text_enum!(
    /// Where a job is.
    JobStatus {
        /// Waiting for its `run_at`.
        Queued => "queued",
        /// Held by a worker until its lease runs out.
        Running => "running",
        /// Done.
        Succeeded => "succeeded",
        /// Out of attempts.
        Failed => "failed",
    }
);

/// How failed jobs are retried: attempt `n` (from 1) waits `base · factor^(n−1)`, at most `cap`,
/// scaled by a jitter between ½ and 1; after `max_attempts` the job fails for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The first delay.
    pub base: TimeDelta,
    /// How much each delay grows.
    pub factor: u32,
    /// The longest delay.
    pub cap: TimeDelta,
    /// Attempts before giving up.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { base: TimeDelta::seconds(2), factor: 2, cap: TimeDelta::minutes(5), max_attempts: 5 }
    }
}

impl RetryPolicy {
    /// The delay after failed attempt `attempt` (1-based), with `jitter` in `[0, 1)`.
    pub fn delay(&self, attempt: u32, jitter: f64) -> TimeDelta {
        let growth = i64::from(self.factor).checked_pow(attempt.saturating_sub(1)).unwrap_or(i64::MAX);
        let undelayed = self.base.num_milliseconds().saturating_mul(growth).min(self.cap.num_milliseconds());
        let scale = 0.5 + jitter.clamp(0.0, 1.0) / 2.0;
        TimeDelta::milliseconds((undelayed as f64 * scale).round() as i64)
    }

    /// Whether a job that has made `attempts` attempts may try again.
    pub fn allows_retry(&self, attempts: u32) -> bool {
        attempts < self.max_attempts
    }
}

/// A background job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Its id.
    pub id: JobId,
    /// What it does.
    pub kind: JobKind,
    /// Where it is.
    pub status: JobStatus,
    /// Who asked for it, if a user did.
    pub user_id: Option<UserId>,
    /// The connection it concerns.
    pub connection_id: Option<ConnectionId>,
    /// Attempts made so far.
    pub attempts: u32,
    /// Attempts allowed.
    pub max_attempts: u32,
    /// When it may (next) run.
    pub run_at: DateTime<Utc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was enqueued.
    pub created_at: DateTime<Utc>,
    /// When it succeeded or failed for good.
    pub finished_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_exponentially_up_to_the_cap_with_jitter() {
        let policy =
            RetryPolicy { base: TimeDelta::seconds(1), factor: 2, cap: TimeDelta::seconds(10), max_attempts: 4 };
        let full: Vec<i64> = (1..=6).map(|n| policy.delay(n, 0.999_999).num_milliseconds()).collect();
        assert_eq!(full, [1000, 2000, 4000, 8000, 10_000, 10_000]);
        let half: Vec<i64> = (1..=4).map(|n| policy.delay(n, 0.0).num_milliseconds()).collect();
        assert_eq!(half, [500, 1000, 2000, 4000]);
        assert!(policy.allows_retry(3) && !policy.allows_retry(4));
        assert_eq!(policy.delay(60, 0.5).num_milliseconds(), 7500, "no overflow");
    }
}
