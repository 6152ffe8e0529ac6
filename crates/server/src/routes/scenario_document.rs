//! The JSON Schema of a scenario document, as the spec publishes it (docs/scenarios.md). The
//! document is read as the domain's `RawScenario` and checked by `RawScenario::validate`; these
//! types only describe it, with the bounds the validation enforces (a test keeps the examples
//! valid under both).

use serde::Serialize;
use utoipa::ToSchema;

/// A scenario: scripted accounts with exact transactions, and events after linking.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!(example()))]
pub struct ScenarioDocument {
    /// At most 100 characters.
    #[schema(max_length = 100, min_length = 1)]
    pub name: String,
    /// What it shows, at most 2,000 characters.
    #[schema(max_length = 2000, nullable = false)]
    pub description: Option<String>,
    /// 1 to 10 accounts, at most 10,000 transactions in all.
    #[schema(min_items = 1, max_items = 10)]
    pub accounts: Vec<ScenarioAccountDocument>,
    /// At most 100 events.
    #[schema(max_items = 100, nullable = false)]
    pub events: Option<Vec<ScenarioEventDocument>>,
}

/// A scripted account.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioAccountDocument {
    /// Its name in the document, unique among the accounts.
    #[serde(rename = "ref")]
    #[schema(max_length = 40, min_length = 1)]
    pub reference: String,
    /// Its type.
    #[serde(rename = "type")]
    #[schema(value_type = crate::schemas::AccountType)]
    pub account_type: String,
    /// One of the type's subtypes (the first when left out).
    #[schema(value_type = Option<crate::schemas::AccountSubtype>, nullable = false)]
    pub subtype: Option<String>,
    /// Its display name.
    #[schema(max_length = 100, min_length = 1)]
    pub name: String,
    /// Four digits (`0000` when left out).
    #[schema(pattern = "^[0-9]{4}$", nullable = false)]
    pub mask: Option<String>,
    /// The balance before the first row (`0.00` when left out).
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$", nullable = false)]
    pub opening_balance: Option<String>,
    /// Keep the seeded generator's history under the scripted rows.
    #[schema(nullable = false)]
    pub generated: Option<bool>,
    /// Credit cards only (5000.00 when left out).
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$", nullable = false)]
    pub credit_limit: Option<String>,
    /// Credit cards only: the statement's day of the month (25 when left out).
    #[schema(minimum = 1, maximum = 28, nullable = false)]
    pub statement_day: Option<u32>,
    /// Credit cards only: the due day of the month (20 when left out).
    #[schema(minimum = 1, maximum = 28, nullable = false)]
    pub due_day: Option<u32>,
    /// Its rows.
    #[schema(nullable = false)]
    pub transactions: Option<Vec<ScenarioTransactionDocument>>,
}

/// A scripted transaction: `day` or `date`, exactly one.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioTransactionDocument {
    /// Its name in the document (for `refundOf`), unique in the account.
    #[serde(rename = "ref")]
    #[schema(nullable = false)]
    pub reference: Option<String>,
    /// Days from the link day: negative is history, positive arrives as the clock passes it.
    #[schema(minimum = -730, maximum = 3650, nullable = false)]
    pub day: Option<i64>,
    /// A calendar date instead of `day`.
    #[schema(format = Date, nullable = false)]
    pub date: Option<String>,
    /// In our sign (negative is money out), not zero.
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub amount: String,
    /// The statement line.
    #[schema(max_length = 200, min_length = 1)]
    pub description: String,
    /// The merchant.
    #[schema(max_length = 100, nullable = false)]
    pub merchant_name: Option<String>,
    /// Its category (the categoriser's choice when left out).
    #[schema(value_type = Option<crate::schemas::Category>, nullable = false)]
    pub category: Option<String>,
    /// `posted` (the default) or `pending`.
    #[schema(value_type = Option<crate::schemas::ScenarioRowStatus>, nullable = false)]
    pub status: Option<String>,
    /// A pending row: the day it posts (after its own).
    #[schema(minimum = -730, maximum = 3650, nullable = false)]
    pub posts_on_day: Option<i64>,
    /// A pending row: the day it drops (after its own).
    #[schema(minimum = -730, maximum = 3650, nullable = false)]
    pub drops_on_day: Option<i64>,
    /// The `ref` of the purchase this refunds (same account).
    #[schema(nullable = false)]
    pub refund_of: Option<String>,
}

/// A scripted event: `day` or `date`, exactly one.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioEventDocument {
    /// Days from the link day.
    #[schema(minimum = -730, maximum = 3650, nullable = false)]
    pub day: Option<i64>,
    /// A calendar date instead of `day`.
    #[schema(format = Date, nullable = false)]
    pub date: Option<String>,
    /// What happens.
    #[schema(value_type = crate::schemas::ScenarioEventKind)]
    pub event: String,
}

/// The example document: `examples/scenarios/overdraft-then-payroll.json`.
pub fn example() -> serde_json::Value {
    serde_json::from_str(include_str!("../../../../examples/scenarios/overdraft-then-payroll.json")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    /// The schemas above repeat the money pattern as a literal (attributes need one).
    #[test]
    fn the_money_pattern_is_the_apis() {
        assert_eq!(crate::schemas::MONEY_PATTERN, r"^-?[0-9]+\.[0-9]{2}$");
    }
}
