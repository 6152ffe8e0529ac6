//! Developer API keys: a user makes up to [`MAX_ACTIVE_KEYS`] keys (a public client id and a
//! secret shown once), lists and revokes them; the Plaid-compatible API calls
//! [`DeveloperKeyService::authenticate`] with the `client_id` / `secret` it was sent and acts
//! as the key's user.
//!
//! The secret is 32 random bytes from the system's generator as 64 lowercase hex characters;
//! only its SHA-256 is stored (see [`crate::security::key_hash`]).

use chrono::{DateTime, TimeDelta, Utc};
use ring::rand::{SecureRandom, SystemRandom};
use sandbank_domain::developer_key::{ClientId, DeveloperKey, KeyName, KeySecret};
use sandbank_domain::{ErrorCode, FieldErrors, UserId};
use sandbank_store::developer_keys::{self as store, NewKey};
use sandbank_store::time::as_stored;
use sandbank_store::{Db, StoreError};

use crate::error::ServiceError;
use crate::security::key_hash;

/// The most keys a user may have that are not revoked.
pub const MAX_ACTIVE_KEYS: i64 = 20;

/// `last_used_at` is written at most once in this period per key, not on every request.
pub const LAST_USED_PRECISION: TimeDelta = TimeDelta::minutes(1);

/// How often a creation draws a new client id when the drawn one exists (12 random bytes: in
/// practice never).
const ID_ATTEMPTS: usize = 3;

/// Why a `client_id` / `secret` pair does not authenticate. Not a [`ServiceError`]: the
/// Plaid-compatible API answers the first two with its own `INVALID_API_KEYS`.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// No active key has this client id: never made, malformed, or revoked.
    #[error("unknown or revoked client id")]
    UnknownOrRevoked,
    /// The key exists but the secret is not its secret.
    #[error("wrong secret")]
    WrongSecret,
    /// The database could not be asked (not the caller's fault: a 5xx).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A key just made, with its secret (to show once, never again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedKey {
    /// The key.
    pub key: DeveloperKey,
    /// Its secret.
    pub secret: KeySecret,
}

/// Users' developer API keys.
#[derive(Debug, Clone)]
pub struct DeveloperKeyService {
    db: Db,
    random: SystemRandom,
}

impl DeveloperKeyService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db, random: SystemRandom::new() }
    }

    /// Makes a key for `user`, labelled `name` (trimmed, ≤ 64 characters; blank is none). A 400
    /// naming `name` for a bad label; a 409 `too_many_keys` when the user has
    /// [`MAX_ACTIVE_KEYS`] active keys.
    pub fn create(&self, user: UserId, name: Option<&str>) -> Result<CreatedKey, ServiceError> {
        let name = match name.map(KeyName::parse).transpose() {
            Ok(name) => name.flatten(),
            Err(error) => return Err(FieldErrors::single("name", error.to_string()).into()),
        };
        let secret = KeySecret::from_bytes(self.random_bytes()?);
        let secret_hash = key_hash::hash(secret.expose());
        let created_at = as_stored(Utc::now());
        for _ in 0..ID_ATTEMPTS {
            let client_id = ClientId::from_bytes(self.random_bytes()?);
            let key = NewKey {
                client_id: &client_id,
                user,
                secret_hash: &secret_hash,
                name: name.as_ref().map(KeyName::as_str),
                created_at,
            };
            match self.db.write(|conn| insert_within_limit(conn, &key)) {
                Err(ServiceError::Store(StoreError::UniqueViolation(_))) => continue,
                Err(error) => return Err(error),
                Ok(()) => {}
            }
            let key = DeveloperKey {
                client_id,
                name: name.map(|n| n.as_str().to_owned()),
                created_at,
                last_used_at: None,
                revoked_at: None,
            };
            return Ok(CreatedKey { key, secret });
        }
        Err(ServiceError::Internal("no free client id after several draws".into()))
    }

    /// `user`'s keys, newest first, revoked ones included (with `revoked_at`).
    pub fn list(&self, user: UserId) -> Result<Vec<DeveloperKey>, ServiceError> {
        Ok(self.db.read(|conn| store::list(conn, user))?)
    }

    /// Revokes `user`'s key `client_id` and gives it back; revoking a revoked key changes
    /// nothing. A 404 when no such key exists, a 403 when it is another user's.
    pub fn revoke(&self, user: UserId, client_id: &ClientId) -> Result<DeveloperKey, ServiceError> {
        let now = Utc::now();
        self.db.write(|conn| {
            let key = match store::find(conn, client_id)? {
                None => return Err(ServiceError::NotFound("developer key")),
                Some((owner, _)) if owner != user => return Err(ServiceError::Forbidden("developer key")),
                Some((_, key)) => key,
            };
            if key.revoked_at.is_some() {
                return Ok(key);
            }
            store::revoke(conn, user, client_id, now)?;
            Ok(DeveloperKey { revoked_at: Some(as_stored(now)), ..key })
        })
    }

    /// The user the pair `client_id` / `secret` acts as, if it names an active key and its
    /// secret. Records the use (at most once per [`LAST_USED_PRECISION`]; a failure to record
    /// is logged, not fatal).
    pub fn authenticate(&self, client_id: &str, secret: &str) -> Result<UserId, KeyError> {
        let client_id = ClientId::parse(client_id).map_err(|_| KeyError::UnknownOrRevoked)?;
        let key = self.db.read(|conn| store::find_active(conn, &client_id))?.ok_or(KeyError::UnknownOrRevoked)?;
        if !key_hash::matches(secret, &key.secret_hash) {
            return Err(KeyError::WrongSecret);
        }
        let now = Utc::now();
        if needs_touch(key.last_used_at, now) {
            let touched = self.db.write(|conn| store::touch(conn, &client_id, now, now - LAST_USED_PRECISION));
            if let Err(error) = touched {
                tracing::warn!(%error, %client_id, "could not record a developer key's use");
            }
        }
        Ok(key.user)
    }

    fn random_bytes<const N: usize>(&self) -> Result<[u8; N], ServiceError> {
        let mut bytes = [0u8; N];
        self.random.fill(&mut bytes).map_err(|_| ServiceError::Internal("no system randomness".into()))?;
        Ok(bytes)
    }
}

/// Inserts `key` unless its user has [`MAX_ACTIVE_KEYS`] active keys (409 `too_many_keys`);
/// run inside one write transaction, so two creations cannot both take the last place.
fn insert_within_limit(conn: &mut sandbank_store::DbConnection, key: &NewKey<'_>) -> Result<(), ServiceError> {
    if store::count_active(conn, key.user)? >= MAX_ACTIVE_KEYS {
        return Err(ServiceError::Conflict {
            code: ErrorCode::TooManyKeys,
            message: format!("at most {MAX_ACTIVE_KEYS} active developer keys; revoke one first"),
        });
    }
    Ok(store::insert(conn, key)?)
}

/// Whether a key last used at `last_used_at` should record a use at `now`.
fn needs_touch(last_used_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last_used_at.is_none_or(|at| now - at >= LAST_USED_PRECISION)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_use_is_recorded_at_most_once_a_minute() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).expect("valid");
        assert!(needs_touch(None, now));
        assert!(!needs_touch(Some(now), now));
        assert!(!needs_touch(Some(now - TimeDelta::seconds(59)), now));
        assert!(needs_touch(Some(now - TimeDelta::seconds(60)), now));
        // A clock that went back does not write either.
        assert!(!needs_touch(Some(now + TimeDelta::seconds(5)), now));
    }
}
