//! Issue 18: `q` on the transaction listing — a case-insensitive substring of the merchant name
//! or the description, combined with every filter and with keyset pages, and in the export.

use serde_json::Value;

use crate::helpers::*;
use crate::transactions::walk;

/// Whether `row`'s merchant name or description holds `text`, whatever its case.
fn holds(row: &Value, text: &str) -> bool {
    let text = text.to_lowercase();
    ["merchantName", "description"].iter().any(|f| row[f].as_str().unwrap_or_default().to_lowercase().contains(&text))
}

on_both_backends! {
    async fn q_finds_a_substring_across_pages_with_every_filter(app: TestApp) {
        let token = app.register("search@example.com").await;
        app.connect(&token, "chase", 31).await;
        app.connect(&token, "amex", 31).await;
        let (everything, total) = walk(&app, &token, "/api/financial/transactions?limit=500").await;
        assert!(total > 100, "a busy household: {total}");

        // A merchant that shows up more than a page of 7, searched by a piece of its name in
        // another case.
        let mut merchants: Vec<&str> = everything.iter().filter_map(|r| r["merchantName"].as_str()).collect();
        merchants.sort_unstable();
        let busiest = merchants.chunk_by(|a, b| a == b).max_by_key(|run| run.len()).expect("merchants")[0];
        let piece: String = busiest.chars().skip(1).take(4).collect::<String>().to_uppercase();
        let expected: Vec<&Value> = everything.iter().filter(|r| holds(r, &piece)).collect();
        assert!(expected.len() > 7, "{piece}: {}", expected.len());
        let query = form_encode(&piece);
        let (found, found_total) = walk(&app, &token, &format!("/api/financial/transactions?q={query}&limit=7")).await;
        assert_eq!(found_total as usize, expected.len());
        assert_eq!(found.iter().map(|r| &r["id"]).collect::<Vec<_>>(), expected.iter().map(|r| &r["id"]).collect::<Vec<_>>(), "the same rows in the same order");

        // With the other filters and another sort.
        let account = expected[0]["accountId"].as_str().expect("account");
        let path = format!("/api/financial/transactions?q={query}&accountId={account}&type=debit&sortBy=amount&sortOrder=asc&limit=5");
        let (narrowed, _) = walk(&app, &token, &path).await;
        let mut wanted: Vec<&Value> = expected.iter().copied().filter(|r| r["accountId"] == account && r["type"] == "debit").collect();
        wanted.sort_by_key(|r| (r["amount"].as_str().expect("amount").parse::<f64>().map(|a| (a * 100.0).round() as i64).expect("amount"), r["id"].as_str().map(str::to_owned)));
        assert_eq!(narrowed.iter().map(|r| &r["id"]).collect::<Vec<_>>(), wanted.iter().map(|r| &r["id"]).collect::<Vec<_>>());

        // Text that is in no row.
        let none = app.get("/api/financial/transactions?q=zqxv", Some(&token)).await;
        assert_eq!(none.json["pagination"]["total"], 0, "{}", none.text);

        // The export holds what the search found.
        let csv = app.get(&format!("/api/financial/transactions/export.csv?q={query}"), Some(&token)).await;
        assert_eq!(csv.text.lines().count(), expected.len() + 1, "a header and each row");

        // Bad searches are named.
        for bad in ["q=", "q=bp", &format!("q={}", "x".repeat(101))] {
            let reply = app.get(&format!("/api/financial/transactions?{bad}"), Some(&token)).await;
            reply.assert_error(400, "validation_failed");
            assert_eq!(reply.error_fields(), ["q"], "{bad}");
        }
        let first = app.get(&format!("/api/financial/transactions?q={query}&limit=2"), Some(&token)).await;
        let cursor = first.json["pagination"]["cursor"].as_str().expect("a cursor");
        let other = app.get(&format!("/api/financial/transactions?q=other&limit=2&cursor={cursor}"), Some(&token)).await;
        other.assert_error(400, "validation_failed");
        assert_eq!(other.error_fields(), ["cursor"], "a cursor belongs to its search");
    }
}
