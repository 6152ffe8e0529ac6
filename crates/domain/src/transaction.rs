//! Transactions: their kinds, statuses and categories, one as a provider reports it and one as
//! stored.

use chrono::{DateTime, NaiveDate, Utc};

use crate::money::Money;
use crate::text_enum::text_enum;

#[cfg(feature = "serde")]
mod json;

text_enum!(
    /// Direction of money from the account holder's side: debit ⇔ amount < 0.
    TransactionType {
        /// Money out: purchase, withdrawal, fee.
        Debit => "debit",
        /// Money in: payment to a card, deposit, refund.
        Credit => "credit",
    }
);

impl TransactionType {
    /// The type an amount in minor units implies (zero counts as a credit).
    pub const fn of_amount(minor_units: i64) -> Self {
        if minor_units < 0 { Self::Debit } else { Self::Credit }
    }
}

text_enum!(
    /// Where a transaction is in its settlement.
    TransactionStatus {
        /// Authorized, not yet posted; may still change or drop.
        Pending => "pending",
        /// Settled.
        Posted => "posted",
        /// Posted and later refunded in full.
        Refunded => "refunded",
    }
);

text_enum!(
    /// How the purchase was made.
    PaymentChannel {
        /// At a physical location.
        InStore => "in_store",
        /// Online.
        Online => "online",
        /// Neither: transfers, payroll, payments, fees.
        Other => "other",
    }
);

text_enum!(
    /// The fixed list of transaction categories.
    Category {
        /// Restaurants, bars and coffee shops.
        FoodAndDrink => "food_and_drink",
        /// Supermarkets.
        Groceries => "groceries",
        /// Retail purchases.
        Shopping => "shopping",
        /// Flights, hotels and car hire.
        Travel => "travel",
        /// Rides, transit and fuel.
        Transportation => "transportation",
        /// Movies, events and games.
        Entertainment => "entertainment",
        /// Utility bills and phone.
        Utilities => "utilities",
        /// Recurring digital subscriptions.
        Subscriptions => "subscriptions",
        /// Pharmacies, doctors and gyms.
        Health => "health",
        /// Rent and home costs.
        Housing => "housing",
        /// Salary deposits.
        Income => "income",
        /// Card payments and account transfers.
        Transfer => "transfer",
        /// Bank fees and interest.
        Fees => "fees",
        /// Refunds of earlier purchases.
        Refund => "refund",
    }
);

/// Where an in-store purchase happened.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Location {
    /// City, e.g. "Portland".
    pub city: String,
    /// State or region code, e.g. "OR".
    pub region: String,
    /// ISO 3166-1 alpha-2 country, e.g. "US".
    pub country: String,
}

/// One transaction as the provider reports it on a given day. With the `serde` feature it is
/// written as the API writes a transaction (camelCase, `amount` a decimal string beside
/// `currency`), less the API's own ids.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(into = "json::TransactionJson", try_from = "json::TransactionJson")
)]
pub struct ReportedTransaction {
    /// The provider's id, stable from pending to posted.
    pub external_id: String,
    /// Signed from the holder's side: negative is money out.
    pub amount: Money,
    /// Debit ⇔ amount < 0.
    pub transaction_type: TransactionType,
    /// Pending, posted or refunded.
    pub status: TransactionStatus,
    /// The day it happened.
    pub date: NaiveDate,
    /// When it was authorized.
    pub authorized_at: Option<DateTime<Utc>>,
    /// When it posted (absent while pending).
    pub posted_at: Option<DateTime<Utc>>,
    /// The counterparty as a person would name it.
    pub merchant_name: String,
    /// The statement line.
    pub description: String,
    /// One of the fixed categories.
    pub category: Category,
    /// For in-store purchases.
    pub location: Option<Location>,
    /// How it was made.
    pub payment_channel: PaymentChannel,
    /// For a refund: the external id of the purchase it refunds.
    pub refund_of: Option<String>,
    /// For one side of a transfer between two accounts of the same household (a card payment,
    /// a sweep between accounts): the provider's external id of the other side.
    pub counterpart_external_id: Option<String>,
}

/// A stored transaction, as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// Its id.
    pub id: crate::TransactionId,
    /// Its account.
    pub account_id: crate::AccountId,
    /// The account's connection.
    pub connection_id: crate::ConnectionId,
    /// What the provider reported.
    pub reported: ReportedTransaction,
    /// For one side of a transfer: the other side's id when it is in the same user's data (this
    /// connection's first, else the earliest other connection's). The services resolve it when
    /// they list transactions (`sandbank_store::transactions::resolve_counterparts`); a
    /// transaction read without that step has `None`.
    pub counterpart_id: Option<crate::TransactionId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_follows_the_sign() {
        assert_eq!(TransactionType::of_amount(-1), TransactionType::Debit);
        assert_eq!(TransactionType::of_amount(1), TransactionType::Credit);
        assert_eq!("in_store".parse::<PaymentChannel>(), Ok(PaymentChannel::InStore));
        assert_eq!(Category::ALL.len(), Category::TEXTS.len());
    }
}
