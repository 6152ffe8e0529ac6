//! Issue #12, the change feed: `GET /api/financial/transactions/changes` replays the listing
//! from no cursor, then gives exactly what each write changed, once, in its latest state.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, Utc};
use sandbank_domain::transaction::TransactionStatus;
use sandbank_fakebank::{FakeBank, catalog};
use serde_json::{Value, json};

use crate::helpers::*;

/// An American Express seed whose household holds a long history there (over 200 rows today,
/// so several pages of 100 whatever the day) and uses its cards daily (a few rows pending today,
/// to post within three days, and new rows in those three days).
fn busy_amex_seed() -> i64 {
    let now = Utc::now();
    let today = now.date_naive();
    let spec = catalog::provider("amex").expect("amex");
    let busy = |seed: &u64| -> bool {
        let accounts = FakeBank::new(spec, *seed, today).accounts();
        let rows: Vec<_> =
            accounts.iter().flat_map(|a| a.transactions(a.history_start()..today + Days::new(1), today)).collect();
        rows.len() > 200
            && rows.iter().filter(|t| t.status == TransactionStatus::Pending).count() >= 4
            && crate::connections::expected_changes("amex", *seed as i64, today, now, now + Days::new(3)).0 > 0
    };
    (1..2_000u64).find(busy).expect("a busy seed") as i64
}

/// A reader's copy of the transactions, kept as the feed says.
#[derive(Default)]
struct Replica {
    rows: BTreeMap<String, Value>,
    cursor: Option<String>,
}

/// What one pull (pages until `hasMore` is false) gave.
#[derive(Default, Debug)]
struct Pulled {
    added: BTreeSet<String>,
    modified: BTreeSet<String>,
    removed: BTreeSet<String>,
    pages: usize,
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array().expect("a list").iter().map(|row| row["id"].as_str().expect("id").to_owned()).collect()
}

impl Replica {
    /// Follows `nextCursor` while `hasMore`, applying each page; returns what came.
    async fn pull(&mut self, base: &str, app: &TestApp, token: &str, filter: &str) -> Pulled {
        let mut pulled = Pulled::default();
        loop {
            let cursor = self.cursor.as_deref().map(|c| format!("&cursor={c}")).unwrap_or_default();
            let page = app
                .call_at(base, "GET", &format!("/api/financial/transactions/changes?count=100{filter}{cursor}"))
                .bearer(Some(token))
                .send()
                .await;
            assert_eq!(page.status, 200, "{}", page.text);
            for row in page.json["added"]
                .as_array()
                .expect("added")
                .iter()
                .chain(page.json["modified"].as_array().expect("modified"))
            {
                self.rows.insert(row["id"].as_str().expect("id").to_owned(), row.clone());
            }
            for id in ids(&page.json["removed"]) {
                self.rows.remove(&id);
            }
            pulled.added.extend(ids(&page.json["added"]));
            pulled.modified.extend(ids(&page.json["modified"]));
            pulled.removed.extend(ids(&page.json["removed"]));
            pulled.pages += 1;
            self.cursor = Some(page.json["nextCursor"].as_str().expect("nextCursor is never null").to_owned());
            if page.json["hasMore"] == false {
                return pulled;
            }
        }
    }
}

/// Every transaction the listing shows (all pages), by id.
async fn listing(app: &TestApp, token: &str, filter: &str) -> BTreeMap<String, Value> {
    let mut rows = BTreeMap::new();
    let mut cursor = String::new();
    loop {
        let page = app.get(&format!("/api/financial/transactions?limit=500{filter}{cursor}"), Some(token)).await;
        assert_eq!(page.status, 200, "{}", page.text);
        for row in page.json["transactions"].as_array().expect("rows") {
            rows.insert(row["id"].as_str().expect("id").to_owned(), row.clone());
        }
        match page.json["pagination"]["cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return rows,
        }
    }
}

async fn advance_and_sync(app: &TestApp, base: &str, token: &str, id: &str, days: u32) -> Value {
    let advanced = app
        .call_at(base, "POST", &format!("/api/sandbox/connections/{id}/simulate"))
        .bearer(Some(token))
        .json(&json!({"event": "advance_days", "days": days}))
        .send()
        .await;
    assert_eq!(advanced.status, 200, "{}", advanced.text);
    let synced =
        app.call_at(base, "POST", &format!("/api/financial/connections/{id}")).bearer(Some(token)).send().await;
    assert_eq!(synced.status, 200, "{}", synced.text);
    synced.json
}

