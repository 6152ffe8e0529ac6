//! Prints one month of a provider's accounts as tables, to judge the data by eye:
//! `cargo run -p sandbank-fakebank --example month -- chase 42 2026-06-01`.

use chrono::{Days, Months, NaiveDate};
use sandbank_fakebank::{FakeBank, catalog};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let slug = args.first().map_or("chase", String::as_str);
    let seed = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(42);
    let linked_on = args
        .get(2)
        .and_then(|s| s.parse::<NaiveDate>().ok())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default());
    let Some(spec) = catalog::provider(slug) else {
        eprintln!("unknown provider {slug}; one of: amex, chase, bank-of-america, wells-fargo, capital-one");
        return;
    };
    let bank = FakeBank::new(spec, seed, linked_on);
    let month_start = linked_on.checked_sub_months(Months::new(1)).unwrap_or(linked_on);
    let as_of = linked_on - Days::new(1);
    for account in bank.accounts() {
        let reported = account.reported();
        let report = account.report(month_start..linked_on, as_of);
        println!(
            "\n## {} — {} {} ({}/{}) {}",
            spec.name,
            reported.name,
            reported.display_number(),
            reported.account_type,
            reported.subtype,
            reported.credit_limit.map(|l| format!("limit {l}")).unwrap_or_default()
        );
        println!("| date | merchant | description | category | channel | location | status | amount |");
        println!("|---|---|---|---|---|---|---|---:|");
        for t in &report.transactions {
            let place = t.location.as_ref().map(|l| format!("{}, {}", l.city, l.region)).unwrap_or_default();
            println!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                t.date, t.merchant_name, t.description, t.category, t.payment_channel, place, t.status, t.amount
            );
        }
        println!(
            "\nas of {}: current {}, available {}{}",
            report.balances.date,
            report.balances.current,
            report.balances.available,
            report
                .statement
                .map(|s| format!(
                    "; statement {} balance {} due {} minimum {}",
                    s.statement_date, s.statement_balance, s.payment_due_date, s.minimum_payment
                ))
                .unwrap_or_default()
        );
    }
}
