//! A [`ReportedTransaction`] as JSON (feature `serde`): camelCase, `type` for the kind, the amount
//! a decimal string with two places beside `currency`, dates `YYYY-MM-DD` and instants RFC 3339
//! — the names and forms of the API's `TransactionResponse` for the same fields.
//! [`ReportedTransaction`] converts to and from it on (de)serialization (`#[serde(into,
//! try_from)]`), so a reader gets back an equal value.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Category, Location, PaymentChannel, ReportedTransaction, TransactionStatus, TransactionType};
use crate::money::{MoneyError, from_json};

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
            amount: from_json(&t.amount, &t.currency)?,
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;
    use crate::money::{Currency, Money};

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
    fn a_transaction_reads_back_equal() {
        let text = serde_json::to_string(&purchase()).expect("JSON");
        assert_eq!(serde_json::from_str::<ReportedTransaction>(&text).expect("reads back"), purchase());
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
