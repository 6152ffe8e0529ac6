//! SQLite has one write lock and a busy handler that sleeps with backoff, so a writer that comes
//! straight back (a sync's next chunk) would take the lock again ahead of one that has been
//! waiting. A process's writers take turns in arrival order instead. (SQLite only: PostgreSQL
//! has no database-wide write lock.)

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sandbank_store::test_database::{TestBackend, TestDatabase};
use sandbank_store::{Db, StoreError};

#[test]
fn a_waiting_writer_goes_before_one_that_comes_back_on_sqlite() {
    let database = TestDatabase::create(TestBackend::Sqlite).expect("SQLite always runs");
    let db = Db::open(database.url()).expect("open");
    let order = Arc::new(Mutex::new(Vec::new()));
    let write = |db: &Db, who: &'static str, hold: Duration| {
        db.write(|_| {
            order.lock().expect("order").push(who);
            std::thread::sleep(hold);
            Ok::<_, StoreError>(())
        })
        .expect("write");
    };
    std::thread::scope(|scope| {
        let busy = scope.spawn(|| {
            // Holds the lock long enough for the other writer to be waiting, then comes back.
            write(&db, "busy writer", Duration::from_millis(300));
            write(&db, "busy writer again", Duration::ZERO);
        });
        std::thread::sleep(Duration::from_millis(100));
        write(&db, "waiting writer", Duration::ZERO);
        busy.join().expect("busy writer");
    });
    assert_eq!(*order.lock().expect("order"), ["busy writer", "waiting writer", "busy writer again"]);
}
