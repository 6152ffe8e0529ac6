//! The two migration trees stay in step, and every migration goes up, down and up again on
//! both backends.

use std::collections::BTreeSet;
use std::path::Path;

use sandbank_store::Db;
use sandbank_store::test_database::{TestBackend, TestDatabase};

fn migration_names(backend: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations").join(backend);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let entry = entry.expect("readable entry");
            for file in ["up.sql", "down.sql"] {
                assert!(entry.path().join(file).is_file(), "{} lacks {file}", entry.path().display());
            }
            entry.file_name().to_string_lossy().into_owned()
        })
        .collect()
}

#[test]
fn sqlite_and_postgres_hold_the_same_migrations() {
    let sqlite = migration_names("sqlite");
    let postgres = migration_names("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres, "migrations/sqlite and migrations/postgres differ");
}

fn up_down_up(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend) else {
        return;
    };
    let db = Db::open(database.url()).expect("open");
    let count = migration_names("sqlite").len();
    assert_eq!(db.migrate().expect("up"), count);
    assert_eq!(db.migrate().expect("idempotent"), 0);
    assert_eq!(db.revert_migrations().expect("down"), count);
    assert_eq!(db.migrate().expect("up again"), count);
}

#[test]
fn migrations_go_up_down_and_up_on_sqlite() {
    up_down_up(TestBackend::Sqlite);
}

#[test]
fn migrations_go_up_down_and_up_on_postgres() {
    up_down_up(TestBackend::Postgres);
}
