//! `TestApp`: a running server on a fresh database, and a small HTTP client for it.

use actix_web::http::header::HeaderMap;
use sandbank::app::WorkerGuard;
use sandbank::{Application, Settings};
use sandbank_services::Secret;
use sandbank_services::security::rate_limit::Limits;
pub use sandbank_store::test_database::TestBackend;
use sandbank_store::test_database::TestDatabase;
use serde_json::{Value, json};

/// Declares each test once and runs it on SQLite and on PostgreSQL, as `sqlite::name` and
/// `postgres::name`. PostgreSQL tests skip (with a printed reason) when `SANDBANK_TEST_PG` is
/// unset outside CI, and fail in CI.
macro_rules! on_both_backends {
    ($($(#[$attr:meta])* async fn $name:ident($app:ident: TestApp) $body:block)+) => {
        on_both_backends! { with |_settings| {}; $($(#[$attr])* async fn $name($app: TestApp) $body)+ }
    };
    (with $configure:expr; $($(#[$attr:meta])* async fn $name:ident($app:ident: TestApp) $body:block)+) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[actix_web::test]
                $(#[$attr])*
                async fn $name() {
                    #[allow(unused_mut)]
                    let Some(mut $app) = TestApp::spawn_with(TestBackend::Sqlite, $configure).await else { return };
                    $body
                }
            )+
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[actix_web::test]
                $(#[$attr])*
                async fn $name() {
                    #[allow(unused_mut)]
                    let Some(mut $app) = TestApp::spawn_with(TestBackend::Postgres, $configure).await else { return };
                    $body
                }
            )+
        }
    };
}

/// Logs at `warn` and above only, as every test does.
pub fn quiet_logs() {
    sandbank::telemetry::init_with_default("warn");
}

/// The secret of every test server (so a token one signs, another accepts).
pub const TEST_SECRET: &str = "test-secret-test-secret-test-secret";

/// A `sandbank serve` process of its own (the real binary), with no background workers.
pub struct ServerProcess {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

/// A failed assertion must not leave the process running (its output goes nowhere, so even an
/// orphan cannot hold the test output's pipe open).
impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ServerProcess {
    /// Starts the binary on a free port over `database_url`, signing with `secret`; returns
    /// once it answers `/healthz`.
    pub async fn spawn(database_url: &str, secret: &str) -> Self {
        use std::time::{Duration, Instant};
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_sandbank"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--database-url", database_url])
            .args(["--workers", "0", "--sync-interval-secs", "0", "--sync-lease-secs", "1"])
            .env("SANDBANK_SECRET", secret)
            .env("SANDBANK_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("sandbank starts");
        let server = Self { child, base: format!("http://127.0.0.1:{port}") };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if awc::Client::new().get(format!("{}/healthz", server.base)).send().await.is_ok_and(|r| r.status() == 200)
            {
                return server;
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("sandbank did not answer /healthz");
    }
}

/// `text` percent-encoded for an HTML form body (everything but ASCII letters and digits).
pub fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// The `sandbank_session=…` pair that `reply` sets.
pub fn session_cookie(reply: &Reply) -> String {
    reply
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("sandbank_session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

/// The CSRF token of the first form on `page` whose action starts with `action`.
pub fn form_csrf(page: &str, action: &str) -> String {
    let form = page.find(&format!("action=\"{action}")).unwrap_or_else(|| panic!("a form to {action}"));
    let marker = "name=\"csrf\" value=\"";
    let start = form + page[form..].find(marker).expect("a csrf field") + marker.len();
    page[start..].split('"').next().expect("value").to_owned()
}

/// A password that meets the rules.
pub const PASSWORD: &str = "correct horse battery";

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The body as JSON (`Null` when empty or not JSON).
    pub json: Value,
    /// The body as text.
    pub text: String,
}

impl Reply {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the contract's error body: `code`, a message and the request id of the header.
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.json["error"]["code"], code, "{}", self.text);
        assert!(self.json["error"]["message"].is_string(), "{}", self.text);
        let request_id = self.header("x-request-id").expect("x-request-id header");
        assert_eq!(self.json["error"]["requestId"], request_id, "{}", self.text);
    }

    /// The fields named in a validation error.
    pub fn error_fields(&self) -> Vec<String> {
        self.json["error"]["fields"].as_object().map(|f| f.keys().cloned().collect()).unwrap_or_default()
    }
}

/// A running server and its database.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    client: awc::Client,
    /// Dropped before the database, so background workers stop first.
    _workers: Vec<WorkerGuard>,
    _database: TestDatabase,
}

/// Settings for a test server on `database`: one HTTP worker, no background workers.
fn test_settings(database: &TestDatabase) -> Settings {
    Settings {
        addr: "127.0.0.1:0".into(),
        database_url: database.url().clone(),
        secret: Secret::from_config(TEST_SECRET).expect("long enough"),
        previous_secrets: Vec::new(),
        cookie_secure: false,
        http_workers: 1,
        limits: Limits::default(),
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

/// Builds and spawns a server; returns its address and its workers' guard.
fn start(settings: Settings) -> (String, WorkerGuard) {
    let mut app = Application::build(settings).expect("server starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let workers = app.take_workers();
    actix_web::rt::spawn(app.run_until_stopped());
    (address, workers)
}

impl TestApp {
    /// Starts a server on port 0 with a fresh database on `backend`, with `configure` applied
    /// to the settings first (e.g. to run workers); `None` when it skips.
    pub async fn spawn_with(backend: TestBackend, configure: impl FnOnce(&mut Settings)) -> Option<TestApp> {
        quiet_logs();
        let database = TestDatabase::create(backend)?;
        let mut settings = test_settings(&database);
        configure(&mut settings);
        let (address, workers) = start(settings);
        let app = TestApp {
            address,
            client: awc::Client::builder().disable_redirects().timeout(std::time::Duration::from_secs(60)).finish(),
            _workers: vec![workers],
            _database: database,
        };
        // The server runs once the test's runtime polls it: answer one request first, so a test
        // that goes on to block (running a child process) finds it serving.
        assert_eq!(app.get("/healthz", None).await.status, 200, "the test server answers");
        Some(app)
    }

    /// Starts another server on the same database (as a second process would); returns its
    /// address. Its workers stop with this app.
    pub fn another_server(&mut self, configure: impl FnOnce(&mut Settings)) -> String {
        let mut settings = test_settings(&self._database);
        configure(&mut settings);
        let (address, workers) = start(settings);
        self._workers.push(workers);
        address
    }

    /// The database's URL, for running the `sandbank` binary against it.
    pub fn database_url(&self) -> String {
        self._database.url().to_url()
    }

    /// Runs the `sandbank` binary with `args` against this database; returns its standard output.
    pub fn run_cli(&self, args: &[&str]) -> String {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_sandbank"))
            .args(args)
            .args(["--database-url", &self.database_url()])
            .env("SANDBANK_LOG", "warn")
            .output()
            .expect("sandbank runs");
        assert!(
            output.status.success(),
            "sandbank {args:?} failed ({}): {}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// A request to `path`, to be completed and sent.
    pub fn call(&self, method: &str, path: &str) -> Call {
        self.call_at(&self.address, method, path)
    }

    /// A request to `path` on the server at `base` (e.g. one from [`TestApp::another_server`]).
    pub fn call_at(&self, base: &str, method: &str, path: &str) -> Call {
        let method = actix_web::http::Method::from_bytes(method.as_bytes()).expect("method");
        Call { request: self.client.request(method, format!("{base}{path}")), body: None }
    }

    /// Opens the test database from outside the server, as another process would.
    pub fn open_database(&self) -> sandbank_store::Db {
        sandbank_store::Db::open(self._database.url()).expect("database opens")
    }

    /// GET with an optional bearer token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call("GET", path).bearer(token).send().await
    }

    /// POST with a bearer token to a full `url` (e.g. another server's).
    pub async fn post_to(&self, url: &str, token: &str) -> Reply {
        Call { request: self.client.post(url), body: None }.bearer(Some(token)).send().await
    }

    /// DELETE with a bearer token.
    pub async fn send_delete(&self, path: &str, token: &str) -> Reply {
        self.call("DELETE", path).bearer(Some(token)).send().await
    }

    /// POST a JSON body with an optional bearer token.
    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.call("POST", path).bearer(token).json(body).send().await
    }

    /// Through the server at `base`, moves connection `id`'s bank clock on five days at a time
    /// and syncs after each step until a sync adds rows (at most 60 days: how many it takes
    /// depends on the date the test runs); the rows added and removed in all.
    pub async fn sync_until_rows_are_added(&self, base: &str, token: &str, id: &str) -> (u64, u64) {
        let (simulate, sync) =
            (format!("/api/sandbox/connections/{id}/simulate"), format!("/api/financial/connections/{id}"));
        let (mut added, mut removed) = (0, 0);
        for _ in 0..12 {
            let days = json!({"event": "advance_days", "days": 5});
            let advanced = self.call_at(base, "POST", &simulate).bearer(Some(token)).json(&days).send().await;
            assert_eq!(advanced.status, 200, "{}", advanced.text);
            let synced = self.call_at(base, "POST", &sync).bearer(Some(token)).json(&json!({})).send().await;
            assert_eq!(synced.status, 200, "{}", synced.text);
            added += synced.json["transactionsAdded"].as_u64().expect("added");
            removed += synced.json["transactionsRemoved"].as_u64().expect("removed");
            if added > 0 {
                return (added, removed);
            }
        }
        panic!("60 days brought connection {id} no new rows");
    }

    /// Creates a connection to the provider `slug` with `seed`; returns its id.
    pub async fn create_connection(&self, token: &str, slug: &str, seed: i64) -> String {
        let provider_id = sandbank_fakebank::catalog::provider(slug).expect("known provider").id.as_str();
        let reply = self
            .post_json("/api/financial/connections", Some(token), &json!({"providerId": provider_id, "seed": seed}))
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.json["connectionId"].as_str().expect("connectionId").to_owned()
    }

    /// Creates and authorizes a connection; returns its id.
    pub async fn connect(&self, token: &str, slug: &str, seed: i64) -> String {
        let id = self.create_connection(token, slug, seed).await;
        let reply =
            self.post_json(&format!("/api/financial/connections/{id}/authorize"), Some(token), &json!({})).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json["status"], "connected");
        id
    }

    /// The id of the user `token` signs in.
    pub async fn user_id(&self, token: &str) -> sandbank_domain::UserId {
        let me = self.get("/api/auth/me", Some(token)).await;
        me.json["id"].as_str().expect("id").parse().expect("a user id")
    }

    /// Signs `email` in through the API; returns the session cookie and its API CSRF token.
    pub async fn cookie_session(&self, email: &str) -> (String, String) {
        let login = self.post_json("/api/auth/login", None, &json!({"email": email, "password": PASSWORD})).await;
        assert_eq!(login.status, 200, "{}", login.text);
        (session_cookie(&login), login.json["csrfToken"].as_str().expect("csrfToken").to_owned())
    }

    /// POSTs an HTML form with the session `cookie`.
    pub async fn post_form(&self, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields.iter().map(|(k, v)| format!("{k}={}", form_encode(v))).collect::<Vec<_>>().join("&");
        self.call("POST", path)
            .header("Cookie", cookie)
            .body("application/x-www-form-urlencoded", body.into_bytes())
            .send()
            .await
    }

    /// Registers `email` and returns the new token.
    pub async fn register(&self, email: &str) -> String {
        let reply = self.post_json("/api/auth/register", None, &json!({"email": email, "password": PASSWORD})).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.json["token"].as_str().expect("token").to_owned()
    }
}

/// A request being put together.
pub struct Call {
    request: awc::ClientRequest,
    body: Option<Vec<u8>>,
}

impl Call {
    /// Adds `Authorization: Bearer <token>` when a token is given.
    pub fn bearer(self, token: Option<&str>) -> Self {
        match token {
            Some(token) => self.header("Authorization", &format!("Bearer {token}")),
            None => self,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.request = self.request.insert_header((name.to_owned(), value.to_owned()));
        self
    }

    /// A JSON body.
    pub fn json(self, body: &Value) -> Self {
        self.body("application/json", body.to_string().into_bytes())
    }

    /// A body of any content type.
    pub fn body(mut self, content_type: &str, bytes: Vec<u8>) -> Self {
        self = self.header("Content-Type", content_type);
        self.body = Some(bytes);
        self
    }

    /// Sends it and reads the whole reply. A request that could not get a connection at all
    /// (nothing was sent) is tried again, twice at most: under load awc's pool can hand out a
    /// connection the server has just closed.
    pub async fn send(self) -> Reply {
        let frozen = self.request.freeze().expect("a valid request");
        let mut tries = 0;
        let mut response = loop {
            tries += 1;
            let sent = match &self.body {
                Some(bytes) => frozen.send_body(bytes.clone()).await,
                None => frozen.send().await,
            };
            match sent {
                Err(awc::error::SendRequestError::Connect(error)) if tries < 3 => {
                    eprintln!("no connection ({error}); trying again");
                    actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                sent => break sent.expect("request sent"),
            }
        };
        let bytes = response.body().limit(16 * 1024 * 1024).await.expect("body read");
        Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

/// The first of `rows` (transactions as the API renders them) that a categorizing rule names,
/// with the category the rule gives: a row the categorizing job corrects when it is wrong.
/// Which rows are latest depends on the date the test runs, and some (a transfer, an interest
/// charge) no rule names.
pub fn a_row_the_rules_categorize(rows: &[Value]) -> Option<&Value> {
    rows.iter().find(|row| {
        let text = |field: &str| row[field].as_str().expect(field).to_owned();
        let minor = text("amount").replace('.', "").parse().expect("amount");
        sandbank_services::jobs::categorize::category_for(&text("merchantName"), &text("description"), minor)
            .is_some_and(|c| c.as_str() == text("category"))
    })
}
