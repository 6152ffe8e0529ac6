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

/// A raw HTTP/1.1 client: what awc will not send (huge URLs, endless chunked bodies).
mod raw {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    /// A response as read from the socket, and how long it took to arrive.
    pub struct RawReply {
        /// The status code.
        pub status: u16,
        /// The head, lower-cased.
        pub head: String,
        /// The body.
        pub body: String,
        /// From the first byte sent to the whole response read.
        pub elapsed: Duration,
    }

    fn parse(bytes: &[u8], elapsed: Duration) -> RawReply {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        RawReply { status, head: head.to_ascii_lowercase(), body: body.to_owned(), elapsed }
    }

    /// Whether `bytes` hold a whole response (its head and `content-length` bytes of body).
    fn complete(bytes: &[u8]) -> bool {
        let text = String::from_utf8_lossy(bytes);
        let Some((head, body)) = text.split_once("\r\n\r\n") else { return false };
        let length = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
            .and_then(|v| v.parse::<usize>().ok());
        length.is_some_and(|n| body.len() >= n)
    }

    /// Sends `head` (and then `body_chunks`, from another thread) to `address`, and reads one
    /// response (or until the server closes, or 30 s).
    pub fn exchange(address: &str, head: String, body_chunks: Vec<Vec<u8>>) -> RawReply {
        let address = address.trim_start_matches("http://").to_owned();
        let mut stream = TcpStream::connect(&address).expect("connects");
        stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        let mut writer = stream.try_clone().expect("clone");
        let started = Instant::now();
        std::thread::spawn(move || {
            let _ = writer.write_all(head.as_bytes());
            for chunk in body_chunks {
                if writer.write_all(&chunk).is_err() {
                    return;
                }
            }
        });
        let mut received = Vec::new();
        let mut buffer = [0_u8; 16 * 1024];
        while !complete(&received) {
            match stream.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
        parse(&received, started.elapsed())
    }

    /// A chunked body of `total` bytes in chunks of `size` (without the last, empty chunk).
    pub fn chunks(total: usize, size: usize) -> Vec<Vec<u8>> {
        (0..total / size)
            .map(|_| [format!("{size:x}\r\n").into_bytes(), vec![b'a'; size], b"\r\n".to_vec()].concat())
            .collect()
    }
}

mod item_7_http_edges {
    use super::raw::{chunks, exchange};
    use super::*;

    async fn raw(app: &TestApp, head: String, body: Vec<Vec<u8>>) -> super::raw::RawReply {
        let address = app.address.clone();
        actix_web::rt::task::spawn_blocking(move || exchange(&address, head, body)).await.expect("client thread")
    }

    /// Asserts a raw reply is the contract's JSON error with `status` and `code`.
    fn assert_raw_error(reply: &super::raw::RawReply, status: u16, code: &str) {
        assert_eq!(reply.status, status, "{}\n{}", reply.head, reply.body);
        assert!(reply.head.contains("content-type: application/json"), "{}", reply.head);
        let json: serde_json::Value = serde_json::from_str(&reply.body).expect("a JSON body");
        assert_eq!(json["error"]["code"], code, "{}", reply.body);
        let id = reply.head.split("x-request-id: ").nth(1).and_then(|v| v.lines().next()).expect("x-request-id");
        assert_eq!(json["error"]["requestId"].as_str().map(str::to_ascii_lowercase), Some(id.to_owned()));
    }

