//! A dropped pool takes its threads with it at once. (Its own test binary: it counts this
//! process's threads, which no other test may be starting at the same time.)

use std::time::{Duration, Instant};

use sandbank_store::Db;
use sandbank_store::test_database::{TestBackend, TestDatabase};

/// This process's threads whose name starts with `prefix` (Linux's `/proc/self/task`).
fn threads_named(prefix: &str) -> usize {
    let tasks = std::fs::read_dir("/proc/self/task").expect("/proc/self/task");
    tasks
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.starts_with(prefix))
        .count()
}

#[test]
fn a_dropped_pool_ends_its_threads_at_once_on_sqlite() {
    let database = TestDatabase::create(TestBackend::Sqlite).expect("SQLite always runs");
    let before = threads_named("r2d2");
    for _ in 0..10 {
        let db = Db::open(database.url()).expect("open");
        db.migrate().expect("migrate");
    }
    let dropped = Instant::now();
    while threads_named("r2d2") > before && dropped.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(threads_named("r2d2"), before, "ten dropped pools left threads behind");
    assert!(dropped.elapsed() < Duration::from_secs(1), "the threads took {:?} to end", dropped.elapsed());
}
