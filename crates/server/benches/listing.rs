//! Listing a big user's transactions, server side (the service call: queries and mapping, no
//! HTTP): one user with 1,000,000 transactions (`SANDBANK_BENCH_TRANSACTIONS`), on SQLite and,
//! with `SANDBANK_TEST_PG`, on PostgreSQL. Prints p50 and p99 of each listing.
//!
//! `cargo bench -p sandbank --bench listing`
//!
//! The first call of a first page counts the matching rows (`total`); later calls find the count
//! remembered for the user's data version. Both are printed.

use std::time::Instant;

use chrono::{Days, Utc};
use sandbank_domain::UserId;
use sandbank_domain::transaction_query::{RawTransactionQuery, TransactionQuery};
use sandbank_services::use_cases::demo::DemoData;
use sandbank_services::use_cases::transactions::TransactionService;
use sandbank_store::test_database::{TestBackend, TestDatabase};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn query(service: &TransactionService, raw: RawTransactionQuery<'_>) -> TransactionQuery {
    service.parse_query(&raw).expect("a valid query")
}

/// Times `rounds` listings of `raw` and prints p50/p99.
fn measure(service: &TransactionService, user: UserId, label: &str, rounds: usize, raw: RawTransactionQuery<'_>) {
    let mut millis = Vec::with_capacity(rounds);
    let mut rows = 0;
    for _ in 0..rounds {
        let started = Instant::now();
        let page = service.list(user, &query(service, raw.clone())).expect("page");
        millis.push(started.elapsed().as_secs_f64() * 1000.0);
        rows = page.transactions.len();
    }
    millis.sort_by(f64::total_cmp);
    println!(
        "  {label:<46} p50 {:7.3} ms  p99 {:7.3} ms  ({rows} rows)",
        percentile(&millis, 0.5),
        percentile(&millis, 0.99)
    );
}

/// Times `rounds` sums of what `raw` matches (never cached: every call reads every matching
/// row) and prints p50/p99.
fn measure_sums(service: &TransactionService, user: UserId, label: &str, rounds: usize, raw: RawTransactionQuery<'_>) {
    let mut millis = Vec::with_capacity(rounds);
    let query = query(service, raw);
    for _ in 0..rounds {
        let started = Instant::now();
        service.sums(user, &query).expect("sums");
        millis.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    millis.sort_by(f64::total_cmp);
    println!("  {label:<46} p50 {:7.3} ms  p99 {:7.3} ms", percentile(&millis, 0.5), percentile(&millis, 0.99));
}

/// The cursor `depth` rows into the listing of `raw`.
fn cursor_at(service: &TransactionService, user: UserId, depth: usize, raw: RawTransactionQuery<'_>) -> String {
    let mut cursor: Option<String> = None;
    let mut walked = 0;
    while walked < depth {
        let page = service
            .list(
                user,
                &query(service, RawTransactionQuery { cursor: cursor.as_deref(), limit: Some("500"), ..raw.clone() }),
            )
            .expect("page");
        walked += page.transactions.len();
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    cursor.expect("the listing is deep enough")
}

fn run(backend: TestBackend, transactions: usize, rounds: usize) -> Option<()> {
    let database = TestDatabase::create(backend)?;
    let db = database.migrated();
    let started = Instant::now();
    let users = DemoData::new(db.clone()).fill(1, transactions, |_| {}).expect("demo data");
    let user = users[0].id;
    println!(
        "{backend:?}: {transactions} transactions for one user written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let service = TransactionService::new(db, &[0; 32]);
    let today = Utc::now().date_naive();
    let (start, end) = ((today - Days::new(30)).to_string(), today.to_string());
    measure(&service, user, "first page (limit 50, newest first)", rounds, RawTransactionQuery::default());
    let filtered = RawTransactionQuery {
        category: Some("groceries"),
        start_date: Some(&start),
        end_date: Some(&end),
        ..Default::default()
    };
    measure(&service, user, "groceries in the last 30 days (first page)", rounds, filtered);
    let deep = cursor_at(&service, user, transactions / 2, RawTransactionQuery::default());
    measure(
        &service,
        user,
        "a page half-way through, by its cursor",
        rounds,
        RawTransactionQuery { cursor: Some(&deep), ..Default::default() },
    );
    let by_amount = RawTransactionQuery { sort_by: Some("amount"), ..Default::default() };
    measure(&service, user, "first page by amount", rounds, by_amount.clone());
    let deep_amount = cursor_at(&service, user, transactions / 2, by_amount.clone());
    measure(
        &service,
        user,
        "a page half-way through by amount, by its cursor",
        rounds,
        RawTransactionQuery { cursor: Some(&deep_amount), ..by_amount },
    );
    search(&service, user, rounds);
    Some(())
}

/// `q`: a common word, a rare one, one in most descriptions and a text in no row; the first page (its
/// count is made on the first call, then remembered) and what every match adds up to.
fn search(service: &TransactionService, user: UserId, rounds: usize) {
    for (label, text) in [("common", "coffee"), ("rare", "hertz"), ("absent", "zqxv"), ("most rows", "denver")] {
        let raw = RawTransactionQuery { text: Some(text), ..Default::default() };
        measure(service, user, &format!("q={text} ({label}), first page"), rounds, raw.clone());
        measure_sums(service, user, &format!("q={text}, sums (p99: the first, summed)"), rounds.min(20), raw);
    }
}

fn main() {
    sandbank::telemetry::init_with_default("error");
    let transactions =
        std::env::var("SANDBANK_BENCH_TRANSACTIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000_000);
    let rounds = std::env::var("SANDBANK_BENCH_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(200);
    run(TestBackend::Sqlite, transactions, rounds);
    if run(TestBackend::Postgres, transactions, rounds).is_none() {
        println!("PostgreSQL skipped: set SANDBANK_TEST_PG to include it");
    }
}
