//! The `jobs` table: a durable queue. A worker claims the oldest due job (or one whose lease ran
//! out) and holds it until `locked_until`; PostgreSQL claims with `FOR UPDATE SKIP LOCKED`, SQLite
//! inside the write transaction that already serialises writers.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use sandbank_domain::job::{Job, JobKind, JobStatus};
use sandbank_domain::{ConnectionId, JobId, UserId};

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::jobs;
use crate::sql_types::DbId;
use crate::time::{from_db_time, now_for_db, to_db_time};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = jobs)]
struct JobRow {
    id: DbId,
    kind: String,
    status: String,
    user_id: Option<DbId>,
    connection_id: Option<DbId>,
    attempts: i32,
    max_attempts: i32,
    run_at: NaiveDateTime,
    last_error: Option<String>,
    created_at: NaiveDateTime,
    finished_at: Option<NaiveDateTime>,
}

impl TryFrom<JobRow> for Job {
    type Error = StoreError;

    fn try_from(row: JobRow) -> Result<Self, StoreError> {
        Ok(Job {
            id: row.id.into(),
            kind: row.kind.parse().map_err(|e| StoreError::corrupt("kind", e))?,
            status: row.status.parse().map_err(|e| StoreError::corrupt("status", e))?,
            user_id: row.user_id.map(Into::into),
            connection_id: row.connection_id.map(Into::into),
            attempts: u32::try_from(row.attempts).unwrap_or(0),
            max_attempts: u32::try_from(row.max_attempts).unwrap_or(0),
            run_at: from_db_time(row.run_at),
            last_error: row.last_error,
            created_at: from_db_time(row.created_at),
            finished_at: row.finished_at.map(from_db_time),
        })
    }
}

/// Queues a job to run at `run_at`.
pub fn enqueue(
    conn: &mut DbConnection,
    kind: JobKind,
    user_id: Option<UserId>,
    connection_id: Option<ConnectionId>,
    max_attempts: u32,
    run_at: DateTime<Utc>,
) -> Result<Job, StoreError> {
    let id = JobId::new();
    let now = now_for_db();
    diesel::insert_into(jobs::table)
        .values((
            jobs::id.eq(DbId::of(id)),
            jobs::kind.eq(kind.as_str()),
            jobs::payload.eq("{}"),
            jobs::status.eq(JobStatus::Queued.as_str()),
            jobs::user_id.eq(user_id.map(DbId::of)),
            jobs::connection_id.eq(connection_id.map(DbId::of)),
            jobs::attempts.eq(0),
            jobs::max_attempts.eq(i32::try_from(max_attempts).unwrap_or(i32::MAX)),
            jobs::run_at.eq(to_db_time(run_at)),
            jobs::created_at.eq(now),
            jobs::updated_at.eq(now),
        ))
        .execute(conn)?;
    find(conn, id)?.ok_or(StoreError::NotFound)
}

/// The job with this id.
pub fn find(conn: &mut DbConnection, id: JobId) -> Result<Option<Job>, StoreError> {
    jobs::table.find(DbId::of(id)).select(JobRow::as_select()).first(conn).optional()?.map(Job::try_from).transpose()
}

