//! The change feed's rows: each user's change sequence, the stamps it leaves on transactions
//! (`change_seq`, `created_seq`), the `transaction_removals` a removed row leaves, and the feed
//! read back in `(seq, id)` order.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use sandbank_domain::change_feed::{ChangedTransaction, FeedChange, FeedPosition, RemovedTransaction};
use sandbank_domain::{ConnectionId, TransactionId, UserId};

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::fragments::Past;
use crate::schema::financial_transactions as ft;
use crate::schema::transaction_removals as removals;
use crate::schema::users;
use crate::sql_types::DbId;
use crate::time::{now_for_db, to_db_time};
use crate::transactions::TransactionRow;

/// The sequence number of one write transaction's changes to one user's transactions, taken
/// from the user's row when first needed. Taking it updates that row, which holds the row lock
/// to the commit: the user's writers run one after another, so their numbers commit in order
/// and a reader that stops at the committed number never skips one that commits later.
#[derive(Debug)]
pub struct ChangeStamp {
    user: UserId,
    seq: Option<i64>,
}

impl ChangeStamp {
    /// A stamp for changes to `user`'s transactions; no number is taken yet.
    pub fn new(user: UserId) -> Self {
        Self { user, seq: None }
    }

    /// This write's number: the user's next, taken on the first call.
    pub fn seq(&mut self, conn: &mut DbConnection) -> Result<i64, StoreError> {
        if let Some(seq) = self.seq {
            return Ok(seq);
        }
        let seq = diesel::update(users::table.find(DbId::of(self.user)))
            .set(users::change_seq.eq(users::change_seq + 1))
            .returning(users::change_seq)
            .get_result(conn)?;
        self.seq = Some(seq);
        Ok(seq)
    }
}

/// Where a user's feed stands: the last committed sequence number, and the horizon below which
/// removals were purged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedState {
    /// The last committed change's number.
    pub committed_seq: i64,
    /// Removals up to this number are gone: a reader before it must start over.
    pub horizon_seq: i64,
}

/// The user's feed state.
pub fn state(conn: &mut DbConnection, user: UserId) -> Result<FeedState, StoreError> {
    let (committed_seq, horizon_seq) =
        users::table.find(DbId::of(user)).select((users::change_seq, users::feed_horizon_seq)).first(conn)?;
    Ok(FeedState { committed_seq, horizon_seq })
}

/// Which changes a feed covers.
#[derive(Debug, Clone, Copy)]
pub struct FeedScope {
    /// The user's.
    pub user: UserId,
    /// Only this connection's.
    pub connection: Option<ConnectionId>,
}

/// At most `limit` changes after `after` and up to `through`, in `(seq, id)` order: the
/// transactions as they are now and the removals, merged.
pub fn after(
    conn: &mut DbConnection,
    scope: FeedScope,
    after: FeedPosition,
    through: i64,
    limit: i64,
) -> Result<Vec<FeedChange>, StoreError> {
    let mut changes = changed_after(conn, scope, after, through, limit)?;
    changes.extend(removed_after(conn, scope, after, through, limit)?);
    changes.sort_by_key(FeedChange::key);
    changes.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(changes)
}

/// `(seq column, id column) > (seq, id)`: past a position inside one write's changes, as a
/// row-value comparison the `(…, seq, id)` indexes serve. `columns` names the two columns.
fn past<QS>(
    columns: &'static str,
    seq: i64,
    id: TransactionId,
) -> Box<dyn BoxableExpression<QS, crate::db::MultiBackend, SqlType = diesel::sql_types::Bool>> {
    Box::new(Past::<diesel::sql_types::BigInt, _>::new(columns, false, seq, DbId::of(id)))
}

/// The stored transactions changed after `after` and up to `through`.
fn changed_after(
    conn: &mut DbConnection,
    scope: FeedScope,
    after: FeedPosition,
    through: i64,
    limit: i64,
) -> Result<Vec<FeedChange>, StoreError> {
    let mut query = ft::table.filter(ft::user_id.eq(DbId::of(scope.user))).into_boxed();
    if let Some(connection) = scope.connection {
        query = query.filter(ft::connection_id.eq(DbId::of(connection)));
    }
    query = match after.id {
        None => query.filter(ft::change_seq.gt(after.seq)),
        Some(id) => query.filter(past("change_seq, id", after.seq, id)),
    };
    let rows: Vec<(TransactionRow, i64, i64, Option<i64>)> = query
        .filter(ft::change_seq.le(through))
        .order((ft::change_seq.asc(), ft::id.asc()))
        .limit(limit)
        .select((TransactionRow::as_select(), ft::created_seq, ft::change_seq, ft::posted_seq))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(row, created_seq, change_seq, posted_seq)| {
            let transaction = row.into();
            FeedChange::Changed(ChangedTransaction { transaction, created_seq, change_seq, posted_seq })
        })
        .collect())
}

