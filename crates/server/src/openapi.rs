//! The OpenAPI document: info, tags and security schemes here; paths and schemas are collected
//! from the routes as they are registered.

use actix_web::App;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::ErrorResponse;
use crate::routes;

/// The static part of the document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sandbank",
        description = "A self-hosted sandbox for financial-data aggregation: simulated banks, a fake OAuth consent flow, deterministic accounts and transactions.\n\nAuthenticate with `Authorization: Bearer <token>` or the `sandbank_session` cookie. A cookie-authenticated unsafe request (POST, PATCH, DELETE) whose `Origin` is another origin, or whose `Sec-Fetch-Site` is `cross-site`, is a 403 `csrf_failed` unless it carries the session's CSRF token in `X-CSRF-Token`: the `csrfToken` of the login or register response, or the `X-CSRF-Token` header of `GET /api/auth/me`. Bearer requests, and clients that send neither `Origin` nor `Sec-Fetch-Site`, need no token.",
        license(name = "MIT")
    ),
    modifiers(&SecuritySchemes, &EnumSchemas),
    components(schemas(ErrorResponse)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Accounts and sessions"),
        (name = "financial", description = "Providers, connections, accounts and transactions"),
        (name = "jobs", description = "Background jobs: asynchronous syncs and their retries"),
        (name = "sandbox", description = "Controls to trigger incremental data and errors on purpose"),
        (name = "developer", description = "The caller's webhook signing secret and developer API keys"),
        (name = "webhooks", description = "Webhook deliveries: their status, attempts and retries"),
    )
)]
pub struct ApiDoc;

/// Adds the two ways to authenticate: a bearer token or the session cookie.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearerAuth",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
        components.add_security_scheme(
            "sessionCookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::authenticated::SESSION_COOKIE,
                "The session cookie; from another origin, unsafe requests also need `X-CSRF-Token`",
            ))),
        );
    }
}

/// Adds the schemas of the domain's closed sets, so that query parameters can name them too.
struct EnumSchemas;

impl Modify for EnumSchemas {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.schemas.extend(crate::schemas::all());
    }
}

/// The whole document, as the running server serves it.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) =
        App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(routes::configure).split_for_parts();
    api
}

/// The document as pretty JSON with a trailing newline (what `openapi/openapi.json` holds).
pub fn document_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
