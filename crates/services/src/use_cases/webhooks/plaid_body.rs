//! Plaid's webhook bodies, for connections whose format is `plaid` (items of the Plaid API).
//!
//! These are Plaid API vocabulary, kept here rather than in the server's `plaid` module because
//! the outbox writes an event's exact body inside the transaction of the change it reports.
//! [`PlaidWebhook::from_event`] is the one translation from a Sandbank event; the sandbox's
//! `/sandbox/item/fire_webhook` builds the others directly. Each body has every field
//! plaid-python 46's model of it requires, and `environment: "sandbox"`.

use sandbank_domain::ConnectionId;
use sandbank_domain::connection::ConnectionStatus;
use sandbank_domain::link::LinkOutcome;
use sandbank_domain::webhook::EventData;
use serde::Serialize;
use uuid::Uuid;

/// One webhook as Plaid sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaidWebhook {
    /// `TRANSACTIONS` / `SYNC_UPDATES_AVAILABLE`: `/transactions/sync` has new data.
    SyncUpdatesAvailable,
    /// `TRANSACTIONS` / `DEFAULT_UPDATE`: new transactions (the legacy webhook).
    DefaultUpdate {
        /// How many.
        new_transactions: u64,
    },
    /// `ITEM` / `NEW_ACCOUNTS_AVAILABLE`: the institution has accounts the item does not share.
    NewAccountsAvailable,
    /// `ITEM` / `ERROR` with `ITEM_LOGIN_REQUIRED`: the item needs its user to log in again
    /// (ours `expired`, or `error`, as the Plaid API's item errors report both).
    LoginRequired,
    /// `ITEM` / `LOGIN_REPAIRED`: the item works again without the user's help.
    LoginRepaired,
    /// `ITEM` / `WEBHOOK_UPDATE_ACKNOWLEDGED`: the item's webhook URL is this one.
    WebhookUpdateAcknowledged {
        /// The URL.
        new_webhook_url: String,
    },
    /// `LINK` / `SESSION_FINISHED`: a Link session on the item ended (no `item_id`, as Plaid's).
    SessionFinished {
        /// Success or exit.
        outcome: LinkOutcome,
        /// Its `link_session_id`.
        session: Uuid,
        /// The link token.
        link_token: String,
        /// The public token of a success.
        public_token: Option<String>,
    },
}

/// Plaid's error object inside a webhook.
#[derive(Debug, Serialize)]
struct ErrorObject {
    error_type: &'static str,
    error_code: &'static str,
    error_message: &'static str,
    display_message: Option<&'static str>,
    status: u16,
}

/// The error of `ITEM` / `ERROR`.
const LOGIN_REQUIRED: ErrorObject = ErrorObject {
    error_type: "ITEM_ERROR",
    error_code: "ITEM_LOGIN_REQUIRED",
    error_message: "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information",
    display_message: None,
    status: 400,
};

/// The body: the two tags, the item, what the webhook carries, the environment.
#[derive(Debug, Serialize)]
struct Body<'a> {
    webhook_type: &'static str,
    webhook_code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    item_id: Option<String>,
    #[serde(flatten)]
    detail: Detail<'a>,
    environment: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Detail<'a> {
    Sync {
        initial_update_complete: bool,
        historical_update_complete: bool,
    },
    Default {
        new_transactions: u64,
    },
    Error {
        error: ErrorObject,
    },
    Url {
        new_webhook_url: &'a str,
    },
    Session {
        status: &'static str,
        link_session_id: String,
        link_token: &'a str,
        public_tokens: Vec<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        public_token: Option<&'a str>,
    },
    Nothing {},
}

