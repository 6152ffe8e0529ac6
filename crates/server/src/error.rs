//! The one place where failures become HTTP: [`ApiError`] maps every service error and every
//! extractor error to a status and the contract's JSON body.

use std::collections::BTreeMap;

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use sandbank_domain::{ErrorCode, FieldErrors};
use sandbank_services::{ServiceError, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

/// The JSON body of every error response.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "error": {
        "code": "validation_failed",
        "message": "some fields are invalid",
        "fields": {"email": ["must be a valid e-mail address"]},
        "requestId": "3f0c2b9e-5d1a-4c7e-9b8a-2e6f1d4c3a5b"
    }
}))]
pub struct ErrorResponse {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong, for machines (`code`) and people (`message`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    /// Machine-readable reason, e.g. `validation_failed`, `not_found`, `conflict`.
    #[schema(value_type = crate::schemas::ErrorCode, example = "validation_failed")]
    pub code: ErrorCode,
    /// What happened, in plain words.
    #[schema(example = "some fields are invalid")]
    pub message: String,
    /// For validation errors: the problems with each field.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::schemas::FieldProblems>, nullable = false)]
    pub fields: Option<BTreeMap<String, Vec<String>>>,
    /// The request's `X-Request-Id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub request_id: Option<String>,
}

/// An error on its way to becoming a response.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{status}: {}", detail.message)]
pub struct ApiError {
    status: StatusCode,
    detail: ErrorDetail,
    retry_after_secs: Option<u64>,
}

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            detail: ErrorDetail { code, message: message.into(), fields: None, request_id: None },
            retry_after_secs: None,
        }
    }

    /// A 400 naming each bad field.
    pub fn validation(errors: &FieldErrors) -> Self {
        let mut error = Self::new(StatusCode::BAD_REQUEST, ErrorCode::ValidationFailed, "some fields are invalid");
        error.detail.fields = Some(errors.fields().clone());
        error
    }

    /// A 400 for a JSON body whose value at some path has the wrong type or is missing: the
    /// field is named by its path (`seed`, `items[0].amount`), by serde's message at the top
    /// (a missing field), or is `body` when the body is not an object at all.
    pub fn json_field(error: &serde_path_to_error::Error<serde_json::Error>) -> Self {
        use serde_path_to_error::Segment;
        let message = without_position(&error.inner().to_string()).to_owned();
        let field = match error.path().iter().next() {
            None => field_in_message(&message).unwrap_or("body").to_owned(),
            Some(Segment::Map { .. } | Segment::Enum { .. }) => error.path().to_string(),
            Some(Segment::Seq { .. } | Segment::Unknown) => "body".to_owned(),
        };
        Self::validation(&FieldErrors::single(field, message))
    }

    /// 401: no valid session.
    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, "authentication required")
    }

    /// 404 for a path nothing answers.
    pub fn route_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, "no such route")
    }

    /// An opaque 500 (the cause is logged, never sent).
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::InternalError, "something went wrong on our side")
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The machine-readable code.
    pub fn code(&self) -> ErrorCode {
        self.detail.code
    }

    /// The message, in plain words.
    pub fn message(&self) -> &str {
        &self.detail.message
    }

    /// The response, with the request id in the body when known.
    pub fn render(&self, request_id: Option<&str>) -> HttpResponse {
        let mut detail = self.detail.clone();
        detail.request_id = request_id.map(str::to_owned);
        let mut response = HttpResponse::build(self.status);
        if let Some(seconds) = self.retry_after_secs {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from(seconds)));
        }
        response.json(ErrorResponse { error: detail })
    }

    /// An error response that did not come from us (actix itself), given the contract's shape.
    pub fn from_foreign(status: StatusCode, message: String) -> Self {
        match status.as_u16() {
            404 => Self::route_not_found(),
            405 => Self::new(status, ErrorCode::MethodNotAllowed, "this route does not take that method"),
            413 => Self::new(status, ErrorCode::PayloadTooLarge, "the request body is too large"),
            400..=499 => Self::new(status, ErrorCode::BadRequest, message),
            _ => Self::internal(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        self.render(None)
    }
}

/// Failures decided at the HTTP edge, before any service runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeError {
    /// A cookie-authenticated unsafe request from another origin without the CSRF token.
    CsrfFailed,
    /// The request target is longer than the server reads.
    UriTooLong,
    /// The request's head (request line and headers) is larger than the server reads.
    HeadTooLarge,
    /// The request is not well-formed HTTP.
    MalformedRequest,
    /// The request's head did not arrive in time.
    RequestTimeout,
}

