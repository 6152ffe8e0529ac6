//! What pages show, as text ready for the templates: the navigation and flash messages, the
//! view-models of the tables and cards (each built with `From` from domain values), and the
//! formatting of money and times.

use sandbank_services::use_cases::scenarios::ScenarioView;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sandbank_domain::account::{Account, AccountStatus, AccountType};
use sandbank_domain::connection::ConnectionStatus;
use sandbank_domain::developer_key::DeveloperKey;
use sandbank_domain::provider::Provider;
use sandbank_domain::recurring::{RecurringCharge, monthly_cost};
use sandbank_domain::transaction::Transaction;
use sandbank_domain::webhook::WebhookDelivery;
use sandbank_domain::{AccountId, Currency, FieldErrors, Money};
use sandbank_services::Caller;
use sandbank_services::use_cases::connections::ConnectionView;
use sandbank_services::use_cases::dashboard::{Insights, QuickStats};

use crate::pages::charts::{cash_flow_chart, line_chart, spend_chart};

use crate::state::AppState;

/// The signed-in user as the navigation shows them.
#[derive(Debug, Clone)]
pub struct NavUser {
    /// Their e-mail.
    pub email: String,
    /// The CSRF token of their forms.
    pub csrf: String,
}

/// A one-line message about what just happened.
#[derive(Debug, Clone)]
pub struct Flash {
    /// `success` or `error`.
    pub kind: &'static str,
    /// The message.
    pub text: String,
}

/// The navigation and flash of a page.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    /// Who is signed in.
    pub user: Option<NavUser>,
    /// What just happened.
    pub flash: Option<Flash>,
}

impl Nav {
    /// The signed-in user's form token (every form of a page carries it); empty when anonymous.
    pub fn csrf(&self) -> &str {
        self.user.as_ref().map_or("", |user| user.csrf.as_str())
    }
}

/// The purpose every signed-in form's CSRF token is issued for.
pub const FORM_PURPOSE: &str = "form";

impl Nav {
    /// The navigation of `caller`, with the flash named by `flash` (and `n`, a count).
    pub fn signed_in(state: &AppState, caller: &Caller, flash: Option<&str>, n: Option<&str>) -> Self {
        Self {
            user: Some(NavUser {
                email: caller.user.email.clone(),
                csrf: state.csrf.issue(caller.session_id, FORM_PURPOSE),
            }),
            flash: flash.and_then(|code| flash_message(code, n)),
        }
    }
}

/// The words for a flash code.
fn flash_message(code: &str, n: Option<&str>) -> Option<Flash> {
    let ok = |text: String| Some(Flash { kind: "success", text });
    let n = n.unwrap_or("0");
    match code {
        "connected" => ok("Connected. Your accounts and their history are below.".into()),
        "synced" => ok(format!("Synced: {n} new transactions.")),
        "disconnected" => ok("Disconnected. The accounts stay here, read-only.".into()),
        "webhook_saved" => ok("Webhook URL saved.".into()),
        "key_revoked" => ok("Developer key revoked: it no longer authenticates.".into()),
        "cancelled" => ok("Connection cancelled; nothing was shared.".into()),
        "welcome" => ok("Welcome to Sandbank. Connect a bank to get started.".into()),
        "scenario_saved" => ok("Scenario saved. Pick it on a bank's Connect form.".into()),
        "scenario_deleted" => ok("Scenario deleted; connections made from it keep their data.".into()),
        "sync_failed" => Some(Flash { kind: "error", text: "The bank did not answer; try again in a moment.".into() }),
        "expired" => {
            Some(Flash { kind: "error", text: "The connection expired: reconnect it to keep syncing.".into() })
        }
        _ => None,
    }
}

