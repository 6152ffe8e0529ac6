//! Sign-up, sign-in and revocable sessions. A token is a JWT naming a session row; logging out
//! revokes the row, so the token stops working at once even before it expires.

use std::net::IpAddr;
use std::time::Instant;

use chrono::{DateTime, TimeDelta, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sandbank_domain::session::Session;
use std::sync::OnceLock;

use sandbank_domain::user::{Password, Registration, SignIn, User};
use sandbank_domain::{ErrorCode, SessionId, UserId};
use sandbank_store::{Db, StoreError, sessions, users};
use serde::{Deserialize, Serialize};

use crate::error::ServiceError;
use crate::security::password;
use crate::security::rate_limit::{Limits, RateKey, RateLimiter};
use crate::security::secret::Keys;
use crate::security::session_cache::SessionCache;

/// A hash of a throwaway password, verified against when the e-mail is unknown so that a wrong
/// e-mail takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        Password::parse("no-such-user-password").ok().and_then(|pw| password::hash(&pw).ok()).unwrap_or_default()
    })
}

/// The key counting every sign-up and sign-in from `client`.
fn address_key(client: IpAddr) -> RateKey {
    RateKey::new(&["auth-address", &client_network(client)])
}

/// Where `client` counts from: its IPv4 address, or its IPv6 /64 (one subscriber's usual
/// allocation, so hopping between addresses inside it does not escape a limit).
fn client_network(client: IpAddr) -> String {
    match client.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
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
    limits: Limits,
    sessions: SessionCache,
}

impl AuthService {
    /// How long a session lasts unless revoked.
    pub const DEFAULT_SESSION_TTL: TimeDelta = TimeDelta::hours(24);

    /// A service over `db`, signing tokens with `keys`, applying the sign-up and sign-in `limits`
    /// (`login_attempts` and `auth_per_address`).
    pub fn new(db: Db, keys: Keys, limits: Limits) -> Self {
        let limiter = RateLimiter::new(db.clone());
        Self { db, keys, session_ttl: Self::DEFAULT_SESSION_TTL, limiter, limits, sessions: SessionCache::default() }
    }

    /// Creates an account and signs it in. The input is checked first, then the `client`
    /// address's limit. A taken e-mail is a conflict (`email_taken`).
    pub fn register(
        &self,
        client: IpAddr,
        email: Option<&str>,
        pw: Option<&str>,
        name: Option<&str>,
    ) -> Result<SignedIn, ServiceError> {
        let registration = Registration::parse(email, pw, name)?;
        self.limiter.check(&address_key(client), self.limits.auth_per_address)?;
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
                    code: ErrorCode::EmailTaken,
                    message: "an account with this e-mail already exists".into(),
                },
                other => other.into(),
            })?;
        tracing::info!(user_id = %user.id, "user registered");
        self.signed_in(user, session)
    }

    /// Signs in with e-mail and password from `client`. The input is checked first; then the
    /// address's limit and the limit of failed sign-ins of this e-mail from this address (a
    /// success is not counted, so nobody elsewhere is locked out). Any mismatch is
    /// [`ServiceError::InvalidCredentials`].
    pub fn login(&self, client: IpAddr, email: Option<&str>, pw: Option<&str>) -> Result<SignedIn, ServiceError> {
        let sign_in = SignIn::parse(email, pw)?;
        let failures = RateKey::new(&["login-failures", sign_in.email.as_str(), &client_network(client)]);
        let hits = self.limiter.check_all(&[
            (&address_key(client), self.limits.auth_per_address),
            (&failures, self.limits.login_attempts),
        ])?;
        let pw = sign_in.password.expose();
        let Some(found) = self.db.read(|conn| users::find_by_email(conn, &sign_in.email))? else {
            password::verify(pw, dummy_hash());
            return Err(ServiceError::InvalidCredentials);
        };
        if !password::verify(pw, &found.password_hash) {
            tracing::info!(user_id = %found.user.id, "sign-in refused: wrong password");
            return Err(ServiceError::InvalidCredentials);
        }
        let expires_at = Utc::now() + self.session_ttl;
        let session = self.db.write(|conn| {
            // A success is not a failed sign-in: the last hit (the failures key) is taken back.
            if let Some(failure) = hits.last() {
                failure.take_back_in(conn)?;
            }
            sessions::insert(conn, found.user.id, expires_at)
        })?;
        tracing::info!(user_id = %found.user.id, "user signed in");
        self.signed_in(found.user, session)
    }

    /// The caller a token belongs to; any invalid, expired or revoked token is unauthenticated.
    /// A token checked less than a second ago is not checked again (see [`SessionCache`]).
    pub fn authenticate(&self, token: &str) -> Result<Caller, ServiceError> {
        if let Some(caller) = self.recently_authenticated(token) {
            return Ok(caller);
        }
        let checked_at = Instant::now();
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
        let caller = Caller { user, session_id };
        self.sessions.put(token, &caller, session.expires_at, checked_at);
        Ok(caller)
    }

    /// The caller of `token` if this process checked it less than a second ago: no I/O, so the
    /// web layer may ask before it hands [`Self::authenticate`] to a blocking thread.
    pub fn recently_authenticated(&self, token: &str) -> Option<Caller> {
        self.sessions.get(token, Utc::now())
    }

    /// Ends a session; its token stops working.
    pub fn logout(&self, session_id: SessionId) -> Result<(), ServiceError> {
        self.db.write(|conn| sessions::revoke(conn, session_id))?;
        self.sessions.forget(session_id);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_counts_by_its_64_and_a_mapped_ipv4_one_by_its_address() {
        let ip = |text: &str| text.parse::<IpAddr>().expect("address");
        assert_eq!(client_network(ip("2001:db8:1:2::1")), client_network(ip("2001:db8:1:2:ffff::9")));
        assert_ne!(client_network(ip("2001:db8:1:2::1")), client_network(ip("2001:db8:1:3::1")));
        assert_eq!(client_network(ip("::ffff:198.51.100.7")), "198.51.100.7");
        assert_eq!(address_key(ip("::ffff:198.51.100.7")), address_key(ip("198.51.100.7")));
    }
}
