//! Our categories as Plaid's `personal_finance_category` (primary and detailed, from Plaid's
//! taxonomy), and our payment channels as Plaid's.

use sandbank_domain::transaction::{Category, PaymentChannel, TransactionType};
use serde::Serialize;

/// Plaid's `personal_finance_category`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonalFinanceCategory {
    primary: &'static str,
    detailed: &'static str,
    confidence_level: &'static str,
}

impl PersonalFinanceCategory {
    /// The Plaid category of ours; money in or out matters for transfers.
    pub fn of(category: Category, direction: TransactionType) -> Self {
        let (primary, detailed) = match (category, direction) {
            (Category::FoodAndDrink, _) => ("FOOD_AND_DRINK", "FOOD_AND_DRINK_RESTAURANT"),
            (Category::Groceries, _) => ("FOOD_AND_DRINK", "FOOD_AND_DRINK_GROCERIES"),
            (Category::Shopping | Category::Refund, _) => {
                ("GENERAL_MERCHANDISE", "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE")
            }
            (Category::Travel, _) => ("TRAVEL", "TRAVEL_OTHER_TRAVEL"),
            (Category::Transportation, _) => ("TRANSPORTATION", "TRANSPORTATION_OTHER_TRANSPORTATION"),
            (Category::Entertainment, _) => ("ENTERTAINMENT", "ENTERTAINMENT_OTHER_ENTERTAINMENT"),
            (Category::Utilities, _) => ("RENT_AND_UTILITIES", "RENT_AND_UTILITIES_OTHER_UTILITIES"),
            (Category::Subscriptions, _) => ("GENERAL_SERVICES", "GENERAL_SERVICES_OTHER_GENERAL_SERVICES"),
            (Category::Health, _) => ("MEDICAL", "MEDICAL_OTHER_MEDICAL"),
            (Category::Housing, _) => ("RENT_AND_UTILITIES", "RENT_AND_UTILITIES_RENT"),
            (Category::Income, _) => ("INCOME", "INCOME_WAGES"),
            (Category::Transfer, TransactionType::Credit) => ("TRANSFER_IN", "TRANSFER_IN_ACCOUNT_TRANSFER"),
            (Category::Transfer, TransactionType::Debit) => ("TRANSFER_OUT", "TRANSFER_OUT_ACCOUNT_TRANSFER"),
            (Category::Fees, _) => ("BANK_FEES", "BANK_FEES_OTHER_BANK_FEES"),
        };
        Self { primary, detailed, confidence_level: "VERY_HIGH" }
    }
}

/// Plaid's `payment_channel` and (deprecated, still required) `transaction_type`.
pub fn channel(channel: PaymentChannel) -> (&'static str, &'static str) {
    match channel {
        PaymentChannel::InStore => ("in store", "place"),
        PaymentChannel::Online => ("online", "digital"),
        PaymentChannel::Other => ("other", "special"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_a_plaid_one() {
        for category in Category::ALL {
            for direction in [TransactionType::Debit, TransactionType::Credit] {
                let plaid = PersonalFinanceCategory::of(*category, direction);
                assert!(plaid.detailed.starts_with(plaid.primary), "{category:?}: {plaid:?}");
            }
        }
        assert_eq!(PersonalFinanceCategory::of(Category::Transfer, TransactionType::Credit).primary, "TRANSFER_IN");
        assert_eq!(channel(PaymentChannel::InStore), ("in store", "place"));
    }
}
