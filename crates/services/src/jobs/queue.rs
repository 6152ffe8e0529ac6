//! The durable queue in the database: enqueue, look up, and the scheduler's syncs of every
//! connected connection.

use chrono::{TimeDelta, Utc};
use sandbank_domain::connection::ConnectionStatus;
use sandbank_domain::job::{Job, JobKind, RetryPolicy};
use sandbank_domain::{ConnectionId, JobId, UserId};
use sandbank_store::{Db, DbConnection, connections, jobs};

use crate::error::ServiceError;

/// How long a claimed job stays a worker's before another may take it.
pub const DEFAULT_LEASE: TimeDelta = TimeDelta::seconds(60);

/// The queue: enqueue and look up jobs.
#[derive(Debug, Clone)]
pub struct JobQueue {
    db: Db,
    policy: RetryPolicy,
}

impl JobQueue {
    /// A queue over `db`, retrying with `policy`.
    pub fn new(db: Db, policy: RetryPolicy) -> Self {
        Self { db, policy }
    }

    /// Queues a sync of the user's connection (which must be theirs: 403/404 otherwise).
    pub fn enqueue_sync(&self, user: UserId, connection: ConnectionId) -> Result<Job, ServiceError> {
        self.db.write(|conn| {
            let found = crate::use_cases::connections::owned(conn, user, connection)?;
            found.status.check_sync()?;
            self.enqueue_sync_job(conn, user, connection)
        })
    }

    fn enqueue_sync_job(
        &self,
        conn: &mut DbConnection,
        user: UserId,
        connection: ConnectionId,
    ) -> Result<Job, ServiceError> {
        let kind = JobKind::SyncProviderConnection;
        Ok(jobs::enqueue(conn, kind, Some(user), Some(connection), self.policy.max_attempts, Utc::now())?)
    }

    /// One of the user's jobs.
    pub fn get(&self, user: UserId, id: JobId) -> Result<Job, ServiceError> {
        let job = self.db.read(|conn| jobs::find(conn, id))?.ok_or(ServiceError::NotFound("job"))?;
        if job.user_id != Some(user) {
            return Err(ServiceError::Forbidden("job"));
        }
        Ok(job)
    }

    /// Queues a sync of every connected connection that has none queued or running; returns
    /// how many were queued.
    pub fn schedule_syncs(&self) -> Result<usize, ServiceError> {
        self.db.write(|conn| {
            let mut queued = 0;
            for (connection, user) in connections::with_status(conn, ConnectionStatus::Connected)? {
                if !jobs::has_open(conn, JobKind::SyncProviderConnection, connection)? {
                    self.enqueue_sync_job(conn, user, connection)?;
                    queued += 1;
                }
            }
            Ok(queued)
        })
    }
}
