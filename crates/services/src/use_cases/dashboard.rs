//! The dashboard's figures: cash, debt, net worth, recent activity and spend by category.

use chrono::{Datelike, Days, NaiveDate, Utc};
use sandbank_domain::UserId;
use sandbank_domain::account::AccountType;
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::transaction::Category;
use sandbank_domain::transaction_query::TransactionFilter;
use sandbank_store::accounts::{self, AccountFilter};
use sandbank_store::{Db, transactions};

use crate::error::ServiceError;

/// The quick stats of a user's dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickStats {
    /// Checking plus savings.
    pub cash: Money,
    /// What is owed on cards.
    pub owed: Money,
    /// Cash plus investments minus what is owed.
    pub net_worth: Money,
    /// Transactions dated in the last 30 days.
    pub transactions_last_30_days: u64,
    /// Debits this month by category, largest first.
    pub spend_by_category: Vec<(Category, Money)>,
}

/// Computes dashboard figures.
#[derive(Debug, Clone)]
pub struct DashboardService {
    db: Db,
}

impl DashboardService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The user's figures as of today (accounts kept from disconnected connections count too).
    pub fn quick_stats(&self, user: UserId) -> Result<QuickStats, ServiceError> {
        let today = Utc::now().date_naive();
        let month_start = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
        self.db.read(|conn| {
            let accounts = accounts::list_for_user(conn, user, &AccountFilter::default())?;
            let sum = |kinds: &[AccountType]| {
                accounts
                    .iter()
                    .filter(|a| kinds.contains(&a.account_type))
                    .map(|a| a.current_balance.minor_units())
                    .sum::<i64>()
            };
            let cash = sum(&[AccountType::Checking, AccountType::Savings]);
            let owed = sum(&[AccountType::CreditCard]);
            let invested = sum(&[AccountType::Investment]);
            let recent = TransactionFilter { start_date: Some(today - Days::new(30)), ..TransactionFilter::default() };
            let count = transactions::count(conn, user, &recent)?;
            let spend_by_category = transactions::debits_between(conn, user, month_start, today)?;
            let usd = |minor| Money::from_minor(minor, Currency::USD);
            Ok(QuickStats {
                cash: usd(cash),
                owed: usd(owed),
                net_worth: usd(cash + invested - owed),
                transactions_last_30_days: u64::try_from(count).unwrap_or(0),
                spend_by_category,
            })
        })
    }
}
