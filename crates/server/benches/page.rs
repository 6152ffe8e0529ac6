//! A page of 50 transactions of one account, one request at a time, against the same SQL run raw
//! on the same database — `select * from financial_transactions where user_id = ? and
//! account_id = ? order by date desc, id desc limit 51` through a cached prepared statement
//! (rusqlite; the `postgres` crate) — measured side by side in one run, with authentication
//! alone (`GET /api/auth/me`) and `/healthz`; the page is asked again and again, so it is served
//! as rendered before (one version read), and a second server with that cache off gives the
//! figure of running the page query and rendering it each time. SQLite, and PostgreSQL with
//! `SANDBANK_TEST_PG`.
//!
//! `cargo bench -p sandbank --bench page` (`SANDBANK_BENCH_ROUNDS`, default 2,000 per figure).
//!
//! The data: one user, ten connections (about 1,800 rows), as in issue #15's measurements.

mod support;

use std::time::Instant;

use sandbank::Settings;
use sandbank_fakebank::{CATALOG, Household};
use sandbank_store::DatabaseUrl;
use sandbank_store::test_database::{TestBackend, TestDatabase};
use serde_json::{Value, json};
use support::{Client, percentile};

/// The SQL the page runs, in its plainest form.
const PAGE_SQL: &str =
    "select * from financial_transactions where user_id = $1 and account_id = $2 order by date desc, id desc limit 51";

/// p50 and p99 of `rounds` timings of `run` (after a warm-up), in microseconds.
fn time(rounds: usize, mut run: impl FnMut()) -> (f64, f64) {
    for _ in 0..rounds / 10 {
        run();
    }
    let mut micros: Vec<f64> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    micros.sort_by(f64::total_cmp);
    (percentile(&micros, 0.5), percentile(&micros, 0.99))
}

