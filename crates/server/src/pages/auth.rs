//! `/`, `/signup`, `/login` and `POST /logout`. The sign-up and sign-in forms are protected by a
//! double-submit CSRF cookie (there is no session yet); sign-out by the session's token.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sandbank_services::ServiceError;
use serde::Deserialize;

use crate::client_address::ClientAddress;
use crate::pages::local_path::LocalPath;
use crate::pages::view::{FORM_PURPOSE, Nav, fields_message};
use crate::pages::{PageError, Visitor, html, run_service, see_other};
use crate::routes::auth::{removed_session_cookie, session_cookie};
use crate::state::AppState;

/// Registers the start page, sign-up, sign-in and sign-out.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(landing))
        .service(web::resource("/signup").get(signup_page).post(signup))
        .service(web::resource("/login").get(login_page).post(login))
        .route("/logout", web::post().to(logout));
}

/// The cookie holding the anonymous forms' CSRF token.
const CSRF_COOKIE: &str = "sandbank_csrf";

#[derive(Template)]
#[template(path = "landing.html")]
struct LandingPage {
    nav: Nav,
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    nav: Nav,
    csrf: String,
    error: Option<String>,
    email: String,
    name: String,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    nav: Nav,
    csrf: String,
    error: Option<String>,
    email: String,
    next: LocalPath,
}

/// What the sign-up form sends.
#[derive(Debug, Deserialize)]
pub struct SignupForm {
    csrf: String,
    email: String,
    password: String,
    #[serde(default)]
    name: String,
}

/// What the sign-in form sends.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    csrf: String,
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// Where to go after signing in (only a local path is followed).
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The anonymous CSRF token of `req`, or a new one (to be set as a cookie).
fn anonymous_csrf(req: &HttpRequest) -> (String, Option<Cookie<'static>>) {
    if let Some(cookie) = req.cookie(CSRF_COOKIE).filter(|c| c.value().len() == 32) {
        return (cookie.value().to_owned(), None);
    }
    let token = uuid::Uuid::new_v4().simple().to_string();
    let cookie =
        Cookie::build(CSRF_COOKIE, token.clone()).path("/").http_only(true).same_site(SameSite::Strict).finish();
    (token, Some(cookie))
}

fn csrf_matches(req: &HttpRequest, sent: &str) -> bool {
    req.cookie(CSRF_COOKIE).is_some_and(|c| !sent.is_empty() && c.value() == sent)
}

/// What a refused sign-up or sign-in tells the visitor (its status and message).
fn form_error(error: &ServiceError) -> (StatusCode, String) {
    match error {
        ServiceError::Validation(fields) => (StatusCode::BAD_REQUEST, fields_message(fields)),
        ServiceError::Conflict { message, .. } => (StatusCode::CONFLICT, message.clone()),
        ServiceError::InvalidCredentials => (StatusCode::UNAUTHORIZED, "Wrong e-mail or password.".into()),
        ServiceError::RateLimited { .. } => {
            (StatusCode::TOO_MANY_REQUESTS, "Too many attempts; wait a minute and try again.".into())
        }
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side; please try again.".into()),
    }
}

fn with_cookie(mut response: HttpResponse, cookie: Option<Cookie<'static>>) -> HttpResponse {
    if let Some(cookie) = cookie {
        let _ = response.add_cookie(&cookie);
    }
    response
}

/// `GET /`.
pub async fn landing(visitor: Visitor) -> HttpResponse {
    if visitor.0.is_some() {
        return see_other("/dashboard");
    }
    html(StatusCode::OK, &LandingPage { nav: Nav::default() })
}

/// `GET /signup`.
pub async fn signup_page(req: HttpRequest) -> HttpResponse {
    let (csrf, cookie) = anonymous_csrf(&req);
    let page = SignupPage { nav: Nav::default(), csrf, error: None, email: String::new(), name: String::new() };
    with_cookie(html(StatusCode::OK, &page), cookie)
}

/// `POST /signup`.
pub async fn signup(
    req: HttpRequest,
    state: web::Data<AppState>,
    client: ClientAddress,
    form: web::Form<SignupForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let (csrf, cookie) = anonymous_csrf(&req);
    let again = |status: StatusCode, error: String| {
        let page = SignupPage {
            nav: Nav::default(),
            csrf: csrf.clone(),
            error: Some(error),
            email: form.email.clone(),
            name: form.name.clone(),
        };
        with_cookie(html(status, &page), cookie.clone())
    };
    if !csrf_matches(&req, &form.csrf) {
        return again(StatusCode::BAD_REQUEST, "This form expired; please send it again.".into());
    }
    let auth = state.auth.clone();
    let (email, password, name) = (form.email.clone(), form.password.clone(), form.name.clone());
    let name = (!name.trim().is_empty()).then_some(name);
    match web::block(move || auth.register(client.0, Some(&email), Some(&password), name.as_deref())).await {
        Ok(Ok(signed_in)) => {
            let mut response = see_other("/dashboard?flash=welcome");
            let _ = response.add_cookie(&session_cookie(&state, signed_in.token, signed_in.expires_at));
            response
        }
        Ok(Err(error)) => {
            let (status, message) = form_error(&error);
            again(status, message)
        }
        Err(_) => {
            again(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side; please try again.".into())
        }
    }
}

/// `GET /login`.
pub async fn login_page(req: HttpRequest, query: web::Query<NextQuery>) -> HttpResponse {
    let (csrf, cookie) = anonymous_csrf(&req);
    let next = LocalPath::or_dashboard(query.next.as_deref());
    let page = LoginPage { nav: Nav::default(), csrf, error: None, email: String::new(), next };
    with_cookie(html(StatusCode::OK, &page), cookie)
}

/// `POST /login`.
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    client: ClientAddress,
    form: web::Form<LoginForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let (csrf, cookie) = anonymous_csrf(&req);
    let next = LocalPath::or_dashboard(Some(&form.next));
    let again = |status: StatusCode, error: &str| {
        let page = LoginPage {
            nav: Nav::default(),
            csrf: csrf.clone(),
            error: Some(error.to_owned()),
            email: form.email.clone(),
            next: next.clone(),
        };
        with_cookie(html(status, &page), cookie.clone())
    };
    if !csrf_matches(&req, &form.csrf) {
        return again(StatusCode::BAD_REQUEST, "This form expired; please send it again.");
    }
    let auth = state.auth.clone();
    let (email, password) = (form.email.clone(), form.password.clone());
    match web::block(move || auth.login(client.0, Some(&email), Some(&password))).await {
        Ok(Ok(signed_in)) => {
            let mut response = see_other(next.as_str());
            let _ = response.add_cookie(&session_cookie(&state, signed_in.token, signed_in.expires_at));
            response
        }
        Ok(Err(error)) => {
            let (status, message) = form_error(&error);
            again(status, &message)
        }
        Err(_) => again(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side; please try again."),
    }
}

/// What the sign-out form sends.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /logout`: revokes the session and clears the cookie.
pub async fn logout(
    state: web::Data<AppState>,
    visitor: Visitor,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let caller = visitor.0.ok_or_else(|| PageError::Redirect("/".into()))?;
    if !state.csrf.verify(caller.session_id, FORM_PURPOSE, &form.csrf) {
        return Err(PageError::Redirect("/dashboard".into()));
    }
    let auth = state.auth.clone();
    let session = caller.session_id;
    run_service(move || auth.logout(session)).await?;
    let mut response = see_other("/");
    let _ = response.add_cookie(&removed_session_cookie(&state));
    Ok(response)
}
