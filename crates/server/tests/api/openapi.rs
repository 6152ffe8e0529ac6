//! The served OpenAPI document is the checked-in one, and it describes every operation fully.

use crate::helpers::*;

on_both_backends! {
    async fn the_served_spec_matches_the_checked_in_file(app: TestApp) {
        let served = app.get("/api-docs/openapi.json", None).await.json;
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
        let file = std::fs::read_to_string(path).expect("openapi/openapi.json exists: run `cargo xtask openapi`");
        let checked_in: serde_json::Value = serde_json::from_str(&file).expect("valid JSON");
        assert!(served == checked_in, "openapi/openapi.json is stale: run `cargo xtask openapi`");
    }

    async fn every_operation_has_an_id_a_tag_and_error_responses(app: TestApp) {
        let spec = app.get("/api-docs/openapi.json", None).await.json;
        let schemes = spec["components"]["securitySchemes"].as_object().expect("security schemes");
        assert!(schemes.contains_key("bearerAuth") && schemes.contains_key("sessionCookie"));
        assert!(spec["info"]["contact"]["name"].is_string() && spec["info"]["license"]["identifier"] == "MIT");
        assert_eq!(spec["servers"][0]["url"], "http://127.0.0.1:8080");
        let tags = spec["tags"].as_array().expect("tags");
        assert!(tags.iter().all(|t| t["description"].as_str().is_some_and(|d| !d.is_empty())), "a tag without description");
        let mut ids = std::collections::HashSet::new();
        for (path, item) in spec["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("operations") {
                let id = operation["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path}: no operationId"));
                assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
                assert!(operation["tags"].as_array().is_some_and(|t| !t.is_empty()), "{method} {path}: no tag");
                assert!(operation["summary"].as_str().is_some_and(|s| !s.is_empty()), "{method} {path}: no summary");
                let responses = operation["responses"].as_object().expect("responses");
                if path.starts_with("/api/") {
                    assert!(responses.keys().any(|code| code.starts_with('4')), "{method} {path}: no 4xx documented");
                }
            }
        }
    }
}

/// Issue #14: the spec says what the code knows (enums, required fields, bounds), and the API
/// refuses what the spec refuses (empty query values).
mod spec_content {
    use crate::helpers::*;

    /// The served document, as JSON.
    async fn served_spec(app: &TestApp) -> serde_json::Value {
        let reply = app.get("/api-docs/openapi.json", None).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json
    }

    /// The `enum` of the component schema `name`, as text.
    fn enum_of(spec: &serde_json::Value, name: &str) -> Vec<String> {
        let values = spec["components"]["schemas"][name]["enum"].as_array();
        let values = values.unwrap_or_else(|| panic!("schema {name} has no enum"));
        values.iter().map(|v| v.as_str().expect("a text value").to_owned()).collect()
    }

    /// The schema `$ref` (or the `$ref` of the non-null branch) of property `field` of `schema`.
    fn ref_of(spec: &serde_json::Value, schema: &str, field: &str) -> String {
        let property = &spec["components"]["schemas"][schema]["properties"][field];
        let reference = property["$ref"].as_str().or_else(|| property["oneOf"][0]["$ref"].as_str());
        reference.unwrap_or_else(|| panic!("{schema}.{field} names no schema: {property}")).to_owned()
    }

