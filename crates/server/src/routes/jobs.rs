//! `/api/jobs/{id}`: a background job's state, for its owner.

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use sandbank_domain::JobId;
use sandbank_domain::job::{Job, JobKind, JobStatus};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::authenticated::Authenticated;
use crate::error::{ApiError, ErrorResponse};
use crate::state::AppState;

/// A background job.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "01a239e2-1c56-7394-810b-a307bdf39452",
    "kind": "sync_provider_connection",
    "status": "queued",
    "connectionId": "01a239e2-1c37-77f5-a2d9-59ee2566b457",
    "attempts": 0,
    "maxAttempts": 5,
    "runAt": "2026-12-03T03:10:49.430009Z",
    "lastError": null,
    "createdAt": "2026-12-03T03:10:49.430015Z",
    "finishedAt": null
}))]
pub struct JobResponse {
    /// Its id.
    pub id: Uuid,
    /// What it does.
    #[schema(value_type = crate::schemas::JobKind, example = "sync_provider_connection")]
    pub kind: JobKind,
    /// `queued`, `running`, `succeeded` or `failed`.
    #[schema(value_type = crate::schemas::JobStatus, example = "queued")]
    pub status: JobStatus,
    /// The connection it concerns.
    #[schema(required = true)]
    pub connection_id: Option<Uuid>,
    /// Attempts made so far.
    pub attempts: u32,
    /// Attempts allowed before it fails for good.
    pub max_attempts: u32,
    /// When it may (next) run; retries wait with exponential backoff and jitter.
    pub run_at: DateTime<Utc>,
    /// Why the last attempt failed.
    #[schema(required = true)]
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When it succeeded or failed for good.
    #[schema(required = true)]
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<Job> for JobResponse {
    fn from(job: Job) -> Self {
        Self {
            id: job.id.as_uuid(),
            kind: job.kind,
            status: job.status,
            connection_id: job.connection_id.map(|c| c.as_uuid()),
            attempts: job.attempts,
            max_attempts: job.max_attempts,
            run_at: job.run_at,
            last_error: job.last_error,
            created_at: job.created_at,
            finished_at: job.finished_at,
        }
    }
}

/// One of the caller's background jobs.
#[utoipa::path(
    tag = "jobs",
    operation_id = "getJob",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(("jobId" = Uuid, Path, description = "The job")),
    responses(
        (status = 200, description = "The job", body = JobResponse),
        (status = 400, description = "jobId is not a UUID", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Another user's job", body = ErrorResponse),
        (status = 404, description = "No such job", body = ErrorResponse),
    )
)]
#[get("/api/jobs/{jobId}")]
pub async fn get_job(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<Uuid>,
) -> Result<web::Json<JobResponse>, ApiError> {
    let queue = state.jobs.clone();
    let id = JobId::from_uuid(path.into_inner());
    let job = web::block(move || queue.get(caller.0.user.id, id)).await??;
    Ok(web::Json(job.into()))
}
