//! `/scenarios`: the signed-in user's saved scenarios — a file to save, the list, Delete — and
//! reading a scenario file, which the dashboard's Connect form takes too.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes;
use actix_multipart::form::text::Text;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Utc;
use sandbank_domain::scenario::RawScenario;
use sandbank_domain::{FieldErrors, ScenarioId, UserId};
use sandbank_services::{Caller, ServiceError};
use uuid::Uuid;

use crate::pages::dashboard::{CsrfForm, FlashQuery};
use crate::pages::view::{Nav, ScenarioLine, fields_message};
use crate::pages::{PageError, Visitor, block_service, form_caller, html, run_service, see_other};
use crate::routes::scenarios::SCENARIO_LIMIT_BYTES;
use crate::state::AppState;

/// How much a form with a scenario file may send: the file's 1 MB and the other fields.
pub fn file_limit() -> actix_multipart::form::MultipartFormConfig {
    actix_multipart::form::MultipartFormConfig::default()
        .total_limit(SCENARIO_LIMIT_BYTES + 64 * 1024)
        .memory_limit(SCENARIO_LIMIT_BYTES + 64 * 1024)
}

/// Registers the page and its forms.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/scenarios").app_data(file_limit()).get(show).post(save))
        .route("/scenarios/{scenarioId}/delete", web::post().to(delete));
}

#[derive(Template)]
#[template(path = "scenarios.html")]
struct ScenariosPage {
    nav: Nav,
    scenarios: Vec<ScenarioLine>,
    error: Option<String>,
}

/// The Save form: the CSRF token and the file.
#[derive(Debug, MultipartForm)]
pub struct SaveForm {
    csrf: Text<String>,
    scenario_file: Option<Bytes>,
}

/// The scenario in an uploaded file, if one was chosen (a browser sends an empty part for none):
/// its JSON read as a document, a problem named by its path.
pub fn scenario_file(file: Option<&Bytes>) -> Result<Option<RawScenario>, FieldErrors> {
    let Some(file) = file.filter(|f| !f.data.is_empty()) else { return Ok(None) };
    let mut reader = serde_json::Deserializer::from_slice(&file.data);
    serde_path_to_error::deserialize(&mut reader).map(Some).map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." { "scenario file".to_owned() } else { path };
        FieldErrors::single(field, format!("is not what a scenario holds ({})", error.inner()))
    })
}

/// The page of `user`'s scenarios, saying `error` when given.
async fn page(state: &AppState, nav: Nav, user: UserId, error: Option<String>) -> Result<ScenariosPage, PageError> {
    let service = state.scenarios.clone();
    let views = run_service(move || service.list(user)).await?;
    let now = Utc::now();
    Ok(ScenariosPage { nav, scenarios: views.iter().map(|v| ScenarioLine::from((v, now))).collect(), error })
}

/// `GET /scenarios`.
pub async fn show(
    state: web::Data<AppState>,
    visitor: Visitor,
    query: web::Query<FlashQuery>,
) -> Result<HttpResponse, PageError> {
    let caller = visitor.signed_in("/scenarios")?;
    let nav = Nav::signed_in(&state, &caller, query.flash(), None);
    Ok(html(StatusCode::OK, &page(&state, nav, caller.user.id, None).await?))
}

/// `POST /scenarios`: saves the file's scenario, or shows the page again saying what is wrong.
pub async fn save(
    state: web::Data<AppState>,
    visitor: Visitor,
    form: MultipartForm<SaveForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let caller = form_caller(&state, visitor, &form.csrf)?;
    let user = caller.user.id;
    let document = match scenario_file(form.scenario_file.as_ref()) {
        Ok(Some(document)) => document,
        Ok(None) => return refused(&state, &caller, &FieldErrors::single("scenario file", "choose a file")).await,
        Err(errors) => return refused(&state, &caller, &errors).await,
    };
    let service = state.scenarios.clone();
    match block_service(move || service.create(user, document)).await {
        Ok(_) => Ok(see_other("/scenarios?flash=scenario_saved")),
        Err(ServiceError::Validation(errors)) => refused(&state, &caller, &errors).await,
        Err(error) => Err(error.into()),
    }
}

/// The page again (400), saying what is wrong with the document.
async fn refused(state: &AppState, caller: &Caller, errors: &FieldErrors) -> Result<HttpResponse, PageError> {
    let nav = Nav::signed_in(state, caller, None, None);
    let message = format!("The scenario was not saved: {}.", fields_message(errors));
    Ok(html(StatusCode::BAD_REQUEST, &page(state, nav, caller.user.id, Some(message)).await?))
}

/// `POST /scenarios/{id}/delete`.
pub async fn delete(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<Uuid>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let caller = form_caller(&state, visitor, form.csrf())?;
    let (service, id) = (state.scenarios.clone(), ScenarioId::from_uuid(path.into_inner()));
    run_service(move || service.delete(caller.user.id, id)).await?;
    Ok(see_other("/scenarios?flash=scenario_deleted"))
}
