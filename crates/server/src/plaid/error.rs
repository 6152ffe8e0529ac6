//! Plaid's error object, `{error_type, error_code, error_message, display_message, request_id}`,
//! with Plaid's HTTP statuses: the one way errors leave the Plaid API.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

/// Plaid's error types (the closed set the SDKs know).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlaidErrorType {
    /// The request is malformed.
    InvalidRequest,
    /// A value in the request is not acceptable (keys, tokens).
    InvalidInput,
    /// The institution cannot be reached.
    InstitutionError,
    /// The item needs the user's attention.
    ItemError,
    /// Too many requests.
    RateLimitExceeded,
    /// Ours.
    ApiError,
}

/// The error codes this API answers with: a closed set, each with its type and status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaidErrorCode {
    /// No such endpoint.
    NotFound,
    /// The body is not a JSON object.
    InvalidBody,
    /// A field the endpoint does not take.
    UnknownFields,
    /// A required field is missing.
    MissingFields,
    /// A field has a wrong type or value.
    InvalidField,
    /// The client id and secret do not name an active key.
    InvalidApiKeys,
    /// The access token is not one of this client's.
    InvalidAccessToken,
    /// The public token is unknown, used or expired.
    InvalidPublicToken,
    /// The link token is unknown or expired.
    InvalidLinkToken,
    /// No such institution.
    InvalidInstitution,
    /// The bank refused the login.
    InvalidCredentials,
    /// The item's login must be repaired.
    ItemLoginRequired,
    /// The bank locked the user's account.
    ItemLocked,
    /// The item is gone.
    ItemNotFound,
    /// The sandbox cannot fire a webhook: the item has none.
    SandboxWebhookInvalid,
    /// The institution is down.
    InstitutionDown,
    /// Too many requests.
    RateLimit,
    /// Something failed on our side.
    InternalServerError,
}

impl PlaidErrorCode {
    /// The code as Plaid writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotFound => "NOT_FOUND",
            Self::InvalidBody => "INVALID_BODY",
            Self::UnknownFields => "UNKNOWN_FIELDS",
            Self::MissingFields => "MISSING_FIELDS",
            Self::InvalidField => "INVALID_FIELD",
            Self::InvalidApiKeys => "INVALID_API_KEYS",
            Self::InvalidAccessToken => "INVALID_ACCESS_TOKEN",
            Self::InvalidPublicToken => "INVALID_PUBLIC_TOKEN",
            Self::InvalidLinkToken => "INVALID_LINK_TOKEN",
            Self::InvalidInstitution => "INVALID_INSTITUTION",
            Self::InvalidCredentials => "INVALID_CREDENTIALS",
            Self::ItemLocked => "ITEM_LOCKED",
            Self::ItemLoginRequired => "ITEM_LOGIN_REQUIRED",
            Self::ItemNotFound => "ITEM_NOT_FOUND",
            Self::SandboxWebhookInvalid => "SANDBOX_WEBHOOK_INVALID",
            Self::InstitutionDown => "INSTITUTION_DOWN",
            Self::RateLimit => "RATE_LIMIT",
            Self::InternalServerError => "INTERNAL_SERVER_ERROR",
        }
    }

    /// Its type.
    pub fn error_type(self) -> PlaidErrorType {
        match self {
            Self::NotFound | Self::InvalidBody | Self::UnknownFields | Self::MissingFields | Self::InvalidField => {
                PlaidErrorType::InvalidRequest
            }
            Self::InvalidApiKeys
            | Self::InvalidAccessToken
            | Self::InvalidPublicToken
            | Self::InvalidLinkToken
            | Self::InvalidInstitution
            | Self::SandboxWebhookInvalid => PlaidErrorType::InvalidInput,
            Self::InvalidCredentials | Self::ItemLoginRequired | Self::ItemNotFound | Self::ItemLocked => {
                PlaidErrorType::ItemError
            }
            Self::InstitutionDown => PlaidErrorType::InstitutionError,
            Self::RateLimit => PlaidErrorType::RateLimitExceeded,
            Self::InternalServerError => PlaidErrorType::ApiError,
        }
    }

    /// The HTTP status Plaid answers it with.
    pub fn status(self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::RateLimit => StatusCode::TOO_MANY_REQUESTS,
            Self::InternalServerError => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// An error of the Plaid API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", code.as_str())]
pub struct PlaidError {
    /// What went wrong.
    pub code: PlaidErrorCode,
    /// For the developer.
    pub message: String,
}

/// The body Plaid sends.
#[derive(Debug, Serialize)]
struct PlaidErrorBody<'a> {
    error_type: PlaidErrorType,
    error_code: &'static str,
    error_message: &'a str,
    display_message: Option<&'a str>,
    request_id: &'a str,
    status: u16,
}

impl PlaidError {
    /// An error with `code` and `message`.
    pub fn new(code: PlaidErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }

    /// The response, with the request's id.
    pub fn render(&self, request_id: &str) -> HttpResponse {
        let status = self.code.status();
        HttpResponse::build(status).json(PlaidErrorBody {
            error_type: self.code.error_type(),
            error_code: self.code.as_str(),
            error_message: &self.message,
            display_message: None,
            request_id,
            status: status.as_u16(),
        })
    }
}

impl ResponseError for PlaidError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.render("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_carry_plaids_type_and_status() {
        let keys = PlaidErrorCode::InvalidApiKeys;
        assert_eq!(
            (keys.as_str(), keys.error_type(), keys.status()),
            ("INVALID_API_KEYS", PlaidErrorType::InvalidInput, StatusCode::BAD_REQUEST)
        );
        assert_eq!(PlaidErrorCode::ItemLoginRequired.error_type(), PlaidErrorType::ItemError);
        assert_eq!(PlaidErrorCode::NotFound.status(), StatusCode::NOT_FOUND);
        let body = serde_json::to_value(PlaidErrorType::RateLimitExceeded).expect("json");
        assert_eq!(body, "RATE_LIMIT_EXCEEDED");
    }
}
