//! Fixed-window rate limits kept in the database, so every server process shares them.

use chrono::{DateTime, TimeDelta, Utc};
use sandbank_store::{Db, StoreError, rate_limits};

use crate::error::ServiceError;

/// How many of an action are allowed per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Allowed per window.
    pub max: u32,
    /// The window's length.
    pub window: TimeDelta,
}

impl Limit {
    /// `max` a minute.
    pub const fn per_minute(max: u32) -> Self {
        Self { max, window: TimeDelta::minutes(1) }
    }
}

/// The limits the services apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections a user may create.
    pub connection_creations: Limit,
    /// Sign-in attempts per e-mail address.
    pub login_attempts: Limit,
}

impl Default for Limits {
    fn default() -> Self {
        Self { connection_creations: Limit::per_minute(10), login_attempts: Limit::per_minute(10) }
    }
}

/// Counts actions against their limits.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    db: Db,
}

impl RateLimiter {
    /// A limiter over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Counts one `bucket` action; [`ServiceError::RateLimited`] when it is one too many.
    pub fn check(&self, bucket: &str, limit: Limit) -> Result<(), ServiceError> {
        let now = Utc::now();
        let (start, end) = window_of(now, limit.window);
        let forget_before = start - limit.window;
        let record = || self.db.write(|conn| rate_limits::hit(conn, bucket, start, forget_before));
        // Two processes may open the same window at once: one insert wins, the other retries.
        let hits = match record() {
            Err(StoreError::UniqueViolation(_)) => record()?,
            other => other?,
        };
        if hits > i32::try_from(limit.max).unwrap_or(i32::MAX) {
            let seconds = ((end - now).num_milliseconds().max(0) + 999) / 1000;
            return Err(ServiceError::RateLimited { retry_after_secs: u64::try_from(seconds).unwrap_or(1).max(1) });
        }
        Ok(())
    }
}

/// The window `now` falls in: `[start, end)`, aligned to multiples of its length.
fn window_of(now: DateTime<Utc>, length: TimeDelta) -> (DateTime<Utc>, DateTime<Utc>) {
    let length_ms = length.num_milliseconds().max(1);
    let start_ms = now.timestamp_millis().div_euclid(length_ms) * length_ms;
    let start = DateTime::from_timestamp_millis(start_ms).unwrap_or(now);
    (start, start + length)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_aligned() {
        let now = DateTime::from_timestamp(1_700_000_123, 0).expect("time");
        let (start, end) = window_of(now, TimeDelta::minutes(1));
        assert_eq!(start.timestamp(), 1_700_000_100);
        assert_eq!(end.timestamp(), 1_700_000_160);
    }
}
