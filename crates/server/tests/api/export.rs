//! `GET /api/financial/transactions/export.csv` over HTTP: a header row, every matching row in
//! the listing's order (across the export's chunks), RFC 4180 quoting, the listing's filters,
//! and its errors.

use serde_json::{Value, json};

use sandbank_services::use_cases::demo::DEMO_PASSWORD;

use crate::helpers::*;
use crate::transactions::walk;

const EXPORT: &str = "/api/financial/transactions/export.csv";

/// The export's rows parsed as CSV: the header, then the records.
pub(crate) fn parse_csv(text: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("a header row").iter().map(str::to_owned).collect();
    let records = reader.records().map(|r| r.expect("a well-formed record")).collect();
    (header, records)
}

/// A field of a record by its column name.
fn field<'a>(header: &[String], record: &'a csv::StringRecord, name: &str) -> &'a str {
    let at = header.iter().position(|h| h == name).unwrap_or_else(|| panic!("column {name}"));
    record.get(at).expect("a field per column")
}

/// Connects a busy household's Chase and Amex.
async fn busy_household(app: &TestApp, token: &str) {
    let chase = sandbank_fakebank::catalog::provider("chase").expect("chase");
    let seed = sandbank_fakebank::Household::main_bank_seed(chase, 31);
    app.connect(token, "chase", i64::try_from(seed).expect("a small seed")).await;
    app.connect(token, "amex", i64::try_from(seed).expect("a small seed")).await;
}