on_both_backends! {
    async fn the_feed_replays_the_listing_then_gives_exactly_what_a_sync_changed(app: TestApp) {
        let token = app.register("feed@example.com").await;
        let id = app.connect(&token, "amex", busy_amex_seed()).await;
        let mut replica = Replica::default();
        let first = replica.pull(&app.address, &app, &token, "").await;
        assert!(first.pages > 1, "a whole history takes several pages of 100");
        assert!(first.modified.is_empty() && first.removed.is_empty(), "from no cursor everything is added");
        let listed = listing(&app, &token, "").await;
        assert_eq!(replica.rows, listed, "the feed from no cursor is the listing, row for row");

        let sync = advance_and_sync(&app, &app.address, &token, &id, 3).await;
        let changed = replica.pull(&app.address, &app, &token, "").await;
        let counts = (changed.added.len(), changed.modified.len(), changed.removed.len());
        let reported = (sync["transactionsAdded"].as_u64(), sync["transactionsModified"].as_u64(), sync["transactionsRemoved"].as_u64());
        assert_eq!(reported, (Some(counts.0 as u64), Some(counts.1 as u64), Some(counts.2 as u64)), "the sync's counts are the feed's");
        assert!(counts.0 > 0 && counts.1 > 0, "three days add rows and settle pending ones: {counts:?}");
        assert!(changed.added.iter().all(|id| !listed.contains_key(id)), "added rows are new");
        assert!(changed.modified.iter().all(|id| listed.contains_key(id)), "modified rows were seen before");
        assert_eq!(replica.rows, listing(&app, &token, "").await, "the replica follows the listing");

        let saved = replica.cursor.clone().expect("a cursor");
        let again = replica.pull(&app.address, &app, &token, "").await;
        assert!(again.added.is_empty() && again.modified.is_empty() && again.removed.is_empty(), "nothing changed: {again:?}");
        assert_eq!(replica.cursor.as_deref(), Some(saved.as_str()), "a cursor is stable: nothing new, the same cursor back");
    }

    async fn a_feed_per_connection_sees_its_purge_as_removals(app: TestApp) {
        let token = app.register("feed-purge@example.com").await;
        let kept = app.connect(&token, "chase", 5).await;
        let purged = app.connect(&token, "wells-fargo", 6).await;
        let mut whole = Replica::default();
        whole.pull(&app.address, &app, &token, "").await;
        let mut one = Replica::default();
        let filter = format!("&connectionId={purged}");
        one.pull(&app.address, &app, &token, &filter).await;
        assert!(!one.rows.is_empty());
        assert!(one.rows.values().all(|row| row["connectionId"] == purged.as_str()), "only that connection's rows");

        let reply = app.send_delete(&format!("/api/financial/connections/{purged}?purge=true"), &token).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let gone: BTreeSet<String> = one.rows.keys().cloned().collect();
        let pulled = one.pull(&app.address, &app, &token, &filter).await;
        assert_eq!(pulled.removed, gone, "a purge removes every row of the connection");
        assert!(one.rows.is_empty());
        whole.pull(&app.address, &app, &token, "").await;
        assert_eq!(whole.rows, listing(&app, &token, "").await);
        assert!(whole.rows.values().all(|row| row["connectionId"] == kept.as_str()));
    }

    async fn a_recategorised_row_is_a_change_of_its_own(app: TestApp) {
        let token = app.register("feed-rules@example.com").await;
        let id = app.connect(&token, "chase", 29).await;
        let mut replica = Replica::default();
        replica.pull(&app.address, &app, &token, "").await;
        let (row_id, row) = replica.rows.iter().find(|(_, r)| r["category"] == "food_and_drink").expect("a coffee");
        let row_id: sandbank_domain::TransactionId = row_id.parse().expect("id");
        let expected = row["category"].clone();
        let user = app.user_id(&token).await;
        let db = app.open_database();
        db.write(|conn| {
            sandbank_store::transactions::set_category(conn, row_id, "travel".parse().expect("category"), &mut sandbank_store::changes::ChangeStamp::new(user))
        })
        .expect("a wrong category");
        let wrong = replica.pull(&app.address, &app, &token, "").await;
        assert_eq!(wrong.modified, BTreeSet::from([row_id.to_string()]));

        let corrected = sandbank_services::jobs::categorize::categorize(&db, id.parse().expect("id")).expect("categorized");
        assert_eq!(corrected, 1, "only the corrupted row disagrees with the rules: new rows were categorised before they were stored");
        let fixed = replica.pull(&app.address, &app, &token, "").await;
        assert_eq!(fixed.modified, BTreeSet::from([row_id.to_string()]));
        assert_eq!(replica.rows[&row_id.to_string()]["category"], expected);
    }

    async fn a_reader_following_two_busy_writers_skips_nothing(app: TestApp) {
        let token = app.register("feed-hammer@example.com").await;
        let first = app.connect(&token, "chase", 11).await;
        let second = app.connect(&token, "capital-one", 12).await;
        // The second writer goes through a second server process on the same database.
        let process = ServerProcess::spawn(&app.database_url(), TEST_SECRET).await;
        let other = process.base.clone();
        let write = |base: String, id: String| {
            let (app, token) = (&app, token.clone());
            async move {
                for _ in 0..15 {
                    advance_and_sync(app, &base, &token, &id, 3).await;
                }
            }
        };
        let done = std::cell::Cell::new(false);
        let writers = async {
            futures_util::future::join(write(app.address.clone(), first), write(other, second)).await;
            done.set(true);
        };
        let mut replica = Replica::default();
        let reader = async {
            let mut pulls = 0;
            while !done.get() {
                replica.pull(&app.address, &app, &token, "").await;
                pulls += 1;
                actix_web::rt::time::sleep(std::time::Duration::from_millis(1)).await;
            }
            pulls
        };
        let ((), pulls) = futures_util::future::join(writers, reader).await;
        replica.pull(&app.address, &app, &token, "").await;
        assert!(pulls > 2, "the reader read while the writers wrote ({pulls} pulls)");
        assert_eq!(replica.rows, listing(&app, &token, "").await, "the reader's copy is the listing: no change skipped");
    }

    async fn bad_feed_requests_are_400s_that_name_the_field(app: TestApp) {
        let token = app.register("feed-bad@example.com").await;
        let other = app.register("feed-other@example.com").await;
        let id = app.connect(&token, "amex", 3).await;
        let theirs = app.connect(&other, "amex", 4).await;
        for (query, field) in [("count=0", "count"), ("count=501", "count"), ("count=%2B5", "count"), ("connectionId=x", "connectionId"), ("cursor=abc", "cursor")] {
            let reply = app.get(&format!("/api/financial/transactions/changes?{query}"), Some(&token)).await;
            assert_eq!(reply.status, 400, "{query}: {}", reply.text);
            assert!(reply.json["error"]["fields"][field].is_array(), "{query} names {field}: {}", reply.text);
        }
        let reply = app.get(&format!("/api/financial/transactions/changes?connectionId={theirs}"), Some(&token)).await;
        assert_eq!(reply.status, 403, "{}", reply.text);
        let reply = app.get(&format!("/api/financial/transactions/changes?connectionId={}", uuid::Uuid::new_v4()), Some(&token)).await;
        assert_eq!(reply.status, 404, "{}", reply.text);
        let mine = app.get("/api/financial/transactions/changes?count=1", Some(&token)).await.json["nextCursor"].as_str().expect("cursor").to_owned();
        let reply = app.get(&format!("/api/financial/transactions/changes?cursor={mine}"), Some(&other)).await;
        assert_eq!(reply.status, 400, "another user's cursor: {}", reply.text);
        let reply = app.get(&format!("/api/financial/transactions/changes?cursor={mine}&connectionId={id}"), Some(&token)).await;
        assert_eq!(reply.status, 400, "a cursor of another filter: {}", reply.text);
        let forged = format!("{}A", mine);
        let reply = app.get(&format!("/api/financial/transactions/changes?cursor={forged}"), Some(&token)).await;
        assert_eq!(reply.status, 400, "an edited cursor: {}", reply.text);
        let reply = app.get("/api/financial/transactions/changes", None).await;
        assert_eq!(reply.status, 401);
    }
}