impl From<EdgeError> for ApiError {
    fn from(error: EdgeError) -> Self {
        use StatusCode as S;
        match error {
            EdgeError::CsrfFailed => Self::new(
                S::FORBIDDEN,
                ErrorCode::CsrfFailed,
                "a cookie-authenticated request from another origin needs the X-CSRF-Token header",
            ),
            EdgeError::UriTooLong => Self::new(S::URI_TOO_LONG, ErrorCode::UriTooLong, "the URL is too long"),
            EdgeError::HeadTooLarge => Self::new(
                S::REQUEST_HEADER_FIELDS_TOO_LARGE,
                ErrorCode::HeadersTooLarge,
                "the request's headers are too large",
            ),
            EdgeError::MalformedRequest => {
                Self::new(S::BAD_REQUEST, ErrorCode::MalformedRequest, "the request is not valid HTTP")
            }
            EdgeError::RequestTimeout => {
                Self::new(S::REQUEST_TIMEOUT, ErrorCode::RequestTimeout, "the request did not arrive in time")
            }
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        use StatusCode as S;
        match error {
            ServiceError::Validation(fields) => Self::validation(&fields),
            ServiceError::Unauthenticated => Self::unauthenticated(),
            ServiceError::InvalidCredentials => {
                Self::new(S::UNAUTHORIZED, ErrorCode::InvalidCredentials, "wrong e-mail or password")
            }
            ServiceError::Forbidden(what) => {
                Self::new(S::FORBIDDEN, ErrorCode::Forbidden, format!("this {what} belongs to another user"))
            }
            ServiceError::NotFound(what) => Self::new(S::NOT_FOUND, ErrorCode::NotFound, format!("{what} not found")),
            ServiceError::Conflict { code, message } => Self::new(S::CONFLICT, code, message),
            ServiceError::BadRequest { code, message } => Self::new(S::BAD_REQUEST, code, message),
            ServiceError::RateLimited { retry_after_secs } => {
                let mut error = Self::new(S::TOO_MANY_REQUESTS, ErrorCode::RateLimited, "too many requests; slow down");
                error.retry_after_secs = Some(retry_after_secs.max(1));
                error
            }
            ServiceError::ProviderUnavailable(message) => {
                let mut error = Self::new(S::SERVICE_UNAVAILABLE, ErrorCode::ProviderUnavailable, message);
                error.retry_after_secs = Some(5);
                error
            }
            ServiceError::Store(StoreError::NotFound) => Self::new(S::NOT_FOUND, ErrorCode::NotFound, "not found"),
            ServiceError::Store(StoreError::UniqueViolation(_)) => {
                Self::new(S::CONFLICT, ErrorCode::Conflict, "this already exists")
            }
            ServiceError::Store(StoreError::Unavailable(cause)) => {
                tracing::error!(%cause, "database unavailable");
                let mut error =
                    Self::new(S::SERVICE_UNAVAILABLE, ErrorCode::DatabaseUnavailable, "the database is unavailable");
                error.retry_after_secs = Some(1);
                error
            }
            other => {
                tracing::error!(error = %other, "request failed");
                Self::internal()
            }
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        tracing::error!("blocking thread pool is gone");
        Self::internal()
    }
}

/// Drops serde's " at line 1 column 7" suffix.
fn without_position(message: &str) -> &str {
    message.find(" at line ").map_or(message, |at| &message[..at])
}

/// The field named in a serde message such as "missing field `email`", if any.
fn field_in_message(message: &str) -> Option<&str> {
    let start = message.find("field `")? + "field `".len();
    let length = message[start..].find('`')?;
    Some(&message[start..start + length])
}

/// The largest JSON body the API reads.
pub const JSON_LIMIT_BYTES: usize = 64 * 1024;

/// How every route reads JSON bodies: the size limit and [`json_error`].
pub fn json_config() -> actix_web::web::JsonConfig {
    actix_web::web::JsonConfig::default().limit(JSON_LIMIT_BYTES).error_handler(json_error)
}

/// How every route reads path segments: [`path_error`].
pub fn path_config() -> actix_web::web::PathConfig {
    actix_web::web::PathConfig::default().error_handler(path_error)
}

/// How every route reads query strings: [`query_error`]. Query types take text and parse it
/// into domain types themselves, so that a bad value is named by its field; this catches the
/// rest.
pub fn query_config() -> actix_web::web::QueryConfig {
    actix_web::web::QueryConfig::default().error_handler(query_error)
}

/// How every page reads form posts: a small limit and the same JSON errors as the API.
pub fn form_config() -> actix_web::web::FormConfig {
    actix_web::web::FormConfig::default().limit(16 * 1024).error_handler(|error, _req| {
        let status = match error {
            actix_web::error::UrlencodedError::Overflow { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        };
        ApiError::from_foreign(status, format!("the form could not be read: {error}")).into()
    })
}

/// The error for a JSON body that could not be read.
fn json_error(error: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    use StatusCode as S;
    let api_error = match &error {
        JsonPayloadError::ContentType => ApiError::new(
            S::BAD_REQUEST,
            ErrorCode::UnsupportedContentType,
            "the body must be JSON, sent with Content-Type: application/json",
        ),
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            ApiError::new(S::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge, "the request body is too large")
        }
        JsonPayloadError::Deserialize(inner) if inner.is_data() => {
            let message = without_position(&inner.to_string()).to_owned();
            let field = field_in_message(&message).unwrap_or("body").to_owned();
            ApiError::validation(&FieldErrors::single(field, message))
        }
        JsonPayloadError::Deserialize(inner) => {
            ApiError::new(S::BAD_REQUEST, ErrorCode::MalformedJson, format!("the body is not valid JSON: {inner}"))
        }
        JsonPayloadError::Payload(actix_web::error::PayloadError::Overflow) => {
            ApiError::new(S::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge, "the request body is too large")
        }
        other => ApiError::new(S::BAD_REQUEST, ErrorCode::BadRequest, format!("the body could not be read: {other}")),
    };
    api_error.into()
}

/// The error for a path segment that does not parse (e.g. an id that is not a UUID).
fn path_error(error: PathError, req: &HttpRequest) -> actix_web::Error {
    let mut fields = FieldErrors::new();
    for (name, value) in req.match_info().iter() {
        if uuid::Uuid::parse_str(value).is_err() {
            fields.add(name, "must be a UUID");
        }
    }
    if fields.is_empty() {
        let PathError::Deserialize(inner) = &error else {
            return ApiError::internal().into();
        };
        fields.add("path", inner.to_string());
    }
    ApiError::validation(&fields).into()
}

/// The error for a query string that does not parse.
fn query_error(error: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let message = match &error {
        QueryPayloadError::Deserialize(inner) => inner.to_string(),
        other => other.to_string(),
    };
    let field = field_in_message(&message).unwrap_or("query").to_owned();
    ApiError::validation(&FieldErrors::single(field, message)).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::middleware::from_fn;
    use actix_web::test as actix_test;
    use actix_web::{App, web};

    #[derive(serde::Deserialize)]
    struct Page {
        #[allow(dead_code)]
        limit: Option<u32>,
    }

    #[actix_web::test]
    async fn extractor_errors_are_json_and_name_the_field() {
        let app = actix_test::init_service(
            App::new()
                .wrap(from_fn(crate::request_context::request_context))
                .app_data(json_config())
                .app_data(path_config())
                .app_data(query_config())
                .route(
                    "/things/{thingId}",
                    web::get().to(|_: web::Path<uuid::Uuid>, _: web::Query<Page>| async { "ok" }),
                ),
        )
        .await;
        let request = actix_test::TestRequest::get().uri("/things/not-a-uuid").to_request();
        let body: serde_json::Value = actix_test::call_and_read_body_json(&app, request).await;
        assert_eq!(body["error"]["code"], "validation_failed");
        assert_eq!(body["error"]["fields"]["thingId"][0], "must be a UUID");
        assert!(body["error"]["requestId"].is_string());

        let uri = format!("/things/{}?limit=abc", uuid::Uuid::new_v4());
        let response = actix_test::call_service(&app, actix_test::TestRequest::get().uri(&uri).to_request()).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body: serde_json::Value = actix_test::read_body_json(response).await;
        assert_eq!(body["error"]["code"], "validation_failed");
        assert!(body["error"]["fields"]["query"].is_array());
    }

    #[test]
    fn finds_the_field_in_serde_messages() {
        assert_eq!(field_in_message("missing field `email`"), Some("email"));
        assert_eq!(field_in_message("invalid type: integer `5`, expected a string"), None);
        assert_eq!(without_position("missing field `email` at line 1 column 2"), "missing field `email`");
    }

    #[test]
    fn maps_edge_errors_to_statuses_and_codes() {
        let cases = [
            (EdgeError::CsrfFailed, 403, ErrorCode::CsrfFailed),
            (EdgeError::UriTooLong, 414, ErrorCode::UriTooLong),
            (EdgeError::HeadTooLarge, 431, ErrorCode::HeadersTooLarge),
            (EdgeError::MalformedRequest, 400, ErrorCode::MalformedRequest),
            (EdgeError::RequestTimeout, 408, ErrorCode::RequestTimeout),
        ];
        for (error, status, code) in cases {
            let error = ApiError::from(error);
            assert_eq!((error.status().as_u16(), error.code()), (status, code));
        }
    }

    #[test]
    fn maps_service_errors_to_statuses() {
        let cases = [
            (ServiceError::Unauthenticated, 401),
            (ServiceError::InvalidCredentials, 401),
            (ServiceError::Forbidden("connection"), 403),
            (ServiceError::NotFound("connection"), 404),
            (ServiceError::Conflict { code: ErrorCode::EmailTaken, message: String::new() }, 409),
            (ServiceError::RateLimited { retry_after_secs: 3 }, 429),
            (ServiceError::ProviderUnavailable(String::new()), 503),
            (ServiceError::Store(StoreError::Unavailable(String::new())), 503),
            (ServiceError::Internal("boom".into()), 500),
        ];
        for (error, status) in cases {
            assert_eq!(ApiError::from(error).status().as_u16(), status);
        }
        let response = ApiError::from(ServiceError::RateLimited { retry_after_secs: 3 }).render(Some("r1"));
        assert_eq!(response.headers().get(header::RETRY_AFTER).map(|v| v.as_bytes()), Some(&b"3"[..]));
    }
}
