//! Liveness, readiness, request ids and the documentation pages.

use crate::helpers::*;

on_both_backends! {
    async fn healthz_and_readyz_answer(app: TestApp) {
        let alive = app.get("/healthz", None).await;
        assert_eq!(alive.status, 200);
        assert_eq!(alive.json["status"], "ok");
        let ready = app.get("/readyz", None).await;
        assert_eq!(ready.status, 200);
        assert_eq!(ready.json["status"], "ready");
    }

    async fn every_response_has_a_request_id_and_echoes_the_clients(app: TestApp) {
        let reply = app.get("/healthz", None).await;
        let generated = reply.header("x-request-id").expect("header");
        assert_eq!(generated.len(), 36, "a UUID");
        let echoed = app.call("GET", "/healthz").header("X-Request-Id", "trace-42").send().await;
        assert_eq!(echoed.header("x-request-id"), Some("trace-42"));
        let refused = app.call("GET", "/healthz").header("X-Request-Id", "has spaces in it").send().await;
        assert_ne!(refused.header("x-request-id"), Some("has spaces in it"));
    }

    async fn swagger_ui_and_the_spec_are_served(app: TestApp) {
        let ui = app.get("/swagger-ui/", None).await;
        assert_eq!(ui.status, 200);
        assert!(ui.text.contains("swagger"), "{}", &ui.text[..ui.text.len().min(200)]);
        let spec = app.get("/api-docs/openapi.json", None).await;
        assert_eq!(spec.status, 200);
        assert!(spec.json["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    }
}
