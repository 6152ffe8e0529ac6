//! Issue #11, items 3 and 4: text input is checked (NUL, length) before anything is stored, the
//! same on both backends and on both the API and the pages; sign-ups and sign-ins are limited per
//! client address, failed sign-ins per (e-mail, client address), in sliding windows under
//! fixed-size keys; `X-Forwarded-For` counts only behind a trusted proxy.

use serde_json::json;

use crate::helpers::*;

/// Rate-limit rows in the app's database.
fn rate_rows(app: &TestApp) -> i64 {
    app.open_database().read(sandbank_store::rate_limits::count).expect("count")
}

/// POST a JSON body as if forwarded for `client`.
async fn post_from(app: &TestApp, client: &str, path: &str, body: &serde_json::Value) -> Reply {
    app.call("POST", path).header("X-Forwarded-For", client).json(body).send().await
}

/// A page form posted with its CSRF cookie; returns the reply.
async fn post_form(app: &TestApp, page: &str, fields: &[(&str, &str)]) -> Reply {
    let form = app.get(page, None).await;
    let set_cookie = form.header("set-cookie").expect("csrf cookie").to_owned();
    let cookie = set_cookie.split(';').next().expect("name=value").to_owned();
    let csrf = cookie.split_once('=').expect("value").1.to_owned();
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let body = serde_urlencoded::to_string(&all).expect("encoded");
    app.call("POST", page)
        .header("Cookie", &cookie)
        .body("application/x-www-form-urlencoded", body.into_bytes())
        .send()
        .await
}

mod text_input {
    use super::*;

    on_both_backends! {
        async fn hardening_auth_nul_in_name_email_or_password_is_a_400_naming_the_field(app: TestApp) {
            let register = [
                (json!({"email": "ada@example.com", "password": PASSWORD, "name": "Ada\u{0}"}), "name"),
                (json!({"email": "ada\u{0}@example.com", "password": PASSWORD}), "email"),
                (json!({"email": "ada@example.com", "password": "correct\u{0}horse"}), "password"),
            ];
            for (body, field) in register {
                let reply = app.post_json("/api/auth/register", None, &body).await;
                reply.assert_error(400, "validation_failed");
                assert_eq!(reply.error_fields(), [field], "{}", reply.text);
                assert!(reply.json["error"]["fields"][field][0].as_str().expect("message").contains("NUL"));
            }
            app.register("ada@example.com").await;
            let login = [
                (json!({"email": "ada\u{0}@example.com", "password": PASSWORD}), "email"),
                (json!({"email": "ada@example.com", "password": "correct horse\u{0}battery"}), "password"),
            ];
            for (body, field) in login {
                let reply = app.post_json("/api/auth/login", None, &body).await;
                reply.assert_error(400, "validation_failed");
                assert_eq!(reply.error_fields(), [field], "{}", reply.text);
            }
        }

        async fn hardening_auth_a_3kb_email_is_a_400_and_nothing_is_stored(app: TestApp) {
            let long = format!("{}@example.com", "a".repeat(3 * 1024));
            let reply = app.post_json("/api/auth/register", None, &json!({"email": long, "password": PASSWORD})).await;
            reply.assert_error(400, "validation_failed");
            assert_eq!(reply.error_fields(), ["email"]);
            let reply = app.post_json("/api/auth/login", None, &json!({"email": long, "password": PASSWORD})).await;
            reply.assert_error(400, "validation_failed");
            assert_eq!(reply.error_fields(), ["email"]);
            assert_eq!(rate_rows(&app), 0);
        }

        async fn hardening_auth_junk_email_logins_store_no_rate_keys(app: TestApp) {
            for n in 0..30 {
                let junk = format!("{n}-{}", "x".repeat(60 * 1024));
                let reply = app.post_json("/api/auth/login", None, &json!({"email": junk, "password": "whatever!"})).await;
                reply.assert_error(400, "validation_failed");
                let reply = app.post_json("/api/auth/login", None, &json!({"email": format!("not an e-mail {n}"), "password": "whatever!"})).await;
                reply.assert_error(400, "validation_failed");
            }
            assert_eq!(rate_rows(&app), 0);
            let reply = app.post_json("/api/auth/login", None, &json!({"email": "nobody@example.com", "password": "whatever!"})).await;
            reply.assert_error(401, "invalid_credentials");
            assert_eq!(rate_rows(&app), 2, "one row per fixed-size key: the address and (e-mail, address)");
        }

        async fn hardening_auth_the_sign_up_and_sign_in_forms_name_the_nul_field(app: TestApp) {
            let reply = post_form(&app, "/signup", &[("email", "ada@example.com"), ("password", PASSWORD), ("name", "A\u{0}da")]).await;
            assert_eq!(reply.status, 400, "{}", reply.text);
            assert!(reply.text.contains("name must not contain NUL characters"), "{}", reply.text);
            let reply = post_form(&app, "/signup", &[("email", "ada\u{0}@example.com"), ("password", PASSWORD)]).await;
            assert_eq!(reply.status, 400, "{}", reply.text);
            assert!(reply.text.contains("email must not contain NUL characters"), "{}", reply.text);
            let reply = post_form(&app, "/login", &[("email", "ada@example.com"), ("password", "pass\u{0}word")]).await;
            assert_eq!(reply.status, 400, "{}", reply.text);
            assert!(reply.text.contains("password must not contain NUL characters"), "{}", reply.text);
            let long = format!("{}@example.com", "a".repeat(3 * 1024));
            let reply = post_form(&app, "/login", &[("email", &long), ("password", PASSWORD)]).await;
            assert_eq!(reply.status, 400, "{}", reply.text);
            assert!(reply.text.contains("email must be at most 254 characters"), "{}", reply.text);
            assert_eq!(rate_rows(&app), 0);
        }

        async fn hardening_auth_bank_credentials_with_nul_are_a_400_naming_the_field(app: TestApp) {
            let token = app.register("bank@example.com").await;
            let id = app.create_connection(&token, "chase", 1).await;
            let path = format!("/api/financial/connections/{id}/authorize");
            let bodies = [
                (json!({"username": "user_good\u{0}", "password": "pass_good"}), "username"),
                (json!({"username": "user_good", "password": "pass\u{0}good"}), "password"),
                (json!({"username": "user_mfa", "password": "pass_good", "mfaCode": "12\u{0}4"}), "mfaCode"),
                (json!({"username": "x".repeat(3 * 1024), "password": "pass_good"}), "username"),
            ];
            for (body, field) in bodies {
                let reply = app.post_json(&path, Some(&token), &body).await;
                reply.assert_error(400, "validation_failed");
                assert_eq!(reply.error_fields(), [field], "{}", reply.text);
            }
        }

        async fn hardening_auth_a_control_character_in_next_is_not_followed(app: TestApp) {
            app.register("next@example.com").await;
            for next in ["/transactions\u{0}", "/transactions\r\nSet-Cookie: x=1", "/\\evil.example"] {
                let reply = post_form(&app, "/login", &[("email", "next@example.com"), ("password", PASSWORD), ("next", next)]).await;
                assert_eq!(reply.status, 303, "{next:?}: {}", reply.text);
                assert_eq!(reply.header("location"), Some("/dashboard"), "{next:?}");
            }
        }
    }
}

