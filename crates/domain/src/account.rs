//! Account kinds.

use crate::text_enum::text_enum;

text_enum!(
    /// The kind of account.
    AccountType {
        /// A credit card: the balance is what is owed.
        CreditCard => "credit_card",
        /// A checking (current) account.
        Checking => "checking",
        /// A savings account.
        Savings => "savings",
        /// A brokerage or retirement account.
        Investment => "investment",
    }
);

impl AccountType {
    /// Depository accounts hold money; the others owe or invest it.
    pub const fn is_depository(self) -> bool {
        matches!(self, Self::Checking | Self::Savings)
    }

    /// The subtypes this kind of account may have.
    pub const fn subtypes(self) -> &'static [AccountSubtype] {
        use AccountSubtype::*;
        match self {
            Self::CreditCard => &[Rewards, Travel, Cashback, Business, Platinum],
            Self::Checking => &[Personal, Business],
            Self::Savings => &[Personal, HighYield],
            Self::Investment => &[Brokerage, Ira],
        }
    }
}

text_enum!(
    /// The finer kind of account within its type.
    AccountSubtype {
        /// A card that earns points.
        Rewards => "rewards",
        /// A travel card.
        Travel => "travel",
        /// A card that pays cash back.
        Cashback => "cashback",
        /// A business card or account.
        Business => "business",
        /// A premium card.
        Platinum => "platinum",
        /// A personal account.
        Personal => "personal",
        /// A high-yield savings account.
        HighYield => "high_yield",
        /// A brokerage account.
        Brokerage => "brokerage",
        /// An individual retirement account.
        Ira => "ira",
    }
);

text_enum!(
    /// Whether an account is still fed by its connection.
    AccountStatus {
        /// Fed by a connected connection.
        Active => "active",
        /// Its connection was disconnected; kept read-only.
        Disconnected => "disconnected",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_shows_text_forms() {
        for kind in AccountType::ALL {
            assert_eq!(kind.as_str().parse::<AccountType>(), Ok(*kind));
            assert!(!kind.subtypes().is_empty());
        }
        let error = "loan".parse::<AccountType>().expect_err("unknown");
        assert_eq!(error.to_string(), "must be one of: credit_card, checking, savings, investment");
        assert!(AccountType::Savings.is_depository());
        assert!(!AccountType::CreditCard.is_depository());
    }
}

/// A stored account, as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Its id.
    pub id: crate::AccountId,
    /// The connection it came through.
    pub connection_id: crate::ConnectionId,
    /// Its bank.
    pub provider_id: crate::ProviderId,
    /// The bank's id for it.
    pub external_id: String,
    /// Short display name.
    pub name: String,
    /// The product's full name.
    pub official_name: String,
    /// Kind of account.
    pub account_type: AccountType,
    /// Finer kind.
    pub subtype: AccountSubtype,
    /// Last four digits.
    pub mask: String,
    /// Depository: money held. Card: amount owed.
    pub current_balance: crate::Money,
    /// Depository: counting pending debits. Card: credit available counting pending.
    pub available_balance: crate::Money,
    /// Cards: the limit.
    pub credit_limit: Option<crate::Money>,
    /// Cards: the balance owed when the last statement closed (what `minimum_payment` and
    /// `payment_due_date` refer to).
    pub statement_balance: Option<crate::Money>,
    /// Cards: the least payment due.
    pub minimum_payment: Option<crate::Money>,
    /// Cards: the last statement's closing day.
    pub statement_date: Option<chrono::NaiveDate>,
    /// Cards: when the payment is due.
    pub payment_due_date: Option<chrono::NaiveDate>,
    /// Active, or kept read-only after a disconnect.
    pub status: AccountStatus,
    /// The last balance check: `matched`, or what did not add up.
    pub reconciliation: Option<String>,
    /// When its figures last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Account {
    /// `****1234`.
    pub fn display_number(&self) -> String {
        format!("****{}", self.mask)
    }

    /// Cards: `creditLimit − currentBalance`.
    pub fn available_credit(&self) -> Option<crate::Money> {
        self.credit_limit.and_then(|limit| limit.checked_sub(self.current_balance))
    }
}