impl PlaidWebhook {
    /// The Plaid webhook a Sandbank event becomes, if any: new data →
    /// `SYNC_UPDATES_AVAILABLE` (history is always complete: it is stored before an item is
    /// handed out); a status change to `expired` or `error` → `ITEM` / `ERROR`, from either back
    /// to `connected` → `LOGIN_REPAIRED`; the test event → `WEBHOOK_UPDATE_ACKNOWLEDGED` with
    /// `url`. Other changes (the first `connected`, `disconnected`) have no Plaid webhook.
    pub fn from_event(data: &EventData, url: &str) -> Option<Self> {
        match data {
            EventData::UpdatesAvailable { .. } => Some(Self::SyncUpdatesAvailable),
            EventData::StatusChanged { to: ConnectionStatus::Expired | ConnectionStatus::Error, .. } => {
                Some(Self::LoginRequired)
            }
            EventData::StatusChanged {
                from: ConnectionStatus::Expired | ConnectionStatus::Error,
                to: ConnectionStatus::Connected,
                ..
            } => Some(Self::LoginRepaired),
            EventData::StatusChanged { .. } => None,
            EventData::Test {} => Some(Self::WebhookUpdateAcknowledged { new_webhook_url: url.to_owned() }),
        }
    }

    /// `(webhook_type, webhook_code)`.
    pub const fn tags(&self) -> (&'static str, &'static str) {
        match self {
            Self::SyncUpdatesAvailable => ("TRANSACTIONS", "SYNC_UPDATES_AVAILABLE"),
            Self::DefaultUpdate { .. } => ("TRANSACTIONS", "DEFAULT_UPDATE"),
            Self::NewAccountsAvailable => ("ITEM", "NEW_ACCOUNTS_AVAILABLE"),
            Self::LoginRequired => ("ITEM", "ERROR"),
            Self::LoginRepaired => ("ITEM", "LOGIN_REPAIRED"),
            Self::WebhookUpdateAcknowledged { .. } => ("ITEM", "WEBHOOK_UPDATE_ACKNOWLEDGED"),
            Self::SessionFinished { .. } => ("LINK", "SESSION_FINISHED"),
        }
    }

