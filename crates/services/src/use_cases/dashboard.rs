//! The dashboard's figures: cash, debt, net worth, recent activity and spend by category.

use chrono::{Datelike, Days, Months, NaiveDate, Utc};
use sandbank_domain::UserId;
use sandbank_domain::account::AccountType;
use sandbank_domain::insights::{MonthFlow, month_of, monthly_flows, net_worth_by_day};
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::transaction::Category;
use sandbank_domain::transaction_query::TransactionFilter;
use sandbank_store::accounts::{self, AccountFilter};
use sandbank_store::{Db, snapshots, transactions};

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
    /// Spending this month (debits that are not transfers or card payments) by category,
    /// largest first.
    pub spend_by_category: Vec<(Category, Money)>,
}

impl QuickStats {
    /// Spending this month, all categories together.
    pub fn spent_this_month(&self) -> Money {
        let minor = self.spend_by_category.iter().map(|(_, m)| m.minor_units()).sum();
        Money::from_minor(minor, Currency::USD)
    }
}

/// A personal-finance view of the user's data: income and spending per month, and net worth
/// day by day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insights {
    /// The last [`Insights::MONTHS`] months, oldest first, this one last.
    pub cash_flow: Vec<MonthFlow>,
    /// Net worth at the end of each day of the last [`Insights::DAYS`] days that has a snapshot.
    pub net_worth: Vec<(NaiveDate, Money)>,
}

impl Insights {
    /// How many months the cash flow covers.
    pub const MONTHS: u32 = 6;
    /// How many days the net worth covers.
    pub const DAYS: u64 = 180;
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
            let spend_by_category = transactions::spending_between(conn, user, month_start, today)?;
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

    /// The user's cash flow and net worth up to today.
    pub fn insights(&self, user: UserId) -> Result<Insights, ServiceError> {
        let today = Utc::now().date_naive();
        let months_back = Months::new(Insights::MONTHS - 1);
        let first_month = month_of(today).checked_sub_months(months_back).unwrap_or(today);
        let first_day = today - Days::new(Insights::DAYS - 1);
        self.db.read(|conn| {
            let by_day = transactions::flows_by_day(conn, user, first_month, today)?;
            let mut balances = Vec::new();
            for account in accounts::list_for_user(conn, user, &AccountFilter::default())? {
                // The one before the window too: an account with no snapshot in it still counts.
                let mut days: Vec<_> =
                    snapshots::latest_on_or_before(conn, account.id, first_day)?.into_iter().collect();
                days.extend(snapshots::list(conn, account.id, first_day.succ_opt(), Some(today))?);
                balances.push((account.account_type, days));
            }
            Ok(Insights {
                cash_flow: monthly_flows(&by_day, today, Insights::MONTHS),
                net_worth: net_worth_by_day(&balances, first_day, today),
            })
        })
    }
}
