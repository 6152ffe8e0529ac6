//! Link of the Plaid-compatible API: a link token holds what `/link/token/create` was asked
//! for; the hosted Link page runs one session on it, in which an end user picks a bank (or, in
//! update mode, re-authorizes an item) and either finishes, with a public token, or exits.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::text_enum::text_enum;
use crate::webhook_url::WebhookUrl;
use crate::{ConnectionId, LinkTokenId, UserId};

/// How long a link token lasts (Plaid's default: four hours).
pub const LINK_TOKEN_HOURS: i64 = 4;

text_enum!(
    /// How a Link session ended.
    LinkOutcome {
        /// The end user connected the item (Plaid's `SUCCESS`).
        Success => "success",
        /// The end user left without connecting (Plaid's `EXITED`).
        Exited => "exited",
    }
);

/// What a link token was created with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSettings {
    /// The name Link shows the end user.
    pub client_name: String,
    /// Link's language (`en`, …).
    pub language: String,
    /// Country codes (`US`, …).
    pub country_codes: Vec<String>,
    /// The products asked for.
    pub products: Vec<String>,
    /// Where the item's webhooks (and `SESSION_FINISHED`) go.
    pub webhook: Option<WebhookUrl>,
    /// Plaid's OAuth `redirect_uri`, kept to be reported back.
    pub redirect_uri: Option<WebhookUrl>,
    /// Where the hosted page sends the end user when the session ends.
    pub completion_redirect_uri: Option<WebhookUrl>,
    /// Whether the token has a hosted Link page (`hosted_link` was asked for).
    pub hosted: bool,
    /// Update mode: the item to authorize again, instead of a new one.
    pub update: Option<ConnectionId>,
}

/// The one Link session run on a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSession {
    /// Plaid's `link_session_id`.
    pub id: Uuid,
    /// When the end user opened the page.
    pub started_at: DateTime<Utc>,
    /// The item the session made (or updates), once a bank is picked.
    pub connection: Option<ConnectionId>,
    /// How and when it ended, with the public token of a success.
    pub end: Option<LinkEnd>,
}

/// The end of a Link session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkEnd {
    /// When.
    pub finished_at: DateTime<Utc>,
    /// How.
    pub outcome: LinkOutcome,
    /// The public token a success handed out.
    pub public_token: Option<String>,
}

/// A link token and its session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkToken {
    /// Its id (the token is `link-sandbox-<id>`).
    pub id: LinkTokenId,
    /// The user whose developer key made it; the item is theirs.
    pub user: UserId,
    /// The developer key's client id.
    pub client_id: String,
    /// What it was created with.
    pub settings: LinkSettings,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// Its session, once the page was opened.
    pub session: Option<LinkSession>,
}

/// The token's prefix.
const PREFIX: &str = "link-sandbox-";

impl LinkToken {
    /// The token as the client holds it.
    pub fn token(&self) -> String {
        token_of(self.id)
    }

    /// Whether the hosted page still takes the end user's steps at `now`: not expired, and
    /// its session (if any) not ended.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        now < self.expires_at && self.session.as_ref().is_none_or(|s| s.end.is_none())
    }

    /// What logs name the token by: its first eight hexadecimal digits, never the whole
    /// token, which is the hosted page's credential (the 90 random bits left keep it so).
    pub fn log_id(&self) -> String {
        format!("{PREFIX}{}…", &self.id.as_uuid().simple().to_string()[..8])
    }

    /// The item the session works on: update mode's, or the one picked.
    pub fn item(&self) -> Option<ConnectionId> {
        self.settings.update.or_else(|| self.session.as_ref().and_then(|s| s.connection))
    }

    /// The session's end, if it ended.
    pub fn end(&self) -> Option<&LinkEnd> {
        self.session.as_ref().and_then(|s| s.end.as_ref())
    }
}

/// The token text of `id`.
pub fn token_of(id: LinkTokenId) -> String {
    format!("{PREFIX}{}", id.as_uuid())
}

/// The id a token names, if it is one's form.
pub fn parse_token(token: &str) -> Option<LinkTokenId> {
    let uuid = token.strip_prefix(PREFIX)?;
    (uuid.len() == 36).then(|| uuid.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    fn token(now: DateTime<Utc>) -> LinkToken {
        LinkToken {
            id: LinkTokenId::from_uuid(Uuid::new_v4()),
            user: UserId::new(),
            client_id: "c".into(),
            settings: LinkSettings {
                client_name: "App".into(),
                language: "en".into(),
                country_codes: vec!["US".into()],
                products: vec!["transactions".into()],
                webhook: None,
                redirect_uri: None,
                completion_redirect_uri: None,
                hosted: true,
                update: None,
            },
            created_at: now,
            expires_at: now + TimeDelta::hours(LINK_TOKEN_HOURS),
            session: None,
        }
    }

    #[test]
    fn a_token_round_trips_through_its_text() {
        let link = token(Utc::now());
        assert_eq!(parse_token(&link.token()), Some(link.id));
        assert_eq!(parse_token(&link.token().replace("link-", "public-")), None);
        assert_eq!(parse_token("link-sandbox-not-a-uuid"), None);
        assert_eq!(parse_token(&format!("{}0", link.token())), None);
    }

    #[test]
    fn a_token_is_open_until_it_expires_or_its_session_ends() {
        let now = Utc::now();
        let mut link = token(now);
        assert!(link.is_open(now));
        assert!(!link.is_open(now + TimeDelta::hours(LINK_TOKEN_HOURS)));
        link.session = Some(LinkSession { id: Uuid::new_v4(), started_at: now, connection: None, end: None });
        assert!(link.is_open(now));
        let end = LinkEnd { finished_at: now, outcome: LinkOutcome::Exited, public_token: None };
        link.session.as_mut().expect("session").end = Some(end);
        assert!(!link.is_open(now) && link.end().is_some());
    }
}
