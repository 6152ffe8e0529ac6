//! Plaid's sandbox "custom user": `/sandbox/public_token/create` with `override_username`
//! `user_custom` and, as the password, a JSON configuration of the accounts
//! (`override_accounts[] {type, subtype, starting_balance, meta, transactions[]}`) and an
//! optional `force_error`. It becomes a Sandbank scenario (docs/scenarios.md): each account a
//! scripted account, each transaction a posted row on its `date_posted` (or
//! `date_transacted`) with the amount in our sign, and `force_error` an event on the link day.

use sandbank_domain::scenario::{RawAccount, RawEvent, RawRow, RawScenario};
use serde::Deserialize;

use super::error::{PlaidError, PlaidErrorCode};

/// The user name that asks for a custom user.
pub const CUSTOM_USER: &str = "user_custom";

/// The configuration, as Plaid documents it (fields Sandbank does not simulate — identity,
/// liabilities, numbers, inflow models, MFA — are accepted and ignored).
#[derive(Debug, Deserialize)]
pub struct CustomUser {
    override_accounts: Vec<CustomAccount>,
    #[serde(default)]
    force_error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CustomAccount {
    #[serde(rename = "type")]
    account_type: String,
    subtype: Option<String>,
    #[serde(default)]
    starting_balance: Option<serde_json::Number>,
    #[serde(default)]
    meta: Option<CustomMeta>,
    #[serde(default)]
    transactions: Vec<CustomTransaction>,
}

#[derive(Debug, Default, Deserialize)]
struct CustomMeta {
    name: Option<String>,
    mask: Option<String>,
    limit: Option<serde_json::Number>,
}

#[derive(Debug, Deserialize)]
struct CustomTransaction {
    date_transacted: Option<String>,
    date_posted: Option<String>,
    amount: serde_json::Number,
    description: String,
}

/// The scenario of a custom user's `password`; a configuration that does not parse, or that
/// names what Sandbank cannot simulate, is `INVALID_FIELD` saying where.
pub fn scenario_of(password: &str) -> Result<RawScenario, PlaidError> {
    let invalid = |message: String| PlaidError::new(PlaidErrorCode::InvalidField, message);
    let mut reader = serde_json::Deserializer::from_str(password);
    let user: CustomUser = serde_path_to_error::deserialize(&mut reader)
        .map_err(|e| invalid(format!("options.override_password: the custom user's {}: {}", e.path(), e.inner())))?;
    let accounts = user
        .override_accounts
        .iter()
        .enumerate()
        .map(|(i, account)| account_of(i, account).map_err(&invalid))
        .collect::<Result<Vec<_>, _>>()?;
    let events = match user.force_error.as_deref() {
        None => Vec::new(),
        Some(code) => vec![event_of(code).map_err(invalid)?],
    };
    Ok(RawScenario { name: Some("Plaid custom user".into()), description: None, accounts, events })
}

/// Plaid's `force_error` as the event that causes it on the link day.
fn event_of(code: &str) -> Result<RawEvent, String> {
    let event = match code {
        "INSTITUTION_DOWN" | "INSTITUTION_NOT_RESPONDING" => "provider_outage",
        "ITEM_LOCKED" => "locked",
        other => return Err(format!("force_error {other} is not simulated (INSTITUTION_DOWN and ITEM_LOCKED are)")),
    };
    Ok(RawEvent { day: Some(0), date: None, event: Some(event.into()) })
}

/// Plaid's type and subtype as ours.
fn kind_of(account_type: &str, subtype: Option<&str>) -> Option<(&'static str, &'static str)> {
    Some(match (account_type, subtype.unwrap_or("")) {
        ("depository", "savings" | "money market" | "cd") => ("savings", "personal"),
        ("depository", _) => ("checking", "personal"),
        ("credit", _) => ("credit_card", "rewards"),
        ("investment", "ira" | "roth") => ("investment", "ira"),
        ("investment", _) => ("investment", "brokerage"),
        _ => return None,
    })
}

/// A Plaid JSON number of dollars as our decimal string, in our sign when `negate`.
fn dollars(number: &serde_json::Number, negate: bool) -> Option<String> {
    let cents = (number.as_f64()? * 100.0).round();
    let cents = if negate { -cents } else { cents };
    (cents.abs() < 1e15)
        .then(|| sandbank_domain::Money::from_minor(cents as i64, sandbank_domain::Currency::USD).to_string())
}

fn account_of(i: usize, account: &CustomAccount) -> Result<RawAccount, String> {
    let path = format!("override_accounts[{i}]");
    let (kind, subtype) = kind_of(&account.account_type, account.subtype.as_deref()).ok_or_else(|| {
        format!("{path}.type: {} is not simulated (depository, credit, investment are)", account.account_type)
    })?;
    let meta = account.meta.as_ref();
    let rows = account.transactions.iter().map(row_of).collect::<Option<Vec<_>>>();
    let rows =
        rows.ok_or_else(|| format!("{path}.transactions: each needs date_posted or date_transacted and an amount"))?;
    let is_card = kind == "credit_card";
    Ok(RawAccount {
        reference: Some(format!("account{i}")),
        account_type: Some(kind.into()),
        subtype: Some(subtype.into()),
        name: Some(meta.and_then(|m| m.name.clone()).unwrap_or_else(|| format!("Plaid {} {i}", account.account_type))),
        mask: meta.and_then(|m| m.mask.clone()),
        opening_balance: account.starting_balance.as_ref().and_then(|b| dollars(b, false)),
        credit_limit: if is_card { meta.and_then(|m| m.limit.as_ref()).and_then(|l| dollars(l, false)) } else { None },
        transactions: rows,
        ..RawAccount::default()
    })
}

fn row_of(transaction: &CustomTransaction) -> Option<RawRow> {
    let date = transaction.date_posted.clone().or_else(|| transaction.date_transacted.clone())?;
    Some(RawRow {
        date: Some(date),
        amount: Some(dollars(&transaction.amount, true)?),
        description: Some(transaction.description.clone()),
        ..RawRow::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_custom_user_becomes_a_scenario() {
        let password = r#"{"override_accounts": [
            {"type": "depository", "subtype": "checking", "starting_balance": 1000.5, "meta": {"name": "Custom Checking", "mask": "1234"},
             "transactions": [{"date_transacted": "2026-11-01", "date_posted": "2026-11-02", "currency": "USD", "amount": 25.25, "description": "COFFEE"}],
             "identity": {"names": ["Alberta"]}},
            {"type": "credit", "subtype": "credit card", "meta": {"limit": 3000}}],
            "force_error": "ITEM_LOCKED"}"#;
        let scenario = scenario_of(password).expect("translated").validate().expect("a valid scenario");
        let checking = &scenario.accounts[0];
        assert_eq!(
            (checking.name.as_str(), checking.mask.as_str(), checking.opening_balance.to_string()),
            ("Custom Checking", "1234", "1000.50".into())
        );
        assert_eq!(checking.rows[0].amount.to_string(), "-25.25", "Plaid's positive amount is money out");
        assert_eq!(scenario.accounts[1].credit_limit.map(|l| l.to_string()), Some("3000.00".into()));
        assert_eq!(scenario.events.len(), 1);
    }

    #[test]
    fn what_cannot_be_simulated_is_named() {
        let error = |password: &str| scenario_of(password).expect_err("refused").message;
        assert!(error(r#"{"override_accounts": [{"type": "loan"}]}"#).contains("override_accounts[0].type"));
        assert!(
            error(r#"{"override_accounts": [], "force_error": "MFA_NOT_SUPPORTED"}"#).contains("MFA_NOT_SUPPORTED")
        );
        assert!(error("not json").contains("override_password"));
        assert!(error(r#"{"override_accounts": [{"type": "depository", "transactions": [{"amount": 1, "description": "X"}]}]}"#).contains("date_posted"));
    }
}
