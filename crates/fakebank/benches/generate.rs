//! How long one connection's full history takes to generate: 3 accounts × 6 months.

use chrono::{Months, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use sandbank_domain::account::AccountType;
use sandbank_fakebank::{FakeBank, catalog};
use std::hint::black_box;

fn three_accounts_six_months(c: &mut Criterion) {
    let linked_on = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let spec = catalog::provider("chase").expect("provider");
    let start = linked_on.checked_sub_months(Months::new(6)).expect("date");
    // The busiest kind of connection: three accounts, all cards or checking, six months long.
    let busy = |bank: &FakeBank| {
        let accounts = bank.accounts();
        bank.history_start() == start
            && accounts.len() == 3
            && accounts
                .iter()
                .all(|a| matches!(a.reported().account_type, AccountType::CreditCard | AccountType::Checking))
    };
    // Households differ in how much they spend: of the first hundred such connections, the one
    // with the most rows.
    let rows = |bank: &FakeBank| -> usize {
        bank.accounts().iter().map(|a| a.report(start..linked_on, linked_on).transactions.len()).sum()
    };
    let seed = (0..10_000u64)
        .filter(|s| busy(&FakeBank::new(spec, *s, linked_on)))
        .take(100)
        .max_by_key(|s| rows(&FakeBank::new(spec, *s, linked_on)))
        .expect("a busy seed");
    let bank = FakeBank::new(spec, seed, linked_on);
    let rows = rows(&bank);
    println!("3 accounts x 6 months: {rows} transactions (seed {seed})");
    c.bench_function("generate 3 accounts x 6 months", |b| {
        b.iter(|| {
            let accounts = black_box(&bank).accounts();
            accounts.iter().map(|a| a.report(start..linked_on, linked_on).transactions.len()).sum::<usize>()
        })
    });
}

criterion_group!(benches, three_accounts_six_months);
criterion_main!(benches);
