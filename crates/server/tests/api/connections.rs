//! The connection lifecycle over HTTP: create, authorize, sync, the sandbox controls,
//! disconnect, ownership, rate limits and token storage.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use sandbank_domain::transaction::ReportedTransaction;
use sandbank_fakebank::{FakeBank, catalog};
use serde_json::{Value, json};

use crate::helpers::*;

/// What a sync at the instant `to` after one at `from` must report for a connection of `slug`
/// with `seed`, according to the fake bank itself: (added, modified, removed). The bank stamps
/// rows on whole minutes, so instants taken just before the server's own agree with them.
pub(crate) fn expected_changes(
    slug: &str,
    seed: i64,
    linked_on: NaiveDate,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> (usize, usize, usize) {
    let bank = FakeBank::new(catalog::provider(slug).expect("provider"), seed as u64, linked_on);
    let mut changes = (0, 0, 0);
    for account in bank.accounts() {
        let rows = |now: DateTime<Utc>| -> HashMap<String, ReportedTransaction> {
            account
                .report_at(account.history_start()..now.date_naive() + Days::new(1), now)
                .transactions
                .into_iter()
                .map(|t| (t.external_id.clone(), t))
                .collect()
        };
        let (before, after) = (rows(from), rows(to));
        changes.0 += after.keys().filter(|id| !before.contains_key(*id)).count();
        changes.1 += after
            .iter()
            .filter(|(id, t)| before.get(*id).is_some_and(|b| b.status != t.status || b.posted_at != t.posted_at))
            .count();
        changes.2 += before.keys().filter(|id| !after.contains_key(*id)).count();
    }
    changes
}

/// A seed whose data has pending rows now that settle within three days.
/// The first seed whose connection to `slug`, linked at `now`, changes as `wanted` (rows added,
/// modified, removed) when its clock moves on three days: what the bank does in three days
/// depends on the date the test runs.
pub(crate) fn seed_changing_in_three_days(
    slug: &str,
    now: DateTime<Utc>,
    wanted: impl Fn((usize, usize, usize)) -> bool,
) -> i64 {
    let today = now.date_naive();
    (1..500).find(|seed| wanted(expected_changes(slug, *seed, today, now, now + Days::new(3)))).expect("a seed")
}

pub(crate) fn counts(reply: &Reply) -> (usize, usize, usize) {
    let n = |k: &str| reply.json[k].as_u64().unwrap_or_else(|| panic!("{k} in {}", reply.text)) as usize;
    (n("transactionsAdded"), n("transactionsModified"), n("transactionsRemoved"))
}

pub(crate) fn path(id: &str) -> String {
    format!("/api/financial/connections/{id}")
}

pub(crate) async fn simulate(app: &TestApp, token: &str, id: &str, body: Value) -> Reply {
    app.post_json(&format!("/api/sandbox/connections/{id}/simulate"), Some(token), &body).await
}

on_both_backends! {
    async fn create_consent_authorize_sync_advance_disconnect(app: TestApp) {
        let token = app.register("flow@example.com").await;
        let now = Utc::now();
        let today = now.date_naive();
        let seed = seed_changing_in_three_days("amex", now, |(added, modified, _)| added > 0 && modified > 0);
        let provider_id = catalog::provider("amex").expect("amex").id.as_str();
        let created = app.post_json("/api/financial/connections", Some(&token), &json!({"providerId": provider_id, "seed": seed})).await;
        assert_eq!(created.status, 201, "{}", created.text);
        assert_eq!(created.json["status"], "authorizing");
        let id = created.json["connectionId"].as_str().expect("id").to_owned();
        let authorize_url = created.json["authorizeUrl"].as_str().expect("url");
        assert!(authorize_url.ends_with(&format!("/financial/authorize/{id}")), "{authorize_url}");

        let first_sync = Utc::now();
        let authorized = app.post_json(&format!("{}/authorize", path(&id)), Some(&token), &json!({})).await;
        assert_eq!(authorized.status, 200, "{}", authorized.text);
        assert_eq!(authorized.json["status"], "connected");
        assert!(authorized.json["lastSyncedAt"].is_string());
        assert!(authorized.json.get("accessToken").is_none() && !authorized.text.contains("access-sandbox"));

        let accounts = app.get(&format!("/api/financial/accounts?connectionId={id}"), Some(&token)).await;
        let accounts = accounts.json["accounts"].as_array().expect("accounts").clone();
        let expected_accounts = FakeBank::new(catalog::provider("amex").expect("amex"), seed as u64, today).accounts();
        assert_eq!(accounts.len(), expected_accounts.len());
        assert!((1..=3).contains(&accounts.len()));

        let again = app.post_json(&path(&id), Some(&token), &json!({})).await;
        assert_eq!(again.status, 200, "{}", again.text);
        assert_eq!(counts(&again), (0, 0, 0), "a sync right after authorizing finds nothing new");
        assert_eq!(again.json["accountsUpdated"].as_u64(), Some(accounts.len() as u64));

        let advanced = simulate(&app, &token, &id, json!({"event": "advance_days", "days": 3})).await;
        assert_eq!(advanced.status, 200, "{}", advanced.text);
        assert_eq!(advanced.json["sandbox"]["clockOffsetDays"], 3);
        let second_sync = Utc::now() + Days::new(3);
        let synced = app.post_json(&path(&id), Some(&token), &json!({})).await;
        assert_eq!(synced.status, 200, "{}", synced.text);
        // The bank reports as of the connection's now: the real time, 3 days on.
        let expected = expected_changes("amex", seed, today, first_sync, second_sync);
        assert_eq!(counts(&synced), expected);
        assert!(expected.0 > 0 && expected.1 > 0, "new days arrive and pending rows settle: {expected:?}");

        let gone = app.send_delete(&path(&id), &token).await;
        assert_eq!(gone.status, 200, "{}", gone.text);
        assert_eq!(gone.json["status"], "disconnected");
        let after = app.post_json(&path(&id), Some(&token), &json!({})).await;
        after.assert_error(409, "connection_disconnected");
        let kept = app.get(&format!("/api/financial/accounts?connectionId={id}"), Some(&token)).await;
        let kept = kept.json["accounts"].as_array().expect("accounts").clone();
        assert_eq!(kept.len(), accounts.len(), "accounts are kept read-only");
        assert!(kept.iter().all(|a| a["status"] == "disconnected"));
    }

    async fn purge_deletes_the_accounts(app: TestApp) {
        let token = app.register("purge@example.com").await;
        let id = app.connect(&token, "chase", 7).await;
        let purged = app.call("DELETE", &format!("{}?purge=true", path(&id))).bearer(Some(&token)).send().await;
        assert_eq!(purged.status, 200, "{}", purged.text);
        let accounts = app.get(&format!("/api/financial/accounts?connectionId={id}"), Some(&token)).await;
        assert_eq!(accounts.json["accounts"], json!([]));
        let bad = app.call("DELETE", &format!("{}?purge=maybe", path(&id))).bearer(Some(&token)).send().await;
        bad.assert_error(400, "validation_failed");
        assert_eq!(bad.error_fields(), ["purge"]);
    }

    async fn the_accounts_list_is_never_served_from_before_a_write(app: TestApp) {
        let token = app.register("kept-accounts@example.com").await;
        let chase = app.connect(&token, "chase", 33).await;
        let amex = app.connect(&token, "amex", 34).await;
        let twin = app.register("kept-accounts-twin@example.com").await;
        app.connect(&twin, "chase", 33).await;
        let other = app.another_server(|_| {});
        let list = "/api/financial/accounts";
        let of = |reply: &Reply, connection: &str| -> Vec<Value> {
            let accounts = reply.json["accounts"].as_array().expect("accounts");
            accounts.iter().filter(|a| a["connectionId"] == connection).cloned().collect()
        };
        let first = app.get(list, Some(&token)).await;
        let again = app.get(list, Some(&token)).await;
        assert_eq!((again.status, &again.json), (200, &first.json));
        assert_eq!(again.header("content-type"), Some("application/json"));
        let twins = app.get(list, Some(&twin)).await;
        assert_eq!(twins.json["accounts"].as_array().map(Vec::len), Some(of(&first, &chase).len()));
        assert!(of(&twins, &chase).is_empty(), "the twin's own accounts: {}", twins.text);
        let filtered = app.get(&format!("{list}?connectionId={chase}"), Some(&token)).await;
        assert_eq!(filtered.json["accounts"], json!(of(&first, &chase)), "a filter is its own list");

        // The balance check, as a job in another process records it.
        let db = sandbank_store::Db::open(&sandbank_store::DatabaseUrl::parse(&app.database_url()).expect("url")).expect("db");
        let checked_id: sandbank_domain::AccountId = first.json["accounts"][0]["id"].as_str().expect("id").parse().expect("uuid");
        db.write(|conn| sandbank_store::accounts::set_reconciliation(conn, checked_id, "checked elsewhere")).expect("written");
        let checked = app.get(list, Some(&token)).await;
        assert_eq!(checked.json["accounts"][0]["reconciliation"], "checked elsewhere", "{}", checked.text);

        let elsewhere = |method: &str, path: String| app.call_at(&other, method, &path).bearer(Some(&token));
        let days = json!({"event": "advance_days", "days": 5});
        assert_eq!(elsewhere("POST", format!("/api/sandbox/connections/{chase}/simulate")).json(&days).send().await.status, 200);
        assert_eq!(elsewhere("POST", path(&chase)).json(&json!({})).send().await.status, 200);
        let synced = app.get(list, Some(&token)).await;
        let updated = |reply: &Reply| of(reply, &chase).iter().map(|a| a["updatedAt"].clone()).collect::<Vec<_>>();
        assert!(updated(&synced).iter().zip(updated(&first)).all(|(now, then)| *now != then), "{}", synced.text);
        assert_eq!(synced.json, elsewhere("GET", list.to_owned()).send().await.json, "both processes list the same");

        assert_eq!(elsewhere("DELETE", path(&chase)).send().await.status, 200);
        let disconnected = app.get(list, Some(&token)).await;
        assert!(of(&disconnected, &chase).iter().all(|a| a["status"] == "disconnected"), "{}", disconnected.text);
        assert!(of(&disconnected, &amex).iter().all(|a| a["status"] == "active"));

        assert_eq!(elsewhere("DELETE", format!("{}?purge=true", path(&amex))).send().await.status, 200);
        let purged = app.get(list, Some(&token)).await;
        assert!(of(&purged, &amex).is_empty(), "{}", purged.text);
        assert_eq!(of(&purged, &chase), of(&disconnected, &chase));
    }

    async fn wrong_state_actions_are_409s(app: TestApp) {
        let token = app.register("states@example.com").await;
        let id = app.create_connection(&token, "wells-fargo", 3).await;
        app.post_json(&path(&id), Some(&token), &json!({})).await.assert_error(409, "connection_not_authorized");
        simulate(&app, &token, &id, json!({"event": "expire_token"})).await.assert_error(409, "connection_not_connected");
        let authorize = format!("{}/authorize", path(&id));
        assert_eq!(app.post_json(&authorize, Some(&token), &json!({})).await.status, 200);
        app.post_json(&authorize, Some(&token), &json!({})).await.assert_error(409, "connection_already_connected");
        assert_eq!(app.send_delete(&path(&id), &token).await.status, 200);
        app.post_json(&authorize, Some(&token), &json!({})).await.assert_error(409, "connection_disconnected");
        app.post_json(&path(&id), Some(&token), &json!({})).await.assert_error(409, "connection_disconnected");
        simulate(&app, &token, &id, json!({"event": "recover"})).await.assert_error(409, "connection_disconnected");
        assert_eq!(app.send_delete(&path(&id), &token).await.status, 200, "disconnecting twice is harmless");
    }

    async fn an_expired_token_needs_a_new_consent_and_keeps_the_data(app: TestApp) {
        let token = app.register("expiry@example.com").await;
        let id = app.connect(&token, "capital-one", 11).await;
        let before = app.get(&format!("/api/financial/accounts?connectionId={id}"), Some(&token)).await.json["accounts"].clone();
        let expired = simulate(&app, &token, &id, json!({"event": "expire_token"})).await;
        assert_eq!(expired.json["sandbox"]["fault"], "token_expired");
        app.post_json(&path(&id), Some(&token), &json!({})).await.assert_error(409, "connection_expired");
        let connection = app.get(&path(&id), Some(&token)).await;
        assert_eq!(connection.json["status"], "expired");
        assert_eq!(connection.json["error"]["code"], "token_expired");
        app.post_json(&path(&id), Some(&token), &json!({})).await.assert_error(409, "connection_expired");

        let reauthorized = app.post_json(&format!("{}/authorize", path(&id)), Some(&token), &json!({})).await;
        assert_eq!(reauthorized.status, 200, "{}", reauthorized.text);
        assert_eq!(reauthorized.json["status"], "connected");
        assert_eq!(reauthorized.json["error"], Value::Null);
        assert_eq!(reauthorized.json["sandbox"]["fault"], Value::Null);
        let after = app.get(&format!("/api/financial/accounts?connectionId={id}"), Some(&token)).await.json["accounts"].clone();
        let ids = |accounts: &Value| accounts.as_array().expect("accounts").iter().map(|a| a["id"].clone()).collect::<Vec<_>>();
        assert_eq!(ids(&after), ids(&before), "the same accounts, not new ones");
        let synced = app.post_json(&path(&id), Some(&token), &json!({})).await;
        assert_eq!(counts(&synced), (0, 0, 0));
    }

    async fn an_outage_turns_syncs_into_503s_until_recovered(app: TestApp) {
        let token = app.register("outage@example.com").await;
        let id = app.connect(&token, "bank-of-america", 5).await;
        simulate(&app, &token, &id, json!({"event": "provider_outage"})).await;
        for _ in 0..2 {
            let failed = app.post_json(&path(&id), Some(&token), &json!({})).await;
            failed.assert_error(503, "provider_unavailable");
            assert!(failed.header("retry-after").is_some());
            let connection = app.get(&path(&id), Some(&token)).await;
            assert_eq!(connection.json["status"], "error");
            assert_eq!(connection.json["error"]["code"], "provider_unavailable");
            assert!(connection.json["error"]["message"].as_str().is_some_and(|m| m.contains("Bank of America")));
        }
        simulate(&app, &token, &id, json!({"event": "recover"})).await;
        let recovered = app.post_json(&path(&id), Some(&token), &json!({})).await;
        assert_eq!(recovered.status, 200, "{}", recovered.text);
        let connection = app.get(&path(&id), Some(&token)).await;
        assert_eq!(connection.json["status"], "connected");
        assert_eq!(connection.json["error"], Value::Null);
    }

    async fn sandbox_credentials_behave_as_documented(app: TestApp) {
        let token = app.register("creds@example.com").await;
        let authorize = |id: &str| format!("{}/authorize", path(id));
        let id = app.create_connection(&token, "chase", 1).await;
        let wrong = app.post_json(&authorize(&id), Some(&token), &json!({"username": "user_good", "password": "nope"})).await;
        wrong.assert_error(400, "invalid_credentials");
        let half = app.post_json(&authorize(&id), Some(&token), &json!({"username": "user_good"})).await;
        half.assert_error(400, "validation_failed");
        assert_eq!(half.error_fields(), ["password"]);
        let mfa = json!({"username": "user_mfa", "password": "pass_good"});
        app.post_json(&authorize(&id), Some(&token), &mfa).await.assert_error(400, "mfa_required");
        let bad_code = json!({"username": "user_mfa", "password": "pass_good", "mfaCode": "0000"});
        app.post_json(&authorize(&id), Some(&token), &bad_code).await.assert_error(400, "invalid_mfa_code");
        assert_eq!(app.get(&path(&id), Some(&token)).await.json["status"], "authorizing", "failed attempts change nothing");
        let good_code = json!({"username": "user_mfa", "password": "pass_good", "mfaCode": "1234"});
        assert_eq!(app.post_json(&authorize(&id), Some(&token), &good_code).await.status, 200);

        let good = app.create_connection(&token, "chase", 2).await;
        let reply = app.post_json(&authorize(&good), Some(&token), &json!({"username": "user_good", "password": "pass_good"})).await;
        assert_eq!(reply.json["status"], "connected");

        let locked = app.create_connection(&token, "chase", 3).await;
        let reply = app.post_json(&authorize(&locked), Some(&token), &json!({"username": "user_locked", "password": "pass_good"})).await;
        reply.assert_error(400, "account_locked");
        let connection = app.get(&path(&locked), Some(&token)).await;
        assert_eq!(connection.json["status"], "error");
        assert_eq!(connection.json["error"]["code"], "account_locked");
        app.post_json(&path(&locked), Some(&token), &json!({})).await.assert_error(409, "connection_not_authorized");
    }

    async fn another_users_connection_is_403_and_a_missing_one_404(app: TestApp) {
        let owner = app.register("owner@example.com").await;
        let other = app.register("other@example.com").await;
        let id = app.connect(&owner, "amex", 9).await;
        let missing = uuid::Uuid::new_v4().to_string();
        let account = app.get("/api/financial/accounts", Some(&owner)).await.json["accounts"][0]["id"].as_str().expect("account").to_owned();
        for (target, status, code) in [(id.as_str(), 403, "forbidden"), (missing.as_str(), 404, "not_found")] {
            app.get(&path(target), Some(&other)).await.assert_error(status, code);
            app.post_json(&path(target), Some(&other), &json!({})).await.assert_error(status, code);
            app.send_delete(&path(target), &other).await.assert_error(status, code);
            app.post_json(&format!("{}/authorize", path(target)), Some(&other), &json!({})).await.assert_error(status, code);
            simulate(&app, &other, target, json!({"event": "recover"})).await.assert_error(status, code);
        }
        app.get(&format!("/api/financial/accounts/{account}"), Some(&other)).await.assert_error(403, "forbidden");
        app.get(&format!("/api/financial/accounts/{missing}"), Some(&other)).await.assert_error(404, "not_found");
        let listed = app.get("/api/financial/connections", Some(&other)).await;
        assert_eq!(listed.json["connections"], json!([]));
        assert_eq!(app.get("/api/financial/accounts", Some(&other)).await.json["accounts"], json!([]));
        assert_eq!(app.get(&path(&id), Some(&owner)).await.status, 200, "the owner still sees it");
    }

    async fn bad_ids_and_fields_are_400s_naming_them(app: TestApp) {
        let token = app.register("fields@example.com").await;
        let reply = app.get(&path("not-a-uuid"), Some(&token)).await;
        reply.assert_error(400, "validation_failed");
        assert_eq!(reply.error_fields(), ["connectionId"]);
        let reply = app.get("/api/financial/accounts/nope", Some(&token)).await;
        assert_eq!(reply.error_fields(), ["accountId"]);
        let reply = app.get("/api/financial/accounts?connectionId=x&type=loan&providerId=y", Some(&token)).await;
        assert_eq!(reply.error_fields(), ["connectionId", "providerId", "type"]);
        for (body, field) in [
            (json!({}), "providerId"),
            (json!({"providerId": "nope"}), "providerId"),
            (json!({"providerId": uuid::Uuid::new_v4()}), "providerId"),
            (json!({"providerId": catalog::provider("amex").expect("amex").id, "seed": -1}), "seed"),
        ] {
            let reply = app.post_json("/api/financial/connections", Some(&token), &body).await;
            reply.assert_error(400, "validation_failed");
            assert_eq!(reply.error_fields(), [field], "{body}");
        }
        let id = app.connect(&token, "amex", 4).await;
        for (body, field) in [
            (json!({"event": "meteor"}), "event"),
            (json!({}), "event"),
            (json!({"event": "advance_days"}), "days"),
            (json!({"event": "advance_days", "days": 0}), "days"),
            (json!({"event": "advance_days", "days": 366}), "days"),
        ] {
            let reply = simulate(&app, &token, &id, body.clone()).await;
            reply.assert_error(400, "validation_failed");
            assert_eq!(reply.error_fields(), [field], "{body}");
        }
    }

    async fn ten_concurrent_syncs_add_each_row_once(app: TestApp) {
        let token = app.register("race@example.com").await;
        let first_sync = Utc::now();
        let today = first_sync.date_naive();
        let seed = 21;
        let id = app.connect(&token, "chase", seed).await;
        simulate(&app, &token, &id, json!({"event": "advance_days", "days": 5})).await;
        let later_syncs = Utc::now() + Days::new(5);
        let app = std::rc::Rc::new(app);
        let syncs = (0..10).map(|_| {
            let (app, token, id) = (app.clone(), token.clone(), id.clone());
            async move { app.post_json(&path(&id), Some(&token), &json!({})).await }
        });
        let replies = futures_util::future::join_all(syncs).await;
        assert!(replies.iter().all(|r| r.status == 200), "{:?}", replies.iter().map(|r| &r.text).collect::<Vec<_>>());
        let added: usize = replies.iter().map(|r| counts(r).0).sum();
        let expected = expected_changes("chase", seed, today, first_sync, later_syncs);
        assert_eq!(added, expected.0);
        assert_eq!(counts(&app.post_json(&path(&id), Some(&token), &json!({})).await), (0, 0, 0));
    }

    async fn creating_connections_is_rate_limited(app: TestApp) {
        let token = app.register("limits@example.com").await;
        for seed in 0..10 {
            app.create_connection(&token, "amex", seed).await;
        }
        let provider_id = catalog::provider("amex").expect("amex").id.as_str();
        let reply = app.post_json("/api/financial/connections", Some(&token), &json!({"providerId": provider_id})).await;
        reply.assert_error(429, "rate_limited");
        let retry_after: u64 = reply.header("retry-after").expect("Retry-After").parse().expect("seconds");
        // A sliding minute in 6 s slices: the burst may take up to one slice more to leave it.
        assert!((1..=66).contains(&retry_after), "{retry_after}");
        let other = app.register("limits2@example.com").await;
        app.create_connection(&other, "amex", 1).await;
    }

    async fn login_attempts_are_rate_limited_per_email(app: TestApp) {
        app.register("brute@example.com").await;
        for _ in 0..10 {
            let reply = app.post_json("/api/auth/login", None, &json!({"email": "brute@example.com", "password": "guess-guess"})).await;
            reply.assert_error(401, "invalid_credentials");
        }
        let reply = app.post_json("/api/auth/login", None, &json!({"email": "BRUTE@example.com", "password": PASSWORD})).await;
        reply.assert_error(429, "rate_limited");
        assert!(reply.header("retry-after").is_some());
        app.register("other-user@example.com").await;
        let other = app.post_json("/api/auth/login", None, &json!({"email": "other-user@example.com", "password": PASSWORD})).await;
        assert_eq!(other.status, 200);
    }

    async fn access_tokens_are_stored_sealed(app: TestApp) {
        let token = app.register("sealed@example.com").await;
        let id = app.connect(&token, "amex", 8).await;
        let db = sandbank_store::Db::open(&sandbank_store::DatabaseUrl::parse(&app.database_url()).expect("url")).expect("db");
        let connection_id: sandbank_domain::ConnectionId = id.parse().expect("uuid");
        let sealed = db
            .read(|conn| sandbank_store::connections::sealed_token(conn, connection_id))
            .expect("read")
            .expect("a sealed token");
        assert!(sealed.len() > 40);
        assert!(!sealed.windows(15).any(|w| w == b"access-sandbox-"), "no plaintext token in the column");
        if let Some(file) = sandbank_store::DatabaseUrl::parse(&app.database_url()).expect("url").sqlite_path() {
            for suffix in ["", "-wal"] {
                let path = format!("{}{suffix}", file.display());
                if let Ok(bytes) = std::fs::read(&path) {
                    assert!(!bytes.windows(15).any(|w| w == b"access-sandbox-"), "plaintext token in {path}");
                }
            }
        }
        assert_eq!(app.send_delete(&path(&id), &token).await.status, 200);
        let erased = db.read(|conn| sandbank_store::connections::sealed_token(conn, connection_id)).expect("read");
        assert_eq!(erased, None, "disconnect erases the token");
    }
}
