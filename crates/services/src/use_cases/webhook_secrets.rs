//! Each user's webhook signing secret: made on first use, rotated on request (the previous one
//! keeps signing for a grace period), sealed at rest, and the secrets in force at a given time
//! for whoever signs a delivery.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use ring::rand::{SecureRandom, SystemRandom};
use sandbank_domain::{ErrorCode, UserId};
use sandbank_store::webhook_secrets::{self as store, SealedSecrets};
use sandbank_store::{Db, StoreError};

use crate::error::ServiceError;
use crate::security::token_vault::TokenVault;
use crate::security::webhook_signature;

/// What every secret starts with, so one is recognised in a config file or a log.
pub const SECRET_PREFIX: &str = "whsec_";
/// How long the previous secret keeps signing when a rotation does not say (one day).
pub const DEFAULT_GRACE_SECS: u32 = 86_400;
/// The longest grace period a rotation may ask for (seven days).
pub const MAX_GRACE_SECS: u32 = 604_800;

/// How often a rotation retries when another one committed between its read and its write.
const ROTATION_ATTEMPTS: usize = 3;

/// The answer to a rotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotated {
    /// The new secret, signing from now on.
    pub secret: String,
    /// Until when the replaced secret signs alongside it.
    pub previous_expires_at: DateTime<Utc>,
}

/// The secrets that sign at one moment: the current one, and the previous one in its grace period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningSecrets {
    /// The current secret.
    pub current: String,
    /// The previous secret, while it still signs.
    pub previous: Option<String>,
}

impl SigningSecrets {
    /// The secrets in signing order: current first.
    pub fn in_order(&self) -> Vec<&str> {
        std::iter::once(self.current.as_str()).chain(self.previous.as_deref()).collect()
    }

    /// The `Sandbank-Signature` header value for `body` sent at unix time `t`.
    pub fn header_value(&self, t: i64, body: &[u8]) -> String {
        webhook_signature::header_value(&self.in_order(), t, body)
    }
}

/// A user's secrets, opened.
struct Opened {
    current: String,
    previous: Option<(String, DateTime<Utc>)>,
}

/// Users' webhook signing secrets.
#[derive(Debug, Clone)]
pub struct WebhookSecretService {
    db: Db,
    vault: Arc<TokenVault>,
}

impl WebhookSecretService {
    /// A service over `db` that seals secrets with `vault`.
    pub fn new(db: Db, vault: Arc<TokenVault>) -> Self {
        Self { db, vault }
    }

    /// The user's current secret, made now if the user has none.
    pub fn current(&self, user: UserId) -> Result<String, ServiceError> {
        Ok(self.load_or_create(user)?.1.current)
    }

    /// Replaces the user's secret with a new one; the old one signs alongside until
    /// `now + grace`.
    pub fn rotate(&self, user: UserId, grace: TimeDelta, now: DateTime<Utc>) -> Result<Rotated, ServiceError> {
        for _ in 0..ROTATION_ATTEMPTS {
            let (sealed, opened) = self.load_or_create(user)?;
            let secret = new_secret()?;
            let previous_expires_at = now + grace;
            let replacement = SealedSecrets {
                current: self.seal(&secret, user)?,
                previous: Some((self.seal(&opened.current, user)?, previous_expires_at)),
            };
            if self.db.write(|conn| store::replace_if(conn, user, &sealed.current, &replacement))? {
                return Ok(Rotated { secret, previous_expires_at });
            }
        }
        Err(ServiceError::Conflict {
            code: ErrorCode::RotationConflict,
            message: "the secret was rotated concurrently; try again".into(),
        })
    }

    /// The secrets that sign the user's deliveries at `at` (the secret is made if none exists).
    pub fn signing_secrets(&self, user: UserId, at: DateTime<Utc>) -> Result<SigningSecrets, ServiceError> {
        let opened = self.load_or_create(user)?.1;
        let previous = opened.previous.filter(|(_, until)| at < *until).map(|(secret, _)| secret);
        Ok(SigningSecrets { current: opened.current, previous })
    }

    /// The stored secrets and their plain text, making the first one if none exists.
    fn load_or_create(&self, user: UserId) -> Result<(SealedSecrets, Opened), ServiceError> {
        if let Some(sealed) = self.db.read(|conn| store::find(conn, user))? {
            let opened = self.open(user, &sealed)?;
            return Ok((sealed, opened));
        }
        let secret = new_secret()?;
        let sealed = SealedSecrets { current: self.seal(&secret, user)?, previous: None };
        match self.db.write(|conn| store::insert(conn, user, &sealed.current)) {
            Ok(()) => Ok((sealed, Opened { current: secret, previous: None })),
            Err(StoreError::UniqueViolation(_)) => {
                let sealed = self.db.read(|conn| store::find(conn, user))?.ok_or(StoreError::NotFound)?;
                let opened = self.open(user, &sealed)?;
                Ok((sealed, opened))
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Opens the stored secrets; what an earlier server secret sealed is stored re-sealed.
    fn open(&self, user: UserId, sealed: &SealedSecrets) -> Result<Opened, ServiceError> {
        let owner = user.to_string();
        let current = self.vault.open(&sealed.current, &owner)?;
        let previous = match &sealed.previous {
            Some((bytes, until)) => Some((self.vault.open(bytes, &owner)?, *until)),
            None => None,
        };
        let stale = current.resealed.is_some() || previous.as_ref().is_some_and(|(p, _)| p.resealed.is_some());
        if stale {
            let resealed = SealedSecrets {
                current: current.resealed.clone().unwrap_or_else(|| sealed.current.clone()),
                previous: sealed
                    .previous
                    .as_ref()
                    .zip(previous.as_ref())
                    .map(|((bytes, until), (p, _))| (p.resealed.clone().unwrap_or_else(|| bytes.clone()), *until)),
            };
            self.db.write(|conn| store::replace_if(conn, user, &sealed.current, &resealed))?;
        }
        Ok(Opened { current: current.token, previous: previous.map(|(p, until)| (p.token, until)) })
    }

    fn seal(&self, secret: &str, user: UserId) -> Result<Vec<u8>, ServiceError> {
        self.vault.seal(secret, &user.to_string())
    }
}

/// A new secret: the prefix and 32 random bytes, base64url without padding.
fn new_secret() -> Result<String, ServiceError> {
    let mut bytes = [0u8; 32];
    SystemRandom::new().fill(&mut bytes).map_err(|_| ServiceError::Internal("no system randomness".into()))?;
    Ok(format!("{SECRET_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

#[cfg(test)]
mod tests;
