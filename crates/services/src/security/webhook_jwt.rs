//! The `Plaid-Verification` JWT of Plaid-format webhooks: ES256 over the claims
//! `{iat, request_body_sha256}` with the header `{alg: "ES256", kid, typ: "JWT"}`, as Plaid signs
//! its webhooks. The P-256 key is derived from the server secret (so it survives restarts and is
//! the same in every process); its public half is published as a JWK by
//! `/plaid/webhook_verification_key/get`.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::SecretKey;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::EncodePrivateKey;
use ring::digest::{SHA256, digest};
use serde::Serialize;

use crate::error::ServiceError;

/// The header that carries the JWT.
pub const VERIFICATION_HEADER: &str = "Plaid-Verification";
/// The `created_at` the JWK reports (2026-12-02T00:00:00Z): the key is derived, not created at
/// a moment, so it is a fixed date rather than the process's start.
pub const KEY_CREATED_AT: i64 = 1_796_169_600;

/// The public half of the signing key, as `/webhook_verification_key/get` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookJwk {
    /// Its id: the first 16 hex digits of the SHA-256 of the uncompressed public point.
    pub kid: String,
    /// The point's x coordinate, base64url without padding.
    pub x: String,
    /// The point's y coordinate, base64url without padding.
    pub y: String,
    /// When it was created (unix seconds): [`KEY_CREATED_AT`].
    pub created_at: i64,
}

/// Signs Plaid-format webhook bodies. Cheap to clone.
#[derive(Clone)]
pub struct WebhookJwt {
    key: Arc<EncodingKey>,
    jwk: WebhookJwk,
}

impl std::fmt::Debug for WebhookJwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookJwt").field("kid", &self.jwk.kid).finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct Claims<'a> {
    iat: i64,
    request_body_sha256: &'a str,
}

impl WebhookJwt {
    /// The signer whose P-256 secret scalar comes from `seed` (hashed again with SHA-256 until it
    /// is a valid scalar: in `[1, n)`, which the first try is but for a chance of about 2⁻¹²⁸).
    pub fn new(seed: &[u8; 32]) -> Result<Self, ServiceError> {
        let mut candidate = *seed;
        let secret = loop {
            if let Ok(secret) = SecretKey::from_bytes(&candidate.into()) {
                break secret;
            }
            let next = digest(&SHA256, &candidate);
            candidate.copy_from_slice(next.as_ref());
        };
        let der = secret.to_pkcs8_der().map_err(|e| ServiceError::Internal(format!("webhook key: {e}")))?;
        let point = secret.public_key().to_encoded_point(false);
        let (Some(x), Some(y)) = (point.x(), point.y()) else {
            return Err(ServiceError::Internal("webhook key: the public point is the identity".into()));
        };
        let kid = hex(&digest(&SHA256, point.as_bytes()).as_ref()[..8]);
        let jwk =
            WebhookJwk { kid, x: URL_SAFE_NO_PAD.encode(x), y: URL_SAFE_NO_PAD.encode(y), created_at: KEY_CREATED_AT };
        Ok(Self { key: Arc::new(EncodingKey::from_ec_der(der.as_bytes())), jwk })
    }

    /// The public key as a JWK.
    pub const fn jwk(&self) -> &WebhookJwk {
        &self.jwk
    }

    /// The `Plaid-Verification` value for `body` sent at `iat` (unix seconds).
    pub fn sign(&self, body: &[u8], iat: i64) -> Result<String, ServiceError> {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(self.jwk.kid.clone());
        header.typ = Some("JWT".into());
        let body_sha256 = hex(digest(&SHA256, body).as_ref());
        let claims = Claims { iat, request_body_sha256: &body_sha256 };
        jsonwebtoken::encode(&header, &claims, &self.key)
            .map_err(|e| ServiceError::Internal(format!("webhook jwt: {e}")))
    }
}

/// Lowercase hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use jsonwebtoken::{DecodingKey, Validation, decode, decode_header};
    use serde_json::Value;

    use super::*;

    #[test]
    fn signs_a_jwt_its_jwk_verifies() {
        let jwt = WebhookJwt::new(&[7u8; 32]).expect("key");
        let body = br#"{"webhook_type":"TRANSACTIONS"}"#;
        let token = jwt.sign(body, 1_800_000_000).expect("signed");
        let header = decode_header(&token).expect("header");
        assert_eq!(header.alg, Algorithm::ES256);
        assert_eq!(header.kid.as_deref(), Some(jwt.jwk().kid.as_str()));
        assert_eq!(header.typ.as_deref(), Some("JWT"));
        let key = DecodingKey::from_ec_components(&jwt.jwk().x, &jwt.jwk().y).expect("jwk");
        let mut validation = Validation::new(Algorithm::ES256);
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        let claims = decode::<Value>(&token, &key, &validation).expect("verified").claims;
        assert_eq!(claims["iat"], 1_800_000_000);
        assert_eq!(claims["request_body_sha256"], hex(digest(&SHA256, body).as_ref()));
        assert_eq!(claims.as_object().map(serde_json::Map::len), Some(2));
        let other = WebhookJwt::new(&[8u8; 32]).expect("key");
        let wrong = DecodingKey::from_ec_components(&other.jwk().x, &other.jwk().y).expect("jwk");
        assert!(decode::<Value>(&token, &wrong, &validation).is_err());
    }

    #[test]
    fn the_key_is_stable_and_its_coordinates_are_base64url() {
        let a = WebhookJwt::new(&[1u8; 32]).expect("key");
        let b = WebhookJwt::new(&[1u8; 32]).expect("key");
        assert_eq!(a.jwk(), b.jwk());
        assert_eq!(a.jwk().kid.len(), 16);
        assert!(a.jwk().kid.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        for coordinate in [&a.jwk().x, &a.jwk().y] {
            assert_eq!(URL_SAFE_NO_PAD.decode(coordinate).expect("base64url").len(), 32);
        }
        assert_eq!(
            hex(digest(&SHA256, b"").as_ref()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn an_out_of_range_seed_is_derived_again() {
        let zero = WebhookJwt::new(&[0u8; 32]).expect("zero is not a scalar; its hash is");
        let max = WebhookJwt::new(&[0xff; 32]).expect("above the order; its hash is not");
        assert_ne!(zero.jwk(), max.jwk());
    }
}
