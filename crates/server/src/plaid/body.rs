//! Reading a Plaid request: the JSON body as the endpoint's type, with the keys taken from the
//! `PLAID-CLIENT-ID` / `PLAID-SECRET` headers (what the SDKs send) or from `client_id` /
//! `secret` in the body. A field the endpoint does not take, a missing one or a wrong type is
//! Plaid's `INVALID_REQUEST` error that names it.

use actix_web::HttpRequest;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::error::{PlaidError, PlaidErrorCode};

/// The largest body the Plaid API reads.
pub const PLAID_BODY_LIMIT: usize = 64 * 1024;

/// The API keys a request carries.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKeys {
    /// The client id.
    pub client_id: String,
    /// The secret.
    pub secret: String,
}

impl std::fmt::Debug for ApiKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKeys").field("client_id", &self.client_id).field("secret", &"***").finish()
    }
}

/// The keys and the endpoint's fields of a request body.
pub fn parse<T: DeserializeOwned>(req: &HttpRequest, body: &[u8]) -> Result<(ApiKeys, T), PlaidError> {
    let invalid_body = || PlaidError::new(PlaidErrorCode::InvalidBody, "the request body must be a JSON object");
    let value: Value = if body.is_empty() {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(body).map_err(|_| invalid_body())?
    };
    let Value::Object(mut fields) = value else { return Err(invalid_body()) };
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut take = |name: &str| match fields.remove(name) {
        Some(Value::String(text)) => Ok(Some(text)),
        None | Some(Value::Null) => Ok(None),
        Some(_) => Err(PlaidError::new(PlaidErrorCode::InvalidField, format!("{name} must be a string"))),
    };
    let (body_client, body_secret) = (take("client_id")?, take("secret")?);
    let keys = match (header("PLAID-CLIENT-ID").or(body_client), header("PLAID-SECRET").or(body_secret)) {
        (Some(client_id), Some(secret)) => ApiKeys { client_id, secret },
        _ => {
            return Err(PlaidError::new(
                PlaidErrorCode::MissingFields,
                "the following required fields are missing: client_id, secret (or the PLAID-CLIENT-ID and PLAID-SECRET headers)",
            ));
        }
    };
    let fields: T = serde_path_to_error::deserialize(Value::Object(fields)).map_err(field_error)?;
    Ok((keys, fields))
}

/// serde's complaint as Plaid's error.
fn field_error(error: serde_path_to_error::Error<serde_json::Error>) -> PlaidError {
    let message = error.inner().to_string();
    let named = |prefix: &str| {
        let start = message.find(prefix)? + prefix.len();
        let length = message[start..].find('`')?;
        Some(message[start..start + length].to_owned())
    };
    let path = error.path().to_string();
    let at = |name: String| if path == "." || path.is_empty() { name } else { format!("{path}.{name}") };
    if let Some(field) = named("unknown field `") {
        let message = format!("the following fields are not recognized by this endpoint: {}", at(field));
        return PlaidError::new(PlaidErrorCode::UnknownFields, message);
    }
    if let Some(field) = named("missing field `") {
        let message = format!("the following required fields are missing: {}", at(field));
        return PlaidError::new(PlaidErrorCode::MissingFields, message);
    }
    let message = message.find(" at line ").map_or(message.as_str(), |end| &message[..end]);
    PlaidError::new(PlaidErrorCode::InvalidField, format!("{path}: {message}"))
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        count: u32,
        #[serde(default)]
        options: Option<SampleOptions>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct SampleOptions {
        flag: bool,
    }

    fn read(req: &HttpRequest, body: &str) -> Result<(ApiKeys, Sample), PlaidError> {
        parse(req, body.as_bytes())
    }

    #[test]
    fn keys_come_from_the_headers_or_the_body() {
        let bare = TestRequest::default().to_http_request();
        let (keys, sample) = read(&bare, r#"{"client_id": "c", "secret": "s", "count": 3}"#).expect("parsed");
        assert_eq!((keys.client_id.as_str(), keys.secret.as_str(), sample.count), ("c", "s", 3));
        let headed = TestRequest::default()
            .insert_header(("PLAID-CLIENT-ID", "hc"))
            .insert_header(("PLAID-SECRET", "hs"))
            .to_http_request();
        let (keys, _) = read(&headed, r#"{"count": 1}"#).expect("parsed");
        assert_eq!((keys.client_id.as_str(), keys.secret.as_str()), ("hc", "hs"));
        assert_eq!(read(&bare, r#"{"count": 1}"#).expect_err("no keys").code, PlaidErrorCode::MissingFields);
        assert!(!format!("{keys:?}").contains("hs"), "the secret is not printed");
    }

    #[test]
    fn bad_bodies_are_plaid_errors_that_name_the_field() {
        let req = TestRequest::default()
            .insert_header(("PLAID-CLIENT-ID", "c"))
            .insert_header(("PLAID-SECRET", "s"))
            .to_http_request();
        let error = |body: &str| read(&req, body).expect_err("refused");
        assert_eq!(error("[1]").code, PlaidErrorCode::InvalidBody);
        assert_eq!(error("not json").code, PlaidErrorCode::InvalidBody);
        let unknown = error(r#"{"count": 1, "colour": "red"}"#);
        assert_eq!(unknown.code, PlaidErrorCode::UnknownFields);
        assert!(unknown.message.contains("colour"), "{unknown:?}");
        let nested = error(r#"{"count": 1, "options": {"flag": true, "extra": 1}}"#);
        assert!(nested.code == PlaidErrorCode::UnknownFields && nested.message.contains("options.extra"), "{nested:?}");
        let missing = error("{}");
        assert!(missing.code == PlaidErrorCode::MissingFields && missing.message.contains("count"), "{missing:?}");
        let wrong = error(r#"{"count": "three"}"#);
        assert!(wrong.code == PlaidErrorCode::InvalidField && wrong.message.contains("count"), "{wrong:?}");
    }
}
