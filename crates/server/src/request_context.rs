//! The middleware every request passes: it gives the request an id (echoing a sane
//! `X-Request-Id` from the client), logs one line per request, puts the id on the response and
//! into any error body, and turns every error — ours or actix's — into the contract's JSON.

use std::time::Instant;

use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

use crate::error::ApiError;

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
    let path = req.path().to_owned();
    let started = Instant::now();

    // Handlers' and extractors' errors arrive as responses that remember their error; an `Err`
    // here (only from inner middleware) is rendered by actix from the same `ApiError`.
    let mut response =
        next.call(req).await.map_err(|error| actix_web::Error::from(as_api_error(&error)))?.map_into_boxed_body();

    if let Some(error) = response.response().error() {
        let rendered = as_api_error(error).render(Some(&request_id));
        response = response.into_response(rendered);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_sane_client_ids() {
        assert!(acceptable("abc-123"));
        assert!(!acceptable(""));
        assert!(!acceptable("has space"));
        assert!(!acceptable(&"x".repeat(129)));
    }
}
