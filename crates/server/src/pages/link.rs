//! The hosted Link page of the Plaid-compatible API, `/link/{linkToken}`: no sign-in, the link
//! token in the path is the credential (so a cross-site form cannot name it, and no CSRF token
//! is needed). The end user picks a bank (not in update mode), passes the consent step and
//! finishes, or exits; the session's end goes to `completion_redirect_uri` when the token has
//! one, else to a page saying the window may be closed.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use sandbank_domain::ErrorCode;
use sandbank_domain::link::{LinkOutcome, LinkToken};
use sandbank_domain::provider::Provider;
use sandbank_services::ServiceError;

use crate::pages::consent::{ConsentCard, ConsentForm, refused};
use crate::pages::view::Nav;
use crate::pages::{MessagePage, PageError, block_service, html, run_service, see_other};
use crate::plaid::items::sandbox_seed;
use crate::state::AppState;

/// Registers the hosted Link page and its two forms.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/link/{token}").get(show).post(submit))
        .service(web::resource("/link/{token}/institution").post(choose));
}

/// The page: the banks to pick from, or the consent step.
#[derive(Template)]
#[template(path = "link.html")]
struct LinkPage {
    nav: Nav,
    client_name: String,
    token: String,
    form_action: String,
    picking: bool,
    banks: Vec<Provider>,
    card: Option<ConsentCard>,
}

/// The bank the end user picked.
#[derive(Debug, serde::Deserialize)]
pub struct ChooseForm {
    institution: String,
}

fn link_path(token: &str) -> String {
    format!("/link/{token}")
}

/// The page of a token that cannot be used (unknown, expired, finished), or of another
/// refusal of the session's step.
fn closed(error: ServiceError) -> PageError {
    let (status, title, message) = match error {
        ServiceError::NotFound(_) => (
            StatusCode::NOT_FOUND,
            "Link session not found",
            "This link is not valid. Ask the app for a new one.".to_owned(),
        ),
        ServiceError::Conflict { code: ErrorCode::LinkSessionFinished | ErrorCode::LinkTokenExpired, message } => {
            (StatusCode::GONE, "This Link session is over", message)
        }
        other => return other.into(),
    };
    PageError::message(status, end_user_message(title, message))
}

/// A message page for Link's end user (who has no dashboard to go back to).
fn end_user_message(title: &str, message: String) -> MessagePage {
    MessagePage {
        nav: Nav::default(),
        title: title.into(),
        message,
        link_href: "/".into(),
        link_text: "Sandbank".into(),
    }
}

/// `error`'s message page linking back to `href` (an end user of Link has no dashboard).
fn linking_to(error: PageError, href: &str) -> PageError {
    match error {
        PageError::Message { status, mut page } => {
            page.link_href = href.to_owned();
            page.link_text = "Try again".into();
            PageError::Message { status, page }
        }
        other => other,
    }
}

/// The page for `link` as it stands: the bank list, or the consent step of its item.
async fn page(state: &AppState, link: LinkToken) -> Result<LinkPage, PageError> {
    let token = link.token();
    let service = state.link.clone();
    let (link, item) = run_service(move || service.item(&link).map(|item| (link, item))).await?;
    let requester = link.settings.client_name.clone();
    let card = item.map(|view| ConsentCard::new(&view, &requester, link_path(&token), None));
    let catalog = state.catalog.clone();
    let banks = if card.is_none() { run_service(move || catalog.list()).await? } else { Vec::new() };
    Ok(LinkPage {
        nav: Nav::default(),
        client_name: requester,
        form_action: link_path(&token),
        token,
        picking: card.is_none(),
        banks,
        card,
    })
}

/// `GET /link/{token}`: opens the session.
pub async fn show(state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let token = path.into_inner();
    let service = state.link.clone();
    let link = block_service(move || service.open(&token)).await.map_err(closed)?;
    Ok(allowing_redirect(html(StatusCode::OK, &page(&state, link.clone()).await?), &link))
}

/// `POST /link/{token}/institution`: the bank picked; on to the consent step.
pub async fn choose(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<ChooseForm>,
) -> Result<HttpResponse, PageError> {
    let token = path.into_inner();
    let slug = form.into_inner().institution;
    let service = state.link.clone();
    let back = link_path(&token);
    let chosen = block_service(move || service.choose(&token, &slug, sandbox_seed(&slug))).await;
    chosen.map(|_| see_other(&back)).map_err(|error| linking_to(closed(error), &back))
}

/// `POST /link/{token}`: the consent step's Authorize, or Cancel / Exit.
pub async fn submit(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<ConsentForm>,
) -> Result<HttpResponse, PageError> {
    let token = path.into_inner();
    let form = form.into_inner();
    let service = state.link.clone();
    let key = token.clone();
    if form.action == "cancel" {
        return match block_service(move || service.exit(&key)).await {
            Ok(link) => Ok(finished(&link)),
            Err(error) => ended(&state, &token, error).await,
        };
    }
    let credentials = form.credentials();
    let error = match block_service(move || service.authorize(&key, &credentials)).await {
        Ok(link) => return Ok(finished(&link)),
        Err(error @ (ServiceError::NotFound(_) | ServiceError::Conflict { .. })) => {
            return ended(&state, &token, error).await;
        }
        Err(error) => error,
    };
    let service = state.link.clone();
    let link = block_service(move || service.find(&token)).await?;
    let mut again = page(&state, link.clone()).await?;
    let back = link_path(&link.token());
    let Some(card) = again.card.as_mut() else { return Err(linking_to(error.into(), &back)) };
    let status = refused(card, form, error).map_err(|e| linking_to(e, &back))?;
    Ok(allowing_redirect(html(status, &again), &link))
}

/// The answer to a form refused with `error`: a session that has just ended (a second click,
/// say) answers as its end did; anything else is its page.
async fn ended(state: &AppState, token: &str, error: ServiceError) -> Result<HttpResponse, PageError> {
    if let ServiceError::Conflict { code: ErrorCode::LinkSessionFinished, .. } = error {
        let (service, key) = (state.link.clone(), token.to_owned());
        if let Ok(link) = block_service(move || service.find(&key)).await {
            return Ok(finished(&link));
        }
    }
    Err(linking_to(closed(error), &link_path(token)))
}

/// Where an ended session goes: the completion URI, or a page saying it is done.
fn finished(link: &LinkToken) -> HttpResponse {
    if let Some(uri) = &link.settings.completion_redirect_uri {
        return see_other(uri.as_str());
    }
    let success = link.end().is_some_and(|end| end.outcome == LinkOutcome::Success);
    let (title, message) = if success {
        (
            "You're all set",
            format!("Your bank is connected to {}. You can close this window.", link.settings.client_name),
        )
    } else {
        (
            "No bank connected",
            format!("You left without connecting a bank to {}. You can close this window.", link.settings.client_name),
        )
    };
    html(StatusCode::OK, &end_user_message(title, message))
}

/// `response` with a content security policy that lets its form lead to the token's
/// completion URI (a form's redirect counts as its target).
fn allowing_redirect(mut response: HttpResponse, link: &LinkToken) -> HttpResponse {
    let Some(uri) = &link.settings.completion_redirect_uri else { return response };
    let Ok(url) = url::Url::parse(uri.as_str()) else { return response };
    let policy = crate::pages::CSP
        .replace("form-action 'self'", &format!("form-action 'self' {}", url.origin().ascii_serialization()));
    if let Ok(value) = header::HeaderValue::from_str(&policy) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}
