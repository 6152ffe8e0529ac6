//! The JSON shapes of what a provider reports (feature `serde`): camelCase, amounts as decimal
//! strings with two places beside a `currency` field, dates as `YYYY-MM-DD`, instants in
//! RFC 3339 — the names and forms the API uses for the same fields (`TransactionResponse`,
//! `AccountResponse`, `SnapshotResponse`). The domain types convert to and from these on
//! (de)serialization (`#[serde(into, try_from)]`), so a reader gets back equal values.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::account::{AccountSubtype, AccountType};
use crate::bank_data::{CardStatement, ReportedAccount, ReportedBalances};
use crate::money::{Currency, Money, MoneyError};
use crate::transaction::{Category, Location, PaymentChannel, ReportedTransaction, TransactionStatus, TransactionType};

/// `amount` of `currency` (its code as JSON has it), back to [`Money`].
fn money(amount: &str, currency: &str) -> Result<Money, MoneyError> {
    Money::parse(amount, currency.parse()?)
}

/// An optional amount, back to [`Money`].
fn maybe_money(amount: Option<&str>, currency: &str) -> Result<Option<Money>, MoneyError> {
    amount.map(|a| money(a, currency)).transpose()
}

/// A [`ReportedTransaction`] as JSON.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TransactionJson {
    amount: String,
    currency: String,
    #[serde(rename = "type")]
    transaction_type: TransactionType,
    status: TransactionStatus,
    date: NaiveDate,
    authorized_at: Option<DateTime<Utc>>,
    posted_at: Option<DateTime<Utc>>,
    merchant_name: String,
    description: String,
    category: Category,
    location: Option<Location>,
    payment_channel: PaymentChannel,
    external_id: String,
    refund_of: Option<String>,
    counterpart_external_id: Option<String>,
}

impl From<ReportedTransaction> for TransactionJson {
    fn from(t: ReportedTransaction) -> Self {
        Self {
            amount: t.amount.to_string(),
            currency: t.amount.currency().to_string(),
            transaction_type: t.transaction_type,
            status: t.status,
            date: t.date,
            authorized_at: t.authorized_at,
            posted_at: t.posted_at,
            merchant_name: t.merchant_name,
            description: t.description,
            category: t.category,
            location: t.location,
            payment_channel: t.payment_channel,
            external_id: t.external_id,
            refund_of: t.refund_of,
            counterpart_external_id: t.counterpart_external_id,
        }
    }
}

impl TryFrom<TransactionJson> for ReportedTransaction {
    type Error = MoneyError;
    fn try_from(t: TransactionJson) -> Result<Self, MoneyError> {
        Ok(Self {
            amount: money(&t.amount, &t.currency)?,
            transaction_type: t.transaction_type,
            status: t.status,
            date: t.date,
            authorized_at: t.authorized_at,
            posted_at: t.posted_at,
            merchant_name: t.merchant_name,
            description: t.description,
            category: t.category,
            location: t.location,
            payment_channel: t.payment_channel,
            external_id: t.external_id,
            refund_of: t.refund_of,
            counterpart_external_id: t.counterpart_external_id,
        })
    }
}

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
            credit_limit: maybe_money(a.credit_limit.as_deref(), &a.currency)?,
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
            current: money(&b.current_balance, &b.currency)?,
            available: money(&b.available_balance, &b.currency)?,
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
            statement_balance: money(&s.statement_balance, &s.currency)?,
            minimum_payment: money(&s.minimum_payment, &s.currency)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;
    use crate::bank_data::AccountReport;

    fn usd(cents: i64) -> Money {
        Money::from_minor(cents, Currency::USD)
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, d).expect("date")
    }

    fn purchase() -> ReportedTransaction {
        ReportedTransaction {
            external_id: "txn_1".into(),
            amount: usd(-42_17),
            transaction_type: TransactionType::Debit,
            status: TransactionStatus::Posted,
            date: day(3),
            authorized_at: Utc.with_ymd_and_hms(2026, 5, 3, 18, 4, 0).single(),
            posted_at: None,
            merchant_name: "Blue Bottle Coffee".into(),
            description: "BLUE BOTTLE COFFEE".into(),
            category: Category::FoodAndDrink,
            location: Some(Location { city: "Portland".into(), region: "OR".into(), country: "US".into() }),
            payment_channel: PaymentChannel::InStore,
            refund_of: None,
            counterpart_external_id: None,
        }
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
    fn a_transaction_is_written_as_the_api_writes_it() {
        let written = serde_json::to_value(purchase()).expect("JSON");
        assert_eq!(
            written,
            json!({
                "amount": "-42.17", "currency": "USD", "type": "debit", "status": "posted",
                "date": "2026-05-03", "authorizedAt": "2026-05-03T18:04:00Z", "postedAt": null,
                "merchantName": "Blue Bottle Coffee", "description": "BLUE BOTTLE COFFEE",
                "category": "food_and_drink",
                "location": {"city": "Portland", "region": "OR", "country": "US"},
                "paymentChannel": "in_store", "externalId": "txn_1", "refundOf": null,
                "counterpartExternalId": null
            })
        );
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
        let report = AccountReport {
            transactions: vec![purchase()],
            snapshots: vec![balances],
            balances,
            statement: Some(statement),
        };
        let text = serde_json::to_string(&report).expect("JSON");
        assert_eq!(serde_json::from_str::<AccountReport>(&text).expect("reads back"), report);
        let account = serde_json::to_string(&card()).expect("JSON");
        assert_eq!(serde_json::from_str::<ReportedAccount>(&account).expect("reads back"), card());
    }

    #[test]
    fn a_bad_amount_or_currency_is_refused() {
        let mut written = serde_json::to_value(purchase()).expect("JSON");
        written["amount"] = json!("12.345");
        assert!(serde_json::from_value::<ReportedTransaction>(written.clone()).is_err());
        written["amount"] = json!("12.34");
        written["currency"] = json!("usd");
        assert!(serde_json::from_value::<ReportedTransaction>(written).is_err());
    }
}
