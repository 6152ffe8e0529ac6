//! The tokens through which an API client (a developer key) reaches one of its user's
//! connections, as Plaid's API hands them out: a short-lived `public-sandbox-…` token that Link
//! gives the client's front end, and the `access-sandbox-…` token the client's back end keeps.
//! Both are signed (HMAC-SHA256 with a key of their own) and bound to the client id, so a token
//! cannot be forged, edited or used by another client; they hold no secret.

use chrono::{DateTime, Utc};
use ring::hmac;
use sandbank_domain::ConnectionId;
use uuid::Uuid;

/// How long a public token may be exchanged.
pub const PUBLIC_TOKEN_MINUTES: i64 = 30;

/// Why a token does not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ItemTokenError {
    /// Not a token this server made for this client.
    #[error("the token is not valid for this client")]
    Invalid,
    /// A public token past its time.
    #[error("the public token has expired")]
    Expired,
}

/// Makes and opens item tokens.
#[derive(Clone)]
pub struct ItemTokens {
    key: hmac::Key,
}

impl std::fmt::Debug for ItemTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ItemTokens(***)")
    }
}

impl ItemTokens {
    /// Tokens signed with `key` ([`crate::Keys::item_token_signing`]).
    pub fn new(key: &[u8; 32]) -> Self {
        Self { key: hmac::Key::new(hmac::HMAC_SHA256, key) }
    }

    /// The access token of `connection` for `client_id`.
    pub fn access(&self, client_id: &str, connection: ConnectionId) -> String {
        let body = format!("access-sandbox-{}", connection.as_uuid());
        format!("{body}-{}", self.tag(client_id, &body))
    }

    /// The connection an access token names, if `client_id`'s.
    pub fn open_access(&self, client_id: &str, token: &str) -> Result<ConnectionId, ItemTokenError> {
        let (body, connection) = self.open(client_id, token, "access-sandbox-")?;
        if body.len() != "access-sandbox-".len() + 36 {
            return Err(ItemTokenError::Invalid);
        }
        Ok(connection)
    }

    /// The public token `id` of `connection` for `client_id`, exchangeable until `expires`.
    pub fn public(&self, client_id: &str, connection: ConnectionId, id: Uuid, expires: DateTime<Utc>) -> String {
        let body = format!("public-sandbox-{}-{id}-{}", connection.as_uuid(), expires.timestamp());
        format!("{body}-{}", self.tag(client_id, &body))
    }

    /// The connection a public token names and the token's id, if `client_id`'s and not
    /// expired at `now`.
    pub fn open_public(
        &self,
        client_id: &str,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<(ConnectionId, Uuid), ItemTokenError> {
        let (body, connection) = self.open(client_id, token, "public-sandbox-")?;
        let rest = body.get("public-sandbox-".len() + 37..).ok_or(ItemTokenError::Invalid)?;
        let (id, expires) = rest.split_at_checked(36).ok_or(ItemTokenError::Invalid)?;
        let id = id.parse::<Uuid>().map_err(|_| ItemTokenError::Invalid)?;
        let expires = expires.strip_prefix('-').and_then(|t| t.parse::<i64>().ok()).ok_or(ItemTokenError::Invalid)?;
        if now.timestamp() > expires {
            return Err(ItemTokenError::Expired);
        }
        Ok((connection, id))
    }

    /// Checks the tag; returns the signed part and the connection it names.
    fn open<'a>(
        &self,
        client_id: &str,
        token: &'a str,
        prefix: &str,
    ) -> Result<(&'a str, ConnectionId), ItemTokenError> {
        let (body, tag) = token.rsplit_once('-').ok_or(ItemTokenError::Invalid)?;
        let tag = hex_bytes(tag).ok_or(ItemTokenError::Invalid)?;
        hmac::verify(&self.key, &message(client_id, body), &tag).map_err(|_| ItemTokenError::Invalid)?;
        let uuid = body.strip_prefix(prefix).and_then(|rest| rest.get(..36)).ok_or(ItemTokenError::Invalid)?;
        let connection = uuid.parse::<uuid::Uuid>().map_err(|_| ItemTokenError::Invalid)?;
        Ok((body, ConnectionId::from_uuid(connection)))
    }

    fn tag(&self, client_id: &str, body: &str) -> String {
        hmac::sign(&self.key, &message(client_id, body)).as_ref().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// What is signed: the client id, then the token's body.
fn message(client_id: &str, body: &str) -> Vec<u8> {
    [client_id.as_bytes(), b"\n", body.as_bytes()].concat()
}

/// Lowercase hex as bytes.
fn hex_bytes(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    #[test]
    fn an_access_token_opens_only_for_its_client() {
        let tokens = ItemTokens::new(&[3; 32]);
        let connection = ConnectionId::new();
        let token = tokens.access("client-a", connection);
        assert!(token.starts_with("access-sandbox-"), "{token}");
        assert_eq!(tokens.open_access("client-a", &token), Ok(connection));
        assert_eq!(tokens.open_access("client-b", &token), Err(ItemTokenError::Invalid));
        assert_eq!(ItemTokens::new(&[4; 32]).open_access("client-a", &token), Err(ItemTokenError::Invalid));
        let other = ConnectionId::new().as_uuid().to_string();
        let edited = token.replacen(&connection.as_uuid().to_string(), &other, 1);
        assert_eq!(tokens.open_access("client-a", &edited), Err(ItemTokenError::Invalid));
        assert_eq!(tokens.open_access("client-a", "access-sandbox-x"), Err(ItemTokenError::Invalid));
        let public = tokens.public("client-a", connection, Uuid::new_v4(), Utc::now());
        assert_eq!(
            tokens.open_access("client-a", &public),
            Err(ItemTokenError::Invalid),
            "a public token is no access token"
        );
    }

    #[test]
    fn a_public_token_expires() {
        let tokens = ItemTokens::new(&[3; 32]);
        let connection = ConnectionId::new();
        let now = Utc::now();
        let id = Uuid::new_v4();
        let token = tokens.public("client-a", connection, id, now + TimeDelta::minutes(PUBLIC_TOKEN_MINUTES));
        assert_eq!(tokens.open_public("client-a", &token, now), Ok((connection, id)));
        assert_eq!(tokens.open_public("client-b", &token, now), Err(ItemTokenError::Invalid));
        let later = now + TimeDelta::minutes(PUBLIC_TOKEN_MINUTES + 1);
        assert_eq!(tokens.open_public("client-a", &token, later), Err(ItemTokenError::Expired));
        let access = tokens.access("client-a", connection);
        assert_eq!(tokens.open_public("client-a", &access, now), Err(ItemTokenError::Invalid));
    }
}
