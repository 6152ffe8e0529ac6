//! The fake OAuth consent page, `/financial/authorize/{connectionId}`: only its owner sees it;
//! its form carries a CSRF token; success goes to the dashboard, Cancel disconnects.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sandbank_domain::ConnectionId;
use sandbank_services::providers::Credentials;
use sandbank_services::use_cases::connections::ConnectionView;
use sandbank_services::{Caller, ServiceError};
use serde::Deserialize;
use uuid::Uuid;

use crate::pages::view::Nav;
use crate::pages::{MessagePage, Visitor, block_service, error_page, html, run_service, see_other, to_login};
use crate::state::AppState;

/// The consent page.
#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage {
    nav: Nav,
    connection_id: String,
    provider_name: String,
    logo_url: String,
    csrf: String,
    error: Option<String>,
    mfa_step: bool,
    username: String,
    password: String,
}

/// What the consent form sends.
#[derive(Debug, Deserialize)]
pub struct ConsentForm {
    csrf: String,
    action: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    mfa_code: String,
}

fn purpose(id: ConnectionId) -> String {
    format!("consent:{id}")
}

fn page(state: &AppState, caller: &Caller, view: &ConnectionView) -> ConsentPage {
    ConsentPage {
        nav: Nav::signed_in(state, caller, None, None),
        connection_id: view.connection.id.to_string(),
        provider_name: view.provider.name.clone(),
        logo_url: view.provider.logo_url.clone(),
        csrf: state.csrf.issue(caller.session_id, &purpose(view.connection.id)),
        error: None,
        mfa_step: false,
        username: String::new(),
        password: String::new(),
    }
}

/// The page for a connection that cannot be authorized now.
fn not_authorizable(view: &ConnectionView) -> Option<HttpResponse> {
    let error = view.connection.status.check_authorize().err()?;
    let page =
        MessagePage::to_dashboard(&format!("{} is {}", view.provider.name, view.connection.status), error.message);
    Some(html(StatusCode::CONFLICT, &page))
}

/// `GET /financial/authorize/{connectionId}`.
pub async fn show(state: web::Data<AppState>, visitor: Visitor, path: web::Path<Uuid>) -> HttpResponse {
    let id = ConnectionId::from_uuid(path.into_inner());
    let Some(caller) = visitor.0 else { return to_login(&format!("/financial/authorize/{id}")) };
    let service = state.connections.clone();
    let user = caller.user.id;
    let view = match run_service(move || service.get(user, id)).await {
        Ok(view) => view,
        Err(page) => return page,
    };
    if let Some(response) = not_authorizable(&view) {
        return response;
    }
    html(StatusCode::OK, &page(&state, &caller, &view))
}

/// `POST /financial/authorize/{connectionId}`: Authorize or Cancel.
pub async fn submit(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<Uuid>,
    form: web::Form<ConsentForm>,
) -> HttpResponse {
    let id = ConnectionId::from_uuid(path.into_inner());
    let Some(caller) = visitor.0 else { return to_login(&format!("/financial/authorize/{id}")) };
    let form = form.into_inner();
    if !state.csrf.verify(caller.session_id, &purpose(id), &form.csrf) {
        let page = MessagePage {
            nav: Nav::default(),
            title: "This form has expired".into(),
            message: "Please open the consent page again and retry.".into(),
            link_href: format!("/financial/authorize/{id}"),
            link_text: "Open the consent page".into(),
        };
        return html(StatusCode::FORBIDDEN, &page);
    }
    let service = state.connections.clone();
    let user = caller.user.id;
    let view = match run_service(move || service.get(user, id)).await {
        Ok(view) => view,
        Err(page) => return page,
    };
    if form.action == "cancel" {
        let service = state.connections.clone();
        return match run_service(move || service.disconnect(user, id, false)).await {
            Ok(_) => see_other("/dashboard?flash=cancelled"),
            Err(page) => page,
        };
    }
    if let Some(response) = not_authorizable(&view) {
        return response;
    }
    let non_empty = |text: &str| (!text.trim().is_empty()).then(|| text.trim().to_owned());
    let credentials = Credentials {
        username: non_empty(&form.username),
        password: (!form.password.is_empty()).then(|| form.password.clone()),
        mfa_code: non_empty(&form.mfa_code),
    };
    let service = state.connections.clone();
    let error = match block_service(move || service.authorize(user, id, &credentials)).await {
        Ok(_) => return see_other("/dashboard?flash=connected"),
        Err(error) => error,
    };
    let mut again = page(&state, &caller, &view);
    again.username = form.username.clone();
    match &error {
        ServiceError::BadRequest { code: "mfa_required", .. } => {
            again.mfa_step = true;
            again.password = form.password;
            html(StatusCode::OK, &again)
        }
        ServiceError::BadRequest { code: "invalid_mfa_code", message } => {
            again.mfa_step = true;
            again.password = form.password;
            again.error = Some(message.clone());
            html(StatusCode::BAD_REQUEST, &again)
        }
        ServiceError::BadRequest { code: "account_locked", message } => {
            let page = MessagePage::to_dashboard("Account locked", message.clone());
            html(StatusCode::BAD_REQUEST, &page)
        }
        ServiceError::BadRequest { message, .. } => {
            again.error = Some(message.clone());
            html(StatusCode::BAD_REQUEST, &again)
        }
        ServiceError::Validation(fields) => {
            let text =
                fields.fields().iter().map(|(f, m)| format!("{f} {}", m.join(", "))).collect::<Vec<_>>().join("; ");
            again.error = Some(format!("Please check the form: {text}."));
            html(StatusCode::BAD_REQUEST, &again)
        }
        _ => error_page(error),
    }
}