on_both_backends! {
    async fn export_has_a_header_and_every_row_in_the_listings_order(app: TestApp) {
        // A demo user with 1,200 rows: more than two of the export's chunks (500).
        app.run_cli(&["demo-data", "--users", "1", "--transactions-per-user", "1200"]);
        let login = json!({"email": "demo-1@sandbank.test", "password": DEMO_PASSWORD});
        let token = app.post_json("/api/auth/login", None, &login).await.json["token"].as_str().expect("token").to_owned();
        let reply = app.get(EXPORT, Some(&token)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.header("content-type"), Some("text/csv; charset=utf-8"));
        assert!(reply.text.starts_with(
            "id,date,accountId,connectionId,amount,currency,type,status,authorizedAt,postedAt,merchantName,\
             description,category,paymentChannel,city,region,country,externalId,counterpartTransactionId\r\n"
        ), "{:.300}", reply.text);
        let (header, records) = parse_csv(&reply.text);
        let (listed, total) = walk(&app, &token, "/api/financial/transactions?limit=500").await;
        assert!(total > 1000, "more rows than two chunks: {total}");
        assert_eq!(records.len(), listed.len(), "every row, not one page");
        for (record, row) in records.iter().zip(&listed) {
            let text = |v: &Value| v.as_str().map(str::to_owned).unwrap_or_default();
            for column in ["id", "date", "accountId", "connectionId", "amount", "currency", "type", "status",
                "authorizedAt", "postedAt", "merchantName", "description", "category", "paymentChannel",
                "externalId", "counterpartTransactionId"] {
                assert_eq!(field(&header, record, column), text(&row[column]), "{column} of {row}");
            }
            for part in ["city", "region", "country"] {
                assert_eq!(field(&header, record, part), text(&row["location"][part]), "{part} of {row}");
            }
        }
        let sign = |r: &csv::StringRecord| (field(&header, r, "type").to_owned(), field(&header, r, "amount").starts_with('-'));
        assert!(records.iter().map(sign).all(|(kind, negative)| (kind == "debit") == negative), "negative is money out");
        assert!(records.iter().any(|r| !field(&header, r, "counterpartTransactionId").is_empty()), "transfers name their other side");
    }

    async fn export_quotes_commas_and_quotes(app: TestApp) {
        let token = app.register("export-quotes@example.com").await;
        let chase = sandbank_fakebank::catalog::provider("chase").expect("chase").id.as_str();
        let scenario = json!({"name": "quoting", "accounts": [{
            "ref": "checking", "type": "checking", "subtype": "personal", "name": "Everyday", "mask": "4321",
            "openingBalance": "100.00",
            "transactions": [{"day": -3, "amount": "-12.50", "description": "ACME, \"BEST\" GOODS", "category": "shopping"}]
        }]});
        let created = app.post_json("/api/financial/connections", Some(&token), &json!({"providerId": chase, "scenario": scenario})).await;
        assert_eq!(created.status, 201, "{}", created.text);
        let id = created.json["connectionId"].as_str().expect("id");
        let authorized = app.post_json(&format!("/api/financial/connections/{id}/authorize"), Some(&token), &json!({})).await;
        assert_eq!(authorized.status, 200, "{}", authorized.text);
        let reply = app.get(EXPORT, Some(&token)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert!(reply.text.contains(",\"ACME, \"\"BEST\"\" GOODS\","), "RFC 4180 quoting: {}", reply.text);
        let (header, records) = parse_csv(&reply.text);
        assert_eq!(records.len(), 1, "{}", reply.text);
        assert_eq!(field(&header, &records[0], "description"), "ACME, \"BEST\" GOODS");
        assert_eq!(field(&header, &records[0], "amount"), "-12.50");
    }

    async fn export_takes_the_listings_filters(app: TestApp) {
        let token = app.register("export-filters@example.com").await;
        busy_household(&app, &token).await;
        let filters = "category=transfer&type=credit&sortBy=amount&sortOrder=asc&startDate=2000-01-01";
        let reply = app.get(&format!("{EXPORT}?{filters}&limit=1&cursor=ignored"), Some(&token)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let (header, records) = parse_csv(&reply.text);
        let (listed, _) = walk(&app, &token, &format!("/api/financial/transactions?{filters}&limit=500")).await;
        assert!(!listed.is_empty());
        let ids: Vec<&str> = records.iter().map(|r| field(&header, r, "id")).collect();
        let listed_ids: Vec<&str> = listed.iter().map(|t| t["id"].as_str().expect("id")).collect();
        assert_eq!(ids, listed_ids, "the same rows in the same order");
        assert!(records.iter().all(|r| field(&header, r, "category") == "transfer" && field(&header, r, "type") == "credit"));
        let (all_header, all) = parse_csv(&app.get(EXPORT, Some(&token)).await.text);
        assert!(all.len() > records.len(), "the filters left rows out ({} of {})", records.len(), all.len());
        assert_eq!(all_header, header);
    }

    async fn export_refuses_bad_filters_and_strangers(app: TestApp) {
        let token = app.register("export-bad@example.com").await;
        let bad = app.get(&format!("{EXPORT}?startDate=yesterday&category=nope"), Some(&token)).await;
        bad.assert_error(400, "validation_failed");
        assert_eq!(bad.error_fields(), vec!["category".to_owned(), "startDate".to_owned()]);
        app.get(&format!("{EXPORT}?status="), Some(&token)).await.assert_error(400, "validation_failed");
        app.get(&format!("{EXPORT}?startDate=2026-05-02&endDate=2026-05-01"), Some(&token)).await.assert_error(400, "validation_failed");
        app.get(EXPORT, None).await.assert_error(401, "unauthenticated");
        let missing = format!("{EXPORT}?connectionId=00000000-0000-4000-8000-000000000000");
        app.get(&missing, Some(&token)).await.assert_error(404, "not_found");
        let other = app.register("export-other@example.com").await;
        let theirs = app.connect(&other, "amex", 5).await;
        app.get(&format!("{EXPORT}?connectionId={theirs}"), Some(&token)).await.assert_error(403, "forbidden");
    }

    async fn the_transactions_page_exports_its_filtered_view(app: TestApp) {
        let token = app.register("export-page@example.com").await;
        busy_household(&app, &token).await;
        let (cookie, _) = app.cookie_session("export-page@example.com").await;
        let page = app
            .call("GET", "/transactions?startDate=2000-01-01&endDate=&category=transfer&type=credit&sortBy=amount&sortOrder=asc&limit=25")
            .header("Cookie", &cookie)
            .send()
            .await;
        assert_eq!(page.status, 200, "{}", page.text);
        let href = "/api/financial/transactions/export.csv?startDate=2000-01-01&#38;category=transfer&#38;type=credit&#38;sortBy=amount&#38;sortOrder=asc";
        assert!(page.text.contains(&format!("<a class=\"button secondary\" id=\"export-csv\" href=\"{href}\" download>Export CSV</a>")), "{}", page.text);
        let exported = app.call("GET", &href.replace("&#38;", "&")).header("Cookie", &cookie).send().await;
        assert_eq!(exported.status, 200, "{}", exported.text);
        let (header, records) = parse_csv(&exported.text);
        assert!(!records.is_empty());
        assert!(records.iter().all(|r| field(&header, r, "category") == "transfer" && field(&header, r, "type") == "credit"));
        let unfiltered = app.call("GET", "/transactions").header("Cookie", &cookie).send().await;
        assert!(unfiltered.text.contains("href=\"/api/financial/transactions/export.csv\""), "{}", unfiltered.text);
    }
}
