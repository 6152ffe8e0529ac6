//! Multi-row inserts. diesel's batch insert does not go through `DbConnection`, so the one
//! place that does it matches on the backend and inserts with the backend's own connection.

/// Rows per statement: well under both backends' limits on bound parameters.
pub(crate) const CHUNK: usize = 500;

/// Inserts `rows` (a slice of `Insertable` rows) into `table` in chunks; evaluates to the count.
macro_rules! insert_batch {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let mut inserted = 0usize;
        for chunk in $rows.chunks($crate::batch::CHUNK) {
            inserted += match &mut *$conn {
                $crate::db::DbConnection::Pg(c) => diesel::insert_into($table).values(chunk).execute(c)?,
                $crate::db::DbConnection::Sqlite(c) => diesel::insert_into($table).values(chunk).execute(c)?,
            };
        }
        inserted
    }};
}

pub(crate) use insert_batch;
