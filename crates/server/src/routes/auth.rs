//! `/api/auth`: register, login, logout, me.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use sandbank_domain::user::User;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::authenticated::{Authenticated, SESSION_COOKIE};
use crate::client_address::ClientAddress;
use crate::cross_origin::{API_CSRF_PURPOSE, CSRF_HEADER};
use crate::error::{ApiError, ErrorResponse};
use crate::json_body::JsonBody;
use crate::state::AppState;

/// Session responses are never stored by a cache.
const NO_STORE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "no-store");

/// Sign-up input.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "email": "ada@example.com",
    "password": "correct horse battery",
    "name": "Ada Lovelace"
}))]
pub struct RegisterRequest {
    /// A valid e-mail address, at most 254 characters (stored lower-cased).
    #[schema(value_type = String, format = Email, max_length = 254, example = "ada@example.com")]
    pub email: Option<String>,
    /// 8 to 128 characters.
    #[schema(value_type = String, min_length = 8, max_length = 128, example = "correct horse battery")]
    pub password: Option<String>,
    /// A display name, 1 to 100 characters (trimmed), not blank.
    #[schema(nullable = false, min_length = 1, max_length = 100, pattern = r"\S", example = "Ada Lovelace")]
    pub name: Option<String>,
}

/// Sign-in input.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "email": "ada@example.com",
    "password": "correct horse battery"
}))]
pub struct LoginRequest {
    /// The account's e-mail address.
    #[schema(value_type = String, format = Email, max_length = 254, example = "ada@example.com")]
    pub email: Option<String>,
    /// The account's password.
    #[schema(value_type = String, max_length = 128)]
    pub password: Option<String>,
}

/// A user as the API shows them.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "01a239e2-1c13-757e-b497-97946313f45c",
    "email": "ada@example.com",
    "name": "Ada Lovelace",
    "createdAt": "2026-12-03T03:10:49.363849Z"
}))]
pub struct UserResponse {
    /// The user's id.
    pub id: uuid::Uuid,
    /// Their e-mail address.
    pub email: String,
    /// Their name, if given.
    #[schema(required = true)]
    pub name: Option<String>,
    /// When they signed up.
    pub created_at: DateTime<Utc>,
}

impl From<User> for UserResponse {
    fn from(user: User) -> Self {
        Self { id: user.id.as_uuid(), email: user.email, name: user.name, created_at: user.created_at }
    }
}

/// A new account and its first token.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "user": {
        "id": "01a239e2-1d63-7729-971c-018a813f55dc",
        "email": "ada@example.com",
        "name": "Ada Lovelace",
        "createdAt": "2026-12-03T03:10:49.699348Z"
    },
    "token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMWEyMzllMi0xZDYzLTc3MjktOTcxYy0wMThhODEzZjU1ZGMiLCJzaWQiOiIwMWEyMzllMi0xZDYzLTc3MjktOTcxYy0wMThiMzEwM2M3MjUiLCJpYXQiOjE3OTYyNjc0NDksImV4cCI6MTc5NjM1Mzg0OX0.7lA46fb8rt5T0Ionz8QLDdjNbEriVuwOkriS_iGivrs",
    "csrfToken": "e80cd3408386141c494a6898774ff594c75d9f541b87b58a1cfbf025f3e8b5bc"
}))]
pub struct RegisterResponse {
    /// The new user.
    pub user: UserResponse,
    /// A bearer token for the new session.
    pub token: String,
    /// The session's CSRF token: send it as `X-CSRF-Token` on a cookie-authenticated unsafe
    /// request from another origin.
    pub csrf_token: String,
}

/// A new session.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMWEyMzllMi0xYzEzLTc1N2UtYjQ5Ny05Nzk0NjMxM2Y0NWMiLCJzaWQiOiIwMWEyMzllMi0xY2JhLTc2MzgtYjk2MC0xNWMxMmVhNTk3NWQiLCJpYXQiOjE3OTYyNjc0NDksImV4cCI6MTc5NjM1Mzg0OX0.eF_eWJYr1shNf91491klG6to63zVtyUEZsShwbTewh4",
    "expiresAt": "2026-12-04T03:10:49.529899Z",
    "user": {
        "id": "01a239e2-1c13-757e-b497-97946313f45c",
        "email": "ada@example.com",
        "name": null,
        "createdAt": "2026-12-03T03:10:49.363849Z"
    },
    "csrfToken": "922f0b66084c022f819494665cd0942a71a4255655206e425b6741a805ae1d7b"
}))]
pub struct LoginResponse {
    /// The bearer token (also set as the `sandbank_session` cookie).
    pub token: String,
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
    /// The signed-in user.
    pub user: UserResponse,
    /// The session's CSRF token: send it as `X-CSRF-Token` on a cookie-authenticated unsafe
    /// request from another origin.
    pub csrf_token: String,
}

