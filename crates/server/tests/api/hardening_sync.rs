//! The hardening of sync: fetch outside, apply in chunks under a lease; a bounded sandbox
//! clock; syncs of one connection that wait on its lease, not on the pool; secret rotation.

use std::time::Duration;

use chrono::{Days, Utc};
use sandbank_domain::ConnectionId;
use sandbank_services::Secret;
use sandbank_store::connections as stored;
use serde_json::json;

use crate::connections::{counts, expected_changes, path, simulate};
use crate::helpers::*;

/// Moves the connection's clock `days` forward, 365 at a time.
async fn advance(app: &TestApp, token: &str, id: &str, days: u32) {
    let mut left = days;
    while left > 0 {
        let step = left.min(365);
        let reply = simulate(app, token, id, json!({"event": "advance_days", "days": step})).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        left -= step;
    }
}

fn connection_id(id: &str) -> ConnectionId {
    id.parse::<uuid::Uuid>().expect("uuid").into()
}

async fn total(app: &TestApp, token: &str, id: &str) -> u64 {
    let reply = app.get(&format!("/api/financial/transactions?connectionId={id}&limit=1"), Some(token)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["pagination"]["total"].as_u64().expect("total")
}

mod backlog {
    use super::*;

    on_both_backends! {
        async fn a_ten_year_backlog_lands_chunk_by_chunk_while_others_are_served(app: TestApp) {
            let token = app.register("backlog@example.com").await;
            let other = app.register("bystander@example.com").await;
            let bystander_id = app.connect(&other, "amex", 4).await;
            let first_sync = Utc::now();
            let today = first_sync.date_naive();
            let id = app.connect(&token, "chase", 21).await;
            advance(&app, &token, &id, 3650).await;
            let backlog_sync = Utc::now() + Days::new(3650);
            let before = total(&app, &token, &id).await;
            let (sync_path, empty) = (path(&id), json!({}));
            let sync = app.post_json(&sync_path, Some(&token), &empty);
            let watch = async {
                // While it runs: the owner sees the rows arrive chunk by chunk (each chunk is its own
                // transaction), and another user's sign-in and listing keep answering.
                let mut seen = vec![before];
                for round in 0..400 {
                    let now = total(&app, &token, &id).await;
                    if seen.last() != Some(&now) {
                        seen.push(now);
                    }
                    if round % 10 == 0 {
                        let login = app.post_json("/api/auth/login", None, &json!({"email": "bystander@example.com", "password": PASSWORD})).await;
                        assert_eq!(login.status, 200, "{}", login.text);
                        assert!(total(&app, &other, &bystander_id).await > 0);
                    }
                    actix_web::rt::time::sleep(Duration::from_millis(5)).await;
                    if seen.len() > 3 {
                        break;
                    }
                }
                seen
            };
            let (reply, seen) = futures_util::future::join(sync, watch).await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            let expected = expected_changes("chase", 21, today, first_sync, backlog_sync);
            assert_eq!(counts(&reply), expected);
            assert!(seen.len() > 3, "totals seen during the sync: {seen:?} (one transaction would show two)");
            let after = total(&app, &token, &id).await;
            assert_eq!(after as usize, before as usize + expected.0 - expected.2);
            assert_eq!(counts(&app.post_json(&path(&id), Some(&token), &json!({})).await), (0, 0, 0));
        }

        async fn the_sandbox_clock_stops_ten_years_ahead(app: TestApp) {
            let token = app.register("clock@example.com").await;
            let id = app.connect(&token, "wells-fargo", 2).await;
            advance(&app, &token, &id, 3650).await;
            let reply = simulate(&app, &token, &id, json!({"event": "advance_days", "days": 1})).await;
            reply.assert_error(400, "validation_failed");
            assert_eq!(reply.error_fields(), ["days"]);
            let connection = app.get(&path(&id), Some(&token)).await;
            assert_eq!(connection.json["sandbox"]["clockOffsetDays"], 3650, "{}", connection.text);
        }

        async fn a_clock_stored_out_of_range_never_panics(app: TestApp) {
            let token = app.register("overflow@example.com").await;
            let id = app.connect(&token, "capital-one", 6).await;
            // As left by a server before the bound: an offset near where date arithmetic overflows.
            app.open_database()
                .write(|conn| stored::set_sandbox(conn, connection_id(&id), None, 95_000_000))
                .expect("offset stored");
            assert_eq!(app.get(&path(&id), Some(&token)).await.status, 200);
            assert_eq!(app.get("/api/financial/connections", Some(&token)).await.status, 200);
            let reply = simulate(&app, &token, &id, json!({"event": "advance_days", "days": 1})).await;
            assert_eq!(reply.error_fields(), ["days"], "{}", reply.text);
            let synced = app.post_json(&path(&id), Some(&token), &json!({})).await;
            assert_eq!(synced.status, 200, "{}", synced.text);
            assert_eq!(app.send_delete(&path(&id), &token).await.status, 200);
        }
    }
}

mod lease {
    use super::*;

    on_both_backends! {
        with |settings| settings.sync.wait = Duration::from_secs(1);

        async fn syncs_wait_on_the_lease_not_the_pool_and_give_up_with_409(app: TestApp) {
            let token = app.register("flood@example.com").await;
            let other = app.register("neighbour@example.com").await;
            let neighbour = app.connect(&other, "amex", 3).await;
            let id = app.connect(&token, "chase", 5).await;
            // Another process's sync holds the lease.
            let now = Utc::now();
            let holder = uuid::Uuid::new_v4();
            let held = app
                .open_database()
                .write(|conn| stored::take_lease(conn, connection_id(&id), holder, now, now + chrono::TimeDelta::hours(1)))
                .expect("lease");
            assert!(held);
            let app = std::rc::Rc::new(app);
            let flood = (0..40).map(|_| {
                let (app, token, id) = (app.clone(), token.clone(), id.clone());
                async move { app.post_json(&path(&id), Some(&token), &json!({})).await }
            });
            let neighbour_reads = async {
                let mut statuses = Vec::new();
                for _ in 0..20 {
                    statuses.push(total(&app, &other, &neighbour).await);
                    actix_web::rt::time::sleep(Duration::from_millis(20)).await;
                }
                statuses
            };
            let (replies, reads) = futures_util::future::join(futures_util::future::join_all(flood), neighbour_reads).await;
            assert!(reads.iter().all(|n| *n > 0), "{reads:?}");
            for reply in &replies {
                reply.assert_error(409, "sync_in_progress");
            }
            // The holder finishes and gives the lease back; syncs go on.
            app.open_database().write(|conn| stored::release_lease(conn, connection_id(&id), holder)).expect("released");
            let reply = app.post_json(&path(&id), Some(&token), &json!({})).await;
            assert_eq!(reply.status, 200, "{}", reply.text);
        }
    }
}

mod rotation {
    use super::*;

    on_both_backends! {
        async fn rotating_the_secret_strands_no_connection(app: TestApp) {
            let old = Secret::from_config("test-secret-test-secret-test-secret").expect("secret");
            let new = Secret::from_config("the-new-secret-the-new-secret-the-new").expect("secret");
            let token = app.register("rotate@example.com").await;
            let id = app.connect(&token, "bank-of-america", 8).await;
            let rotated = app.another_server(|s| {
                s.secret = new.clone();
                s.previous_secrets = vec![old.clone()];
            });
            let forgetful = app.another_server(|s| s.secret = Secret::from_config("a-third-secret-nobody-kept-it-safe").expect("secret"));
            let sign_in = |base: String| {
                let app = &app;
                async move {
                    let reply = app.call_at(&base, "POST", "/api/auth/login").json(&json!({"email": "rotate@example.com", "password": PASSWORD})).send().await;
                    assert_eq!(reply.status, 200, "{}", reply.text);
                    reply.json["token"].as_str().expect("token").to_owned()
                }
            };
            // With the old secret among the previous ones, the token opens and is re-sealed.
            let rotated_token = sign_in(rotated.clone()).await;
            let synced = app.call_at(&rotated, "POST", &path(&id)).bearer(Some(&rotated_token)).json(&json!({})).send().await;
            assert_eq!(synced.status, 200, "{}", synced.text);
            // A server that knows neither secret: the connection expires with a clear code, never a 500.
            let lost_token = sign_in(forgetful.clone()).await;
            let lost = app.call_at(&forgetful, "POST", &path(&id)).bearer(Some(&lost_token)).json(&json!({})).send().await;
            lost.assert_error(409, "connection_expired");
            let shown = app.call_at(&forgetful, "GET", &path(&id)).bearer(Some(&lost_token)).send().await;
            assert_eq!(shown.json["status"], "expired", "{}", shown.text);
            assert_eq!(shown.json["error"]["code"], "token_unreadable", "{}", shown.text);
            let accounts = format!("/api/financial/accounts?connectionId={id}");
            let before = app.call_at(&forgetful, "GET", &accounts).bearer(Some(&lost_token)).send().await.json["accounts"].as_array().expect("accounts").len();
            // Authorizing again recovers it, with its data.
            let again = app.call_at(&forgetful, "POST", &format!("{}/authorize", path(&id))).bearer(Some(&lost_token)).json(&json!({})).send().await;
            assert_eq!(again.status, 200, "{}", again.text);
            assert_eq!(again.json["status"], "connected");
            let after = app.call_at(&forgetful, "GET", &accounts).bearer(Some(&lost_token)).send().await.json["accounts"].as_array().expect("accounts").len();
            assert_eq!(before, after);
            assert!(before > 0);
            let synced = app.call_at(&forgetful, "POST", &path(&id)).bearer(Some(&lost_token)).json(&json!({})).send().await;
            assert_eq!(synced.status, 200, "{}", synced.text);
        }
    }
}
