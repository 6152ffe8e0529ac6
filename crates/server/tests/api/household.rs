//! Issue 19, the household model over HTTP: a card's `statementBalance` (what its minimum payment
//! and due date refer to) and each transaction's `counterpartTransactionId`.

use std::collections::HashMap;

use sandbank_domain::account::AccountType;
use sandbank_fakebank::{Household, catalog};
use serde_json::Value;

use crate::helpers::*;
use crate::transactions::walk;

/// The first seed whose household holds both a card and a checking account at Chase.
fn chase_seed_with_card_and_checking() -> i64 {
    let chase = catalog::provider("chase").expect("chase");
    let seed = (1..10_000u64)
        .find(|seed| {
            let kinds: Vec<AccountType> = Household::of(*seed).holdings(chase).iter().map(|p| p.account_type).collect();
            kinds.contains(&AccountType::CreditCard) && kinds.contains(&AccountType::Checking)
        })
        .expect("a household with a Chase card and a Chase checking account");
    i64::try_from(seed).expect("a small seed")
}

/// A decimal string with two places, in cents.
fn cents(text: &Value) -> i64 {
    let text = text.as_str().unwrap_or_else(|| panic!("a decimal string, not {text}"));
    let (whole, fraction) = text.split_once('.').unwrap_or_else(|| panic!("two decimals: {text}"));
    assert_eq!(fraction.len(), 2, "two decimals: {text}");
    let magnitude =
        whole.trim_start_matches('-').parse::<i64>().expect("digits") * 100 + fraction.parse::<i64>().expect("digits");
    if whole.starts_with('-') { -magnitude } else { magnitude }
}

/// `cents` as the pages show money: `$1,234.56`.
fn page_money(cents: i64) -> String {
    let digits = (cents.abs() / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}${grouped}.{:02}", if cents < 0 { "−" } else { "" }, cents.abs() % 100)
}

/// The connection's accounts by type.
async fn accounts_by_type(app: &TestApp, token: &str, id: &str) -> HashMap<String, Value> {
    let reply = app.get(&format!("/api/financial/accounts?connectionId={id}"), Some(token)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let accounts = reply.json["accounts"].as_array().expect("accounts").clone();
    accounts.into_iter().map(|a| (a["type"].as_str().expect("type").to_owned(), a)).collect()
}

on_both_backends! {
    async fn a_card_shows_its_statement_balance_and_rows_their_counterpart(app: TestApp) {
        let email = "household@example.com";
        let token = app.register(email).await;
        let id = app.connect(&token, "chase", chase_seed_with_card_and_checking()).await;
        let accounts = accounts_by_type(&app, &token, &id).await;
        let (card, checking) = (&accounts["credit_card"], &accounts["checking"]);

        // The card: what was owed when the statement closed — its own balance that day — and
        // the minimum payment follows from it (2 %, at least $35, never more than owed).
        let owed = cents(&card["statementBalance"]);
        let closed = card["statementDate"].as_str().expect("a statement date");
        let card_id = card["id"].as_str().expect("id");
        let day = app.get(&format!("/api/financial/accounts/{card_id}/balances?startDate={closed}&endDate={closed}"), Some(&token)).await;
        assert_eq!(day.status, 200, "{}", day.text);
        let balance_at_close = cents(&day.json["snapshots"][0]["currentBalance"]);
        assert_eq!(owed, balance_at_close.max(0), "{card} {}", day.text);
        assert_eq!(cents(&card["minimumPayment"]), owed.min((owed / 50).max(35_00)), "{card}");
        let single = app.get(&format!("/api/financial/accounts/{card_id}"), Some(&token)).await;
        assert_eq!(single.json["statementBalance"], card["statementBalance"], "{}", single.text);
        // Not a card: null, as its minimum payment is.
        let fields = checking.as_object().expect("an object");
        assert!(fields.contains_key("statementBalance") && checking["statementBalance"].is_null(), "{checking}");
        assert!(checking["minimumPayment"].is_null(), "{checking}");

        // The account page shows it beside the statement date and the minimum payment.
        let (cookie, _) = app.cookie_session(email).await;
        let page = app.call("GET", &format!("/accounts/{card_id}")).header("Cookie", &cookie).send().await;
        assert_eq!(page.status, 200, "{}", page.text);
        assert!(page.text.contains("Statement balance"), "{}", page.text);
        assert!(page.text.contains(&page_money(owed)), "{} on the page", page_money(owed));

        // Every rendered transaction carries the field (null when no other side is known).
        let (rows, _) = walk(&app, &token, &format!("/api/financial/transactions?connectionId={id}&limit=500")).await;
        assert!(!rows.is_empty());
        for row in &rows {
            let counterpart = row.as_object().expect("an object").get("counterpartTransactionId");
            assert!(counterpart.is_some_and(|c| c.is_null() || c.is_string()), "{row}");
        }
        let feed = app.get(&format!("/api/financial/transactions/changes?connectionId={id}&count=5"), Some(&token)).await;
        assert_eq!(feed.status, 200, "{}", feed.text);
        let added = feed.json["added"][0].as_object().expect("an added row");
        assert!(added.contains_key("counterpartTransactionId"), "{}", feed.text);
    }

    async fn both_sides_of_a_transfer_name_each_other(app: TestApp) {
        let token = app.register("pairs@example.com").await;
        let id = app.connect(&token, "chase", chase_seed_with_card_and_checking()).await;
        let (rows, _) = walk(&app, &token, &format!("/api/financial/transactions?connectionId={id}&limit=500")).await;
        let by_id: HashMap<&str, &Value> = rows.iter().map(|t| (t["id"].as_str().expect("id"), t)).collect();
        let mut pairs = 0;
        for row in &rows {
            let Some(other) = row["counterpartTransactionId"].as_str() else { continue };
            let other = by_id.get(other).unwrap_or_else(|| panic!("{row}: its other side is listed"));
            assert_eq!(cents(&other["amount"]), -cents(&row["amount"]), "{row} {other}");
            assert_eq!((row["category"].as_str(), other["category"].as_str()), (Some("transfer"), Some("transfer")), "{row} {other}");
            assert_eq!(other["counterpartTransactionId"], row["id"], "{row} {other}: they name each other");
            pairs += 1;
        }
        assert!(pairs >= 2, "at least one pair (card payment and its checking debit), found {pairs} sides");
    }

    async fn a_households_banks_connected_with_one_seed_name_each_others_rows(app: TestApp) {
        let token = app.register("household@example.com").await;
        let seed = chase_seed_with_card_and_checking();
        let mut connections = Vec::new();
        for slug in ["amex", "chase", "bank-of-america", "wells-fargo", "capital-one"] {
            connections.push(app.connect(&token, slug, seed).await);
        }
        let (rows, _) = walk(&app, &token, "/api/financial/transactions?limit=500").await;
        let by_id: HashMap<&str, &Value> = rows.iter().map(|t| (t["id"].as_str().expect("id"), t)).collect();
        let mut across = 0;
        for row in &rows {
            let Some(other) = row["counterpartTransactionId"].as_str() else { continue };
            let other = by_id.get(other).unwrap_or_else(|| panic!("{row}: its other side is listed"));
            assert_eq!(cents(&other["amount"]), -cents(&row["amount"]), "{row} {other}");
            assert_eq!(other["counterpartTransactionId"], row["id"], "{row} {other}: they name each other");
            across += usize::from(other["connectionId"] != row["connectionId"]);
        }
        assert!(across >= 2, "a transfer between two banks shows both sides, found {across} such sides");
    }
}
