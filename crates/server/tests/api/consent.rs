//! The consent page: owner only, CSRF-protected, unframeable; Authorize, MFA and Cancel.

use serde_json::json;

use crate::helpers::*;

/// Signs up `email` and returns the session cookie and the bearer token.
async fn sign_in(app: &TestApp, email: &str) -> (String, String) {
    let token = app.register(email).await;
    let login = app.post_json("/api/auth/login", None, &json!({"email": email, "password": PASSWORD})).await;
    let cookie = login.header("set-cookie").expect("cookie").split(';').next().expect("pair").to_owned();
    (cookie, token)
}

/// The CSRF token of the consent form (the page's sign-out form has its own).
fn csrf_of(page: &str) -> String {
    form_csrf(page, "/financial/authorize/")
}

async fn status_of(app: &TestApp, token: &str, id: &str) -> String {
    let reply = app.get(&format!("/api/financial/connections/{id}"), Some(token)).await;
    reply.json["status"].as_str().expect("status").to_owned()
}

on_both_backends! {
    async fn the_owner_sees_the_page_and_authorizes(app: TestApp) {
        let (cookie, token) = sign_in(&app, "consent@example.com").await;
        let id = app.create_connection(&token, "amex", 12).await;
        let page_path = format!("/financial/authorize/{id}");

        let anonymous = app.get(&page_path, None).await;
        assert_eq!(anonymous.status, 303);
        assert_eq!(anonymous.header("location"), Some(format!("/login?next=/financial/authorize/{id}").as_str()));

        let page = app.call("GET", &page_path).header("Cookie", &cookie).send().await;
        assert_eq!(page.status, 200, "{}", page.text);
        assert!(page.header("content-type").is_some_and(|c| c.starts_with("text/html")));
        assert_eq!(page.header("x-frame-options"), Some("DENY"));
        assert!(page.header("content-security-policy").is_some_and(|c| c.contains("frame-ancestors 'none'")));
        for expected in ["American Express", "/static/logos/amex.svg", "user_good", "pass_good", "Authorize", "Cancel"] {
            assert!(page.text.contains(expected), "missing {expected}");
        }
        let csrf = csrf_of(&page.text);

        let forged = app.post_form(&page_path, &cookie, &[("csrf", "00ff"), ("action", "authorize")]).await;
        assert_eq!(forged.status, 403);
        assert_eq!(status_of(&app, &token, &id).await, "authorizing");

        let done = app.post_form(&page_path, &cookie, &[("csrf", &csrf), ("action", "authorize"), ("username", ""), ("password", "")]).await;
        assert_eq!(done.status, 303, "{}", done.text);
        assert!(done.header("location").is_some_and(|l| l.starts_with("/dashboard")));
        assert_eq!(status_of(&app, &token, &id).await, "connected");

        let again = app.call("GET", &page_path).header("Cookie", &cookie).send().await;
        assert_eq!(again.status, 409, "an authorized connection has nothing to consent to");
    }

    async fn other_users_and_missing_connections_get_no_page(app: TestApp) {
        let (_, owner) = sign_in(&app, "page-owner@example.com").await;
        let (stranger, _) = sign_in(&app, "page-stranger@example.com").await;
        let id = app.create_connection(&owner, "chase", 1).await;
        let other = app.call("GET", &format!("/financial/authorize/{id}")).header("Cookie", &stranger).send().await;
        assert_eq!(other.status, 403);
        assert!(other.text.contains("another user"));
        let missing = app.call("GET", &format!("/financial/authorize/{}", uuid::Uuid::new_v4())).header("Cookie", &stranger).send().await;
        assert_eq!(missing.status, 404);
    }

    async fn mfa_wrong_passwords_and_cancel(app: TestApp) {
        let (cookie, token) = sign_in(&app, "mfa-page@example.com").await;
        let id = app.create_connection(&token, "chase", 2).await;
        let page_path = format!("/financial/authorize/{id}");
        let csrf = csrf_of(&app.call("GET", &page_path).header("Cookie", &cookie).send().await.text);

        let wrong = app.post_form(&page_path, &cookie, &[("csrf", &csrf), ("action", "authorize"), ("username", "user_good"), ("password", "nope")]).await;
        assert_eq!(wrong.status, 400);
        assert!(wrong.text.contains("incorrect"), "{}", wrong.text);

        let step = app.post_form(&page_path, &cookie, &[("csrf", &csrf), ("action", "authorize"), ("username", "user_mfa"), ("password", "pass_good")]).await;
        assert_eq!(step.status, 200);
        assert!(step.text.contains("name=\"mfa_code\""), "the MFA step asks for the code");
        let bad = app.post_form(&page_path, &cookie, &[("csrf", &csrf), ("action", "authorize"), ("username", "user_mfa"), ("password", "pass_good"), ("mfa_code", "9999")]).await;
        assert_eq!(bad.status, 400);
        let good = app.post_form(&page_path, &cookie, &[("csrf", &csrf), ("action", "authorize"), ("username", "user_mfa"), ("password", "pass_good"), ("mfa_code", "1234")]).await;
        assert_eq!(good.status, 303);
        assert_eq!(status_of(&app, &token, &id).await, "connected");

        let second = app.create_connection(&token, "chase", 3).await;
        let second_path = format!("/financial/authorize/{second}");
        let csrf = csrf_of(&app.call("GET", &second_path).header("Cookie", &cookie).send().await.text);
        let cancelled = app.post_form(&second_path, &cookie, &[("csrf", &csrf), ("action", "cancel")]).await;
        assert_eq!(cancelled.status, 303);
        assert_eq!(status_of(&app, &token, &second).await, "disconnected");
    }
}
