//! Reading accounts and their balance history.

use chrono::NaiveDate;
use sandbank_domain::account::Account;
use sandbank_domain::bank_data::ReportedBalances;
use sandbank_domain::{AccountId, UserId};
use sandbank_store::accounts;
pub use sandbank_store::accounts::AccountFilter;
use sandbank_store::{Db, DbConnection, snapshots};

use crate::error::ServiceError;

/// What a request for a user's accounts gets: what the caller's `known` gave for their current
/// version, or the accounts read at it.
#[derive(Debug, Clone)]
pub enum AccountsListing<K> {
    /// `known` had the version: what it gave.
    Known(K),
    /// The accounts, and the version of them they were read at.
    Read {
        /// As [`AccountService::list`] gives them.
        accounts: Vec<Account>,
        /// [`accounts::version`] when they were read.
        version: i64,
    },
}

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

    /// As [`Self::list`], at the version of the user's accounts it was read at
    /// ([`accounts::version`], taken by every write to them in any process); or
    /// [`AccountsListing::Known`] when `known` has something for that version (a rendering of
    /// the list kept from before): one lookup, no list query.
    pub fn list_if_changed<K>(
        &self,
        user: UserId,
        filter: &AccountFilter,
        known: impl FnOnce(i64) -> Option<K>,
    ) -> Result<AccountsListing<K>, ServiceError> {
        self.db.read(|conn| {
            let version = accounts::version(conn, user)?;
            if let Some(kept) = known(version) {
                return Ok(AccountsListing::Known(kept));
            }
            Ok(AccountsListing::Read { accounts: accounts::list_for_user(conn, user, filter)?, version })
        })
    }

    /// What `known` has for the current version of the user's accounts, when that can be told
    /// here and now (see [`Db::read_at_once`]: on SQLite, a version read of a few microseconds
    /// on the caller's thread); `None` when it cannot, or when `known` has nothing — then
    /// [`Self::list_if_changed`] tells (and reports a failed read).
    pub fn known_at_once<K>(&self, user: UserId, known: impl FnOnce(i64) -> Option<K>) -> Option<K> {
        self.db.read_at_once(|conn| accounts::version(conn, user).ok().and_then(known)).flatten()
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