/// The removals after `after` and up to `through`.
fn removed_after(
    conn: &mut DbConnection,
    scope: FeedScope,
    after: FeedPosition,
    through: i64,
    limit: i64,
) -> Result<Vec<FeedChange>, StoreError> {
    let mut query = removals::table.filter(removals::user_id.eq(DbId::of(scope.user))).into_boxed();
    if let Some(connection) = scope.connection {
        query = query.filter(removals::connection_id.eq(DbId::of(connection)));
    }
    query = match after.id {
        None => query.filter(removals::removed_seq.gt(after.seq)),
        Some(id) => query.filter(past("removed_seq, transaction_id", after.seq, id)),
    };
    let rows: Vec<(DbId, DbId, DbId, i64, Option<i64>, i64)> = query
        .filter(removals::removed_seq.le(through))
        .order((removals::removed_seq.asc(), removals::transaction_id.asc()))
        .limit(limit)
        .select((
            removals::transaction_id,
            removals::account_id,
            removals::connection_id,
            removals::created_seq,
            removals::posted_seq,
            removals::removed_seq,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, account_id, connection_id, created_seq, posted_seq, removed_seq)| {
            FeedChange::Removed(RemovedTransaction {
                id: id.into(),
                account_id: account_id.into(),
                connection_id: connection_id.into(),
                created_seq,
                posted_seq,
                removed_seq,
            })
        })
        .collect())
}

/// Which stored transactions a removal concerns.
#[derive(Debug, Clone, Copy)]
pub enum Removing<'a> {
    /// These.
    Ids(&'a [TransactionId]),
    /// All of a connection's (a purge).
    Connection(ConnectionId),
}

/// Records the removal of the transactions `which` at `seq`, before they are deleted (in the
/// same write transaction). Returns how many.
pub fn record_removals(conn: &mut DbConnection, which: Removing<'_>, seq: i64) -> Result<usize, StoreError> {
    let now = now_for_db();
    let source = || {
        ft::table.select((
            ft::id,
            ft::user_id,
            ft::connection_id,
            ft::account_id,
            ft::created_seq,
            ft::posted_seq,
            seq.into_sql::<diesel::sql_types::BigInt>(),
            now.into_sql::<diesel::sql_types::Timestamp>(),
        ))
    };
    let columns = (
        removals::transaction_id,
        removals::user_id,
        removals::connection_id,
        removals::account_id,
        removals::created_seq,
        removals::posted_seq,
        removals::removed_seq,
        removals::removed_at,
    );
    let mut recorded = 0;
    match which {
        Removing::Ids(ids) => {
            let ids: Vec<DbId> = ids.iter().map(|id| DbId::of(*id)).collect();
            for chunk in ids.chunks(crate::batch::CHUNK) {
                let rows = source().filter(ft::id.eq_any(chunk));
                recorded += diesel::insert_into(removals::table).values(rows).into_columns(columns).execute(conn)?;
            }
        }
        Removing::Connection(id) => {
            let rows = source().filter(ft::connection_id.eq(DbId::of(id)));
            recorded += diesel::insert_into(removals::table).values(rows).into_columns(columns).execute(conn)?;
        }
    }
    Ok(recorded)
}

/// When the user's oldest kept removal happened, if any is kept.
pub fn oldest_removal(conn: &mut DbConnection, user: UserId) -> Result<Option<DateTime<Utc>>, StoreError> {
    let oldest: Option<chrono::NaiveDateTime> = removals::table
        .filter(removals::user_id.eq(DbId::of(user)))
        .select(diesel::dsl::min(removals::removed_at))
        .first(conn)?;
    Ok(oldest.map(crate::time::from_db_time))
}

/// Deletes the user's removals older than `cutoff` and moves the user's horizon past them, so
/// a cursor from before them is known to be expired. Returns how many were deleted.
pub fn purge_removals(conn: &mut DbConnection, user: UserId, cutoff: DateTime<Utc>) -> Result<usize, StoreError> {
    let old = removals::table
        .filter(removals::user_id.eq(DbId::of(user)))
        .filter(removals::removed_at.lt(to_db_time(cutoff)));
    let newest: Option<i64> = old.select(diesel::dsl::max(removals::removed_seq)).first(conn)?;
    let Some(newest) = newest else { return Ok(0) };
    let purged = diesel::delete(
        removals::table.filter(removals::user_id.eq(DbId::of(user))).filter(removals::removed_seq.le(newest)),
    )
    .execute(conn)?;
    diesel::update(users::table.find(DbId::of(user)).filter(users::feed_horizon_seq.lt(newest)))
        .set(users::feed_horizon_seq.eq(newest))
        .execute(conn)?;
    Ok(purged)
}
