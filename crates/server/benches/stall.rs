//! The stall figure of issue #11: while one user's connection syncs a ten-year backlog (and
//! that user fires `SANDBANK_BENCH_SYNCS`, default 20, syncs of it at once), another user signs
//! in and reads a page of transactions in a loop. Prints that user's p50/p99/max and 5xx count,
//! the syncs' statuses, the longest any write transaction held its locks
//! (`sandbank_store::metrics`), and as a second client sees it: on SQLite the longest a second
//! writer waited for the write lock, on PostgreSQL the oldest open transaction seen (run it
//! alone: other tests on the same PostgreSQL database would count).
//!
//! `cargo bench -p sandbank --bench stall`, on SQLite and (with `SANDBANK_TEST_PG`) PostgreSQL.

mod support;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use sandbank_fakebank::catalog;
use sandbank_store::test_database::{TestBackend, TestDatabase};
use sandbank_store::{Db, StoreError};
use serde_json::json;
use support::{Client, percentile};

const PASSWORD: &str = "bench-password";

/// Registers `email` and connects Chase with `seed`; returns the token and the connection id.
fn connected_user(client: &mut Client, email: &str, seed: i64) -> (String, String) {
    let register = json!({"email": email, "password": PASSWORD});
    let (status, registered) = client.request("POST", "/api/auth/register", None, Some(&register));
    assert_eq!(status, 201, "{registered}");
    let token = registered["token"].as_str().expect("token").to_owned();
    let create = json!({"providerId": catalog::provider("chase").expect("chase").id, "seed": seed});
    let (_, created) = client.request("POST", "/api/financial/connections", Some(&token), Some(&create));
    let id = created["connectionId"].as_str().expect("connection").to_owned();
    let authorize = format!("/api/financial/connections/{id}/authorize");
    assert_eq!(client.request("POST", &authorize, Some(&token), Some(&json!({}))).0, 200);
    (token, id)
}

/// The other user's latencies (ms) and statuses while the syncs run.
#[derive(Default)]
struct Reader {
    login: Vec<f64>,
    page: Vec<f64>,
    server_errors: usize,
}

impl Reader {
    /// Signs in and reads the first page of transactions, every 5 ms, until `stop`.
    fn run(port: u16, email: &str, stop: &AtomicBool) -> Self {
        let mut client = Client::connect(port);
        let mut reader = Self::default();
        let sign_in = json!({"email": email, "password": PASSWORD});
        while !stop.load(Ordering::Relaxed) {
            let started = Instant::now();
            let (status, body) = client.request("POST", "/api/auth/login", None, Some(&sign_in));
            reader.record(status, started, true);
            if let Some(token) = body["token"].as_str() {
                let started = Instant::now();
                let (status, _) = client.request("GET", "/api/financial/transactions?limit=50", Some(token), None);
                reader.record(status, started, false);
            }
            thread::sleep(Duration::from_millis(5));
        }
        reader
    }

    fn absorb(&mut self, other: Self) {
        self.login.extend(other.login);
        self.page.extend(other.page);
        self.server_errors += other.server_errors;
    }

    fn record(&mut self, status: u16, started: Instant, login: bool) {
        let millis = started.elapsed().as_secs_f64() * 1000.0;
        if status >= 500 {
            self.server_errors += 1;
        }
        if login { &mut self.login } else { &mut self.page }.push(millis);
    }

    fn summary(label: &str, figures: &mut [f64]) -> String {
        figures.sort_by(f64::total_cmp);
        format!(
            "{label} p50 {:7.1} ms  p99 {:7.1} ms  max {:7.1} ms ({} requests)",
            percentile(figures, 0.5),
            percentile(figures, 0.99),
            figures.last().copied().unwrap_or_default(),
            figures.len()
        )
    }
}

/// Samples how long writers are held up, every 5 ms until `stop`; returns the longest.
fn longest_write_stall(database: &TestDatabase, stop: &AtomicBool) -> Duration {
    let db = Db::open(database.url()).expect("probe's pool");
    let mut longest = Duration::ZERO;
    while !stop.load(Ordering::Relaxed) {
        let started = Instant::now();
        let oldest = db.read(sandbank_store::diagnostics::oldest_open_transaction).expect("probe");
        let stall = match oldest {
            Some(age) => age,
            None => {
                // SQLite: wait for the write lock, past busy timeouts, and take it at once.
                while db.write(|_| Ok::<(), StoreError>(())).is_err() {}
                started.elapsed()
            }
        };
        longest = longest.max(stall);
        thread::sleep(Duration::from_millis(5));
    }
    longest
}

