//! What a provider reports: accounts, transactions and balances, in domain terms. Any provider
//! (the fake bank, or one day a real aggregator) produces these; the services store them.

use chrono::{DateTime, NaiveDate, Utc};

use crate::account::{AccountSubtype, AccountType};
use crate::money::{Currency, Money};
use crate::transaction::{Category, PaymentChannel, TransactionStatus, TransactionType};

/// Where an in-store purchase happened.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    /// City, e.g. "Portland".
    pub city: String,
    /// State or region code, e.g. "OR".
    pub region: String,
    /// ISO 3166-1 alpha-2 country, e.g. "US".
    pub country: String,
}

/// An account as the provider describes it (balances come separately).
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// One transaction as the provider reports it on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedTransaction {
    /// The provider's id, stable from pending to posted.
    pub external_id: String,
    /// Signed from the holder's side: negative is money out.
    pub amount: Money,
    /// Debit ⇔ amount < 0.
    pub transaction_type: TransactionType,
    /// Pending, posted or refunded.
    pub status: TransactionStatus,
    /// The day it happened.
    pub date: NaiveDate,
    /// When it was authorized.
    pub authorized_at: Option<DateTime<Utc>>,
    /// When it posted (absent while pending).
    pub posted_at: Option<DateTime<Utc>>,
    /// The counterparty as a person would name it.
    pub merchant_name: String,
    /// The statement line.
    pub description: String,
    /// One of the fixed categories.
    pub category: Category,
    /// For in-store purchases.
    pub location: Option<Location>,
    /// How it was made.
    pub payment_channel: PaymentChannel,
    /// For a refund: the external id of the purchase it refunds.
    pub refund_of: Option<String>,
}

/// Balances as the provider reports them on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
