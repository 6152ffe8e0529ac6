//! With the `serde` feature, what the fake bank reports is written as JSON and read back equal
//! (`cargo test -p sandbank-fakebank --features serde`).
#![cfg(feature = "serde")]

use chrono::{Days, NaiveDate};
use sandbank_domain::bank_data::{AccountReport, ReportedAccount};
use sandbank_fakebank::{CATALOG, FakeBank};

#[test]
fn every_report_reads_back_equal_from_its_json() {
    let linked_on = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    for spec in CATALOG.iter() {
        let bank = FakeBank::new(spec, 42, linked_on);
        for account in bank.accounts() {
            let text = serde_json::to_string(account.reported()).expect("JSON");
            assert_eq!(&serde_json::from_str::<ReportedAccount>(&text).expect("reads back"), account.reported());
            let as_of = linked_on + Days::new(30);
            let report = account.report(bank.history_start()..as_of, as_of);
            let text = serde_json::to_string(&report).expect("JSON");
            assert!(text.contains("\"merchantName\"") || report.transactions.is_empty(), "camelCase");
            assert_eq!(serde_json::from_str::<AccountReport>(&text).expect("reads back"), report);
        }
    }
}
