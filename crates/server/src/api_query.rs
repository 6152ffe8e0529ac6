//! [`ApiQuery`]: how the API reads query strings. An empty value (`limit=`, `startDate=`) is a
//! 400 naming its parameter, never taken as absent: the spec says the value is a number, a
//! date, an enum member. (The pages' filter forms send empty fields; they use `web::Query`.)

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use sandbank_domain::FieldErrors;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A query string read as `T` by `web::Query` (with [`crate::error::query_config`]'s errors),
/// after every parameter sent with an empty value was refused.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T> ApiQuery<T> {
    /// The query.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for ApiQuery<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for ApiQuery<T> {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if let Some(errors) = empty_values(req.query_string()) {
            return ready(Err(ApiError::validation(&errors).into()));
        }
        ready(web::Query::<T>::from_request(req, payload).into_inner().map(|query| ApiQuery(query.into_inner())))
    }
}

/// Each parameter of `query` whose value is empty, as a validation error; `None` when none is.
fn empty_values(query: &str) -> Option<FieldErrors> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let mut errors = FieldErrors::new();
    for (name, _) in pairs.iter().filter(|(_, value)| value.is_empty()) {
        errors.add(name.as_str(), "must not be empty; leave the parameter out instead");
    }
    (!errors.is_empty()).then_some(errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_each_parameter_sent_empty() {
        let errors = empty_values("limit=&category=groceries&startDate=&type").expect("empty values");
        let names: Vec<&String> = errors.fields().keys().collect();
        assert_eq!(names, ["limit", "startDate", "type"]);
        assert_eq!(empty_values("limit=5&category=groceries"), None);
        assert_eq!(empty_values(""), None);
    }
}
