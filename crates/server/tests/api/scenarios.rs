//! Issue #16, scenarios: a document is saved, listed, read back and deleted; a malformed one is
//! a 400 whose `fields` keys are its paths; an oversized one is a 413; another user's is a 403.
//! A connection made from one reports exactly its accounts and rows, posts and drops its
//! pending rows and brings its future rows as the sandbox clock passes their days, and its
//! events happen on theirs.

use serde_json::{Value, json};

use crate::connections::simulate;
use crate::helpers::*;

/// Chase's provider id (the catalog's ids are fixed).
fn chase() -> String {
    sandbank_fakebank::catalog::provider("chase").expect("chase").id.to_string()
}

/// Creates a Chase connection from `scenario` (a body field: `scenarioId` or `scenario`) and
/// authorizes it; returns its id.
async fn connect_scripted(app: &TestApp, token: &str, scenario: (&str, Value)) -> String {
    let mut body = json!({"providerId": chase()});
    body[scenario.0] = scenario.1;
    let created = app.post_json("/api/financial/connections", Some(token), &body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json["connectionId"].as_str().expect("id").to_owned();
    let authorized =
        app.post_json(&format!("/api/financial/connections/{id}/authorize"), Some(token), &json!({})).await;
    assert_eq!(authorized.status, 200, "{}", authorized.text);
    id
}

/// `(added, modified, removed)` of a sync's answer.
fn counts(sync: &Reply) -> (u64, u64, u64) {
    let n = |field: &str| sync.json[field].as_u64().unwrap_or(u64::MAX);
    (n("transactionsAdded"), n("transactionsModified"), n("transactionsRemoved"))
}

/// The example document (`examples/scenarios/overdraft-then-payroll.json`).
pub(crate) fn overdraft_then_payroll() -> Value {
    examples::example("overdraft-then-payroll")
}

on_both_backends! {
    async fn a_scenario_is_saved_listed_read_and_deleted(app: TestApp) {
        let token = app.register("scenarios@example.com").await;
        let created = app.post_json("/api/sandbox/scenarios", Some(&token), &overdraft_then_payroll()).await;
        assert_eq!(created.status, 201, "{}", created.text);
        let id = created.json["id"].as_str().expect("id").to_owned();
        assert_eq!((created.json["accounts"].as_u64(), created.json["transactions"].as_u64(), created.json["events"].as_u64()), (Some(1), Some(4), Some(3)));
        assert_eq!(created.json["document"]["accounts"][0]["transactions"][1]["postsOnDay"], 2);

        let listed = app.get("/api/sandbox/scenarios", Some(&token)).await;
        assert_eq!(listed.json["scenarios"].as_array().map(|s| s.len()), Some(1), "{}", listed.text);
        let read = app.get(&format!("/api/sandbox/scenarios/{id}"), Some(&token)).await;
        assert_eq!((read.status, &read.json["document"]), (200, &created.json["document"]));

        let other = app.register("scenarios-other@example.com").await;
        app.get(&format!("/api/sandbox/scenarios/{id}"), Some(&other)).await.assert_error(403, "forbidden");
        assert_eq!(app.send_delete(&format!("/api/sandbox/scenarios/{id}"), &token).await.status, 204);
        app.get(&format!("/api/sandbox/scenarios/{id}"), Some(&token)).await.assert_error(404, "not_found");
        app.get("/api/sandbox/scenarios/not-a-uuid", Some(&token)).await.assert_error(400, "validation_failed");
    }

    async fn a_malformed_scenario_names_each_problem_by_its_path(app: TestApp) {
        let token = app.register("scenarios-bad@example.com").await;
        let mut document = overdraft_then_payroll();
        document["accounts"][0]["transactions"][1]["postsOnDay"] = json!(-2);
        document["accounts"][0]["transactions"][3]["category"] = json!("salary");
        document["events"][0]["event"] = json!("meteor");
        let refused = app.post_json("/api/sandbox/scenarios", Some(&token), &document).await;
        refused.assert_error(400, "validation_failed");
        assert_eq!(refused.error_fields(), ["accounts[0].transactions[1].postsOnDay", "accounts[0].transactions[3].category", "events[0].event"]);

        let mut shape = overdraft_then_payroll();
        shape["accounts"][0]["transactions"][2]["day"] = json!("yesterday");
        let wrong_type = app.post_json("/api/sandbox/scenarios", Some(&token), &shape).await;
        wrong_type.assert_error(400, "validation_failed");
        assert_eq!(wrong_type.error_fields(), ["accounts[0].transactions[2].day"], "{}", wrong_type.text);

        let row = json!({"day": 0, "amount": "-1.00", "description": "A ROW THAT IS LONG ENOUGH TO ADD UP QUICKLY TO A MEGABYTE"});
        let huge = json!({"name": "huge", "accounts": [{"ref": "a", "type": "checking", "name": "A", "transactions": vec![row; 20_000]}]});
        app.post_json("/api/sandbox/scenarios", Some(&token), &huge).await.assert_error(413, "payload_too_large");
        let row = json!({"day": 0, "amount": "-1.00", "description": "X"});
        let many = json!({"name": "many", "accounts": [{"ref": "a", "type": "checking", "name": "A", "transactions": vec![row; 10_001]}]});
        let refused = app.post_json("/api/sandbox/scenarios", Some(&token), &many).await;
        refused.assert_error(400, "validation_failed");
        assert_eq!(refused.error_fields(), ["accounts"]);
    }

    async fn a_connection_runs_its_scenario_day_by_day(app: TestApp) {
        let token = app.register("scripted@example.com").await;
        let id = connect_scripted(&app, &token, ("scenario", overdraft_then_payroll())).await;
        let listing = app.get(&format!("/api/financial/transactions?connectionId={id}"), Some(&token)).await;
        assert_eq!(listing.json["pagination"]["total"], 3, "{}", listing.text);
        let accounts = app.get(&format!("/api/financial/accounts?connectionId={id}"), Some(&token)).await;
        let account = &accounts.json["accounts"][0];
        assert_eq!((account["currentBalance"].as_str(), account["availableBalance"].as_str()), (Some("80.00"), Some("68.00")), "{account}");
        assert_eq!((account["name"].as_str(), account["mask"].as_str()), (Some("Everyday Checking"), Some("0001")));
        let feed = app.get("/api/financial/transactions/changes", Some(&token)).await;
        let cursor = feed.json["nextCursor"].as_str().expect("cursor").to_owned();

        let path = format!("/api/financial/connections/{id}");
        assert_eq!(simulate(&app, &token, &id, json!({"event": "advance_days", "days": 3})).await.status, 200);
        let synced = app.post_json(&path, Some(&token), &json!({})).await;
        assert_eq!(counts(&synced), (1, 1, 1), "payroll arrives, the gas posts, the hold drops: {}", synced.text);
        let changes = app.get(&format!("/api/financial/transactions/changes?cursor={cursor}"), Some(&token)).await;
        let sizes = ["added", "modified", "removed"].map(|k| changes.json[k].as_array().map(Vec::len));
        assert_eq!(sizes, [Some(1), Some(1), Some(1)], "the change feed says the same: {}", changes.text);

        assert_eq!(simulate(&app, &token, &id, json!({"event": "advance_days", "days": 1})).await.status, 200);
        app.post_json(&path, Some(&token), &json!({})).await.assert_error(503, "provider_unavailable");
        assert_eq!(simulate(&app, &token, &id, json!({"event": "advance_days", "days": 2})).await.status, 200);
        assert_eq!(app.post_json(&path, Some(&token), &json!({})).await.status, 200, "day 6 recovers");
        assert_eq!(simulate(&app, &token, &id, json!({"event": "advance_days", "days": 3})).await.status, 200);
        app.post_json(&path, Some(&token), &json!({})).await.assert_error(409, "connection_expired");
        let again = app.post_json(&format!("{path}/authorize"), Some(&token), &json!({})).await;
        assert_eq!(again.status, 200, "a token issued on day 9 outlives the day-9 expiry: {}", again.text);
        assert_eq!(app.post_json(&path, Some(&token), &json!({})).await.status, 200);
        let accounts = app.get(&format!("/api/financial/accounts?connectionId={id}"), Some(&token)).await;
        assert_eq!(accounts.json["accounts"][0]["currentBalance"], "1075.00");
    }

    async fn a_generated_account_keeps_the_generators_history_under_the_scripted_rows(app: TestApp) {
        let token = app.register("scripted-generated@example.com").await;
        let plain = app.connect(&token, "chase", 42).await;
        let scenario = json!({"name": "generated plus one", "accounts": [{"ref": "chk", "type": "checking", "name": "My Checking", "generated": true,
            "transactions": [{"ref": "lunch", "day": -1, "amount": "-12.34", "description": "SCRIPTED LUNCH"}]}]});
        let chase = chase();
        let created = app.post_json("/api/financial/connections", Some(&token), &json!({"providerId": chase, "seed": 42, "scenario": scenario})).await;
        let id = created.json["connectionId"].as_str().expect("id").to_owned();
        assert_eq!(app.post_json(&format!("/api/financial/connections/{id}/authorize"), Some(&token), &json!({})).await.status, 200);

        let checking = |connection: String| {
            let app = &app;
            let token = token.clone();
            async move {
                let accounts = app.get(&format!("/api/financial/accounts?connectionId={connection}&type=checking"), Some(&token)).await;
                let account = accounts.json["accounts"][0].clone();
                let rows = app.get(&format!("/api/financial/transactions?accountId={}&limit=1", account["id"].as_str().expect("id")), Some(&token)).await;
                (account, rows.json["pagination"]["total"].as_u64().expect("total"))
            }
        };
        let (generated, generated_rows) = checking(plain).await;
        let (layered, layered_rows) = checking(id).await;
        assert_eq!(layered_rows, generated_rows + 1, "the generator's rows and the scripted one");
        let cents = |a: &Value| (a["currentBalance"].as_str().expect("balance").parse::<f64>().expect("decimal") * 100.0).round() as i64;
        assert_eq!(cents(&layered), cents(&generated) - 1234, "{layered} / {generated}");
        assert_eq!(layered["name"], "My Checking");
    }

    async fn a_cards_available_credit_leaves_pending_out_and_its_available_balance_counts_it(app: TestApp) {
        let token = app.register("scripted-card@example.com").await;
        let card = json!({"name": "card with a pending purchase", "accounts": [{"ref": "card", "type": "credit_card", "name": "Card",
            "openingBalance": "100.00", "creditLimit": "1000.00",
            "transactions": [{"day": 0, "amount": "-30.00", "description": "LUNCH", "status": "pending"}]}]});
        let id = connect_scripted(&app, &token, ("scenario", card)).await;
        let accounts = app.get(&format!("/api/financial/accounts?connectionId={id}"), Some(&token)).await;
        let card = &accounts.json["accounts"][0];
        let figures = ["currentBalance", "availableCredit", "availableBalance"].map(|f| card[f].as_str().map(str::to_owned));
        assert_eq!(figures, [Some("100.00".into()), Some("900.00".into()), Some("870.00".into())], "{card}");
        let spec = app.get("/api-docs/openapi.json", None).await.json;
        let fields = &spec["components"]["schemas"]["AccountResponse"]["properties"];
        let says = |field: &str, words: &str| fields[field]["description"].as_str().is_some_and(|d| d.contains(words));
        assert!(says("availableCredit", "pending purchases not") && says("availableBalance", "pending purchases"), "{fields}");
    }

    async fn a_saved_scenario_makes_connections_and_a_bad_one_is_named_under_scenario(app: TestApp) {
        let token = app.register("scripted-saved@example.com").await;
        let saved = app.post_json("/api/sandbox/scenarios", Some(&token), &overdraft_then_payroll()).await;
        let scenario_id = saved.json["id"].clone();
        let id = connect_scripted(&app, &token, ("scenarioId", scenario_id.clone())).await;
        assert_eq!(app.send_delete(&format!("/api/sandbox/scenarios/{}", scenario_id.as_str().expect("id")), &token).await.status, 204);
        let path = format!("/api/financial/connections/{id}");
        assert_eq!(app.post_json(&path, Some(&token), &json!({})).await.status, 200, "the connection keeps its scenario");
        let listing = app.get(&format!("/api/financial/transactions?connectionId={id}"), Some(&token)).await;
        assert_eq!(listing.json["pagination"]["total"], 3);

        let chase = chase();
        let mut bad = overdraft_then_payroll();
        bad["accounts"][0]["transactions"][0]["amount"] = json!("0.00");
        let refused = app.post_json("/api/financial/connections", Some(&token), &json!({"providerId": chase, "scenario": bad})).await;
        refused.assert_error(400, "validation_failed");
        assert_eq!(refused.error_fields(), ["scenario.accounts[0].transactions[0].amount"]);
        let other = app.register("scripted-other@example.com").await;
        let foreign = app.post_json("/api/financial/connections", Some(&other), &json!({"providerId": chase, "scenarioId": scenario_id})).await;
        foreign.assert_error(400, "validation_failed");
        let both = json!({"providerId": chase, "scenarioId": scenario_id, "scenario": overdraft_then_payroll()});
        app.post_json("/api/financial/connections", Some(&token), &both).await.assert_error(400, "validation_failed");
    }
}

/// Every file of `examples/scenarios/` loads and behaves as its `description` says.
mod examples {
    use super::*;

    /// The example `name`, with its description.
    pub(super) fn example(name: &str) -> Value {
        let path = format!("{}/../../examples/scenarios/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let document: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("the example")).expect("JSON");
        assert!(document["description"].as_str().is_some_and(|d| d.len() > 40), "{name} says what it shows");
        document
    }

    async fn account(app: &TestApp, token: &str, id: &str) -> Value {
        let accounts = app.get(&format!("/api/financial/accounts?connectionId={id}"), Some(token)).await;
        accounts.json["accounts"][0].clone()
    }

    async fn advance_and_sync(app: &TestApp, token: &str, id: &str, days: u64) -> Reply {
        assert_eq!(simulate(app, token, id, json!({"event": "advance_days", "days": days})).await.status, 200);
        app.post_json(&format!("/api/financial/connections/{id}"), Some(token), &json!({})).await
    }

    /// The published JSON Schema (docs/scenario.schema.json, written by `cargo xtask openapi`)
    /// accepts every example and refuses a document without accounts or with a bad type.
    #[test]
    fn the_published_schema_accepts_every_example() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/scenario.schema.json");
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("the schema")).expect("JSON");
        let validator =
            jsonschema::draft202012::options().should_validate_formats(true).build(&schema).expect("a schema");
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/scenarios");
        for entry in std::fs::read_dir(dir).expect("the folder") {
            let name = entry.expect("entry").file_name().to_string_lossy().trim_end_matches(".json").to_owned();
            let document = example(&name);
            let problems: Vec<String> = validator.iter_errors(&document).map(|e| e.to_string()).collect();
            assert!(problems.is_empty(), "{name}: {problems:?}");
        }
        assert!(!validator.is_valid(&json!({"name": "x", "accounts": []})));
        let mut bad = example("overdraft");
        bad["accounts"][0]["type"] = json!("chequing");
        assert!(!validator.is_valid(&bad));
    }

    #[test]
    fn every_example_file_has_a_test() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/scenarios");
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("the folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        // overdraft-then-payroll.json is the document: a_connection_runs_its_scenario_day_by_day.
        assert_eq!(
            names,
            [
                "card-statement-late-fee.json",
                "outage-and-recovery.json",
                "overdraft-then-payroll.json",
                "overdraft.json",
                "pending-that-drops.json",
                "refund.json"
            ]
        );
    }

    on_both_backends! {
        async fn overdraft(app: TestApp) {
            let token = app.register("example-overdraft@example.com").await;
            let id = connect_scripted(&app, &token, ("scenario", example("overdraft"))).await;
            assert_eq!(account(&app, &token, &id).await["currentBalance"], "-1185.00");
            let synced = advance_and_sync(&app, &token, &id, 2).await;
            assert_eq!(counts(&synced), (1, 0, 0), "{}", synced.text);
            assert_eq!(account(&app, &token, &id).await["currentBalance"], "315.00");
        }

        async fn pending_that_drops(app: TestApp) {
            let token = app.register("example-pending@example.com").await;
            let id = connect_scripted(&app, &token, ("scenario", example("pending-that-drops"))).await;
            let pending = app.get(&format!("/api/financial/transactions?connectionId={id}&status=pending"), Some(&token)).await;
            assert_eq!(pending.json["pagination"]["total"], 2);
            let synced = advance_and_sync(&app, &token, &id, 2).await;
            assert_eq!(counts(&synced), (0, 1, 1), "{}", synced.text);
            let left = app.get(&format!("/api/financial/transactions?connectionId={id}"), Some(&token)).await;
            let rows: Vec<_> = left.json["transactions"].as_array().expect("rows").iter().map(|t| (t["description"].clone(), t["status"].clone())).collect();
            assert_eq!(rows, [(json!("CORNER CAFE"), json!("posted"))]);
        }

        async fn refund(app: TestApp) {
            let token = app.register("example-refund@example.com").await;
            let id = connect_scripted(&app, &token, ("scenario", example("refund"))).await;
            assert_eq!(account(&app, &token, &id).await["currentBalance"], "120.00");
            assert_eq!(counts(&advance_and_sync(&app, &token, &id, 1).await), (1, 0, 0));
            let refunds = app.get(&format!("/api/financial/transactions?connectionId={id}&category=refund"), Some(&token)).await;
            let refund = &refunds.json["transactions"][0];
            assert_eq!((refund["amount"].as_str(), refund["refundOf"].as_str()), (Some("120.00"), Some("scenario-card-jacket")), "{refund}");
            assert_eq!(account(&app, &token, &id).await["currentBalance"], "0.00");
        }

        async fn outage_and_recovery(app: TestApp) {
            let token = app.register("example-outage@example.com").await;
            let id = connect_scripted(&app, &token, ("scenario", example("outage-and-recovery"))).await;
            advance_and_sync(&app, &token, &id, 1).await.assert_error(503, "provider_unavailable");
            advance_and_sync(&app, &token, &id, 1).await.assert_error(503, "provider_unavailable");
            let recovered = advance_and_sync(&app, &token, &id, 1).await;
            assert_eq!(counts(&recovered), (1, 0, 0), "{}", recovered.text);
        }

        async fn card_statement_late_fee(app: TestApp) {
            let token = app.register("example-card@example.com").await;
            let id = connect_scripted(&app, &token, ("scenario", example("card-statement-late-fee"))).await;
            let card = account(&app, &token, &id).await;
            let closed: chrono::NaiveDate = card["statementDate"].as_str().expect("a statement").parse().expect("date");
            let due: chrono::NaiveDate = card["paymentDueDate"].as_str().expect("due").parse().expect("date");
            use chrono::Datelike;
            assert_eq!((closed.day(), due.day()), (25, 20), "{card}");
            assert!(due > closed && (due - closed).num_days() < 31, "{card}");
            assert_eq!((card["currentBalance"].as_str(), card["minimumPayment"].as_str()), (Some("1104.50"), Some("35.00")), "{card}");
            // The statement balance is what was owed at the close: the dinner (day −20) counts
            // only when it came before the statement closed.
            let listed = app.get(&format!("/api/financial/transactions?connectionId={id}"), Some(&token)).await;
            let dinner = listed.json["transactions"].as_array().expect("rows").iter().find(|t| t["description"] == "HARBOR BISTRO").expect("the dinner").clone();
            let dinner_day: chrono::NaiveDate = dinner["date"].as_str().expect("date").parse().expect("date");
            let owed_at_close = if dinner_day <= closed { "1104.50" } else { "1020.00" };
            assert_eq!(card["statementBalance"].as_str(), Some(owed_at_close), "{card}");
            let synced = advance_and_sync(&app, &token, &id, 40).await;
            assert_eq!(counts(&synced), (2, 0, 0), "{}", synced.text);
            let fees = app.get(&format!("/api/financial/transactions?connectionId={id}&category=fees"), Some(&token)).await;
            assert_eq!(fees.json["transactions"][0]["description"], "LATE FEE");
            assert_eq!(account(&app, &token, &id).await["currentBalance"], "39.00");
        }
    }
}

