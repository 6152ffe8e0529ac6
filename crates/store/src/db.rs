//! The database: one connection type for both backends, the pool, transactions and migrations.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::Connection;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use parking_lot::FairMutex;
use scheduled_thread_pool::{OnPoolDropBehavior, ScheduledThreadPool};

use crate::error::StoreError;

#[allow(missing_docs)] // the derive generates undocumented items
mod multi {
    use diesel::pg::PgConnection;
    use diesel::sqlite::SqliteConnection;

    /// A connection to either backend; every query in this crate is written once against it.
    #[derive(diesel::MultiConnection)]
    pub enum DbConnection {
        /// PostgreSQL (production).
        Pg(PgConnection),
        /// SQLite (the default: a file, no server).
        Sqlite(SqliteConnection),
    }
}

pub use multi::{DbConnection, MultiBackend};

/// Which database a URL names. Chosen from the scheme, never by trial: SQLite would take any
/// string as a file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A `postgres://` or `postgresql://` URL.
    Postgres(String),
    /// A SQLite file path (from `sqlite://path`, `sqlite:path` or a bare path).
    Sqlite(PathBuf),
}

impl DatabaseUrl {
    /// Reads a URL such as `sqlite://data/sandbank.db` or `postgres://user@host/db`.
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        if path.is_empty() || path.contains("://") || path == ":memory:" {
            return Err(StoreError::Config(
                "DATABASE_URL must be postgres://… or a SQLite file such as sqlite://data/sandbank.db".into(),
            ));
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }

    /// The URL again, as `DATABASE_URL` would give it (may hold a password: do not log it).
    pub fn to_url(&self) -> String {
        match self {
            Self::Postgres(url) => url.clone(),
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
        }
    }

    /// The SQLite file, if this is SQLite.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Self::Sqlite(path) => Some(path),
            Self::Postgres(_) => None,
        }
    }

    /// The backend's name, for logs: `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Postgres(_) => "postgres",
            Self::Sqlite(_) => "sqlite",
        }
    }

    fn connect(&self) -> Result<DbConnection, diesel::ConnectionError> {
        match self {
            Self::Postgres(url) => PgConnection::establish(url).map(DbConnection::Pg),
            Self::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                // A page cache of 4 MB per connection, four of them (see `Db::open`): the rest
                // of the file is read from the system's file cache, which is not the process's
                // memory (with 16 MB each, a server over 100k rows reached 149 MB). 4 MB holds
                // what the change feed's page of 500 scattered rows reads (about 800 pages at
                // 1M rows); with 2 MB the same page read again missed and took 1.8 ms, not 1.3.
                // A shared budget through `PRAGMA soft_heap_limit` made every allocation near
                // it try to free pages.
                conn.batch_execute(BUSY_TIMEOUT).map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                conn.batch_execute(
                    "PRAGMA foreign_keys = ON; \
                     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA cache_size = -4096; PRAGMA temp_store = MEMORY; \
                     PRAGMA optimize = 0x10002;",
                )
                .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

/// How long a SQLite statement waits for a lock another connection holds before it fails.
const BUSY_TIMEOUT: &str = "PRAGMA busy_timeout = 10000";

/// An r2d2 manager that opens the right variant and sets SQLite's pragmas on every connection.
#[derive(Debug)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

/// A pooled connection, with when it was last given back to the pool.
pub struct PoolEntry {
    conn: DbConnection,
    returned_at: Option<Instant>,
    /// SQLite's busy wait is off ([`Db::read_at_once`]) and was not turned on again: the
    /// connection is not pooled again, or its writers would fail instead of taking turns.
    busy_wait_off: bool,
}

impl std::ops::Deref for PoolEntry {
    type Target = DbConnection;

    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for PoolEntry {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

/// A connection given back this recently is taken to be alive without asking the server (as
/// HikariCP's `aliveBypassWindowMs`): a busy pool's checkouts cost no `SELECT 1` round trip.
const ALIVE_WITHOUT_ASKING: Duration = Duration::from_millis(500);

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = PoolEntry;
    type Error = diesel::ConnectionError;

    fn connect(&self) -> Result<PoolEntry, Self::Error> {
        Ok(PoolEntry { conn: self.url.connect()?, returned_at: None, busy_wait_off: false })
    }

    fn is_valid(&self, entry: &mut PoolEntry) -> Result<(), Self::Error> {
        if entry.returned_at.is_some_and(|at| at.elapsed() < ALIVE_WITHOUT_ASKING) {
            return Ok(());
        }
        entry.conn.batch_execute("SELECT 1").map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))
    }

    /// A connection given back while its thread panics, or with a transaction still open or
    /// broken, or without its busy wait, is dropped instead of pooled: the next user must not
    /// inherit (on SQLite) the write lock or half of someone else's transaction. (r2d2 asks
    /// this as each connection comes back, which is when its return is noted.)
    fn has_broken(&self, entry: &mut PoolEntry) -> bool {
        entry.returned_at = Some(Instant::now());
        std::thread::panicking()
            || entry.busy_wait_off
            || MultiTransactionManager::is_broken_transaction_manager(&mut entry.conn)
    }
}

/// The threads on which r2d2 opens connections and reaps idle ones. They end as soon as the
/// pool is dropped: by default they would wait for the next reaping (up to 30 s), and a test
/// process that opens a pool per test would pile up hundreds of them.
fn pool_threads() -> Arc<ScheduledThreadPool> {
    Arc::new(
        ScheduledThreadPool::builder()
            .num_threads(3)
            .thread_name_pattern("r2d2-worker-{}")
            .on_drop_behavior(OnPoolDropBehavior::DiscardPendingScheduled)
            .build(),
    )
}

/// A pooled connection.
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// The migrations for PostgreSQL, embedded in the binary.
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
/// The migrations for SQLite, embedded in the binary.
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// The connection pool, shared by every request and worker.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<ConnectionManager>,
    url: DatabaseUrl,
    /// SQLite only: this process's writers take turns here, first come first served, before they
    /// take a pooled connection and the write lock. SQLite's own busy handler sleeps with
    /// backoff and lets a busy writer (a sync's chunks, back to back) take the lock again ahead
    /// of one that has waited; the queue keeps a sign-in's wait to the transactions ahead of it.
    writers: Option<Arc<FairMutex<()>>>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("backend", &self.url.backend_name()).finish()
    }
}

