//! Issue #12, a connection's `webhookUrl`: set at creation, shown everywhere a connection is
//! shown, changed with `PATCH /api/financial/connections/{id}` and from the dashboard.

use serde_json::{Value, json};

use crate::helpers::*;

/// Creates a connection to Chase with `body`'s extra fields; returns the reply.
async fn create_with(app: &TestApp, token: &str, extra: Value) -> Reply {
    let provider_id = sandbank_fakebank::catalog::provider("chase").expect("known provider").id.as_str();
    let mut body = json!({"providerId": provider_id, "seed": 3});
    for (key, value) in extra.as_object().expect("object") {
        body[key] = value.clone();
    }
    app.post_json("/api/financial/connections", Some(token), &body).await
}

/// `PATCH /api/financial/connections/{id}` with `body`.
async fn patch(app: &TestApp, token: &str, id: &str, body: &Value) -> Reply {
    app.call("PATCH", &format!("/api/financial/connections/{id}")).bearer(Some(token)).json(body).send().await
}

/// The connection's `webhookUrl` as `GET` and the listing show it.
async fn shown(app: &TestApp, token: &str, id: &str) -> Value {
    let one = app.get(&format!("/api/financial/connections/{id}"), Some(token)).await;
    assert_eq!(one.status, 200, "{}", one.text);
    let list = app.get("/api/financial/connections", Some(token)).await;
    let listed = list.json["connections"].as_array().expect("connections").iter().find(|c| c["id"] == id).cloned();
    assert_eq!(listed.expect("listed")["webhookUrl"], one.json["webhookUrl"]);
    one.json["webhookUrl"].clone()
}

/// Bad webhook URLs, each refused with a 400 naming `webhookUrl`.
fn bad_urls() -> Vec<String> {
    vec![
        "ftp://example.com/hook".into(),
        "http://".into(),
        "https:///no-host".into(),
        "/relative/hook".into(),
        "http://user:pass@example.com/hook".into(),
        "javascript:alert(1)".into(),
        format!("https://example.com/{}", "a".repeat(3 * 1024)),
        "http://example.com/\u{0}hook".into(),
        "http://example.com/a hook".into(),
        "http://example.com/hook#frag".into(),
        String::new(),
    ]
}

fn assert_names_webhook_url(reply: &Reply, url: &str) {
    reply.assert_error(400, "validation_failed");
    assert_eq!(reply.error_fields(), ["webhookUrl"], "{url:?}: {}", reply.text);
}

mod api {
    use super::*;

    on_both_backends! {
        async fn webhook_url_given_at_creation_is_shown_everywhere(app: TestApp) {
            let token = app.register("hook-create@example.com").await;
            let created = create_with(&app, &token, json!({"webhookUrl": "http://127.0.0.1:9/x"})).await;
            assert_eq!(created.status, 201, "{}", created.text);
            assert_eq!(created.json["webhookUrl"], "http://127.0.0.1:9/x");
            let id = created.json["connectionId"].as_str().expect("id").to_owned();
            assert_eq!(shown(&app, &token, &id).await, "http://127.0.0.1:9/x");

            let plain = app.create_connection(&token, "chase", 4).await;
            assert_eq!(shown(&app, &token, &plain).await, Value::Null, "null when none");
            let authorized =
                app.post_json(&format!("/api/financial/connections/{id}/authorize"), Some(&token), &json!({})).await;
            assert_eq!(authorized.json["webhookUrl"], "http://127.0.0.1:9/x", "kept through authorize");
        }

        async fn webhook_url_patch_sets_normalises_and_clears(app: TestApp) {
            let token = app.register("hook-patch@example.com").await;
            let id = app.connect(&token, "chase", 5).await;
            let set = patch(&app, &token, &id, &json!({"webhookUrl": "HTTPS://Hooks.Example.COM"})).await;
            assert_eq!(set.status, 200, "{}", set.text);
            assert_eq!(set.json["webhookUrl"], "https://hooks.example.com/");
            assert_eq!(set.json["id"], id.as_str());
            assert_eq!(shown(&app, &token, &id).await, "https://hooks.example.com/");

            let cleared = patch(&app, &token, &id, &json!({"webhookUrl": null})).await;
            assert_eq!(cleared.status, 200, "{}", cleared.text);
            assert_eq!(cleared.json["webhookUrl"], Value::Null);
            assert_eq!(shown(&app, &token, &id).await, Value::Null);

            let missing = patch(&app, &token, &id, &json!({})).await;
            assert_names_webhook_url(&missing, "(missing)");
            let wrong_type = patch(&app, &token, &id, &json!({"webhookUrl": 7})).await;
            assert_eq!(wrong_type.status, 400, "{}", wrong_type.text);
        }

        async fn webhook_url_bad_values_are_a_400_naming_the_field(app: TestApp) {
            let token = app.register("hook-bad@example.com").await;
            let id = app.create_connection(&token, "chase", 6).await;
            for url in bad_urls() {
                assert_names_webhook_url(&create_with(&app, &token, json!({"webhookUrl": url})).await, &url);
                assert_names_webhook_url(&patch(&app, &token, &id, &json!({"webhookUrl": url})).await, &url);
            }
            assert_eq!(shown(&app, &token, &id).await, Value::Null, "nothing was stored");
            let listed = app.get("/api/financial/connections", Some(&token)).await;
            assert_eq!(listed.json["connections"].as_array().expect("list").len(), 1, "no bad create went through");

            for url in ["http://127.0.0.1:9/x", "http://localhost:8080/h", "http://10.1.2.3/h", "http://[::1]:4000/h"] {
                let allowed = patch(&app, &token, &id, &json!({"webhookUrl": url})).await;
                assert_eq!(allowed.status, 200, "{url}: {}", allowed.text);
            }
        }

        async fn webhook_url_of_another_users_connection_is_refused_like_other_routes(app: TestApp) {
            let owner = app.register("hook-owner@example.com").await;
            let other = app.register("hook-other@example.com").await;
            let id = app.create_connection(&owner, "chase", 8).await;
            let body = json!({"webhookUrl": "http://127.0.0.1:9/x"});
            let get = app.get(&format!("/api/financial/connections/{id}"), Some(&other)).await;
            let refused = patch(&app, &other, &id, &body).await;
            assert_eq!(refused.status, get.status, "as getConnection: {}", refused.text);
            refused.assert_error(403, get.json["error"]["code"].as_str().expect("code"));
            assert_eq!(shown(&app, &owner, &id).await, Value::Null, "unchanged");

            let unknown = uuid::Uuid::new_v4();
            patch(&app, &other, &unknown.to_string(), &body).await.assert_error(404, "not_found");
            let no_auth = app.call("PATCH", &format!("/api/financial/connections/{id}")).json(&body).send().await;
            assert_eq!(no_auth.status, 401);
        }

        async fn webhook_url_of_a_disconnected_connection_cannot_change(app: TestApp) {
            let token = app.register("hook-gone@example.com").await;
            let id = app.connect(&token, "chase", 9).await;
            assert_eq!(patch(&app, &token, &id, &json!({"webhookUrl": "http://127.0.0.1:9/x"})).await.status, 200);
            let gone = app.send_delete(&format!("/api/financial/connections/{id}"), &token).await;
            assert_eq!(gone.status, 200, "{}", gone.text);
            assert_eq!(gone.json["webhookUrl"], "http://127.0.0.1:9/x", "still shown");
            let refused = patch(&app, &token, &id, &json!({"webhookUrl": null})).await;
            refused.assert_error(409, "connection_disconnected");
        }
    }
}

