//! Issue 18: the dashboard and the transactions page as a user meets them — spending leaves out
//! transfers and card payments and equals what the API's rows add up to; the transactions page
//! takes the API's parameter names (any other is a 400 naming it), searches, and shows the range
//! and what the matching rows add up to; the insights are labelled charts.

use chrono::{Datelike, Utc};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::transactions::walk;

/// A household's day in one scripted Chase connection, all on the link day: pay in, groceries
/// and a card payment out of checking; a coffee on the card and the payment arriving there.
fn one_day() -> Value {
    let row = |r: &str, amount: &str, merchant: &str, category: &str| json!({"ref": r, "day": 0, "amount": amount, "description": merchant.to_uppercase(), "merchantName": merchant, "category": category});
    json!({
        "name": "one day of money in and out",
        "accounts": [
            {"ref": "checking", "type": "checking", "subtype": "personal", "name": "Everyday Checking", "mask": "1111",
             "openingBalance": "2000.00", "transactions": [
                row("pay", "1500.00", "Acme Payroll", "income"),
                row("food", "-30.00", "Trader Joe's", "groceries"),
                row("card-payment", "-200.00", "Payment to Freedom Card", "transfer")]},
            {"ref": "card", "type": "credit_card", "subtype": "cashback", "name": "Freedom Card", "mask": "2222",
             "openingBalance": "0.00", "creditLimit": "1000.00", "transactions": [
                row("coffee", "-50.00", "Blue Bottle Coffee", "food_and_drink"),
                row("payment", "200.00", "Payment Received", "transfer")]}
        ]
    })
}

/// Connects `one_day` for `email`; returns the API token and a page session cookie.
async fn one_day_user(app: &TestApp, email: &str) -> (String, String) {
    let token = app.register(email).await;
    let chase = sandbank_fakebank::catalog::provider("chase").expect("chase").id.to_string();
    let created = app
        .post_json("/api/financial/connections", Some(&token), &json!({"providerId": chase, "scenario": one_day()}))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json["connectionId"].as_str().expect("id");
    let authorized =
        app.post_json(&format!("/api/financial/connections/{id}/authorize"), Some(&token), &json!({})).await;
    assert_eq!(authorized.status, 200, "{}", authorized.text);
    let (cookie, _) = app.cookie_session(email).await;
    (token, cookie)
}

/// The text of the element with `id` in `html` (up to its next tag).
fn element_text(html: &str, id: &str) -> String {
    let start = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("#{id} in the page"));
    let after = &html[start..];
    let open = after.find('>').expect("the tag's end") + 1;
    after[open..].split('<').next().unwrap_or_default().to_owned()
}

/// `minor` US cents as the pages write money (`$1,234.56`, `−$42.17`).
pub(crate) fn dollars(minor: i64) -> String {
    sandbank::pages::view::money(sandbank_domain::Money::from_minor(minor, sandbank_domain::Currency::USD))
}

/// A row's amount in minor units.
fn minor(row: &Value) -> i64 {
    let text = row["amount"].as_str().expect("amount");
    let (whole, cents) = text.trim_start_matches('-').split_once('.').expect("a decimal");
    let value = whole.parse::<i64>().expect("whole") * 100 + cents.parse::<i64>().expect("cents");
    if text.starts_with('-') { -value } else { value }
}

