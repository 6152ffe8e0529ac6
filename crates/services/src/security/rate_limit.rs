//! Sliding-window rate limits kept in the database, so every server process shares them.
//!
//! A limit's window is cut into [`SLICES`] slices; each slice is one row under a fixed-size key
//! (the SHA-256 of what is counted). An attempt is allowed while the hits of the last window —
//! the slices inside it plus the overlapping share of the oldest one — stay within the limit,
//! so a burst at a window boundary is not let through twice. Rows expire one window after their
//! slice ends and are purged now and then.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};
use sandbank_store::rate_limits::{self, WindowCount};
use sandbank_store::{Db, DbConnection, StoreError};

use crate::error::ServiceError;

/// How many slices a window is cut into.
pub const SLICES: i32 = 10;
/// The least time between two purges by one process.
pub const PURGE_EVERY: TimeDelta = TimeDelta::seconds(30);

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

    fn slice(&self) -> TimeDelta {
        (self.window / SLICES).max(TimeDelta::milliseconds(1))
    }
}

/// The limits the services apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections a user may create.
    pub connection_creations: Limit,
    /// Failed sign-ins per (e-mail address, client address).
    pub login_attempts: Limit,
    /// Sign-ups and sign-ins together per client address.
    pub auth_per_address: Limit,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            connection_creations: Limit::per_minute(10),
            login_attempts: Limit::per_minute(10),
            auth_per_address: Limit::per_minute(60),
        }
    }
}

/// What is counted, as a fixed-size key: the SHA-256 (hex) of its parts, whatever their length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateKey(String);

impl RateKey {
    /// The key of `parts` (each length-prefixed, so no two lists share a key).
    pub fn new(parts: &[&str]) -> Self {
        let mut context = ring::digest::Context::new(&ring::digest::SHA256);
        for part in parts {
            context.update(&(part.len() as u64).to_be_bytes());
            context.update(part.as_bytes());
        }
        Self(context.finish().as_ref().iter().map(|byte| format!("{byte:02x}")).collect())
    }

    /// The key's text (64 hex digits).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A counted attempt, which [`Hit::take_back_in`] can uncount.
#[derive(Debug, Clone)]
pub struct Hit {
    key: RateKey,
    slice_start: DateTime<Utc>,
}

impl Hit {
    /// Uncounts this attempt (one that turned out not to count, e.g. a successful sign-in), in
    /// the caller's transaction.
    pub fn take_back_in(&self, conn: &mut DbConnection) -> Result<(), StoreError> {
        rate_limits::unhit(conn, self.key.as_str(), self.slice_start)
    }
}

/// Where the limiter reads the time (tests inject their own).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Counts actions against their limits.
#[derive(Clone)]
pub struct RateLimiter {
    db: Db,
    clock: Clock,
    last_purge: Arc<AtomicI64>,
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter").field("db", &self.db).finish_non_exhaustive()
    }
}

impl RateLimiter {
    /// A limiter over `db` on the system clock.
    pub fn new(db: Db) -> Self {
        Self::with_clock(db, Arc::new(Utc::now))
    }

    /// A limiter over `db` that reads the time from `clock`.
    pub fn with_clock(db: Db, clock: Clock) -> Self {
        Self { db, clock, last_purge: Arc::new(AtomicI64::new(i64::MIN)) }
    }

    /// Counts one attempt under `key`; [`ServiceError::RateLimited`] (and nothing counted) when
    /// it is one too many.
    pub fn check(&self, key: &RateKey, limit: Limit) -> Result<Hit, ServiceError> {
        let mut hits = self.check_all(&[(key, limit)])?;
        hits.pop().ok_or_else(|| ServiceError::Internal("no hit counted".into()))
    }

