//! `/api/sandbox/scenarios`: the caller's saved scenarios — scripted accounts, rows and events
//! (docs/scenarios.md). A document's problems are named by their paths in it
//! (`accounts[0].transactions[2].postsOnDay`); a document may be up to 1 MB.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use sandbank_domain::ScenarioId;
use sandbank_domain::scenario::RawScenario;
use sandbank_services::use_cases::scenarios::ScenarioView;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::authenticated::Authenticated;
use crate::error::{ApiError, ErrorResponse};
use crate::json_body::JsonBody;
use crate::routes::scenario_document::{ScenarioDocument, example};
use crate::state::AppState;

/// The largest scenario document read.
pub const SCENARIO_LIMIT_BYTES: usize = 1024 * 1024;

/// A saved scenario.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!(response_example()))]
pub struct ScenarioResponse {
    /// Its id (`scenarioId` when creating a connection).
    pub id: Uuid,
    /// The document's name.
    #[schema(example = "overdraft then payroll")]
    pub name: String,
    /// The document's description.
    pub description: Option<String>,
    /// How many accounts it scripts.
    pub accounts: usize,
    /// How many transactions, over all its accounts.
    pub transactions: usize,
    /// How many events.
    pub events: usize,
    /// When it was saved.
    pub created_at: DateTime<Utc>,
    /// The document, as saved.
    #[schema(value_type = ScenarioDocument)]
    pub document: serde_json::Value,
}

/// An example answer: the example document, saved.
fn response_example() -> serde_json::Value {
    serde_json::json!({
        "id": "01939f6e-0c4a-7d1e-9a53-2f1b6c8e4d70", "name": "overdraft then payroll",
        "description": example()["description"], "accounts": 1, "transactions": 4, "events": 3,
        "createdAt": "2026-12-03T09:30:00Z", "document": example()
    })
}

impl From<ScenarioView> for ScenarioResponse {
    fn from(view: ScenarioView) -> Self {
        Self {
            id: view.saved.id.as_uuid(),
            name: view.saved.name,
            description: view.scenario.description.clone(),
            accounts: view.scenario.accounts.len(),
            transactions: view.scenario.row_count(),
            events: view.scenario.events.len(),
            created_at: view.saved.created_at,
            document: serde_json::to_value(&view.document).unwrap_or_default(),
        }
    }
}

/// The caller's scenarios.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"scenarios": [response_example()]}))]
pub struct ScenariosResponse {
    /// Newest first.
    pub scenarios: Vec<ScenarioResponse>,
}

/// Save a scenario document: accounts (≤ 10) with exact rows (≤ 10,000 in all) and events.
#[utoipa::path(
    tag = "sandbox",
    operation_id = "createScenario",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    request_body(content = ScenarioDocument, description = "The scenario document (docs/scenarios.md)"),
    responses(
        (status = 201, description = "Saved", body = ScenarioResponse),
        (status = 400, description = "`validation_failed`: `fields` names each problem by its path in the document", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "`csrf_failed`", body = ErrorResponse),
        (status = 409, description = "`too_many_scenarios`: 100 saved already", body = ErrorResponse),
        (status = 413, description = "`payload_too_large`: over 1 MB", body = ErrorResponse),
    )
)]
#[post("")]
pub async fn create_scenario(
    state: web::Data<AppState>,
    caller: Authenticated,
    body: JsonBody<RawScenario>,
) -> Result<HttpResponse, ApiError> {
    let service = state.scenarios.clone();
    let view = web::block(move || service.create(caller.0.user.id, body.into_inner())).await??;
    Ok(HttpResponse::Created().json(ScenarioResponse::from(view)))
}

/// The caller's saved scenarios, newest first.
#[utoipa::path(
    tag = "sandbox",
    operation_id = "listScenarios",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    responses(
        (status = 200, description = "The caller's scenarios", body = ScenariosResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    )
)]
#[get("")]
pub async fn list_scenarios(
    state: web::Data<AppState>,
    caller: Authenticated,
) -> Result<web::Json<ScenariosResponse>, ApiError> {
    let service = state.scenarios.clone();
    let views = web::block(move || service.list(caller.0.user.id)).await??;
    Ok(web::Json(ScenariosResponse { scenarios: views.into_iter().map(Into::into).collect() }))
}

/// One saved scenario, with its document.
#[utoipa::path(
    tag = "sandbox",
    operation_id = "getScenario",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(("scenarioId" = Uuid, Path, description = "The scenario's id")),
    responses(
        (status = 200, description = "The scenario", body = ScenarioResponse),
        (status = 400, description = "`scenarioId` is not a UUID", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Another user's scenario", body = ErrorResponse),
        (status = 404, description = "No such scenario", body = ErrorResponse),
    )
)]
#[get("/{scenarioId}")]
pub async fn get_scenario(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<Uuid>,
) -> Result<web::Json<ScenarioResponse>, ApiError> {
    let (service, id) = (state.scenarios.clone(), ScenarioId::from_uuid(path.into_inner()));
    let view = web::block(move || service.get(caller.0.user.id, id)).await??;
    Ok(web::Json(view.into()))
}

/// Delete a saved scenario (connections made from it keep their data).
#[utoipa::path(
    tag = "sandbox",
    operation_id = "deleteScenario",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(("scenarioId" = Uuid, Path, description = "The scenario's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "`scenarioId` is not a UUID", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Another user's scenario, or `csrf_failed`", body = ErrorResponse),
        (status = 404, description = "No such scenario", body = ErrorResponse),
    )
)]
#[delete("/{scenarioId}")]
pub async fn delete_scenario(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (service, id) = (state.scenarios.clone(), ScenarioId::from_uuid(path.into_inner()));
    web::block(move || service.delete(caller.0.user.id, id)).await??;
    Ok(HttpResponse::NoContent().finish())
}