/// A user with ten connections (one busy household at each bank, twice); returns the token,
/// the user's id and the account with the most rows.
fn populate(client: &mut Client) -> (String, String, String) {
    let register = json!({"email": "page@example.com", "password": "bench-password"});
    let (_, registered) = client.request("POST", "/api/auth/register", None, Some(&register));
    let token = registered["token"].as_str().expect("token").to_owned();
    for (round, spec) in CATALOG.iter().chain(CATALOG.iter()).enumerate() {
        let seed = Household::main_bank_seed(spec, 100 * round as u64);
        let create = json!({"providerId": spec.id, "seed": seed});
        let (_, created) = client.request("POST", "/api/financial/connections", Some(&token), Some(&create));
        let id = created["connectionId"].as_str().expect("connection").to_owned();
        let path = format!("/api/financial/connections/{id}/authorize");
        let (status, _) = client.request("POST", &path, Some(&token), Some(&json!({})));
        assert_eq!(status, 200);
    }
    let (_, me) = client.request("GET", "/api/auth/me", Some(&token), None);
    let user = me["id"].as_str().expect("user id").to_owned();
    let (_, accounts) = client.request("GET", "/api/financial/accounts", Some(&token), None);
    let busiest = accounts["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|a| a["id"].as_str())
        .max_by_key(|id| {
            let path = format!("/api/financial/transactions?accountId={id}&limit=1");
            let (_, page) = client.request("GET", &path, Some(&token), None);
            page["pagination"]["total"].as_u64().unwrap_or(0)
        })
        .expect("an account")
        .to_owned();
    (token, user, busiest)
}

/// The raw page's p50/p99 on SQLite: rusqlite, `prepare_cached`, every column of every row read.
fn raw_sqlite(path: &std::path::Path, user: &str, account: &str, rounds: usize) -> (f64, f64) {
    let connection = rusqlite::Connection::open(path).expect("the benchmark's SQLite file");
    time(rounds, || {
        let mut statement = connection.prepare_cached(PAGE_SQL).expect("prepared");
        let columns = statement.column_count();
        let mut rows = statement.query([user, account]).expect("query");
        let mut count = 0;
        while let Some(row) = rows.next().expect("row") {
            for i in 0..columns {
                std::hint::black_box(row.get_ref(i).expect("column"));
            }
            count += 1;
        }
        assert_eq!(count, 51);
    })
}

/// The raw page's p50/p99 on PostgreSQL: the `postgres` crate, one prepared statement.
fn raw_postgres(url: &str, user: &str, account: &str, rounds: usize) -> (f64, f64) {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("PostgreSQL");
    let statement = client.prepare(PAGE_SQL).expect("prepared");
    let (user, account): (uuid::Uuid, uuid::Uuid) = (user.parse().expect("uuid"), account.parse().expect("uuid"));
    time(rounds, || {
        let rows = client.query(&statement, &[&user, &account]).expect("query");
        assert_eq!(rows.len(), 51);
        std::hint::black_box(rows);
    })
}

/// The raw page's p50/p99 on `database`'s backend.
fn raw_page(database: &TestDatabase, user: &str, account: &str, rounds: usize) -> (f64, f64) {
    match database.url() {
        DatabaseUrl::Sqlite(path) => raw_sqlite(path, user, account, rounds),
        DatabaseUrl::Postgres(url) => raw_postgres(url, user, account, rounds),
    }
}

/// p50/p99 of the API, one request at a time: the page, the same page answered 304 for its
/// `ETag`, authentication alone and `/healthz`.
struct OneAtATime {
    page: (f64, f64),
    unchanged: (f64, f64),
    me: (f64, f64),
    health: (f64, f64),
}

/// Runs `measure` with every thread of this process (the benchmark's clients and both servers)
/// on one core, as the raw SQL runs, then lets them use every core again. On a VM whose
/// cross-core wake-ups are slow (about 300 µs on the 2-core development machine, against 25 µs
/// on one core) a request's figure is otherwise mostly the wake-up of the other side. `None`
/// when `taskset` is missing.
fn on_one_core<T>(measure: impl FnOnce() -> T) -> Option<T> {
    let pin = |cores: &str| {
        let pid = std::process::id().to_string();
        std::process::Command::new("taskset")
            .args(["-a", "-p", "-c", cores, &pid])
            .output()
            .is_ok_and(|output| output.status.success())
    };
    let all = format!("0-{}", std::thread::available_parallelism().map_or(1, usize::from) - 1);
    if !pin("0") {
        return None;
    }
    let figures = measure();
    assert!(pin(&all), "the benchmark's threads get every core back");
    Some(figures)
}

fn one_at_a_time(client: &mut Client, token: &str, page_path: &str, rounds: usize) -> OneAtATime {
    let bearer = format!("Bearer {token}");
    let auth = [("Authorization", bearer.as_str())];
    let first = client.exchange("GET", page_path, &auth, None);
    let body: Value = serde_json::from_slice(&first.body).expect("JSON");
    assert_eq!(body["transactions"].as_array().map(Vec::len), Some(50), "a page of 50");
    let etag = first.etag.expect("the page's ETag");
    let conditional = [auth[0], ("If-None-Match", etag.as_str())];
    OneAtATime {
        page: time(rounds, || assert_eq!(client.exchange("GET", page_path, &auth, None).status, 200)),
        unchanged: time(rounds, || assert_eq!(client.exchange("GET", page_path, &conditional, None).status, 304)),
        me: time(rounds, || assert_eq!(client.exchange("GET", "/api/auth/me", &auth, None).status, 200)),
        health: time(rounds, || assert_eq!(client.exchange("GET", "/healthz", &[], None).status, 200)),
    }
}

fn run(backend: TestBackend, rounds: usize) -> Option<Vec<(String, String)>> {
    let database = TestDatabase::create(backend)?;
    let port = support::start(support::bench_settings(&database));
    // A second server on the same database that keeps no rendered pages: every request runs
    // the page query and renders it.
    let uncached_port = support::start(Settings { page_cache_bytes: 0, ..support::bench_settings(&database) });
    let mut client = Client::connect(port);
    let (token, user, account) = populate(&mut client);
    // Fresh statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) would leave
    // them: without them PostgreSQL's plans scan and sort all of the user's rows, for the raw
    // SQL and for Sandbank alike.
    let db = sandbank_store::Db::open(database.url()).expect("the benchmark's database");
    db.read(sandbank_store::diagnostics::refresh_statistics).expect("analyzed");
    let raw = raw_page(&database, &user, &account, rounds);
    let page_path = format!("/api/financial/transactions?accountId={account}&limit=50");
    let api = one_at_a_time(&mut client, &token, &page_path, rounds);
    let uncached = one_at_a_time(&mut Client::connect(uncached_port), &token, &page_path, rounds);
    let one_core = on_one_core(|| {
        let raw = raw_page(&database, &user, &account, rounds);
        let api = one_at_a_time(&mut Client::connect(port), &token, &page_path, rounds);
        let uncached = one_at_a_time(&mut Client::connect(uncached_port), &token, &page_path, rounds);
        (raw, api, uncached)
    });
    let under_load = [
        ("wrk, 32 connections: the page of 50", port, page_path.as_str()),
        ("wrk, 32 connections: the page of 50, rendered-page cache off", uncached_port, page_path.as_str()),
        ("wrk, 32 connections: `GET /api/financial/accounts`", port, "/api/financial/accounts"),
    ]
    .map(|(what, port, path)| (what.to_owned(), wrk(port, &token, path)));
    let figure = |(p50, p99): (f64, f64)| format!("p50 {p50:.0} µs, p99 {p99:.0} µs");
    let mut rows = vec![
        ("the page's SQL run raw (cached prepared statement), 51 rows".to_owned(), figure(raw)),
        ("Sandbank, one connection at a time, page of 50".to_owned(), figure(api.page)),
        ("ratio Sandbank / raw SQL at p50".to_owned(), format!("{:.2}×", api.page.0 / raw.0)),
        (
            "the same with the rendered-page cache off (page query and rendering each time)".to_owned(),
            figure(uncached.page),
        ),
        ("ratio, rendered-page cache off / raw SQL at p50".to_owned(), format!("{:.2}×", uncached.page.0 / raw.0)),
        ("the same page with its `ETag` in `If-None-Match` (304, no page query)".to_owned(), figure(api.unchanged)),
        ("`GET /api/auth/me` (authentication alone)".to_owned(), figure(api.me)),
        ("`/healthz`".to_owned(), figure(api.health)),
    ];
    match one_core {
        Some((raw, api, uncached)) => rows.extend([
            (
                "on one core: the raw SQL / the page / cache off / 304 / auth alone / `/healthz`, p50".to_owned(),
                format!(
                    "{:.0} / {:.0} / {:.0} / {:.0} / {:.0} / {:.0} µs",
                    raw.0, api.page.0, uncached.page.0, api.unchanged.0, api.me.0, api.health.0
                ),
            ),
            (
                "on one core: ratio Sandbank / raw SQL at p50 (cache off)".to_owned(),
                format!("{:.2}× ({:.2}×)", api.page.0 / raw.0, uncached.page.0 / raw.0),
            ),
        ]),
        None => rows.push(("on one core".to_owned(), "skipped: taskset is not installed".to_owned())),
    }
    Some(rows.into_iter().chain(under_load).collect())
}

/// Requests per second and p99 of `wrk -t2 -c32 -d5s` on `path` (wrk shares the machine's cores
/// with the server), or why there are none.
fn wrk(port: u16, token: &str, path: &str) -> String {
    let output = std::process::Command::new("wrk")
        .args(["-t2", "-c32", "-d5s", "--latency", "-H", &format!("Authorization: Bearer {token}")])
        .arg(format!("http://127.0.0.1:{port}{path}"))
        .output();
    let Ok(output) = output.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()) else {
        return "skipped: wrk is not installed (scripts/load-test.sh installs it)".into();
    };
    let field = |prefix: &str| {
        output.lines().find_map(|line| line.trim().strip_prefix(prefix).map(|rest| rest.trim().to_owned()))
    };
    assert!(field("Non-2xx").is_none(), "wrk saw errors:\n{output}");
    match (field("Requests/sec:"), field("99%")) {
        (Some(rate), Some(p99)) => format!("{rate} req/s, p99 {p99}"),
        _ => format!("wrk said: {output}"),
    }
}

fn main() {
    let rounds = std::env::var("SANDBANK_BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(2_000);
    for (backend, name) in [(TestBackend::Sqlite, "SQLite"), (TestBackend::Postgres, "PostgreSQL")] {
        let Some(rows) = run(backend, rounds) else {
            println!("\n{name}: skipped (SANDBANK_TEST_PG is not set)");
            continue;
        };
        println!("\n{name}, {rounds} requests a figure, one at a time\n\n| what | figure |\n|---|---|");
        for (what, figure) in rows {
            println!("| {what} | {figure} |");
        }
    }
}
