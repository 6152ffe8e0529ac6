//! [`PageError`]: why a page handler stops early, and what the browser gets instead — a
//! redirect (to the sign-in page or elsewhere) or an HTML message page. Handlers return
//! `Result<HttpResponse, PageError>`, so `?` works on service calls.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use sandbank_services::ServiceError;

use crate::error::ApiError;
use crate::pages::{MessagePage, html, see_other, to_login};

/// What a page shows instead of itself.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The visitor is not signed in: the sign-in page, coming back to this path after.
    #[error("not signed in (back to {0})")]
    SignIn(String),
    /// A 303 elsewhere, e.g. a stale form back to the dashboard.
    #[error("redirected to {0}")]
    Redirect(String),
    /// A message page with this status (a service's refusal in plain words, say).
    #[error("{status}: {}", page.title)]
    Message {
        /// The status of the answer.
        status: StatusCode,
        /// What the page says (boxed: it is large beside the other variants).
        page: Box<MessagePage>,
    },
}

impl PageError {
    /// A message page with `status`.
    pub fn message(status: StatusCode, page: MessagePage) -> Self {
        Self::Message { status, page: Box::new(page) }
    }
}

/// The page for a service error, in plain words (5xx causes are logged, never shown).
impl From<ServiceError> for PageError {
    fn from(error: ServiceError) -> Self {
        let error = ApiError::from(error);
        let status = error.status();
        let (title, message) = match status.as_u16() {
            403 => ("Not yours", "This belongs to another user.".to_owned()),
            404 => ("Not found", "There is nothing here. It may have been deleted.".to_owned()),
            409 => ("Not possible now", error.message().to_owned()),
            503 => ("Try again later", error.message().to_owned()),
            400 => ("Something is off", error.message().to_owned()),
            _ => ("Something went wrong", "Something went wrong on our side. Please try again.".to_owned()),
        };
        Self::message(status, MessagePage::to_dashboard(title, message))
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::SignIn(_) | Self::Redirect(_) => StatusCode::SEE_OTHER,
            Self::Message { status, .. } => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::SignIn(next) => to_login(next),
            Self::Redirect(location) => see_other(location),
            Self::Message { status, page } => html(*status, page.as_ref()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;
    use actix_web::http::header;

    fn body_of(response: HttpResponse) -> String {
        let bytes = response.into_body().try_into_bytes().unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[test]
    fn page_error_sign_in_redirects_to_login_coming_back() {
        let error = PageError::SignIn("/accounts/a b".into());
        assert_eq!(error.status_code(), StatusCode::SEE_OTHER);
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok());
        assert_eq!(location, Some("/login?next=/accounts/a%20b"));
        assert_eq!(response.headers().get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("no-store"));
    }

    #[test]
    fn page_error_from_a_service_error_is_its_html_page() {
        let error = PageError::from(ServiceError::NotFound("account"));
        assert_eq!(error.status_code(), StatusCode::NOT_FOUND);
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let kind = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        assert_eq!(kind, Some("text/html; charset=utf-8"));
        assert_eq!(response.headers().get(header::X_FRAME_OPTIONS).and_then(|v| v.to_str().ok()), Some("DENY"));
        let body = body_of(response);
        assert!(body.contains("Not found") && body.contains("It may have been deleted."), "{body}");
        assert!(body.contains("Back to the dashboard"), "{body}");
    }

    #[test]
    fn page_error_hides_the_cause_of_an_internal_error() {
        let error = PageError::from(ServiceError::Internal("secret cause".into()));
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = body_of(response);
        assert!(body.contains("Something went wrong on our side.") && !body.contains("secret cause"), "{body}");
    }

    #[test]
    fn page_error_redirect_is_a_303() {
        let response = PageError::Redirect("/dashboard".into()).error_response();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok());
        assert_eq!(location, Some("/dashboard"));
    }
}