/// Claims the oldest job that is due (or whose holder's lease ran out) for `worker` until
/// `lease_until`, counting an attempt. Call inside a write transaction.
pub fn claim(
    conn: &mut DbConnection,
    worker: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<Job>, StoreError> {
    let now = to_db_time(now);
    let due = jobs::status
        .eq(JobStatus::Queued.as_str())
        .and(jobs::run_at.le(now))
        .or(jobs::status.eq(JobStatus::Running.as_str()).and(jobs::locked_until.lt(now)));
    let id: Option<DbId> = match conn {
        DbConnection::Pg(pg) => jobs::table
            .filter(due)
            .order(jobs::run_at.asc())
            .select(jobs::id)
            .limit(1)
            .for_update()
            .skip_locked()
            .first(pg)
            .optional()?,
        DbConnection::Sqlite(_) => {
            jobs::table.filter(due).order(jobs::run_at.asc()).select(jobs::id).first(conn).optional()?
        }
    };
    let Some(id) = id else { return Ok(None) };
    diesel::update(jobs::table.find(id))
        .set((
            jobs::status.eq(JobStatus::Running.as_str()),
            jobs::locked_by.eq(worker),
            jobs::locked_until.eq(to_db_time(lease_until)),
            jobs::attempts.eq(jobs::attempts + 1),
            jobs::updated_at.eq(now_for_db()),
        ))
        .execute(conn)?;
    find(conn, id.into())
}

/// Records the end of `worker`'s attempt: `Succeeded`, `Failed`, or back to `Queued` at
/// `retry_at`. Returns false when the worker no longer held the job (its lease ran out and
/// another worker took it).
pub fn settle(
    conn: &mut DbConnection,
    id: JobId,
    worker: &str,
    status: JobStatus,
    retry_at: Option<DateTime<Utc>>,
    error: Option<&str>,
) -> Result<bool, StoreError> {
    let now = now_for_db();
    let finished = matches!(status, JobStatus::Succeeded | JobStatus::Failed).then_some(now);
    let mut update = diesel::update(
        jobs::table
            .find(DbId::of(id))
            .filter(jobs::locked_by.eq(worker))
            .filter(jobs::status.eq(JobStatus::Running.as_str())),
    )
    .set((
        jobs::status.eq(status.as_str()),
        jobs::locked_by.eq(None::<String>),
        jobs::locked_until.eq(None::<NaiveDateTime>),
        jobs::last_error.eq(error),
        jobs::finished_at.eq(finished),
        jobs::updated_at.eq(now),
    ))
    .execute(conn)?;
    if update > 0
        && let Some(at) = retry_at
    {
        update = diesel::update(jobs::table.find(DbId::of(id))).set(jobs::run_at.eq(to_db_time(at))).execute(conn)?;
    }
    Ok(update > 0)
}

/// Whether a job of `kind` for the connection is queued or running.
pub fn has_open(conn: &mut DbConnection, kind: JobKind, connection_id: ConnectionId) -> Result<bool, StoreError> {
    let open: i64 = jobs::table
        .filter(jobs::kind.eq(kind.as_str()))
        .filter(jobs::connection_id.eq(DbId::of(connection_id)))
        .filter(jobs::status.eq_any([JobStatus::Queued.as_str(), JobStatus::Running.as_str()]))
        .count()
        .get_result(conn)?;
    Ok(open > 0)
}

/// Makes sure a job of `kind` for the connection is queued to run at `run_at` or earlier: a
/// queued one due later is brought forward, and one is enqueued when none is queued (a running
/// one does not count: it may have looked for work before the caller's write).
pub fn ensure_queued(
    conn: &mut DbConnection,
    kind: JobKind,
    user_id: UserId,
    connection_id: ConnectionId,
    max_attempts: u32,
    run_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let queued: Option<(DbId, NaiveDateTime)> = jobs::table
        .filter(jobs::kind.eq(kind.as_str()))
        .filter(jobs::connection_id.eq(DbId::of(connection_id)))
        .filter(jobs::status.eq(JobStatus::Queued.as_str()))
        .order(jobs::run_at.asc())
        .select((jobs::id, jobs::run_at))
        .first(conn)
        .optional()?;
    let run_at_db = to_db_time(run_at);
    match queued {
        Some((id, at)) if at > run_at_db => {
            diesel::update(jobs::table.find(id))
                .set((jobs::run_at.eq(run_at_db), jobs::updated_at.eq(now_for_db())))
                .execute(conn)?;
        }
        Some(_) => {}
        None => {
            enqueue(conn, kind, Some(user_id), Some(connection_id), max_attempts, run_at)?;
        }
    }
    Ok(())
}
