//! Listing transactions and balances over HTTP: filters, sorts, keyset pages and validation.

use std::collections::HashSet;

use serde_json::Value;

use crate::helpers::*;

fn rows(reply: &Reply) -> Vec<Value> {
    reply.json["transactions"].as_array().unwrap_or_else(|| panic!("{}", reply.text)).clone()
}

/// Walks every page of `path` (which must already hold a query string); returns all rows and
/// the first page's total.
pub(crate) async fn walk(app: &TestApp, token: &str, path: &str) -> (Vec<Value>, u64) {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    let mut total = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}&cursor={c}"),
            None => path.to_owned(),
        };
        let page = app.get(&url, Some(token)).await;
        assert_eq!(page.status, 200, "{}", page.text);
        let page_total = page.json["pagination"]["total"].as_u64().expect("total");
        assert_eq!(*total.get_or_insert(page_total), page_total);
        all.extend(rows(&page));
        match page.json["pagination"]["cursor"].as_str() {
            Some(next) => {
                assert_eq!(page.json["pagination"]["hasMore"], true);
                cursor = Some(next.to_owned());
            }
            None => {
                assert_eq!(page.json["pagination"]["hasMore"], false);
                break;
            }
        }
    }
    (all, total.unwrap_or(0))
}

on_both_backends! {
    async fn pages_cover_every_row_once_in_order(app: TestApp) {
        let token = app.register("pages@example.com").await;
        // A household that banks mainly at Chase: several accounts there, months of rows.
        let chase = sandbank_fakebank::catalog::provider("chase").expect("chase");
        let seed = sandbank_fakebank::Household::main_bank_seed(chase, 31);
        app.connect(&token, "chase", i64::try_from(seed).expect("a small seed")).await;
        let (all, total) = walk(&app, &token, "/api/financial/transactions?limit=37").await;
        assert_eq!(all.len() as u64, total);
        assert!(total > 37, "several pages");
        let ids: HashSet<_> = all.iter().map(|t| t["id"].as_str().expect("id")).collect();
        assert_eq!(ids.len(), all.len(), "no row twice");
        let dates: Vec<_> = all.iter().map(|t| t["date"].as_str().expect("date").to_owned()).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
        let first = &all[0];
        for field in ["id", "accountId", "connectionId", "amount", "currency", "type", "status", "date", "merchantName", "description", "category", "paymentChannel", "externalId"] {
            assert!(!first[field].is_null(), "{field} in {first}");
        }
        let amount: f64 = first["amount"].as_str().expect("decimal string").parse().expect("number");
        assert_eq!(first["type"] == "debit", amount < 0.0);

        let (by_amount, total_by_amount) = walk(&app, &token, "/api/financial/transactions?sortBy=amount&sortOrder=asc&limit=500").await;
        assert_eq!(total_by_amount, total);
        let amounts: Vec<f64> = by_amount.iter().map(|t| t["amount"].as_str().expect("amount").parse().expect("number")).collect();
        assert!(amounts.windows(2).all(|w| w[0] <= w[1]), "smallest first");
    }

    async fn filters_select_only_matching_rows(app: TestApp) {
        let token = app.register("filters@example.com").await;
        let id = app.connect(&token, "bank-of-america", 8).await;
        let (all, _) = walk(&app, &token, &format!("/api/financial/transactions?connectionId={id}&limit=500")).await;
        let category = all.iter().find(|t| t["type"] == "debit").expect("a debit")["category"].as_str().expect("category").to_owned();
        let (only, total) = walk(&app, &token, &format!("/api/financial/transactions?category={category}&type=debit&limit=20")).await;
        assert!(total > 0);
        assert!(only.iter().all(|t| t["category"] == category.as_str() && t["type"] == "debit"));
        let expected = all.iter().filter(|t| t["category"] == category.as_str() && t["type"] == "debit").count();
        assert_eq!(only.len(), expected);

        let last = all[0]["date"].as_str().expect("date").to_owned();
        let window = format!("/api/financial/transactions?startDate={last}&endDate={last}&limit=500");
        let (same_day, _) = walk(&app, &token, &window).await;
        assert!(!same_day.is_empty() && same_day.iter().all(|t| t["date"] == last.as_str()));

        let account = all[0]["accountId"].as_str().expect("account").to_owned();
        let (own, _) = walk(&app, &token, &format!("/api/financial/accounts/{account}/transactions?limit=100")).await;
        assert!(own.iter().all(|t| t["accountId"] == account.as_str()));
        assert_eq!(own.len(), all.iter().filter(|t| t["accountId"] == account.as_str()).count());

        let balances = app.get(&format!("/api/financial/accounts/{account}/balances?startDate={last}&endDate={last}"), Some(&token)).await;
        assert_eq!(balances.status, 200, "{}", balances.text);
        let snapshots = balances.json["snapshots"].as_array().expect("snapshots");
        assert_eq!(snapshots.len(), 1);
        let details = app.get(&format!("/api/financial/accounts/{account}"), Some(&token)).await;
        assert_eq!(snapshots[0]["currentBalance"], details.json["currentBalance"], "today's snapshot is the balance");
    }

    async fn bad_listing_values_are_400s_naming_them(app: TestApp) {
        let token = app.register("listing-errors@example.com").await;
        let id = app.connect(&token, "amex", 2).await;
        for (query, field) in [
            ("limit=abc", "limit"),
            ("limit=0", "limit"),
            ("limit=501", "limit"),
            ("startDate=2026-02-30", "startDate"),
            ("endDate=soon", "endDate"),
            ("startDate=2026-05-02&endDate=2026-05-01", "startDate"),
            ("category=snacks", "category"),
            ("status=lost", "status"),
            ("type=both", "type"),
            ("sortBy=merchant", "sortBy"),
            ("sortOrder=sideways", "sortOrder"),
            ("accountId=nope", "accountId"),
            ("connectionId=nope", "connectionId"),
            ("cursor=not-a-cursor", "cursor"),
        ] {
            let reply = app.get(&format!("/api/financial/transactions?{query}"), Some(&token)).await;
            reply.assert_error(400, "validation_failed");
            assert_eq!(reply.error_fields(), [field], "{query}");
        }
        let first = app.get("/api/financial/transactions?category=groceries&limit=1", Some(&token)).await;
        let cursor = first.json["pagination"]["cursor"].as_str().expect("a next page").to_owned();
        let other = app.get(&format!("/api/financial/transactions?category=travel&limit=1&cursor={cursor}"), Some(&token)).await;
        other.assert_error(400, "validation_failed");
        assert_eq!(other.error_fields(), ["cursor"]);
        let resized = app.get(&format!("/api/financial/transactions?category=groceries&limit=5&cursor={cursor}"), Some(&token)).await;
        assert_eq!(resized.status, 200, "the page size may change between pages");
        let balances = app.get(&format!("/api/financial/accounts/{}/balances?startDate=x", uuid::Uuid::new_v4()), Some(&token)).await;
        assert_eq!(balances.error_fields(), ["startDate"]);
        let _ = id;
    }

    async fn totals_follow_syncs_and_purges(app: TestApp) {
        let token = app.register("totals@example.com").await;
        let id = app.connect(&token, "capital-one", 14).await;
        let total = |reply: Reply| reply.json["pagination"]["total"].as_u64().expect("total");
        let before = total(app.get("/api/financial/transactions", Some(&token)).await);
        assert_eq!(total(app.get("/api/financial/transactions", Some(&token)).await), before, "counted once, then remembered");
        let (added, removed) = app.sync_until_rows_are_added(&app.address, &token, &id).await;
        assert_eq!(total(app.get("/api/financial/transactions", Some(&token)).await), before + added - removed);
        app.call("DELETE", &format!("/api/financial/connections/{id}?purge=true")).bearer(Some(&token)).send().await;
        assert_eq!(total(app.get("/api/financial/transactions", Some(&token)).await), 0);
    }

    async fn a_page_is_304_while_unchanged_and_gets_a_new_etag_after_a_write_elsewhere(app: TestApp) {
        let token = app.register("etag@example.com").await;
        let id = app.connect(&token, "chase", 21).await;
        let other = app.another_server(|_| {});
        let page = "/api/financial/transactions?limit=5";
        let first = app.get(page, Some(&token)).await;
        assert_eq!(first.status, 200);
        let tag = first.header("etag").expect("an ETag").to_owned();
        assert!(first.header("cache-control").is_some_and(|c| c.contains("no-cache") && c.contains("private")));
        let conditional = |tag: String| app.call("GET", page).bearer(Some(&token)).header("If-None-Match", &tag).send();
        for held in [tag.clone(), format!("W/{tag}"), format!("\"other\", {tag}"), "*".to_owned()] {
            let unchanged = conditional(held.clone()).await;
            assert_eq!((unchanged.status, unchanged.text.as_str()), (304, ""), "If-None-Match: {held}");
            assert_eq!(unchanged.header("etag"), Some(tag.as_str()));
        }
        assert_eq!(conditional("\"other\"".into()).await.status, 200, "another tag is not this page's");
        let longer = app.get("/api/financial/transactions?limit=6", Some(&token)).await;
        assert_ne!(longer.header("etag"), Some(tag.as_str()), "each page has its own tag");
        // Another process writes: new rows after a sync there.
        app.sync_until_rows_are_added(&other, &token, &id).await;
        let changed = conditional(tag.clone()).await;
        assert_eq!(changed.status, 200, "the data changed");
        let new_tag = changed.header("etag").expect("an ETag").to_owned();
        assert_ne!(new_tag, tag);
        assert_eq!(conditional(new_tag).await.status, 304);
    }

    /// Issue #15: a page asked again is served as rendered before only while its user's data is
    /// unchanged: after a write in another process the same request gets the new rows, and
    /// another user asking the same query gets their own page.
    async fn a_page_asked_again_is_never_served_from_before_a_write(app: TestApp) {
        let token = app.register("kept@example.com").await;
        let id = app.connect(&token, "chase", 33).await;
        let twin = app.register("kept-twin@example.com").await;
        app.connect(&twin, "chase", 33).await;
        let other = app.another_server(|_| {});
        let page = "/api/financial/transactions?limit=5";
        let first = app.get(page, Some(&token)).await;
        let again = app.get(page, Some(&token)).await;
        assert_eq!((again.status, &again.json, again.header("etag")), (200, &first.json, first.header("etag")));
        assert_eq!(again.header("content-type"), Some("application/json"));

        let twins = app.get(page, Some(&twin)).await;
        let twin_accounts = app.get("/api/financial/accounts", Some(&twin)).await.json["accounts"].clone();
        let owned: Vec<&Value> = twin_accounts.as_array().expect("accounts").iter().map(|a| &a["id"]).collect();
        let rows = twins.json["transactions"].as_array().expect("rows");
        assert_eq!(rows.len(), 5);
        assert!(rows.iter().all(|row| owned.contains(&&row["accountId"])), "the twin's own rows: {}", twins.text);

        // The other process writes: new rows after a sync there.
        let (added, removed) = app.sync_until_rows_are_added(&other, &token, &id).await;
        let after = app.get(page, Some(&token)).await;
        assert_ne!(after.header("etag"), first.header("etag"));
        let total = |response: &crate::helpers::Reply| response.json["pagination"]["total"].as_u64().expect("total");
        assert_eq!(total(&after), total(&first) + added - removed, "the write's rows are counted");
        let written_elsewhere = app.call_at(&other, "GET", page).bearer(Some(&token)).send().await;
        assert_eq!(after.json, written_elsewhere.json, "both processes serve the new page");
    }

    async fn another_users_accounts_are_not_listed(app: TestApp) {
        let owner = app.register("tx-owner@example.com").await;
        let other = app.register("tx-other@example.com").await;
        let connection = app.connect(&owner, "wells-fargo", 6).await;
        let account = app.get("/api/financial/accounts", Some(&owner)).await.json["accounts"][0]["id"].as_str().expect("account").to_owned();
        app.get(&format!("/api/financial/accounts/{account}/transactions"), Some(&other)).await.assert_error(403, "forbidden");
        app.get(&format!("/api/financial/accounts/{account}/balances"), Some(&other)).await.assert_error(403, "forbidden");
        app.get(&format!("/api/financial/transactions?accountId={account}"), Some(&other)).await.assert_error(403, "forbidden");
        app.get(&format!("/api/financial/transactions?connectionId={connection}"), Some(&other)).await.assert_error(403, "forbidden");
        let missing = uuid::Uuid::new_v4();
        app.get(&format!("/api/financial/accounts/{missing}/transactions"), Some(&other)).await.assert_error(404, "not_found");
        let none = app.get("/api/financial/transactions", Some(&other)).await;
        assert_eq!(none.json["transactions"], serde_json::json!([]));
        assert_eq!(none.json["pagination"]["total"], 0);
        assert_eq!(none.json["pagination"]["cursor"], Value::Null);
    }
}
