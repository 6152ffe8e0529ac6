//! Issue #13, webhooks as Plaid sends them: an item made through the Plaid API with a webhook
//! gets Plaid's bodies at a loopback receiver, each signed with a `Plaid-Verification` JWT that
//! is verified here independently (ES256 with the JWK from `/webhook_verification_key/get`, a
//! fresh `iat`, the body's SHA-256); new data, a reset login and a fired webhook each send theirs,
//! and `/item/webhook/update` moves them (our own PATCH gives them our format again).

use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use ring::digest::{SHA256, digest};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::webhooks::{Received, Receiver, fast_webhooks};

/// A Plaid client of one user: its keys, and the user's bearer token for our own API.
pub(crate) struct Client<'a> {
    pub(crate) app: &'a TestApp,
    pub(crate) keys: Value,
    pub(crate) bearer: String,
}

impl Client<'_> {
    pub(crate) async fn post(&self, path: &str, fields: Value) -> Reply {
        let mut body = self.keys.clone();
        for (k, v) in fields.as_object().expect("object") {
            body[k] = v.clone();
        }
        self.app.call("POST", &format!("/plaid{path}")).json(&body).send().await
    }

    pub(crate) async fn ok(&self, path: &str, fields: Value) -> Value {
        let reply = self.post(path, fields).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        reply.json
    }

    /// Verifies the request's `Plaid-Verification` JWT as a Plaid integration would; returns
    /// the body.
    pub(crate) async fn verify(&self, received: &Received) -> Value {
        let jwt = received.header("Plaid-Verification");
        let header = decode_header(jwt).expect("a JWT header");
        assert_eq!((header.alg, header.typ.as_deref()), (Algorithm::ES256, Some("JWT")));
        let kid = header.kid.expect("kid");
        let key = self.ok("/webhook_verification_key/get", json!({"key_id": kid})).await["key"].clone();
        assert_eq!(
            (key["alg"].as_str(), key["crv"].as_str(), key["kty"].as_str()),
            (Some("ES256"), Some("P-256"), Some("EC"))
        );
        assert_eq!((key["kid"].as_str(), key["use"].as_str()), (Some(kid.as_str()), Some("sig")));
        assert!(key["created_at"].is_i64() && key["expired_at"].is_null(), "{key}");
        let x = key["x"].as_str().expect("x");
        let decoding = DecodingKey::from_ec_components(x, key["y"].as_str().expect("y")).expect("a P-256 JWK");
        let mut validation = Validation::new(Algorithm::ES256);
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        let claims = decode::<Value>(jwt, &decoding, &validation).expect("the signature verifies").claims;
        let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_secs() as i64;
        let iat = claims["iat"].as_i64().expect("iat");
        assert!((now - iat).abs() <= 300, "iat {iat} is real time ({now})");
        let sha: String = digest(&SHA256, &received.body).as_ref().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(claims["request_body_sha256"], sha, "the claim is the SHA-256 of the exact body");
        assert!(received.headers.iter().all(|(name, _)| name != "sandbank-signature"));
        assert_eq!(received.header("Content-Type"), "application/json");
        received.json()
    }
}

pub(crate) async fn client<'a>(app: &'a TestApp, email: &str) -> Client<'a> {
    let bearer = app.register(email).await;
    let reply = app.post_json("/api/developer/keys", Some(&bearer), &json!({})).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let keys = json!({"client_id": reply.json["clientId"], "secret": reply.json["secret"]});
    Client { app, keys, bearer }
}

/// The `(webhook_type, webhook_code)` of a body.
pub(crate) fn tags(body: &Value) -> (&str, &str) {
    (body["webhook_type"].as_str().unwrap_or(""), body["webhook_code"].as_str().unwrap_or(""))
}

