//! Properties of one household across its banks: transfers with both sides, cards run as banks
//! run them, money that sometimes runs short.

use std::collections::HashMap;

use chrono::{Days, Months, NaiveDate};
use proptest::prelude::*;
use sandbank_domain::account::AccountType;
use sandbank_domain::transaction::{Category, ReportedTransaction};
use sandbank_fakebank::household::CardPaymentHabit;
use sandbank_fakebank::{CATALOG, FakeBank, calendar};

mod common;
use common::{household, household_accounts, rows};

/// Transfers with no other side: payments to and from people outside the household, and cash.
fn with_people_or_cash(t: &ReportedTransaction) -> bool {
    let lines =
        ["ZELLE PAYMENT ", "VENMO PAYMENT ", "CASH APP PAYMENT ", "ATM WITHDRAWAL", "NON-NETWORK ATM WITHDRAWAL"];
    lines.iter().any(|p| t.description.starts_with(p))
}

/// Interest on `revolving` cents at `apr_bp` for `days`, rounded half up: docs/flows.md's rule.
fn interest(revolving: i64, apr_bp: i64, days: i64) -> i64 {
    let exact = revolving as i128 * apr_bp as i128 * days as i128;
    ((2 * exact + 3_650_000) / 7_300_000) as i64
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_transfer_has_both_sides_naming_each_other((seed, linked_on) in household()) {
        let accounts = household_accounts(seed, linked_on);
        let rows = rows(&accounts, linked_on);
        let by_id: HashMap<&str, &(usize, ReportedTransaction)> = rows.iter().map(|r| (r.1.external_id.as_str(), r)).collect();
        for (account, t) in &rows {
            let Some(other_id) = &t.counterpart_external_id else {
                // Money leaves only for people or for the household's own accounts.
                prop_assert!(t.category != Category::Transfer || with_people_or_cash(t), "one-sided transfer {:?}", t);
                continue;
            };
            let (other_account, other) = by_id.get(other_id.as_str()).copied().expect("the other side is in the data");
            // Within one account only a trade: a fund sold and another bought with the proceeds.
            let trade = t.description.starts_with("SELL ") || t.description.starts_with("BUY ");
            prop_assert!(account != other_account || trade, "{:?} names a row of its own account", t);
            prop_assert_eq!(t.category, Category::Transfer);
            prop_assert_eq!(other.category, Category::Transfer);
            prop_assert_eq!(t.amount.minor_units(), -other.amount.minor_units());
            prop_assert_eq!(other.counterpart_external_id.as_deref(), Some(t.external_id.as_str()));
            let (first, last) = (t.date.min(other.date), t.date.max(other.date));
            prop_assert!(last == first || last == calendar::business_day_after(first), "{} and {}", t.date, other.date);
        }
    }

    #[test]
    fn interest_is_charged_on_revolving_balances_by_the_documented_rule((seed, linked_on) in household()) {
        let as_of = linked_on - Days::new(1);
        for card in household_accounts(seed, linked_on).into_iter().filter(|a| a.card_terms().is_some()) {
            let terms = card.card_terms().expect("a card");
            let start = card.history_start();
            let report = card.report(start..linked_on, as_of);
            let owed_on = |day: NaiveDate| report.snapshots.iter().find(|s| s.date == day).map(|s| s.current.minor_units());
            let closes = start.iter_days().take_while(|d| *d <= as_of).filter(|d| chrono::Datelike::day(d) == terms.statement_day);
            for close in closes {
                let previous = close - Months::new(1);
                let Some(owed) = owed_on(previous) else { continue };
                let paid: i64 = report.transactions.iter()
                    .filter(|t| t.category == Category::Transfer)
                    .filter(|t| t.posted_at.is_some_and(|at| previous < at.date_naive() && at.date_naive() <= close))
                    .map(|t| t.amount.minor_units())
                    .sum();
                let expected = if owed > 0 && paid < owed { interest(owed - paid, terms.apr_bp, (close - previous).num_days()) } else { 0 };
                let charged: i64 = report.transactions.iter()
                    .filter(|t| t.date == close && t.description.starts_with("INTEREST CHARGE"))
                    .map(|t| -t.amount.minor_units())
                    .sum();
                prop_assert_eq!(charged, expected, "closing {}: owed {} on {}, paid {}", close, owed, previous, paid);
            }
            if let Some(statement) = &report.statement {
                prop_assert_eq!(Some(statement.statement_balance.minor_units()), owed_on(statement.statement_date).map(|o| o.max(0)));
            }
        }
    }
}

/// The last statement day before `date`.
fn last_close_before(date: NaiveDate, statement_day: u32) -> NaiveDate {
    let this_month = chrono::Datelike::with_day(&date, statement_day).expect("a day every month has");
    if this_month < date { this_month } else { this_month - Months::new(1) }
}