    on_both_backends! {
        async fn item_7_a_long_url_is_a_json_414_and_a_huge_head_a_json_431(app: TestApp) {
            for length in [10 * 1024, 100 * 1024, 140 * 1024] {
                let head = format!("GET /api/financial/providers?q={} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(length));
                let reply = raw(&app, head, Vec::new()).await;
                assert_raw_error(&reply, 414, "uri_too_long");
            }
            let headers: String = (0..70).map(|i| format!("X-Filler-{i}: {}\r\n", "b".repeat(2000))).collect();
            let reply = raw(&app, format!("GET /healthz HTTP/1.1\r\nHost: x\r\n{headers}\r\n"), Vec::new()).await;
            assert_raw_error(&reply, 431, "headers_too_large");
            let reply = raw(&app, "GET /he llo HTTP/1.1\r\nHost: x\r\n\r\n".to_owned(), Vec::new()).await;
            assert_raw_error(&reply, 400, "malformed_request");
            // The server keeps serving.
            assert_eq!(app.get("/healthz", None).await.status, 200);
        }

        async fn item_7_a_head_that_never_ends_is_a_json_408(app: TestApp) {
            let reply = raw(&app, "GET /healthz HTTP/1.1\r\nHost: x\r\n".to_owned(), Vec::new()).await;
            assert_raw_error(&reply, 408, "request_timeout");
        }

        async fn item_7_an_unread_chunked_body_gets_a_prompt_answer(app: TestApp) {
            for path in ["/api/auth/logout", "/healthz", "/nowhere"] {
                let head = format!("POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n");
                let reply = raw(&app, head, chunks(10 * 1024 * 1024, 64 * 1024)).await;
                assert!(reply.elapsed < std::time::Duration::from_secs(2), "{path}: {:?}", reply.elapsed);
                assert!(reply.status >= 400 && reply.body.contains("\"error\""), "{path}: {} {}", reply.head, reply.body);
            }
        }
    }
}

mod item_7_http_corners {
    use super::*;

