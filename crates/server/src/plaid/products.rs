//! Plaid's closed sets that Link takes and gives back as they were sent: products and country
//! codes (as plaid-python 46 lists them). A value outside them is `INVALID_FIELD`, as Plaid
//! answers; Sandbank simulates `transactions` (with balances) whatever else is asked for.

use serde::{Deserialize, Serialize};

/// One of Plaid's products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Product {
    Assets,
    Auth,
    Balance,
    BalancePlus,
    Beacon,
    Identity,
    IdentityMatch,
    Investments,
    InvestmentsAuth,
    Liabilities,
    PaymentInitiation,
    IdentityVerification,
    Transactions,
    CreditDetails,
    Income,
    IncomeVerification,
    StandingOrders,
    Transfer,
    Employment,
    RecurringTransactions,
    TransactionsRefresh,
    Signal,
    Statements,
    ProcessorPayments,
    ProcessorIdentity,
    Profile,
    CraBaseReport,
    CraIncomeInsights,
    CraPartnerInsights,
    CraNetworkInsights,
    CraCashflowInsights,
    CraMonitoring,
    CraLendScore,
    CraPlaidCreditScore,
    CraQualify,
    CraHomeLending,
    Layer,
    PayByBank,
    ProtectLinkedBank,
    ProtectTransactions,
}

/// One of the countries Plaid serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[allow(missing_docs)]
pub enum CountryCode {
    Us,
    Gb,
    Es,
    Nl,
    Fr,
    Ie,
    Ca,
    De,
    It,
    Pl,
    Dk,
    No,
    Se,
    Ee,
    Lt,
    Lv,
    Pt,
    Be,
    At,
    Fi,
}

/// The text a value is sent as.
pub fn text_of(value: &impl Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_and_print_as_plaid_sends_them() {
        let product: Product = serde_json::from_str("\"cra_plaid_credit_score\"").expect("a product");
        assert_eq!((product, text_of(&Product::BalancePlus)), (Product::CraPlaidCreditScore, "balance_plus".into()));
        let country: CountryCode = serde_json::from_str("\"GB\"").expect("a country");
        assert_eq!((country, text_of(&CountryCode::Us)), (CountryCode::Gb, "US".into()));
        assert!(serde_json::from_str::<CountryCode>("\"us\"").is_err());
        assert!(serde_json::from_str::<Product>("\"teleportation\"").is_err());
    }
}