/// `$1,234.56` or `−$42.17`.
pub fn money(amount: Money) -> String {
    let minor = amount.minor_units();
    let digits = (minor.unsigned_abs() / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if minor < 0 { "−" } else { "" };
    format!("{sign}${grouped}.{:02}", minor.unsigned_abs() % 100)
}

/// "just now", "5 minutes ago", "3 hours ago", "2 days ago".
pub fn ago(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - then).num_seconds().max(0);
    let (n, unit) = match seconds {
        0..60 => return "just now".into(),
        60..3_600 => (seconds / 60, "minute"),
        3_600..86_400 => (seconds / 3_600, "hour"),
        _ => (seconds / 86_400, "day"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// A form or filter error naming each bad field, e.g. `email must not contain NUL characters`.
pub fn fields_message(fields: &FieldErrors) -> String {
    fields.fields().iter().map(|(f, m)| format!("{f} {}", m.join(", "))).collect::<Vec<_>>().join("; ")
}

/// An account's type and subtype in words, e.g. `credit card · rewards`.
fn account_kind(account: &Account) -> String {
    format!("{} · {}", account.account_type.as_str().replace('_', " "), account.subtype.as_str().replace('_', " "))
}

/// The dashboard's figures at a glance.
pub struct Glance {
    pub(crate) cash: String,
    pub(crate) owed: String,
    pub(crate) net_worth: String,
    pub(crate) recent_count: u64,
    pub(crate) spent: String,
    pub(crate) spend_chart: String,
}

impl From<&QuickStats> for Glance {
    fn from(stats: &QuickStats) -> Self {
        let spend = &stats.spend_by_category;
        Self {
            cash: money(stats.cash),
            owed: money(stats.owed),
            net_worth: money(stats.net_worth),
            recent_count: stats.transactions_last_30_days,
            spent: money(stats.spent_this_month()),
            spend_chart: if spend.is_empty() { String::new() } else { spend_chart(spend) },
        }
    }
}

/// The dashboard's insights, as charts.
pub struct InsightsView {
    pub(crate) cash_flow: String,
    pub(crate) net_worth: String,
}

impl From<&Insights> for InsightsView {
    fn from(insights: &Insights) -> Self {
        Self {
            cash_flow: cash_flow_chart(&insights.cash_flow),
            net_worth: line_chart("Net worth", &insights.net_worth),
        }
    }
}

/// A line of the dashboard's Recurring charges table.
pub struct RecurringLine {
    pub(crate) merchant: String,
    pub(crate) category: String,
    pub(crate) cadence: String,
    pub(crate) typical: String,
    pub(crate) last: String,
    pub(crate) next: String,
    pub(crate) account: String,
}

/// The line of a recurring charge, naming its account.
impl From<(&RecurringCharge, &AccountNames)> for RecurringLine {
    fn from((charge, names): (&RecurringCharge, &AccountNames)) -> Self {
        Self {
            merchant: charge.merchant_name.clone(),
            category: charge.category.as_str().replace('_', " "),
            cadence: charge.cadence.as_str().replace('_', " "),
            typical: money(Money::from_minor(-charge.typical_amount.minor_units(), charge.typical_amount.currency())),
            last: charge.last_date.to_string(),
            next: charge.next_expected_date.to_string(),
            account: names.get(charge.account_id),
        }
    }
}

/// The dashboard's recurring charges: each one, and what they cost in an average month.
pub struct RecurringView {
    pub(crate) lines: Vec<RecurringLine>,
    pub(crate) per_month: String,
}

impl RecurringView {
    /// The view of `charges`, their accounts named by `names`.
    pub fn new(charges: &[RecurringCharge], names: &AccountNames) -> Self {
        Self {
            lines: charges.iter().map(|c| RecurringLine::from((c, names))).collect(),
            per_month: money(Money::from_minor(monthly_cost(charges), Currency::USD)),
        }
    }
}

/// A bank in the dashboard's Connect a bank section.
pub struct BankCard {
    pub(crate) id: String,
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) logo_url: String,
    pub(crate) types: String,
    pub(crate) connected: bool,
}

/// The card of a bank, from the bank and the user's connections.
impl From<(&Provider, &[ConnectionView])> for BankCard {
    fn from((p, connections): (&Provider, &[ConnectionView])) -> Self {
        Self {
            id: p.id.to_string(),
            slug: p.slug.clone(),
            name: p.name.clone(),
            logo_url: p.logo_url.clone(),
            types: p
                .supported_account_types
                .iter()
                .map(|t| t.as_str().replace('_', " "))
                .collect::<Vec<_>>()
                .join(", "),
            connected: connections
                .iter()
                .any(|c| c.connection.provider_id == p.id && c.connection.status == ConnectionStatus::Connected),
        }
    }
}

/// A line of the dashboard's Connections table.
pub struct ConnectionLine {
    pub(crate) id: String,
    pub(crate) provider: String,
    pub(crate) status: String,
    pub(crate) problem: Option<String>,
    pub(crate) last_sync: String,
    pub(crate) can_sync: bool,
    pub(crate) can_authorize: bool,
    pub(crate) authorize_url: String,
    pub(crate) webhook_url: String,
    pub(crate) can_edit_webhook: bool,
}

/// The line of a connection, its last sync told relative to `now`.
impl From<(&ConnectionView, DateTime<Utc>)> for ConnectionLine {
    fn from((view, now): (&ConnectionView, DateTime<Utc>)) -> Self {
        let c = &view.connection;
        Self {
            id: c.id.to_string(),
            provider: view.provider.name.clone(),
            status: c.status.to_string(),
            problem: c.problem.as_ref().map(|p| p.message.clone()),
            last_sync: c.last_synced_at.map_or_else(|| "never".to_owned(), |t| ago(t, now)),
            can_sync: c.status.check_sync().is_ok(),
            can_authorize: c.status.check_authorize().is_ok(),
            authorize_url: format!("/financial/authorize/{}", c.id),
            webhook_url: c.webhook_url.as_ref().map(|u| u.to_string()).unwrap_or_default(),
            can_edit_webhook: c.status.check_update().is_ok(),
        }
    }
}

/// A line of the dashboard's Webhook deliveries table.
pub struct DeliveryLine {
    pub(crate) provider: String,
    pub(crate) event_type: String,
    pub(crate) status: String,
    pub(crate) attempts: u32,
    pub(crate) last_code: String,
    pub(crate) last_error: String,
    pub(crate) when: String,
}

/// The line of a delivery, with its connection's bank and its time told relative to `now`.
impl From<(&WebhookDelivery, &str, DateTime<Utc>)> for DeliveryLine {
    fn from((d, provider, now): (&WebhookDelivery, &str, DateTime<Utc>)) -> Self {
        Self {
            provider: provider.to_owned(),
            event_type: d.event_type.to_string(),
            status: d.status.to_string(),
            attempts: d.attempts,
            last_code: d.last_status_code.map(|c| c.to_string()).unwrap_or_else(|| "—".to_owned()),
            last_error: d.last_error.clone().unwrap_or_default(),
            when: ago(d.created_at, now),
        }
    }
}

/// A line of the dashboard's Developer keys table.
pub struct KeyLine {
    pub(crate) client_id: String,
    pub(crate) name: String,
    pub(crate) created: String,
    pub(crate) last_used: String,
    pub(crate) revoked: String,
    pub(crate) active: bool,
}

/// The line of a developer key, its times told relative to `now`.
/// A saved scenario, as the Scenarios page and the Connect form list it.
#[derive(Debug, Clone)]
pub struct ScenarioLine {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) size: String,
    pub(crate) created: String,
}

impl From<(&ScenarioView, DateTime<Utc>)> for ScenarioLine {
    fn from((view, now): (&ScenarioView, DateTime<Utc>)) -> Self {
        let s = &view.scenario;
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        Self {
            id: view.saved.id.to_string(),
            name: view.saved.name.clone(),
            description: s.description.clone().unwrap_or_default(),
            size: format!(
                "{}, {}, {}",
                plural(s.accounts.len(), "account"),
                plural(s.row_count(), "transaction"),
                plural(s.events.len(), "event")
            ),
            created: ago(view.saved.created_at, now),
        }
    }
}

impl From<(&DeveloperKey, DateTime<Utc>)> for KeyLine {
    fn from((k, now): (&DeveloperKey, DateTime<Utc>)) -> Self {
        Self {
            client_id: k.client_id.to_string(),
            name: k.name.clone().unwrap_or_default(),
            created: ago(k.created_at, now),
            last_used: k.last_used_at.map_or_else(|| "never".to_owned(), |at| ago(at, now)),
            revoked: k.revoked_at.map(|at| ago(at, now)).unwrap_or_default(),
            active: k.is_active(),
        }
    }
}

/// A line of the dashboard's Accounts table.
pub struct AccountLine {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) provider: String,
    pub(crate) kind: String,
    pub(crate) number: String,
    pub(crate) current: String,
    pub(crate) available: String,
    pub(crate) limit: String,
    pub(crate) disconnected: bool,
}

