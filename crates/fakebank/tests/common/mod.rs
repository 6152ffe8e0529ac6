//! What the fake bank's test files share: one household at every bank, and its rows.

#![allow(dead_code)] // each test file uses a part

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use sandbank_domain::transaction::ReportedTransaction;
use sandbank_fakebank::{CATALOG, FakeAccount, FakeBank};

/// Every account of the household of `seed`, at every bank, linked on `linked_on`.
pub fn household_accounts(seed: u64, linked_on: NaiveDate) -> Vec<FakeAccount> {
    CATALOG.iter().flat_map(|spec| FakeBank::new(spec, seed, linked_on).accounts()).collect()
}

/// A household: any seed, linked on any day of 2024–2027.
pub fn household() -> impl Strategy<Value = (u64, NaiveDate)> {
    (any::<u64>(), 0..(4 * 365u64))
        .prop_map(|(seed, offset)| (seed, NaiveDate::from_ymd_opt(2024, 1, 1).expect("date") + Days::new(offset)))
}

/// Every row of every account up to the day before the link, with its account's index.
pub fn rows(accounts: &[FakeAccount], linked_on: NaiveDate) -> Vec<(usize, ReportedTransaction)> {
    let as_of = linked_on - Days::new(1);
    accounts
        .iter()
        .enumerate()
        .flat_map(|(i, a)| a.transactions(a.history_start()..linked_on, as_of).into_iter().map(move |t| (i, t)))
        .collect()
}
