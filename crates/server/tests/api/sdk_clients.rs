//! Issue #14: clients generated from `openapi/openapi.json` (`scripts/sdk.sh`: a Python one by
//! openapi-python-client, a TypeScript one by openapi-typescript + openapi-fetch) run Sandbank's
//! whole flow with typed calls and enum members, against a fresh server on each backend; what
//! they report is checked against our own API. `.ci/run` generates them and sets
//! `SANDBANK_SDK_DIR` and `SANDBANK_SDK_PYTHON`; elsewhere the test says it skipped.

use serde_json::Value;

use crate::helpers::*;

/// `(target/sdk, the Python with the client's dependencies)`, or `None` (said) outside CI.
fn generated() -> Option<(String, String)> {
    match (std::env::var("SANDBANK_SDK_DIR"), std::env::var("SANDBANK_SDK_PYTHON")) {
        (Ok(dir), Ok(python)) if std::path::Path::new(&dir).join("python").exists() => Some((dir, python)),
        _ => {
            assert!(std::env::var_os("CI").is_none(), "SANDBANK_SDK_DIR is not set: .ci/run runs scripts/sdk.sh");
            eprintln!(
                "skipped the generated-client test: run scripts/sdk.sh and set SANDBANK_SDK_DIR and SANDBANK_SDK_PYTHON"
            );
            None
        }
    }
}

/// Runs `program` with the server's URL and a fresh e-mail; returns its last line as JSON.
fn run(program: &mut std::process::Command, app: &TestApp, email: &str) -> Value {
    let output = program
        .env("SANDBANK_URL", &app.address)
        .env("SANDBANK_EMAIL", email)
        .env("SANDBANK_PASSWORD", PASSWORD)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the program starts");
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{stdout}\n{stderr}");
    serde_json::from_str(stdout.lines().last().expect("a summary")).expect("a JSON summary")
}

/// Signs in as `email` through our own API (the program registered it).
async fn bearer(app: &TestApp, email: &str) -> String {
    let body = serde_json::json!({"email": email, "password": PASSWORD});
    let login = app.post_json("/api/auth/login", None, &body).await;
    assert_eq!(login.status, 200, "{}", login.text);
    login.json["token"].as_str().expect("token").to_owned()
}

/// How many rows our listing has for `query`.
async fn total(app: &TestApp, token: &str, query: &str) -> u64 {
    let page = app.get(&format!("/api/financial/transactions?{query}&limit=1"), Some(token)).await;
    assert_eq!(page.status, 200, "{}", page.text);
    page.json["pagination"]["total"].as_u64().expect("total")
}

on_both_backends! {
    async fn the_generated_python_client_runs_the_whole_flow(app: TestApp) {
        let Some((dir, python)) = generated() else { return };
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../sdk/python/flow.py");
        let email = "sdk-python@example.com";
        let summary = run(std::process::Command::new(python).arg(script).env("PYTHONPATH", format!("{dir}/python")), &app, email);
        let token = bearer(&app, email).await;
        let id = summary["connection_id"].as_str().expect("connection id");
        let accounts = app.get(&format!("/api/financial/accounts?connectionId={id}"), Some(&token)).await;
        assert_eq!(summary["accounts"].as_u64(), accounts.json["accounts"].as_array().map(|a| a.len() as u64));
        assert!(summary["food_and_drink"].as_u64() > Some(0), "{summary}");
        assert_eq!(summary["groceries_at_end"].as_u64(), Some(total(&app, &token, "category=groceries").await));
        assert!(summary["added_after_advance"].as_u64() > Some(0) && summary["feed_after_advance"].as_u64() >= summary["added_after_advance"].as_u64(), "{summary}");
        assert_eq!(summary["expired_code"], "connection_expired");
    }

    async fn the_generated_typescript_client_runs_the_whole_flow(app: TestApp) {
        let Some((dir, _)) = generated() else { return };
        let email = "sdk-typescript@example.com";
        let summary = run(std::process::Command::new("node").arg(format!("{dir}/typescript/out/flow.js")), &app, email);
        let token = bearer(&app, email).await;
        assert!(summary["groceries"].as_u64() > Some(0), "{summary}");
        assert_eq!(summary["food_and_drink_at_end"].as_u64(), Some(total(&app, &token, "category=food_and_drink").await));
        assert_eq!(summary["clock_offset_days"], 3);
        assert_eq!(summary["expired_code"], "connection_expired");
        assert!(summary["accounts"].as_u64() > Some(0), "{summary}");
    }
}
