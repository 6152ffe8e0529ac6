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
        let mut ids = std::collections::HashSet::new();
        for (path, item) in spec["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("operations") {
                let id = operation["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path}: no operationId"));
                assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
                assert!(operation["tags"].as_array().is_some_and(|t| !t.is_empty()), "{method} {path}: no tag");
                let responses = operation["responses"].as_object().expect("responses");
                if path.starts_with("/api/") {
                    assert!(responses.keys().any(|code| code.starts_with('4')), "{method} {path}: no 4xx documented");
                }
            }
        }
    }
}
