//! Issue #13: the official plaid-python SDK (46.0.0, installed by `.ci/run` in a virtualenv)
//! drives the Plaid API with only the host changed. Each script in `tests/plaid/` runs against a
//! fresh server on each backend; outside CI, without the SDK, the test says it skipped.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::helpers::*;

/// The Python that has plaid-python: `SANDBANK_PLAID_PYTHON`, which `.ci/run` sets. In CI its
/// absence fails the test; elsewhere it skips, saying so.
fn python() -> Option<String> {
    match std::env::var("SANDBANK_PLAID_PYTHON") {
        Ok(path) if std::path::Path::new(&path).exists() => Some(path),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "SANDBANK_PLAID_PYTHON is not set: .ci/run installs plaid-python"
            );
            eprintln!("skipped the Plaid SDK test: set SANDBANK_PLAID_PYTHON to a python with plaid-python==46.0.0");
            None
        }
    }
}

/// The folder whose `node_modules` holds the Node SDK (`plaid@47`): `SANDBANK_PLAID_NODE`, which
/// `.ci/run` sets. In CI its absence fails the test; elsewhere it skips, saying so.
fn node_sdk() -> Option<String> {
    match std::env::var("SANDBANK_PLAID_NODE") {
        Ok(dir) if std::path::Path::new(&dir).join("node_modules/plaid").exists() => Some(dir),
        _ => {
            assert!(std::env::var_os("CI").is_none(), "SANDBANK_PLAID_NODE is not set: .ci/run installs plaid@47");
            eprintln!("skipped the Plaid Node SDK test: set SANDBANK_PLAID_NODE to a folder with node_modules/plaid");
            None
        }
    }
}

/// A developer key of the user `token` signs in: (client id, secret).
async fn developer_key(app: &TestApp, token: &str) -> (String, String) {
    let reply = app.post_json("/api/developer/keys", Some(token), &json!({"name": "sdk test"})).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let field = |name: &str| reply.json[name].as_str().expect(name).to_owned();
    (field("clientId"), field("secret"))
}

/// Runs `script` with the SDK against `app`; returns its standard output.
fn run(python: &str, app: &TestApp, script: &str, env: &[(&str, &str)]) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/plaid/");
    let output = std::process::Command::new(python)
        .arg(format!("{path}{script}"))
        .env("SANDBANK_PLAID_HOST", format!("{}/plaid", app.address))
        .envs(env.iter().copied())
        .output()
        .expect("python runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{script} failed ({}):\n{stdout}\n{stderr}", output.status);
    stdout.into_owned()
}

