//! Throwaway databases for tests: a SQLite file in a fresh temporary folder, or a fresh schema
//! in the PostgreSQL named by `SANDBANK_TEST_PG`. Each test gets its own, so tests run in
//! parallel; the database is removed when the value is dropped.

use std::path::PathBuf;

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;

use sandbank_domain::account::{AccountSubtype, AccountType};
use sandbank_domain::bank_data::ReportedAccount;
use sandbank_domain::money::Currency;

use crate::db::DatabaseUrl;
use crate::error::StoreError;

/// The environment variable naming the PostgreSQL server for tests.
pub const TEST_PG_ENV: &str = "SANDBANK_TEST_PG";

/// The backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    /// A SQLite file.
    Sqlite,
    /// A schema in `SANDBANK_TEST_PG`.
    Postgres,
}

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDatabase {
    url: DatabaseUrl,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Folder(PathBuf),
    Schema { server_url: String, schema: String },
}

impl TestDatabase {
    /// A fresh, empty database on `backend`, or `None` (with the reason printed) when the test
    /// should skip: PostgreSQL is not configured outside CI. In CI (`CI` set) a missing
    /// PostgreSQL fails the test instead.
    pub fn create(backend: TestBackend) -> Option<Self> {
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        match backend {
            TestBackend::Sqlite => {
                let folder = std::env::temp_dir().join(format!("sandbank-test-{name}"));
                let url = DatabaseUrl::Sqlite(folder.join("sandbank.db"));
                Some(Self { url, cleanup: Cleanup::Folder(folder) })
            }
            TestBackend::Postgres => {
                let Some(server_url) = std::env::var(TEST_PG_ENV).ok().filter(|u| !u.is_empty()) else {
                    assert!(
                        std::env::var_os("CI").is_none(),
                        "{TEST_PG_ENV} is not set, and CI must run every test on PostgreSQL"
                    );
                    eprintln!("skipped on PostgreSQL: {TEST_PG_ENV} is not set");
                    return None;
                };
                let created = create_schema(&server_url, &name);
                if let Err(error) = created {
                    panic!("cannot create a test schema in {TEST_PG_ENV}: {error}");
                }
                let separator = if server_url.contains('?') { '&' } else { '?' };
                let url = DatabaseUrl::Postgres(format!("{server_url}{separator}options=-csearch_path%3D{name}"));
                Some(Self { url, cleanup: Cleanup::Schema { server_url, schema: name } })
            }
        }
    }

    /// The database's URL.
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// A pool on this database with every migration applied; panics if either fails (a test
    /// cannot go on without it).
    pub fn migrated(&self) -> crate::Db {
        let db = crate::Db::open(&self.url).expect("the test database opens");
        db.migrate().expect("the migrations run");
        db
    }
}

fn create_schema(server_url: &str, schema: &str) -> Result<(), StoreError> {
    let mut conn = PgConnection::establish(server_url).map_err(|e| StoreError::Unavailable(e.to_string()))?;
    conn.batch_execute(&format!("CREATE SCHEMA {schema}"))?;
    Ok(())
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Folder(folder) => {
                let _ = std::fs::remove_dir_all(folder);
            }
            Cleanup::Schema { server_url, schema } => {
                if let Ok(mut conn) = PgConnection::establish(server_url) {
                    let _ = conn.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
                }
            }
        }
    }
}

/// A personal checking account in US dollars, as a bank reports it, for tests that need one.
pub fn reported_checking(external_id: &str) -> ReportedAccount {
    ReportedAccount {
        external_id: external_id.into(),
        name: "Checking".into(),
        official_name: "Checking".into(),
        account_type: AccountType::Checking,
        subtype: AccountSubtype::Personal,
        mask: "0000".into(),
        currency: Currency::USD,
        credit_limit: None,
    }
}
