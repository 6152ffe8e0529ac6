//! The `rate_limit_windows` table: fixed-window counters, shared by every server process.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::rate_limit_windows as rl;
use crate::time::to_db_time;

/// Counts one hit against `bucket` in the window that starts at `window_start`; returns the
/// hits so far in it. Windows of the bucket that ended before `forget_before` are deleted.
pub fn hit(
    conn: &mut DbConnection,
    bucket: &str,
    window_start: DateTime<Utc>,
    forget_before: DateTime<Utc>,
) -> Result<i32, StoreError> {
    let start: NaiveDateTime = to_db_time(window_start);
    diesel::delete(rl::table.filter(rl::bucket.eq(bucket)).filter(rl::window_start.lt(to_db_time(forget_before))))
        .execute(conn)?;
    let updated = diesel::update(rl::table.find((bucket, start))).set(rl::hits.eq(rl::hits + 1)).execute(conn)?;
    if updated == 0 {
        diesel::insert_into(rl::table)
            .values((rl::bucket.eq(bucket), rl::window_start.eq(start), rl::hits.eq(1)))
            .execute(conn)?;
    }
    Ok(rl::table.find((bucket, start)).select(rl::hits).first(conn)?)
}
