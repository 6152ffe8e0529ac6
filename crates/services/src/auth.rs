//! Sign-up, sign-in and revocable sessions. A token is a JWT naming a session row; logging out
//! revokes the row, so the token stops working at once even before it expires.

use chrono::{DateTime, TimeDelta, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sandbank_domain::session::Session;
use std::sync::OnceLock;

use sandbank_domain::user::{Email, Password, Registration, User};
use sandbank_domain::{FieldErrors, SessionId, UserId};
use sandbank_store::{Db, StoreError, sessions, users};
use serde::{Deserialize, Serialize};

use crate::error::ServiceError;
use crate::password;
use crate::rate_limit::{Limit, RateLimiter};
use crate::secret::Keys;

/// A hash of a throwaway password, verified against when the e-mail is unknown so that a wrong
/// e-mail takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        Password::parse("no-such-user-password").ok().and_then(|pw| password::hash(&pw).ok()).unwrap_or_default()
    })
}

/// The claims inside a session token.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// The user.
    sub: String,
    /// The session row.
    sid: String,
    /// Issued at (seconds since the epoch).
    iat: i64,
    /// Expires at (seconds since the epoch).
    exp: i64,
}

/// A user who has just signed in (or up), with their new token.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The user.
    pub user: User,
    /// The bearer token (also sent as the session cookie).
    pub token: String,
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
    /// The new session (what its CSRF tokens are bound to).
    pub session_id: SessionId,
}

/// The caller a token belongs to.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The signed-in user.
    pub user: User,
    /// The session their token names.
    pub session_id: SessionId,
}

/// Accounts and sessions.
#[derive(Debug, Clone)]
pub struct AuthService {
    db: Db,
    keys: Keys,
    session_ttl: TimeDelta,
    limiter: RateLimiter,
    login_limit: Limit,
}

impl AuthService {
    /// How long a session lasts unless revoked.
    pub const DEFAULT_SESSION_TTL: TimeDelta = TimeDelta::hours(24);

    /// A service over `db`, signing tokens with `keys`, allowing `login_limit` sign-in attempts
    /// per e-mail address.
    pub fn new(db: Db, keys: Keys, login_limit: Limit) -> Self {
        let limiter = RateLimiter::new(db.clone());
        Self { db, keys, session_ttl: Self::DEFAULT_SESSION_TTL, limiter, login_limit }
    }

    /// Creates an account and signs it in. A taken e-mail is a conflict (`email_taken`).
    pub fn register(
        &self,
        email: Option<&str>,
        pw: Option<&str>,
        name: Option<&str>,
    ) -> Result<SignedIn, ServiceError> {
        let registration = Registration::parse(email, pw, name)?;
        let hash = password::hash(&registration.password)?;
        let expires_at = Utc::now() + self.session_ttl;
        let (user, session) = self
            .db
            .write(|conn| {
                let user = users::insert(conn, &registration.email, registration.name.as_ref(), &hash)?;
                let session = sessions::insert(conn, user.id, expires_at)?;
                Ok::<_, StoreError>((user, session))
            })
            .map_err(|error| match error {
                StoreError::UniqueViolation(_) => ServiceError::Conflict {
                    code: "email_taken",
                    message: "an account with this e-mail already exists".into(),
                },
                other => other.into(),
            })?;
        tracing::info!(user_id = %user.id, "user registered");
        self.signed_in(user, session)
    }

    /// Signs in with e-mail and password. Any mismatch is [`ServiceError::InvalidCredentials`].
    pub fn login(&self, email: Option<&str>, pw: Option<&str>) -> Result<SignedIn, ServiceError> {
        let email = email.filter(|v| !v.is_empty());
        let pw = pw.filter(|v| !v.is_empty());
        let (Some(email), Some(pw)) = (email, pw) else {
            let mut missing = FieldErrors::new();
            for (field, value) in [("email", email), ("password", pw)] {
                if value.is_none() {
                    missing.add(field, "is required");
                }
            }
            return Err(missing.into());
        };
        let bucket = format!("login:{}", email.trim().to_lowercase());
        self.limiter.check(&bucket, self.login_limit)?;
        let found = match Email::parse(email) {
            Ok(email) => self.db.read(|conn| users::find_by_email(conn, &email))?,
            Err(_) => None,
        };
        let Some(found) = found else {
            password::verify(pw, dummy_hash());
            return Err(ServiceError::InvalidCredentials);
        };
        if !password::verify(pw, &found.password_hash) {
            tracing::info!(user_id = %found.user.id, "sign-in refused: wrong password");
            return Err(ServiceError::InvalidCredentials);
        }
        let expires_at = Utc::now() + self.session_ttl;
        let session = self.db.write(|conn| sessions::insert(conn, found.user.id, expires_at))?;
        tracing::info!(user_id = %found.user.id, "user signed in");
        self.signed_in(found.user, session)
    }

    /// The caller a token belongs to; any invalid, expired or revoked token is unauthenticated.
    pub fn authenticate(&self, token: &str) -> Result<Caller, ServiceError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        let claims =
            jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(&self.keys.session_signing), &validation)
                .map_err(|_| ServiceError::Unauthenticated)?
                .claims;
        let session_id: SessionId = claims.sid.parse().map_err(|_| ServiceError::Unauthenticated)?;
        let user_id: UserId = claims.sub.parse().map_err(|_| ServiceError::Unauthenticated)?;
        let (session, user) =
            self.db.read(|conn| sessions::find_with_user(conn, session_id))?.ok_or(ServiceError::Unauthenticated)?;
        if session.user_id != user_id || !session.is_active(Utc::now()) {
            return Err(ServiceError::Unauthenticated);
        }
        Ok(Caller { user, session_id })
    }

    /// Ends a session; its token stops working.
    pub fn logout(&self, session_id: SessionId) -> Result<(), ServiceError> {
        self.db.write(|conn| sessions::revoke(conn, session_id))?;
        tracing::info!(session_id = %session_id, "session revoked");
        Ok(())
    }

    fn signed_in(&self, user: User, session: Session) -> Result<SignedIn, ServiceError> {
        let claims = Claims {
            sub: user.id.to_string(),
            sid: session.id.to_string(),
            iat: Utc::now().timestamp(),
            exp: session.expires_at.timestamp(),
        };
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(&self.keys.session_signing),
        )
        .map_err(|e| ServiceError::Internal(format!("token signing failed: {e}")))?;
        Ok(SignedIn { user, token, expires_at: session.expires_at, session_id: session.id })
    }
}