/// The Scenarios page and the dashboard's Connect form, as a browser posts them.
mod pages {
    use super::*;

    /// A `multipart/form-data` body of text `fields` and one JSON `file` (or an empty file part,
    /// as a browser sends when none is chosen); returns (content type, body).
    fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str)>) -> (String, Vec<u8>) {
        let boundary = "----sandbank-test-boundary";
        let mut body = String::new();
        for (name, value) in fields {
            body += &format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
        }
        let (name, content) = file.unwrap_or(("scenario_file", ""));
        let filename = if content.is_empty() { "" } else { "scenario.json" };
        body += &format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/json\r\n\r\n{content}\r\n--{boundary}--\r\n"
        );
        (format!("multipart/form-data; boundary={boundary}"), body.into_bytes())
    }

    async fn post_multipart(app: &TestApp, path: &str, cookie: &str, body: (String, Vec<u8>)) -> Reply {
        app.call("POST", path).header("Cookie", cookie).body(&body.0, body.1).send().await
    }

    on_both_backends! {
        async fn scenarios_are_saved_listed_picked_on_connect_and_deleted_in_the_pages(app: TestApp) {
            let email = "scenario-pages@example.com";
            let token = app.register(email).await;
            let (cookie, _) = app.cookie_session(email).await;
            let empty = app.call("GET", "/scenarios").header("Cookie", &cookie).send().await;
            assert!(empty.status == 200 && empty.text.contains("No scenarios yet"), "{}", empty.text);

            let document = overdraft_then_payroll().to_string();
            let csrf = form_csrf(&empty.text, "/scenarios");
            let saved = post_multipart(&app, "/scenarios", &cookie, multipart(&[("csrf", &csrf)], Some(("scenario_file", &document)))).await;
            assert_eq!((saved.status, saved.header("location")), (303, Some("/scenarios?flash=scenario_saved")), "{}", saved.text);
            let mut bad = overdraft_then_payroll();
            bad["accounts"][0]["transactions"][1]["postsOnDay"] = json!(-2);
            let refused = post_multipart(&app, "/scenarios", &cookie, multipart(&[("csrf", &csrf)], Some(("scenario_file", &bad.to_string())))).await;
            assert!(refused.status == 400 && refused.text.contains("accounts[0].transactions[1].postsOnDay"), "{}", refused.text);
            let listed = app.call("GET", "/scenarios").header("Cookie", &cookie).send().await;
            assert!(listed.text.contains("overdraft then payroll") && listed.text.contains("1 account, 4 transactions, 3 events"), "{}", listed.text);

            let dashboard = app.call("GET", "/dashboard").header("Cookie", &cookie).send().await;
            let saved_id = app.get("/api/sandbox/scenarios", Some(&token)).await.json["scenarios"][0]["id"].as_str().expect("id").to_owned();
            assert!(dashboard.text.contains(&format!("<option value=\"{saved_id}\">overdraft then payroll</option>")), "{}", dashboard.text);
            let csrf = form_csrf(&dashboard.text, "/dashboard/connections");
            let chase = chase();
            for (picked, file) in [(saved_id.as_str(), None), ("", Some(("scenario_file", document.as_str())))] {
                let fields = [("csrf", csrf.as_str()), ("provider_id", chase.as_str()), ("seed", ""), ("scenario_id", picked)];
                let connected = post_multipart(&app, "/dashboard/connections", &cookie, multipart(&fields, file)).await;
                assert_eq!(connected.status, 303, "{}", connected.text);
                let id = connected.header("location").and_then(|l| l.strip_prefix("/financial/authorize/")).expect("the consent page").to_owned();
                assert_eq!(app.post_json(&format!("/api/financial/connections/{id}/authorize"), Some(&token), &json!({})).await.status, 200);
                let rows = app.get(&format!("/api/financial/transactions?connectionId={id}"), Some(&token)).await;
                assert_eq!(rows.json["pagination"]["total"], 3, "the scripted rows, picked or uploaded");
            }

            let csrf = form_csrf(&listed.text, &format!("/scenarios/{saved_id}/delete"));
            let deleted = app.post_form(&format!("/scenarios/{saved_id}/delete"), &cookie, &[("csrf", &csrf)]).await;
            assert_eq!((deleted.status, deleted.header("location")), (303, Some("/scenarios?flash=scenario_deleted")));
            let after = app.call("GET", "/scenarios?flash=scenario_deleted").header("Cookie", &cookie).send().await;
            assert!(after.text.contains("No scenarios yet") && after.text.contains("Scenario deleted"), "{}", after.text);
        }
    }
}
