//! Scenarios: a developer's script of a sandbox bank — the accounts, their exact rows, and what
//! happens after linking (rows that arrive, pending rows that post or drop, faults). A document
//! arrives as [`RawScenario`] (its JSON shape, read by the server) and becomes a [`Scenario`]
//! through [`RawScenario::validate`], which names every problem by its path in the document,
//! in dot-and-bracket form (`accounts[0].transactions[2].postsOnDay`).

mod check;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ScenarioId;
use crate::account::{AccountSubtype, AccountType};
use crate::money::Money;
use crate::text_enum::text_enum;
use crate::transaction::Category;

pub use check::{MAX_ACCOUNTS, MAX_EVENTS, MAX_ROWS};

text_enum!(
    /// What a scripted event does to the connection when its day comes.
    ScenarioEventKind {
        /// The bank stops answering (syncs are 503 `provider_unavailable`).
        ProviderOutage => "provider_outage",
        /// The bank answers again.
        Recover => "recover",
        /// The access token expires (the connection needs authorizing again).
        ExpireToken => "expire_token",
        /// The bank locks the account (the connection is in `error`).
        Locked => "locked",
    }
);

text_enum!(
    /// A scripted row's status when it first shows.
    ScenarioRowStatus {
        /// Posted on its day.
        Posted => "posted",
        /// Pending from its day (until it posts or drops, if it does).
        Pending => "pending",
    }
);

/// When a scripted thing happens: a day counted from the day the connection is linked
/// (negative: history) or a calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScenarioDay {
    /// Days from the link day.
    Relative(i32),
    /// A date.
    Date(NaiveDate),
}

impl ScenarioDay {
    /// The date this is for a connection linked on `linked`.
    pub fn on(self, linked: NaiveDate) -> NaiveDate {
        match self {
            Self::Relative(days) => linked + chrono::TimeDelta::days(i64::from(days)),
            Self::Date(date) => date,
        }
    }
}

/// What becomes of a pending row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingFate {
    /// Stays pending.
    Stays,
    /// Posts on this day.
    PostsOn(ScenarioDay),
    /// Disappears on this day.
    DropsOn(ScenarioDay),
}

/// A scripted transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioRow {
    /// Its name in the document.
    pub reference: Option<String>,
    /// When it happens.
    pub day: ScenarioDay,
    /// In our sign: negative is money out.
    pub amount: Money,
    /// The statement line.
    pub description: String,
    /// The merchant, if any.
    pub merchant_name: Option<String>,
    /// Its category (the categoriser's when none).
    pub category: Option<Category>,
    /// `None` when posted; what becomes of it when pending.
    pub pending: Option<PendingFate>,
    /// The index (in the same account) of the row this refunds.
    pub refund_of: Option<usize>,
}

/// A scripted account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioAccount {
    /// Its name in the document.
    pub reference: String,
    /// Type and subtype.
    pub kind: (AccountType, AccountSubtype),
    /// Its display name.
    pub name: String,
    /// The last four digits.
    pub mask: String,
    /// The balance before the first scripted row.
    pub opening_balance: Money,
    /// Whether the seeded generator's history is kept beside the scripted rows.
    pub generated: bool,
    /// A card's limit.
    pub credit_limit: Option<Money>,
    /// A card's statement and due days of the month.
    pub card_days: Option<(u32, u32)>,
    /// Its rows, in document order.
    pub rows: Vec<ScenarioRow>,
}

/// A scripted event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScenarioEvent {
    /// When (applied once the connection's clock is on or after it).
    pub day: ScenarioDay,
    /// What.
    pub kind: ScenarioEventKind,
}

/// A valid scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// Its name.
    pub name: String,
    /// What it shows.
    pub description: Option<String>,
    /// Its accounts.
    pub accounts: Vec<ScenarioAccount>,
    /// Its events, in day order as written.
    pub events: Vec<ScenarioEvent>,
}

/// A scenario document as written: its JSON shape, every value still to check.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawScenario {
    /// `name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `accounts`.
    #[serde(default)]
    pub accounts: Vec<RawAccount>,
    /// `events`.
    #[serde(default)]
    pub events: Vec<RawEvent>,
}

/// An account as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawAccount {
    #[serde(rename = "ref")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(rename = "type")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtype: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mask: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opening_balance: Option<String>,
    #[serde(default)]
    pub generated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit_limit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_day: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_day: Option<u32>,
    #[serde(default)]
    pub transactions: Vec<RawRow>,
}

/// A transaction as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawRow {
    #[serde(rename = "ref")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posts_on_day: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drops_on_day: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund_of: Option<String>,
}

/// An event as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawEvent {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
}

/// A scenario a user saved: its document as written (canonical JSON) and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedScenario {
    /// Its id.
    pub id: ScenarioId,
    /// Its name (the document's).
    pub name: String,
    /// The document, as JSON.
    pub document: String,
    /// When it was saved.
    pub created_at: DateTime<Utc>,
}

impl Scenario {
    /// How many scripted transactions it has, over all its accounts.
    pub fn row_count(&self) -> usize {
        self.accounts.iter().map(|a| a.rows.len()).sum()
    }
}
