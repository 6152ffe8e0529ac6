//! [`ErrorCode`]: every machine-readable reason an error of the API can give, in one closed set.

use crate::text_enum::text_enum;

text_enum!(
    /// Why a request failed, for machines: the `code` of every error body the API renders.
    ErrorCode {
        /// Some fields are invalid (named in `fields`).
        ValidationFailed => "validation_failed",
        /// The request was refused for another reason at the HTTP level.
        BadRequest => "bad_request",
        /// The body is not valid JSON.
        MalformedJson => "malformed_json",
        /// The body is not sent as `application/json`.
        UnsupportedContentType => "unsupported_content_type",
        /// The request is not well-formed HTTP.
        MalformedRequest => "malformed_request",
        /// No valid session came with the request.
        Unauthenticated => "unauthenticated",
        /// The e-mail and password (or the bank credentials) do not match.
        InvalidCredentials => "invalid_credentials",
        /// The bank user needs a one-time code.
        MfaRequired => "mfa_required",
        /// The one-time code is wrong.
        InvalidMfaCode => "invalid_mfa_code",
        /// The bank locked the user's account.
        AccountLocked => "account_locked",
        /// The resource belongs to another user.
        Forbidden => "forbidden",
        /// A cookie-authenticated request from another origin without the CSRF token.
        CsrfFailed => "csrf_failed",
        /// No such resource or route.
        NotFound => "not_found",
        /// The route does not take that method.
        MethodNotAllowed => "method_not_allowed",
        /// The request's head did not arrive in time.
        RequestTimeout => "request_timeout",
        /// The resource already exists.
        Conflict => "conflict",
        /// The e-mail is already registered.
        EmailTaken => "email_taken",
        /// The connection is already connected.
        ConnectionAlreadyConnected => "connection_already_connected",
        /// The connection has not been authorized yet.
        ConnectionNotAuthorized => "connection_not_authorized",
        /// The connection is not connected.
        ConnectionNotConnected => "connection_not_connected",
        /// The connection's access token expired; authorize again.
        ConnectionExpired => "connection_expired",
        /// The connection was disconnected.
        ConnectionDisconnected => "connection_disconnected",
        /// Another sync of the connection is running.
        SyncInProgress => "sync_in_progress",
        /// The change-feed cursor is older than the retention.
        CursorExpired => "cursor_expired",
        /// The connection has no webhook URL.
        WebhookUrlMissing => "webhook_url_missing",
        /// Plaid has no webhook for this event.
        NoPlaidWebhook => "no_plaid_webhook",
        /// The delivery cannot be retried in its status.
        DeliveryNotRetryable => "delivery_not_retryable",
        /// A rotation of the webhook secret raced another.
        RotationConflict => "rotation_conflict",
        /// The Link session updates an item; no bank is picked.
        LinkUpdateMode => "link_update_mode",
        /// The Link session has no bank picked yet.
        LinkNoInstitution => "link_no_institution",
        /// The Link session has finished.
        LinkSessionFinished => "link_session_finished",
        /// The link token has expired.
        LinkTokenExpired => "link_token_expired",
        /// Another bank was picked in the Link session meanwhile.
        LinkItemChanged => "link_item_changed",
        /// The user already has demo data.
        DemoExists => "demo_exists",
        /// The user has as many active developer keys as allowed.
        TooManyKeys => "too_many_keys",
        /// The user has as many saved scenarios as allowed.
        TooManyScenarios => "too_many_scenarios",
        /// The body is too large.
        PayloadTooLarge => "payload_too_large",
        /// The URL is too long.
        UriTooLong => "uri_too_long",
        /// The request's headers are too large.
        HeadersTooLarge => "headers_too_large",
        /// Too many requests; retry after `Retry-After` seconds.
        RateLimited => "rate_limited",
        /// Something went wrong on our side (the cause is logged).
        InternalError => "internal_error",
        /// The (simulated) provider does not answer; retry later.
        ProviderUnavailable => "provider_unavailable",
        /// The database is unavailable; retry later.
        DatabaseUnavailable => "database_unavailable",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_reads_back_from_its_text() {
        for code in ErrorCode::ALL {
            assert_eq!(code.as_str().parse::<ErrorCode>(), Ok(*code));
        }
        let mut texts = ErrorCode::TEXTS.to_vec();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), ErrorCode::ALL.len(), "no two codes share a text");
        assert!("sync_in_progress ".parse::<ErrorCode>().is_err());
    }
}
