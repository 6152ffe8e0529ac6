//! Server-rendered pages (askama). Every asset is served by the binary; every page works
//! without JavaScript and carries headers that forbid framing. Each page module registers its
//! routes beside its handlers; handlers return `Result<HttpResponse, PageError>`, so a service
//! failure or a visitor who is not signed in leaves with `?`.

pub mod account;
pub mod auth;
pub mod charts;
pub mod consent;
pub mod dashboard;
pub mod developer_keys;
pub mod error;
pub mod link;
pub mod local_path;
pub mod scenarios;
pub mod site;
pub mod transactions;
pub mod view;

pub use error::PageError;

use actix_web::dev::Payload;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use askama::Template;
use sandbank_services::{Caller, ServiceError};

use crate::authenticated::SESSION_COOKIE;
use crate::state::AppState;

/// Registers every page, the site's own files and its 404, each module its own routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    site::routes(cfg);
    auth::routes(cfg);
    dashboard::routes(cfg);
    developer_keys::routes(cfg);
    account::routes(cfg);
    transactions::routes(cfg);
    consent::routes(cfg);
    link::routes(cfg);
    scenarios::routes(cfg);
    cfg.default_service(web::to(site::not_found));
}

/// The content security policy of every page: nothing from elsewhere, no framing.
pub(crate) const CSP: &str =
    "default-src 'self'; img-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A rendered page with its status and the security headers.
pub fn html(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(body) => HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((header::X_FRAME_OPTIONS, "DENY"))
            .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .insert_header((header::REFERRER_POLICY, "same-origin"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(body),
        Err(error) => {
            tracing::error!(%error, "page failed to render");
            HttpResponse::InternalServerError().finish()
        }
    }
}

/// A short page that says what happened and where to go next.
#[derive(Debug, Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    /// The navigation (anonymous on message pages).
    pub nav: view::Nav,
    /// The heading.
    pub title: String,
    /// The explanation.
    pub message: String,
    /// Where to go next.
    pub link_href: String,
    /// The link's words.
    pub link_text: String,
}

impl MessagePage {
    /// A message page linking back to the dashboard.
    pub fn to_dashboard(title: &str, message: impl Into<String>) -> Self {
        Self {
            nav: view::Nav::default(),
            title: title.to_owned(),
            message: message.into(),
            link_href: "/dashboard".into(),
            link_text: "Back to the dashboard".into(),
        }
    }
}

/// Runs a service call on a blocking thread (a gone thread pool is an internal error).
pub async fn block_service<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ServiceError> + Send + 'static,
) -> Result<T, ServiceError> {
    web::block(work).await.unwrap_or_else(|_| Err(ServiceError::Internal("the blocking thread pool is gone".into())))
}

/// Runs a service call on a blocking thread; a failure becomes its error page.
pub async fn run_service<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ServiceError> + Send + 'static,
) -> Result<T, PageError> {
    Ok(block_service(work).await?)
}

/// The caller of a signed-in form: signed in, and the form's CSRF token theirs. Otherwise the
/// sign-in page, or back to the dashboard.
pub fn form_caller(state: &AppState, visitor: Visitor, csrf: &str) -> Result<Caller, PageError> {
    let caller = visitor.signed_in("/dashboard")?;
    if !state.csrf.verify(caller.session_id, view::FORM_PURPOSE, csrf) {
        return Err(PageError::Redirect("/dashboard".into()));
    }
    Ok(caller)
}

/// Sends a visitor who is not signed in to the sign-in page, coming back to `next` after.
pub fn to_login(next: &str) -> HttpResponse {
    see_other(&format!("/login?next={}", url_encode(next)))
}

/// A 303 to `location`, never stored (it may carry a session cookie).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_owned()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The signed-in visitor of a page, if any (from the session cookie); pages redirect the others.
pub struct Visitor(pub Option<Caller>);

impl Visitor {
    /// The signed-in caller, or the sign-in page coming back to `next`.
    pub fn signed_in(self, next: &str) -> Result<Caller, PageError> {
        self.0.ok_or_else(|| PageError::SignIn(next.to_owned()))
    }
}

impl FromRequest for Visitor {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let (Some(token), Some(state)) = (token, state) else { return Ok(Visitor(None)) };
            let caller = crate::authenticated::caller_of(&state, &token).await?;
            Ok(Visitor(caller.ok()))
        })
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::StatusCode;
    use actix_web::{App, test};

    /// Every page route is registered by `configure` (a route that is missing falls through to the
    /// 404 page, or is a 405 when its path is there without its method).
    #[actix_web::test]
    async fn configure_registers_every_page_route_beside_its_handlers() {
        let app = test::init_service(App::new().configure(super::configure)).await;
        let id = "00000000-0000-4000-8000-000000000000";
        let routes = [
            ("GET", "/swagger-ui".to_owned()),
            ("GET", "/favicon.ico".to_owned()),
            ("GET", "/static/sandbank.css".to_owned()),
            ("GET", "/".to_owned()),
            ("GET", "/signup".to_owned()),
            ("POST", "/signup".to_owned()),
            ("GET", "/login".to_owned()),
            ("POST", "/login".to_owned()),
            ("POST", "/logout".to_owned()),
            ("GET", "/dashboard".to_owned()),
            ("POST", "/dashboard/connections".to_owned()),
            ("POST", format!("/dashboard/connections/{id}/sync")),
            ("GET", format!("/dashboard/connections/{id}/disconnect")),
            ("POST", format!("/dashboard/connections/{id}/disconnect")),
            ("POST", "/dashboard/developer-keys".to_owned()),
            ("POST", "/dashboard/developer-keys/0123456789abcdef01234567/revoke".to_owned()),
            ("GET", format!("/accounts/{id}")),
            ("GET", "/transactions".to_owned()),
            ("GET", format!("/financial/authorize/{id}")),
            ("POST", format!("/financial/authorize/{id}")),
            ("GET", "/scenarios".to_owned()),
            ("POST", "/scenarios".to_owned()),
            ("POST", format!("/scenarios/{id}/delete")),
            ("GET", "/link/link-sandbox-x".to_owned()),
            ("POST", "/link/link-sandbox-x".to_owned()),
            ("POST", "/link/link-sandbox-x/institution".to_owned()),
        ];
        for (method, path) in routes {
            let method = method.parse().unwrap_or_default();
            let request = test::TestRequest::default().method(method).uri(&path).to_request();
            let status = test::call_service(&app, request).await.status();
            assert!(![StatusCode::NOT_FOUND, StatusCode::METHOD_NOT_ALLOWED].contains(&status), "{path}: {status}");
        }
        let nowhere = test::TestRequest::get().uri("/nowhere").insert_header(("accept", "text/html")).to_request();
        assert_eq!(test::call_service(&app, nowhere).await.status(), StatusCode::NOT_FOUND);
    }
}