    /// The JSON body about the item `item` (its id is the connection's).
    pub fn body(&self, item: ConnectionId) -> Result<String, serde_json::Error> {
        let detail = match self {
            Self::SyncUpdatesAvailable => {
                Detail::Sync { initial_update_complete: true, historical_update_complete: true }
            }
            Self::DefaultUpdate { new_transactions } => Detail::Default { new_transactions: *new_transactions },
            Self::LoginRequired => Detail::Error { error: LOGIN_REQUIRED },
            Self::WebhookUpdateAcknowledged { new_webhook_url } => Detail::Url { new_webhook_url },
            Self::NewAccountsAvailable | Self::LoginRepaired => Detail::Nothing {},
            Self::SessionFinished { outcome, session, link_token, public_token } => Detail::Session {
                status: match outcome {
                    LinkOutcome::Success => "SUCCESS",
                    LinkOutcome::Exited => "EXITED",
                },
                link_session_id: session.to_string(),
                link_token,
                public_tokens: public_token.iter().map(String::as_str).collect(),
                public_token: public_token.as_deref(),
            },
        };
        let (webhook_type, webhook_code) = self.tags();
        let item_id = (!matches!(self, Self::SessionFinished { .. })).then(|| item.to_string());
        serde_json::to_string(&Body { webhook_type, webhook_code, item_id, detail, environment: "sandbox" })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use sandbank_domain::webhook::EventProblem;

    fn body(webhook: &PlaidWebhook, item: ConnectionId) -> Value {
        serde_json::from_str(&webhook.body(item).expect("body")).expect("json")
    }

    #[test]
    fn events_become_plaids_bodies() {
        let item = ConnectionId::new();
        let data = EventData::UpdatesAvailable { added: 2, modified: 0, removed: 1 };
        let sync = PlaidWebhook::from_event(&data, "http://x").expect("sync");
        assert_eq!(
            body(&sync, item),
            json!({"webhook_type": "TRANSACTIONS", "webhook_code": "SYNC_UPDATES_AVAILABLE", "item_id": item.to_string(),
                   "initial_update_complete": true, "historical_update_complete": true, "environment": "sandbox"})
        );
        let problem = Some(EventProblem { code: "token_expired".into(), message: "m".into() });
        let expired = EventData::StatusChanged {
            from: ConnectionStatus::Connected,
            to: ConnectionStatus::Expired,
            error: problem,
        };
        let error = body(&PlaidWebhook::from_event(&expired, "http://x").expect("error"), item);
        assert_eq!((error["webhook_type"].as_str(), error["webhook_code"].as_str()), (Some("ITEM"), Some("ERROR")));
        assert_eq!(error["error"]["error_code"], "ITEM_LOGIN_REQUIRED");
        assert_eq!(error["error"]["error_type"], "ITEM_ERROR");
        assert_eq!(error["error"]["display_message"], Value::Null);
        let down =
            EventData::StatusChanged { from: ConnectionStatus::Connected, to: ConnectionStatus::Error, error: None };
        assert_eq!(PlaidWebhook::from_event(&down, "u"), Some(PlaidWebhook::LoginRequired));
        let first = EventData::StatusChanged {
            from: ConnectionStatus::Authorizing,
            to: ConnectionStatus::Connected,
            error: None,
        };
        assert_eq!(PlaidWebhook::from_event(&first, "u"), None);
        let back =
            EventData::StatusChanged { from: ConnectionStatus::Expired, to: ConnectionStatus::Connected, error: None };
        assert_eq!(PlaidWebhook::from_event(&back, "u"), Some(PlaidWebhook::LoginRepaired));
        let gone = EventData::StatusChanged {
            from: ConnectionStatus::Connected,
            to: ConnectionStatus::Disconnected,
            error: None,
        };
        assert_eq!(PlaidWebhook::from_event(&gone, "u"), None);
        let test = body(&PlaidWebhook::from_event(&EventData::Test {}, "http://127.0.0.1:9/h").expect("test"), item);
        assert_eq!(test["webhook_code"], "WEBHOOK_UPDATE_ACKNOWLEDGED");
        assert_eq!(test["new_webhook_url"], "http://127.0.0.1:9/h");
    }

    #[test]
    fn a_finished_link_session_names_its_token_and_no_item() {
        let session = Uuid::new_v4();
        let webhook = PlaidWebhook::SessionFinished {
            outcome: LinkOutcome::Success,
            session,
            link_token: "link-sandbox-x".into(),
            public_token: Some("public-sandbox-y".into()),
        };
        assert_eq!(
            body(&webhook, ConnectionId::new()),
            json!({"webhook_type": "LINK", "webhook_code": "SESSION_FINISHED", "status": "SUCCESS",
                   "link_session_id": session.to_string(), "link_token": "link-sandbox-x",
                   "public_tokens": ["public-sandbox-y"], "public_token": "public-sandbox-y", "environment": "sandbox"})
        );
        let exited = PlaidWebhook::SessionFinished {
            outcome: LinkOutcome::Exited,
            session,
            link_token: "link-sandbox-x".into(),
            public_token: None,
        };
        let exited = body(&exited, ConnectionId::new());
        assert_eq!((exited["status"].as_str(), exited["public_tokens"].clone()), (Some("EXITED"), json!([])));
        assert!(exited.get("public_token").is_none() && exited.get("item_id").is_none(), "{exited}");
    }

    #[test]
    fn fired_bodies_carry_their_fields() {
        let item = ConnectionId::new();
        let default = body(&PlaidWebhook::DefaultUpdate { new_transactions: 3 }, item);
        assert_eq!(default["new_transactions"], 3);
        assert_eq!(default["webhook_type"], "TRANSACTIONS");
        let accounts = body(&PlaidWebhook::NewAccountsAvailable, item);
        let keys: Vec<&str> = accounts.as_object().expect("object").keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 4, "{keys:?}");
        assert_eq!(
            (accounts["webhook_type"].as_str(), accounts["environment"].as_str()),
            (Some("ITEM"), Some("sandbox"))
        );
    }
}
