//! Recurring charges: the subscriptions and bills in a user's history, found by
//! [`sandbank_domain::recurring::detect`] over each connection's debits as of that connection's
//! "today" (its sandbox clock).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Days, NaiveDate, Utc};
use sandbank_domain::recurring::{self, ChargeRow, HISTORY_DAYS, RecurringCharge};
use sandbank_domain::{AccountId, ConnectionId, UserId};
use sandbank_store::recurring::{self as store, DebitFilter};
use sandbank_store::{Db, DbConnection, connections};

use crate::error::ServiceError;
use crate::use_cases::accounts::owned as owned_account;
use crate::use_cases::connections::owned as owned_connection;

/// Whose recurring charges to find: all the user's, or one account's or connection's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecurringFilter {
    /// Only this account's (it must be the user's).
    pub account_id: Option<AccountId>,
    /// Only this connection's (it must be the user's).
    pub connection_id: Option<ConnectionId>,
}

/// Finds users' recurring charges.
#[derive(Debug, Clone)]
pub struct RecurringService {
    db: Db,
}

impl RecurringService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The user's recurring charges now (accounts kept from disconnected connections count
    /// too), sorted by next expected date, merchant, then account. An account or connection
    /// named in `filter` must be the user's (403 otherwise, 404 when missing).
    pub fn list(&self, user: UserId, filter: &RecurringFilter) -> Result<Vec<RecurringCharge>, ServiceError> {
        self.list_at(user, filter, Utc::now())
    }

    /// As [`Self::list`], at the instant `now`: each connection's charges as of its own today
    /// (`now` moved by its sandbox clock), from the [`HISTORY_DAYS`] before it.
    pub fn list_at(
        &self,
        user: UserId,
        filter: &RecurringFilter,
        now: DateTime<Utc>,
    ) -> Result<Vec<RecurringCharge>, ServiceError> {
        self.db.read(|conn| {
            if let Some(account) = filter.account_id {
                owned_account(conn, user, account)?;
            }
            if let Some(connection) = filter.connection_id {
                owned_connection(conn, user, connection)?;
            }
            found(conn, user, filter, now)
        })
    }
}

/// What [`RecurringService::list_at`] finds, the filter's ownership checked.
fn found(
    conn: &mut DbConnection,
    user: UserId,
    filter: &RecurringFilter,
    now: DateTime<Utc>,
) -> Result<Vec<RecurringCharge>, ServiceError> {
    let todays: HashMap<ConnectionId, NaiveDate> =
        connections::list_for_user(conn, user)?.iter().map(|c| (c.id, c.today(now))).collect();
    let Some(since) = todays.values().min().and_then(|d| d.checked_sub_days(Days::new(HISTORY_DAYS))) else {
        return Ok(Vec::new());
    };
    let debits_filter = DebitFilter { account_id: filter.account_id, connection_id: filter.connection_id, since };
    let mut by_connection: BTreeMap<ConnectionId, Vec<ChargeRow>> = BTreeMap::new();
    for row in store::debits(conn, user, &debits_filter)? {
        by_connection.entry(row.connection_id).or_default().push(row);
    }
    let mut charges = Vec::new();
    for (connection, mut rows) in by_connection {
        let Some(today) = todays.get(&connection).copied() else { continue };
        let start = today.checked_sub_days(Days::new(HISTORY_DAYS)).unwrap_or(today);
        rows.retain(|r| r.date >= start);
        charges.extend(recurring::detect(&rows, today));
    }
    recurring::sort(&mut charges);
    Ok(charges)
}