mod per_address {
    use super::*;
    use sandbank_services::security::rate_limit::Limit;

    on_both_backends! {
        with |settings| {
            settings.limits.auth_per_address = Limit::per_minute(3);
            settings.trusted_proxies = "127.0.0.1/32".parse().expect("network");
        };

        async fn hardening_auth_registrations_are_limited_per_client_address(app: TestApp) {
            for n in 0..3 {
                let body = json!({"email": format!("r{n}@example.com"), "password": PASSWORD});
                assert_eq!(post_from(&app, "198.51.100.1", "/api/auth/register", &body).await.status, 201);
            }
            let body = json!({"email": "r3@example.com", "password": PASSWORD});
            let reply = post_from(&app, "198.51.100.1", "/api/auth/register", &body).await;
            reply.assert_error(429, "rate_limited");
            let retry_after: u64 = reply.header("retry-after").expect("Retry-After").parse().expect("seconds");
            assert!((1..=66).contains(&retry_after), "{retry_after}");
            assert_eq!(post_from(&app, "198.51.100.2", "/api/auth/register", &body).await.status, 201);
        }

        async fn hardening_auth_unknown_email_logins_are_limited_per_client_address(app: TestApp) {
            for n in 0..3 {
                let body = json!({"email": format!("nobody{n}@example.com"), "password": PASSWORD});
                post_from(&app, "198.51.100.3", "/api/auth/login", &body).await.assert_error(401, "invalid_credentials");
            }
            let body = json!({"email": "nobody9@example.com", "password": PASSWORD});
            post_from(&app, "198.51.100.3", "/api/auth/login", &body).await.assert_error(429, "rate_limited");
            post_from(&app, "198.51.100.4", "/api/auth/login", &body).await.assert_error(401, "invalid_credentials");
        }
    }
}

mod failed_sign_ins {
    use super::*;

    on_both_backends! {
        with |settings| {
            settings.trusted_proxies = "127.0.0.1/32".parse().expect("network");
        };

        async fn hardening_auth_wrong_passwords_from_one_address_do_not_lock_out_the_owner(app: TestApp) {
            app.register("owner@example.com").await;
            let wrong = json!({"email": "owner@example.com", "password": "not the password"});
            for _ in 0..10 {
                post_from(&app, "203.0.113.5", "/api/auth/login", &wrong).await.assert_error(401, "invalid_credentials");
            }
            post_from(&app, "203.0.113.5", "/api/auth/login", &wrong).await.assert_error(429, "rate_limited");
            let right = json!({"email": "owner@example.com", "password": PASSWORD});
            post_from(&app, "203.0.113.5", "/api/auth/login", &right).await.assert_error(429, "rate_limited");
            let owner = post_from(&app, "198.51.100.7", "/api/auth/login", &right).await;
            assert_eq!(owner.status, 200, "{}", owner.text);
        }

        async fn hardening_auth_successful_sign_ins_are_not_counted_as_failures(app: TestApp) {
            app.register("often@example.com").await;
            let right = json!({"email": "often@example.com", "password": PASSWORD});
            for _ in 0..12 {
                assert_eq!(post_from(&app, "198.51.100.8", "/api/auth/login", &right).await.status, 200);
            }
        }
    }
}

mod untrusted_forwarded_for {
    use super::*;

    on_both_backends! {
        async fn hardening_auth_forwarded_for_is_ignored_when_no_proxy_is_trusted(app: TestApp) {
            app.register("victim@example.com").await;
            let wrong = json!({"email": "victim@example.com", "password": "not the password"});
            for n in 0..10 {
                let reply = post_from(&app, &format!("203.0.113.{n}"), "/api/auth/login", &wrong).await;
                reply.assert_error(401, "invalid_credentials");
            }
            post_from(&app, "203.0.113.99", "/api/auth/login", &wrong).await.assert_error(429, "rate_limited");
        }
    }
}
