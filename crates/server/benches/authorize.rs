//! Authorize end to end over HTTP: create a connection with 3 accounts and 6 months of history
//! and complete its consent, against a real server on SQLite and (with `SANDBANK_TEST_PG`) on
//! PostgreSQL. Prints p50 and p99 of the authorize request as the client sees it.
//!
//! `cargo bench -p sandbank --bench authorize` (`SANDBANK_BENCH_ROUNDS` sets the count).
//!
//! Each round is a new user (registration is not timed), so the database grows by one user's
//! data per round, as it does in use.
//!
//! The client is a plain keep-alive HTTP/1.1 connection that writes each request in one piece
//! with `TCP_NODELAY`, so the figures hold no Nagle/delayed-ACK stalls of the client's making.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::Instant;

use chrono::{Months, Utc};
use sandbank::{Application, Settings};
use sandbank_domain::account::AccountType;
use sandbank_fakebank::{FakeBank, catalog};
use sandbank_services::Secret;
use sandbank_services::rate_limit::{Limit, Limits};
use sandbank_store::test_database::{TestBackend, TestDatabase};
use serde_json::{Value, json};

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

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// One keep-alive HTTP/1.1 connection.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn connect(port: u16) -> Self {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Self { reader: BufReader::new(stream.try_clone().expect("clone")), writer: stream }
    }

    fn request(&mut self, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> (u16, Value) {
        let body = body.map(Value::to_string).unwrap_or_default();
        let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.writer.write_all(request.as_bytes()).expect("write");
        let mut status_line = String::new();
        self.reader.read_line(&mut status_line).expect("status");
        let status: u16 = status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status code");
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).expect("header");
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().expect("length");
            }
        }
        let mut bytes = vec![0; length];
        self.reader.read_exact(&mut bytes).expect("body");
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }
}

fn run(backend: TestBackend, rounds: usize, seed: i64) -> Option<()> {
    let database = TestDatabase::create(backend)?;
    let settings = Settings {
        addr: "127.0.0.1:0".into(),
        database_url: database.url().clone(),
        secret: Secret::from_config("bench-secret-bench-secret-bench-secret").expect("secret"),
        previous_secrets: Vec::new(),
        cookie_secure: false,
        http_workers: 2,
        limits: Limits {
            connection_creations: Limit::per_minute(1_000_000),
            login_attempts: Limit::per_minute(1_000),
            auth_per_address: Limit::per_minute(1_000_000),
        },
        trusted_proxies: Default::default(),
        workers: 0,
        sync_every: None,
        retry: sandbank_domain::job::RetryPolicy::default(),
        sync: sandbank_services::connections::SyncPolicy::default(),
    };
    let (port_tx, port_rx) = mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = Application::build(settings).expect("server");
            port_tx.send(app.port()).expect("port");
            app.run_until_stopped().await
        })
    });
    let mut client = Client::connect(port_rx.recv().expect("server started"));
    let provider_id = catalog::provider("chase").expect("chase").id;
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
