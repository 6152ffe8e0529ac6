//! Issue #11, item 8: the small hardening fixes, a module of tests for each.

use sandbank_store::Db;
use sandbank_store::test_database::TestDatabase;

use crate::helpers::*;

/// A migrated database of its own on `backend` (dropped with the returned guard).
fn fresh_database(backend: TestBackend) -> Option<(TestDatabase, Db)> {
    let database = TestDatabase::create(backend)?;
    let db = database.migrated();
    Some((database, db))
}

#[cfg(unix)]
mod sqlite_file_mode {
    use super::*;

    /// The permission bits of `path`, in octal.
    fn mode(path: &std::path::Path) -> String {
        use std::os::unix::fs::PermissionsExt;
        format!("{:o}", std::fs::metadata(path).expect("file exists").permissions().mode() & 0o777)
    }

    #[test]
    fn the_sqlite_file_is_created_0600_with_its_wal_and_shm_and_an_existing_file_keeps_its_mode() {
        use std::os::unix::fs::OpenOptionsExt;
        let (database, db) = fresh_database(TestBackend::Sqlite).expect("sqlite never skips");
        let path = database.url().sqlite_path().expect("a file").to_owned();
        assert_eq!(mode(&path), "600", "the database file");
        for suffix in ["-wal", "-shm"] {
            let companion = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            assert_eq!(mode(&companion), "600", "{suffix} file");
        }
        drop(db);

        let other = TestDatabase::create(TestBackend::Sqlite).expect("sqlite never skips");
        let path = other.url().sqlite_path().expect("a file").to_owned();
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o640).open(&path).expect("file");
        Db::open(other.url()).expect("opens").migrate().expect("migrations run");
        assert_eq!(mode(&path), "640", "an existing file keeps the mode its owner gave it");
    }
}

mod log_colours {
    use super::*;

    #[test]
    fn logs_written_to_a_file_carry_no_colour_codes() {
        let (database, _db) = fresh_database(TestBackend::Sqlite).expect("sqlite never skips");
        let log = database.url().sqlite_path().expect("a file").with_extension("log");
        let file = std::fs::File::create(&log).expect("log file");
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_sandbank"))
            .args(["migrate", "--database-url", &database.url().to_url()])
            .env("SANDBANK_LOG", "info")
            .env_remove("SANDBANK_LOG_FORMAT")
            .env_remove("NO_COLOR")
            .stderr(file)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("sandbank runs");
        assert!(status.success());
        let text = std::fs::read_to_string(&log).expect("log read");
        assert!(text.contains("migrations applied"), "{text}");
        assert!(!text.contains('\u{1b}'), "ANSI escape codes in a log file: {text:?}");
    }
}

mod json_fields {
    use serde_json::json;

    use super::*;

    on_both_backends! {
        async fn a_wrong_typed_seed_is_named_seed_not_body(app: TestApp) {
            let token = app.register("seed@example.com").await;
            let provider_id = sandbank_fakebank::catalog::provider("chase").expect("known provider").id.as_str();
            for seed in [json!("abc"), json!(1.5), json!([1]), json!({"n": 1})] {
                let body = json!({"providerId": provider_id, "seed": seed});
                let reply = app.post_json("/api/financial/connections", Some(&token), &body).await;
                reply.assert_error(400, "validation_failed");
                assert_eq!(reply.error_fields(), ["seed"], "{}", reply.text);
            }
            let reply = app.post_json("/api/auth/register", None, &json!({"email": 5, "password": PASSWORD})).await;
            reply.assert_error(400, "validation_failed");
            assert_eq!(reply.error_fields(), ["email"], "{}", reply.text);
            let id = app.create_connection(&token, "amex", 3).await;
            let simulate = format!("/api/sandbox/connections/{id}/simulate");
            let reply = app.post_json(&simulate, Some(&token), &json!({"event": "advance_days", "days": "3"})).await;
            reply.assert_error(400, "validation_failed");
            assert_eq!(reply.error_fields(), ["days"], "{}", reply.text);
            let reply = app.post_json("/api/auth/login", None, &json!([1, 2])).await;
            assert_eq!(reply.error_fields(), ["body"], "a body of the wrong shape is the body's: {}", reply.text);
        }
    }
}

mod limits {
    use super::*;

    on_both_backends! {
        async fn limit_plus_five_is_a_400_naming_limit(app: TestApp) {
            let token = app.register("limit@example.com").await;
            for limit in ["%2B5", "-5", "%205", "5%20", "+5"] {
                let reply = app.get(&format!("/api/financial/transactions?limit={limit}"), Some(&token)).await;
                reply.assert_error(400, "validation_failed");
                assert_eq!(reply.error_fields(), ["limit"], "limit={limit}: {}", reply.text);
            }
            let reply = app.get("/api/financial/transactions?limit=5", Some(&token)).await;
            assert_eq!(reply.status, 200, "{}", reply.text);
        }
    }
}

mod cursors {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    use super::*;

    /// Replaces the `total` in a cursor's payload (`1|position|id|fingerprint|total`).
    fn with_total(payload: &str, total: u64) -> String {
        let text = String::from_utf8(URL_SAFE_NO_PAD.decode(payload).expect("base64")).expect("text");
        let (head, _) = text.rsplit_once('|').expect("fields");
        URL_SAFE_NO_PAD.encode(format!("{head}|{total}"))
    }

