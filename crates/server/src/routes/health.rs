//! Liveness and readiness.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorResponse};
use crate::state::AppState;

/// A health answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "status": "ok"
}))]
pub struct HealthResponse {
    /// `ok` when alive, `ready` when the database answers.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// The process is up.
#[utoipa::path(
    tag = "health",
    operation_id = "checkHealth",
    responses((status = 200, description = "Alive", body = HealthResponse))
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(HealthResponse { status: "ok" })
}

/// The database answers.
#[utoipa::path(
    tag = "health",
    operation_id = "checkReadiness",
    responses(
        (status = 200, description = "Ready to serve", body = HealthResponse),
        (status = 503, description = "The database does not answer", body = ErrorResponse),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let db = state.db.clone();
    web::block(move || db.ping()).await?.map_err(sandbank_services::ServiceError::from)?;
    Ok(HttpResponse::Ok().json(HealthResponse { status: "ready" }))
}
