//! Fixtures for another project: a bank of its own (a credit union with a checking account and
//! a card), a year of both accounts' transactions, balances and statements, written as JSON.
//!
//! `cargo run -- OUT.json` writes the file (standard output without an argument). The same
//! build writes the same bytes on every machine and every run.

use std::io::Write;

use chrono::{Days, NaiveDate};
use sandbank_domain::account::{AccountSubtype, AccountType};
use sandbank_domain::bank_data::{AccountReport, ReportedAccount};
use sandbank_fakebank::{CatalogError, FakeBank, Household, Product, ProviderSpec};
use serde::Serialize;

/// What the program writes.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fixture {
    provider: String,
    seed: u64,
    from: NaiveDate,
    to: NaiveDate,
    accounts: Vec<AccountYear>,
}

/// One account and its year.
#[derive(Serialize)]
struct AccountYear {
    account: ReportedAccount,
    report: AccountReport,
}

/// Our own bank: nothing `'static` is needed, names may be made at run time. Amounts are in
/// cents: checking opens with $1,500 to $4,000, the card's limit is $3,000 to $8,000.
fn credit_union(town: &str) -> Result<ProviderSpec, CatalogError> {
    ProviderSpec::builder(format!("{}-cu", town.to_lowercase()), format!("{town} Credit Union"))
        .product(
            Product::new("Share Checking", AccountType::Checking, AccountSubtype::Personal)
                .with_opening_balance(150_000..=400_000),
        )
        .product(Product::card("Visa Platinum", AccountSubtype::Cashback, 0).with_credit_limit(300_000..=800_000))
        .holder_city("Denver")
        .build()
}

/// A year of both accounts of a household that banks mainly at our bank.
fn fixture() -> Result<Fixture, CatalogError> {
    let spec = credit_union("Aspen")?;
    let seed = Household::main_bank_seed(&spec, 2026);
    let linked_on = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let bank = FakeBank::new(&spec, seed, linked_on);
    let from = bank.history_start();
    let to = from + Days::new(365);
    let accounts = bank
        .accounts()
        .iter()
        .map(|a| AccountYear { account: a.reported().clone(), report: a.report(from..to, to) })
        .collect();
    Ok(Fixture { provider: spec.slug, seed, from, to, accounts })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fixture = fixture()?;
    let mut out: Box<dyn Write> = match std::env::args().nth(1) {
        Some(path) => Box::new(std::fs::File::create(path)?),
        None => Box::new(std::io::stdout().lock()),
    };
    serde_json::to_writer_pretty(&mut out, &fixture)?;
    writeln!(out)?;
    let rows: usize = fixture.accounts.iter().map(|a| a.report.transactions.len()).sum();
    eprintln!("{} accounts, {rows} transactions, {} to {}", fixture.accounts.len(), fixture.from, fixture.to);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_of_two_accounts_the_same_twice() {
        let first = serde_json::to_string(&fixture().expect("a fixture")).expect("JSON");
        assert_eq!(first, serde_json::to_string(&fixture().expect("a fixture")).expect("JSON"));
        let fixture = fixture().expect("a fixture");
        assert_eq!(fixture.accounts.len(), 2);
        for year in &fixture.accounts {
            assert!(year.account.official_name.starts_with("Aspen Credit Union "));
            assert_eq!(year.report.snapshots.len(), 365);
            assert!(!year.report.transactions.is_empty());
        }
    }
}
