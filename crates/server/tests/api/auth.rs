//! Register, login, me and logout, with bearer tokens and the session cookie.

use serde_json::json;

use crate::helpers::*;

on_both_backends! {
    async fn register_login_me_logout_me(app: TestApp) {
        let registered = app
            .post_json("/api/auth/register", None, &json!({"email": "Ada@Example.com", "password": PASSWORD, "name": "Ada"}))
            .await;
        assert_eq!(registered.status, 201, "{}", registered.text);
        assert_eq!(registered.json["user"]["email"], "ada@example.com");
        assert_eq!(registered.json["user"]["name"], "Ada");
        assert!(registered.json["user"].get("passwordHash").is_none());

        let login = app.post_json("/api/auth/login", None, &json!({"email": "ada@example.com", "password": PASSWORD})).await;
        assert_eq!(login.status, 200, "{}", login.text);
        let token = login.json["token"].as_str().expect("token").to_owned();
        assert!(login.json["expiresAt"].is_string());
        assert_eq!(login.json["user"]["id"], registered.json["user"]["id"]);
        let set_cookie = login.header("set-cookie").expect("cookie").to_lowercase();
        assert!(set_cookie.contains("httponly") && set_cookie.contains("samesite=lax"), "{set_cookie}");
        assert!(!set_cookie.contains("secure"), "Secure only when SANDBANK_COOKIE_SECURE=1");

        let me = app.get("/api/auth/me", Some(&token)).await;
        assert_eq!(me.status, 200);
        assert_eq!(me.json["email"], "ada@example.com");

        let logout = app.call("POST", "/api/auth/logout").bearer(Some(&token)).send().await;
        assert_eq!(logout.status, 204);

        app.get("/api/auth/me", Some(&token)).await.assert_error(401, "unauthenticated");
        // The registration token is a separate session and still works.
        let other = registered.json["token"].as_str().expect("token");
        assert_eq!(app.get("/api/auth/me", Some(other)).await.status, 200);
    }

    async fn a_logout_holds_at_once_here_and_within_a_second_in_another_process(app: TestApp) {
        let token = app.register("two-servers@example.com").await;
        let other = app.another_server(|_| {});
        // Both servers have checked the token lately (the other one twice: the second from its cache).
        for base in [&app.address, &other, &other] {
            assert_eq!(app.call_at(base, "GET", "/api/auth/me").bearer(Some(&token)).send().await.status, 200);
        }
        let logout = app.call("POST", "/api/auth/logout").bearer(Some(&token)).send().await;
        assert_eq!(logout.status, 204);
        app.get("/api/auth/me", Some(&token)).await.assert_error(401, "unauthenticated");
        let started = std::time::Instant::now();
        loop {
            let status = app.call_at(&other, "GET", "/api/auth/me").bearer(Some(&token)).send().await.status;
            if status == 401 {
                break;
            }
            assert_eq!(status, 200);
            assert!(started.elapsed() < std::time::Duration::from_secs(1), "the other process still accepts the token after a second");
            actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    async fn the_session_cookie_signs_in_and_logout_revokes_it(app: TestApp) {
        app.register("cookie@example.com").await;
        let login = app.post_json("/api/auth/login", None, &json!({"email": "cookie@example.com", "password": PASSWORD})).await;
        let cookie = session_cookie(&login);
        let me = app.call("GET", "/api/auth/me").header("Cookie", &cookie).send().await;
        assert_eq!(me.status, 200);
        assert_eq!(me.json["email"], "cookie@example.com");
        let logout = app.call("POST", "/api/auth/logout").header("Cookie", &cookie).send().await;
        assert_eq!(logout.status, 204);
        assert!(logout.header("set-cookie").is_some_and(|c| c.contains("Max-Age=0")), "cookie cleared");
        app.call("GET", "/api/auth/me").header("Cookie", &cookie).send().await.assert_error(401, "unauthenticated");
    }

    async fn wrong_password_and_unknown_email_are_401(app: TestApp) {
        app.register("bob@example.com").await;
        let wrong = app.post_json("/api/auth/login", None, &json!({"email": "bob@example.com", "password": "not the password"})).await;
        wrong.assert_error(401, "invalid_credentials");
        let unknown = app.post_json("/api/auth/login", None, &json!({"email": "nobody@example.com", "password": PASSWORD})).await;
        unknown.assert_error(401, "invalid_credentials");
        let missing = app.post_json("/api/auth/login", None, &json!({"email": "bob@example.com"})).await;
        missing.assert_error(400, "validation_failed");
        assert_eq!(missing.error_fields(), ["password"]);
    }

    async fn duplicate_email_is_409_whatever_its_case(app: TestApp) {
        app.register("carol@example.com").await;
        let again = app.post_json("/api/auth/register", None, &json!({"email": "CAROL@example.com", "password": PASSWORD})).await;
        again.assert_error(409, "email_taken");
    }

    async fn bad_email_and_short_password_are_400_with_fields(app: TestApp) {
        let bad_email = app.post_json("/api/auth/register", None, &json!({"email": "not-an-email", "password": PASSWORD})).await;
        bad_email.assert_error(400, "validation_failed");
        assert_eq!(bad_email.error_fields(), ["email"]);
        let short = app.post_json("/api/auth/register", None, &json!({"email": "dan@example.com", "password": "short"})).await;
        short.assert_error(400, "validation_failed");
        assert_eq!(short.error_fields(), ["password"]);
        assert_eq!(short.json["error"]["fields"]["password"][0], "must be at least 8 characters");
        let both = app.post_json("/api/auth/register", None, &json!({})).await;
        assert_eq!(both.error_fields(), ["email", "password"]);
    }

    async fn bad_tokens_are_401(app: TestApp) {
        let token = app.register("eve@example.com").await;
        for bad in ["garbage", "a.b.c", &format!("{token}x")] {
            app.get("/api/auth/me", Some(bad)).await.assert_error(401, "unauthenticated");
        }
        app.call("GET", "/api/auth/me").header("Authorization", &format!("Basic {token}")).send().await.assert_error(401, "unauthenticated");
        app.get("/api/auth/me", None).await.assert_error(401, "unauthenticated");
    }

    async fn concurrent_sign_ups_all_land(app: TestApp) {
        let app = std::rc::Rc::new(app);
        let sign_ups = (0..12).map(|i| {
            let app = app.clone();
            async move {
                app.post_json("/api/auth/register", None, &json!({"email": format!("user{i}@example.com"), "password": PASSWORD})).await.status
            }
        });
        let statuses = futures_util::future::join_all(sign_ups).await;
        assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    }
}
