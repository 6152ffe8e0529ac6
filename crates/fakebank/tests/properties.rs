//! Properties of the generated data, checked over many seeds, providers and dates.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{Datelike, Days, NaiveDate, TimeDelta, Weekday};
use proptest::prelude::*;
use sandbank_domain::account::AccountType;
use sandbank_domain::transaction::{Category, PaymentChannel, ReportedTransaction, TransactionStatus, TransactionType};
use sandbank_fakebank::{CATALOG, FakeAccount, FakeBank, amount_bounds, calendar, end_of_day};

mod common;
use common::{household, household_accounts};

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
                        // A refund after a payment can leave a small credit balance; a household
                        // close to the edge may run its card high, never past its limit.
                        prop_assert!(-limit / 20 <= owed && owed <= limit, "owed {} of limit {} on {}", owed, limit, s.date);
                    }
                }
                AccountType::Checking => {
                    let lowest = snapshots.iter().map(|s| s.current.minor_units()).min().unwrap_or(0);
                    // A household short of money overdraws, by about its housing payment at
                    // most (debit card purchases stop at $500 overdrawn), before pay or savings
                    // cover it; gig income can leave it short two months running.
                    let housing = bank.household().housing.monthly_cents;
                    prop_assert!(lowest >= -(2 * housing + 2_000_00), "checking fell to {} (housing {})", lowest, housing);
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
        for spec in CATALOG.iter() {
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn in_store_purchases_are_made_in_local_business_hours(bank in bank(), later in 0..60u64) {
        let zone = bank.household().city.zone;
        for account in bank.accounts() {
            let as_of = account.history_start() + Days::new(100 + later);
            for t in everything(&account, as_of).iter().filter(|t| t.payment_channel == PaymentChannel::InStore) {
                let at = t.authorized_at.expect("authorized");
                let (date, minute) = zone.local(at);
                prop_assert_eq!(date, t.date, "{} is on another local day", at);
                prop_assert!((6 * 60..23 * 60).contains(&minute), "{} is {}:{:02} local", at, minute / 60, minute % 60);
            }
        }
    }

    #[test]
    fn nothing_is_stamped_after_now(bank in bank(), days in 90..200u64, seconds in 0..86_400i64, split in 0..200u64) {
        for account in bank.accounts() {
            let start = account.history_start();
            let now = end_of_day(start + Days::new(days)) - TimeDelta::seconds(seconds);
            let end = now.date_naive() + Days::new(1);
            let report = account.report_at(start..end, now);
            for t in &report.transactions {
                prop_assert!(t.authorized_at.is_some_and(|at| at <= now), "{:?} after {}", t.authorized_at, now);
                prop_assert!(t.posted_at.is_none_or(|at| at <= now), "{:?} after {}", t.posted_at, now);
            }
            prop_assert!(report.snapshots.iter().all(|s| s.date <= now.date_naive()));
            prop_assert_eq!(report.snapshots.last(), Some(&report.balances));
            // Split invariance holds at any instant too.
            let middle = (start + Days::new(split)).min(end);
            let mut pieces = account.report_at(start..middle, now).transactions;
            pieces.extend(account.report_at(middle..end, now).transactions);
            prop_assert_eq!(pieces, report.transactions);
        }
    }

    #[test]
    fn bank_entries_settle_on_business_days_and_cards_post_later(bank in bank(), later in 0..60u64) {
        let zone = bank.household().city.zone;
        for account in bank.accounts() {
            let as_of = account.history_start() + Days::new(100 + later);
            for t in everything(&account, as_of) {
                let (Some(authorized), Some(posted)) = (t.authorized_at, t.posted_at) else { continue };
                if t.payment_channel == PaymentChannel::Other {
                    // Payroll, rent, utilities, transfers, fees: ACH on a business day, posted at
                    // once. A card's interest and annual fee are the bank's own books, made on the
                    // statement day whatever day it is.
                    let statement_day = account.card_terms().is_some_and(|terms| t.date.day() == terms.statement_day);
                    let weekend = matches!(t.date.weekday(), Weekday::Sat | Weekday::Sun);
                    let business_day = !weekend && !calendar::is_federal_holiday(t.date);
                    prop_assert!(business_day || (statement_day && t.category == Category::Fees), "{} {} on {}", t.merchant_name, t.description, t.date);
                    prop_assert_eq!(posted, authorized);
                } else if t.refund_of.is_none() {
                    let lag = (zone.local(posted).0 - t.date).num_days();
                    prop_assert!((1..=3).contains(&lag), "a card purchase posted {} days later: {:?}", lag, t);
                }
            }
        }
    }

    #[test]
    fn every_household_has_income_at_its_banks((seed, linked_on) in household()) {
        let household = FakeBank::new(&CATALOG[0], seed, linked_on).household();
        let accounts = household_accounts(seed, linked_on);
        let as_of = linked_on - Days::new(1);
        let pay: Vec<ReportedTransaction> = accounts
            .iter()
            .flat_map(|a| everything(a, as_of))
            .filter(|t| t.category == Category::Income && household.earners.iter().any(|e| e.payer == t.merchant_name))
            .collect();
        for earner in &household.earners {
            prop_assert!(pay.iter().any(|t| t.merchant_name == earner.payer), "{} is never paid", earner.payer);
        }
        let checking = accounts.iter().filter(|a| a.reported().account_type == AccountType::Checking).count();
        prop_assert!(checking >= 1, "a household has checking somewhere");
    }

    #[test]
    fn a_household_lives_in_one_city((seed, linked_on) in household()) {
        let household = FakeBank::new(&CATALOG[0], seed, linked_on).household();
        let as_of = linked_on - Days::new(1);
        let mut cities: BTreeMap<NaiveDate, BTreeSet<String>> = BTreeMap::new();
        for account in household_accounts(seed, linked_on) {
            // Purchases, not refunds (a refund is made where the purchase was, on a later day).
            for t in everything(&account, as_of).into_iter().filter(|t| t.refund_of.is_none()) {
                if let Some(place) = t.location {
                    cities.entry(t.date).or_default().insert(format!("{}, {}", place.city, place.region));
                }
            }
        }
        let home = format!("{}, {}", household.city.name, household.city.state);
        let days = cities.len().max(1);
        let two_cities = cities.values().filter(|c| c.len() > 1).count();
        prop_assert!(two_cities * 100 <= 2 * days, "{} of {} days in two cities", two_cities, days);
        // Trips take at most five days of any thirty: most days with purchases are at home.
        let at_home = cities.values().filter(|c| c.contains(&home)).count();
        prop_assert!(at_home * 2 > days, "home {} on only {} of {} days", home, at_home, days);
    }
}

/// 10th and 90th percentiles.
fn deciles(mut values: Vec<i64>) -> (i64, i64) {
    values.sort_unstable();
    (values[values.len() / 10], values[values.len() * 9 / 10])
}

#[test]
fn a_hundred_households_differ_in_income_merchants_and_mix() {
    let linked_on = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let as_of = linked_on - Days::new(1);
    let window = linked_on - Days::new(90);
    let (mut incomes, mut grocery_shares, mut merchants) = (Vec::new(), Vec::new(), HashSet::new());
    for seed in 0..100 {
        let household = FakeBank::new(&CATALOG[0], seed, linked_on).household();
        let rows: Vec<ReportedTransaction> =
            household_accounts(seed, linked_on).iter().flat_map(|a| everything(a, as_of)).collect();
        let paid =
            |t: &&ReportedTransaction| t.date >= window && household.earners.iter().any(|e| e.payer == t.merchant_name);
        incomes.push(rows.iter().filter(paid).map(|t| t.amount.minor_units()).sum::<i64>());
        let purchases: Vec<&ReportedTransaction> =
            rows.iter().filter(|t| t.payment_channel == PaymentChannel::InStore).collect();
        let groceries = purchases.iter().filter(|t| t.category == Category::Groceries).count();
        grocery_shares.push((groceries * 1_000 / purchases.len().max(1)) as i64);
        merchants.extend(purchases.iter().map(|t| t.merchant_name.clone()));
    }
    let (low, high) = deciles(incomes);
    println!("90-day income, 10th..90th percentile: {low}..{high} cents; {} merchants", merchants.len());
    assert!(low > 0 && high >= 3 * low, "income spans {low}..{high} (10th..90th percentile over 90 days)");
    assert!(merchants.len() >= 300, "{} distinct merchants", merchants.len());
    let (low, high) = deciles(grocery_shares);
    println!("grocery share of in-store purchases, 10th..90th percentile: {low}..{high} per mille");
    assert!(high >= 2 * low, "grocery share of in-store purchases spans {low}..{high} per mille");
}

/// The case that found payments to people leaving an overdrawn account (checking fell to
/// −$5,923.44 against a floor of −$3,200): now refused past $500 overdrawn.
#[test]
fn an_overdrawn_household_sends_no_money_to_people() {
    let spec = CATALOG.iter().find(|p| p.slug == "capital-one").expect("capital-one");
    let bank = FakeBank::new(spec, 12_544_404_514_167_828_284, NaiveDate::from_ymd_opt(2024, 1, 1).expect("date"));
    let floor = -(2 * bank.household().housing.monthly_cents + 2_000_00);
    for account in bank.accounts().into_iter().filter(|a| a.reported().account_type == AccountType::Checking) {
        let start = account.history_start();
        let as_of = start + Days::new(183);
        let lowest =
            account.report(start..as_of + Days::new(1), as_of).snapshots.iter().map(|s| s.current.minor_units()).min();
        assert!(lowest.is_some_and(|l| l >= floor), "checking fell to {lowest:?}, floor {floor}");
    }
}