    on_both_backends! {
        async fn item_7_head_answers_every_get_route_with_its_headers_and_no_body(app: TestApp) {
            let token = app.register("head@example.com").await;
            for path in ["/healthz", "/readyz", "/api/financial/providers", "/api/auth/me", "/", "/login", "/static/sandbank.css", "/favicon.ico", "/swagger-ui/", "/api-docs/openapi.json", "/api/financial/connections"] {
                let get = app.call("GET", path).bearer(Some(&token)).send().await;
                let head = app.call("HEAD", path).bearer(Some(&token)).send().await;
                assert_eq!(get.status, 200, "{path}: {}", get.text);
                assert_eq!(head.status, get.status, "{path}");
                assert_eq!(head.text, "", "{path}");
                for name in ["content-type", "content-length", "cache-control", "x-frame-options", "content-security-policy"] {
                    assert_eq!(head.header(name), get.header(name), "{path}: {name}");
                }
            }
            let anonymous = app.call("HEAD", "/api/auth/me").send().await;
            assert_eq!((anonymous.status, anonymous.text.as_str()), (401, ""));
            assert_eq!(app.call("HEAD", "/nowhere").send().await.status, 404);
        }

        async fn item_7_swagger_ui_redirects_to_its_slash_and_forbids_framing(app: TestApp) {
            let bare = app.get("/swagger-ui", None).await;
            assert_eq!(bare.status, 308, "{}", bare.text);
            assert_eq!(bare.header("location"), Some("/swagger-ui/"));
            for path in ["/swagger-ui/", "/swagger-ui/swagger-initializer.js", "/swagger-ui/swagger-ui.css"] {
                let page = app.get(path, None).await;
                assert_eq!(page.status, 200, "{path}");
                assert_eq!(page.header("x-frame-options"), Some("DENY"), "{path}");
                let csp = page.header("content-security-policy").expect("a CSP");
                assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{csp}");
                assert!(!csp.contains("http") && !csp.contains("unsafe-eval") && !csp.contains('*'), "nothing remote: {csp}");
            }
        }

        async fn item_7_a_browser_gets_an_html_404_and_an_api_client_json(app: TestApp) {
            let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
            let page = app.call("GET", "/no/such/page").header("Accept", browser).send().await;
            assert_eq!(page.status, 404);
            assert!(page.header("content-type").is_some_and(|c| c.starts_with("text/html")), "{:?}", page.headers);
            assert!(page.text.contains("Not found") && page.text.contains("<html"), "{}", page.text);
            assert_eq!(page.header("x-frame-options"), Some("DENY"));
            app.get("/no/such/page", None).await.assert_error(404, "not_found");
            app.call("GET", "/api/no/such").header("Accept", browser).send().await.assert_error(404, "not_found");
            // A method a resource does not take is JSON too (actix left it empty).
            app.call("DELETE", "/login").send().await.assert_error(405, "method_not_allowed");
        }

        async fn item_7_swagger_ui_still_works_under_its_csp_in_a_browser(app: TestApp) {
            use fantoccini::Locator;
            let Some(driver) = crate::browser::start_driver() else { return };
            let (browser, profile) = crate::browser::open_browser(&driver).await;
            browser.goto(&format!("{}/swagger-ui", app.address)).await.expect("swagger UI");
            let wait = browser.wait().at_most(std::time::Duration::from_secs(20));
            wait.for_element(Locator::Css(".opblock-tag")).await.expect("the scripts ran and fetched the spec");
            assert!(browser.current_url().await.expect("url").path() == "/swagger-ui/", "redirected to the slash");
            let html = browser.source().await.expect("html");
            assert!(html.contains("operationId") || html.contains("/api/auth/login"), "the operations are listed");
            let styled: bool = browser
                .execute("return getComputedStyle(document.querySelector('.opblock-tag')).display !== 'inline'", vec![])
                .await
                .expect("script")
                .as_bool()
                .unwrap_or(false);
            assert!(styled, "swagger-ui.css applies");
            browser.close().await.expect("closed");
            let _ = std::fs::remove_dir_all(profile);
        }

        async fn item_7_the_favicon_is_served_and_linked(app: TestApp) {
            let icon = app.get("/favicon.ico", None).await;
            assert_eq!(icon.status, 200);
            assert_eq!(icon.header("content-type"), Some("image/svg+xml"));
            assert!(icon.header("cache-control").is_some_and(|c| c.contains("max-age=")), "{:?}", icon.headers);
            assert!(icon.text.starts_with("<svg"), "{}", icon.text);
            let page = app.get("/login", None).await;
            assert!(page.text.contains(r#"<link rel="icon" type="image/svg+xml" href="/favicon.ico">"#), "{}", page.text);
        }

        async fn item_7_session_responses_are_not_stored(app: TestApp) {
            let body = json!({"email": "store@example.com", "password": PASSWORD});
            let registered = app.post_json("/api/auth/register", None, &body).await;
            assert_eq!(registered.header("cache-control"), Some("no-store"), "register");
            let login = app.post_json("/api/auth/login", None, &body).await;
            assert_eq!(login.header("cache-control"), Some("no-store"), "login");
            let token = login.json["token"].as_str().expect("token");
            let me = app.get("/api/auth/me", Some(token)).await;
            assert_eq!(me.header("cache-control"), Some("no-store"), "me");
            let out = app.call("POST", "/api/auth/logout").bearer(Some(token)).send().await;
            assert_eq!(out.header("cache-control"), Some("no-store"), "logout");

            let page = app.get("/login", None).await;
            assert_eq!(page.header("cache-control"), Some("no-store"), "login page");
            let form = format!(
                "csrf={}&email=store%40example.com&password={}&next=%2Fdashboard",
                field_value(&page.text, "csrf"),
                form_encode(PASSWORD)
            );
            let signed_in = app
                .call("POST", "/login")
                .header("Cookie", &cookie_pair(&page, "sandbank_csrf"))
                .body("application/x-www-form-urlencoded", form.into_bytes())
                .send()
                .await;
            assert_eq!(signed_in.status, 303, "{}", signed_in.text);
            assert!(signed_in.header("set-cookie").is_some());
            assert_eq!(signed_in.header("cache-control"), Some("no-store"), "sign-in redirect");
        }
    }
}