/// The line of an account, with its bank's name.
impl From<(&Account, &str)> for AccountLine {
    fn from((a, provider): (&Account, &str)) -> Self {
        Self {
            id: a.id.to_string(),
            name: a.name.clone(),
            provider: provider.to_owned(),
            kind: account_kind(a),
            number: a.display_number(),
            current: money(a.current_balance),
            available: money(a.available_balance),
            limit: a.credit_limit.map(money).unwrap_or_default(),
            disconnected: a.status == AccountStatus::Disconnected,
        }
    }
}

/// An account's page: its figures, with `—` for what it does not have.
pub struct AccountDetail {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) official_name: String,
    pub(crate) number: String,
    pub(crate) kind: String,
    pub(crate) disconnected: bool,
    pub(crate) is_card: bool,
    pub(crate) current: String,
    pub(crate) available: String,
    pub(crate) limit: String,
    pub(crate) statement_date: String,
    pub(crate) due_date: String,
    pub(crate) statement_balance: String,
    pub(crate) minimum: String,
    pub(crate) check: String,
}

/// Whether an account's transactions account for its balance, in plain words.
fn balance_check(account: &Account) -> String {
    match account.reconciliation.as_deref() {
        None => "Not checked yet: it is checked after each sync.".to_owned(),
        Some("matched") => "Yes: every day's change in the balance equals what posted that day.".to_owned(),
        Some(mismatch) => format!("No: {mismatch}."),
    }
}

