//! What the recurring-charge detector reads of `financial_transactions`: a user's debits since a
//! day, only the columns it needs (`sandbank_domain::recurring::ChargeRow`).

use chrono::NaiveDate;
use diesel::prelude::*;
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::recurring::ChargeRow;
use sandbank_domain::transaction::{Category, PaymentChannel, TransactionStatus};
use sandbank_domain::{AccountId, ConnectionId, UserId};

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::read_text::Parsed;
use crate::read_time::ReadDate;
use crate::schema::financial_transactions as ft;
use crate::sql_types::DbId;

/// Which of a user's debits to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DebitFilter {
    /// Only this account's.
    pub account_id: Option<AccountId>,
    /// Only this connection's.
    pub connection_id: Option<ConnectionId>,
    /// Dated on or after.
    pub since: NaiveDate,
}

/// A debit as read: id, account, connection, date, amount and currency, merchant, category,
/// status, channel, whether it refunds a row, whether it names the other side of a transfer.
type DebitRow = (
    DbId,
    DbId,
    DbId,
    ReadDate,
    i64,
    Parsed<Currency>,
    String,
    Parsed<Category>,
    Parsed<TransactionStatus>,
    Parsed<PaymentChannel>,
    bool,
    bool,
);

/// The user's debits (amount < 0) matching `filter`, by date then id (the `(user_id, date, id)`
/// index's order).
pub fn debits(conn: &mut DbConnection, user_id: UserId, filter: &DebitFilter) -> Result<Vec<ChargeRow>, StoreError> {
    let mut query = ft::table
        .filter(ft::user_id.eq(DbId::of(user_id)))
        .filter(ft::date.ge(filter.since))
        .filter(ft::amount_minor.lt(0))
        .into_boxed();
    if let Some(id) = filter.account_id {
        query = query.filter(ft::account_id.eq(DbId::of(id)));
    }
    if let Some(id) = filter.connection_id {
        query = query.filter(ft::connection_id.eq(DbId::of(id)));
    }
    let rows: Vec<DebitRow> = query
        .order((ft::date.asc(), ft::id.asc()))
        .select((
            ft::id,
            ft::account_id,
            ft::connection_id,
            ft::date,
            ft::amount_minor,
            ft::currency,
            ft::merchant_name,
            ft::category,
            ft::status,
            ft::payment_channel,
            ft::refund_of_external_id.is_not_null(),
            ft::counterpart_external_id.is_not_null(),
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(charge_row).collect())
}

/// A read row as the domain's [`ChargeRow`].
fn charge_row(row: DebitRow) -> ChargeRow {
    let (id, account_id, connection_id, date, minor, currency, merchant_name, category, status, channel, refund, side) =
        row;
    ChargeRow {
        id: id.into(),
        account_id: account_id.into(),
        connection_id: connection_id.into(),
        date: date.0,
        amount: Money::from_minor(minor, currency.0),
        merchant_name,
        category: category.0,
        status: status.0,
        payment_channel: channel.0,
        is_refund: refund,
        is_transfer_side: side,
    }
}
