//! CSRF tokens for HTML forms: an HMAC of the session and the form's purpose, so a token is
//! good only for that signed-in session and that form, and needs no server-side storage.

use ring::hmac;
use sandbank_domain::SessionId;

/// Makes and checks form tokens.
#[derive(Clone)]
pub struct CsrfTokens {
    key: hmac::Key,
}

impl std::fmt::Debug for CsrfTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsrfTokens(***)")
    }
}

impl CsrfTokens {
    /// Tokens signed with `key`.
    pub fn new(key: &[u8; 32]) -> Self {
        Self { key: hmac::Key::new(hmac::HMAC_SHA256, key) }
    }

    fn message(session: SessionId, purpose: &str) -> Vec<u8> {
        format!("{session}\n{purpose}").into_bytes()
    }

    /// The token for `purpose` (e.g. `consent:<connection id>`) in `session`.
    pub fn issue(&self, session: SessionId, purpose: &str) -> String {
        let tag = hmac::sign(&self.key, &Self::message(session, purpose));
        tag.as_ref().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether `token` was issued for `purpose` in `session` (compared in constant time).
    pub fn verify(&self, session: SessionId, purpose: &str, token: &str) -> bool {
        let Some(tag) = decode_hex(token) else { return false };
        hmac::verify(&self.key, &Self::message(session, purpose), &tag).is_ok()
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_bind_session_and_purpose() {
        let tokens = CsrfTokens::new(&[3; 32]);
        let session = SessionId::new();
        let token = tokens.issue(session, "consent:a");
        assert!(tokens.verify(session, "consent:a", &token));
        assert!(!tokens.verify(session, "consent:b", &token));
        assert!(!tokens.verify(SessionId::new(), "consent:a", &token));
        assert!(!tokens.verify(session, "consent:a", "zz"));
        assert!(!tokens.verify(session, "consent:a", ""));
    }
}
