//! Issue #13, keys: `POST`/`GET /api/developer/keys`, `DELETE /api/developer/keys/{clientId}`,
//! what `DeveloperKeyService::authenticate` (the Plaid API's check) makes of them, and the
//! dashboard's Developer keys forms.

use sandbank_services::use_cases::developer_keys::{DeveloperKeyService, KeyError};
use serde_json::{Value, json};

use crate::helpers::*;

const PATH: &str = "/api/developer/keys";

async fn create(app: &TestApp, token: &str, body: Option<Value>) -> Reply {
    let call = app.call("POST", PATH).bearer(Some(token));
    match body {
        Some(body) => call.json(&body).send().await,
        None => call.send().await,
    }
}

async fn created(app: &TestApp, token: &str, name: Option<&str>) -> (String, String) {
    let reply = create(app, token, name.map(|n| json!({"name": n}))).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let field = |f: &str| reply.json[f].as_str().unwrap_or_else(|| panic!("{f}: {}", reply.text)).to_owned();
    (field("clientId"), field("secret"))
}

async fn listed(app: &TestApp, token: &str) -> Vec<Value> {
    let reply = app.get(PATH, Some(token)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["keys"].as_array().expect("keys").clone()
}

/// The value of the read-only input `id` on `page`.
fn input_value(page: &str, id: &str) -> String {
    let input = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("input {id}"));
    let start = input + page[input..].find("value=\"").expect("value") + "value=\"".len();
    page[start..].split('"').next().expect("value").to_owned()
}

