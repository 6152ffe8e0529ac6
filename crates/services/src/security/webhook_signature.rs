//! Webhook signatures: `Sandbank-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>[,v1=…]`, the
//! HMAC keyed with the secret string's UTF-8 bytes over `"<t>.<raw body>"`, one `v1` per secret
//! in force (the current one first, then the previous one during its grace period).

use ring::hmac;

/// The name of the header that carries the signature.
pub const SIGNATURE_HEADER: &str = "Sandbank-Signature";

/// Why a signature header did not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The header has no `t=` or no `v1=`, or `t` is not a number.
    #[error("malformed signature header")]
    Malformed,
    /// `t` is further from now than the tolerance allows.
    #[error("signature timestamp outside the tolerance")]
    Stale,
    /// No `v1=` matches the body signed with the secret.
    #[error("no signature matches")]
    Mismatch,
}

/// The lowercase hex HMAC-SHA256 of `"<t>.<body>"` under `secret`.
pub fn signature(secret: &str, t: i64, body: &[u8]) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    let mut context = hmac::Context::with_key(&key);
    context.update(t.to_string().as_bytes());
    context.update(b".");
    context.update(body);
    hex(context.sign().as_ref())
}

/// The header value for `body` sent at `t`, signed with each of `secrets` in order.
pub fn header_value<S: AsRef<str>>(secrets: &[S], t: i64, body: &[u8]) -> String {
    let mut value = format!("t={t}");
    for secret in secrets {
        value.push_str(",v1=");
        value.push_str(&signature(secret.as_ref(), t, body));
    }
    value
}

/// What a receiver does: checks that `header` signs `body` with `secret` and that its time is
/// within `tolerance_secs` of `now` (unix seconds).
pub fn verify(header: &str, body: &[u8], secret: &str, now: i64, tolerance_secs: i64) -> Result<(), SignatureError> {
    let mut t = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => t = Some(value.parse::<i64>().map_err(|_| SignatureError::Malformed)?),
            Some(("v1", value)) => candidates.push(value),
            _ => {}
        }
    }
    let t = t.ok_or(SignatureError::Malformed)?;
    if candidates.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - t).abs() > tolerance_secs {
        return Err(SignatureError::Stale);
    }
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    let message = [t.to_string().as_bytes(), b".", body].concat();
    let matches = candidates.iter().filter_map(|c| unhex(c)).any(|tag| hmac::verify(&key, &message, &tag).is_ok());
    if matches { Ok(()) } else { Err(SignatureError::Mismatch) }
}

/// Lowercase or uppercase hex to bytes; `None` when it is not hex.
fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"id":"evt_1","type":"connection.test"}"#;

    #[test]
    fn signs_t_dot_body_with_the_secret_string_as_key() {
        // The message is exactly "<t>.<body>", and the key the secret's UTF-8 bytes.
        let joined = [b"1700000000.".as_slice(), BODY].concat();
        let key = hmac::Key::new(hmac::HMAC_SHA256, b"whsec_abc");
        assert_eq!(signature("whsec_abc", 1_700_000_000, BODY), hex(hmac::sign(&key, &joined).as_ref()));
        // ring's HMAC-SHA256 against the published vector (RFC 2104 style example).
        let vector =
            hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, b"key"), b"The quick brown fox jumps over the lazy dog");
        assert_eq!(hex(vector.as_ref()), "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }

    #[test]
    fn the_header_carries_one_v1_per_secret_in_order() {
        let value = header_value(&["whsec_new", "whsec_old"], 1_700_000_000, BODY);
        let expected = format!(
            "t=1700000000,v1={},v1={}",
            signature("whsec_new", 1_700_000_000, BODY),
            signature("whsec_old", 1_700_000_000, BODY)
        );
        assert_eq!(value, expected);
        assert!(
            value
                .split(",v1=")
                .skip(1)
                .all(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
        );
    }

    #[test]
    fn verify_accepts_either_secret_in_force_and_refuses_the_rest() {
        let value = header_value(&["whsec_new", "whsec_old"], 1_700_000_000, BODY);
        assert_eq!(verify(&value, BODY, "whsec_new", 1_700_000_010, 300), Ok(()));
        assert_eq!(verify(&value, BODY, "whsec_old", 1_700_000_010, 300), Ok(()));
        assert_eq!(verify(&value, BODY, "whsec_other", 1_700_000_010, 300), Err(SignatureError::Mismatch));
        assert_eq!(verify(&value, b"{}", "whsec_new", 1_700_000_010, 300), Err(SignatureError::Mismatch));
        assert_eq!(verify(&value, BODY, "whsec_new", 1_700_000_400, 300), Err(SignatureError::Stale));
        assert_eq!(verify("v1=abc", BODY, "whsec_new", 0, 300), Err(SignatureError::Malformed));
        assert_eq!(verify("t=x,v1=abc", BODY, "whsec_new", 0, 300), Err(SignatureError::Malformed));
        assert_eq!(verify("t=1,v1=zz", BODY, "whsec_new", 1, 300), Err(SignatureError::Mismatch));
        assert_eq!(verify("t=5", BODY, "whsec_new", 5, 300), Err(SignatureError::Malformed));
    }
}
