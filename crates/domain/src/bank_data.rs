//! What a provider reports about an account: its description, balances, statement and the
//! transactions of a range of days, in domain terms. Any provider (the fake bank, or one day a real
//! aggregator) produces these; the services store them. One transaction's shape is in
//! [`crate::transaction`].

use chrono::NaiveDate;

use crate::account::{AccountSubtype, AccountType};
use crate::money::{Currency, Money};
use crate::transaction::ReportedTransaction;

#[cfg(feature = "serde")]
mod json;

/// An account as the provider describes it (balances come separately).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(into = "json::AccountJson", try_from = "json::AccountJson")
)]
pub struct ReportedAccount {
    /// The provider's id for the account, stable across syncs.
    pub external_id: String,
    /// Short display name, e.g. "Gold Card".
    pub name: String,
    /// The product's full name, e.g. "American Express® Gold Card".
    pub official_name: String,
    /// Kind of account.
    pub account_type: AccountType,
    /// Finer kind.
    pub subtype: AccountSubtype,
    /// The last four digits of the account number.
    pub mask: String,
    /// The account's currency.
    pub currency: Currency,
    /// For cards: the credit limit.
    pub credit_limit: Option<Money>,
}

impl ReportedAccount {
    /// `****1234`.
    pub fn display_number(&self) -> String {
        format!("****{}", self.mask)
    }
}

/// Balances as the provider reports them on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(into = "json::BalancesJson", try_from = "json::BalancesJson")
)]
pub struct ReportedBalances {
    /// The day they are as of.
    pub date: NaiveDate,
    /// Depository: money held (posted). Card: amount owed (posted).
    pub current: Money,
    /// Depository: current plus pending. Card: credit still available counting pending.
    pub available: Money,
}

/// A card's statement figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(into = "json::StatementJson", try_from = "json::StatementJson")
)]
pub struct CardStatement {
    /// The last statement's closing day.
    pub statement_date: NaiveDate,
    /// When its payment is due (about three weeks later).
    pub payment_due_date: NaiveDate,
    /// The balance owed at the statement.
    pub statement_balance: Money,
    /// The least payment due.
    pub minimum_payment: Money,
}

/// Everything a provider reports about one account for a range of days, as of a day.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "camelCase"))]
pub struct AccountReport {
    /// Transactions dated in the range and visible on the as-of day, oldest first.
    pub transactions: Vec<ReportedTransaction>,
    /// One snapshot per day of the range, each as of its own day.
    pub snapshots: Vec<ReportedBalances>,
    /// Balances as of the as-of day.
    pub balances: ReportedBalances,
    /// For cards: the latest statement on or before the as-of day.
    pub statement: Option<CardStatement>,
}
