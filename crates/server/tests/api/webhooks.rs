//! Issue #12, signed webhook delivery: a receiver on a loopback port gets each event as a signed
//! POST (verified here with the secret from the API and an HMAC of our own), failed attempts
//! are retried with backoff under the same delivery id until they succeed or end `failed`,
//! redirects are not followed, a connection's events arrive in order, and
//! `GET /api/webhooks/deliveries`, the retry route, the sandbox's `fire_webhook` and the
//! dashboard's deliveries table work.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use ring::hmac;
use serde_json::{Value, json};

use crate::helpers::*;

/// Attempts a delivery makes in these tests.
const ATTEMPTS: u32 = 3;

/// One worker and fast webhook retries: 30 ms, doubling, three attempts.
pub(crate) fn fast_webhooks(settings: &mut sandbank::Settings) {
    settings.workers = 1;
    settings.webhook_retry = sandbank_domain::webhook::webhook_retry_policy(TimeDelta::milliseconds(30), ATTEMPTS);
}

/// A request the receiver got.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    path: String,
    /// Header names in lowercase, with their values.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Received {
    pub(crate) fn header(&self, name: &str) -> &str {
        let found = self.headers.iter().find(|(n, _)| n == &name.to_ascii_lowercase());
        found.map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("no {name} header in {:?}", self.headers))
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// A webhook receiver on 127.0.0.1, port 0: it records every request and answers the scripted
/// statuses in turn (the last one from then on); a 3xx points `Location` at `/elsewhere`.
pub(crate) struct Receiver {
    pub(crate) url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub(crate) fn start(script: &[u16]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("address"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let (log, script) = (received.clone(), script.to_vec());
        std::thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                let Ok(stream) = stream else { return };
                let status = script.get(n).or(script.last()).copied().unwrap_or(200);
                if let Some(request) = answer(stream, status) {
                    log.lock().expect("log").push(request);
                }
            }
        });
        Self { url, received }
    }

    pub(crate) fn requests(&self) -> Vec<Received> {
        self.received.lock().expect("log").clone()
    }

    /// Waits (at most 20 s) until `count` requests have arrived; returns them all.
    pub(crate) async fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.requests().len() < count {
            assert!(Instant::now() < deadline, "{} of {count} requests arrived", self.requests().len());
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        }
        self.requests()
    }
}

/// Reads one HTTP/1.1 request and answers `status` with an empty body.
fn answer(stream: TcpStream, status: u16) -> Option<Received> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let location = if (300..400).contains(&status) { "Location: /elsewhere\r\n" } else { "" };
    let reply = format!("HTTP/1.1 {status} Scripted\r\n{location}Content-Length: 0\r\nConnection: close\r\n\r\n");
    (&stream).write_all(reply.as_bytes()).ok()?;
    Some(Received { path, headers, body })
}

