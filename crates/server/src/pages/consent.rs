//! The fake OAuth consent page, `/financial/authorize/{connectionId}`: only its owner sees it;
//! its form carries a CSRF token; success goes to the dashboard, Cancel disconnects.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sandbank_domain::{ConnectionId, ErrorCode};
use sandbank_services::providers::Credentials;
use sandbank_services::use_cases::connections::ConnectionView;
use sandbank_services::{Caller, ServiceError};
use serde::Deserialize;
use uuid::Uuid;

use crate::pages::view::{Nav, fields_message};
use crate::pages::{MessagePage, PageError, Visitor, block_service, html, run_service, see_other};
use crate::state::AppState;

/// Registers the consent page and its form.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/financial/authorize/{connectionId}").get(show).post(submit));
}

/// The consent step (`consent_card.html`): the bank, what is shared, the credentials form. The
/// consent page and the hosted Link page both show it.
#[derive(Debug, Clone)]
pub struct ConsentCard {
    /// The bank's name.
    pub provider_name: String,
    /// The bank's logo.
    pub logo_url: String,
    /// Who asks to read the data.
    pub requester: String,
    /// Where the form posts.
    pub form_action: String,
    /// The form's CSRF token, where the page has a session.
    pub csrf: Option<String>,
    /// What was wrong with the last try.
    pub error: Option<String>,
    /// Whether the one-time code is asked for.
    pub mfa_step: bool,
    /// The user name typed in.
    pub username: String,
    /// The password typed in (kept through the one-time code step).
    pub password: String,
}

impl ConsentCard {
    /// The card of `view`'s bank for `requester`, posting to `form_action`.
    pub fn new(view: &ConnectionView, requester: &str, form_action: String, csrf: Option<String>) -> Self {
        Self {
            provider_name: view.provider.name.clone(),
            logo_url: view.provider.logo_url.clone(),
            requester: requester.to_owned(),
            form_action,
            csrf,
            error: None,
            mfa_step: false,
            username: String::new(),
            password: String::new(),
        }
    }
}

/// The consent page.
#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage {
    nav: Nav,
    card: ConsentCard,
}

/// What the consent form sends.
#[derive(Debug, Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    csrf: String,
    /// `authorize` or `cancel`.
    pub action: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    mfa_code: String,
}

impl ConsentForm {
    /// The credentials typed in (blank fields are none).
    pub fn credentials(&self) -> Credentials {
        let non_empty = |text: &str| (!text.trim().is_empty()).then(|| text.trim().to_owned());
        Credentials {
            username: non_empty(&self.username),
            password: (!self.password.is_empty()).then(|| self.password.clone()),
            mfa_code: non_empty(&self.mfa_code),
        }
    }
}

fn purpose(id: ConnectionId) -> String {
    format!("consent:{id}")
}

fn page(state: &AppState, caller: &Caller, view: &ConnectionView) -> ConsentPage {
    let csrf = state.csrf.issue(caller.session_id, &purpose(view.connection.id));
    let card = ConsentCard::new(view, "Sandbank Sandbox", consent_path(view.connection.id), Some(csrf));
    ConsentPage { nav: Nav::signed_in(state, caller, None, None), card }
}

/// The page for a connection that cannot be authorized now.
fn check_authorizable(view: &ConnectionView) -> Result<(), PageError> {
    let Err(error) = view.connection.status.check_authorize() else { return Ok(()) };
    let page =
        MessagePage::to_dashboard(&format!("{} is {}", view.provider.name, view.connection.status), error.message);
    Err(PageError::message(StatusCode::CONFLICT, page))
}

/// The page for a consent form whose CSRF token is not this session's.
fn expired_form(id: ConnectionId) -> PageError {
    let page = MessagePage {
        nav: Nav::default(),
        title: "This form has expired".into(),
        message: "Please open the consent page again and retry.".into(),
        link_href: consent_path(id),
        link_text: "Open the consent page".into(),
    };
    PageError::message(StatusCode::FORBIDDEN, page)
}

/// The consent page's path.
fn consent_path(id: ConnectionId) -> String {
    format!("/financial/authorize/{id}")
}

/// Connection `id`, if it is `caller`'s.
async fn connection_of(state: &AppState, caller: &Caller, id: ConnectionId) -> Result<ConnectionView, PageError> {
    let service = state.connections.clone();
    let user = caller.user.id;
    run_service(move || service.get(user, id)).await
}

/// `GET /financial/authorize/{connectionId}`.
pub async fn show(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let id = ConnectionId::from_uuid(path.into_inner());
    let caller = visitor.signed_in(&consent_path(id))?;
    let view = connection_of(&state, &caller, id).await?;
    check_authorizable(&view)?;
    Ok(html(StatusCode::OK, &page(&state, &caller, &view)))
}

/// `POST /financial/authorize/{connectionId}`: Authorize or Cancel.
pub async fn submit(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<Uuid>,
    form: web::Form<ConsentForm>,
) -> Result<HttpResponse, PageError> {
    let id = ConnectionId::from_uuid(path.into_inner());
    let caller = visitor.signed_in(&consent_path(id))?;
    let form = form.into_inner();
    if !state.csrf.verify(caller.session_id, &purpose(id), &form.csrf) {
        return Err(expired_form(id));
    }
    let view = connection_of(&state, &caller, id).await?;
    let service = state.connections.clone();
    let user = caller.user.id;
    if form.action == "cancel" {
        run_service(move || service.disconnect(user, id, false)).await?;
        return Ok(see_other("/dashboard?flash=cancelled"));
    }
    check_authorizable(&view)?;
    let credentials = form.credentials();
    match block_service(move || service.authorize(user, id, &credentials)).await {
        Ok(_) => Ok(see_other("/dashboard?flash=connected")),
        Err(error) => {
            let mut again = page(&state, &caller, &view);
            let status = refused(&mut again.card, form, error)?;
            Ok(html(status, &again))
        }
    }
}

/// A refused authorization on `card`: the status to show the card again with (asking for the
/// one-time code, or saying what was wrong), or the error's own page.
pub fn refused(card: &mut ConsentCard, form: ConsentForm, error: ServiceError) -> Result<StatusCode, PageError> {
    card.username = form.username;
    match error {
        ServiceError::BadRequest { code: ErrorCode::MfaRequired, .. } => {
            card.mfa_step = true;
            card.password = form.password;
            Ok(StatusCode::OK)
        }
        ServiceError::BadRequest { code: ErrorCode::InvalidMfaCode, message } => {
            card.mfa_step = true;
            card.password = form.password;
            card.error = Some(message);
            Ok(StatusCode::BAD_REQUEST)
        }
        ServiceError::BadRequest { code: ErrorCode::AccountLocked, message } => {
            Err(PageError::message(StatusCode::BAD_REQUEST, MessagePage::to_dashboard("Account locked", message)))
        }
        ServiceError::BadRequest { message, .. } => {
            card.error = Some(message);
            Ok(StatusCode::BAD_REQUEST)
        }
        ServiceError::Validation(fields) => {
            card.error = Some(format!("Please check the form: {}.", fields_message(&fields)));
            Ok(StatusCode::BAD_REQUEST)
        }
        error => Err(error.into()),
    }
}
