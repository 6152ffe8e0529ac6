//! The provider catalog: seeded at start and by `sandbank seed`, idempotently; listed; logos.

use crate::helpers::*;

const SLUGS: [&str; 5] = ["amex", "bank-of-america", "capital-one", "chase", "wells-fargo"];

fn slugs(reply: &Reply) -> Vec<String> {
    let mut slugs: Vec<String> = reply.json["providers"]
        .as_array()
        .expect("providers")
        .iter()
        .map(|p| p["slug"].as_str().expect("slug").to_owned())
        .collect();
    slugs.sort();
    slugs
}

on_both_backends! {
    async fn the_five_providers_are_listed_with_their_account_types(app: TestApp) {
        app.get("/api/financial/providers", None).await.assert_error(401, "unauthenticated");
        let token = app.register("providers@example.com").await;
        let reply = app.get("/api/financial/providers", Some(&token)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(slugs(&reply), SLUGS);
        let amex = reply.json["providers"].as_array().expect("providers").iter().find(|p| p["slug"] == "amex").expect("amex").clone();
        assert_eq!(amex["name"], "American Express");
        assert_eq!(amex["supportedAccountTypes"], serde_json::json!(["credit_card", "savings"]));
        assert_eq!(amex["status"], "active");
        assert_eq!(amex["id"], "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a01");
        assert_eq!(amex["logoUrl"], "/static/logos/amex.svg");
    }

    async fn seeding_twice_leaves_exactly_five_providers(app: TestApp) {
        // The server seeded at start; the command finds every provider already there.
        assert_eq!(app.run_cli(&["seed"]).trim(), "providers: 0 inserted, 5 updated");
        assert_eq!(app.run_cli(&["seed"]).trim(), "providers: 0 inserted, 5 updated");
        let token = app.register("seed@example.com").await;
        assert_eq!(slugs(&app.get("/api/financial/providers", Some(&token)).await), SLUGS);
    }

    async fn logos_are_svg_monograms_served_by_the_binary(app: TestApp) {
        for slug in SLUGS {
            let logo = app.get(&format!("/static/logos/{slug}.svg"), None).await;
            assert_eq!(logo.status, 200);
            assert_eq!(logo.header("content-type"), Some("image/svg+xml"));
            assert!(logo.text.starts_with("<svg") && logo.text.contains("</svg>"), "{}", logo.text);
        }
        app.get("/static/logos/nobank.svg", None).await.assert_error(404, "not_found");
    }
}