    /// Counts one attempt under each key, in one transaction: all are counted, or — when any is
    /// one too many — none, and [`ServiceError::RateLimited`]. The hits come in the keys' order.
    pub fn check_all(&self, counts: &[(&RateKey, Limit)]) -> Result<Vec<Hit>, ServiceError> {
        let now = (self.clock)();
        let purge = self.purge_due(now);
        let count = || {
            self.db.write(|conn| {
                if purge {
                    let purged = rate_limits::purge(conn, now)?;
                    tracing::debug!(purged, "expired rate-limit windows purged");
                }
                counts.iter().map(|(key, limit)| count_attempt(conn, key, *limit, now)).collect()
            })
        };
        // Two processes may open the same slice at once: one insert wins, the other retries.
        match count() {
            Err(Refusal::Store(StoreError::UniqueViolation(_))) => count(),
            other => other,
        }
        .map_err(ServiceError::from)
    }

    /// Whether this process should purge expired rows now: at most once per [`PURGE_EVERY`]
    /// (claimed here, so concurrent requests do not all purge).
    fn purge_due(&self, now: DateTime<Utc>) -> bool {
        let last = self.last_purge.load(Ordering::Relaxed);
        let due = last == i64::MIN || now.timestamp() - last >= PURGE_EVERY.num_seconds();
        due && self.last_purge.compare_exchange(last, now.timestamp(), Ordering::AcqRel, Ordering::Relaxed).is_ok()
    }
}

/// Why counting stopped; either rolls the whole transaction back.
enum Refusal {
    /// One attempt too many; retry after this many seconds.
    Limited(u64),
    /// The database failed.
    Store(StoreError),
}

impl From<StoreError> for Refusal {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

impl From<Refusal> for ServiceError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Limited(retry_after_secs) => ServiceError::RateLimited { retry_after_secs },
            Refusal::Store(error) => error.into(),
        }
    }
}

/// Counts one attempt in the current slice (locking its row on PostgreSQL); refuses when that
/// puts the window over the limit, which rolls the transaction back.
fn count_attempt(conn: &mut DbConnection, key: &RateKey, limit: Limit, now: DateTime<Utc>) -> Result<Hit, Refusal> {
    let slice = limit.slice();
    let slice_start = slice_of(now, slice);
    rate_limits::hit(conn, key.as_str(), slice_start, slice_start + slice + limit.window)?;
    let mut recent = rate_limits::since(conn, key.as_str(), now - limit.window - slice)?;
    if estimate(&recent, now, limit) <= f64::from(limit.max) {
        return Ok(Hit { key: key.clone(), slice_start });
    }
    if let Some(current) = recent.iter_mut().find(|w| w.start == slice_start) {
        current.hits -= 1;
    }
    Err(Refusal::Limited(retry_after(&recent, now, limit)))
}

/// The start of the slice `now` falls in (slices are aligned to multiples of their length).
fn slice_of(now: DateTime<Utc>, slice: TimeDelta) -> DateTime<Utc> {
    let length_ms = slice.num_milliseconds().max(1);
    let start_ms = now.timestamp_millis().div_euclid(length_ms) * length_ms;
    DateTime::from_timestamp_millis(start_ms).unwrap_or(now)
}

/// The hits of the window that ends at `now`: whole slices inside it, plus the share of the
/// oldest slice that overlaps it.
fn estimate(recent: &[WindowCount], now: DateTime<Utc>, limit: Limit) -> f64 {
    let slice = limit.slice();
    let window_start = now - limit.window;
    let slice_ms = slice.num_milliseconds() as f64;
    recent
        .iter()
        .map(|w| {
            let end = w.start + slice;
            let inside = if w.start >= window_start {
                1.0
            } else if end <= window_start {
                0.0
            } else {
                (end - window_start).num_milliseconds() as f64 / slice_ms
            };
            f64::from(w.hits) * inside
        })
        .sum()
}

/// Whole seconds until one more attempt would be allowed, if no other comes first (at least 1).
fn retry_after(recent: &[WindowCount], now: DateTime<Utc>, limit: Limit) -> u64 {
    let horizon = (limit.window + limit.slice()).num_seconds().max(1);
    (1..=horizon)
        .find(|s| estimate(recent, now + TimeDelta::seconds(*s), limit) + 1.0 <= f64::from(limit.max))
        .and_then(|s| u64::try_from(s).ok())
        .unwrap_or(u64::try_from(horizon).unwrap_or(1))
}

#[cfg(test)]
mod tests;
