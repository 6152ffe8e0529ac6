//! The OpenAPI document: info, tags and security schemes here; paths and schemas are collected
//! from the routes as they are registered.

use actix_web::App;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};

use crate::error::{ErrorResponse, JSON_LIMIT_BYTES};
use crate::routes;

/// The static part of the document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sandbank",
        description = "A self-hosted sandbox for financial-data aggregation: simulated banks, a fake OAuth consent flow, deterministic accounts and transactions.\n\nAuthenticate with `Authorization: Bearer <token>` or the `sandbank_session` cookie. A cookie-authenticated unsafe request (POST, PATCH, DELETE) whose `Origin` is another origin, or whose `Sec-Fetch-Site` is `cross-site`, is a 403 `csrf_failed` unless it carries the session's CSRF token in `X-CSRF-Token`: the `csrfToken` of the login or register response, or the `X-CSRF-Token` header of `GET /api/auth/me`. Bearer requests, and clients that send neither `Origin` nor `Sec-Fetch-Site`, need no token.",
        contact(name = "Sandbank", url = "http://127.0.0.1:8080/"),
        license(name = "MIT", identifier = "MIT")
    ),
    servers((url = "http://127.0.0.1:8080", description = "A local Sandbank (`sandbank serve`)")),
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

/// Documents the 413 of every operation that reads a JSON body: each is read through
/// [`crate::error::json_config`], whose limit is [`JSON_LIMIT_BYTES`]. It runs on the collected
/// paths (see [`complete`]), as `ApiDoc`'s modifiers run before routes add theirs.
struct BodyLimit;

impl Modify for BodyLimit {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let description = format!("`payload_too_large`: the body is over {} KiB", JSON_LIMIT_BYTES / 1024);
        let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorResponse"))).build();
        let too_large = ResponseBuilder::new().description(description).content("application/json", content).build();
        for item in openapi.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for operation in operations.into_iter().flatten().filter(|o| o.request_body.is_some()) {
                operation.responses.responses.entry("413".into()).or_insert_with(|| too_large.clone().into());
            }
        }
    }
}

/// Documents the 503 `database_unavailable` of every `/api` operation: each reads the session
/// or its data from the database, and [`crate::error::ApiError`] maps a database that does not
/// answer in time to 503 with `Retry-After: 1`. Operations that call a provider document
/// their 503 themselves, naming both causes.
struct DatabaseUnavailable;

impl Modify for DatabaseUnavailable {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let seconds = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(0));
        let retry_after =
            HeaderBuilder::new().schema(Some(seconds)).description(Some("Seconds to wait before trying again"));
        let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorResponse"))).build();
        let unavailable = ResponseBuilder::new()
            .description("`database_unavailable`: the database did not answer in time; try again")
            .header("Retry-After", retry_after.build())
            .content("application/json", content)
            .build();
        for (_, item) in openapi.paths.paths.iter_mut().filter(|(path, _)| path.starts_with("/api/")) {
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for operation in operations.into_iter().flatten() {
                operation.responses.responses.entry("503".into()).or_insert_with(|| unavailable.clone().into());
            }
        }
    }
}

/// The document with what only the collected paths allow: `api` as the routes left it, plus
/// [`BodyLimit`] and [`DatabaseUnavailable`]. The server serves this, and
/// `openapi/openapi.json` holds it.
pub fn complete(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    BodyLimit.modify(&mut api);
    DatabaseUnavailable.modify(&mut api);
    api
}

/// The whole document, as the running server serves it.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) =
        App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(routes::configure).split_for_parts();
    complete(api)
}

/// The document as pretty JSON with a trailing newline (what `openapi/openapi.json` holds).
pub fn document_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

/// The JSON Schema of a scenario document as a file of its own (docs/scenario.schema.json): the
/// spec's `ScenarioDocument` with every schema it refers to written in place.
pub fn scenario_schema_json() -> String {
    let document = serde_json::to_value(document()).unwrap_or_default();
    let components = &document["components"]["schemas"];
    let mut schema = inlined(&components["ScenarioDocument"], components);
    if let Some(fields) = schema.as_object_mut() {
        fields.insert("$schema".into(), "https://json-schema.org/draft/2020-12/schema".into());
        fields.insert("title".into(), "Sandbank scenario".into());
    }
    let mut json = serde_json::to_string_pretty(&schema).unwrap_or_default();
    json.push('\n');
    json
}

/// `schema` with each `$ref` to a component replaced by the component, recursively.
fn inlined(schema: &serde_json::Value, components: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match schema {
        Value::Object(fields) => match fields.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let name = reference.trim_start_matches("#/components/schemas/");
                inlined(&components[name], components)
            }
            None => Value::Object(fields.iter().map(|(k, v)| (k.clone(), inlined(v, components))).collect()),
        },
        Value::Array(items) => Value::Array(items.iter().map(|v| inlined(v, components)).collect()),
        other => other.clone(),
    }
}