impl Db {
    /// Opens a pool (creating the SQLite file's folder if needed). Fails if the database cannot
    /// be reached within a few seconds.
    pub fn open(url: &DatabaseUrl) -> Result<Self, StoreError> {
        let max_size = match url {
            DatabaseUrl::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| StoreError::Config(format!("cannot create the folder {}: {e}", dir.display())))?;
                }
                create_private_file(path)
                    .map_err(|e| StoreError::Config(format!("cannot create {}: {e}", path.display())))?;
                // Four: a read is short and busy on a core (two here), writers take turns, and
                // the pool hands out the connection given back last, so one read after another
                // finds its pages in that connection's cache. Eight of 2 MB took the same memory
                // at most, and a page of the feed outgrew one connection's cache.
                4
            }
            DatabaseUrl::Postgres(_) => 16,
        };
        let manager = ConnectionManager { url: url.clone() };
        let pool = r2d2::Pool::builder()
            .max_size(max_size)
            // A SQLite connection is a file handle that cannot go stale: no `SELECT 1` before
            // each use. A PostgreSQL connection may have been closed by the server meanwhile,
            // unless it was in use a moment ago (`ALIVE_WITHOUT_ASKING`).
            .test_on_check_out(url.sqlite_path().is_none())
            // No idle minimum: r2d2 would top it up from its own threads, and a process that
            // exits during such a (TLS) connect crashes in libpq's exit handlers.
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(5))
            .thread_pool(pool_threads())
            .build(manager)
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let writers = url.sqlite_path().map(|_| Arc::new(FairMutex::new(())));
        Ok(Self { pool, url: url.clone(), writers })
    }

    /// Which database this is.
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// A connection from the pool.
    pub fn conn(&self) -> Result<PooledConnection, StoreError> {
        self.pool.get().map_err(|e| StoreError::Unavailable(e.to_string()))
    }

    /// Runs `work` in one write transaction: all of it lands, or none. On SQLite the transaction
    /// takes the write lock up front (`BEGIN IMMEDIATE`), so concurrent writers wait for each
    /// other instead of failing half-way; this process's writers queue in arrival order first.
    pub fn write<T, E>(&self, work: impl FnOnce(&mut DbConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let _turn = self.writers.as_ref().map(|writers| writers.lock());
        let mut conn = self.conn()?;
        write_transaction(&mut conn, work)
    }

    /// Runs `work` on one connection, outside any explicit transaction.
    pub fn read<T, E>(&self, work: impl FnOnce(&mut DbConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut conn = self.conn()?;
        work(&mut conn)
    }

    /// Runs `work` here and now, or says it cannot (`None`): on SQLite only, and only with a
    /// connection free this moment. Nothing is waited for: not a connection, and not a lock —
    /// SQLite's readers do not wait for its writer, and where one would (a crashed process's
    /// log being recovered), SQLite's busy wait is off for `work`, so its query fails at once.
    /// On PostgreSQL every read waits on the network, so never. For a read of a few
    /// microseconds that is cheaper done on the caller's thread than sent to another one.
    pub fn read_at_once<T>(&self, work: impl FnOnce(&mut DbConnection) -> T) -> Option<T> {
        self.url.sqlite_path()?;
        let mut entry = self.pool.try_get()?;
        entry.conn.batch_execute("PRAGMA busy_timeout = 0").ok()?;
        entry.busy_wait_off = true;
        let done = work(&mut entry.conn);
        match entry.conn.batch_execute(BUSY_TIMEOUT) {
            Ok(()) => entry.busy_wait_off = false,
            Err(error) => tracing::error!(%error, "a connection's busy wait could not be turned on again"),
        }
        Some(done)
    }

    /// Applies every pending migration of this backend; returns how many ran.
    pub fn migrate(&self) -> Result<usize, StoreError> {
        let mut conn = self.conn()?;
        let migrations = migrations_for(&conn);
        let applied = conn.run_pending_migrations(migrations).map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(applied.len())
    }

    /// Reverts every applied migration (newest first); returns how many. Tests use it to prove
    /// each `down.sql` undoes its `up.sql`.
    pub fn revert_migrations(&self) -> Result<usize, StoreError> {
        let mut conn = self.conn()?;
        let migrations = migrations_for(&conn);
        let reverted = conn.revert_all_migrations(migrations).map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(reverted.len())
    }

    /// Checks that the database answers.
    pub fn ping(&self) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        conn.batch_execute("SELECT 1").map_err(StoreError::from)
    }
}