on_both_backends! {
    async fn a_key_is_made_listed_without_its_secret_and_authenticates_as_its_user(app: TestApp) {
        let token = app.register("keys@example.com").await;
        let user = app.user_id(&token).await;
        let reply = create(&app, &token, Some(json!({"name": "  ci  "}))).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        assert_eq!(reply.header("cache-control"), Some("no-store"));
        let client_id = reply.json["clientId"].as_str().expect("clientId").to_owned();
        let secret = reply.json["secret"].as_str().expect("secret").to_owned();
        assert_eq!(client_id.len(), 24);
        assert!(client_id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')), "{client_id}");
        assert_eq!(secret.len(), 64);
        assert!(secret.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')), "{secret}");
        assert_eq!(reply.json["name"], "ci");
        assert!(reply.json["createdAt"].as_str().is_some());

        let (plain, _) = created(&app, &token, None).await;
        let keys = listed(&app, &token).await;
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0]["clientId"], plain.as_str(), "newest first");
        assert_eq!(keys[0]["name"], Value::Null);
        assert_eq!(keys[1]["clientId"], client_id.as_str());
        assert_eq!(keys[1]["lastUsedAt"], Value::Null);
        assert_eq!(keys[1]["revokedAt"], Value::Null);
        let listing = app.get(PATH, Some(&token)).await.text;
        assert!(!listing.contains(&secret) && !listing.contains("secret"), "{listing}");

        let service = DeveloperKeyService::new(app.open_database());
        assert_eq!(service.authenticate(&client_id, &secret).ok(), Some(user));
        assert!(matches!(service.authenticate(&client_id, &secret.to_uppercase()), Err(KeyError::WrongSecret)));
        assert!(matches!(service.authenticate(&plain, &secret), Err(KeyError::WrongSecret)));
        let keys = listed(&app, &token).await;
        assert!(keys[1]["lastUsedAt"].as_str().is_some(), "the use is recorded: {}", keys[1]);

        let revoked = app.send_delete(&format!("{PATH}/{client_id}"), &token).await;
        assert_eq!(revoked.status, 204, "{}", revoked.text);
        assert!(matches!(service.authenticate(&client_id, &secret), Err(KeyError::UnknownOrRevoked)));
        let keys = listed(&app, &token).await;
        assert_eq!(keys.len(), 2, "a revoked key stays listed");
        assert!(keys[1]["revokedAt"].as_str().is_some(), "{}", keys[1]);
        assert_eq!(keys[0]["revokedAt"], Value::Null);
        let again = app.send_delete(&format!("{PATH}/{client_id}"), &token).await;
        assert_eq!(again.status, 204, "revoking twice: {}", again.text);
    }

    async fn only_the_owner_revokes_and_ids_are_checked(app: TestApp) {
        let alice = app.register("alice@example.com").await;
        let bob = app.register("bob@example.com").await;
        let (client_id, secret) = created(&app, &alice, None).await;
        app.send_delete(&format!("{PATH}/{client_id}"), &bob).await.assert_error(403, "forbidden");
        assert!(listed(&app, &bob).await.is_empty(), "bob does not see alice's key");
        let service = DeveloperKeyService::new(app.open_database());
        assert!(service.authenticate(&client_id, &secret).is_ok(), "still active");
        app.send_delete(&format!("{PATH}/0123456789abcdef01234567"), &alice).await.assert_error(404, "not_found");
        for bad in ["nope", "0123456789ABCDEF01234567", "0123456789abcdef0123456"] {
            let reply = app.send_delete(&format!("{PATH}/{bad}"), &alice).await;
            reply.assert_error(400, "validation_failed");
            assert_eq!(reply.error_fields(), vec!["clientId".to_owned()], "{bad}: {}", reply.text);
        }
        app.get(PATH, None).await.assert_error(401, "unauthenticated");
        app.call("POST", PATH).send().await.assert_error(401, "unauthenticated");
    }

    async fn the_twenty_first_active_key_is_a_409_and_names_are_checked(app: TestApp) {
        let token = app.register("many@example.com").await;
        let mut first = String::new();
        for i in 0..20 {
            let (id, _) = created(&app, &token, Some(&format!("key {i}"))).await;
            if i == 0 {
                first = id;
            }
        }
        create(&app, &token, None).await.assert_error(409, "too_many_keys");
        assert_eq!(app.send_delete(&format!("{PATH}/{first}"), &token).await.status, 204);
        created(&app, &token, None).await;
        for bad in [json!({"name": "n".repeat(65)}), json!({"name": 5}), json!({"name": "a\u{0}b"})] {
            let reply = create(&app, &token, Some(bad.clone())).await;
            reply.assert_error(400, "validation_failed");
            assert_eq!(reply.error_fields(), vec!["name".to_owned()], "{bad}: {}", reply.text);
        }
        let unknown = create(&app, &token, Some(json!({"label": "x"}))).await;
        assert_eq!(unknown.status, 400, "{}", unknown.text);
    }

    async fn cookie_requests_from_another_origin_need_the_csrf_token(app: TestApp) {
        app.register("cookie@example.com").await;
        let (cookie, csrf) = app.cookie_session("cookie@example.com").await;
        let foreign = app.call("POST", PATH).header("Cookie", &cookie).header("Origin", "https://evil.example").send().await;
        foreign.assert_error(403, "csrf_failed");
        let with_token = app
            .call("POST", PATH)
            .header("Cookie", &cookie)
            .header("Origin", "https://evil.example")
            .header("X-CSRF-Token", &csrf)
            .send()
            .await;
        assert_eq!(with_token.status, 201, "{}", with_token.text);
        let list = app.call("GET", PATH).header("Cookie", &cookie).send().await;
        assert_eq!(list.status, 200, "{}", list.text);
        assert_eq!(list.json["keys"].as_array().map(Vec::len), Some(1));
    }

    async fn the_dashboard_makes_shows_once_and_revokes_a_key(app: TestApp) {
        let token = app.register("page@example.com").await;
        let (cookie, _) = app.cookie_session("page@example.com").await;
        let dashboard = app.call("GET", "/dashboard").header("Cookie", &cookie).send().await;
        assert!(dashboard.text.contains("Developer keys") && dashboard.text.contains("No developer keys yet"));
        let csrf = form_csrf(&dashboard.text, "/dashboard/developer-keys\"");

        let forged = app.post_form("/dashboard/developer-keys", &cookie, &[("csrf", "00ff"), ("name", "web")]).await;
        assert_eq!(forged.status, 303, "a forged form goes back to the dashboard");
        assert!(listed(&app, &token).await.is_empty(), "and makes nothing");

        let shown = app.post_form("/dashboard/developer-keys", &cookie, &[("csrf", &csrf), ("name", "web app")]).await;
        assert_eq!(shown.status, 201, "{}", shown.text);
        assert!(shown.text.contains("it will not be shown again"), "{}", shown.text);
        assert!(!shown.text.contains("<script") && !shown.text.contains("style="));
        let (client_id, secret) = (input_value(&shown.text, "client-id"), input_value(&shown.text, "secret"));
        let keys = listed(&app, &token).await;
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0]["clientId"], client_id.as_str());
        assert_eq!(keys[0]["name"], "web app");
        let service = DeveloperKeyService::new(app.open_database());
        assert_eq!(service.authenticate(&client_id, &secret).ok(), Some(app.user_id(&token).await));

        let dashboard = app.call("GET", "/dashboard").header("Cookie", &cookie).send().await;
        assert!(dashboard.text.contains(&client_id) && !dashboard.text.contains(&secret), "listed, secret not shown");
        let revoke_path = format!("/dashboard/developer-keys/{client_id}/revoke");
        let revoke_csrf = form_csrf(&dashboard.text, &format!("{revoke_path}\""));
        let revoked = app.post_form(&revoke_path, &cookie, &[("csrf", &revoke_csrf)]).await;
        assert_eq!(revoked.status, 303, "{}", revoked.text);
        assert_eq!(revoked.header("location"), Some("/dashboard?flash=key_revoked"));
        assert!(matches!(service.authenticate(&client_id, &secret), Err(KeyError::UnknownOrRevoked)));
        let dashboard = app.call("GET", "/dashboard?flash=key_revoked").header("Cookie", &cookie).send().await;
        assert!(dashboard.text.contains("revoked") && !dashboard.text.contains(&format!("action=\"{revoke_path}\"")));

        let long = "n".repeat(65);
        let refused = app.post_form("/dashboard/developer-keys", &cookie, &[("csrf", &csrf), ("name", &long)]).await;
        assert_eq!(refused.status, 400, "{}", refused.text);
        assert!(refused.text.contains("name"), "{}", refused.text);
    }
}
