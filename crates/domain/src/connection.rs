//! A user's connection to a provider and its lifecycle:
//! `authorizing → connected` (authorize) · `connected → connected` (sync) ·
//! `connected → error` (provider outage; a later successful sync returns to `connected`) ·
//! `connected → expired` (token expired; authorizing again returns to `connected`) ·
//! `any → disconnected` (disconnect). Anything else is refused with a [`LifecycleError`].

use chrono::{DateTime, NaiveDate, Utc};

use crate::error_code::ErrorCode;
use crate::ids::{ConnectionId, ProviderId, UserId};
use crate::text_enum::text_enum;
use crate::webhook_url::WebhookFormat;
use crate::webhook_url::WebhookUrl;

text_enum!(
    /// Where a connection is in its lifecycle.
    ConnectionStatus {
        /// Created; waiting for the user to pass the consent page.
        Authorizing => "authorizing",
        /// Authorized; data can be synced.
        Connected => "connected",
        /// The provider failed (or refused the user); retried, or authorize again.
        Error => "error",
        /// The access token expired; authorize again to resume.
        Expired => "expired",
        /// Disconnected by the user; the token is erased.
        Disconnected => "disconnected",
    }
);

text_enum!(
    /// A fault the sandbox controls have switched on for a connection.
    SandboxFault {
        /// The provider rejects the access token from the next sync on.
        TokenExpired => "token_expired",
        /// The provider does not answer.
        ProviderOutage => "provider_outage",
    }
);

text_enum!(
    /// A sandbox control a client can ask for (`POST /api/sandbox/simulate`'s `event`).
    SandboxEvent {
        /// The connection's clock moves on by some days.
        AdvanceDays => "advance_days",
        /// The next sync finds the access token expired.
        ExpireToken => "expire_token",
        /// The provider stops answering.
        ProviderOutage => "provider_outage",
        /// The provider answers again.
        Recover => "recover",
        /// One webhook event is sent now.
        FireWebhook => "fire_webhook",
    }
);

/// An action the connection's status does not allow (HTTP 409).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LifecycleError {
    /// Machine-readable reason, e.g. `connection_disconnected`.
    pub code: ErrorCode,
    /// What to do about it, in plain words.
    pub message: &'static str,
}

const fn refused(code: ErrorCode, message: &'static str) -> LifecycleError {
    LifecycleError { code, message }
}

impl ConnectionStatus {
    /// Whether the consent flow may complete from here.
    pub const fn check_authorize(self) -> Result<(), LifecycleError> {
        match self {
            Self::Authorizing | Self::Expired | Self::Error => Ok(()),
            Self::Connected => {
                Err(refused(ErrorCode::ConnectionAlreadyConnected, "the connection is already connected"))
            }
            Self::Disconnected => Err(refused(
                ErrorCode::ConnectionDisconnected,
                "the connection was disconnected; create a new connection",
            )),
        }
    }

    /// Whether a sync may run from here.
    pub const fn check_sync(self) -> Result<(), LifecycleError> {
        match self {
            Self::Connected | Self::Error => Ok(()),
            Self::Authorizing => Err(refused(
                ErrorCode::ConnectionNotAuthorized,
                "the connection has not been authorized yet; complete the consent flow first",
            )),
            Self::Expired => Err(refused(
                ErrorCode::ConnectionExpired,
                "the connection's access token expired; authorize again to resume syncing",
            )),
            Self::Disconnected => Err(refused(
                ErrorCode::ConnectionDisconnected,
                "the connection was disconnected; create a new connection",
            )),
        }
    }

    /// Whether the connection's settings (its webhook URL) may change from here: not once it is
    /// disconnected, since it will never sync or send a webhook again.
    pub const fn check_update(self) -> Result<(), LifecycleError> {
        match self {
            Self::Disconnected => Err(refused(
                ErrorCode::ConnectionDisconnected,
                "the connection was disconnected; create a new connection",
            )),
            _ => Ok(()),
        }
    }

    /// Whether a sandbox fault may be switched on from here.
    pub const fn check_simulate(self) -> Result<(), LifecycleError> {
        match self {
            Self::Disconnected => Err(refused(
                ErrorCode::ConnectionDisconnected,
                "the connection was disconnected; sandbox controls no longer apply",
            )),
            _ => Ok(()),
        }
    }
}

text_enum!(
    /// Why a connection is in `error` or `expired`: the `code` of its [`ConnectionProblem`].
    ProblemCode {
        /// The bank locked the user's account.
        AccountLocked => "account_locked",
        /// The provider rejected the access token.
        TokenExpired => "token_expired",
        /// The stored access token cannot be opened (the secret that sealed it is gone).
        TokenUnreadable => "token_unreadable",
        /// The provider does not answer.
        ProviderUnavailable => "provider_unavailable",
    }
);

/// What went wrong with a connection, shown while its status is `error` or `expired`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionProblem {
    /// Machine-readable reason: a [`ProblemCode`]'s text (kept as text as stored and sent).
    pub code: String,
    /// What happened, in plain words.
    pub message: String,
}

