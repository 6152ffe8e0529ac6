//! Checking balances against transactions: each day's change of the reported balance must equal
//! the amounts that posted that day. The outcome is kept on the account (`reconciliation`).

use std::collections::HashMap;

use chrono::NaiveDate;
use sandbank_domain::account::{Account, AccountType};
use sandbank_domain::bank_data::ReportedBalances;
use sandbank_domain::{ConnectionId, Money};
use sandbank_store::{Db, DbConnection, accounts, snapshots, transactions};

use crate::error::ServiceError;

/// What the check found for one account.
fn check(conn: &mut DbConnection, account: &Account) -> Result<String, ServiceError> {
    let history = snapshots::list(conn, account.id, None, None)?;
    let posted_by_day = transactions::posted_by_day(conn, account.id)?;
    let posted: HashMap<_, _> = posted_by_day.into_iter().map(|(day, sum)| (day, sum.minor_units())).collect();
    // A card's balance is what is owed: it moves against the holder-side amounts.
    let sign = if account.account_type == AccountType::CreditCard { -1 } else { 1 };
    Ok(compare(&history, &posted, sign, account.current_balance))
}

/// `matched` when each day's change of `history` equals `sign` times what posted that day and
/// the last snapshot is `current`; else what differed first.
fn compare(history: &[ReportedBalances], posted: &HashMap<NaiveDate, i64>, sign: i64, current: Money) -> String {
    for pair in history.windows(2) {
        let change = pair[1].current.minor_units() - pair[0].current.minor_units();
        let expected = sign * posted.get(&pair[1].date).copied().unwrap_or(0);
        if change != expected {
            let (change, expected) =
                (Money::from_minor(change, current.currency()), Money::from_minor(expected, current.currency()));
            return format!("mismatch on {}: the balance moved {change}, posted transactions {expected}", pair[1].date);
        }
    }
    match history.last() {
        Some(last) if last.current != current => {
            format!("mismatch: the balance is {current} but the last snapshot says {}", last.current)
        }
        _ => "matched".to_owned(),
    }
}

/// Checks every account of a connection and records the outcome; returns how many matched.
pub fn reconcile(db: &Db, connection: ConnectionId) -> Result<usize, ServiceError> {
    db.write(|conn| {
        let mut matched = 0;
        for account in accounts::for_connection(conn, connection)? {
            let outcome = check(conn, &account)?;
            if outcome == "matched" {
                matched += 1;
            }
            accounts::set_reconciliation(conn, account.id, &outcome)?;
        }
        Ok(matched)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sandbank_domain::Currency;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, d).expect("date")
    }

    fn snapshot(d: u32, minor: i64) -> ReportedBalances {
        let money = Money::from_minor(minor, Currency::USD);
        ReportedBalances { date: day(d), current: money, available: money }
    }

    #[test]
    fn daily_changes_must_equal_what_posted() {
        let history = [snapshot(1, 10_000), snapshot(2, 9_000), snapshot(3, 9_000)];
        let posted: HashMap<_, _> = [(day(2), -1_000)].into_iter().collect();
        let usd = |m| Money::from_minor(m, Currency::USD);
        assert_eq!(compare(&history, &posted, 1, usd(9_000)), "matched");
        assert_eq!(
            compare(&history, &posted, 1, usd(8_000)),
            "mismatch: the balance is 80.00 but the last snapshot says 90.00"
        );
        let off: HashMap<_, _> = [(day(2), -900)].into_iter().collect();
        assert_eq!(
            compare(&history, &off, 1, usd(9_000)),
            "mismatch on 2026-05-02: the balance moved -10.00, posted transactions -9.00"
        );
        let owed = [snapshot(1, 500), snapshot(2, 1_500)];
        assert_eq!(compare(&owed, &posted, -1, usd(1_500)), "matched", "a card's balance grows with purchases");
    }
}
