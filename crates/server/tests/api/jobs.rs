//! Background jobs over HTTP: asynchronous syncs, retries with backoff during an outage, and
//! two servers with workers on one database running each job once.

use std::time::Duration;

use chrono::TimeDelta;
use sandbank_domain::job::RetryPolicy;
use serde_json::{Value, json};

use crate::helpers::*;

/// Fast retries for tests: 20 ms, doubling, three attempts.
fn with_workers(settings: &mut sandbank::Settings) {
    settings.workers = 2;
    settings.retry =
        RetryPolicy { base: TimeDelta::milliseconds(20), factor: 2, cap: TimeDelta::seconds(1), max_attempts: 3 };
}

/// Polls the job until it has ended; returns it.
async fn finished(app: &TestApp, token: &str, job: &str) -> Value {
    for _ in 0..200 {
        let reply = app.get(&format!("/api/jobs/{job}"), Some(token)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        if matches!(reply.json["status"].as_str(), Some("succeeded" | "failed")) {
            return reply.json;
        }
        actix_web::rt::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("job {job} did not end");
}

async fn queue_sync(app: &TestApp, base: &str, token: &str, id: &str) -> String {
    let reply = app.post_to(&format!("{base}/api/financial/connections/{id}?async=true"), token).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_eq!(reply.json["status"], "queued");
    reply.json["jobId"].as_str().expect("jobId").to_owned()
}

on_both_backends! {
    with with_workers;

    async fn an_async_sync_runs_as_a_job(app: TestApp) {
        let token = app.register("async@example.com").await;
        let id = app.connect(&token, "chase", 17).await;
        let address = app.address.clone();
        let job = queue_sync(&app, &address, &token, &id).await;
        let done = finished(&app, &token, &job).await;
        assert_eq!(done["status"], "succeeded");
        assert_eq!(done["attempts"], 1);
        assert_eq!(done["kind"], "sync_provider_connection");
        assert_eq!(done["connectionId"], id.as_str());
        let other = app.register("not-the-owner@example.com").await;
        app.get(&format!("/api/jobs/{job}"), Some(&other)).await.assert_error(403, "forbidden");
        app.get(&format!("/api/jobs/{}", uuid::Uuid::new_v4()), Some(&token)).await.assert_error(404, "not_found");
        let bad = app.call("POST", &format!("/api/financial/connections/{id}?async=maybe")).bearer(Some(&token)).send().await;
        assert_eq!(bad.error_fields(), ["async"]);
    }

    async fn an_outage_is_retried_with_backoff_until_it_fails_then_recovers(app: TestApp) {
        let token = app.register("retries@example.com").await;
        let id = app.connect(&token, "wells-fargo", 23).await;
        let simulate = format!("/api/sandbox/connections/{id}/simulate");
        app.post_json(&simulate, Some(&token), &json!({"event": "provider_outage"})).await;
        let address = app.address.clone();
        let job = queue_sync(&app, &address, &token, &id).await;
        let failed = finished(&app, &token, &job).await;
        assert_eq!(failed["status"], "failed", "{failed}");
        assert_eq!(failed["attempts"], 3, "retried until the policy's attempts ran out");
        assert!(failed["lastError"].as_str().is_some_and(|e| e.contains("not responding")));
        let connection = app.get(&format!("/api/financial/connections/{id}"), Some(&token)).await;
        assert_eq!(connection.json["status"], "error");
        assert_eq!(connection.json["error"]["code"], "provider_unavailable");

        app.post_json(&simulate, Some(&token), &json!({"event": "recover"})).await;
        let job = queue_sync(&app, &address, &token, &id).await;
        assert_eq!(finished(&app, &token, &job).await["status"], "succeeded");
        let connection = app.get(&format!("/api/financial/connections/{id}"), Some(&token)).await;
        assert_eq!(connection.json["status"], "connected");
        assert_eq!(connection.json["error"], Value::Null);
    }

    async fn after_a_sync_categories_are_corrected_and_balances_checked(app: TestApp) {
        let token = app.register("after-sync@example.com").await;
        let id = app.connect(&token, "chase", 29).await;
        // A debit that a rule categorizes (which rows are latest depends on today's date: on
        // 2026-12-04 it was a transfer no rule names, which nothing would correct).
        let debits = format!("/api/financial/transactions?connectionId={id}&type=debit&limit=100");
        let listing = app.get(&debits, Some(&token)).await;
        let rows = listing.json["transactions"].as_array().expect("rows");
        let row = a_row_the_rules_categorize(rows).expect("a debit the rules categorize").clone();
        let wrong = if row["category"] == "health" { "travel" } else { "health" };
        let db = sandbank_store::Db::open(&sandbank_store::DatabaseUrl::parse(&app.database_url()).expect("url")).expect("db");
        let row_id: sandbank_domain::TransactionId = row["id"].as_str().expect("id").parse().expect("uuid");
        let owner = sandbank_store::changes::ChangeStamp::new(app.user_id(&token).await);
        db.read(|conn| sandbank_store::transactions::set_category(conn, row_id, wrong.parse().expect("category"), &mut { owner }))
            .expect("corrupted");

        let address = app.address.clone();
        let job = queue_sync(&app, &address, &token, &id).await;
        assert_eq!(finished(&app, &token, &job).await["status"], "succeeded");
        let mut checked = Value::Null;
        for _ in 0..200 {
            let accounts = app.get(&format!("/api/financial/accounts?connectionId={id}"), Some(&token)).await;
            let rows = app.get(&debits, Some(&token)).await.json["transactions"].clone();
            let corrected = rows.as_array().expect("rows").iter().find(|r| r["id"] == row["id"]).expect("the row");
            let all_checked = accounts.json["accounts"].as_array().expect("accounts").iter().all(|a| a["reconciliation"].is_string());
            if all_checked && corrected["category"] == row["category"] {
                checked = accounts.json;
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(25)).await;
        }
        let accounts = checked["accounts"].as_array().expect("the follow-up jobs ran");
        assert!(accounts.iter().all(|a| a["reconciliation"] == "matched"), "{checked}");
    }

    async fn two_servers_on_one_database_run_each_job_once(app: TestApp) {
        let second = app.another_server(with_workers);
        let token = app.register("two-servers@example.com").await;
        let mut connections = Vec::new();
        for seed in 0..3 {
            let id = app.connect(&token, "capital-one", 40 + seed).await;
            app.post_json(&format!("/api/sandbox/connections/{id}/simulate"), Some(&token), &json!({"event": "advance_days", "days": 4})).await;
            connections.push(id);
        }
        let first = app.address.clone();
        let mut queued = Vec::new();
        for round in 0..4 {
            for id in &connections {
                let base = if round % 2 == 0 { &first } else { &second };
                queued.push(queue_sync(&app, base, &token, id).await);
            }
        }
        for job in &queued {
            let done = finished(&app, &token, job).await;
            assert_eq!(done["status"], "succeeded", "{done}");
            assert_eq!(done["attempts"], 1, "each job ran once: {done}");
        }
        let listing = app.get("/api/financial/transactions?limit=500", Some(&token)).await;
        let rows = listing.json["transactions"].as_array().expect("rows").len() as u64;
        let total = listing.json["pagination"]["total"].as_u64().expect("total");
        let mut seen = std::collections::HashSet::new();
        let mut cursor = listing.json["pagination"]["cursor"].as_str().map(str::to_owned);
        for t in listing.json["transactions"].as_array().expect("rows") {
            assert!(seen.insert(t["externalId"].as_str().expect("id").to_owned()), "a duplicate row");
        }
        while let Some(next) = cursor {
            let page = app.get(&format!("/api/financial/transactions?limit=500&cursor={next}"), Some(&token)).await;
            for t in page.json["transactions"].as_array().expect("rows") {
                assert!(seen.insert(t["externalId"].as_str().expect("id").to_owned()), "a duplicate row");
            }
            cursor = page.json["pagination"]["cursor"].as_str().map(str::to_owned);
        }
        assert_eq!(seen.len() as u64, total);
        assert!(rows > 0);
    }
}