/// A new connection of the user's whose clock is moved on a year at a time, `years` times or
/// until the server refuses (its bound is ten years); returns its id and the days moved.
fn backlog(client: &mut Client, token: &str, seed: i64, years: u32) -> (String, u32) {
    let create = json!({"providerId": catalog::provider("chase").expect("chase").id, "seed": seed});
    let (_, created) = client.request("POST", "/api/financial/connections", Some(token), Some(&create));
    let id = created["connectionId"].as_str().expect("connection").to_owned();
    let authorize = format!("/api/financial/connections/{id}/authorize");
    assert_eq!(client.request("POST", &authorize, Some(token), Some(&json!({}))).0, 200);
    let mut days = 0;
    for _ in 0..years {
        let advance = json!({"event": "advance_days", "days": 365});
        let simulate = format!("/api/sandbox/connections/{id}/simulate");
        match client.request("POST", &simulate, Some(token), Some(&advance)) {
            (200, _) => days += 365,
            (400, _) => break,
            (status, body) => panic!("advance_days: {status} {body}"),
        }
    }
    (id, days)
}

/// Fires `syncs` syncs of the connection at once; returns their statuses.
fn flood(port: u16, token: &str, id: &str, syncs: usize) -> Vec<u16> {
    let path = format!("/api/financial/connections/{id}");
    let threads: Vec<_> = (0..syncs)
        .map(|_| {
            let (token, path) = (token.to_owned(), path.clone());
            thread::spawn(move || Client::connect(port).request("POST", &path, Some(&token), Some(&json!({}))).0)
        })
        .collect();
    threads.into_iter().map(|sync| sync.join().expect("sync")).collect()
}

fn run(backend: TestBackend, syncs: usize, rounds: usize, years: u32) -> Option<()> {
    let database = TestDatabase::create(backend)?;
    let port = support::start(support::bench_settings(&database));
    let mut client = Client::connect(port);
    let (token, _) = connected_user(&mut client, "stall@example.com", 33);
    connected_user(&mut client, "reader@example.com", 7);
    let (mut reader, mut longest, mut held, mut took) =
        (Reader::default(), Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let (mut statuses, mut days) = (BTreeMap::new(), 0);
    for round in 0..rounds {
        // A fresh connection: the server closes one left idle past its keep-alive (5 s) while a
        // flood ran.
        client = Client::connect(port);
        let (id, moved) = backlog(&mut client, &token, 33 + round as i64, years);
        days = moved;
        let stop = AtomicBool::new(false);
        sandbank_store::metrics::reset_longest_write_hold();
        thread::scope(|scope| {
            let probe = scope.spawn(|| longest_write_stall(&database, &stop));
            let other_user = scope.spawn(|| Reader::run(port, "reader@example.com", &stop));
            let started = Instant::now();
            for status in flood(port, &token, &id, syncs) {
                *statuses.entry(status).or_insert(0) += 1;
            }
            took += started.elapsed();
            stop.store(true, Ordering::Relaxed);
            longest = longest.max(probe.join().expect("probe"));
            held = held.max(sandbank_store::metrics::longest_write_hold());
            reader.absorb(other_user.join().expect("reader"));
        });
    }
    println!(
        "{backend:?}: {rounds} x {syncs} syncs of a {days}-day backlog took {took:.1?}; their statuses {statuses:?}"
    );
    println!("  another user: {}", Reader::summary("sign-in", &mut reader.login));
    println!("  another user: {}", Reader::summary("page   ", &mut reader.page));
    println!("  another user: {} responses 5xx", reader.server_errors);
    println!("  longest write transaction (locks held): {:.1} ms", held.as_secs_f64() * 1000.0);
    let seen =
        if backend == TestBackend::Sqlite { "longest a second writer waited" } else { "oldest open transaction seen" };
    println!("  {seen}: {:.1} ms", longest.as_secs_f64() * 1000.0);
    Some(())
}

fn main() {
    sandbank::telemetry::init_with_default("error");
    let syncs = std::env::var("SANDBANK_BENCH_SYNCS").ok().and_then(|n| n.parse().ok()).unwrap_or(20);
    let rounds = std::env::var("SANDBANK_BENCH_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(5);
    let years = std::env::var("SANDBANK_BENCH_YEARS").ok().and_then(|n| n.parse().ok()).unwrap_or(10);
    run(TestBackend::Sqlite, syncs, rounds, years);
    if run(TestBackend::Postgres, syncs, rounds, years).is_none() {
        println!("PostgreSQL skipped: set SANDBANK_TEST_PG to include it");
    }
}
