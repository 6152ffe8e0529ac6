//! What the HTTP benchmarks share: a server on port 0, a plain keep-alive HTTP/1.1 client and
//! percentiles.
//!
//! The client writes each request in one piece with `TCP_NODELAY`, so the figures hold no
//! Nagle/delayed-ACK stalls of the client's making.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;

use sandbank::{Application, Settings};
use sandbank_services::Secret;
use sandbank_services::security::rate_limit::{Limit, Limits};
use sandbank_store::test_database::TestDatabase;
use serde_json::Value;

/// The settings of a benchmark's server: no workers, limits far above what a benchmark does.
pub fn bench_settings(database: &TestDatabase) -> Settings {
    Settings {
        addr: "127.0.0.1:0".into(),
        database_url: database.url().clone(),
        secret: Secret::from_config("bench-secret-bench-secret-bench-secret").expect("secret"),
        previous_secrets: Vec::new(),
        cookie_secure: false,
        http_workers: 2,
        limits: Limits {
            connection_creations: Limit::per_minute(1_000_000),
            login_attempts: Limit::per_minute(1_000_000),
            auth_per_address: Limit::per_minute(1_000_000),
        },
        trusted_proxies: Default::default(),
        workers: 0,
        sync_every: None,
        retry: sandbank_domain::job::RetryPolicy::default(),
        webhook_retry: sandbank_domain::webhook::webhook_retry_policy(
            sandbank_domain::webhook::DEFAULT_WEBHOOK_RETRY_BASE,
            sandbank_domain::webhook::DEFAULT_WEBHOOK_ATTEMPTS,
        ),
        sync: sandbank_services::use_cases::connections::SyncPolicy::default(),
        change_retention: chrono::TimeDelta::days(30),
        page_cache_bytes: sandbank::config::DEFAULT_PAGE_CACHE_MB << 20,
    }
}

/// Starts the server on its own thread; returns its port.
pub fn start(settings: Settings) -> u16 {
    let (port_tx, port_rx) = mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = Application::build(settings).expect("server");
            port_tx.send(app.port()).expect("port");
            app.run_until_stopped().await
        })
    });
    port_rx.recv().expect("server started")
}

/// The value at `p` (0–1) of sorted figures.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// One keep-alive HTTP/1.1 connection.
pub struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    /// Connects to the server on `port`.
    pub fn connect(port: u16) -> Self {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Self { reader: BufReader::new(stream.try_clone().expect("clone")), writer: stream }
    }

    /// Sends one request; returns the status and the JSON body (`Null` if none).
    pub fn request(&mut self, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> (u16, Value) {
        let auth = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
        let answer = self.exchange(method, path, &headers, body);
        (answer.status, serde_json::from_slice(&answer.body).unwrap_or(Value::Null))
    }

    /// Sends one request with `headers`; returns the answer with its body unparsed (what a load
    /// generator sees).
    pub fn exchange(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&Value>) -> Answer {
        let body = body.map(Value::to_string).unwrap_or_default();
        let headers: String = headers.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.writer.write_all(request.as_bytes()).expect("write");
        let mut status_line = String::new();
        self.reader.read_line(&mut status_line).expect("status");
        let status: u16 = status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status code");
        let (mut length, mut etag) = (0, None);
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).expect("header");
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().expect("length");
                } else if name.eq_ignore_ascii_case("etag") {
                    etag = Some(value.trim().to_owned());
                }
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).expect("body");
        Answer { status, etag, body }
    }
}

/// What [`Client::exchange`] got back.
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The `ETag` header, if any.
    #[allow(dead_code, reason = "each benchmark compiles this module; only some read tags")]
    pub etag: Option<String>,
    /// The body's bytes.
    pub body: Vec<u8>,
}