on_both_backends! {
    with fast_webhooks;

    async fn plaid_items_get_plaids_webhooks_signed_with_a_verifiable_jwt(app: TestApp) {
        let plaid = client(&app, "plaid-hooks@example.com").await;
        let receiver = Receiver::start(&[200]);
        let options = json!({"webhook": receiver.url});
        let created = plaid.ok("/sandbox/public_token/create", json!({"institution_id": "ins_127991", "initial_products": ["transactions"], "options": options})).await;
        let exchanged = plaid.ok("/item/public_token/exchange", json!({"public_token": created["public_token"]})).await;
        let (access_token, item_id) = (exchanged["access_token"].clone(), exchanged["item_id"].as_str().expect("item id").to_owned());

        // The first load is new data.
        let first = plaid.verify(&receiver.wait_for(1).await[0]).await;
        assert_eq!(first, json!({"webhook_type": "TRANSACTIONS", "webhook_code": "SYNC_UPDATES_AVAILABLE", "item_id": item_id,
            "initial_update_complete": true, "historical_update_complete": true, "environment": "sandbox"}));

        // Fired on demand, each with Plaid's body.
        let fired = plaid.ok("/sandbox/item/fire_webhook", json!({"access_token": access_token, "webhook_code": "SYNC_UPDATES_AVAILABLE"})).await;
        assert_eq!(fired["webhook_fired"], true);
        plaid.ok("/sandbox/item/fire_webhook", json!({"access_token": access_token, "webhook_type": "TRANSACTIONS", "webhook_code": "DEFAULT_UPDATE"})).await;
        plaid.ok("/sandbox/item/fire_webhook", json!({"access_token": access_token, "webhook_code": "NEW_ACCOUNTS_AVAILABLE"})).await;
        let unknown = plaid.post("/sandbox/item/fire_webhook", json!({"access_token": access_token, "webhook_code": "NO_SUCH_CODE"})).await;
        assert_eq!((unknown.status, unknown.json["error_code"].as_str()), (400, Some("INVALID_FIELD")), "{}", unknown.text);
        let received = receiver.wait_for(4).await;
        let mut bodies = Vec::new();
        for request in &received[1..4] {
            bodies.push(plaid.verify(request).await);
        }
        let codes: Vec<_> = bodies.iter().map(tags).collect();
        assert_eq!(codes, [("TRANSACTIONS", "SYNC_UPDATES_AVAILABLE"), ("TRANSACTIONS", "DEFAULT_UPDATE"), ("ITEM", "NEW_ACCOUNTS_AVAILABLE")]);
        assert_eq!(bodies[1]["new_transactions"], 0);
        assert!(bodies.iter().all(|b| b["item_id"] == item_id.as_str() && b["environment"] == "sandbox"));
        let kid = decode_header(received[0].header("Plaid-Verification")).expect("header").kid;
        let wrong = plaid.post("/webhook_verification_key/get", json!({"key_id": "0000000000000000"})).await;
        assert_eq!((wrong.status, wrong.json["error_code"].as_str()), (400, Some("INVALID_FIELD")), "{}", wrong.text);
        assert!(kid.is_some_and(|k| k != "0000000000000000"));

        // New data on its own: the sandbox clock moves on (a month: the household's account at
        // this bank is a quiet one), a refresh syncs it.
        let advanced = app.call("POST", &format!("/api/sandbox/connections/{item_id}/simulate")).bearer(Some(&plaid.bearer)).json(&json!({"event": "advance_days", "days": 30})).send().await;
        assert_eq!(advanced.status, 200, "{}", advanced.text);
        plaid.ok("/transactions/refresh", json!({"access_token": access_token})).await;
        let update = plaid.verify(&receiver.wait_for(5).await[4]).await;
        assert_eq!(tags(&update), ("TRANSACTIONS", "SYNC_UPDATES_AVAILABLE"));

        // A reset login is the item's error.
        plaid.ok("/sandbox/item/reset_login", json!({"access_token": access_token})).await;
        let error = plaid.verify(&receiver.wait_for(6).await[5]).await;
        assert_eq!(tags(&error), ("ITEM", "ERROR"));
        assert_eq!((error["error"]["error_type"].as_str(), error["error"]["error_code"].as_str()), (Some("ITEM_ERROR"), Some("ITEM_LOGIN_REQUIRED")));
        let refused = plaid.post("/transactions/refresh", json!({"access_token": access_token})).await;
        assert_eq!(refused.json["error_code"], "ITEM_LOGIN_REQUIRED", "{}", refused.text);

        // The deliveries listing shows them, all delivered.
        let listed = app.get(&format!("/api/webhooks/deliveries?connectionId={item_id}"), Some(&plaid.bearer)).await;
        assert_eq!(listed.status, 200, "{}", listed.text);
        let rows = listed.json["deliveries"].as_array().expect("deliveries").clone();
        assert_eq!(rows.len(), 6, "{}", listed.text);
        assert!(rows.iter().all(|d| d["status"] == "succeeded"), "{}", listed.text);
    }

    async fn item_webhook_update_moves_the_webhooks_and_an_item_without_one_cannot_fire(app: TestApp) {
        let plaid = client(&app, "plaid-hooks-update@example.com").await;
        let created = plaid.ok("/sandbox/public_token/create", json!({"institution_id": "ins_127991", "initial_products": ["transactions"]})).await;
        let exchanged = plaid.ok("/item/public_token/exchange", json!({"public_token": created["public_token"]})).await;
        let access_token = exchanged["access_token"].clone();
        let none = plaid.post("/sandbox/item/fire_webhook", json!({"access_token": access_token, "webhook_code": "SYNC_UPDATES_AVAILABLE"})).await;
        assert_eq!((none.status, none.json["error_type"].as_str(), none.json["error_code"].as_str()), (400, Some("INVALID_INPUT"), Some("SANDBOX_WEBHOOK_INVALID")), "{}", none.text);
        let bad = plaid.post("/item/webhook/update", json!({"access_token": access_token, "webhook": "not a url"})).await;
        assert_eq!((bad.status, bad.json["error_code"].as_str()), (400, Some("INVALID_FIELD")), "{}", bad.text);

        let receiver = Receiver::start(&[200]);
        let updated = plaid.ok("/item/webhook/update", json!({"access_token": access_token, "webhook": receiver.url})).await;
        assert_eq!(updated["item"]["webhook"], receiver.url.as_str());
        assert!(updated["request_id"].is_string());
        let acknowledged = plaid.verify(&receiver.wait_for(1).await[0]).await;
        assert_eq!(tags(&acknowledged), ("ITEM", "WEBHOOK_UPDATE_ACKNOWLEDGED"));
        assert_eq!(acknowledged["new_webhook_url"], receiver.url.as_str());
        plaid.ok("/sandbox/item/fire_webhook", json!({"access_token": access_token, "webhook_code": "SYNC_UPDATES_AVAILABLE"})).await;
        let fired = plaid.verify(&receiver.wait_for(2).await[1]).await;
        assert_eq!(tags(&fired), ("TRANSACTIONS", "SYNC_UPDATES_AVAILABLE"));

        let moved = Receiver::start(&[200]);
        plaid.ok("/item/webhook/update", json!({"access_token": access_token, "webhook": moved.url})).await;
        plaid.ok("/sandbox/item/fire_webhook", json!({"access_token": access_token, "webhook_code": "NEW_ACCOUNTS_AVAILABLE"})).await;
        let at_new = moved.wait_for(2).await;
        assert_eq!(tags(&plaid.verify(&at_new[1]).await), ("ITEM", "NEW_ACCOUNTS_AVAILABLE"));
        assert_eq!(receiver.requests().len(), 2, "the old URL gets nothing more");

        // Our sandbox's events go out as Plaid's webhooks too, when Plaid has one.
        let simulate = |body: Value| app.call("POST", &format!("/api/sandbox/connections/{}/simulate", exchanged["item_id"].as_str().unwrap_or(""))).bearer(Some(&plaid.bearer)).json(&body).send();
        let test = simulate(json!({"event": "fire_webhook", "webhookEvent": "connection.test"})).await;
        assert_eq!(test.status, 200, "{}", test.text);
        let acknowledged = plaid.verify(&moved.wait_for(3).await[2]).await;
        assert_eq!((tags(&acknowledged), acknowledged["new_webhook_url"].as_str()), (("ITEM", "WEBHOOK_UPDATE_ACKNOWLEDGED"), Some(moved.url.as_str())));
        let status = simulate(json!({"event": "fire_webhook", "webhookEvent": "connection.status_changed"})).await;
        status.assert_error(409, "no_plaid_webhook");

        // Our own API's PATCH sets the URL in our format.
        let item_id = exchanged["item_id"].as_str().expect("item id");
        let ours = Receiver::start(&[200]);
        let patched = app.call("PATCH", &format!("/api/financial/connections/{item_id}")).bearer(Some(&plaid.bearer)).json(&json!({"webhookUrl": ours.url})).send().await;
        assert_eq!(patched.status, 200, "{}", patched.text);
        plaid.ok("/sandbox/item/reset_login", json!({"access_token": access_token})).await;
        let sandbank = &ours.wait_for(1).await[0];
        assert_eq!(sandbank.json()["type"], "connection.status_changed");
        assert!(sandbank.header("Sandbank-Signature").contains("v1="));
        assert!(sandbank.headers.iter().all(|(name, _)| name != "plaid-verification"));
    }
}
