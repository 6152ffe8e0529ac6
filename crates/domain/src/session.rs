//! Sign-in sessions: each token names one, and logging out revokes it.

use chrono::{DateTime, Utc};

use crate::ids::{SessionId, UserId};

/// A sign-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Its id (carried in the token).
    pub id: SessionId,
    /// Whose it is.
    pub user_id: UserId,
    /// When it stops working on its own.
    pub expires_at: DateTime<Utc>,
    /// When it was revoked by logging out, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Session {
    /// Whether a token naming this session is accepted at `now`.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn active_until_revoked_or_expired() {
        let now = Utc::now();
        let mut session = Session {
            id: SessionId::new(),
            user_id: UserId::new(),
            expires_at: now + TimeDelta::hours(1),
            revoked_at: None,
        };
        assert!(session.is_active(now));
        assert!(!session.is_active(now + TimeDelta::hours(2)));
        session.revoked_at = Some(now);
        assert!(!session.is_active(now));
    }
}
