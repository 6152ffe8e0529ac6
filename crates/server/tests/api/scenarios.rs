//! Issue #16, saved scenarios: a document is saved, listed, read back and deleted; a malformed
//! one is a 400 whose `fields` keys are its paths; an oversized one is a 413; another user's is
//! a 403.

use serde_json::{Value, json};

use crate::helpers::*;

/// The example document.
pub(crate) fn overdraft_then_payroll() -> Value {
    json!({
        "name": "overdraft then payroll",
        "description": "a checking account that dips, a pending charge that posts, a hold that drops, payroll",
        "accounts": [{
            "ref": "chk", "type": "checking", "subtype": "personal", "name": "Everyday Checking",
            "mask": "0001", "openingBalance": "100.00", "generated": false,
            "transactions": [
                {"ref": "coffee", "day": -10, "amount": "-20.00", "description": "BLUE BOTTLE #12",
                 "merchantName": "Blue Bottle Coffee", "category": "food_and_drink"},
                {"ref": "gas", "day": -1, "amount": "-5.00", "description": "SHELL", "status": "pending", "postsOnDay": 2},
                {"ref": "hold", "day": -1, "amount": "-7.00", "description": "HOTEL HOLD", "status": "pending", "dropsOnDay": 1},
                {"ref": "pay", "day": 3, "amount": "1000.00", "description": "ACME PAYROLL", "category": "income"}
            ]
        }],
        "events": [{"day": 4, "event": "provider_outage"}, {"day": 6, "event": "recover"}, {"day": 9, "event": "expire_token"}]
    })
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
}