impl From<&Account> for AccountDetail {
    fn from(account: &Account) -> Self {
        let text = |value: Option<String>| value.unwrap_or_else(|| "—".to_owned());
        Self {
            id: account.id.to_string(),
            name: account.name.clone(),
            official_name: account.official_name.clone(),
            number: account.display_number(),
            kind: account_kind(account),
            disconnected: account.status == AccountStatus::Disconnected,
            is_card: account.account_type == AccountType::CreditCard,
            current: money(account.current_balance),
            available: money(account.available_balance),
            limit: text(account.credit_limit.map(money)),
            statement_date: text(account.statement_date.map(|d| d.to_string())),
            due_date: text(account.payment_due_date.map(|d| d.to_string())),
            statement_balance: text(account.statement_balance.map(money)),
            minimum: text(account.minimum_payment.map(money)),
            check: balance_check(account),
        }
    }
}

/// Each account's name as tables show it (`Gold Card ****1234`), by id.
pub struct AccountNames(HashMap<AccountId, String>);

impl AccountNames {
    /// The name of account `id` (empty when unknown).
    pub fn get(&self, id: AccountId) -> String {
        self.0.get(&id).cloned().unwrap_or_default()
    }
}

impl From<&[Account]> for AccountNames {
    fn from(accounts: &[Account]) -> Self {
        Self(accounts.iter().map(|a| (a.id, format!("{} {}", a.name, a.display_number()))).collect())
    }
}

/// A line of a transactions table.
pub struct TransactionLine {
    pub(crate) date: String,
    pub(crate) merchant: String,
    pub(crate) description: String,
    pub(crate) category: String,
    pub(crate) account: String,
    pub(crate) status: String,
    pub(crate) direction: &'static str,
    pub(crate) amount: String,
}

/// The line of a transaction, naming its account.
impl From<(&Transaction, &AccountNames)> for TransactionLine {
    fn from((t, names): (&Transaction, &AccountNames)) -> Self {
        let r = &t.reported;
        Self {
            date: r.date.to_string(),
            merchant: r.merchant_name.clone(),
            description: r.description.clone(),
            category: r.category.as_str().replace('_', " "),
            account: names.get(t.account_id),
            status: r.status.to_string(),
            direction: if r.amount.is_negative() { "debit" } else { "credit" },
            amount: money(r.amount),
        }
    }
}

/// The lines of `transactions`.
pub fn transaction_lines(transactions: &[Transaction], names: &AccountNames) -> Vec<TransactionLine> {
    transactions.iter().map(|t| TransactionLine::from((t, names))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sandbank_domain::Currency;

    #[test]
    fn formats_money_and_times() {
        assert_eq!(money(Money::from_minor(123_456_78, Currency::USD)), "$123,456.78");
        assert_eq!(money(Money::from_minor(-4217, Currency::USD)), "−$42.17");
        assert_eq!(money(Money::from_minor(5, Currency::USD)), "$0.05");
        let now = Utc::now();
        assert_eq!(ago(now, now), "just now");
        assert_eq!(ago(now - chrono::TimeDelta::minutes(5), now), "5 minutes ago");
        assert_eq!(ago(now - chrono::TimeDelta::hours(1), now), "1 hour ago");
        assert_eq!(ago(now - chrono::TimeDelta::days(3), now), "3 days ago");
    }
}
