//! The domain's `serde` feature writes what the fake bank reports with the API's names and forms:
//! every field the API also has holds the same JSON value there, and what the API adds is its own
//! ids (and what it derives from an account's figures).

use std::collections::BTreeSet;

use chrono::{NaiveDate, TimeZone, Utc};
use sandbank::routes::accounts::AccountResponse;
use sandbank::routes::transactions::TransactionResponse;
use sandbank_domain::account::{Account, AccountStatus};
use sandbank_domain::bank_data::{AccountReport, ReportedAccount};
use sandbank_domain::transaction::Transaction;
use sandbank_domain::{AccountId, ConnectionId, ProviderId, TransactionId};
use sandbank_fakebank::{FakeBank, catalog};
use serde_json::Value;

/// The keys of `ours` and `theirs` apart, after checking that the keys both have hold equal values.
fn compare(ours: &Value, theirs: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let (ours, theirs) = (ours.as_object().expect("an object"), theirs.as_object().expect("an object"));
    for (key, value) in ours {
        if let Some(api) = theirs.get(key) {
            assert_eq!(value, api, "{key}");
        }
    }
    let only = |a: &serde_json::Map<String, Value>, b: &serde_json::Map<String, Value>| {
        a.keys().filter(|k| !b.contains_key(*k)).cloned().collect::<BTreeSet<_>>()
    };
    (only(ours, theirs), only(theirs, ours))
}

fn keys(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// The account as the API stores it after a sync that brought `report`.
fn stored(reported: &ReportedAccount, report: &AccountReport, provider_id: ProviderId) -> Account {
    let statement = report.statement;
    Account {
        id: AccountId::new(),
        connection_id: ConnectionId::new(),
        provider_id,
        external_id: reported.external_id.clone(),
        name: reported.name.clone(),
        official_name: reported.official_name.clone(),
        account_type: reported.account_type,
        subtype: reported.subtype,
        mask: reported.mask.clone(),
        current_balance: report.balances.current,
        available_balance: report.balances.available,
        credit_limit: reported.credit_limit,
        statement_balance: statement.map(|s| s.statement_balance),
        minimum_payment: statement.map(|s| s.minimum_payment),
        statement_date: statement.map(|s| s.statement_date),
        payment_due_date: statement.map(|s| s.payment_due_date),
        status: AccountStatus::Active,
        reconciliation: None,
        updated_at: Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).single().expect("instant"),
    }
}

#[test]
fn the_domain_json_of_a_report_has_the_apis_names_and_values() {
    let chase = catalog::provider("chase").expect("chase");
    let linked_on = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let seed = sandbank_fakebank::Household::main_bank_seed(chase, 3);
    let bank = FakeBank::new(chase, seed, linked_on);
    let mut rows = 0;
    for account in bank.accounts() {
        let report = account.report(bank.history_start()..linked_on, linked_on);
        let stored = stored(account.reported(), &report, chase.id.parse().expect("a UUID"));
        let api = serde_json::to_value(AccountResponse::from(stored.clone())).expect("JSON");
        let (ours, theirs) = compare(&serde_json::to_value(account.reported()).expect("JSON"), &api);
        assert_eq!(ours, keys(&["externalId"]), "only the bank's id is ours alone");
        assert!(theirs.contains("id") && theirs.contains("currentBalance"), "{theirs:?}");
        let (ours, _) = compare(&serde_json::to_value(report.balances).expect("JSON"), &api);
        assert_eq!(ours, keys(&["date"]), "balances: the API's currentBalance and availableBalance");
        if let Some(statement) = report.statement {
            let (ours, _) = compare(&serde_json::to_value(statement).expect("JSON"), &api);
            assert!(ours.is_empty(), "a statement's fields are the account's: {ours:?}");
        }
        for t in &report.transactions {
            let transaction = Transaction {
                id: TransactionId::new(),
                account_id: stored.id,
                connection_id: stored.connection_id,
                reported: t.clone(),
                counterpart_id: None,
            };
            let api = serde_json::to_value(TransactionResponse::from(transaction)).expect("JSON");
            let (ours, theirs) = compare(&serde_json::to_value(t).expect("JSON"), &api);
            assert_eq!(ours, keys(&["counterpartExternalId"]));
            assert_eq!(theirs, keys(&["id", "accountId", "connectionId", "counterpartTransactionId"]));
            rows += 1;
        }
    }
    assert!(rows > 100, "{rows} rows compared");
}
