//! Issue #13: the Plaid API's edges, spoken as raw HTTP: every failure is Plaid's error object
//! with its request id, whatever the request got wrong; nothing is our own error shape.

use serde_json::{Value, json};

use crate::helpers::*;

/// Asserts `reply` is Plaid's error with `code` (and `error_type`); returns its body.
fn plaid_error(reply: &Reply, status: u16, error_type: &str, code: &str) -> Value {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert_eq!(
        (reply.json["error_type"].as_str(), reply.json["error_code"].as_str()),
        (Some(error_type), Some(code)),
        "{}",
        reply.text
    );
    assert!(reply.json["error_message"].as_str().is_some_and(|m| !m.is_empty()), "{}", reply.text);
    assert!(reply.json["display_message"].is_null(), "{}", reply.text);
    let request_id = reply.json["request_id"].as_str().expect("request_id");
    assert_eq!(
        reply.headers.get("x-request-id").and_then(|v| v.to_str().ok()),
        Some(request_id),
        "the body names the request"
    );
    reply.json.clone()
}

async fn key(app: &TestApp, email: &str) -> (String, String) {
    let token = app.register(email).await;
    key_of(app, &token).await
}

async fn key_of(app: &TestApp, token: &str) -> (String, String) {
    let reply = app.post_json("/api/developer/keys", Some(token), &json!({})).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let field = |name: &str| reply.json[name].as_str().expect(name).to_owned();
    (field("clientId"), field("secret"))
}

on_both_backends! {
    async fn every_plaid_failure_is_plaids_error_object(app: TestApp) {
        let (client_id, secret) = key(&app, "plaid-edges@example.com").await;
        let keys = json!({"client_id": client_id, "secret": secret});
        let post = |path: &str, body: Value| app.call("POST", path).json(&body).send();

        plaid_error(&post("/plaid/no/such/endpoint", keys.clone()).await, 404, "INVALID_REQUEST", "NOT_FOUND");
        plaid_error(&app.call("GET", "/plaid/institutions/get").send().await, 404, "INVALID_REQUEST", "NOT_FOUND");
        let list = |extra: Value| {
            let mut body = json!({"count": 5, "offset": 0, "country_codes": ["US"]});
            for (k, v) in extra.as_object().expect("object") {
                body[k] = v.clone();
            }
            body
        };
        let missing = plaid_error(&post("/plaid/institutions/get", list(json!({}))).await, 400, "INVALID_REQUEST", "MISSING_FIELDS");
        assert!(missing["error_message"].as_str().expect("message").contains("client_id"), "{missing}");
        let unknown = plaid_error(&post("/plaid/institutions/get", list(json!({"client_id": client_id, "secret": secret, "colour": 1}))).await, 400, "INVALID_REQUEST", "UNKNOWN_FIELDS");
        assert!(unknown["error_message"].as_str().expect("message").contains("colour"), "{unknown}");
        let wrong = plaid_error(&post("/plaid/institutions/get", list(json!({"client_id": client_id, "secret": secret, "count": "five"}))).await, 400, "INVALID_REQUEST", "INVALID_FIELD");
        assert!(wrong["error_message"].as_str().expect("message").contains("count"), "{wrong}");
        let not_json = app.call("POST", "/plaid/institutions/get").body("application/json", b"{nope".to_vec()).send().await;
        plaid_error(&not_json, 400, "INVALID_REQUEST", "INVALID_BODY");
        let bad_keys = list(json!({"client_id": client_id, "secret": "not-it"}));
        plaid_error(&post("/plaid/institutions/get", bad_keys).await, 400, "INVALID_INPUT", "INVALID_API_KEYS");
        let headers = app.call("POST", "/plaid/institutions/get").header("PLAID-CLIENT-ID", &client_id).header("PLAID-SECRET", &secret).json(&list(json!({}))).send().await;
        assert_eq!(headers.status, 200, "keys in the headers, as the SDKs send them: {}", headers.text);
        let token = json!({"client_id": client_id, "secret": secret, "access_token": "access-sandbox-nonsense"});
        plaid_error(&post("/plaid/accounts/get", token).await, 400, "INVALID_INPUT", "INVALID_ACCESS_TOKEN");
        let count = list(json!({"client_id": client_id, "secret": secret, "count": 0}));
        plaid_error(&post("/plaid/institutions/get", count).await, 400, "INVALID_REQUEST", "INVALID_FIELD");
    }

    async fn a_plaid_item_is_a_connection_of_our_api_and_another_clients_token_is_refused(app: TestApp) {
        let token = app.register("plaid-item@example.com").await;
        let (client_id, secret) = key_of(&app, &token).await;
        let (other_id, other_secret) = key(&app, "plaid-other@example.com").await;
        let post = |path: &str, body: Value| app.call("POST", path).json(&body).send();
        let created = post("/plaid/sandbox/public_token/create", json!({"client_id": client_id, "secret": secret, "institution_id": "ins_127991", "initial_products": ["transactions"]})).await;
        assert_eq!(created.status, 200, "{}", created.text);
        let public_token = created.json["public_token"].as_str().expect("public token");
        let exchanged = post("/plaid/item/public_token/exchange", json!({"client_id": client_id, "secret": secret, "public_token": public_token})).await;
        let access_token = exchanged.json["access_token"].as_str().expect("access token");
        let foreign = post("/plaid/item/get", json!({"client_id": other_id, "secret": other_secret, "access_token": access_token})).await;
        plaid_error(&foreign, 400, "INVALID_INPUT", "INVALID_ACCESS_TOKEN");
        let unknown = post("/plaid/sandbox/public_token/create", json!({"client_id": client_id, "secret": secret, "institution_id": "ins_1", "initial_products": ["transactions"]})).await;
        plaid_error(&unknown, 400, "INVALID_INPUT", "INVALID_INSTITUTION");
        let item_id = exchanged.json["item_id"].as_str().expect("item id");
        let connection = app.call("GET", &format!("/api/financial/connections/{item_id}")).send().await;
        assert_eq!(connection.status, 401, "our API still wants its own sign-in");
        let ours = app.get(&format!("/api/financial/connections/{item_id}"), Some(&token)).await;
        assert_eq!((ours.status, ours.json["status"].as_str()), (200, Some("connected")), "the item is the user's connection");

        let outage = app.post_json(&format!("/api/sandbox/connections/{item_id}/simulate"), Some(&token), &json!({"event": "provider_outage"})).await;
        assert_eq!(outage.status, 200, "{}", outage.text);
        let reading = json!({"client_id": client_id, "secret": secret, "access_token": access_token});
        plaid_error(&post("/plaid/accounts/get", reading.clone()).await, 400, "INSTITUTION_ERROR", "INSTITUTION_DOWN");
        let item = post("/plaid/item/get", reading.clone()).await;
        assert_eq!(item.json["item"]["error"]["error_code"], "INSTITUTION_DOWN", "item/get still answers: {}", item.text);
        let recover = app.post_json(&format!("/api/sandbox/connections/{item_id}/simulate"), Some(&token), &json!({"event": "recover"})).await;
        assert_eq!(recover.status, 200, "{}", recover.text);
        assert_eq!(post("/plaid/accounts/get", reading).await.status, 200);
    }
}

