//! The HTTP corners. The middleware every request passes before routing: `HEAD` answered as
//! `GET` (the connection sends the headers and no body), over-long URLs refused with a JSON 414,
//! Swagger UI's security headers, and error responses that actix leaves empty given the JSON
//! body. Below it, [`connection`] turns the answers actix's codec makes itself (a URL or head
//! too large to parse) into the same JSON errors; [`serve`] runs the server over it.

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;

use crate::error::{ApiError, EdgeError};

pub mod connection;
pub mod server;

pub use server::serve;

/// The longest request target (path and query) the routes see.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Swagger UI's own policy: its scripts and styles from here, the inline styles its bundle sets,
/// its `data:` icons; nothing remote, no framing.
const SWAGGER_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; \
form-action 'self'";

/// The middleware; see the module docs. It sits inside `request_context`, which gives the
/// errors it returns their request id.
pub async fn http_edges(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.uri().path_and_query().map_or(0, |p| p.as_str().len()) > MAX_URI_BYTES {
        return Ok(req.error_response(ApiError::from(EdgeError::UriTooLong)));
    }
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    let swagger = req.path().starts_with("/swagger-ui/");
    let mut response = next.call(req).await?.map_into_boxed_body();
    if swagger {
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_SECURITY_POLICY, header::HeaderValue::from_static(SWAGGER_CSP));
        headers.insert(header::X_FRAME_OPTIONS, header::HeaderValue::from_static("DENY"));
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, header::HeaderValue::from_static("nosniff"));
    }
    Ok(with_error_body(response))
}

/// An error status that actix answered with no body (a resource's 405, say) gets the JSON body.
fn with_error_body(response: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let status = response.status();
    let empty = matches!(response.response().body().size(), BodySize::None | BodySize::Sized(0));
    if !(status.is_client_error() || status.is_server_error()) || !empty || response.response().error().is_some() {
        return response;
    }
    let error = ApiError::from_foreign(status, status.canonical_reason().unwrap_or("error").to_owned());
    response.error_response(error)
}