    /// Issue #14: each operation's parameters by name, all of them (path and query).
    fn parameters(spec: &serde_json::Value) -> Vec<(String, Vec<serde_json::Value>)> {
        let mut all = Vec::new();
        for (path, item) in spec["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("operations") {
                let params = operation["parameters"].as_array().cloned().unwrap_or_default();
                all.push((format!("{method} {path}"), params));
            }
        }
        all
    }

    on_both_backends! {
        async fn every_closed_set_is_an_enum_of_the_domains_text_forms(app: TestApp) {
            use sandbank_domain::{account, connection, job, provider, recurring, transaction, transaction_query, webhook};
            let spec = served_spec(&app).await;
            let expected: [(&str, &[&str]); 20] = [
                ("ErrorCode", sandbank_domain::ErrorCode::TEXTS),
                ("ConnectionStatus", connection::ConnectionStatus::TEXTS),
                ("ConnectionErrorCode", connection::ProblemCode::TEXTS),
                ("SandboxFault", connection::SandboxFault::TEXTS),
                ("SandboxEvent", connection::SandboxEvent::TEXTS),
                ("AccountType", account::AccountType::TEXTS),
                ("AccountSubtype", account::AccountSubtype::TEXTS),
                ("AccountStatus", account::AccountStatus::TEXTS),
                ("TransactionType", transaction::TransactionType::TEXTS),
                ("TransactionStatus", transaction::TransactionStatus::TEXTS),
                ("PaymentChannel", transaction::PaymentChannel::TEXTS),
                ("Category", transaction::Category::TEXTS),
                ("SortBy", transaction_query::SortBy::TEXTS),
                ("SortOrder", transaction_query::SortOrder::TEXTS),
                ("JobKind", job::JobKind::TEXTS),
                ("JobStatus", job::JobStatus::TEXTS),
                ("ProviderStatus", provider::ProviderStatus::TEXTS),
                ("WebhookEventType", webhook::WebhookEventType::TEXTS),
                ("DeliveryStatus", webhook::DeliveryStatus::TEXTS),
                ("Cadence", recurring::Cadence::TEXTS),
            ];
            for (name, texts) in expected {
                assert_eq!(enum_of(&spec, name), texts, "{name}");
            }
            for (schema, field, target) in [
                ("ErrorDetail", "code", "ErrorCode"),
                ("ConnectionResponse", "status", "ConnectionStatus"),
                ("CreateConnectionResponse", "status", "ConnectionStatus"),
                ("ConnectionErrorResponse", "code", "ConnectionErrorCode"),
                ("SandboxStateResponse", "fault", "SandboxFault"),
                ("SimulateRequest", "event", "SandboxEvent"),
                ("SimulateRequest", "webhookEvent", "WebhookEventType"),
                ("AccountResponse", "type", "AccountType"),
                ("AccountResponse", "subtype", "AccountSubtype"),
                ("AccountResponse", "status", "AccountStatus"),
                ("TransactionResponse", "type", "TransactionType"),
                ("TransactionResponse", "status", "TransactionStatus"),
                ("TransactionResponse", "category", "Category"),
                ("TransactionResponse", "paymentChannel", "PaymentChannel"),
                ("JobResponse", "kind", "JobKind"),
                ("JobResponse", "status", "JobStatus"),
                ("QueuedSyncResponse", "status", "JobStatus"),
                ("ProviderResponse", "status", "ProviderStatus"),
                ("DeliveryResponse", "type", "WebhookEventType"),
                ("DeliveryResponse", "status", "DeliveryStatus"),
                ("RecurringChargeResponse", "cadence", "Cadence"),
                ("RecurringChargeResponse", "category", "Category"),
            ] {
                assert_eq!(ref_of(&spec, schema, field), format!("#/components/schemas/{target}"), "{schema}.{field}");
            }
            let listing = &spec["paths"]["/api/financial/transactions"]["get"]["parameters"];
            for (name, target) in
                [("category", "Category"), ("status", "TransactionStatus"), ("type", "TransactionType"), ("sortBy", "SortBy"), ("sortOrder", "SortOrder")]
            {
                let param = listing.as_array().expect("parameters").iter().find(|p| p["name"] == name).expect(name);
                assert_eq!(param["schema"]["$ref"], format!("#/components/schemas/{target}"), "{name}");
            }
        }

        async fn error_bodies_carry_only_codes_the_spec_lists(app: TestApp) {
            let spec = served_spec(&app).await;
            let codes = enum_of(&spec, "ErrorCode");
            let token = app.register("codes@example.com").await;
            let taken = app.post_json("/api/auth/register", None, &serde_json::json!({"email": "codes@example.com", "password": PASSWORD})).await;
            let replies = [
                app.get("/api/financial/connections", None).await,
                app.get("/api/financial/transactions?limit=0", Some(&token)).await,
                app.get("/api/nothing-here", Some(&token)).await,
                app.get(&format!("/api/financial/connections/{}", uuid::Uuid::new_v4()), Some(&token)).await,
                taken,
            ];
            let seen: Vec<&str> = replies.iter().map(|r| r.json["error"]["code"].as_str().expect("a code")).collect();
            assert_eq!(seen, ["unauthenticated", "validation_failed", "not_found", "not_found", "email_taken"]);
            assert!(seen.iter().all(|code| codes.iter().any(|c| c == code)), "{seen:?} not all in {codes:?}");
        }

        async fn requests_say_what_the_server_requires_and_bounds(app: TestApp) {
            let spec = served_spec(&app).await;
            let schemas = &spec["components"]["schemas"];
            for (schema, required) in [
                ("RegisterRequest", &["email", "password"][..]),
                ("LoginRequest", &["email", "password"][..]),
                ("CreateConnectionRequest", &["providerId"][..]),
                ("UpdateConnectionRequest", &["webhookUrl"][..]),
                ("SimulateRequest", &["event"][..]),
            ] {
                assert_eq!(schemas[schema]["required"], serde_json::json!(required), "{schema}");
            }
            for request in ["RegisterRequest", "LoginRequest", "CreateConnectionRequest", "AuthorizeRequest", "SimulateRequest", "CreateDeveloperKeyRequest", "RotateWebhookSecretRequest"] {
                for (field, property) in schemas[request]["properties"].as_object().expect("properties") {
                    let nullable = property["type"].as_array().is_some_and(|t| t.contains(&"null".into())) || property["oneOf"].is_array();
                    assert!(!nullable, "{request}.{field} is nullable: {property}");
                }
            }
            let register = &schemas["RegisterRequest"]["properties"];
            assert_eq!((register["email"]["format"].as_str(), register["email"]["maxLength"].as_u64()), (Some("email"), Some(254)));
            assert_eq!((register["password"]["minLength"].as_u64(), register["password"]["maxLength"].as_u64()), (Some(8), Some(128)));
            let create = &schemas["CreateConnectionRequest"]["properties"];
            assert_eq!(create["providerId"]["format"], "uuid");
            assert_eq!((create["seed"]["minimum"].as_u64(), create["seed"]["maximum"].as_u64()), (Some(0), Some((1 << 53) - 1)));
            assert_eq!((create["webhookUrl"]["format"].as_str(), create["webhookUrl"]["maxLength"].as_u64()), (Some("uri"), Some(2048)));
            let simulate = &schemas["SimulateRequest"]["properties"]["days"];
            assert_eq!((simulate["minimum"].as_u64(), simulate["maximum"].as_u64()), (Some(1), Some(365)));
            let money = &schemas["TransactionResponse"]["properties"]["amount"];
            assert_eq!(money["pattern"], r"^-?[0-9]+\.[0-9]{2}$", "{money}");
            assert!(money["description"].as_str().is_some_and(|d| d.contains("decimal string")), "{money}");
            assert_eq!(schemas["AccountResponse"]["properties"]["currentBalance"]["pattern"], money["pattern"]);
            assert_eq!(ref_of(&spec, "ErrorDetail", "fields"), "#/components/schemas/FieldProblems");
        }

        async fn parameters_are_bounded_once_each_and_429s_say_when_to_retry(app: TestApp) {
            let spec = served_spec(&app).await;
            for (operation, params) in parameters(&spec) {
                let mut names: Vec<&str> = params.iter().map(|p| p["name"].as_str().expect("name")).collect();
                names.sort_unstable();
                let count = names.len();
                names.dedup();
                assert_eq!(names.len(), count, "{operation} declares a parameter twice: {params:?}");
            }
            for (path, name) in [("/api/financial/transactions", "limit"), ("/api/financial/accounts/{accountId}/transactions", "limit"), ("/api/financial/transactions/changes", "count")] {
                let params = spec["paths"][path]["get"]["parameters"].as_array().unwrap_or_else(|| panic!("{path}"));
                let limit = &params.iter().find(|p| p["name"] == name).expect(name)["schema"];
                assert_eq!((limit["minimum"].as_u64(), limit["maximum"].as_u64()), (Some(1), Some(500)), "{path} {name}");
            }
            let mut limited = 0;
            for (path, item) in spec["paths"].as_object().expect("paths") {
                for (method, operation) in item.as_object().expect("operations") {
                    if let Some(response) = operation["responses"].get("429") {
                        limited += 1;
                        assert!(response["headers"]["Retry-After"].is_object(), "{method} {path}: 429 without Retry-After");
                    }
                }
            }
            assert!(limited >= 3, "the rate-limited operations document their 429s");
            let names: Vec<&String> = spec["components"]["schemas"].as_object().expect("schemas").keys().collect();
            assert!(names.iter().all(|n| !n.contains("Type0")), "{names:?}");
        }

        async fn an_empty_query_value_is_a_400_naming_it(app: TestApp) {
            let token = app.register("empty-query@example.com").await;
            let id = app.connect(&token, "amex", 3).await;
            let account = app.get("/api/financial/accounts", Some(&token)).await.json["accounts"][0]["id"].as_str().expect("an account").to_owned();
            for (path, fields) in [
                ("/api/financial/transactions?startDate=&category=&limit=", &["category", "limit", "startDate"][..]),
                ("/api/financial/transactions?category=groceries&cursor=", &["cursor"][..]),
                (&format!("/api/financial/accounts/{account}/transactions?type=") as &str, &["type"][..]),
                (&format!("/api/financial/accounts/{account}/balances?endDate=") as &str, &["endDate"][..]),
                ("/api/financial/accounts?connectionId=", &["connectionId"][..]),
                ("/api/financial/transactions/changes?count=", &["count"][..]),
                ("/api/webhooks/deliveries?connectionId=", &["connectionId"][..]),
            ] {
                let reply = app.get(path, Some(&token)).await;
                reply.assert_error(400, "validation_failed");
                assert_eq!(reply.error_fields(), fields, "{path}");
            }
            let sync = app.post_to(&format!("{}/api/financial/connections/{id}?async=", app.address), &token).await;
            sync.assert_error(400, "validation_failed");
            assert_eq!(sync.error_fields(), ["async"]);
            let listing = app.get("/api/financial/transactions?category=groceries&limit=2", Some(&token)).await;
            assert_eq!(listing.status, 200, "{}", listing.text);

            // The pages' filter form sends empty fields: there they are absent.
            let (cookie, _) = app.cookie_session("empty-query@example.com").await;
            let page = app.call("GET", "/transactions?startDate=&category=&status=&limit=").header("Cookie", &cookie).send().await;
            assert_eq!(page.status, 200, "{}", page.text);
        }
    }
}