mod custom_user {
    use super::*;

    on_both_backends! {
        async fn a_custom_user_is_an_item_with_exactly_its_accounts_and_transactions(app: TestApp) {
            let (client_id, secret) = key(&app, "plaid-custom@example.com").await;
            let post = |path: &str, body: Value| app.call("POST", path).header("PLAID-CLIENT-ID", &client_id).header("PLAID-SECRET", &secret).json(&body).send();
            let today = chrono::Utc::now().date_naive();
            let config = json!({"override_accounts": [{
                "type": "depository", "subtype": "checking", "starting_balance": 500,
                "meta": {"name": "Custom Checking", "mask": "7777"},
                "transactions": [
                    {"date_transacted": (today - chrono::Days::new(3)).to_string(), "date_posted": (today - chrono::Days::new(2)).to_string(), "currency": "USD", "amount": 42.5, "description": "BOOKSHOP"},
                    {"date_transacted": (today - chrono::Days::new(1)).to_string(), "date_posted": (today - chrono::Days::new(1)).to_string(), "currency": "USD", "amount": -1000, "description": "PAYROLL"}
                ]}]});
            let options = json!({"override_username": "user_custom", "override_password": config.to_string()});
            let created = post("/plaid/sandbox/public_token/create", json!({"institution_id": "ins_56", "initial_products": ["transactions"], "options": options})).await;
            assert_eq!(created.status, 200, "{}", created.text);
            let exchanged = post("/plaid/item/public_token/exchange", json!({"public_token": created.json["public_token"]})).await;
            let access = json!({"access_token": exchanged.json["access_token"]});
            let accounts = post("/plaid/accounts/get", access.clone()).await;
            let account = &accounts.json["accounts"][0];
            assert_eq!((account["name"].as_str(), account["mask"].as_str(), account["balances"]["current"].as_f64()), (Some("Custom Checking"), Some("7777"), Some(1457.5)), "{}", accounts.text);
            let synced = post("/plaid/transactions/sync", access).await;
            let mut amounts: Vec<f64> = synced.json["added"].as_array().expect("added").iter().map(|t| t["amount"].as_f64().expect("amount")).collect();
            amounts.sort_by(f64::total_cmp);
            assert_eq!(amounts, [-1000.0, 42.5], "exactly the custom transactions, in Plaid's sign: {}", synced.text);

            for (error, code) in [("ITEM_LOCKED", "ITEM_LOCKED"), ("INSTITUTION_DOWN", "INSTITUTION_DOWN"), ("USER_SETUP_REQUIRED", "INVALID_FIELD")] {
                let config = json!({"override_accounts": [{"type": "depository", "subtype": "checking"}], "force_error": error});
                let options = json!({"override_username": "user_custom", "override_password": config.to_string()});
                let refused = post("/plaid/sandbox/public_token/create", json!({"institution_id": "ins_56", "initial_products": ["transactions"], "options": options})).await;
                assert_eq!(refused.json["error_code"], code, "{}", refused.text);
            }
        }
    }
}