on_both_backends! {
    async fn the_plaid_node_sdk_exchanges_a_token_and_syncs(app: TestApp) {
        let Some(dir) = node_sdk() else { return };
        let token = app.register("plaid-node@example.com").await;
        let (client_id, secret) = developer_key(&app, &token).await;
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/plaid/sync.js");
        let output = std::process::Command::new("node")
            .arg(script)
            .env("NODE_PATH", format!("{dir}/node_modules"))
            .env("SANDBANK_PLAID_HOST", format!("{}/plaid", app.address))
            .env("PLAID_CLIENT_ID", &client_id)
            .env("PLAID_SECRET", &secret)
            .output()
            .expect("node runs");
        let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "sync.js failed ({}):\n{stdout}\n{stderr}", output.status);
        let summary: Value = serde_json::from_str(stdout.lines().last().expect("a summary")).expect("JSON");
        let item = summary["item_id"].as_str().expect("item id");
        let listing = app.get(&format!("/api/financial/transactions?connectionId={item}&limit=1"), Some(&token)).await;
        assert_eq!(summary["added"].as_u64(), listing.json["pagination"]["total"].as_u64(), "the Node SDK got our listing");
    }

    async fn plaid_python_runs_a_hosted_link_session_and_exchanges_its_public_token_once(app: TestApp) {
        let Some(python) = python() else { return };
        let token = app.register("plaid-link-sdk@example.com").await;
        let (client_id, secret) = developer_key(&app, &token).await;
        let env = [("PLAID_CLIENT_ID", client_id.as_str()), ("PLAID_SECRET", &secret), ("SANDBANK_API", &app.address)];
        let printed = run(&python, &app, "link.py", &env);
        let summary: Value = serde_json::from_str(printed.lines().last().expect("a summary")).expect("JSON");
        assert_eq!(summary["exchanged_again"], "INVALID_PUBLIC_TOKEN", "{summary}");
        let item = summary["item_id"].as_str().expect("item id");
        let ours = app.get(&format!("/api/financial/accounts?connectionId={item}"), Some(&token)).await;
        let ids: Vec<Value> = ours.json["accounts"].as_array().expect("accounts").iter().map(|a| a["id"].clone()).collect();
        assert_eq!(summary["accounts"].as_array().expect("accounts"), &ids, "Link's metadata names the item's accounts");
    }

    async fn plaid_python_lists_institutions_and_is_refused_a_wrong_secret(app: TestApp) {
        let Some(python) = python() else { return };
        let token = app.register("plaid-institutions@example.com").await;
        let (client_id, secret) = developer_key(&app, &token).await;
        run(&python, &app, "institutions.py", &[("PLAID_CLIENT_ID", &client_id), ("PLAID_SECRET", &secret)]);
    }

    async fn plaid_python_makes_an_item_that_our_api_shows_the_same(app: TestApp) {
        let Some(python) = python() else { return };
        let token = app.register("plaid-items@example.com").await;
        let other = app.register("plaid-items-other@example.com").await;
        let (client_id, secret) = developer_key(&app, &token).await;
        let (other_id, other_secret) = developer_key(&app, &other).await;
        let env = [("PLAID_CLIENT_ID", client_id.as_str()), ("PLAID_SECRET", &secret), ("OTHER_CLIENT_ID", &other_id), ("OTHER_SECRET", &other_secret)];
        let printed = run(&python, &app, "items.py", &env);
        let summary: Value = serde_json::from_str(printed.lines().last().expect("a summary")).expect("JSON");
        let item = summary["item_id"].as_str().expect("item id");

        let connection = app.get(&format!("/api/financial/connections/{item}"), Some(&token)).await;
        assert_eq!(connection.status, 200, "an item is a connection: {}", connection.text);
        assert_eq!(connection.json["status"], "disconnected", "item/remove disconnected it");
        let ours = app.get(&format!("/api/financial/accounts?connectionId={item}"), Some(&token)).await;
        let ours: BTreeMap<String, Value> = ours.json["accounts"].as_array().expect("accounts").iter()
            .map(|a| (a["id"].as_str().expect("id").to_owned(), a.clone())).collect();
        let theirs = summary["accounts"].as_object().expect("accounts");
        assert_eq!(theirs.keys().collect::<Vec<_>>(), ours.keys().collect::<Vec<_>>(), "the same accounts, by id");
        for (id, plaid) in theirs {
            let account = &ours[id];
            let number = |field: &str| account[field].as_str().map(|s| s.parse::<f64>().expect("a decimal"));
            assert_eq!(plaid["current"].as_f64(), number("currentBalance"), "{id}");
            assert_eq!(plaid["available"].as_f64(), number("availableBalance"), "{id}");
            assert_eq!(plaid["mask"], account["mask"], "{id}");
        }
    }
}

/// The whole integration, whose webhook needs the delivery worker.
mod with_webhooks {
    use super::*;
    use crate::webhooks::fast_webhooks;

    on_both_backends! {
        with fast_webhooks;

        async fn plaid_python_syncs_an_items_transactions_as_plaid_does(app: TestApp) {
            let Some(python) = python() else { return };
            let token = app.register("plaid-sync@example.com").await;
            let (client_id, secret) = developer_key(&app, &token).await;
            let env = [("PLAID_CLIENT_ID", client_id.as_str()), ("PLAID_SECRET", &secret), ("SANDBANK_API", &app.address), ("SANDBANK_TOKEN", &token)];
            let printed = run(&python, &app, "transactions.py", &env);
            let summary: Value = serde_json::from_str(printed.lines().last().expect("a summary")).expect("JSON");
            let item = summary["item_id"].as_str().expect("item id");
            let after = &summary["after"];
            assert!(after["pairs"].as_u64() > Some(0), "{summary}");
            assert_eq!(summary["webhook_verified"], "SYNC_UPDATES_AVAILABLE", "the fired webhook arrived and verified");
            let listing = app.get(&format!("/api/financial/transactions?connectionId={item}&limit=1"), Some(&token)).await;
            let total = listing.json["pagination"]["total"].as_u64().expect("total");
            let history = summary["history"].as_u64().expect("history");
            let (added, removed) = (after["added"].as_u64().expect("added"), after["removed"].as_u64().expect("removed"));
            assert_eq!(history + added - removed, total, "what the SDK holds after the second sync is our listing: {summary}");
        }
    }
}
