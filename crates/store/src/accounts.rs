//! The `financial_accounts` table.

use diesel::prelude::*;
use sandbank_domain::account::{Account, AccountStatus, AccountSubtype, AccountType};
use sandbank_domain::bank_data::{CardStatement, ReportedAccount, ReportedBalances};
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::{AccountId, ConnectionId, ProviderId, UserId};

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::read_text::Parsed;
use crate::read_time::{ReadDate, ReadTime};
use crate::schema::financial_accounts as fa;
use crate::schema::users;
use crate::sql_types::DbId;
use crate::time::{from_db_time, now_for_db};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = fa)]
struct AccountRow {
    id: DbId,
    connection_id: DbId,
    provider_id: DbId,
    external_id: String,
    name: String,
    official_name: String,
    account_type: Parsed<AccountType>,
    subtype: Parsed<AccountSubtype>,
    mask: String,
    currency: Parsed<Currency>,
    current_balance_minor: i64,
    available_balance_minor: i64,
    credit_limit_minor: Option<i64>,
    statement_balance_minor: Option<i64>,
    minimum_payment_minor: Option<i64>,
    statement_date: Option<ReadDate>,
    payment_due_date: Option<ReadDate>,
    status: Parsed<AccountStatus>,
    reconciliation: Option<String>,
    updated_at: ReadTime,
}

impl From<AccountRow> for Account {
    fn from(row: AccountRow) -> Self {
        let money = |minor: i64| Money::from_minor(minor, row.currency.0);
        Account {
            id: row.id.into(),
            connection_id: row.connection_id.into(),
            provider_id: row.provider_id.into(),
            external_id: row.external_id,
            name: row.name,
            official_name: row.official_name,
            account_type: row.account_type.0,
            subtype: row.subtype.0,
            mask: row.mask,
            current_balance: money(row.current_balance_minor),
            available_balance: money(row.available_balance_minor),
            credit_limit: row.credit_limit_minor.map(money),
            statement_balance: row.statement_balance_minor.map(money),
            minimum_payment: row.minimum_payment_minor.map(money),
            statement_date: row.statement_date.map(|d| d.0),
            payment_due_date: row.payment_due_date.map(|d| d.0),
            status: row.status.0,
            reconciliation: row.reconciliation,
            updated_at: from_db_time(row.updated_at.0),
        }
    }
}

/// Who an account belongs to and where it came from.
#[derive(Debug, Clone, Copy)]
pub struct AccountOwner {
    /// The user.
    pub user_id: UserId,
    /// The connection.
    pub connection_id: ConnectionId,
    /// The provider.
    pub provider_id: ProviderId,
}

/// Stores a newly reported account with its first figures.
pub fn insert(
    conn: &mut DbConnection,
    owner: AccountOwner,
    reported: &ReportedAccount,
    balances: &ReportedBalances,
    statement: Option<&CardStatement>,
) -> Result<AccountId, StoreError> {
    let id = AccountId::new();
    let now = now_for_db();
    diesel::insert_into(fa::table)
        .values((
            fa::id.eq(DbId::of(id)),
            fa::connection_id.eq(DbId::of(owner.connection_id)),
            fa::user_id.eq(DbId::of(owner.user_id)),
            fa::provider_id.eq(DbId::of(owner.provider_id)),
            fa::external_id.eq(&reported.external_id),
            fa::name.eq(&reported.name),
            fa::official_name.eq(&reported.official_name),
            fa::account_type.eq(reported.account_type.as_str()),
            fa::subtype.eq(reported.subtype.as_str()),
            fa::mask.eq(&reported.mask),
            fa::currency.eq(reported.currency.as_str()),
            fa::current_balance_minor.eq(balances.current.minor_units()),
            fa::available_balance_minor.eq(balances.available.minor_units()),
            fa::credit_limit_minor.eq(reported.credit_limit.map(|m| m.minor_units())),
            fa::status.eq(AccountStatus::Active.as_str()),
            fa::created_at.eq(now),
            fa::updated_at.eq(now),
        ))
        .execute(conn)?;
    update_figures(conn, id, balances, statement)?;
    Ok(id)
}

/// Records the balances and statement the provider reported.
pub fn update_figures(
    conn: &mut DbConnection,
    id: AccountId,
    balances: &ReportedBalances,
    statement: Option<&CardStatement>,
) -> Result<(), StoreError> {
    touch_owner(conn, Owned::Account(id))?;
    diesel::update(fa::table.find(DbId::of(id)))
        .set((
            fa::current_balance_minor.eq(balances.current.minor_units()),
            fa::available_balance_minor.eq(balances.available.minor_units()),
            fa::statement_balance_minor.eq(statement.map(|s| s.statement_balance.minor_units())),
            fa::minimum_payment_minor.eq(statement.map(|s| s.minimum_payment.minor_units())),
            fa::statement_date.eq(statement.map(|s| s.statement_date)),
            fa::payment_due_date.eq(statement.map(|s| s.payment_due_date)),
            fa::updated_at.eq(now_for_db()),
        ))
        .execute(conn)?;
    Ok(())
}

