//! Authorize end to end over HTTP: create a connection with 3 accounts and 6 months of history
//! and complete its consent, against a real server on SQLite and (with `SANDBANK_TEST_PG`) on
//! PostgreSQL. Prints p50 and p99 of the authorize request as the client sees it.
//!
//! `cargo bench -p sandbank --bench authorize` (`SANDBANK_BENCH_ROUNDS` sets the count).
//!
//! Each round is a new user (registration is not timed), so the database grows by one user's
//! data per round, as it does in use.

mod support;

use std::time::Instant;

use chrono::{Months, Utc};
use sandbank_domain::account::AccountType;
use sandbank_fakebank::{FakeBank, catalog};
use sandbank_store::test_database::{TestBackend, TestDatabase};
use serde_json::json;
use support::{Client, percentile};

/// A seed whose connection has three card or checking accounts and six months of history.
fn busy_seed() -> i64 {
    let spec = catalog::provider("chase").expect("chase");
    let today = Utc::now().date_naive();
    let six_months_ago = today.checked_sub_months(Months::new(6)).expect("date");
    (0..100_000i64)
        .find(|seed| {
            let bank = FakeBank::new(spec, *seed as u64, today);
            let accounts = bank.accounts();
            bank.history_start() == six_months_ago
                && accounts.len() == 3
                && accounts
                    .iter()
                    .all(|a| matches!(a.reported().account_type, AccountType::CreditCard | AccountType::Checking))
        })
        .expect("a busy seed")
}

fn run(backend: TestBackend, rounds: usize, seed: i64) -> Option<()> {
    let database = TestDatabase::create(backend)?;
    let port = support::start(support::bench_settings(&database));
    let mut client = Client::connect(port);
    let provider_id = catalog::provider("chase").expect("chase").id.as_str();
    let mut millis = Vec::with_capacity(rounds);
    for round in 0..rounds + 3 {
        // Each round is a new user linking their bank, as in real use.
        let register = json!({"email": format!("bench{round}@example.com"), "password": "bench-password"});
        let (_, registered) = client.request("POST", "/api/auth/register", None, Some(&register));
        let token = registered["token"].as_str().expect("token").to_owned();
        let create = json!({"providerId": provider_id, "seed": seed});
        let (_, created) = client.request("POST", "/api/financial/connections", Some(&token), Some(&create));
        let id = created["connectionId"].as_str().expect("connection").to_owned();
        let started = Instant::now();
        let path = format!("/api/financial/connections/{id}/authorize");
        let (status, _) = client.request("POST", &path, Some(&token), Some(&json!({})));
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(status, 200);
        if round >= 3 {
            millis.push(elapsed);
        }
    }
    millis.sort_by(f64::total_cmp);
    println!(
        "authorize over HTTP on {:<8} ({rounds} rounds): p50 {:6.2} ms  p99 {:6.2} ms  max {:6.2} ms",
        format!("{backend:?}"),
        percentile(&millis, 0.50),
        percentile(&millis, 0.99),
        millis.last().copied().unwrap_or_default(),
    );
    Some(())
}

fn main() {
    sandbank::telemetry::init_with_default("error");
    let rounds = std::env::var("SANDBANK_BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(100);
    let seed = busy_seed();
    let today = Utc::now().date_naive();
    let bank = FakeBank::new(catalog::provider("chase").expect("chase"), seed as u64, today);
    let transactions: usize =
        bank.accounts().iter().map(|a| a.transactions(a.history_start()..today, today).len()).sum();
    println!("seed {seed}: 3 accounts, 6 months, {transactions} transactions and 3 x 183 snapshots per authorize");
    run(TestBackend::Sqlite, rounds, seed);
    if run(TestBackend::Postgres, rounds, seed).is_none() {
        println!("PostgreSQL skipped: set SANDBANK_TEST_PG to include it");
    }
}
