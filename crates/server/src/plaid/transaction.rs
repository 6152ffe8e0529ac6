//! A transaction as Plaid shows it: Plaid's sign (positive is money out), `pending` with its own
//! id, the posted transaction naming the pending one it replaced, the category as
//! `personal_finance_category`, and every field plaid-python's model requires.

use chrono::{DateTime, NaiveDate, Utc};
use sandbank_domain::TransactionId;
use sandbank_domain::transaction::{Transaction, TransactionStatus};
use serde::Serialize;

use super::accounts::plaid_number;
use super::categories::{PersonalFinanceCategory, channel};
use crate::json_time;

/// The id Plaid shows for the pending version of a transaction: Plaid reports a pending
/// transaction and its posted one as two, the posted one naming the pending one.
pub fn pending_id(id: TransactionId) -> String {
    format!("{}-pending", id.as_uuid())
}

/// The id Plaid shows for the posted version.
pub fn posted_id(id: TransactionId) -> String {
    id.as_uuid().to_string()
}

/// Whether Plaid shows it as pending.
pub fn is_pending(transaction: &Transaction) -> bool {
    transaction.reported.status == TransactionStatus::Pending
}

/// Plaid's `location`.
#[derive(Debug, Serialize)]
struct LocationResponse {
    address: Option<String>,
    city: Option<String>,
    region: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    store_number: Option<String>,
}

/// Plaid's `payment_meta` (we know none of it).
#[derive(Debug, Default, Serialize)]
struct PaymentMeta {
    reference_number: Option<String>,
    ppd_id: Option<String>,
    payee: Option<String>,
    by_order_of: Option<String>,
    payer: Option<String>,
    payment_method: Option<String>,
    payment_processor: Option<String>,
    reason: Option<String>,
}

/// Plaid's transaction object.
#[derive(Debug, Serialize)]
pub struct PlaidTransaction {
    transaction_id: String,
    pending_transaction_id: Option<String>,
    account_id: String,
    amount: serde_json::Number,
    iso_currency_code: Option<String>,
    unofficial_currency_code: Option<String>,
    #[serde(serialize_with = "json_time::day")]
    date: NaiveDate,
    #[serde(serialize_with = "json_time::optional_day")]
    authorized_date: Option<NaiveDate>,
    #[serde(serialize_with = "json_time::optional_instant")]
    authorized_datetime: Option<DateTime<Utc>>,
    #[serde(serialize_with = "json_time::optional_instant")]
    datetime: Option<DateTime<Utc>>,
    pending: bool,
    name: String,
    merchant_name: Option<String>,
    original_description: Option<String>,
    payment_channel: &'static str,
    transaction_type: &'static str,
    transaction_code: Option<String>,
    location: LocationResponse,
    payment_meta: PaymentMeta,
    personal_finance_category: PersonalFinanceCategory,
    category: Option<Vec<String>>,
    category_id: Option<String>,
    account_owner: Option<String>,
    check_number: Option<String>,
    logo_url: Option<String>,
    website: Option<String>,
    merchant_entity_id: Option<String>,
    counterparties: [(); 0],
}

/// How to show one transaction.
#[derive(Debug, Clone, Copy)]
pub struct Shown {
    /// The pending id this posted transaction replaced, if Plaid should name one.
    pub replaces_pending: bool,
    /// Whether `original_description` is filled in.
    pub original_description: bool,
}

impl PlaidTransaction {
    /// The account it belongs to, as Plaid names it.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// `transaction` as Plaid shows it (the pending or the posted version, by its status).
    pub fn of(transaction: &Transaction, shown: Shown) -> Self {
        let reported = &transaction.reported;
        let pending = is_pending(transaction);
        let (payment_channel, transaction_type) = channel(reported.payment_channel);
        let location = reported.location.as_ref();
        Self {
            transaction_id: if pending { pending_id(transaction.id) } else { posted_id(transaction.id) },
            pending_transaction_id: (!pending && shown.replaces_pending).then(|| pending_id(transaction.id)),
            account_id: transaction.account_id.as_uuid().to_string(),
            amount: plaid_number(reported.amount.negate()),
            iso_currency_code: Some(reported.amount.currency().to_string()),
            unofficial_currency_code: None,
            date: reported.date,
            authorized_date: reported.authorized_at.map(|at| at.date_naive()),
            authorized_datetime: reported.authorized_at,
            datetime: reported.posted_at.or(reported.authorized_at),
            pending,
            name: reported.description.clone(),
            merchant_name: Some(reported.merchant_name.clone()),
            original_description: shown.original_description.then(|| reported.description.clone()),
            payment_channel,
            transaction_type,
            transaction_code: None,
            location: LocationResponse {
                address: None,
                city: location.map(|l| l.city.clone()),
                region: location.map(|l| l.region.clone()),
                postal_code: None,
                country: location.map(|l| l.country.clone()),
                lat: None,
                lon: None,
                store_number: None,
            },
            payment_meta: PaymentMeta::default(),
            personal_finance_category: PersonalFinanceCategory::of(reported.category, reported.transaction_type),
            category: None,
            category_id: None,
            account_owner: None,
            check_number: None,
            logo_url: None,
            website: None,
            merchant_entity_id: None,
            counterparties: [],
        }
    }
}
