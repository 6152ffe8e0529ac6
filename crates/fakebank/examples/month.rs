//! Prints the household behind a seed, where it banks, and one month of a provider's accounts
//! as tables, to judge the data by eye:
//! `cargo run -p sandbank-fakebank --example month -- chase 42 2026-06-01`.
//! Every provider connected with the same seed shows its part of the same household; a
//! transfer's two rows name each other ("other side": the first digits of the other row's id,
//! at this bank or another).

use chrono::{Days, Months, NaiveDate};
use sandbank_fakebank::{CATALOG, FakeBank, Household, catalog};

/// The household in a few lines: home, people, earners, home payment, habits, and its accounts
/// at each bank.
fn describe(household: &Household) {
    let city = &household.city;
    println!("# Household: {}, {} ({}, {:?})", city.name, city.state, city.zone.name(), city.region);
    println!(
        "{} people; {:?} spending; saves {} %; pays cards {:?}; edge {:?}",
        household.family_size, household.style, household.savings_percent, household.card_payments, household.edge
    );
    for earner in &household.earners {
        println!(
            "- earner paid by {} ({:?}): ${:.0} net a year, about ${:.2} a paycheck, at {}",
            earner.payer,
            earner.schedule,
            earner.annual_net_cents as f64 / 100.0,
            earner.paycheck_cents() as f64 / 100.0,
            earner.bank
        );
    }
    let people: Vec<String> = household
        .contacts
        .iter()
        .map(|c| match c.monthly {
            Some((day, cents)) => format!("{} ({:?}, ${:.2} on the {day})", c.name, c.app, cents as f64 / 100.0),
            None => format!("{} ({:?})", c.name, c.app),
        })
        .collect();
    println!("- pays and is paid by: {}", people.join("; "));
    let cash = household.cash;
    println!(
        "- cash: {} ATM visits a month ({} % elsewhere), {} deposits a month, tax refund {:?}",
        cash.atm_per_month, cash.out_of_network_percent, cash.deposits_per_month, cash.tax_refund_cents
    );
    let housing = household.housing;
    println!("- {:?} to {}: ${:.2} a month", housing.tenure, housing.payee, housing.monthly_cents as f64 / 100.0);
    for spec in CATALOG.iter() {
        let names: Vec<String> = household.holdings(spec).into_iter().map(|p| p.name).collect();
        println!("- at {}: {}", spec.name, names.join(", "));
    }
}

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
    describe(&bank.household());
    let month_start = linked_on.checked_sub_months(Months::new(1)).unwrap_or(linked_on);
    let as_of = linked_on - Days::new(1);
    for trip in bank.household().trips(month_start..linked_on) {
        let flown = trip.flight_bought_on.map(|d| format!(", flights bought on {d}")).unwrap_or_default();
        println!("- a trip to {} from {} to {}{flown}", trip.city.name, trip.first_day, trip.last_day);
    }
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
        if let Some(terms) = account.card_terms() {
            println!(
                "APR {:.2} %, statements close on the {}, due {} days later, annual fee ${:.2}",
                terms.apr_bp as f64 / 100.0,
                terms.statement_day,
                terms.due_after_days,
                terms.annual_fee_cents as f64 / 100.0
            );
        }
        println!(
            "| date | merchant | description | category | channel | location | status | amount | id | other side |"
        );
        println!("|---|---|---|---|---|---|---|---:|---|---|");
        let short = |id: &str| id.rsplit('_').next().map(|h| h[..6.min(h.len())].to_owned()).unwrap_or_default();
        for t in &report.transactions {
            let place = t.location.as_ref().map(|l| format!("{}, {}", l.city, l.region)).unwrap_or_default();
            let other = t.counterpart_external_id.as_deref().map(short).unwrap_or_default();
            println!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {other} |",
                t.date,
                t.merchant_name,
                t.description,
                t.category,
                t.payment_channel,
                place,
                t.status,
                t.amount,
                short(&t.external_id)
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
