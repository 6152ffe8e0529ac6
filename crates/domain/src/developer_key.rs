//! Developer API keys: what the Plaid-compatible API takes as `client_id` / `secret`. A key acts
//! as the user who made it; its secret is shown once and only its hash is kept.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::validation::{TextError, text};

/// Why a client id was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClientIdError {
    /// Not [`ClientId::LEN`] characters long.
    #[error("must be {} characters", ClientId::LEN)]
    Length,
    /// A character other than `0-9` and `a-f`.
    #[error("must be lowercase hexadecimal")]
    NotHex,
}

/// A key's public id: 24 lowercase hexadecimal characters, as Plaid's client ids look.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientId(String);

impl ClientId {
    /// The number of characters of a client id (12 random bytes in hex).
    pub const LEN: usize = 24;

    /// `raw` as a client id, or why it is not one.
    pub fn parse(raw: &str) -> Result<Self, ClientIdError> {
        if raw.len() != Self::LEN {
            return Err(ClientIdError::Length);
        }
        if !raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(ClientIdError::NotHex);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The client id of `bytes` (12 random bytes): their lowercase hex.
    pub fn from_bytes(bytes: [u8; 12]) -> Self {
        Self(lower_hex(&bytes))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A key's optional label: trimmed, at most 64 characters; blank means no label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyName(String);

impl KeyName {
    /// The most characters a label may have.
    pub const MAX_CHARS: usize = 64;

    /// The label in `raw`, `None` when it is blank, or why it was refused.
    pub fn parse(raw: &str) -> Result<Option<Self>, TextError> {
        let name = text(raw.trim(), Self::MAX_CHARS)?;
        Ok((!name.is_empty()).then(|| Self(name.to_owned())))
    }

    /// The label.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A key's secret in plain text: exists only between its creation and the answer that shows it
/// once. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct KeySecret(String);

impl fmt::Debug for KeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeySecret(***)")
    }
}

impl KeySecret {
    /// The number of random bytes in a secret.
    pub const BYTES: usize = 32;

    /// The secret of `bytes`: their lowercase hex (64 characters).
    pub fn from_bytes(bytes: [u8; Self::BYTES]) -> Self {
        Self(lower_hex(&bytes))
    }

    /// The secret, to show once.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A developer key as its owner sees it: never its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeveloperKey {
    /// The public id.
    pub client_id: ClientId,
    /// The owner's label, if any.
    pub name: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last authenticated a request (to the minute), if ever.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked; a revoked key authenticates nothing.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl DeveloperKey {
    /// Whether the key still authenticates.
    pub fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }
}

fn lower_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_id_is_24_lowercase_hex_characters() {
        let id = ClientId::parse("0123456789abcdef01234567").expect("valid");
        assert_eq!(id.as_str(), "0123456789abcdef01234567");
        assert_eq!(ClientId::parse("0123456789abcdef0123456"), Err(ClientIdError::Length));
        assert_eq!(ClientId::parse("0123456789abcdef012345678"), Err(ClientIdError::Length));
        assert_eq!(ClientId::parse(""), Err(ClientIdError::Length));
        assert_eq!(ClientId::parse("0123456789ABCDEF01234567"), Err(ClientIdError::NotHex));
        assert_eq!(ClientId::parse("0123456789abcdef0123456g"), Err(ClientIdError::NotHex));
        // 24 bytes, but not 24 ASCII characters.
        assert_eq!(ClientId::parse("éééééééééééé"), Err(ClientIdError::NotHex));
    }

    #[test]
    fn made_ids_and_secrets_parse_and_are_hex() {
        let id = ClientId::from_bytes([0xab; 12]);
        assert_eq!(ClientId::parse(id.as_str()), Ok(id.clone()));
        let secret = KeySecret::from_bytes([0x0f; 32]);
        assert_eq!(secret.expose().len(), 64);
        assert!(secret.expose().bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }

    #[test]
    fn a_secret_never_shows_in_debug() {
        let secret = KeySecret::from_bytes([0x5a; 32]);
        assert_eq!(format!("{secret:?}"), "KeySecret(***)");
        assert!(!format!("{:?}", Some(&secret)).contains("5a5a"));
    }

    #[test]
    fn a_name_is_trimmed_bounded_and_optional() {
        assert_eq!(KeyName::parse("  ci  ").expect("valid").map(|n| n.0), Some("ci".to_owned()));
        assert_eq!(KeyName::parse("   "), Ok(None));
        assert!(KeyName::parse(&"n".repeat(64)).expect("64 is the limit").is_some());
        assert_eq!(KeyName::parse(&"n".repeat(65)), Err(TextError::TooLong(64)));
        assert_eq!(KeyName::parse("a\0b"), Err(TextError::Nul));
    }
}