/// A connection's accounts, in the order they were stored.
pub fn for_connection(conn: &mut DbConnection, connection_id: ConnectionId) -> Result<Vec<Account>, StoreError> {
    let rows = fa::table
        .filter(fa::connection_id.eq(DbId::of(connection_id)))
        .order((fa::created_at.asc(), fa::id.asc()))
        .select(AccountRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(Account::from).collect())
}

/// Filters for listing a user's accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AccountFilter {
    /// Only this connection's.
    pub connection_id: Option<ConnectionId>,
    /// Only this type.
    pub account_type: Option<AccountType>,
    /// Only this provider's.
    pub provider_id: Option<ProviderId>,
}

/// A user's accounts matching `filter`, by connection then creation.
pub fn list_for_user(
    conn: &mut DbConnection,
    user_id: UserId,
    filter: &AccountFilter,
) -> Result<Vec<Account>, StoreError> {
    let mut query = fa::table.filter(fa::user_id.eq(DbId::of(user_id))).into_boxed();
    if let Some(id) = filter.connection_id {
        query = query.filter(fa::connection_id.eq(DbId::of(id)));
    }
    if let Some(account_type) = filter.account_type {
        query = query.filter(fa::account_type.eq(account_type.as_str()));
    }
    if let Some(id) = filter.provider_id {
        query = query.filter(fa::provider_id.eq(DbId::of(id)));
    }
    let rows = query.order((fa::created_at.asc(), fa::id.asc())).select(AccountRow::as_select()).load(conn)?;
    Ok(rows.into_iter().map(Account::from).collect())
}

/// The account with this id and the user it belongs to.
pub fn find(conn: &mut DbConnection, id: AccountId) -> Result<Option<(Account, UserId)>, StoreError> {
    let row: Option<(AccountRow, DbId)> =
        fa::table.find(DbId::of(id)).select((AccountRow::as_select(), fa::user_id)).first(conn).optional()?;
    Ok(row.map(|(row, user)| (row.into(), user.into())))
}

/// Marks every account of a connection.
pub fn set_status_for_connection(
    conn: &mut DbConnection,
    connection_id: ConnectionId,
    status: AccountStatus,
) -> Result<usize, StoreError> {
    touch_owner(conn, Owned::Connection(connection_id))?;
    Ok(diesel::update(fa::table.filter(fa::connection_id.eq(DbId::of(connection_id))))
        .set((fa::status.eq(status.as_str()), fa::updated_at.eq(now_for_db())))
        .execute(conn)?)
}

/// Deletes a connection's accounts; their transactions and snapshots go with them.
pub fn delete_for_connection(conn: &mut DbConnection, connection_id: ConnectionId) -> Result<usize, StoreError> {
    touch_owner(conn, Owned::Connection(connection_id))?;
    Ok(diesel::delete(fa::table.filter(fa::connection_id.eq(DbId::of(connection_id)))).execute(conn)?)
}

/// Records the outcome of the balance check.
pub fn set_reconciliation(conn: &mut DbConnection, id: AccountId, reconciliation: &str) -> Result<(), StoreError> {
    touch_owner(conn, Owned::Account(id))?;
    diesel::update(fa::table.find(DbId::of(id))).set(fa::reconciliation.eq(reconciliation)).execute(conn)?;
    Ok(())
}

/// Accounts a write touched.
#[derive(Debug, Clone, Copy)]
enum Owned {
    /// This one.
    Account(AccountId),
    /// This connection's.
    Connection(ConnectionId),
}

/// Takes a new version of the accounts of whoever owns `touched` ([`version`]), in the write's
/// own transaction. A connection without accounts changes nothing, so takes none. Two
/// statements diesel keeps prepared: the owner by primary key or connection, then their row.
///
/// Every write calls it before it writes the accounts: the owner's row is locked before their
/// accounts' rows, in one order for all (a sync's figures and a concurrent balance check each
/// holding what the other waits for would deadlock on PostgreSQL).
fn touch_owner(conn: &mut DbConnection, touched: Owned) -> Result<(), StoreError> {
    let owner: Option<DbId> = match touched {
        Owned::Account(id) => fa::table.find(DbId::of(id)).select(fa::user_id).first(conn).optional()?,
        Owned::Connection(id) => {
            fa::table.filter(fa::connection_id.eq(DbId::of(id))).select(fa::user_id).first(conn).optional()?
        }
    };
    if let Some(owner) = owner {
        diesel::update(users::table.find(owner))
            .set(users::accounts_version.eq(users::accounts_version + 1))
            .execute(conn)?;
    }
    Ok(())
}

/// The version of the user's accounts: taken by every write to them, in any process. A
/// rendered accounts list is kept under it.
pub fn version(conn: &mut DbConnection, user: UserId) -> Result<i64, StoreError> {
    Ok(users::table.find(DbId::of(user)).select(users::accounts_version).first(conn)?)
}
