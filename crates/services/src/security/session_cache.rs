//! The sessions this process has checked lately, by token, so that a request whose token was
//! checked less than [`SessionCache::FRESH_FOR`] ago is authenticated without decoding the token
//! or reading its session row. A logout here forgets the session at once; a logout in another
//! process is seen once the entry has aged out, within a second.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sandbank_domain::SessionId;

use crate::use_cases::auth::Caller;

/// One checked token.
#[derive(Debug, Clone)]
struct Entry {
    caller: Caller,
    expires_at: DateTime<Utc>,
    checked_at: Instant,
}

/// Recently checked tokens and their callers; cheap to clone (one shared map).
#[derive(Debug, Clone)]
pub struct SessionCache {
    entries: Arc<Mutex<HashMap<String, Entry>>>,
    fresh_for: Duration,
    capacity: usize,
}

impl Default for SessionCache {
    fn default() -> Self {
        Self::new(Self::FRESH_FOR, Self::CAPACITY)
    }
}

impl SessionCache {
    /// How long a check stands: under a second, so another process's logout is seen within one.
    pub const FRESH_FOR: Duration = Duration::from_millis(900);
    /// How many tokens are kept at most.
    pub const CAPACITY: usize = 10_000;

    /// A cache whose checks stand for `fresh_for`, holding at most `capacity` tokens.
    pub fn new(fresh_for: Duration, capacity: usize) -> Self {
        Self { entries: Arc::default(), fresh_for, capacity }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The caller of `token` if it was checked less than `fresh_for` ago and its session has not
    /// expired by `now`.
    pub fn get(&self, token: &str, now: DateTime<Utc>) -> Option<Caller> {
        let entries = self.entries();
        let entry = entries.get(token)?;
        (entry.checked_at.elapsed() < self.fresh_for && now < entry.expires_at).then(|| entry.caller.clone())
    }

    /// Remembers that `token`, checked at `checked_at` (before its session row was read), names
    /// `caller`'s session, which expires at `expires_at`. When full, stale entries go first, then
    /// all.
    pub fn put(&self, token: &str, caller: &Caller, expires_at: DateTime<Utc>, checked_at: Instant) {
        let mut entries = self.entries();
        if entries.len() >= self.capacity && !entries.contains_key(token) {
            entries.retain(|_, entry| entry.checked_at.elapsed() < self.fresh_for);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(token.to_owned(), Entry { caller: caller.clone(), expires_at, checked_at });
    }

    /// Forgets every token of `session` (it was revoked).
    pub fn forget(&self, session: SessionId) {
        self.entries().retain(|_, entry| entry.caller.session_id != session);
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use sandbank_domain::UserId;
    use sandbank_domain::user::User;

    use super::*;

    fn caller() -> Caller {
        let user = User { id: UserId::new(), email: "a@example.com".into(), name: None, created_at: Utc::now() };
        Caller { user, session_id: SessionId::new() }
    }

    #[test]
    fn a_fresh_check_is_reused_until_it_ages_out_or_the_session_expires() {
        let cache = SessionCache::new(Duration::from_millis(50), 10);
        let (who, now) = (caller(), Utc::now());
        cache.put("t", &who, now + TimeDelta::hours(1), Instant::now());
        assert_eq!(cache.get("t", now).map(|c| c.session_id), Some(who.session_id));
        assert!(cache.get("other", now).is_none(), "only the token checked");
        assert!(cache.get("t", now + TimeDelta::hours(2)).is_none(), "not past the session's expiry");
        std::thread::sleep(Duration::from_millis(60));
        assert!(cache.get("t", now).is_none(), "an aged check is made again");
    }

    #[test]
    fn forgetting_a_session_forgets_its_tokens_only() {
        let cache = SessionCache::default();
        let (a, b, now) = (caller(), caller(), Utc::now());
        let later = now + TimeDelta::hours(1);
        for (token, who) in [("a1", &a), ("a2", &a), ("b", &b)] {
            cache.put(token, who, later, Instant::now());
        }
        cache.forget(a.session_id);
        assert!(cache.get("a1", now).is_none() && cache.get("a2", now).is_none());
        assert!(cache.get("b", now).is_some());
    }

    #[test]
    fn a_full_cache_makes_room() {
        let cache = SessionCache::new(Duration::from_secs(60), 3);
        let (who, now) = (caller(), Utc::now());
        let later = now + TimeDelta::hours(1);
        for n in 0..10 {
            cache.put(&format!("t{n}"), &who, later, Instant::now());
            assert!(cache.entries().len() <= 3);
        }
        assert!(cache.get("t9", now).is_some(), "the newest is kept");
    }
}
