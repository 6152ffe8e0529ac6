//! One sync (or authorize) of a connection at a time: a lease on the connection's row, taken in
//! its own short transaction. A second sync waits for it without holding a pooled database
//! connection, woken at once when a sync in this process ends and polling for other processes.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use sandbank_domain::{ConnectionId, ErrorCode};
use sandbank_store::{Db, DbConnection, connections};

use crate::error::ServiceError;

/// How syncs of one connection take turns and how much each write transaction applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncPolicy {
    /// Days of backlog applied per write transaction.
    pub chunk_days: u32,
    /// How long a lease lasts unless renewed (each chunk renews it); a sync whose process died
    /// blocks the next one at most this long.
    pub lease: Duration,
    /// How long a sync waits for another sync of the same connection before answering 409
    /// `sync_in_progress`.
    pub wait: Duration,
}

impl Default for SyncPolicy {
    fn default() -> Self {
        Self { chunk_days: 31, lease: Duration::from_secs(15), wait: Duration::from_secs(30) }
    }
}

/// How often a waiting sync looks again when nothing in this process woke it.
const POLL: Duration = Duration::from_millis(100);

/// Wakes the syncs of this process that wait for a lease.
#[derive(Debug, Default)]
pub(crate) struct LeaseBoard {
    released: Mutex<u64>,
    changed: Condvar,
}

impl LeaseBoard {
    fn notify(&self) {
        if let Ok(mut count) = self.released.lock() {
            *count = count.wrapping_add(1);
        }
        self.changed.notify_all();
    }

    fn wait(&self, at_most: Duration) {
        if let Ok(guard) = self.released.lock() {
            let _ = self.changed.wait_timeout(guard, at_most);
        }
    }
}

/// A held lease; given back when dropped (also on an error or a panic).
#[derive(Debug)]
pub(crate) struct Lease {
    db: Db,
    board: Arc<LeaseBoard>,
    connection: ConnectionId,
    id: uuid::Uuid,
    length: Duration,
}

impl Lease {
    /// Extends the lease inside the caller's transaction; a lease that was lost (it ran out
    /// and another sync took it) stops this sync before it writes anything more.
    pub(crate) fn renew(&self, conn: &mut DbConnection) -> Result<(), ServiceError> {
        let until = Utc::now() + self.length;
        if connections::renew_lease(conn, self.connection, self.id, until)? {
            Ok(())
        } else {
            Err(ServiceError::Conflict {
                code: ErrorCode::SyncInProgress,
                message: "another sync of this connection took over; try again".into(),
            })
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        let released = self.db.write(|conn| connections::release_lease(conn, self.connection, self.id));
        if let Err(error) = released {
            tracing::warn!(connection_id = %self.connection, %error, "sync lease not released; it runs out by itself");
        }
        self.board.notify();
    }
}

/// Takes a connection's lease, waiting for a running sync if need be.
#[derive(Debug, Clone)]
pub(crate) struct Leases {
    db: Db,
    board: Arc<LeaseBoard>,
    policy: SyncPolicy,
}

impl Leases {
    pub(crate) fn new(db: Db, policy: SyncPolicy) -> Self {
        Self { db, board: Arc::default(), policy }
    }

    /// Runs `check` with the connection's row locked and, when it passes, takes the lease in the
    /// same short transaction. While another sync holds the lease, waits (holding no database
    /// connection) and tries again; after the policy's wait, 409 `sync_in_progress`.
    pub(crate) fn acquire<T>(
        &self,
        connection: ConnectionId,
        check: impl Fn(&mut DbConnection) -> Result<T, ServiceError>,
    ) -> Result<(T, Lease), ServiceError> {
        let deadline = Instant::now() + self.policy.wait;
        let id = uuid::Uuid::now_v7();
        loop {
            let taken = self.db.write(|conn| {
                connections::lock(conn, connection)?;
                let checked = check(conn)?;
                let now = Utc::now();
                let taken = connections::take_lease(conn, connection, id, now, now + self.policy.lease)?;
                Ok::<_, ServiceError>(taken.then_some(checked))
            })?;
            if let Some(checked) = taken {
                let lease =
                    Lease { db: self.db.clone(), board: self.board.clone(), connection, id, length: self.policy.lease };
                return Ok((checked, lease));
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(ServiceError::Conflict {
                    code: ErrorCode::SyncInProgress,
                    message: format!(
                        "another sync of this connection has been running for over {} s; try again later",
                        self.policy.wait.as_secs()
                    ),
                });
            }
            self.board.wait(POLL.min(deadline - now));
        }
    }

    /// Days of backlog per write transaction.
    pub(crate) fn chunk_days(&self) -> u32 {
        self.policy.chunk_days.max(1)
    }
}
