//! Where a connection's webhooks are sent (an absolute http(s) URL) and in which shape
//! (`WebhookFormat`). Loopback and private
//! addresses are allowed on purpose: in a sandbox the receiver usually runs on the same machine.

use std::fmt;

use crate::text_enum::text_enum;

text_enum!(
    /// The shape of a connection's webhooks (and of each stored event's body).
    WebhookFormat {
        /// Ours: `{id, type, createdAt, connectionId, data}`, signed with `Sandbank-Signature`.
        Sandbank => "sandbank",
        /// Plaid's: `{webhook_type, webhook_code, item_id, …}`, signed with a
        /// `Plaid-Verification` JWT (set for items of the Plaid API).
        Plaid => "plaid",
    }
);

/// The longest webhook URL accepted, in bytes.
pub const MAX_WEBHOOK_URL_BYTES: usize = 2048;

/// Why a webhook URL was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WebhookUrlError {
    /// Longer than [`MAX_WEBHOOK_URL_BYTES`].
    #[error("must be at most {MAX_WEBHOOK_URL_BYTES} bytes")]
    TooLong,
    /// Holds whitespace, NUL or another control character.
    #[error("must not contain whitespace or control characters")]
    BadCharacter,
    /// Not an absolute URL.
    #[error("must be an absolute URL")]
    NotAbsolute,
    /// A scheme other than http or https.
    #[error("must use http or https")]
    Scheme,
    /// No host name or address.
    #[error("must have a host")]
    NoHost,
    /// A user name or password before the host.
    #[error("must not contain a user name or password")]
    Userinfo,
    /// A `#fragment`, which is never sent to a server.
    #[error("must not contain a fragment (#…)")]
    Fragment,
}

/// A valid webhook URL, kept in the normalised form the `url` crate gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl(String);

impl WebhookUrl {
    /// `raw` as a webhook URL, or why it is not one.
    pub fn parse(raw: &str) -> Result<Self, WebhookUrlError> {
        if raw.len() > MAX_WEBHOOK_URL_BYTES {
            return Err(WebhookUrlError::TooLong);
        }
        if raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(WebhookUrlError::BadCharacter);
        }
        let url = match url::Url::parse(raw) {
            Ok(url) => url,
            Err(url::ParseError::EmptyHost) => return Err(WebhookUrlError::NoHost),
            Err(_) => return Err(WebhookUrlError::NotAbsolute),
        };
        if !matches!(url.scheme(), "http" | "https") {
            return Err(WebhookUrlError::Scheme);
        }
        // The parser forgives `http:host`, `http:///host` and backslashes; a webhook URL spells
        // its host out after exactly `//`.
        let after_scheme = raw.split_once(':').map_or("", |(_, rest)| rest);
        let authority = after_scheme.strip_prefix("//").unwrap_or("/");
        if authority.starts_with(['/', '\\']) || url.host_str().is_none_or(str::is_empty) {
            return Err(WebhookUrlError::NoHost);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(WebhookUrlError::Userinfo);
        }
        if url.fragment().is_some() {
            return Err(WebhookUrlError::Fragment);
        }
        let normalised = String::from(url);
        if normalised.len() > MAX_WEBHOOK_URL_BYTES {
            return Err(WebhookUrlError::TooLong);
        }
        Ok(Self(normalised))
    }

    /// The URL as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WebhookUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use WebhookUrlError::*;

    fn parse(raw: &str) -> Result<String, WebhookUrlError> {
        WebhookUrl::parse(raw).map(|u| u.to_string())
    }

    #[test]
    fn accepts_http_and_https_including_local_receivers() {
        assert_eq!(parse("https://example.com/hooks?x=1").as_deref(), Ok("https://example.com/hooks?x=1"));
        assert_eq!(parse("http://127.0.0.1:9/x").as_deref(), Ok("http://127.0.0.1:9/x"));
        assert_eq!(parse("http://localhost:8080").as_deref(), Ok("http://localhost:8080/"));
        assert_eq!(parse("http://10.0.0.5/h").as_deref(), Ok("http://10.0.0.5/h"));
        assert_eq!(parse("http://[::1]:3000/h").as_deref(), Ok("http://[::1]:3000/h"));
        assert_eq!(parse("HTTPS://Example.COM/A").as_deref(), Ok("https://example.com/A"));
    }

    #[test]
    fn refuses_other_schemes_and_relative_urls() {
        assert_eq!(parse("ftp://example.com/x"), Err(Scheme));
        assert_eq!(parse("javascript:alert(1)"), Err(Scheme));
        assert_eq!(parse("file:///etc/passwd"), Err(Scheme));
        assert_eq!(parse("mailto:a@example.com"), Err(Scheme));
        assert_eq!(parse("/hooks"), Err(NotAbsolute));
        assert_eq!(parse("example.com/hooks"), Err(NotAbsolute));
        assert_eq!(parse(""), Err(NotAbsolute));
    }

    #[test]
    fn refuses_missing_hosts_userinfo_and_fragments() {
        assert_eq!(parse("http://"), Err(NoHost));
        assert_eq!(parse("https://:443/x"), Err(NoHost));
        assert_eq!(parse("https:///no-host"), Err(NoHost));
        assert_eq!(parse("http:example.com"), Err(NoHost));
        assert_eq!(parse("http:/example.com"), Err(NoHost));
        assert_eq!(parse("http:\\\\example.com"), Err(NoHost));
        assert_eq!(parse("http://\\example.com"), Err(NoHost));
        assert_eq!(parse("http://user:pass@example.com/"), Err(Userinfo));
        assert_eq!(parse("http://user@example.com/"), Err(Userinfo));
        assert_eq!(parse("http://example.com/#top"), Err(Fragment));
        assert_eq!(parse("http://example.com/#"), Err(Fragment));
    }

    #[test]
    fn refuses_control_characters_whitespace_and_oversized_input() {
        assert_eq!(parse("http://example.com/\0"), Err(BadCharacter));
        assert_eq!(parse("http://example.com/a b"), Err(BadCharacter));
        assert_eq!(parse(" http://example.com/"), Err(BadCharacter));
        assert_eq!(parse("http://example.com/\n"), Err(BadCharacter));
        assert_eq!(parse("http://example.com/\u{7f}"), Err(BadCharacter));
        let base = "http://example.com/";
        let fits = format!("{base}{}", "a".repeat(MAX_WEBHOOK_URL_BYTES - base.len()));
        assert!(parse(&fits).is_ok());
        assert_eq!(parse(&format!("{fits}a")), Err(TooLong));
        assert_eq!(parse(&format!("{base}{}", "a".repeat(3000))), Err(TooLong));
        // Percent-encoding can lengthen a URL past the bound after parsing.
        assert_eq!(parse(&format!("{base}{}", "é".repeat(1000))), Err(TooLong));
    }
}