/// A cursor older than the retention is a 409 `cursor_expired`.
mod expiry {
    use super::*;

    fn short_retention(settings: &mut sandbank::Settings) {
        settings.change_retention = chrono::TimeDelta::seconds(2);
    }

    on_both_backends! {
        with short_retention;

        async fn an_old_cursor_must_start_over(app: TestApp) {
            let token = app.register("feed-old@example.com").await;
            let id = app.connect(&token, "amex", 8).await;
            let mut replica = Replica::default();
            replica.pull(&app.address, &app, &token, "").await;
            let old = replica.cursor.clone().expect("a cursor");
            let reply = app.send_delete(&format!("/api/financial/connections/{id}?purge=true"), &token).await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            actix_web::rt::time::sleep(std::time::Duration::from_millis(3100)).await;
            let reply = app.get(&format!("/api/financial/transactions/changes?cursor={old}"), Some(&token)).await;
            assert_eq!(reply.status, 409, "{}", reply.text);
            assert_eq!(reply.json["error"]["code"], "cursor_expired");
            let mut fresh = Replica::default();
            fresh.pull(&app.address, &app, &token, "").await;
            assert!(fresh.rows.is_empty(), "starting over gives the current state");
            let user = app.user_id(&token).await;
            let state = app.open_database().read(|conn| sandbank_store::changes::state(conn, user)).expect("state");
            assert!(state.horizon_seq > 0, "the old removals were purged and the horizon moved past them");
        }
    }
}
