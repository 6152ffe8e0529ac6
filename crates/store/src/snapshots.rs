//! The `balance_snapshots` table: one row per account and day.

use chrono::NaiveDate;
use diesel::prelude::*;
use sandbank_domain::AccountId;
use sandbank_domain::bank_data::ReportedBalances;
use sandbank_domain::money::Currency;

use crate::batch::insert_batch;
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::balance_snapshots as bs;
use crate::sql_types::DbId;
use crate::time::now_for_db;

#[derive(Insertable)]
#[diesel(table_name = bs)]
struct NewSnapshotRow {
    id: DbId,
    account_id: DbId,
    date: NaiveDate,
    currency: String,
    current_balance_minor: i64,
    available_balance_minor: i64,
    created_at: chrono::NaiveDateTime,
}

/// Replaces the account's snapshots of the days `snapshots` spans (first to last) with these.
pub fn replace_days(
    conn: &mut DbConnection,
    account_id: AccountId,
    snapshots: &[ReportedBalances],
) -> Result<usize, StoreError> {
    let (Some(first), Some(last)) = (snapshots.first(), snapshots.last()) else { return Ok(0) };
    diesel::delete(
        bs::table
            .filter(bs::account_id.eq(DbId::of(account_id)))
            .filter(bs::date.ge(first.date))
            .filter(bs::date.le(last.date)),
    )
    .execute(conn)?;
    let now = now_for_db();
    let rows: Vec<NewSnapshotRow> = snapshots
        .iter()
        .map(|s| NewSnapshotRow {
            id: DbId::of(uuid::Uuid::now_v7()),
            account_id: DbId::of(account_id),
            date: s.date,
            currency: s.current.currency().to_string(),
            current_balance_minor: s.current.minor_units(),
            available_balance_minor: s.available.minor_units(),
            created_at: now,
        })
        .collect();
    Ok(insert_batch!(conn, bs::table, rows))
}

/// An account's snapshots for days in `start..=end` (either end open), oldest first.
pub fn list(
    conn: &mut DbConnection,
    account_id: AccountId,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> Result<Vec<ReportedBalances>, StoreError> {
    let mut query = bs::table.filter(bs::account_id.eq(DbId::of(account_id))).into_boxed();
    if let Some(start) = start {
        query = query.filter(bs::date.ge(start));
    }
    if let Some(end) = end {
        query = query.filter(bs::date.le(end));
    }
    let rows: Vec<(NaiveDate, String, i64, i64)> = query
        .order(bs::date.asc())
        .select((bs::date, bs::currency, bs::current_balance_minor, bs::available_balance_minor))
        .load(conn)?;
    rows.into_iter().map(balances).collect()
}

/// An account's latest snapshot on or before `day`, if any.
pub fn latest_on_or_before(
    conn: &mut DbConnection,
    account_id: AccountId,
    day: NaiveDate,
) -> Result<Option<ReportedBalances>, StoreError> {
    let row: Option<(NaiveDate, String, i64, i64)> = bs::table
        .filter(bs::account_id.eq(DbId::of(account_id)))
        .filter(bs::date.le(day))
        .order(bs::date.desc())
        .select((bs::date, bs::currency, bs::current_balance_minor, bs::available_balance_minor))
        .first(conn)
        .optional()?;
    row.map(balances).transpose()
}

/// A snapshot row as the domain's balances.
fn balances(
    (date, currency, current, available): (NaiveDate, String, i64, i64),
) -> Result<ReportedBalances, StoreError> {
    let currency: Currency = currency.parse().map_err(|e| StoreError::corrupt("currency", e))?;
    Ok(ReportedBalances {
        date,
        current: sandbank_domain::Money::from_minor(current, currency),
        available: sandbank_domain::Money::from_minor(available, currency),
    })
}
