//! Issue #13, Link: `/link/token/create` with `hosted_link` gives a page of ours where an end
//! user (no sign-in: the token is the credential) picks a bank, passes the consent step and is
//! sent to `completion_redirect_uri`; `/link/token/get` then reports the session and its public
//! token, which is exchanged once, and `SESSION_FINISHED` arrives signed. Exiting, update mode
//! after a reset login, and bad requests too.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::plaid_webhooks::{Client, client, tags};
use crate::webhooks::{Receiver, fast_webhooks};

/// POSTs the hosted page's form `fields` to `path`, as a browser without cookies would.
async fn post_page(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Reply {
    let body = fields.iter().map(|(k, v)| format!("{k}={}", form_encode(v))).collect::<Vec<_>>().join("&");
    app.call("POST", path).body("application/x-www-form-urlencoded", body.into_bytes()).send().await
}

/// A hosted link token of `plaid`'s with `extra` fields; returns `(link_token, page path)`.
async fn hosted_token(plaid: &Client<'_>, extra: Value) -> (String, String) {
    let mut request = json!({"client_name": "Budgeteer", "language": "en", "country_codes": ["US"],
        "user": {"client_user_id": "user-1"}, "products": ["transactions"]});
    for (k, v) in extra.as_object().expect("object") {
        request[k] = v.clone();
    }
    let created = plaid.ok("/link/token/create", request).await;
    let token = created["link_token"].as_str().expect("link_token").to_owned();
    assert!(token.starts_with("link-sandbox-"), "{created}");
    assert!(chrono::DateTime::parse_from_rfc3339(created["expiration"].as_str().expect("expiration")).is_ok());
    let url = created["hosted_link_url"].as_str().expect("hosted_link_url");
    let path = url.strip_prefix(plaid.app.address.as_str()).expect("a URL on this server").to_owned();
    assert_eq!(path, format!("/link/{token}"));
    (token, path)
}

on_both_backends! {
    with fast_webhooks;

    async fn a_hosted_link_session_connects_a_bank_and_hands_out_a_single_use_public_token(app: TestApp) {
        let plaid = client(&app, "plaid-link@example.com").await;
        let receiver = Receiver::start(&[200]);
        let redirect = "https://app.example.com/linked";
        let extra = json!({"webhook": receiver.url, "hosted_link": {"completion_redirect_uri": redirect}});
        let (token, path) = hosted_token(&plaid, extra).await;
        let fresh = plaid.ok("/link/token/get", json!({"link_token": token})).await;
        assert_eq!((fresh["link_sessions"].clone(), fresh["metadata"]["client_name"].as_str()), (json!([]), Some("Budgeteer")));
        assert_eq!(fresh["metadata"]["webhook"], receiver.url.as_str());

        let banks = app.call("GET", &path).send().await;
        assert_eq!(banks.status, 200, "{}", banks.text);
        assert!(["Budgeteer", "Chase", "American Express", "Wells Fargo"].iter().all(|t| banks.text.contains(t)), "{}", banks.text);
        let policy = banks.header("content-security-policy").expect("CSP");
        assert!(policy.contains("form-action 'self' https://app.example.com;"), "{policy}");
        let started = plaid.ok("/link/token/get", json!({"link_token": token})).await;
        let session = &started["link_sessions"][0];
        assert!(session["link_session_id"].is_string() && session["started_at"].is_string() && session["finished_at"].is_null(), "{started}");

        let picked = post_page(&app, &format!("{path}/institution"), &[("institution", "chase")]).await;
        assert_eq!((picked.status, picked.header("location")), (303, Some(path.as_str())), "{}", picked.text);
        let consent = app.call("GET", &path).send().await;
        assert!(consent.text.contains("Connect Chase") && consent.text.contains("Budgeteer is asking"), "{}", consent.text);
        let mfa = post_page(&app, &path, &[("action", "authorize"), ("username", "user_mfa"), ("password", "pass_good")]).await;
        assert!(mfa.status == 200 && mfa.text.contains("One-time code"), "{}", mfa.text);
        let wrong = post_page(&app, &path, &[("action", "authorize"), ("username", "user_mfa"), ("password", "pass_good"), ("mfa_code", "0000")]).await;
        assert_eq!(wrong.status, 400, "{}", wrong.text);
        let done = post_page(&app, &path, &[("action", "authorize"), ("username", "user_mfa"), ("password", "pass_good"), ("mfa_code", "1234")]).await;
        assert_eq!((done.status, done.header("location")), (303, Some(redirect)), "{}", done.text);
        let twice = post_page(&app, &path, &[("action", "authorize"), ("username", "user_mfa"), ("password", "pass_good"), ("mfa_code", "1234")]).await;
        assert_eq!((twice.status, twice.header("location")), (303, Some(redirect)), "a second click answers as the first did: {}", twice.text);
        assert_eq!(app.call("GET", &path).send().await.status, 410, "a finished session's page is gone");

        let got = plaid.ok("/link/token/get", json!({"link_token": token})).await;
        let session = &got["link_sessions"][0];
        assert!(session["finished_at"].is_string(), "{got}");
        let success = &session["on_success"];
        let public_token = success["public_token"].as_str().expect("public_token").to_owned();
        assert_eq!(success["metadata"]["institution"], json!({"name": "Chase", "institution_id": "ins_56"}));
        assert!(!success["metadata"]["accounts"].as_array().expect("accounts").is_empty(), "{got}");

        let received = receiver.wait_for(2).await;
        let mut finished = None;
        for request in &received {
            let body = plaid.verify(request).await;
            if tags(&body) == ("LINK", "SESSION_FINISHED") {
                finished = Some(body);
            }
        }
        let finished = finished.expect("SESSION_FINISHED");
        assert_eq!((finished["status"].as_str(), finished["link_token"].as_str()), (Some("SUCCESS"), Some(token.as_str())));
        assert_eq!((finished["public_tokens"].clone(), &finished["link_session_id"]), (json!([public_token]), &session["link_session_id"]));

        let body = json!({"public_token": public_token});
        let (first, second) = futures_util::future::join(plaid.post("/item/public_token/exchange", body.clone()), plaid.post("/item/public_token/exchange", body)).await;
        let mut answers = [first, second];
        answers.sort_by_key(|r| r.status);
        let [exchanged, again] = answers;
        assert_eq!(exchanged.status, 200, "one of two concurrent exchanges wins: {}", exchanged.text);
        assert_eq!((again.status, again.json["error_code"].as_str()), (400, Some("INVALID_PUBLIC_TOKEN")), "{}", again.text);
        let exchanged = exchanged.json;
        let accounts = plaid.ok("/accounts/get", json!({"access_token": exchanged["access_token"]})).await;
        assert_eq!(accounts["accounts"].as_array().map(Vec::len), success["metadata"]["accounts"].as_array().map(Vec::len));
        let ours = app.get(&format!("/api/financial/connections/{}", exchanged["item_id"].as_str().expect("item")), Some(&plaid.bearer)).await;
        assert_eq!((ours.status, ours.json["status"].as_str()), (200, Some("connected")), "{}", ours.text);

        let other = client(&app, "plaid-link-other@example.com").await;
        let foreign = other.post("/link/token/get", json!({"link_token": token})).await;
        assert_eq!((foreign.status, foreign.json["error_code"].as_str()), (400, Some("INVALID_LINK_TOKEN")), "{}", foreign.text);
        let unknown = format!("/link/link-sandbox-{}", uuid::Uuid::new_v4());
        assert_eq!(app.call("GET", &unknown).send().await.status, 404);
        assert_eq!(app.call("GET", "/link/nonsense").send().await.status, 404);
    }

    async fn link_exits_updates_a_login_required_item_and_refuses_bad_requests(app: TestApp) {
        let plaid = client(&app, "plaid-link-exit@example.com").await;
        let (token, path) = hosted_token(&plaid, json!({"hosted_link": {}, "redirect_uri": "https://app.example.com/oauth"})).await;
        post_page(&app, &format!("{path}/institution"), &[("institution", "chase")]).await;
        post_page(&app, &format!("{path}/institution"), &[("institution", "amex")]).await;
        let page = app.call("GET", &path).send().await;
        assert!(page.text.contains("Connect American Express"), "the second pick is the session's bank: {}", page.text);
        let left = post_page(&app, &path, &[("action", "cancel")]).await;
        assert!(left.status == 200 && left.text.contains("No bank connected"), "{}", left.text);
        let got = plaid.ok("/link/token/get", json!({"link_token": token})).await;
        let session = &got["link_sessions"][0];
        assert!(session["finished_at"].is_string() && session.get("on_success").is_none(), "{got}");
        assert_eq!(got["metadata"]["redirect_uri"], "https://app.example.com/oauth");
        let connections = app.get("/api/financial/connections", Some(&plaid.bearer)).await;
        let statuses: Vec<_> = connections.json["connections"].as_array().expect("list").iter().map(|c| c["status"].clone()).collect();
        assert_eq!(statuses, [json!("disconnected"), json!("disconnected")], "both picked items are dropped, never left authorizing");

        // Update mode: a login-required item is authorized again through Link.
        let created = plaid.ok("/sandbox/public_token/create", json!({"institution_id": "ins_127989", "initial_products": ["transactions"]})).await;
        let exchanged = plaid.ok("/item/public_token/exchange", json!({"public_token": created["public_token"]})).await;
        let access = json!({"access_token": exchanged["access_token"]});
        plaid.ok("/sandbox/item/reset_login", access.clone()).await;
        assert_eq!(plaid.post("/accounts/get", access.clone()).await.json["error_code"], "ITEM_LOGIN_REQUIRED");
        let (_, update_path) = hosted_token(&plaid, json!({"access_token": exchanged["access_token"], "hosted_link": {}})).await;
        let page = app.call("GET", &update_path).send().await;
        assert!(page.text.contains("Connect Bank of America") && !page.text.contains("Pick your bank"), "{}", page.text);
        let done = post_page(&app, &update_path, &[("action", "authorize")]).await;
        assert!(done.status == 200 && done.text.contains("all set"), "{}", done.text);
        plaid.ok("/accounts/get", access.clone()).await;
        let (_, healthy_path) = hosted_token(&plaid, json!({"access_token": exchanged["access_token"], "hosted_link": {}})).await;
        let healthy = post_page(&app, &healthy_path, &[("action", "authorize")]).await;
        assert!(healthy.status == 200 && healthy.text.contains("all set"), "update mode on a healthy item finishes: {}", healthy.text);

        for (request, code) in [
            (json!({"client_name": "A", "language": "en", "country_codes": ["us"], "user": {"client_user_id": "u"}}), "INVALID_FIELD"),
            (json!({"client_name": "A", "language": "en", "country_codes": ["US"], "user": {"client_user_id": "u"}, "products": ["teleport"]}), "INVALID_FIELD"),
            (json!({"client_name": "A", "language": "en", "country_codes": ["US"], "user": {"client_user_id": "u"}, "webhook": "ftp://x"}), "INVALID_FIELD"),
            (json!({"client_name": "A", "language": "en", "country_codes": ["US"]}), "MISSING_FIELDS"),
            (json!({"client_name": "A", "language": "en", "country_codes": [], "user": {"client_user_id": "u"}}), "INVALID_FIELD"),
            (json!({"client_name": "A", "language": "en", "country_codes": ["US"], "user": {"client_user_id": "u"}, "colour": 1}), "UNKNOWN_FIELDS"),
        ] {
            let refused = plaid.post("/link/token/create", request).await;
            assert_eq!((refused.status, refused.json["error_code"].as_str()), (400, Some(code)), "{}", refused.text);
        }
        let sandbox_token = plaid.ok("/sandbox/public_token/create", json!({"institution_id": "ins_10", "initial_products": ["transactions"]})).await;
        plaid.ok("/item/public_token/exchange", json!({"public_token": sandbox_token["public_token"]})).await;
        let twice = plaid.post("/item/public_token/exchange", json!({"public_token": sandbox_token["public_token"]})).await;
        assert_eq!(twice.json["error_code"], "INVALID_PUBLIC_TOKEN", "a sandbox public token is exchanged once too");
    }
}
