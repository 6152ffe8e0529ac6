//! Hardening at the HTTP edges (issue #11, items 2, 6 and 7): redirects that stay on this
//! site, CSRF on cookie-authenticated API calls, and the HTTP corners (long URLs, unread
//! bodies, HEAD, Swagger UI, HTML 404, favicon, caching of session responses).

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
