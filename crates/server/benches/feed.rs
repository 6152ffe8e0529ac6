//! The change feed of a big user, server side (the service call: queries, sorting and the
//! signed cursor, no HTTP): one user with 1,000,000 transactions (`SANDBANK_BENCH_TRANSACTIONS`),
//! on SQLite and, with `SANDBANK_TEST_PG`, on PostgreSQL. Prints p50 and p99 of pages of 500.
//!
//! `cargo bench -p sandbank --bench feed`

use std::time::Instant;

use sandbank_domain::UserId;
use sandbank_domain::change_feed::RawFeedQuery;
use sandbank_domain::transaction::Category;
use sandbank_services::use_cases::demo::DemoData;
use sandbank_services::use_cases::feed::{FeedService, SealedFeedPage};
use sandbank_store::changes::ChangeStamp;
use sandbank_store::test_database::{TestBackend, TestDatabase};
use sandbank_store::{Db, StoreError, transactions};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// One page of 500 from `cursor`.
fn page(feed: &FeedService, user: UserId, cursor: Option<&str>) -> SealedFeedPage {
    let raw = RawFeedQuery { cursor, count: Some("500"), connection_id: None };
    let query = feed.parse_query(&raw, user).expect("a valid query");
    feed.changes(user, &query).expect("a page")
}

/// Times `rounds` pages from `cursor` and prints p50/p99.
fn measure(feed: &FeedService, user: UserId, label: &str, rounds: usize, cursor: Option<&str>) {
    let mut millis = Vec::with_capacity(rounds);
    let mut rows = 0;
    for _ in 0..rounds {
        let started = Instant::now();
        let sealed = page(feed, user, cursor);
        millis.push(started.elapsed().as_secs_f64() * 1000.0);
        rows = sealed.page.added.len() + sealed.page.modified.len() + sealed.page.removed.len();
    }
    millis.sort_by(f64::total_cmp);
    println!(
        "  {label:<50} p50 {:7.3} ms  p99 {:7.3} ms  ({rows} changes)",
        percentile(&millis, 0.5),
        percentile(&millis, 0.99)
    );
}

/// Follows the feed from no cursor for `depth` changes; returns the cursor there, and at the end.
fn walk(feed: &FeedService, user: UserId, depth: usize) -> (String, String) {
    let (mut cursor, mut walked, mut middle) = (None::<String>, 0, None);
    loop {
        let sealed = page(feed, user, cursor.as_deref());
        walked += sealed.page.added.len();
        cursor = Some(sealed.next_cursor);
        if walked >= depth && middle.is_none() {
            middle = cursor.clone();
        }
        if !sealed.page.has_more {
            let end = cursor.expect("a cursor");
            return (middle.unwrap_or_else(|| end.clone()), end);
        }
    }
}

/// Re-categorises the user's first `count` transactions of the newest page in one write.
fn change_some(db: &Db, user: UserId, count: usize) {
    db.write(|conn| {
        let mut stamp = ChangeStamp::new(user);
        let everything = sandbank_domain::transaction_query::TransactionQuery::parse(&Default::default()).expect("q");
        let rows = transactions::page(
            conn,
            user,
            &everything.filter,
            everything.sort_by,
            everything.order,
            None,
            count as i64,
        )?;
        for row in rows {
            transactions::set_category(conn, row.id, Category::Shopping, &mut stamp)?;
        }
        Ok::<_, StoreError>(())
    })
    .expect("changed");
}

fn run(backend: TestBackend, transactions: usize, rounds: usize) -> Option<()> {
    let database = TestDatabase::create(backend)?;
    let db = database.migrated();
    let started = Instant::now();
    let user = DemoData::new(db.clone()).fill(1, transactions, |_| {}).expect("demo data")[0].id;
    println!(
        "{backend:?}: {transactions} transactions for one user written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Fresh statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) would leave:
    // without them PostgreSQL guesses a few hundred rows and sorts the whole feed for a page.
    db.read(sandbank_store::diagnostics::refresh_statistics).expect("analyzed");
    let feed = FeedService::new(db.clone(), &[0; 32], chrono::TimeDelta::days(30));
    measure(&feed, user, "first page from no cursor", rounds, None);
    let started = Instant::now();
    let (middle, end) = walk(&feed, user, transactions / 2);
    println!("  the whole state followed page by page in {:.1} s", started.elapsed().as_secs_f64());
    measure(&feed, user, "a page half-way through the state", rounds, Some(&middle));
    measure(&feed, user, "nothing new since the last cursor", rounds, Some(&end));
    change_some(&db, user, 500);
    measure(&feed, user, "500 changed rows since the last cursor", rounds, Some(&end));
    Some(())
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
