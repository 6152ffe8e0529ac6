//! Signed listing cursors: a cursor leaves the server as `payload.signature` (HMAC-SHA256 with a
//! key of its own), so a client can neither forge one nor edit what it says (such as `total`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::hmac;

/// Signs cursors and checks them.
#[derive(Clone)]
pub struct CursorSeal {
    key: hmac::Key,
}

impl std::fmt::Debug for CursorSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorSeal(***)")
    }
}

impl CursorSeal {
    /// Cursors signed with `key` (see [`crate::Keys::cursor_signing`]).
    pub fn new(key: &[u8; 32]) -> Self {
        Self { key: hmac::Key::new(hmac::HMAC_SHA256, key) }
    }

    /// `payload` (which holds no `.`) with its signature appended.
    pub fn seal(&self, payload: &str) -> String {
        let tag = hmac::sign(&self.key, payload.as_bytes());
        format!("{payload}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
    }

    /// The payload of a cursor this server sealed; `None` when the signature is missing or does
    /// not match (checked in constant time).
    pub fn open<'a>(&self, sealed: &'a str) -> Option<&'a str> {
        let (payload, tag) = sealed.rsplit_once('.')?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        hmac::verify(&self.key, payload.as_bytes(), &tag).ok()?;
        Some(payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_only_what_it_sealed() {
        let seal = CursorSeal::new(&[7; 32]);
        let sealed = seal.seal("MXxkMjAyNi0wNS0wMXw");
        assert_eq!(seal.open(&sealed), Some("MXxkMjAyNi0wNS0wMXw"));
        assert_eq!(seal.open("MXxkMjAyNi0wNS0wMXw"), None, "unsigned");
        assert_eq!(CursorSeal::new(&[8; 32]).open(&sealed), None, "another key");
        let edited = sealed.replacen("MXxk", "MXxl", 1);
        assert_eq!(seal.open(&edited), None, "edited payload");
        assert_eq!(seal.open(&format!("{sealed}A")), None, "longer signature");
        assert_eq!(seal.open(""), None);
    }
}
