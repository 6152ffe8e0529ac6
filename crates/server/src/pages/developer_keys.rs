//! The dashboard's Developer keys forms: make a key (its secret is shown once, on the page that
//! answers the form) and revoke one.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sandbank_domain::developer_key::ClientId;
use sandbank_services::ServiceError;
use serde::Deserialize;

use crate::pages::dashboard::CsrfForm;
use crate::pages::view::{Nav, fields_message};
use crate::pages::{MessagePage, PageError, Visitor, block_service, form_caller, html, run_service, see_other};
use crate::state::AppState;

/// Registers the Developer keys forms.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/dashboard/developer-keys", web::post().to(create))
        .route("/dashboard/developer-keys/{clientId}/revoke", web::post().to(revoke));
}

/// The page that shows a new key's secret, the one time it is shown.
#[derive(Template)]
#[template(path = "developer_key_created.html")]
struct KeyCreatedPage {
    nav: Nav,
    client_id: String,
    secret: String,
    name: String,
}

/// The new-key form.
#[derive(Debug, Deserialize)]
pub struct CreateKeyForm {
    csrf: String,
    #[serde(default)]
    name: String,
}

/// `POST /dashboard/developer-keys`: makes a key and shows its secret once.
pub async fn create(
    state: web::Data<AppState>,
    visitor: Visitor,
    form: web::Form<CreateKeyForm>,
) -> Result<HttpResponse, PageError> {
    let caller = form_caller(&state, visitor, &form.csrf)?;
    let service = state.developer_keys.clone();
    let (user, name) = (caller.user.id, form.name.clone());
    let created = match block_service(move || service.create(user, Some(&name))).await {
        Ok(created) => created,
        Err(ServiceError::Validation(errors)) => {
            let page = MessagePage::to_dashboard("Something is off", fields_message(&errors));
            return Err(PageError::message(StatusCode::BAD_REQUEST, page));
        }
        Err(error) => return Err(error.into()),
    };
    let page = KeyCreatedPage {
        nav: Nav::signed_in(&state, &caller, None, None),
        client_id: created.key.client_id.to_string(),
        secret: created.secret.expose().to_owned(),
        name: created.key.name.unwrap_or_default(),
    };
    Ok(html(StatusCode::CREATED, &page))
}

/// `POST /dashboard/developer-keys/{clientId}/revoke`.
pub async fn revoke(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let caller = form_caller(&state, visitor, form.csrf())?;
    let client_id = ClientId::parse(&path.into_inner()).map_err(|_| ServiceError::NotFound("developer key"))?;
    let service = state.developer_keys.clone();
    run_service(move || service.revoke(caller.user.id, &client_id)).await?;
    Ok(see_other("/dashboard?flash=key_revoked"))
}
