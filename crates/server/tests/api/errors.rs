//! Bad input of every kind gets the contract's JSON error, never a 500 or plain text.

use serde_json::json;

use crate::helpers::*;

on_both_backends! {
    async fn malformed_json_is_a_400(app: TestApp) {
        for path in ["/api/auth/register", "/api/auth/login"] {
            let reply = app.call("POST", path).body("application/json", b"{\"email\": ".to_vec()).send().await;
            reply.assert_error(400, "malformed_json");
        }
    }

    async fn a_wrong_content_type_is_a_400(app: TestApp) {
        for path in ["/api/auth/register", "/api/auth/login"] {
            let body = b"email=a@example.com&password=whatever1".to_vec();
            let reply = app.call("POST", path).body("application/x-www-form-urlencoded", body).send().await;
            reply.assert_error(400, "unsupported_content_type");
            let none = app.call("POST", path).send().await;
            none.assert_error(400, "unsupported_content_type");
        }
    }

    async fn an_oversized_body_is_a_413(app: TestApp) {
        let huge = json!({"email": "x".repeat(200 * 1024), "password": PASSWORD});
        for path in ["/api/auth/register", "/api/auth/login"] {
            app.post_json(path, None, &huge).await.assert_error(413, "payload_too_large");
        }
    }

    async fn a_wrongly_typed_field_is_a_400_naming_the_field(app: TestApp) {
        let reply = app.post_json("/api/auth/register", None, &json!({"email": 42, "password": PASSWORD})).await;
        reply.assert_error(400, "validation_failed");
        assert_eq!(reply.error_fields(), ["email"]);
        let not_an_object = app.post_json("/api/auth/login", None, &json!([1, 2])).await;
        not_an_object.assert_error(400, "validation_failed");
        assert_eq!(not_an_object.error_fields(), ["body"]);
    }

    async fn unknown_routes_and_methods_are_json_404s(app: TestApp) {
        app.get("/api/nothing-here", None).await.assert_error(404, "not_found");
        app.get("/api/auth/register", None).await.assert_error(404, "not_found");
        app.call("DELETE", "/api/auth/me").send().await.assert_error(404, "not_found");
    }
}