/// Creates the SQLite file readable by its owner only (0600, like the dev secret) before SQLite
/// would create it 0644; SQLite gives its `-wal` and `-shm` files the same mode. A file that
/// already exists keeps its mode.
fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

/// The migrations of the connection's backend.
fn migrations_for(conn: &DbConnection) -> EmbeddedMigrations {
    match conn {
        DbConnection::Pg(_) => PG_MIGRATIONS,
        DbConnection::Sqlite(_) => SQLITE_MIGRATIONS,
    }
}

type MultiTransactionManager = <DbConnection as Connection>::TransactionManager;

/// Runs `work` inside one transaction on `conn`; see [`Db::write`], the one way in (it queues
/// SQLite writers first).
fn write_transaction<T, E>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<StoreError>,
{
    let begun = match conn {
        DbConnection::Sqlite(inner) => AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE"),
        DbConnection::Pg(_) => MultiTransactionManager::begin_transaction(conn),
    };
    begun.map_err(StoreError::from)?;
    let holding = Instant::now();
    let done = match work(conn) {
        Ok(value) => match MultiTransactionManager::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(error) => {
                // A failed commit leaves the transaction open on some backends: close it.
                let _ = MultiTransactionManager::rollback_transaction(conn);
                Err(StoreError::from(error).into())
            }
        },
        Err(error) => {
            MultiTransactionManager::rollback_transaction(conn).map_err(StoreError::from)?;
            Err(error)
        }
    };
    crate::metrics::record_write_hold(holding.elapsed());
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chooses_the_backend_from_the_scheme() {
        assert_eq!(DatabaseUrl::parse("postgres://u@h/db").map(|u| u.backend_name()).ok(), Some("postgres"));
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/sandbank.db").ok(),
            Some(DatabaseUrl::Sqlite(PathBuf::from("data/sandbank.db")))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db").ok(),
            Some(DatabaseUrl::Sqlite(PathBuf::from("/tmp/x.db")))
        );
        assert_eq!(DatabaseUrl::parse("x.db").ok(), Some(DatabaseUrl::Sqlite(PathBuf::from("x.db"))));
        assert!(DatabaseUrl::parse("mysql://h/db").is_err());
        assert!(DatabaseUrl::parse("").is_err());
    }
}
