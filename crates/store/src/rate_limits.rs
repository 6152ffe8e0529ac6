//! The `rate_limit_windows` table: per-window counters under fixed-size keys, shared by every
//! server process. Each row carries `expires_at`, after which [`purge`] deletes it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::rate_limit_windows as rl;
use crate::time::{from_db_time, to_db_time};

/// Counts one hit against `bucket` in the window that starts at `window_start` (the row is
/// kept until `expires_at`); returns the hits so far in it. Run it inside a write transaction:
/// on PostgreSQL the update locks the row until the transaction ends.
pub fn hit(
    conn: &mut DbConnection,
    bucket: &str,
    window_start: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<i32, StoreError> {
    let start = to_db_time(window_start);
    let updated = diesel::update(rl::table.find((bucket, start))).set(rl::hits.eq(rl::hits + 1)).execute(conn)?;
    if updated == 0 {
        diesel::insert_into(rl::table)
            .values((
                rl::bucket.eq(bucket),
                rl::window_start.eq(start),
                rl::hits.eq(1),
                rl::expires_at.eq(to_db_time(expires_at)),
            ))
            .execute(conn)?;
    }
    hits(conn, bucket, window_start)
}

/// The hits counted against `bucket` in the window that starts at `window_start` (0 if none).
pub fn hits(conn: &mut DbConnection, bucket: &str, window_start: DateTime<Utc>) -> Result<i32, StoreError> {
    let found = rl::table.find((bucket, to_db_time(window_start))).select(rl::hits).first(conn).optional()?;
    Ok(found.unwrap_or(0))
}

/// One window's count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowCount {
    /// When the window starts.
    pub start: DateTime<Utc>,
    /// Hits counted in it.
    pub hits: i32,
}

/// The windows of `bucket` that start at or after `since`, oldest first.
pub fn since(conn: &mut DbConnection, bucket: &str, since: DateTime<Utc>) -> Result<Vec<WindowCount>, StoreError> {
    let rows: Vec<(chrono::NaiveDateTime, i32)> = rl::table
        .filter(rl::bucket.eq(bucket))
        .filter(rl::window_start.ge(to_db_time(since)))
        .order(rl::window_start.asc())
        .select((rl::window_start, rl::hits))
        .load(conn)?;
    Ok(rows.into_iter().map(|(start, hits)| WindowCount { start: from_db_time(start), hits }).collect())
}

/// Takes back one hit of `bucket` in the window that starts at `window_start`, if it has any.
pub fn unhit(conn: &mut DbConnection, bucket: &str, window_start: DateTime<Utc>) -> Result<(), StoreError> {
    diesel::update(rl::table.find((bucket, to_db_time(window_start))).filter(rl::hits.gt(0)))
        .set(rl::hits.eq(rl::hits - 1))
        .execute(conn)?;
    Ok(())
}

/// Deletes every window that expired before `now`; returns how many.
pub fn purge(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<usize, StoreError> {
    Ok(diesel::delete(rl::table.filter(rl::expires_at.lt(to_db_time(now)))).execute(conn)?)
}

/// How many window rows exist (for tests and diagnostics).
pub fn count(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(rl::table.count().get_result(conn)?)
}
