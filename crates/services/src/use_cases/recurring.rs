//! Recurring charges: the subscriptions and bills in a user's history, found by
//! [`sandbank_domain::recurring::detect`] over each connection's debits as of that connection's
//! "today" (its sandbox clock).

use chrono::{DateTime, Days, Utc};
use sandbank_domain::connection::Connection;
use sandbank_domain::recurring::{self, HISTORY_DAYS, RecurringCharge};
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
    /// (`now` moved by its sandbox clock), from its debits of the [`HISTORY_DAYS`] before it
    /// (one query a connection).
    pub fn list_at(
        &self,
        user: UserId,
        filter: &RecurringFilter,
        now: DateTime<Utc>,
    ) -> Result<Vec<RecurringCharge>, ServiceError> {
        self.db.read(|conn| {
            let account = filter.account_id.map(|id| owned_account(conn, user, id)).transpose()?;
            if let Some(connection) = filter.connection_id {
                owned_connection(conn, user, connection)?;
            }
            let mut charges = Vec::new();
            for connection in connections::list_for_user(conn, user)? {
                let wanted = filter.connection_id.is_none_or(|id| id == connection.id)
                    && account.as_ref().is_none_or(|a| a.connection_id == connection.id);
                if wanted {
                    charges.extend(of_connection(conn, &connection, filter.account_id, now)?);
                }
            }
            recurring::sort(&mut charges);
            Ok(charges)
        })
    }
}

/// The recurring charges of `connection` (of one of its accounts when `account` is given) as of
/// its today at `now`.
fn of_connection(
    conn: &mut DbConnection,
    connection: &Connection,
    account: Option<AccountId>,
    now: DateTime<Utc>,
) -> Result<Vec<RecurringCharge>, ServiceError> {
    let today = connection.today(now);
    let since = today.checked_sub_days(Days::new(HISTORY_DAYS)).unwrap_or(today);
    let filter = DebitFilter { account_id: account, connection_id: Some(connection.id), since };
    let rows = store::debits(conn, connection.user_id, &filter)?;
    Ok(recurring::detect(&rows, today))
}
