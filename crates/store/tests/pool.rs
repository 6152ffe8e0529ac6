//! A connection whose user panicked inside a write transaction never goes back to the pool: the
//! next user of the pool gets a clean connection, and (on SQLite) no leftover write lock.

use diesel::connection::SimpleConnection;
use diesel::sql_types::BigInt;
use diesel::{QueryableByName, RunQueryDsl};
use sandbank_store::test_database::{TestBackend, TestDatabase};
use sandbank_store::{Db, StoreError};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl Count {
    fn of(conn: &mut sandbank_store::DbConnection, value: i64) -> i64 {
        let sql = format!("SELECT COUNT(*) AS n FROM pool_probe WHERE v = {value}");
        diesel::sql_query(sql).get_result::<Count>(conn).expect("count").n
    }
}

fn probes(db: &Db, value: i64) -> i64 {
    db.read(|conn| Ok::<_, StoreError>(Count::of(conn, value))).expect("count")
}

fn insert(conn: &mut sandbank_store::DbConnection, value: i64) -> Result<(), StoreError> {
    Ok(conn.batch_execute(&format!("INSERT INTO pool_probe (v) VALUES ({value})"))?)
}

fn a_panic_inside_a_write_breaks_its_connection(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend) else { return };
    let db = Db::open(database.url()).expect("open");
    db.read(|conn| Ok::<_, StoreError>(conn.batch_execute("CREATE TABLE pool_probe (v BIGINT NOT NULL)")?))
        .expect("table");
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _: Result<(), StoreError> = db.write(|conn| {
            insert(conn, 1)?;
            panic!("a bug inside a transaction");
        });
    }));
    assert!(panicked.is_err());
    // The next writer of the same pool: a clean connection, committed for everyone to see.
    db.write(|conn| insert(conn, 2)).expect("the next write succeeds");
    let fresh = Db::open(database.url()).expect("a second pool");
    assert_eq!(probes(&fresh, 1), 0, "the panicked transaction was rolled back");
    assert_eq!(probes(&fresh, 2), 1, "the next write was committed, not nested in the broken one");
    fresh.write(|conn| insert(conn, 3)).expect("no write lock is left behind");
}

#[test]
fn a_panic_inside_a_write_breaks_its_connection_on_sqlite() {
    a_panic_inside_a_write_breaks_its_connection(TestBackend::Sqlite);
}

#[test]
fn a_panic_inside_a_write_breaks_its_connection_on_postgres() {
    a_panic_inside_a_write_breaks_its_connection(TestBackend::Postgres);
}

#[derive(QueryableByName)]
struct Backend {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pid: i32,
}

/// The PostgreSQL backend serving `db`'s next read.
fn backend_pid(db: &Db) -> Result<i32, StoreError> {
    db.read(|conn| Ok(diesel::sql_query("SELECT pg_backend_pid() AS pid").get_result::<Backend>(conn)?.pid))
}

/// Issue #15: a checkout skips the `SELECT 1` for a connection given back a moment ago, but a
/// connection the server closed while it sat idle is still found out and replaced.
#[test]
fn a_connection_the_server_closed_while_idle_is_replaced_on_postgres() {
    let Some(database) = TestDatabase::create(TestBackend::Postgres) else { return };
    let db = Db::open(database.url()).expect("open");
    let pid = backend_pid(&db).expect("a backend");
    assert_eq!(backend_pid(&db).expect("the same backend"), pid, "one connection, reused");
    let other = Db::open(database.url()).expect("a second pool");
    other
        .read(|conn| {
            diesel::sql_query(format!("SELECT pg_terminate_backend({pid})")).execute(conn).map_err(StoreError::from)
        })
        .expect("terminated");
    std::thread::sleep(std::time::Duration::from_millis(700));
    let replaced = backend_pid(&db).expect("a read on a fresh connection, not an error");
    assert_ne!(replaced, pid);
}

