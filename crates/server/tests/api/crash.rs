//! A real crash: the `sandbank` binary is SIGKILLed at several moments of a long sync and
//! restarted on the same database; the data it ends with equals an uninterrupted run's with
//! the same seed and clock.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sandbank_store::test_database::{TestBackend, TestDatabase};
use serde_json::{Value, json};

use crate::helpers::ServerProcess;

const SECRET: &str = "crash-test-secret-crash-test-secret";
const SEED: i64 = 33;
const BACKLOG_DAYS: u32 = 3650;

/// The crash test's server: a `sandbank serve` process with this test's secret.
type Server = ServerProcess;

impl Server {
    async fn start(database: &TestDatabase) -> Self {
        ServerProcess::spawn(&database.url().to_url(), SECRET).await
    }

    /// SIGKILLs the process, as dropping it does.
    fn kill(self) {
        drop(self);
    }

    async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
        let client = awc::Client::builder().timeout(Duration::from_secs(120)).finish();
        let method = actix_web::http::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.insert_header(("Authorization", format!("Bearer {token}")));
        }
        let sent = match body {
            Some(body) => request.send_json(&body).await,
            None => request.send().await,
        };
        let mut response = sent.expect("answered");
        let bytes = response.body().limit(64 * 1024 * 1024).await.expect("body");
        (response.status().as_u16(), serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    async fn ok(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Value {
        let (status, reply) = self.call(method, path, token, body).await;
        assert!((200..300).contains(&status), "{method} {path}: {status} {reply}");
        reply
    }

    async fn sign_in(&self) -> String {
        let body = json!({"email": "crash@example.com", "password": crate::helpers::PASSWORD});
        self.ok("POST", "/api/auth/login", None, Some(body)).await["token"].as_str().expect("token").to_owned()
    }
}

/// Registers, connects Chase with the seed, and moves the clock ten years on; returns the token
/// and the connection id.
async fn prepare(server: &Server) -> (String, String) {
    let body = json!({"email": "crash@example.com", "password": crate::helpers::PASSWORD});
    server.ok("POST", "/api/auth/register", None, Some(body)).await;
    let token = server.sign_in().await;
    let provider = sandbank_fakebank::catalog::provider("chase").expect("chase").id.as_str();
    let created = server
        .ok("POST", "/api/financial/connections", Some(&token), Some(json!({"providerId": provider, "seed": SEED})))
        .await;
    let id = created["connectionId"].as_str().expect("id").to_owned();
    server.ok("POST", &format!("/api/financial/connections/{id}/authorize"), Some(&token), Some(json!({}))).await;
    for _ in 0..BACKLOG_DAYS / 365 {
        let advance = json!({"event": "advance_days", "days": 365});
        server.ok("POST", &format!("/api/sandbox/connections/{id}/simulate"), Some(&token), Some(advance)).await;
    }
    (token, id)
}

/// Everything the connection holds, keyed by what the provider names (ids differ per run).
async fn holdings(server: &Server, token: &str, id: &str) -> BTreeMap<String, Value> {
    let mut held = BTreeMap::new();
    let accounts = server.ok("GET", &format!("/api/financial/accounts?connectionId={id}"), Some(token), None).await;
    for account in accounts["accounts"].as_array().expect("accounts") {
        let account_id = account["id"].as_str().expect("id");
        let name = format!("account {} {}", account["name"], account["mask"]);
        let figures = ["currentBalance", "availableBalance", "statementDate", "minimumPayment"].map(|k| &account[k]);
        held.insert(name.clone(), json!(figures));
        let balances = format!("/api/financial/accounts/{account_id}/balances");
        held.insert(
            format!("{name} snapshots"),
            server.ok("GET", &balances, Some(token), None).await["snapshots"].clone(),
        );
    }
    let mut cursor = String::new();
    loop {
        let page = format!("/api/financial/transactions?connectionId={id}&limit=500{cursor}");
        let reply = server.ok("GET", &page, Some(token), None).await;
        for row in reply["transactions"].as_array().expect("rows") {
            let key = format!("transaction {}", row["externalId"]);
            let fields = ["amount", "status", "date", "postedAt", "description", "category"].map(|k| &row[k]);
            assert!(held.insert(key, json!(fields)).is_none(), "a row twice: {row}");
        }
        match reply["pagination"]["cursor"].as_str() {
            Some(next) if reply["pagination"]["hasMore"] == true => cursor = format!("&cursor={next}"),
            _ => break,
        }
    }
    held
}

/// When the server is killed.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// A twentieth of a whole sync's time after it starts.
    Early,
    /// As soon as a chunk of the sync has committed.
    AfterAChunk,
}

