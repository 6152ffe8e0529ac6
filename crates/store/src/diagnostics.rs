//! What an operator (or a benchmark) asks the database about its own health.

use std::time::Duration;

use diesel::RunQueryDsl;
use diesel::sql_types::Double;

use crate::db::DbConnection;
use crate::error::StoreError;

#[derive(diesel::QueryableByName)]
struct Age {
    #[diesel(sql_type = Double)]
    seconds: f64,
}

/// How long the oldest transaction of another session of this database has been open, on
/// PostgreSQL; `None` on SQLite, whose one write lock a second writer measures by waiting for it.
pub fn oldest_open_transaction(conn: &mut DbConnection) -> Result<Option<Duration>, StoreError> {
    let DbConnection::Pg(pg) = conn else {
        return Ok(None);
    };
    let age: Age = diesel::sql_query(
        "SELECT COALESCE(MAX(EXTRACT(EPOCH FROM clock_timestamp() - xact_start)), 0)::float8 AS seconds \
         FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL",
    )
    .get_result(pg)?;
    Ok(Some(Duration::from_secs_f64(age.seconds.max(0.0))))
}

/// Refreshes the query planner's statistics of every table (`ANALYZE`), as autovacuum on
/// PostgreSQL would after a bulk load; without them PostgreSQL may guess that a big user has a
/// few hundred rows and sort all of them for one page.
pub fn refresh_statistics(conn: &mut DbConnection) -> Result<(), StoreError> {
    diesel::sql_query("ANALYZE").execute(conn)?;
    Ok(())
}
