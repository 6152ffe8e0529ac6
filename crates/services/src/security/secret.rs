//! The server secret and the keys derived from it (HKDF-SHA256, one label per use).

use ring::hkdf;
use ring::rand::{SecureRandom, SystemRandom};

use crate::error::ServiceError;

/// The server secret (`SANDBANK_SECRET`). Its `Debug` never shows it.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Secret {
    /// The fewest characters a configured secret may have.
    pub const MIN_CHARS: usize = 32;

    /// A configured secret; refused when shorter than [`Secret::MIN_CHARS`].
    pub fn from_config(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.chars().count() < Self::MIN_CHARS {
            return Err(format!("SANDBANK_SECRET must be at least {} characters", Self::MIN_CHARS));
        }
        Ok(Self(text.as_bytes().to_vec()))
    }

    /// A new random secret as 64 hex characters.
    pub fn generate_text() -> Result<String, ServiceError> {
        let mut bytes = [0u8; 32];
        SystemRandom::new().fill(&mut bytes).map_err(|_| ServiceError::Internal("no system randomness".into()))?;
        Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Derives the keys for every use of the secret.
    pub fn keys(&self) -> Result<Keys, ServiceError> {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, b"sandbank/v1").extract(&self.0);
        let derive = |label: &[u8]| -> Result<[u8; 32], ServiceError> {
            let mut key = [0u8; 32];
            let labels = [label];
            prk.expand(&labels, hkdf::HKDF_SHA256)
                .and_then(|okm| okm.fill(&mut key))
                .map_err(|_| ServiceError::Internal("key derivation failed".into()))?;
            Ok(key)
        };
        Ok(Keys {
            session_signing: derive(b"session-jwt")?,
            token_sealing: derive(b"provider-token-aes-gcm")?,
            form_signing: derive(b"csrf-hmac")?,
            cursor_signing: derive(b"listing-cursor-hmac")?,
            webhook_secret_sealing: derive(b"webhook-secret-aes-gcm")?,
            item_token_signing: derive(b"item-token-hmac")?,
            webhook_jwt_signing: derive(b"webhook-jwt-es256")?,
        })
    }
}

/// Keys derived from the [`Secret`]; each use has its own.
#[derive(Clone)]
pub struct Keys {
    /// HMAC key for session tokens (JWT, HS256).
    pub session_signing: [u8; 32],
    /// AES-256-GCM key for provider access tokens at rest.
    pub token_sealing: [u8; 32],
    /// HMAC key for CSRF tokens of HTML forms.
    pub form_signing: [u8; 32],
    /// HMAC key for listing cursors, so a client cannot forge one (or its `total`).
    pub cursor_signing: [u8; 32],
    /// AES-256-GCM key for users' webhook signing secrets at rest.
    pub webhook_secret_sealing: [u8; 32],
    /// HMAC key for the Plaid API's public and access tokens.
    pub item_token_signing: [u8; 32],
    /// Seed of the P-256 key that signs Plaid-format webhooks (`Plaid-Verification`, ES256).
    pub webhook_jwt_signing: [u8; 32],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_distinct_stable_keys() {
        let secret = Secret::from_config(&"s".repeat(40)).expect("long enough");
        let a = secret.keys().expect("keys");
        let b = secret.keys().expect("keys");
        assert_eq!(a.session_signing, b.session_signing);
        assert_ne!(a.session_signing, a.token_sealing);
        assert_ne!(a.form_signing, a.cursor_signing);
        assert_ne!(a.token_sealing, a.webhook_secret_sealing);
        let other = Secret::from_config(&"t".repeat(40)).expect("long enough").keys().expect("keys");
        assert_ne!(a.session_signing, other.session_signing);
        assert!(Secret::from_config("short").is_err());
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert_eq!(Secret::generate_text().expect("random").len(), 64);
    }
}
