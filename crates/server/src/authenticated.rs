//! `Authenticated`: the extractor for routes that need a signed-in user. It takes the token from
//! `Authorization: Bearer …` or, failing that, the session cookie. A cookie-authenticated unsafe
//! request from another origin must also carry the session's CSRF token (`X-CSRF-Token`).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::BlockingError;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use sandbank_services::{Caller, ServiceError};

use crate::cross_origin::{API_CSRF_PURPOSE, Provenance};
use crate::error::{ApiError, EdgeError};
use crate::state::AppState;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "sandbank_session";

/// The signed-in caller of a request.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Caller);

/// How a request proves who it is.
enum Credential {
    /// `Authorization: Bearer …`: sent on purpose by a client, so no CSRF check.
    Bearer(String),
    /// The session cookie, which a browser attaches by itself, with the request's provenance.
    Cookie(String, Provenance),
}

impl Credential {
    /// The credential `req` carries, if any.
    fn of(req: &HttpRequest) -> Option<Self> {
        if let Some(value) = req.headers().get(header::AUTHORIZATION) {
            let token = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim)?;
            return Some(Self::Bearer(token.to_owned()));
        }
        req.cookie(SESSION_COOKIE).map(|cookie| Self::Cookie(cookie.value().to_owned(), Provenance::of(req)))
    }

    fn token(&self) -> &str {
        match self {
            Self::Bearer(token) | Self::Cookie(token, _) => token,
        }
    }
}

/// The caller `token` belongs to: straight from this process's recent checks (no thread hop),
/// else checked on a blocking thread.
pub async fn caller_of(
    state: &web::Data<AppState>,
    token: &str,
) -> Result<Result<Caller, ServiceError>, BlockingError> {
    if let Some(caller) = state.auth.recently_authenticated(token) {
        return Ok(Ok(caller));
    }
    let (state, token) = (state.clone(), token.to_owned());
    web::block(move || state.auth.authenticate(&token)).await
}

/// Checks the CSRF token of a cookie-authenticated request from another origin.
fn check_csrf(state: &AppState, credential: &Credential, caller: &Caller) -> Result<(), ApiError> {
    match credential {
        Credential::Cookie(_, Provenance::CrossOrigin { token }) => {
            let token = token.as_deref().unwrap_or_default();
            if state.csrf.verify(caller.session_id, API_CSRF_PURPOSE, token) {
                Ok(())
            } else {
                Err(EdgeError::CsrfFailed.into())
            }
        }
        _ => Ok(()),
    }
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let credential = Credential::of(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let credential = credential.filter(|c| !c.token().is_empty()).ok_or_else(ApiError::unauthenticated)?;
            let state = state.ok_or_else(ApiError::internal)?;
            let caller = caller_of(&state, credential.token()).await??;
            check_csrf(&state, &credential, &caller)?;
            Ok(Authenticated(caller))
        })
    }
}