    /// `text` with the character at `at` changed.
    fn flip(text: &str, at: usize) -> String {
        let mut bytes = text.as_bytes().to_vec();
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        String::from_utf8(bytes).expect("ascii")
    }

    on_both_backends! {
        async fn a_forged_or_edited_cursor_is_a_400_naming_cursor(app: TestApp) {
            let token = app.register("cursor@example.com").await;
            app.connect(&token, "chase", 7).await;
            let listing = "/api/financial/transactions?limit=2";
            let first = app.get(listing, Some(&token)).await;
            assert_eq!(first.status, 200, "{}", first.text);
            let total = first.json["pagination"]["total"].as_u64().expect("total");
            let cursor = first.json["pagination"]["cursor"].as_str().expect("a next page").to_owned();
            let next = app.get(&format!("{listing}&cursor={cursor}"), Some(&token)).await;
            assert_eq!(next.status, 200, "the server's own cursor works: {}", next.text);
            assert_eq!(next.json["pagination"]["total"].as_u64(), Some(total));

            let (payload, signature) = cursor.rsplit_once('.').expect("payload.signature");
            let forged_total = with_total(payload, 999_999);
            let forgeries = [
                ("an unsigned cursor, as this server used to make", forged_total.clone()),
                ("a forged total under the old signature", format!("{forged_total}.{signature}")),
                ("a byte of the payload flipped", format!("{}.{signature}", flip(payload, 3))),
                ("a byte of the signature flipped", format!("{payload}.{}", flip(signature, 5))),
                ("the signature cut short", format!("{payload}.{}", &signature[..20])),
            ];
            for (what, forged) in forgeries {
                let reply = app.get(&format!("{listing}&cursor={forged}"), Some(&token)).await;
                reply.assert_error(400, "validation_failed");
                assert_eq!(reply.error_fields(), ["cursor"], "{what}: {}", reply.text);
            }
        }
    }
}

mod demo_data {
    use sandbank_domain::transaction_query::{SortBy, SortOrder, TransactionFilter};
    use sandbank_services::use_cases::demo::DemoData;
    use sandbank_store::{connections, transactions};

    use super::*;

    /// The backend `app` runs on.
    fn backend_of(app: &TestApp) -> TestBackend {
        if app.database_url().starts_with("postgres") { TestBackend::Postgres } else { TestBackend::Sqlite }
    }

    const PER_USER: usize = 1_500;

    /// Everything generated for the first demo user, in a stable order (ids are random).
    fn contents(db: &Db) -> (Vec<(String, i64)>, Vec<String>) {
        db.read(|conn| {
            let user = sandbank_store::users::find_by_email(
                conn,
                &sandbank_domain::user::Email::parse("demo-1@sandbank.test").expect("email"),
            )?
            .expect("the demo user")
            .user
            .id;
            let mut links: Vec<(String, i64)> = connections::list_for_user(conn, user)?
                .into_iter()
                .map(|c| (c.provider_id.to_string(), c.seed))
                .collect();
            links.sort();
            let filter = TransactionFilter::default();
            let rows = transactions::page(conn, user, &filter, SortBy::Date, SortOrder::Desc, None, 100_000)?;
            let mut rows: Vec<String> = rows.iter().map(|t| format!("{:?}", t.reported)).collect();
            rows.sort();
            Ok::<_, sandbank_store::StoreError>((links, rows))
        })
        .expect("read back")
    }

    on_both_backends! {
        async fn a_killed_demo_data_run_resumes_to_what_an_uninterrupted_run_writes(app: TestApp) {
            let db = app.open_database();
            let demo = DemoData::new(db.clone()).rows_per_commit(1);
            let killed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                demo.fill(1, PER_USER, |_| panic!("killed after the first commit"))
            }));
            assert!(killed.is_err(), "the first run dies");
            let (links, rows) = contents(&db);
            assert_eq!(links.len(), 1, "a partial user: one connection committed");
            assert!(rows.len() < PER_USER);

            let resumed = demo.fill(1, PER_USER, |_| {}).expect("a rerun completes instead of refusing");
            assert_eq!(resumed[0].transactions, PER_USER);

            let Some((_other, whole)) = fresh_database(backend_of(&app)) else { return };
            let uninterrupted = DemoData::new(whole.clone()).fill(1, PER_USER, |_| {}).expect("uninterrupted run");
            assert_eq!(uninterrupted[0].transactions, PER_USER);
            let (resumed_links, resumed_rows) = contents(&db);
            assert!(resumed_links.len() > 1, "several connections: the kill happened part way");
            assert_eq!((resumed_links, resumed_rows), contents(&whole), "the same connections and transactions");

            let again = demo.fill(1, PER_USER, |_| {}).expect("a rerun of a finished run is a no-op");
            assert_eq!(again[0].transactions, PER_USER);
            assert_eq!(contents(&db).1.len(), PER_USER);
        }

        async fn a_user_who_registered_a_demo_address_is_not_filled(app: TestApp) {
            app.register("demo-1@sandbank.test").await;
            let refused = DemoData::new(app.open_database()).fill(1, 10, |_| {});
            assert!(
                matches!(refused, Err(sandbank_services::ServiceError::Conflict { code: sandbank_domain::ErrorCode::DemoExists, .. })),
                "{refused:?}"
            );
        }
    }
}
