//! Whether a request comes from another origin — what a cookie-authenticated unsafe API call
//! must then prove with the CSRF token (`X-CSRF-Token`). "Same origin" is the request's own
//! `scheme://host[:port]`, the host taken from the `Host` header.

use actix_web::HttpRequest;
use actix_web::http::{Method, header};

/// The header a JSON client sends its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The purpose the API's CSRF tokens are issued for (see `CsrfTokens`).
pub const API_CSRF_PURPOSE: &str = "api";

/// Where a request says it comes from, as far as CSRF is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// A safe method, our own origin, or a client that sends neither `Origin` nor
    /// `Sec-Fetch-Site` (not a browser).
    Trusted,
    /// An unsafe request from another origin, with the CSRF token it carries, if any.
    CrossOrigin {
        /// The `X-CSRF-Token` header.
        token: Option<String>,
    },
}

impl Provenance {
    /// The provenance of `req`.
    pub fn of(req: &HttpRequest) -> Self {
        if is_safe(req.method()) || !is_cross_origin(req) {
            return Self::Trusted;
        }
        let token = header_text(req, CSRF_HEADER).map(str::to_owned);
        Self::CrossOrigin { token }
    }
}

fn is_safe(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::OPTIONS, Method::TRACE].contains(method)
}

fn header_text<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers().get(name).map(|v| v.to_str().unwrap_or("\u{fffd}"))
}

fn is_cross_origin(req: &HttpRequest) -> bool {
    if header_text(req, "sec-fetch-site").is_some_and(|site| site.eq_ignore_ascii_case("cross-site")) {
        return true;
    }
    let Some(origin) = header_text(req, header::ORIGIN.as_str()) else { return false };
    let host = header_text(req, header::HOST.as_str()).unwrap_or_default();
    !same_origin(origin, req.connection_info().scheme(), host)
}

/// Whether `origin` (as a browser sends it) is `scheme://host`, default ports aside.
fn same_origin(origin: &str, scheme: &str, host: &str) -> bool {
    let Some((origin_scheme, origin_host)) = origin.split_once("://") else { return false };
    origin_scheme.eq_ignore_ascii_case(scheme)
        && !host.is_empty()
        && without_default_port(origin_host, scheme).eq_ignore_ascii_case(without_default_port(host, scheme))
}

fn without_default_port<'a>(host: &'a str, scheme: &str) -> &'a str {
    let default = if scheme.eq_ignore_ascii_case("https") { ":443" } else { ":80" };
    host.strip_suffix(default).unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn provenance(method: Method, headers: &[(&str, &str)]) -> Provenance {
        let mut request = TestRequest::default().method(method).insert_header(("host", "127.0.0.1:8080"));
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        Provenance::of(&request.to_http_request())
    }

    #[test]
    fn same_origin_compares_scheme_host_and_port() {
        assert!(same_origin("http://127.0.0.1:8080", "http", "127.0.0.1:8080"));
        assert!(same_origin("http://Sandbank.test", "http", "sandbank.test:80"));
        assert!(same_origin("https://sandbank.test", "https", "sandbank.test:443"));
        assert!(!same_origin("https://127.0.0.1:8080", "http", "127.0.0.1:8080"));
        assert!(!same_origin("http://127.0.0.1:8081", "http", "127.0.0.1:8080"));
        assert!(!same_origin("http://evil.example", "http", "127.0.0.1:8080"));
        assert!(!same_origin("null", "http", "127.0.0.1:8080"));
        assert!(!same_origin("http://", "http", ""));
    }

    #[test]
    fn only_unsafe_requests_from_another_origin_are_cross_origin() {
        let evil = ("origin", "http://evil.example");
        assert_eq!(provenance(Method::POST, &[]), Provenance::Trusted);
        assert_eq!(provenance(Method::POST, &[("origin", "http://127.0.0.1:8080")]), Provenance::Trusted);
        assert_eq!(provenance(Method::GET, &[evil]), Provenance::Trusted);
        assert_eq!(provenance(Method::POST, &[evil]), Provenance::CrossOrigin { token: None });
        assert_eq!(
            provenance(Method::DELETE, &[evil, ("x-csrf-token", "ab")]),
            Provenance::CrossOrigin { token: Some("ab".into()) }
        );
        assert_eq!(
            provenance(Method::POST, &[("sec-fetch-site", "cross-site")]),
            Provenance::CrossOrigin { token: None }
        );
        assert_eq!(provenance(Method::POST, &[("sec-fetch-site", "same-origin")]), Provenance::Trusted);
    }
}
