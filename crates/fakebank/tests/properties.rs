//! Properties of the generated data, checked over many seeds, providers and dates.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use sandbank_domain::account::AccountType;
use sandbank_domain::transaction::{PaymentChannel, ReportedTransaction, TransactionStatus, TransactionType};
use sandbank_fakebank::{CATALOG, FakeAccount, FakeBank, amount_bounds};

/// A connection: any seed, any provider, linked on any day of 2024–2027.
fn bank() -> impl Strategy<Value = FakeBank> {
    (any::<u64>(), 0..CATALOG.len(), 0..(4 * 365u64)).prop_map(|(seed, provider, offset)| {
        let linked_on = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date") + Days::new(offset);
        FakeBank::new(&CATALOG[provider], seed, linked_on)
    })
}

fn everything(account: &FakeAccount, as_of: NaiveDate) -> Vec<ReportedTransaction> {
    account.transactions(account.history_start()..as_of + Days::new(1), as_of)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_same_seed_gives_the_same_data(bank in bank(), extra in 0..40u64) {
        let as_of = bank.history_start() + Days::new(90 + extra);
        let first: Vec<_> = bank.accounts().iter().map(|a| a.report(a.history_start()..as_of, as_of)).collect();
        let again: Vec<_> = bank.accounts().iter().map(|a| a.report(a.history_start()..as_of, as_of)).collect();
        prop_assert_eq!(first, again);
    }

    #[test]
    fn any_split_of_the_days_gives_the_same_rows(bank in bank(), split in 0..200u64, later in 0..30u64) {
        for account in bank.accounts() {
            let start = account.history_start();
            let as_of = start + Days::new(120 + later);
            let end = as_of + Days::new(1);
            let middle = (start + Days::new(split)).min(end);
            let mut pieces = account.transactions(start..middle, as_of);
            pieces.extend(account.transactions(middle..end, as_of));
            prop_assert_eq!(pieces, account.transactions(start..end, as_of));
        }
    }

    #[test]
    fn rows_are_well_formed(bank in bank(), later in 0..60u64) {
        let mut ids = std::collections::HashSet::new();
        for account in bank.accounts() {
            let start = account.history_start();
            let as_of = start + Days::new(100 + later);
            for t in everything(&account, as_of) {
                prop_assert!(ids.insert(t.external_id.clone()), "duplicate {}", t.external_id);
                let negative = t.amount.is_negative();
                prop_assert_eq!(t.transaction_type == TransactionType::Debit, negative, "{:?}", t);
                prop_assert!(t.amount.minor_units() != 0);
                prop_assert!(start <= t.date && t.date <= as_of, "{} outside {}..={}", t.date, start, as_of);
                let (lo, hi) = amount_bounds(t.category);
                let size = t.amount.minor_units().abs();
                prop_assert!(lo <= size && size <= hi, "{} {} outside {}..={}", t.category, size, lo, hi);
                prop_assert_eq!(t.posted_at.is_none(), t.status == TransactionStatus::Pending);
                prop_assert_eq!(t.location.is_some(), t.payment_channel == PaymentChannel::InStore);
            }
        }
    }

    #[test]
    fn balances_agree_with_the_transactions(bank in bank(), later in 0..60u64) {
        for account in bank.accounts() {
            let start = account.history_start();
            let as_of = start + Days::new(100 + later);
            let opening = account.balances(start - Days::new(1)).current.minor_units();
            let report = account.report(start..as_of + Days::new(1), as_of);
            let settled: i64 = report.transactions.iter().filter(|t| t.status != TransactionStatus::Pending).map(|t| t.amount.minor_units()).sum();
            let pending_debits: i64 = report.transactions.iter().filter(|t| t.status == TransactionStatus::Pending && t.amount.is_negative()).map(|t| t.amount.minor_units()).sum();
            let current = report.balances.current.minor_units();
            let available = report.balances.available.minor_units();
            if account.reported().account_type == AccountType::CreditCard {
                let limit = account.reported().credit_limit.expect("a card has a limit").minor_units();
                prop_assert_eq!(current, opening - settled, "owed = opening owed - settled amounts");
                prop_assert_eq!(available, limit - current + pending_debits);
            } else {
                prop_assert_eq!(current, opening + settled);
                prop_assert_eq!(available, current + pending_debits);
            }
            prop_assert_eq!(report.snapshots.last(), Some(&report.balances));
            prop_assert_eq!(report.snapshots.len() as i64, (as_of - start).num_days() + 1);
        }
    }

    #[test]
    fn balances_stay_plausible(bank in bank()) {
        for account in bank.accounts() {
            let start = account.history_start();
            let as_of = start + Days::new(183);
            let snapshots = account.report(start..as_of + Days::new(1), as_of).snapshots;
            match account.reported().account_type {
                AccountType::CreditCard => {
                    let limit = account.reported().credit_limit.expect("limit").minor_units();
                    for s in &snapshots {
                        let owed = s.current.minor_units();
                        // A refund after a payment can leave a small credit balance.
                        prop_assert!(-limit / 20 <= owed && owed <= limit * 3 / 4, "owed {} of limit {} on {}", owed, limit, s.date);
                    }
                }
                AccountType::Checking => {
                    let lowest = snapshots.iter().map(|s| s.current.minor_units()).min().unwrap_or(0);
                    prop_assert!(lowest >= -500_00, "checking fell to {}", lowest);
                }
                _ => prop_assert!(snapshots.iter().all(|s| s.current.minor_units() > 0)),
            }
        }
    }

    #[test]
    fn pending_rows_post_or_drop_later(bank in bank(), later in 0..60u64) {
        for account in bank.accounts() {
            let as_of = account.history_start() + Days::new(100 + later);
            let then = everything(&account, as_of);
            let now: std::collections::HashMap<_, _> = everything(&account, as_of + Days::new(4))
                .into_iter()
                .map(|t| (t.external_id.clone(), t))
                .collect();
            for pending in then.iter().filter(|t| t.status == TransactionStatus::Pending) {
                if let Some(settled) = now.get(&pending.external_id) {
                    prop_assert_ne!(settled.status, TransactionStatus::Pending);
                    prop_assert!(settled.posted_at.is_some());
                    prop_assert_eq!(settled.amount, pending.amount);
                }
            }
            for refund in now.values().filter(|t| t.refund_of.is_some()) {
                let original = now.get(refund.refund_of.as_deref().unwrap_or_default());
                prop_assert!(original.is_none_or(|o| o.status == TransactionStatus::Refunded && o.amount == refund.amount.negate()));
            }
        }
    }
}

#[test]
fn pending_is_limited_to_the_last_days() {
    let linked_on = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    for seed in 0..64 {
        for spec in CATALOG {
            for account in FakeBank::new(spec, seed, linked_on).accounts() {
                let as_of = linked_on - Days::new(1);
                for t in everything(&account, as_of) {
                    if t.status == TransactionStatus::Pending {
                        assert!((as_of - t.date).num_days() < 3, "{} pending since {}", t.external_id, t.date);
                    }
                }
            }
        }
    }
}