/// A user's link to a provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// Its id.
    pub id: ConnectionId,
    /// Whose it is.
    pub user_id: UserId,
    /// Which bank.
    pub provider_id: ProviderId,
    /// Where it is in its lifecycle.
    pub status: ConnectionStatus,
    /// Seeds the fake bank's data for it.
    pub seed: i64,
    /// Days the sandbox clock has been moved forward.
    pub clock_offset_days: i32,
    /// The last day whose data has been fetched.
    pub synced_through: Option<NaiveDate>,
    /// A fault switched on by the sandbox controls.
    pub sandbox_fault: Option<SandboxFault>,
    /// Why it is in `error` or `expired`.
    pub problem: Option<ConnectionProblem>,
    /// Where its webhooks are sent, if anywhere.
    pub webhook_url: Option<WebhookUrl>,
    /// The shape of its webhooks: ours, or Plaid's for items of the Plaid API.
    pub webhook_format: WebhookFormat,
    /// When data last arrived.
    pub last_synced_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// How far the sandbox clock may run ahead of the real date, in all (ten years).
pub const MAX_CLOCK_OFFSET_DAYS: i32 = 3650;

impl Connection {
    /// The connection's "today": the real date moved by the sandbox clock. An offset out of
    /// bounds (stored before the bound existed) counts as the bound.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        self.clock(now).date_naive()
    }

    /// The connection's "now": the real instant `now` moved by the sandbox clock's whole days
    /// (the bank reports nothing stamped after it).
    pub fn clock(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let offset = self.clock_offset_days.clamp(0, MAX_CLOCK_OFFSET_DAYS);
        now.checked_add_days(chrono::Days::new(u64::from(offset.unsigned_abs()))).unwrap_or(now)
    }

    /// The clock's offset after moving it `days` forward, or `None` past
    /// [`MAX_CLOCK_OFFSET_DAYS`].
    pub fn advanced_offset(&self, days: u32) -> Option<i32> {
        let offset = self.clock_offset_days.checked_add(i32::try_from(days).ok()?)?;
        (offset <= MAX_CLOCK_OFFSET_DAYS).then_some(offset)
    }

    /// How many more days the clock may move forward.
    pub fn clock_days_left(&self) -> i32 {
        (MAX_CLOCK_OFFSET_DAYS - self.clock_offset_days).max(0)
    }

    /// The day the connection was made (its history ends there, going back months).
    pub fn linked_on(&self) -> NaiveDate {
        self.created_at.date_naive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConnectionStatus::*;

    #[test]
    fn the_lifecycle_allows_only_its_transitions() {
        let authorize: Vec<_> = ConnectionStatus::ALL.iter().filter(|s| s.check_authorize().is_ok()).collect();
        assert_eq!(authorize, [&Authorizing, &Error, &Expired]);
        let sync: Vec<_> = ConnectionStatus::ALL.iter().filter(|s| s.check_sync().is_ok()).collect();
        assert_eq!(sync, [&Connected, &Error]);
        assert_eq!(Expired.check_sync().map_err(|e| e.code), Err(ErrorCode::ConnectionExpired));
        assert_eq!(Disconnected.check_simulate().map_err(|e| e.code), Err(ErrorCode::ConnectionDisconnected));
        let update: Vec<_> = ConnectionStatus::ALL.iter().filter(|s| s.check_update().is_ok()).collect();
        assert_eq!(update, [&Authorizing, &Connected, &Error, &Expired]);
    }

    fn at_offset(clock_offset_days: i32) -> Connection {
        let now = DateTime::from_timestamp(1_780_000_000, 0).expect("time");
        Connection {
            id: ConnectionId::new(),
            user_id: UserId::new(),
            provider_id: ProviderId::new(),
            status: Connected,
            seed: 1,
            clock_offset_days,
            synced_through: None,
            sandbox_fault: None,
            problem: None,
            webhook_url: None,
            webhook_format: WebhookFormat::Sandbank,
            last_synced_at: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn the_clock_is_bounded_and_never_overflows() {
        let now = DateTime::from_timestamp(1_780_000_000, 0).expect("time");
        let bounded = at_offset(MAX_CLOCK_OFFSET_DAYS).today(now);
        assert_eq!(bounded - now.date_naive(), chrono::TimeDelta::days(i64::from(MAX_CLOCK_OFFSET_DAYS)));
        for huge in [95_000_000, i32::MAX, i32::MIN] {
            assert_eq!(at_offset(huge).today(now), bounded.min(at_offset(huge.clamp(0, 3650)).today(now)));
        }
        assert_eq!(at_offset(3600).advanced_offset(50), Some(3650));
        assert_eq!(at_offset(3600).advanced_offset(51), None);
        assert_eq!(at_offset(i32::MAX).advanced_offset(u32::MAX), None);
        assert_eq!(at_offset(3600).clock_days_left(), 50);
    }

    #[test]
    fn the_clock_is_the_real_time_moved_by_whole_days() {
        let now = DateTime::from_timestamp(1_780_000_000, 0).expect("time");
        assert_eq!(at_offset(0).clock(now), now);
        let later = at_offset(3).clock(now);
        assert_eq!(later - now, chrono::TimeDelta::days(3), "the time of day is kept");
        assert_eq!(later.date_naive(), at_offset(3).today(now));
    }
}