/// The session cookie for `token`, expiring with it (HttpOnly, SameSite=Lax, Secure if set).
pub fn session_cookie(state: &AppState, token: String, expires_at: DateTime<Utc>) -> Cookie<'static> {
    let seconds = (expires_at - Utc::now()).num_seconds().max(0);
    Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.cookie_secure)
        .max_age(CookieDuration::seconds(seconds))
        .finish()
}

/// A cookie that makes the browser drop the session cookie.
pub fn removed_session_cookie(state: &AppState) -> Cookie<'static> {
    let mut cookie = session_cookie(state, String::new(), Utc::now());
    cookie.make_removal();
    cookie
}

/// Create an account.
#[utoipa::path(
    tag = "auth",
    operation_id = "register",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created and signed in", body = RegisterResponse,
            headers(("Cache-Control" = String, description = "`no-store`"))),
        (status = 400, description = "Invalid fields (a NUL or over-long text is named too), malformed JSON or wrong content type", body = ErrorResponse),
        (status = 409, description = "The e-mail is taken (`email_taken`)", body = ErrorResponse),
        (status = 413, description = "Body too large", body = ErrorResponse),
        (status = 429, description = "Too many sign-ups and sign-ins from this client address", body = ErrorResponse, headers(("Retry-After" = u64, description = "Seconds to wait before trying again"))),
    )
)]
#[post("/api/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    client: ClientAddress,
    body: JsonBody<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let auth = state.auth.clone();
    let signed_in = web::block(move || {
        auth.register(client.0, body.email.as_deref(), body.password.as_deref(), body.name.as_deref())
    })
    .await??;
    let cookie = session_cookie(&state, signed_in.token.clone(), signed_in.expires_at);
    let csrf_token = state.csrf.issue(signed_in.session_id, API_CSRF_PURPOSE);
    Ok(HttpResponse::Created().cookie(cookie).insert_header(NO_STORE).json(RegisterResponse {
        user: signed_in.user.into(),
        token: signed_in.token,
        csrf_token,
    }))
}

/// Sign in; returns a token and sets the session cookie.
#[utoipa::path(
    tag = "auth",
    operation_id = "login",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse,
            headers(("Cache-Control" = String, description = "`no-store`"))),
        (status = 400, description = "Missing or malformed fields (an invalid e-mail, a NUL, an over-long text), malformed JSON or wrong content type", body = ErrorResponse),
        (status = 401, description = "Wrong e-mail or password (`invalid_credentials`)", body = ErrorResponse),
        (status = 429, description = "Too many failed sign-ins for this e-mail from this client address, or too many sign-ups and sign-ins from it", body = ErrorResponse, headers(("Retry-After" = u64, description = "Seconds to wait before trying again"))),
    )
)]
#[post("/api/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    client: ClientAddress,
    body: JsonBody<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let auth = state.auth.clone();
    let signed_in = web::block(move || auth.login(client.0, body.email.as_deref(), body.password.as_deref())).await??;
    let cookie = session_cookie(&state, signed_in.token.clone(), signed_in.expires_at);
    let csrf_token = state.csrf.issue(signed_in.session_id, API_CSRF_PURPOSE);
    Ok(HttpResponse::Ok().cookie(cookie).insert_header(NO_STORE).json(LoginResponse {
        token: signed_in.token,
        expires_at: signed_in.expires_at,
        user: signed_in.user.into(),
        csrf_token,
    }))
}

/// Sign out: the token (and cookie) stop working at once.
#[utoipa::path(
    tag = "auth",
    operation_id = "logout",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "`csrf_failed`: the session cookie was sent from another origin without `X-CSRF-Token`", body = ErrorResponse),
    )
)]
#[post("/api/auth/logout")]
pub async fn logout(state: web::Data<AppState>, caller: Authenticated) -> Result<HttpResponse, ApiError> {
    let auth = state.auth.clone();
    web::block(move || auth.logout(caller.0.session_id)).await??;
    Ok(HttpResponse::NoContent().cookie(removed_session_cookie(&state)).insert_header(NO_STORE).finish())
}

/// The signed-in user.
#[utoipa::path(
    tag = "auth",
    operation_id = "getCurrentUser",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    responses(
        (status = 200, description = "The signed-in user", body = UserResponse, headers(
            ("X-CSRF-Token" = String, description = "The session's CSRF token (see `csrf_failed`)"),
            ("Cache-Control" = String, description = "`no-store`"),
        )),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    )
)]
#[get("/api/auth/me")]
pub async fn me(state: web::Data<AppState>, caller: Authenticated) -> HttpResponse {
    let csrf_token = state.csrf.issue(caller.0.session_id, API_CSRF_PURPOSE);
    HttpResponse::Ok()
        .insert_header((CSRF_HEADER, csrf_token))
        .insert_header(NO_STORE)
        .json(UserResponse::from(caller.0.user))
}
