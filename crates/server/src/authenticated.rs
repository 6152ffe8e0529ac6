//! `Authenticated`: the extractor for routes that need a signed-in user. It takes the token from
//! `Authorization: Bearer …` or, failing that, the session cookie.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use sandbank_services::Caller;

use crate::error::ApiError;
use crate::state::AppState;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "sandbank_session";

/// The signed-in caller of a request.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Caller);

/// The token a request carries, if any.
fn token_of(req: &HttpRequest) -> Option<String> {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        return value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(|token| token.trim().to_owned());
    }
    req.cookie(SESSION_COOKIE).map(|cookie| cookie.value().to_owned())
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = token_of(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let token = token.filter(|t| !t.is_empty()).ok_or_else(ApiError::unauthenticated)?;
            let state = state.ok_or_else(ApiError::internal)?;
            let caller = web::block(move || state.auth.authenticate(&token)).await??;
            Ok(Authenticated(caller))
        })
    }
}