mod dashboard {
    use super::*;

    /// The value of the first `name="<field>" value="…"` in a page.
    fn field_value(page: &str, field: &str) -> String {
        let marker = format!("name=\"{field}\" value=\"");
        let start = page.find(&marker).unwrap_or_else(|| panic!("no {field} field in {page}")) + marker.len();
        page[start..].split('"').next().expect("value").to_owned()
    }

    /// Posts the dashboard's webhook form for `id` with `url`.
    async fn post_form(app: &TestApp, cookie: &str, csrf: &str, id: &str, url: &str) -> Reply {
        let path = format!("/dashboard/connections/{id}/webhook");
        app.post_form(&path, cookie, &[("csrf", csrf), ("webhook_url", url)]).await
    }

    on_both_backends! {
        async fn webhook_url_dashboard_form_shows_and_changes_it(app: TestApp) {
            let token = app.register("hook-page@example.com").await;
            let id = app.connect(&token, "chase", 10).await;
            let (cookie, _) = app.cookie_session("hook-page@example.com").await;
            let page = app.call("GET", "/dashboard").header("Cookie", &cookie).send().await;
            assert_eq!(page.status, 200);
            assert!(page.text.contains(&format!("action=\"/dashboard/connections/{id}/webhook\"")), "{}", page.text);
            let csrf = field_value(&page.text, "csrf");

            let saved = post_form(&app, &cookie, &csrf, &id, "http://127.0.0.1:9/x").await;
            assert_eq!(saved.status, 303, "{}", saved.text);
            assert_eq!(saved.header("location"), Some("/dashboard?flash=webhook_saved"));
            assert_eq!(shown(&app, &token, &id).await, "http://127.0.0.1:9/x");
            let page = app.call("GET", "/dashboard").header("Cookie", &cookie).send().await;
            assert_eq!(field_value(&page.text, "webhook_url"), "http://127.0.0.1:9/x", "shown in the form");

            let bad = post_form(&app, &cookie, &csrf, &id, "ftp://example.com/").await;
            assert_eq!(bad.status, 400, "{}", bad.text);
            assert!(bad.text.contains("webhookUrl"), "{}", bad.text);
            let forged = post_form(&app, &cookie, "00ff", &id, "http://example.com/").await;
            assert_eq!(forged.status, 303, "a forged token goes back to the dashboard");
            assert_eq!(shown(&app, &token, &id).await, "http://127.0.0.1:9/x", "neither changed it");

            let cleared = post_form(&app, &cookie, &csrf, &id, "").await;
            assert_eq!(cleared.status, 303, "{}", cleared.text);
            assert_eq!(shown(&app, &token, &id).await, Value::Null);
        }
    }
}
