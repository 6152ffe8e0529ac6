//! What the store's test files share: a bank to connect to and a checking account there.

#![allow(dead_code)] // each test file uses a part

use sandbank_domain::ProviderId;
use sandbank_domain::account::AccountType;
use sandbank_domain::bank_data::ReportedAccount;
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
    sandbank_store::test_database::reported_checking("acc")
}
