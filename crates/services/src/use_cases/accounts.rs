//! Reading accounts and their balance history.

use chrono::NaiveDate;
use sandbank_domain::account::Account;
use sandbank_domain::bank_data::ReportedBalances;
use sandbank_domain::{AccountId, UserId};
use sandbank_store::accounts;
pub use sandbank_store::accounts::AccountFilter;
use sandbank_store::{Db, DbConnection, snapshots};

use crate::error::ServiceError;

/// Accounts, as their owners see them.
#[derive(Debug, Clone)]
pub struct AccountService {
    db: Db,
}

impl AccountService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The user's accounts matching `filter`.
    pub fn list(&self, user: UserId, filter: &AccountFilter) -> Result<Vec<Account>, ServiceError> {
        Ok(self.db.read(|conn| accounts::list_for_user(conn, user, filter))?)
    }

    /// One of the user's accounts.
    pub fn get(&self, user: UserId, id: AccountId) -> Result<Account, ServiceError> {
        self.db.read(|conn| owned(conn, user, id))
    }

    /// One of the user's accounts' daily balances for days in `start..=end`.
    pub fn balances(
        &self,
        user: UserId,
        id: AccountId,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
    ) -> Result<Vec<ReportedBalances>, ServiceError> {
        self.db.read(|conn| {
            owned(conn, user, id)?;
            Ok(snapshots::list(conn, id, start, end)?)
        })
    }
}

/// The account, if it is the user's: 404 when missing, 403 when someone else's.
pub(crate) fn owned(conn: &mut DbConnection, user: UserId, id: AccountId) -> Result<Account, ServiceError> {
    let (account, owner) = accounts::find(conn, id)?.ok_or(ServiceError::NotFound("account"))?;
    if owner != user {
        return Err(ServiceError::Forbidden("account"));
    }
    Ok(account)
}
