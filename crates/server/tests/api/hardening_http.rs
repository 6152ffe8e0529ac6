//! Hardening at the HTTP edges (issue #11, items 2, 6 and 7): redirects that stay on this
//! site, CSRF on cookie-authenticated API calls, and the HTTP corners (long URLs, unread
//! bodies, HEAD, Swagger UI, HTML 404, favicon, caching of session responses).

use serde_json::json;

use crate::helpers::*;

/// The value of `name="<field>"`'s `value` attribute in a page.
fn field_value(page: &str, field: &str) -> String {
    let marker = format!("name=\"{field}\" value=\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no {field} field in {page}")) + marker.len();
    page[start..].split('"').next().expect("value").to_owned()
}

/// The `name=value` pair of the cookie `name` set by a reply.
fn cookie_pair(reply: &Reply, name: &str) -> String {
    reply
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no {name} cookie"))
        .to_owned()
}

/// Percent-encodes a form value.
fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

mod item_2_open_redirect {
    use super::*;

    /// Signs in through the login page with `next`; returns the page's hidden `next` and the
    /// sign-in's `Location`.
    async fn sign_in_with_next(app: &TestApp, email: &str, next: &str) -> (String, String) {
        let page = app.call("GET", &format!("/login?next={}", form_encode(next))).send().await;
        assert_eq!(page.status, 200, "{}", page.text);
        let shown = field_value(&page.text, "next");
        let body = format!(
            "csrf={}&email={}&password={}&next={}",
            field_value(&page.text, "csrf"),
            form_encode(email),
            form_encode(PASSWORD),
            form_encode(next)
        );
        let signed_in = app
            .call("POST", "/login")
            .header("Cookie", &cookie_pair(&page, "sandbank_csrf"))
            .body("application/x-www-form-urlencoded", body.into_bytes())
            .send()
            .await;
        assert_eq!(signed_in.status, 303, "{}", signed_in.text);
        (shown, signed_in.header("location").expect("location").to_owned())
    }

    on_both_backends! {
        async fn item_2_sign_in_never_redirects_to_another_host(app: TestApp) {
            app.register("redirect@example.com").await;
            for next in ["/\\evil.example", "/\t/evil.example", "//evil.example", "https://evil.example", "/\\/evil.example"] {
                let (shown, location) = sign_in_with_next(&app, "redirect@example.com", next).await;
                assert_eq!(shown, "/dashboard", "{next:?}");
                assert_eq!(location, "/dashboard", "{next:?}");
            }
            let (shown, location) = sign_in_with_next(&app, "redirect@example.com", "/transactions").await;
            assert_eq!((shown.as_str(), location.as_str()), ("/transactions", "/transactions"));
        }
    }
}

mod item_6_csrf_on_the_api {
    use super::*;

    /// Registers, signs in and connects; returns the session cookie, the login's CSRF token, the
    /// bearer token and the connection's id.
    async fn signed_in(app: &TestApp, email: &str) -> (String, String, String, String) {
        let token = app.register(email).await;
        let login = app.post_json("/api/auth/login", None, &json!({"email": email, "password": PASSWORD})).await;
        assert_eq!(login.status, 200, "{}", login.text);
        let csrf = login.json["csrfToken"].as_str().expect("csrfToken").to_owned();
        let id = app.connect(&token, "chase", 7).await;
        (cookie_pair(&login, "sandbank_session"), csrf, token, id)
    }

    /// A cookie-authenticated POST to `path` with `headers`.
    async fn cookie_post(app: &TestApp, path: &str, cookie: &str, headers: &[(&str, &str)]) -> Reply {
        let mut call = app.call("POST", path).header("Cookie", cookie);
        for (name, value) in headers {
            call = call.header(name, value);
        }
        call.json(&json!({})).send().await
    }

    on_both_backends! {
        async fn item_6_cookie_requests_from_another_origin_need_the_csrf_token(app: TestApp) {
            let (cookie, csrf, _, id) = signed_in(&app, "csrf@example.com").await;
            let sync = format!("/api/financial/connections/{id}");
            let queued = format!("/api/financial/connections/{id}?async=true");
            let evil = ("Origin", "http://evil.example");
            for path in [sync.as_str(), queued.as_str(), "/api/auth/logout"] {
                cookie_post(&app, path, &cookie, &[evil]).await.assert_error(403, "csrf_failed");
                cookie_post(&app, path, &cookie, &[("Sec-Fetch-Site", "cross-site")]).await.assert_error(403, "csrf_failed");
                cookie_post(&app, path, &cookie, &[evil, ("X-CSRF-Token", "00ff")]).await.assert_error(403, "csrf_failed");
            }
            let removed = app.call("DELETE", &sync).header("Cookie", &cookie).header(evil.0, evil.1).send().await;
            removed.assert_error(403, "csrf_failed");
            // Nothing happened: the session and the connection are as they were.
            let me = app.call("GET", "/api/auth/me").header("Cookie", &cookie).header(evil.0, evil.1).send().await;
            assert_eq!(me.status, 200, "{}", me.text);
            assert_eq!(me.header("x-csrf-token"), Some(csrf.as_str()));
            assert_eq!(me.header("cache-control"), Some("no-store"));

            let own = app.address.clone();
            assert_eq!(cookie_post(&app, &sync, &cookie, &[]).await.status, 200, "no Origin: not a browser");
            assert_eq!(cookie_post(&app, &sync, &cookie, &[("Origin", &own)]).await.status, 200, "same origin");
            let with_token = cookie_post(&app, &queued, &cookie, &[evil, ("X-CSRF-Token", &csrf)]).await;
            assert_eq!(with_token.status, 202, "{}", with_token.text);
            let out = cookie_post(&app, "/api/auth/logout", &cookie, &[("Sec-Fetch-Site", "cross-site"), ("X-CSRF-Token", &csrf)]).await;
            assert_eq!(out.status, 204, "{}", out.text);
        }

        async fn item_6_bearer_requests_are_not_affected(app: TestApp) {
            let (_, _, token, id) = signed_in(&app, "bearer-csrf@example.com").await;
            let reply = app
                .call("POST", &format!("/api/financial/connections/{id}"))
                .bearer(Some(&token))
                .header("Origin", "http://evil.example")
                .header("Sec-Fetch-Site", "cross-site")
                .json(&json!({}))
                .send()
                .await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            let other = app.register("bearer-csrf-2@example.com").await;
            let login = app.post_json("/api/auth/register", None, &json!({"email": "x@example.com", "password": PASSWORD})).await;
            assert!(login.json["csrfToken"].is_string(), "{}", login.text);
            let out = app.call("POST", "/api/auth/logout").bearer(Some(&other)).header("Origin", "http://evil.example").send().await;
            assert_eq!(out.status, 204, "{}", out.text);
        }
    }
}
