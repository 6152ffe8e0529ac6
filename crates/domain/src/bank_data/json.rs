//! What a provider reports of an account as JSON (feature `serde`): [`ReportedAccount`],
//! [`ReportedBalances`] (a day's snapshot) and [`CardStatement`], with the names and forms of the
//! API's `AccountResponse` and `SnapshotResponse` for the same fields (camelCase, amounts as
//! decimal strings beside `currency`). Each converts to and from its shape on (de)serialization.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{CardStatement, ReportedAccount, ReportedBalances};
use crate::account::{AccountSubtype, AccountType};
use crate::money::{Currency, MoneyError, from_json, maybe_from_json};

/// A [`ReportedAccount`] as JSON (`displayNumber` is written, and ignored when read).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AccountJson {
    external_id: String,
    name: String,
    official_name: String,
    #[serde(rename = "type")]
    account_type: AccountType,
    subtype: AccountSubtype,
    mask: String,
    #[serde(default)]
    display_number: String,
    credit_limit: Option<String>,
    currency: String,
}

impl From<ReportedAccount> for AccountJson {
    fn from(a: ReportedAccount) -> Self {
        Self {
            display_number: a.display_number(),
            external_id: a.external_id,
            name: a.name,
            official_name: a.official_name,
            account_type: a.account_type,
            subtype: a.subtype,
            mask: a.mask,
            credit_limit: a.credit_limit.map(|m| m.to_string()),
            currency: a.currency.to_string(),
        }
    }
}

impl TryFrom<AccountJson> for ReportedAccount {
    type Error = MoneyError;
    fn try_from(a: AccountJson) -> Result<Self, MoneyError> {
        let currency: Currency = a.currency.parse()?;
        Ok(Self {
            credit_limit: maybe_from_json(a.credit_limit.as_deref(), &a.currency)?,
            external_id: a.external_id,
            name: a.name,
            official_name: a.official_name,
            account_type: a.account_type,
            subtype: a.subtype,
            mask: a.mask,
            currency,
        })
    }
}

/// [`ReportedBalances`] as JSON: a day's snapshot.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BalancesJson {
    date: NaiveDate,
    current_balance: String,
    available_balance: String,
    currency: String,
}

impl From<ReportedBalances> for BalancesJson {
    fn from(b: ReportedBalances) -> Self {
        Self {
            date: b.date,
            current_balance: b.current.to_string(),
            available_balance: b.available.to_string(),
            currency: b.current.currency().to_string(),
        }
    }
}

impl TryFrom<BalancesJson> for ReportedBalances {
    type Error = MoneyError;
    fn try_from(b: BalancesJson) -> Result<Self, MoneyError> {
        Ok(Self {
            date: b.date,
            current: from_json(&b.current_balance, &b.currency)?,
            available: from_json(&b.available_balance, &b.currency)?,
        })
    }
}

/// A [`CardStatement`] as JSON.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StatementJson {
    statement_date: NaiveDate,
    payment_due_date: NaiveDate,
    statement_balance: String,
    minimum_payment: String,
    currency: String,
}

impl From<CardStatement> for StatementJson {
    fn from(s: CardStatement) -> Self {
        Self {
            statement_date: s.statement_date,
            payment_due_date: s.payment_due_date,
            statement_balance: s.statement_balance.to_string(),
            minimum_payment: s.minimum_payment.to_string(),
            currency: s.statement_balance.currency().to_string(),
        }
    }
}

impl TryFrom<StatementJson> for CardStatement {
    type Error = MoneyError;
    fn try_from(s: StatementJson) -> Result<Self, MoneyError> {
        Ok(Self {
            statement_date: s.statement_date,
            payment_due_date: s.payment_due_date,
            statement_balance: from_json(&s.statement_balance, &s.currency)?,
            minimum_payment: from_json(&s.minimum_payment, &s.currency)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::bank_data::AccountReport;
    use crate::money::Money;

    fn usd(cents: i64) -> Money {
        Money::from_minor(cents, Currency::USD)
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, d).expect("date")
    }

    fn card() -> ReportedAccount {
        ReportedAccount {
            external_id: "acc_1".into(),
            name: "Gold Card".into(),
            official_name: "American Express Gold Card".into(),
            account_type: AccountType::CreditCard,
            subtype: AccountSubtype::Rewards,
            mask: "1234".into(),
            currency: Currency::USD,
            credit_limit: Some(usd(12_000_00)),
        }
    }

    #[test]
    fn an_account_and_its_figures_are_written_in_camel_case() {
        let written = serde_json::to_value(card()).expect("JSON");
        assert_eq!(written["officialName"], "American Express Gold Card");
        assert_eq!(written["type"], "credit_card");
        assert_eq!(written["displayNumber"], "****1234");
        assert_eq!(written["creditLimit"], "12000.00");
        let balances = ReportedBalances { date: day(4), current: usd(300_00), available: usd(-5) };
        assert_eq!(
            serde_json::to_value(balances).expect("JSON"),
            json!({"date": "2026-05-04", "currentBalance": "300.00", "availableBalance": "-0.05", "currency": "USD"})
        );
    }

    #[test]
    fn what_is_written_reads_back_equal() {
        let balances = ReportedBalances { date: day(4), current: usd(300_00), available: usd(11_700_00) };
        let statement = CardStatement {
            statement_date: day(1),
            payment_due_date: day(26),
            statement_balance: usd(812_40),
            minimum_payment: usd(35_00),
        };
        let report =
            AccountReport { transactions: Vec::new(), snapshots: vec![balances], balances, statement: Some(statement) };
        let text = serde_json::to_string(&report).expect("JSON");
        assert_eq!(serde_json::from_str::<AccountReport>(&text).expect("reads back"), report);
        let account = serde_json::to_string(&card()).expect("JSON");
        assert_eq!(serde_json::from_str::<ReportedAccount>(&account).expect("reads back"), card());
    }
}