fn a_read_at_once_never_waits(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend) else { return };
    let db = Db::open(database.url()).expect("open");
    db.read(|conn| Ok::<_, StoreError>(conn.batch_execute("CREATE TABLE pool_probe (v BIGINT NOT NULL)")?))
        .expect("table");
    let count = |db: &Db| db.read_at_once(|conn| Count::of(conn, 0));
    if backend == TestBackend::Postgres {
        assert_eq!(count(&db), None, "PostgreSQL: a read waits on the network, never here");
        return;
    }
    assert_eq!(count(&db), Some(0), "a free connection: read here and now");
    drop((0..4).map(|_| db.conn().expect("a connection")).collect::<Vec<_>>()); // all four opened
    // A writer holds the write lock meanwhile: readers do not wait for it (WAL).
    let mut writer = db.conn().expect("a connection");
    writer.batch_execute("BEGIN IMMEDIATE; INSERT INTO pool_probe (v) VALUES (0)").expect("lock");
    let started = std::time::Instant::now();
    assert_eq!(count(&db), Some(0), "the uncommitted row is not seen");
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "nothing waited for the writer");
    // Every connection taken: none is waited for.
    let mut taken: Vec<_> = (0..3).map(|_| db.conn().expect("a connection")).collect();
    assert_eq!(count(&db), None, "all four connections are in use");
    taken.pop();
    assert_eq!(count(&db), Some(0), "one given back");
    writer.batch_execute("COMMIT").expect("commit");
    assert_eq!(count(&db), Some(1), "what is committed is seen");
}

#[derive(QueryableByName)]
struct BusyTimeout {
    #[diesel(sql_type = BigInt)]
    timeout: i64,
}

fn busy_timeout(conn: &mut sandbank_store::DbConnection) -> i64 {
    diesel::sql_query("PRAGMA busy_timeout").get_result::<BusyTimeout>(conn).expect("busy_timeout").timeout
}

/// Issue #15: where a SQLite reader would wait for a lock (a crashed process's log being
/// recovered), a read at once fails at once: its busy wait is off while it runs, and on again
/// before its connection goes back to the pool, for the writers that take it next.
#[test]
fn a_read_at_once_runs_without_the_busy_wait_on_sqlite() {
    let Some(database) = TestDatabase::create(TestBackend::Sqlite) else { return };
    let db = Db::open(database.url()).expect("open");
    assert_eq!(db.read(|conn| Ok::<_, StoreError>(busy_timeout(conn))).expect("read"), 10_000);
    assert_eq!(db.read_at_once(busy_timeout), Some(0), "no busy wait inside");
    let mut next = db.conn().expect("the same connection, given back last");
    assert_eq!(busy_timeout(&mut next), 10_000, "the busy wait is on again");
}

/// Issue #15: a read at once runs on the caller's thread only on SQLite with a connection free
/// this moment, and then sees what is committed without waiting for a writer.
#[test]
fn a_read_at_once_never_waits_on_sqlite() {
    a_read_at_once_never_waits(TestBackend::Sqlite);
}

#[test]
fn a_read_at_once_never_waits_on_postgres() {
    a_read_at_once_never_waits(TestBackend::Postgres);
}

#[derive(QueryableByName)]
struct CompileOption {
    #[diesel(sql_type = diesel::sql_types::Text)]
    compile_options: String,
}

/// The bundled SQLite is built as `.cargo/config.toml` says: a pooled connection, only ever used
/// by one thread at a time, takes no lock of SQLite's own (multi-thread mode), and a cached
/// statement keeps its plan for new bound values (QPSG).
#[test]
fn sqlite_is_built_for_pooled_connections_on_sqlite() {
    let Some(database) = TestDatabase::create(TestBackend::Sqlite) else { return };
    let db = Db::open(database.url()).expect("open");
    let options: Vec<String> = db
        .read(|conn| {
            let rows =
                diesel::sql_query("SELECT compile_options FROM pragma_compile_options").load::<CompileOption>(conn)?;
            Ok::<_, StoreError>(rows.into_iter().map(|row| row.compile_options).collect())
        })
        .expect("compile options");
    for wanted in ["THREADSAFE=2", "ENABLE_QPSG"] {
        assert!(options.iter().any(|option| option == wanted), "{wanted} not in {options:?}");
    }
}