on_both_backends! {
    async fn spending_leaves_out_transfers_and_card_payments_and_equals_the_apis_sum(app: TestApp) {
        let (token, cookie) = one_day_user(&app, "spend@example.com").await;
        let dashboard = app.call("GET", "/dashboard").header("Cookie", &cookie).send().await;
        assert_eq!(dashboard.status, 200, "{}", dashboard.text);
        assert_eq!(element_text(&dashboard.text, "spent-this-month"), "$80.00", "$30 of groceries and a $50 coffee");

        // The same figure from the API's rows: this month's debits that are not transfers.
        let today = Utc::now().date_naive();
        let month_start = today.with_day(1).expect("the 1st");
        let (debits, _) = walk(&app, &token, &format!("/api/financial/transactions?type=debit&startDate={month_start}&endDate={today}&limit=500")).await;
        let transfers: i64 = debits.iter().filter(|r| r["category"] == "transfer").map(minor).sum();
        assert_eq!(transfers, -20_000, "a card payment went out this month");
        let spent: i64 = debits.iter().filter(|r| r["category"] != "transfer" && r["status"] != "refunded").map(minor).sum();
        assert_eq!(dollars(-spent), "$80.00");
        assert!(dashboard.text.contains(r#"aria-label="Spending by category this month: $80.00 in all""#), "{}", dashboard.text);
        assert!(dashboard.text.contains("<title>groceries: $30.00</title>") && !dashboard.text.contains("<title>transfer:"));

        // Cash flow: this month's income and spending; net worth from the balances.
        let month = today.format("%b %Y");
        assert!(dashboard.text.contains(&format!("<title>{month} income: $1,500.00</title>")), "{}", dashboard.text);
        assert!(dashboard.text.contains(&format!("<title>{month} spending: $80.00</title>")));
        assert!(dashboard.text.contains(r#"aria-label="Cash flow by month"#));
    }

    async fn the_transactions_page_takes_the_apis_names_searches_and_adds_up(app: TestApp) {
        let (token, cookie) = one_day_user(&app, "page@example.com").await;
        let page = |path: &str| app.call("GET", path).header("Cookie", &cookie).send();

        let old_names = page("/transactions?sort=oldest&account=x&start=2026-01-01").await;
        assert_eq!(old_names.status, 400, "{}", old_names.text);
        for name in ["account", "sort", "start"] {
            assert!(old_names.text.contains(&format!("{name} is not a parameter of this page")), "{name}: {}", old_names.text);
        }

        let all = page("/transactions?limit=").await;
        assert_eq!(all.status, 200, "{}", all.text);
        assert_eq!(element_text(&all.text, "range"), "1–5 of 5");
        assert_eq!(element_text(&all.text, "money-in"), "$1,700.00");
        assert_eq!(element_text(&all.text, "money-out"), "$280.00");
        assert_eq!(element_text(&all.text, "net"), "$1,420.00");
        assert!(all.text.contains(r#"<input id="q" name="q" type="search" value="""#));

        let coffee = page("/transactions?q=BOTTLE&type=debit&sortBy=amount&sortOrder=asc").await;
        assert_eq!(coffee.status, 200, "{}", coffee.text);
        assert_eq!(element_text(&coffee.text, "range"), "1–1 of 1");
        assert!(coffee.text.contains("Blue Bottle Coffee") && !coffee.text.contains("Trader Joe"));
        assert!(coffee.text.contains(r#"value="BOTTLE""#), "the box keeps the search");
        let api = app.get("/api/financial/transactions?q=BOTTLE&type=debit", Some(&token)).await;
        assert_eq!(api.json["pagination"]["total"], 1, "the page and the API agree: {}", api.text);
        assert!(coffee.text.contains("export.csv?type=debit&#38;q=BOTTLE&#38;sortBy=amount&#38;sortOrder=asc"), "{}", coffee.text);

        // Two rows a page: the second page says where it is.
        let first = page("/transactions?limit=2").await;
        assert_eq!(element_text(&first.text, "range"), "1–2 of 5");
        let next = first.text.split("rel=\"next\"").next().and_then(|t| t.rsplit("href=\"").next()).expect("a next link");
        let second = page(&next.trim_end_matches("\" ").replace("&#38;", "&")).await;
        assert_eq!(element_text(&second.text, "range"), "3–4 of 5", "{}", second.text);
    }

    async fn a_phone_gets_labelled_rows_and_charts_readable_at_its_width(app: TestApp) {
        let (_, cookie) = one_day_user(&app, "phone@example.com").await;
        let dashboard = app.call("GET", "/dashboard").header("Cookie", &cookie).send().await;
        assert!(dashboard.text.contains(r#"<td class="date" data-label="Date">"#), "rows say what each value is");
        assert!(dashboard.text.contains(r#"viewBox="0 0 400 "#), "charts drawn narrow enough for a phone");
        let css = app.call("GET", "/static/sandbank.css").send().await;
        assert!(css.text.contains("@media (max-width: 40rem)") && css.text.contains("content: attr(data-label)"));
        let account = dashboard.text.split("href=\"/accounts/").nth(1).and_then(|t| t.split('"').next()).expect("an account");
        let page = app.call("GET", &format!("/accounts/{account}")).header("Cookie", &cookie).send().await;
        assert!(!page.text.contains(">Account</th>"), "an account's own page does not repeat it on every row");
        assert!(page.text.contains("Do its transactions add up to its balance?"));
    }
}
