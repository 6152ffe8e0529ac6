//! Issue #12, webhook signing secret: `GET`/`POST /api/developer/webhook-secret` and the
//! signature the secret makes.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use ring::hmac;
use sandbank_domain::UserId;
use sandbank_services::Secret;
use sandbank_services::security::token_vault::TokenVault;
use sandbank_services::security::webhook_signature;
use sandbank_services::use_cases::webhook_secrets::WebhookSecretService;
use serde_json::json;

use crate::helpers::*;

const PATH: &str = "/api/developer/webhook-secret";

/// The server secret of every test server (`helpers::test_settings`).
const SERVER_SECRET: &str = "test-secret-test-secret-test-secret";

/// The service as the server builds it, over the app's database: what the delivery job will use.
fn service(app: &TestApp) -> WebhookSecretService {
    let keys = Secret::from_config(SERVER_SECRET).expect("secret").keys().expect("keys");
    let vault = TokenVault::new(&keys.webhook_secret_sealing).expect("vault");
    WebhookSecretService::new(app.open_database(), Arc::new(vault))
}

async fn user_id(app: &TestApp, token: &str) -> UserId {
    let me = app.get("/api/auth/me", Some(token)).await;
    UserId::from_uuid(me.json["id"].as_str().expect("id").parse().expect("uuid"))
}

async fn secret_of(app: &TestApp, token: &str) -> String {
    let reply = app.get(PATH, Some(token)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["secret"].as_str().expect("secret").to_owned()
}

async fn rotate(app: &TestApp, token: &str, body: Option<serde_json::Value>) -> Reply {
    let call = app.call("POST", PATH).bearer(Some(token));
    match body {
        Some(body) => call.json(&body).send().await,
        None => call.send().await,
    }
}

fn expires_at(reply: &Reply) -> DateTime<Utc> {
    reply.json["previousSecretExpiresAt"].as_str().expect("previousSecretExpiresAt").parse().expect("time")
}

on_both_backends! {
    async fn get_returns_one_stable_secret_per_user(app: TestApp) {
        let alice = app.register("alice@example.com").await;
        let first = secret_of(&app, &alice).await;
        assert!(first.starts_with("whsec_") && first.len() > 40, "{first}");
        assert_eq!(secret_of(&app, &alice).await, first, "GET twice: the same secret");
        let bob = app.register("bob@example.com").await;
        assert_ne!(secret_of(&app, &bob).await, first, "another user has another secret");
    }

    async fn rotation_gives_a_new_secret_and_the_previous_signs_during_the_grace_period(app: TestApp) {
        let token = app.register("rotate@example.com").await;
        let user = user_id(&app, &token).await;
        let old = secret_of(&app, &token).await;
        let before = Utc::now();
        let rotated = rotate(&app, &token, Some(json!({"graceSeconds": 3600}))).await;
        assert_eq!(rotated.status, 200, "{}", rotated.text);
        let new = rotated.json["secret"].as_str().expect("secret").to_owned();
        assert_ne!(new, old);
        assert_eq!(secret_of(&app, &token).await, new);
        let until = expires_at(&rotated);
        assert!(until >= before + chrono::TimeDelta::seconds(3600) && until <= Utc::now() + chrono::TimeDelta::seconds(3600));
        let service = service(&app);
        let during = service.signing_secrets(user, Utc::now()).expect("in force");
        assert_eq!(during.in_order(), vec![new.as_str(), old.as_str()]);
        let after = service.signing_secrets(user, until).expect("in force");
        assert_eq!(after.in_order(), vec![new.as_str()], "the grace period is over");

        let immediate = rotate(&app, &token, Some(json!({"graceSeconds": 0}))).await;
        assert_eq!(immediate.status, 200, "{}", immediate.text);
        let newest = immediate.json["secret"].as_str().expect("secret");
        let now_only = service.signing_secrets(user, Utc::now()).expect("in force");
        assert_eq!(now_only.in_order(), vec![newest], "graceSeconds 0 retires the old secret at once");
    }

    async fn rotation_without_a_body_keeps_the_old_secret_for_a_day(app: TestApp) {
        let token = app.register("default@example.com").await;
        let before = Utc::now();
        let rotated = rotate(&app, &token, None).await;
        assert_eq!(rotated.status, 200, "{}", rotated.text);
        let day = chrono::TimeDelta::seconds(86_400);
        let until = expires_at(&rotated);
        assert!(until >= before + day && until <= Utc::now() + day, "{until}");
    }

    async fn a_signature_made_by_the_service_verifies_with_the_secret_from_the_api(app: TestApp) {
        let token = app.register("sign@example.com").await;
        let user = user_id(&app, &token).await;
        let secret = secret_of(&app, &token).await;
        let body = br#"{"id":"evt_1","type":"connection.test","data":{}}"#;
        let t = Utc::now().timestamp();
        let header = service(&app).signing_secrets(user, Utc::now()).expect("in force").header_value(t, body);

        let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
        let message = [format!("{t}.").as_bytes(), body.as_slice()].concat();
        let expected: String = hmac::sign(&key, &message).as_ref().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(header, format!("t={t},v1={expected}"));
        assert_eq!(webhook_signature::verify(&header, body, &secret, t + 5, 300), Ok(()));
        let other = app.register("other@example.com").await;
        let foreign = secret_of(&app, &other).await;
        assert!(webhook_signature::verify(&header, body, &foreign, t, 300).is_err());
    }

    async fn bad_grace_seconds_is_a_400_naming_the_field(app: TestApp) {
        let token = app.register("grace@example.com").await;
        for bad in [json!({"graceSeconds": -1}), json!({"graceSeconds": 604_801}), json!({"graceSeconds": "a day"}), json!({"graceSeconds": 1.5})] {
            let reply = rotate(&app, &token, Some(bad.clone())).await;
            reply.assert_error(400, "validation_failed");
            assert_eq!(reply.error_fields(), vec!["graceSeconds".to_owned()], "{bad}: {}", reply.text);
        }
        assert_eq!(rotate(&app, &token, Some(json!({"graceSeconds": 604_800}))).await.status, 200);
    }

    async fn both_routes_need_a_session(app: TestApp) {
        app.get(PATH, None).await.assert_error(401, "unauthenticated");
        app.call("POST", PATH).json(&json!({})).send().await.assert_error(401, "unauthenticated");
        let login_token = app.register("cookie@example.com").await;
        let login = app.post_json("/api/auth/login", None, &json!({"email": "cookie@example.com", "password": PASSWORD})).await;
        let cookie = session_cookie(&login);
        let by_cookie = app.call("GET", PATH).header("Cookie", &cookie).send().await;
        assert_eq!(by_cookie.json["secret"], secret_of(&app, &login_token).await.as_str());
        let cross = app.call("POST", PATH).header("Cookie", &cookie).header("Origin", "http://evil.example").json(&json!({})).send().await;
        cross.assert_error(403, "csrf_failed");
    }
}