#[test]
fn households_that_pay_in_full_pay_the_statement_balance() {
    let linked_on = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let (mut payments, mut whole) = (0, 0);
    for seed in (0..400)
        .filter(|s| FakeBank::new(&CATALOG[0], *s, linked_on).household().card_payments == CardPaymentHabit::InFull)
        .take(20)
    {
        for card in household_accounts(seed, linked_on).into_iter().filter(|a| a.card_terms().is_some()) {
            let terms = card.card_terms().expect("a card");
            let report = card.report(card.history_start()..linked_on, linked_on - Days::new(1));
            let owed_on =
                |day: NaiveDate| report.snapshots.iter().find(|s| s.date == day).map(|s| s.current.minor_units());
            for payment in
                report.transactions.iter().filter(|t| t.category == Category::Transfer && t.amount.minor_units() > 0)
            {
                let Some(owed) = owed_on(last_close_before(payment.date, terms.statement_day)) else { continue };
                payments += 1;
                whole += usize::from(payment.amount.minor_units() == owed);
            }
        }
    }
    println!("{whole} of {payments} payments of households that pay in full are the statement balance");
    assert!(payments > 20 && whole * 10 >= payments * 9, "{whole} of {payments}");
}

#[test]
fn some_households_overdraw_their_checking() {
    let linked_on = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let overdrawn = (0..100u64)
        .filter(|seed| {
            household_accounts(*seed, linked_on)
                .iter()
                .filter(|a| a.reported().account_type == AccountType::Checking)
                .any(|a| {
                    let start = linked_on.checked_sub_months(Months::new(6)).expect("date").max(a.history_start());
                    a.report(start..linked_on, linked_on - Days::new(1))
                        .snapshots
                        .iter()
                        .any(|s| s.current.is_negative())
                })
        })
        .count();
    println!("{overdrawn} of 100 households overdraw their checking account");
    assert!(overdrawn >= 10, "{overdrawn} of 100 households overdraw");
}

#[test]
fn households_use_cash_and_pay_the_same_people_again() {
    let linked_on = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let (mut withdrawals, mut fees, mut deposits, mut refunds) = (0, 0, 0, 0);
    let (mut p2p_rows, mut p2p_people) = (0, 0);
    for seed in 0..100u64 {
        let accounts = household_accounts(seed, linked_on);
        let rows = rows(&accounts, linked_on);
        let mut people = std::collections::HashSet::new();
        for (account, t) in &rows {
            let d = t.description.as_str();
            if d.starts_with("NON-NETWORK ATM FEE") {
                fees += 1;
                let withdrawal = rows.iter().any(|(a, w)| {
                    a == account && w.date == t.date && w.description.starts_with("NON-NETWORK ATM WITHDRAWAL")
                });
                assert!(withdrawal, "an ATM fee without a withdrawal at another bank's ATM: {t:?}");
            }
            withdrawals += usize::from(d.contains("ATM WITHDRAWAL"));
            deposits += usize::from(d.starts_with("BRANCH DEPOSIT") || d.starts_with("MOBILE DEPOSIT"));
            if d.starts_with("IRS TREAS 310 TAX REF") {
                refunds += 1;
                assert!((2..=4).contains(&chrono::Datelike::month(&t.date)), "a tax refund on {}", t.date);
            }
            if ["ZELLE PAYMENT ", "VENMO PAYMENT ", "CASH APP PAYMENT "].iter().any(|p| d.starts_with(p)) {
                p2p_rows += 1;
                people.insert(t.merchant_name.clone());
            }
        }
        p2p_people += people.len();
    }
    println!(
        "ATM withdrawals {withdrawals} (fees {fees}), deposits {deposits}, tax refunds {refunds}, {p2p_rows} P2P rows with {p2p_people} people"
    );
    assert!(withdrawals > 100 && fees > 10 && fees < withdrawals && deposits > 50 && refunds > 20);
    assert!(p2p_people * 2 < p2p_rows, "{p2p_rows} payments to {p2p_people} people: friends and family come back");
}

#[test]
fn investment_accounts_trade_pay_fees_and_keep_to_the_ira_limit() {
    let linked_on = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let (mut buys, mut sells, mut fees, mut contributions) = (0, 0, 0, 0);
    for seed in 0..100u64 {
        let household = FakeBank::new(&CATALOG[0], seed, linked_on).household();
        let accounts = household_accounts(seed, linked_on);
        let mut ira_by_year: HashMap<i32, i64> = HashMap::new();
        for account in accounts.iter().filter(|a| a.reported().account_type == AccountType::Investment) {
            let ira = account.reported().subtype == sandbank_domain::account::AccountSubtype::Ira;
            for t in account.transactions(account.history_start()..linked_on, linked_on - Days::new(1)) {
                buys += usize::from(t.description.starts_with("BUY "));
                sells += usize::from(t.description.starts_with("SELL "));
                fees += usize::from(t.category == Category::Fees);
                if t.counterpart_external_id.is_some() && t.description.starts_with("ONLINE TRANSFER FROM") {
                    contributions += 1;
                    if ira {
                        *ira_by_year.entry(chrono::Datelike::year(&t.date)).or_default() += t.amount.minor_units();
                    }
                }
            }
        }
        let limit = 7_000_00 * household.earners.len() as i64;
        for (year, cents) in ira_by_year {
            assert!(cents <= limit, "seed {seed}: {cents} into IRAs in {year}, over {limit}");
        }
    }
    println!(
        "{buys} buys, {sells} sells, {fees} fees, {contributions} contributions in 100 households' investment accounts"
    );
    assert!(buys > 20 && buys == sells && fees > 20 && contributions > 50);
}