/// The last day the connection's sync applied, read from the database as another process.
fn synced_through(db: &sandbank_store::Db, id: &str) -> chrono::NaiveDate {
    let id = id.parse::<uuid::Uuid>().expect("uuid").into();
    let connection = db.read(|conn| sandbank_store::connections::find(conn, id)).expect("read").expect("connection");
    connection.synced_through.expect("synced once at authorize")
}

async fn a_killed_sync_ends_with_the_data_of_an_uninterrupted_one(backend: TestBackend) {
    crate::helpers::quiet_logs();
    let (Some(reference_db), Some(crash_db)) = (TestDatabase::create(backend), TestDatabase::create(backend)) else {
        return;
    };
    // The uninterrupted run, timed to choose the moments to kill the other.
    let reference = Server::start(&reference_db).await;
    let (token, id) = prepare(&reference).await;
    let started = Instant::now();
    reference.ok("POST", &format!("/api/financial/connections/{id}"), Some(&token), Some(json!({}))).await;
    let full_sync = started.elapsed();
    let expected = holdings(&reference, &token, &id).await;
    reference.kill();

    let mut server = Server::start(&crash_db).await;
    // One pool for every look, so a look takes a query's time and a kill lands close to a commit.
    let watcher = sandbank_store::Db::open(crash_db.url()).expect("database");
    let (mut token, id) = prepare(&server).await;
    let today = synced_through(&watcher, &id);
    let mut progress = Vec::new();
    // The moments: while the provider is asked (before any chunk), then three times right after
    // a chunk has committed and before the sync ends.
    for moment in [Moment::Early, Moment::AfterAChunk, Moment::AfterAChunk, Moment::AfterAChunk] {
        let base = server.base.clone();
        let (sync_token, sync_id) = (token.clone(), id.clone());
        let sync = actix_web::rt::spawn(async move {
            let client = awc::Client::builder().timeout(Duration::from_secs(120)).finish();
            let url = format!("{base}/api/financial/connections/{sync_id}");
            client
                .post(url)
                .insert_header(("Authorization", format!("Bearer {sync_token}")))
                .send_json(&json!({}))
                .await
                .map(|r| r.status())
        });
        match moment {
            Moment::Early => actix_web::rt::time::sleep(full_sync / 20).await,
            Moment::AfterAChunk => {
                let before = synced_through(&watcher, &id);
                let waiting = Instant::now();
                while synced_through(&watcher, &id) == before && waiting.elapsed() < Duration::from_secs(60) {
                    actix_web::rt::time::sleep(Duration::from_millis(1)).await;
                }
            }
        }
        server.kill();
        let _ = sync.await;
        progress.push(synced_through(&watcher, &id));
        server = Server::start(&crash_db).await;
        token = server.sign_in().await;
        // Let the dead process's lease run out, so the next kill lands while chunks are applied.
        actix_web::rt::time::sleep(Duration::from_millis(1100)).await;
    }
    let (linked, ten_years_on) = (progress[0].min(today), today + chrono::Days::new(u64::from(BACKLOG_DAYS)));
    assert!(
        progress.iter().any(|through| linked < *through && *through < ten_years_on),
        "no kill landed between two chunks: synced through {progress:?}"
    );
    // A sync after the last restart takes over once the dead process's lease runs out.
    let (status, reply) =
        server.call("POST", &format!("/api/financial/connections/{id}"), Some(&token), Some(json!({}))).await;
    assert_eq!(status, 200, "{reply}");
    let after_crashes = holdings(&server, &token, &id).await;
    server.kill();
    assert_eq!(after_crashes.len(), expected.len());
    for (key, value) in &expected {
        assert_eq!(after_crashes.get(key), Some(value), "{key}");
    }
}

mod sqlite {
    #[actix_web::test]
    async fn a_killed_sync_ends_with_the_data_of_an_uninterrupted_one() {
        super::a_killed_sync_ends_with_the_data_of_an_uninterrupted_one(super::TestBackend::Sqlite).await;
    }
}

mod postgres {
    #[actix_web::test]
    async fn a_killed_sync_ends_with_the_data_of_an_uninterrupted_one() {
        super::a_killed_sync_ends_with_the_data_of_an_uninterrupted_one(super::TestBackend::Postgres).await;
    }
}
