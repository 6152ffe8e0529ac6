//! A provider of one's own: built at run time (nothing `'static`), its products' balance and
//! limit ranges and its holders' city kept, as deterministic as the built-in banks, among the
//! built-in banks or alone.

use chrono::{Days, NaiveDate};
use sandbank_domain::account::{AccountSubtype, AccountType};
use sandbank_fakebank::{Catalog, FakeBank, Household, Product, ProviderSpec};

fn linked_on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).expect("date")
}

/// A credit union named at run time, with a checking account, a card and savings.
fn credit_union() -> ProviderSpec {
    let town = String::from("Cascade");
    ProviderSpec::builder("cascade-cu", format!("{town} Credit Union"))
        .product(
            Product::new("Share Checking", AccountType::Checking, AccountSubtype::Personal)
                .with_opening_balance(2_000_00..=3_000_00),
        )
        .product(
            Product::card("Visa Signature", AccountSubtype::Rewards, 0)
                .with_credit_limit(4_000_00..=6_000_00)
                .with_opening_balance(100_00..=200_00),
        )
        .product(Product::new("Member Savings", AccountType::Savings, AccountSubtype::Personal))
        .holder_city("Portland")
        .build()
        .expect("a valid provider")
}

#[test]
fn a_provider_of_ones_own_keeps_its_products_ranges_and_city() {
    let spec = credit_union();
    let seed = Household::main_bank_seed(&spec, 1);
    let bank = FakeBank::new(&spec, seed, linked_on());
    assert_eq!(bank.household().city.name, "Portland", "its holders live where it says");
    assert_eq!(bank.household().primary_bank, "cascade-cu", "a busy seed banks mainly there");
    let accounts = bank.accounts();
    assert_eq!(accounts.len(), 3, "seed {seed}");
    let before = bank.history_start() - Days::new(1);
    for account in &accounts {
        let reported = account.reported();
        assert!(reported.official_name.starts_with("Cascade Credit Union "), "{}", reported.official_name);
        let opening = account.balances(before).current.minor_units();
        match reported.account_type {
            AccountType::CreditCard => {
                let limit = reported.credit_limit.map(|l| l.minor_units());
                assert!(limit.is_some_and(|l| (4_000_00..=6_000_00).contains(&l)), "{limit:?}");
                assert!((100_00..=200_00).contains(&opening), "owed at the start: {opening}");
            }
            AccountType::Checking => assert!((2_000_00..=3_000_00).contains(&opening), "{opening}"),
            _ => assert!(opening > 0),
        }
    }
}

#[test]
fn a_provider_of_ones_own_is_deterministic_and_has_a_year_of_data() {
    let spec = credit_union();
    let seed = Household::main_bank_seed(&spec, 1);
    let year = |bank: &FakeBank| {
        let start = bank.history_start();
        let end = start + Days::new(365);
        bank.accounts().iter().map(|a| (a.reported().account_type, a.report(start..end, end))).collect::<Vec<_>>()
    };
    let first = year(&FakeBank::new(&spec, seed, linked_on()));
    assert_eq!(first, year(&FakeBank::new(&credit_union(), seed, linked_on())), "the same seed, the same rows");
    assert_ne!(first, year(&FakeBank::new(&spec, seed + 1, linked_on())), "another seed, other rows");
    let checking = &first.iter().find(|(kind, _)| *kind == AccountType::Checking).expect("checking").1;
    let months: std::collections::BTreeSet<_> =
        checking.transactions.iter().map(|t| t.date.format("%Y-%m").to_string()).collect();
    assert!(months.len() >= 12, "rows all year: {months:?}");
    assert_eq!(checking.snapshots.len(), 365);
}

#[test]
fn a_catalog_of_ones_own_banks_keeps_its_households_there() {
    let catalog = Catalog::new(vec![credit_union()]).expect("a catalog");
    for seed in 0..20 {
        let bank = catalog.bank("cascade-cu", seed, linked_on()).expect("its bank");
        let household = bank.household();
        assert_eq!(household.primary_bank, "cascade-cu");
        assert!(household.earners.iter().all(|e| e.bank == "cascade-cu"), "paid there");
        let accounts = bank.accounts();
        assert!(!accounts.is_empty());
        assert!(accounts.iter().any(|a| a.reported().account_type == AccountType::Checking), "seed {seed}");
    }
    assert!(catalog.bank("chase", 1, linked_on()).is_none(), "only its own banks");
}

#[test]
fn the_built_in_banks_are_the_built_in_catalogs() {
    let builtin = Catalog::builtin();
    for spec in builtin.providers() {
        let one = FakeBank::new(spec, 42, linked_on()).accounts();
        let other = builtin.bank(&spec.slug, 42, linked_on()).expect("a bank").accounts();
        let reported = |accounts: &[sandbank_fakebank::FakeAccount]| {
            accounts.iter().map(|a| a.reported().clone()).collect::<Vec<_>>()
        };
        assert_eq!(reported(&one), reported(&other), "{}", spec.slug);
    }
}
