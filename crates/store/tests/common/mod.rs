//! What the store's test files share: a bank to connect to and a checking account there.

#![allow(dead_code)] // each test file uses a part

use sandbank_domain::ProviderId;
use sandbank_domain::account::{AccountSubtype, AccountType};
use sandbank_domain::bank_data::ReportedAccount;
use sandbank_domain::money::Currency;
use sandbank_domain::provider::{Provider, ProviderStatus};

/// A bank offering checking, with a fresh id.
pub fn bank() -> Provider {
    Provider {
        id: ProviderId::new(),
        name: "Bank".into(),
        slug: "bank".into(),
        logo_url: "/logo.svg".into(),
        supported_account_types: vec![AccountType::Checking],
        status: ProviderStatus::Active,
    }
}

/// A personal checking account as the bank reports it.
pub fn checking() -> ReportedAccount {
    ReportedAccount {
        external_id: "acc".into(),
        name: "Checking".into(),
        official_name: "Checking".into(),
        account_type: AccountType::Checking,
        subtype: AccountSubtype::Personal,
        mask: "0000".into(),
        currency: Currency::USD,
        credit_limit: None,
    }
}
