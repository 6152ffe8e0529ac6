//! [`JsonBody`]: how the API reads JSON request bodies, so that a value of the wrong type is
//! named by its own field.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use sandbank_domain::FieldErrors;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body read as `T`. The bytes are read like `web::Json` reads them (the same size
/// limit, content type check and errors, see [`crate::error::json_config`]); then `T` is built
/// keeping track of the path, so `{"seed": "abc"}` is a 400 naming `seed`, not `body`. Every
/// request body of the API is an object: any other JSON value is a 400 naming `body` (serde
/// would otherwise read an array as the struct's fields in order).
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T> JsonBody<T> {
    /// The body.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for JsonBody<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let value = web::Json::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            let web::Json(value) = value.await?;
            if !value.is_object() {
                let error = FieldErrors::single("body", "must be a JSON object");
                return Err(ApiError::validation(&error).into());
            }
            serde_path_to_error::deserialize(value).map(JsonBody).map_err(|error| ApiError::json_field(&error).into())
        })
    }
}

/// A JSON body that may be left out: a request with no body and no `Content-Type` reads as
/// `T::default()`; any other is read as [`JsonBody`] reads it.
#[derive(Debug)]
pub struct OptionalJsonBody<T>(pub T);

impl<T: DeserializeOwned + Default + 'static> FromRequest for OptionalJsonBody<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE, TRANSFER_ENCODING};
        let headers = req.headers();
        let length_zero = headers.get(CONTENT_LENGTH).is_none_or(|v| v.as_bytes() == b"0");
        if length_zero && !headers.contains_key(CONTENT_TYPE) && !headers.contains_key(TRANSFER_ENCODING) {
            return Box::pin(async { Ok(OptionalJsonBody(T::default())) });
        }
        let body = JsonBody::<T>::from_request(req, payload);
        Box::pin(async move { body.await.map(|JsonBody(value)| OptionalJsonBody(value)) })
    }
}
