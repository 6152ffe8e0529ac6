//! The middleware every request passes: it gives the request an id (echoing a sane
//! `X-Request-Id` from the client), logs one line per request, puts the id on the response and
//! into any error body, and turns every error — ours or actix's — into the contract's JSON (but
//! a page's [`PageError`] keeps the HTML page or redirect it rendered).

use std::time::Instant;

use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

use crate::error::ApiError;
use crate::pages::PageError;
use crate::plaid::error::PlaidError;

/// The request's id, kept in the request's extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The header carrying the request id.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// A client-sent id is echoed only when it is short and printable.
fn acceptable(id: &str) -> bool {
    !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_graphic())
}

/// The error as an [`ApiError`], whether it was one or came from actix.
fn as_api_error(error: &actix_web::Error) -> ApiError {
    error.as_error::<ApiError>().cloned().unwrap_or_else(|| {
        let status = error.as_response_error().status_code();
        ApiError::from_foreign(status, error.to_string())
    })
}

/// The middleware; see the module docs.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let request_id = req
        .headers()
        .get(&REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|id| acceptable(id))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let method = req.method().clone();
    let path = logged_path(req.path());
    let started = Instant::now();

    // Handlers' and extractors' errors arrive as responses that remember their error; an `Err`
    // here (only from inner middleware) is rendered by actix from the same `ApiError`.
    let mut response =
        next.call(req).await.map_err(|error| actix_web::Error::from(as_api_error(&error)))?.map_into_boxed_body();

    // A page's error has rendered its own HTML page or redirect; the Plaid API's errors are
    // Plaid's object, with the request id; every other error gets our JSON.
    if let Some(error) = response.response().error() {
        if let Some(plaid) = error.as_error::<PlaidError>() {
            let rendered = plaid.render(&request_id);
            response = response.into_response(rendered);
        } else if error.as_error::<PageError>().is_none() {
            let rendered = as_api_error(error).render(Some(&request_id));
            response = response.into_response(rendered);
        }
    }

    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }

    let status = response.status().as_u16();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::error!(%request_id, %method, %path, status, elapsed_ms, "request failed");
    } else {
        tracing::info!(%request_id, %method, %path, status, elapsed_ms, "request");
    }
    Ok(response)
}

/// The path as the access log shows it: a hosted Link page's path holds its link token, the
/// page's credential, so only its prefix is logged.
fn logged_path(path: &str) -> String {
    match path.strip_prefix("/link/link-sandbox-") {
        Some(rest) => format!("/link/link-sandbox-{}…", rest.get(..8).unwrap_or(rest)),
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_tokens_path_is_logged_without_the_token() {
        let token = "link-sandbox-0123abcd-0000-4000-8000-000000000000";
        assert_eq!(logged_path(&format!("/link/{token}/institution")), "/link/link-sandbox-0123abcd…");
        assert_eq!(logged_path("/link/link-sandbox-x"), "/link/link-sandbox-x…");
        assert_eq!(logged_path("/api/financial/accounts"), "/api/financial/accounts");
    }

    #[actix_web::test]
    async fn a_page_error_keeps_its_html_page_and_other_errors_become_json() {
        use actix_web::http::{StatusCode, header};
        use actix_web::middleware::from_fn;
        use actix_web::{App, HttpResponse, test, web};
        use sandbank_services::ServiceError;

        async fn missing_page() -> Result<HttpResponse, PageError> {
            Err(ServiceError::NotFound("account").into())
        }
        async fn signed_out() -> Result<HttpResponse, PageError> {
            Err(PageError::SignIn("/dashboard".into()))
        }
        async fn missing_api() -> Result<HttpResponse, ApiError> {
            Err(ServiceError::NotFound("account").into())
        }
        let app = test::init_service(
            App::new()
                .route("/page", web::get().to(missing_page))
                .route("/signed-out", web::get().to(signed_out))
                .route("/api", web::get().to(missing_api))
                .wrap(from_fn(request_context)),
        )
        .await;
        let header_of = |response: &ServiceResponse, name| {
            response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
        };

        let page = test::call_service(&app, test::TestRequest::get().uri("/page").to_request()).await;
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
        assert_eq!(header_of(&page, header::CONTENT_TYPE).as_deref(), Some("text/html; charset=utf-8"));
        assert!(header_of(&page, REQUEST_ID_HEADER).is_some());
        let body = test::read_body(page).await;
        assert!(String::from_utf8_lossy(&body).contains("It may have been deleted."));

        let redirect = test::call_service(&app, test::TestRequest::get().uri("/signed-out").to_request()).await;
        assert_eq!(redirect.status(), StatusCode::SEE_OTHER);
        assert_eq!(header_of(&redirect, header::LOCATION).as_deref(), Some("/login?next=/dashboard"));

        let api = test::call_service(&app, test::TestRequest::get().uri("/api").to_request()).await;
        assert_eq!(api.status(), StatusCode::NOT_FOUND);
        assert_eq!(header_of(&api, header::CONTENT_TYPE).as_deref(), Some("application/json"));
    }

    #[test]
    fn accepts_only_sane_client_ids() {
        assert!(acceptable("abc-123"));
        assert!(!acceptable(""));
        assert!(!acceptable("has space"));
        assert!(!acceptable(&"x".repeat(129)));
    }
}