/// Sets the connection's webhook URL.
async fn point_at(app: &TestApp, token: &str, id: &str, url: &str) {
    let reply = app
        .call("PATCH", &format!("/api/financial/connections/{id}"))
        .bearer(Some(token))
        .json(&json!({"webhookUrl": url}))
        .send()
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

async fn simulate(app: &TestApp, token: &str, id: &str, body: Value) -> Reply {
    app.post_json(&format!("/api/sandbox/connections/{id}/simulate"), Some(token), &body).await
}

async fn fire(app: &TestApp, token: &str, id: &str, event: &str) {
    let reply = simulate(app, token, id, json!({"event": "fire_webhook", "webhookEvent": event})).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

async fn deliveries(app: &TestApp, token: &str, id: &str) -> Vec<Value> {
    let reply = app.get(&format!("/api/webhooks/deliveries?connectionId={id}"), Some(token)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["deliveries"].as_array().expect("deliveries").clone()
}

/// Waits (at most 20 s) until the connection's newest delivery has `status`; returns it.
async fn newest_ends(app: &TestApp, token: &str, id: &str, status: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let listed = deliveries(app, token, id).await;
        if listed.first().is_some_and(|d| d["status"] == status) {
            return listed[0].clone();
        }
        assert!(Instant::now() < deadline, "the delivery did not end {status}: {listed:?}");
        actix_web::rt::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Checks the signature as a receiver would, with our own HMAC-SHA256: the header's `t` and
/// each `v1`, one of which must be the hex HMAC of `"<t>.<body>"` keyed by the secret's bytes.
fn signed_with(request: &Received, secret: &str) -> bool {
    let header = request.header("Sandbank-Signature");
    let t = header.split(',').find_map(|p| p.strip_prefix("t=")).expect("t=");
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    let tag = hmac::sign(&key, &[t.as_bytes(), b".", &request.body].concat());
    let expected: String = tag.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    header.split(',').filter_map(|p| p.strip_prefix("v1=")).any(|v| v == expected)
}

/// The dashboard's HTML for `email`, signed in with the session cookie.
async fn dashboard(app: &TestApp, email: &str) -> String {
    let (cookie, _) = app.cookie_session(email).await;
    let page = app.call("GET", "/dashboard").header("Cookie", &cookie).send().await;
    assert_eq!(page.status, 200, "{}", page.text);
    page.text
}

async fn secret(app: &TestApp, token: &str) -> String {
    let reply = app.get("/api/developer/webhook-secret", Some(token)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["secret"].as_str().expect("secret").to_owned()
}

on_both_backends! {
    with fast_webhooks;

    async fn a_sync_that_changed_transactions_sends_signed_updates_available(app: TestApp) {
        let receiver = Receiver::start(&[200]);
        let token = app.register("hooks-sync@example.com").await;
        // A seed whose next three days change something (which do depends on the date).
        let seed = crate::connections::seed_changing_in_three_days("chase", chrono::Utc::now(), |changes| changes != (0, 0, 0));
        let id = app.connect(&token, "chase", seed).await;
        point_at(&app, &token, &id, &receiver.url).await;
        let advanced = simulate(&app, &token, &id, json!({"event": "advance_days", "days": 3})).await;
        assert_eq!(advanced.status, 200, "{}", advanced.text);
        let sync = app.post_to(&format!("{}/api/financial/connections/{id}", app.address), &token).await;
        assert_eq!(sync.status, 200, "{}", sync.text);
        let counts = ["transactionsAdded", "transactionsModified", "transactionsRemoved"].map(|k| sync.json[k].clone());
        assert!(counts.iter().any(|c| c.as_u64() > Some(0)), "three days bring changes: {}", sync.text);

        let got = receiver.wait_for(1).await;
        let request = &got[0];
        assert_eq!(request.path, "/hook");
        assert_eq!(request.header("Content-Type"), "application/json");
        assert_eq!(request.header("Sandbank-Event"), "transactions.updates_available");
        assert!(signed_with(request, &secret(&app, &token).await), "the signature verifies with the API's secret");
        let now = chrono::Utc::now().timestamp();
        let verified = sandbank_services::security::webhook_signature::verify(
            request.header("Sandbank-Signature"), &request.body, &secret(&app, &token).await, now, 300);
        assert_eq!(verified, Ok(()));
        assert!(!signed_with(request, "whsec_someone_else"));

        let body = request.json();
        assert_eq!(body["type"], "transactions.updates_available");
        assert_eq!(body["connectionId"], id.as_str());
        assert_eq!(body["data"], json!({"added": counts[0], "modified": counts[1], "removed": counts[2]}));
        let keys: Vec<&str> = body.as_object().expect("object").keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 5, "{body}");
        assert!(chrono::DateTime::parse_from_rfc3339(body["createdAt"].as_str().expect("createdAt")).is_ok());

        let delivery = newest_ends(&app, &token, &id, "succeeded").await;
        assert_eq!(delivery["id"], request.header("Sandbank-Delivery-Id"));
        assert_eq!(delivery["eventId"], body["id"]);
        assert_eq!(delivery["type"], "transactions.updates_available");
        assert_eq!(delivery["url"], receiver.url.as_str());
        assert_eq!((delivery["attempts"].clone(), delivery["lastStatusCode"].clone()), (json!(1), json!(200)));
        assert_eq!((delivery["lastError"].clone(), delivery["nextAttemptAt"].clone()), (Value::Null, Value::Null));

        let again = app.post_to(&format!("{}/api/financial/connections/{id}", app.address), &token).await;
        assert_eq!(again.status, 200, "{}", again.text);
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(receiver.requests().len(), 1, "a sync that changed nothing sends nothing");
    }

    async fn failed_attempts_are_retried_with_one_delivery_id_and_in_order(app: TestApp) {
        let receiver = Receiver::start(&[500, 500, 200]);
        let token = app.register("hooks-retry@example.com").await;
        let id = app.connect(&token, "chase", 13).await;
        point_at(&app, &token, &id, &receiver.url).await;
        fire(&app, &token, &id, "connection.test").await;
        fire(&app, &token, &id, "connection.status_changed").await;

        let got = receiver.wait_for(4).await;
        let kinds: Vec<&str> = got.iter().map(|r| r.header("Sandbank-Event")).collect();
        assert_eq!(kinds, ["connection.test"; 3].iter().copied().chain(["connection.status_changed"]).collect::<Vec<_>>(),
            "the second event waits for the first");
        let first_id = got[0].header("Sandbank-Delivery-Id");
        assert!(got[..3].iter().all(|r| r.header("Sandbank-Delivery-Id") == first_id), "one delivery id");
        assert!(got[..3].iter().all(|r| r.body == got[0].body), "the same body each time");
        assert_eq!(got[0].json()["data"], json!({}));
        assert_eq!(got[3].json()["data"], json!({"from": "connected", "to": "connected", "error": null}));

        let newest = newest_ends(&app, &token, &id, "succeeded").await;
        let listed = deliveries(&app, &token, &id).await;
        assert_eq!(listed.len(), 2);
        assert_eq!(newest["type"], "connection.status_changed");
        let test = &listed[1];
        assert_eq!((test["id"].as_str(), test["status"].as_str()), (Some(first_id), Some("succeeded")));
        assert_eq!((test["attempts"].clone(), test["lastStatusCode"].clone()), (json!(3), json!(200)));
        app.post_json(&format!("/api/webhooks/deliveries/{first_id}/retry"), Some(&token), &json!({}))
            .await
            .assert_error(409, "delivery_not_retryable");
    }

    async fn an_always_failing_receiver_ends_failed_and_a_retry_sends_again(app: TestApp) {
        let receiver = Receiver::start(&[500]);
        let token = app.register("hooks-fail@example.com").await;
        let id = app.connect(&token, "chase", 14).await;
        point_at(&app, &token, &id, &receiver.url).await;
        fire(&app, &token, &id, "transactions.updates_available").await;
        let failed = newest_ends(&app, &token, &id, "failed").await;
        assert_eq!(failed["attempts"], ATTEMPTS);
        assert_eq!((failed["lastStatusCode"].clone(), failed["nextAttemptAt"].clone()), (json!(500), Value::Null));
        assert_eq!(failed["lastError"], "HTTP 500");
        assert_eq!(receiver.requests().len(), ATTEMPTS as usize);
        assert_eq!(receiver.requests()[0].json()["data"], json!({"added": 0, "modified": 0, "removed": 0}));

        let delivery = failed["id"].as_str().expect("id");
        let other = app.register("hooks-other@example.com").await;
        let retry_path = format!("/api/webhooks/deliveries/{delivery}/retry");
        app.post_json(&retry_path, Some(&other), &json!({})).await.assert_error(403, "forbidden");
        let missing = format!("/api/webhooks/deliveries/{}/retry", uuid::Uuid::new_v4());
        app.post_json(&missing, Some(&token), &json!({})).await.assert_error(404, "not_found");
        let retried = app.post_json(&retry_path, Some(&token), &json!({})).await;
        assert_eq!(retried.status, 200, "{}", retried.text);
        assert_eq!((retried.json["status"].as_str(), retried.json["attempts"].clone()), (Some("pending"), json!(ATTEMPTS)));
        let got = receiver.wait_for(ATTEMPTS as usize + 1).await;
        assert_eq!(got[ATTEMPTS as usize].header("Sandbank-Delivery-Id"), delivery, "the same id on a retry");
        let again = newest_ends(&app, &token, &id, "failed").await;
        assert_eq!(again["attempts"], ATTEMPTS + 1);

        let page = dashboard(&app, "hooks-fail@example.com").await;
        let table = page.split("id=\"deliveries-heading\"").nth(1).expect("the deliveries section");
        let table = table.split("</section>").next().expect("its end");
        assert!(table.contains("<code>transactions.updates_available</code>"), "{table}");
        assert!(table.contains("<span class=\"badge failed\">failed</span>"), "{table}");
        assert!(table.contains(r#"<td data-label="Last code">500</td>"#) && table.contains("HTTP 500"), "{table}");
        assert!(table.contains(&format!(r#"<td data-label="Attempts">{}</td>"#, ATTEMPTS + 1)), "attempts shown: {table}");

        let others = app.get(&format!("/api/webhooks/deliveries?connectionId={id}"), Some(&other)).await;
        others.assert_error(403, "forbidden");
        let all = app.get("/api/webhooks/deliveries", Some(&other)).await;
        assert_eq!(all.json["deliveries"], json!([]), "only the caller's");
        let bad = app.get("/api/webhooks/deliveries?connectionId=nope", Some(&token)).await;
        assert_eq!(bad.error_fields(), ["connectionId"]);
        app.get("/api/webhooks/deliveries", None).await.assert_error(401, "unauthenticated");
    }

    async fn a_redirect_is_a_failure_and_is_not_followed(app: TestApp) {
        let receiver = Receiver::start(&[302]);
        let token = app.register("hooks-redirect@example.com").await;
        let id = app.connect(&token, "chase", 15).await;
        point_at(&app, &token, &id, &receiver.url).await;
        fire(&app, &token, &id, "connection.test").await;
        let failed = newest_ends(&app, &token, &id, "failed").await;
        assert_eq!(failed["lastStatusCode"], 302);
        assert!(failed["lastError"].as_str().is_some_and(|e| e.contains("redirect")), "{failed}");
        let paths: Vec<String> = receiver.requests().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, vec!["/hook"; ATTEMPTS as usize], "/elsewhere is never asked");
    }

    async fn fire_webhook_is_validated_and_needs_a_webhook_url(app: TestApp) {
        let token = app.register("hooks-fire@example.com").await;
        let id = app.connect(&token, "chase", 16).await;
        let missing = simulate(&app, &token, &id, json!({"event": "fire_webhook"})).await;
        missing.assert_error(400, "validation_failed");
        assert_eq!(missing.error_fields(), ["webhookEvent"]);
        let unknown = simulate(&app, &token, &id, json!({"event": "fire_webhook", "webhookEvent": "nope"})).await;
        assert_eq!(unknown.error_fields(), ["webhookEvent"]);
        let no_url = simulate(&app, &token, &id, json!({"event": "fire_webhook", "webhookEvent": "connection.test"})).await;
        no_url.assert_error(409, "webhook_url_missing");
        let other = app.register("hooks-fire-other@example.com").await;
        let foreign = simulate(&app, &other, &id, json!({"event": "fire_webhook", "webhookEvent": "connection.test"})).await;
        foreign.assert_error(403, "forbidden");
        assert_eq!(deliveries(&app, &token, &id).await, Vec::<Value>::new(), "nothing recorded");

        let receiver = Receiver::start(&[200]);
        point_at(&app, &token, &id, &receiver.url).await;
        let old = secret(&app, &token).await;
        let rotated = app.post_json("/api/developer/webhook-secret", Some(&token), &json!({"graceSeconds": 600})).await;
        assert_eq!(rotated.status, 200, "{}", rotated.text);
        let new = rotated.json["secret"].as_str().expect("secret").to_owned();
        fire(&app, &token, &id, "connection.test").await;
        let got = receiver.wait_for(1).await;
        assert_eq!(got[0].header("Sandbank-Signature").matches("v1=").count(), 2, "the grace period's second v1");
        assert!(signed_with(&got[0], &new) && signed_with(&got[0], &old), "either secret verifies");
    }

    async fn status_changes_are_sent_on_expiry_authorize_and_disconnect(app: TestApp) {
        let receiver = Receiver::start(&[204]);
        let token = app.register("hooks-status@example.com").await;
        let id = app.connect(&token, "chase", 18).await;
        point_at(&app, &token, &id, &receiver.url).await;
        let expired = simulate(&app, &token, &id, json!({"event": "expire_token"})).await;
        assert_eq!(expired.status, 200, "{}", expired.text);
        let sync = app.post_to(&format!("{}/api/financial/connections/{id}", app.address), &token).await;
        sync.assert_error(409, "connection_expired");
        let got = receiver.wait_for(1).await;
        let body = got[0].json();
        assert_eq!(body["type"], "connection.status_changed");
        assert_eq!((body["data"]["from"].as_str(), body["data"]["to"].as_str()), (Some("connected"), Some("expired")));
        assert_eq!(body["data"]["error"]["code"], "token_expired");
        assert!(body["data"]["error"]["message"].is_string());

        let authorized = app.post_json(&format!("/api/financial/connections/{id}/authorize"), Some(&token), &json!({})).await;
        assert_eq!(authorized.status, 200, "{}", authorized.text);
        let back = receiver.wait_for(2).await[1].json();
        assert_eq!(back["data"], json!({"from": "expired", "to": "connected", "error": null}));

        let gone = app.send_delete(&format!("/api/financial/connections/{id}"), &token).await;
        assert_eq!(gone.status, 200, "{}", gone.text);
        let newest = newest_ends(&app, &token, &id, "succeeded").await;
        assert_eq!(newest["type"], "connection.status_changed");
        let all = receiver.requests();
        let last = all.last().expect("one").json();
        assert_eq!(last["id"], newest["eventId"]);
        assert_eq!((last["data"]["from"].as_str(), last["data"]["to"].as_str()), (Some("connected"), Some("disconnected")));
    }

    async fn a_purge_and_a_recategorisation_each_send_their_counts(app: TestApp) {
        let receiver = Receiver::start(&[200]);
        let token = app.register("hooks-purge@example.com").await;
        let id = app.connect(&token, "amex", 21).await;
        point_at(&app, &token, &id, &receiver.url).await;
        let listing = app.get(&format!("/api/financial/transactions?connectionId={id}&limit=500"), Some(&token)).await;
        let total = listing.json["pagination"]["total"].as_u64().expect("total");
        // A row the categorizing job corrects, given a category it does not have.
        let rows = listing.json["transactions"].as_array().expect("rows");
        let row = a_row_the_rules_categorize(rows).expect("a row the rules categorize");
        let row_id: sandbank_domain::TransactionId = row["id"].as_str().expect("id").parse().expect("id");
        let wrong = if row["category"] == "health" { "travel" } else { "health" };
        let db = app.open_database();
        let user = app.user_id(&token).await;
        db.write(|conn| {
            let mut stamp = sandbank_store::changes::ChangeStamp::new(user);
            sandbank_store::transactions::set_category(conn, row_id, wrong.parse().expect("category"), &mut stamp)
        })
        .expect("a wrong category");
        // The categorising job that followed the authorize may run now too: the two take turns,
        // so the row is corrected once, whoever does it.
        sandbank_services::jobs::categorize::categorize(&db, id.parse().expect("id")).expect("ran");
        let first = receiver.wait_for(1).await[0].json();
        assert_eq!(first["type"], "transactions.updates_available");
        assert_eq!(first["data"], json!({"added": 0, "modified": 1, "removed": 0}));

        let purged = app.send_delete(&format!("/api/financial/connections/{id}?purge=true"), &token).await;
        assert_eq!(purged.status, 200, "{}", purged.text);
        let got = receiver.wait_for(3).await;
        let types: Vec<Value> = got.iter().map(|r| r.json()["type"].clone()).collect();
        assert_eq!(types[1..], [json!("connection.status_changed"), json!("transactions.updates_available")]);
        assert_eq!(got[2].json()["data"], json!({"added": 0, "modified": 0, "removed": total}));
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(receiver.requests().len(), 3, "one event per write: {types:?}");
    }
}
