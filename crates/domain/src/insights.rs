//! What a personal-finance view makes of the data: money in and out per month, and net worth
//! day by day from the accounts' balance snapshots.

use chrono::{Datelike, Months, NaiveDate};

use crate::account::AccountType;
use crate::bank_data::ReportedBalances;
use crate::money::{Currency, Money};

/// One month's income and spending (both positive), in US dollars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthFlow {
    /// The month's first day.
    pub month: NaiveDate,
    /// Money in: credits that are not transfers or refunds.
    pub income: Money,
    /// Money out: debits that are not transfers or card payments, refunded ones left out.
    pub spending: Money,
}

impl MonthFlow {
    /// Income less spending.
    pub fn net(&self) -> Money {
        Money::from_minor(self.income.minor_units() - self.spending.minor_units(), Currency::USD)
    }
}

/// The first day of `day`'s month.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// `count` months ending with `last`'s, each with the signed daily sums in `by_day` that fall in
/// it (a credit is income, a debit spending); a month with none is zero.
pub fn monthly_flows(by_day: &[(NaiveDate, Money)], last: NaiveDate, count: u32) -> Vec<MonthFlow> {
    let last = month_of(last);
    let first = last.checked_sub_months(Months::new(count.saturating_sub(1))).unwrap_or(last);
    let months = (0..count).filter_map(|i| first.checked_add_months(Months::new(i)));
    months
        .map(|month| {
            let (mut income, mut spending) = (0i64, 0i64);
            for (_, amount) in by_day.iter().filter(|(day, _)| month_of(*day) == month) {
                let minor = amount.minor_units();
                if minor >= 0 { income += minor } else { spending -= minor }
            }
            let usd = |minor| Money::from_minor(minor, Currency::USD);
            MonthFlow { month, income: usd(income), spending: usd(spending) }
        })
        .collect()
}

/// Net worth at the end of each day of `first..=last`: money in checking, savings and
/// investments less what is owed on cards, each account at its latest snapshot on or before
/// the day (an account with none yet counts nothing). Days before any snapshot are left out.
pub fn net_worth_by_day(
    accounts: &[(AccountType, Vec<ReportedBalances>)],
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<(NaiveDate, Money)> {
    let mut cursors = vec![0usize; accounts.len()];
    let mut latest: Vec<Option<i64>> = vec![None; accounts.len()];
    let mut series = Vec::new();
    for day in first.iter_days().take_while(|d| *d <= last) {
        for (i, (_, snapshots)) in accounts.iter().enumerate() {
            while let Some(s) = snapshots.get(cursors[i]).filter(|s| s.date <= day) {
                latest[i] = Some(s.current.minor_units());
                cursors[i] += 1;
            }
        }
        if latest.iter().all(Option::is_none) {
            continue;
        }
        let worth = accounts.iter().zip(&latest).map(|((kind, _), minor)| signed(*kind, minor.unwrap_or(0))).sum();
        series.push((day, Money::from_minor(worth, Currency::USD)));
    }
    series
}

/// What a balance adds to net worth: a card's balance is owed.
fn signed(kind: AccountType, minor: i64) -> i64 {
    if kind == AccountType::CreditCard { -minor } else { minor }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(month: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, d).expect("day")
    }

    fn usd(minor: i64) -> Money {
        Money::from_minor(minor, Currency::USD)
    }

    #[test]
    fn flows_fold_into_months_with_empty_ones_zero() {
        let by_day =
            [(day(3, 31), usd(-500)), (day(4, 1), usd(200_000)), (day(4, 2), usd(-1_500)), (day(6, 9), usd(-7))];
        let months = monthly_flows(&by_day, day(6, 30), 4);
        let got: Vec<(NaiveDate, i64, i64, i64)> = months
            .iter()
            .map(|m| (m.month, m.income.minor_units(), m.spending.minor_units(), m.net().minor_units()))
            .collect();
        assert_eq!(
            got,
            [
                (day(3, 1), 0, 500, -500),
                (day(4, 1), 200_000, 1_500, 198_500),
                (day(5, 1), 0, 0, 0),
                (day(6, 1), 0, 7, -7)
            ]
        );
    }

    #[test]
    fn net_worth_carries_each_account_forward_and_owes_cards() {
        let snap =
            |d: u32, minor: i64| ReportedBalances { date: day(5, d), current: usd(minor), available: usd(minor) };
        let accounts = vec![
            (AccountType::Checking, vec![snap(2, 10_000), snap(4, 12_000)]),
            (AccountType::CreditCard, vec![snap(3, 2_500)]),
            (AccountType::Investment, vec![snap(4, 50_000)]),
        ];
        let series = net_worth_by_day(&accounts, day(5, 1), day(5, 5));
        let got: Vec<(u32, i64)> = series.iter().map(|(d, m)| (d.day(), m.minor_units())).collect();
        assert_eq!(got, [(2, 10_000), (3, 7_500), (4, 59_500), (5, 59_500)]);
    }
}
