//! Issue #14, item 5: the API and its spec agree. For every operation of the served document,
//! requests are generated from the spec's own schemas — valid ones (real ids where a path needs
//! one, values drawn from each parameter's and body's schema) and invalid ones (out-of-bound
//! numbers, wrong enum values, wrong types, missing required fields, unknown ids, no session) —
//! and every answer must have a status the operation documents, a JSON body that validates
//! against the documented schema for that status, the headers it declares, and no undocumented
//! 5xx. An invalid request must not succeed. The RNG is seeded: a failure reproduces, and the
//! report names each request.

use std::collections::{BTreeMap, HashMap};

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde_json::{Value, json};

use crate::helpers::*;

/// The seed of every run: keep it to reproduce a failure; explore others with
/// `SANDBANK_SPEC_SEED=<u64>`.
const SEED: u64 = 14;
/// Requests per operation: even ones valid, odd ones made invalid in one way.
const CASES_PER_OPERATION: usize = 10;
/// Operations that end what others need (a session, the connection, the key): run last.
const RUN_LAST: [&str; 3] = ["revokeDeveloperKey", "disconnectConnection", "logout"];

/// One generated request and what it should be.
#[derive(Debug, Clone)]
struct Case {
    path: String,
    query: Vec<(String, String)>,
    body: Body,
    token: Option<String>,
    /// `None` for a valid request; else how it was spoiled.
    spoiled: Option<String>,
}

/// A request body.
#[derive(Debug, Clone)]
enum Body {
    None,
    Json(Value),
    /// Bytes sent as they are, with a content type.
    Raw(&'static str, String),
}

/// One operation of the document.
struct Operation {
    method: String,
    template: String,
    spec: Value,
}

impl Operation {
    fn id(&self) -> &str {
        self.spec["operationId"].as_str().unwrap_or("?")
    }

    fn parameters(&self, place: &str) -> Vec<Value> {
        let all = self.spec["parameters"].as_array().cloned().unwrap_or_default();
        all.into_iter().filter(|p| p["in"] == place).collect()
    }

    /// The body's schema and whether a body may be left out.
    fn body_schema(&self) -> Option<(Value, bool)> {
        let body = &self.spec["requestBody"];
        let schema = body["content"]["application/json"]["schema"].clone();
        (!schema.is_null()).then(|| (schema, body["required"] != true))
    }
}

/// Real things a valid request can name: a user's sessions and ids by parameter name.
struct Fixtures {
    email: String,
    token: String,
    other_token: String,
    ids: BTreeMap<&'static str, String>,
    /// A connection still waiting for consent, for `authorizeConnection`.
    pending_connection: String,
    /// A saved scenario of its own for `deleteScenario` (the others read `scenarioId`).
    doomed_scenario: String,
}

impl Fixtures {
    /// The real value of parameter `name` for `operation`.
    fn id(&self, operation: &str, name: &str) -> Option<String> {
        match (operation, name) {
            ("authorizeConnection", "connectionId") => Some(self.pending_connection.clone()),
            ("deleteScenario", "scenarioId") => Some(self.doomed_scenario.clone()),
            _ => self.ids.get(name).cloned(),
        }
    }

    /// A user with a connected connection (webhooks on), its accounts, a queued job, a failed
    /// delivery (so it can be retried), a developer key and a connection waiting for consent;
    /// and another user.
    async fn build(app: &TestApp) -> Self {
        let email = "spec-owner@example.com".to_owned();
        let token = app.register(&email).await;
        let other_token = app.register("spec-other@example.com").await;
        let provider_id = sandbank_fakebank::catalog::provider("chase").expect("a provider").id.to_string();
        let body = json!({"providerId": provider_id, "seed": 7, "webhookUrl": "http://127.0.0.1:9/hook"});
        let created = app.post_json("/api/financial/connections", Some(&token), &body).await;
        let connection_id = created.json["connectionId"].as_str().expect("connectionId").to_owned();
        let path = format!("/api/financial/connections/{connection_id}");
        assert_eq!(app.post_json(&format!("{path}/authorize"), Some(&token), &json!({})).await.status, 200);
        let queued = app.call("POST", &format!("{path}?async=true")).bearer(Some(&token)).send().await;
        let accounts = app.get("/api/financial/accounts", Some(&token)).await;
        let deliveries = app.get("/api/webhooks/deliveries", Some(&token)).await;
        let key = app.post_json("/api/developer/keys", Some(&token), &json!({"name": "spec"})).await;
        let pending_connection = app.create_connection(&token, "chase", 8).await;
        let document = sandbank::routes::scenario_document::example();
        let scenario = app.post_json("/api/sandbox/scenarios", Some(&token), &document).await;
        let doomed = app.post_json("/api/sandbox/scenarios", Some(&token), &document).await;
        let text = |v: &Value| v.as_str().unwrap_or_else(|| panic!("fixture id missing: {v}")).to_owned();
        let ids = BTreeMap::from([
            ("providerId", provider_id),
            ("connectionId", connection_id),
            ("accountId", text(&accounts.json["accounts"][0]["id"])),
            ("jobId", text(&queued.json["jobId"])),
            ("deliveryId", text(&deliveries.json["deliveries"][0]["id"])),
            ("clientId", text(&key.json["clientId"])),
            ("scenarioId", text(&scenario.json["id"])),
        ]);
        let doomed_scenario = text(&doomed.json["id"]);
        fail_delivery(app, &ids["deliveryId"]);
        Self { email, token, other_token, ids, pending_connection, doomed_scenario }
    }
}

/// Marks delivery `id` failed for good, as the deliverer would after its last attempt.
fn fail_delivery(app: &TestApp, id: &str) {
    use sandbank_domain::webhook::{AttemptOutcome, DeliveryStatus};
    let id = id.parse().expect("a delivery id");
    let outcome = AttemptOutcome {
        status: DeliveryStatus::Failed,
        attempts: 8,
        status_code: Some(500),
        error: Some("the receiver answered 500".into()),
        next_attempt_at: None,
    };
    let db = app.open_database();
    db.write(|conn| sandbank_store::webhooks::record_attempt(conn, id, &outcome)).expect("the delivery fails");
}

/// The spec's schema behind `$ref`s.
fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            resolve(spec, &spec["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// A schema's type, the non-null one of a `["string", "null"]` pair.
fn type_of(schema: &Value) -> &str {
    match &schema["type"] {
        Value::String(t) => t,
        Value::Array(types) => types.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("null"),
        _ => "",
    }
}

/// The non-null branch of a `oneOf` with null, or the schema itself.
fn non_null<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    let schema = resolve(spec, schema);
    let branch = schema["oneOf"].as_array().and_then(|b| b.iter().find(|s| s["type"] != "null"));
    branch.map_or(schema, |b| resolve(spec, b))
}

/// A value `schema` accepts, drawn at random (bounds included).
fn sample(spec: &Value, schema: &Value, rng: &mut ChaCha8Rng) -> Value {
    let schema = non_null(spec, schema);
    if let Some(values) = schema["enum"].as_array() {
        return values[rng.random_range(0..values.len())].clone();
    }
    match type_of(schema) {
        "object" => sample_object(spec, schema, rng),
        "array" => json!([sample(spec, &schema["items"], rng)]),
        "integer" | "number" => {
            let low = schema["minimum"].as_i64().unwrap_or(0);
            let high = schema["maximum"].as_i64().unwrap_or(low + 1000);
            match rng.random_range(0..5) {
                0 => json!(low),
                1 => json!(high),
                _ => json!(rng.random_range(low..=high.min(low + 1000))),
            }
        }
        "boolean" => json!(rng.random_bool(0.5)),
        "string" => json!(sample_string(schema, rng)),
        _ => Value::Null,
    }
}

/// An object with every required property and some optional ones.
fn sample_object(spec: &Value, schema: &Value, rng: &mut ChaCha8Rng) -> Value {
    let required: Vec<&str> = schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let mut object = serde_json::Map::new();
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        if required.contains(&name.as_str()) || rng.random_bool(0.5) {
            object.insert(name.clone(), sample(spec, property, rng));
        }
    }
    Value::Object(object)
}

/// A string of the schema's format, pattern and length.
fn sample_string(schema: &Value, rng: &mut ChaCha8Rng) -> String {
    let n: u32 = rng.random();
    match (schema["format"].as_str(), schema["pattern"].as_str()) {
        (Some("uuid"), _) => uuid::Builder::from_random_bytes(rng.random()).into_uuid().to_string(),
        (Some("date"), _) => {
            let day = chrono::Utc::now().date_naive() - chrono::TimeDelta::days(rng.random_range(0..60));
            day.to_string()
        }
        (Some("date-time"), _) => chrono::Utc::now().to_rfc3339(),
        (Some("email"), _) => format!("spec-{n}@example.com"),
        (Some("uri"), _) => format!("http://127.0.0.1:9/hooks/{n}"),
        (_, Some("^[0-9a-f]{24}$")) => format!("{:024x}", u128::from(n) << 40),
        _ => {
            let low = schema["minLength"].as_u64().unwrap_or(1).max(1);
            let high = schema["maxLength"].as_u64().unwrap_or(24).min(low + 24);
            let length = rng.random_range(low..=high);
            (0..length).map(|i| char::from(b'a' + ((u64::from(n) + i) % 26) as u8)).collect()
        }
    }
}

/// Values `schema` refuses, each with how; `as_text` when they will be sent as query or path
/// text (so a wrong JSON type is no wrong value there).
fn spoils(spec: &Value, schema: &Value, as_text: bool) -> Vec<(Value, String)> {
    let schema = non_null(spec, schema);
    let mut all = Vec::new();
    if !as_text && type_of(schema) != "object" {
        all.push((json!({"wrong": "type"}), "an object for a scalar".to_owned()));
    }
    if schema["enum"].is_array() {
        all.push((json!("not_a_member"), "a value outside the enum".into()));
        return all;
    }
    match type_of(schema) {
        "integer" | "number" => {
            if let Some(max) = schema["maximum"].as_i64() {
                all.push((json!(max + 1), format!("{} (maximum {max})", max + 1)));
            }
            if let Some(min) = schema["minimum"].as_i64() {
                all.push((json!(min - 1), format!("{} (minimum {min})", min - 1)));
            }
            all.push((json!("twelve"), "text for a number".into()));
            all.push((json!(1.5), "a fraction for an integer".into()));
        }
        "boolean" => all.push((json!("maybe"), "text for a boolean".into())),
        "string" => all.extend(spoil_string(schema)),
        "object" => all.push((json!("text"), "text for an object".into())),
        _ => {}
    }
    all
}

/// Strings that break the schema's format, pattern or lengths.
fn spoil_string(schema: &Value) -> Vec<(Value, String)> {
    let mut all = Vec::new();
    let format = match (schema["format"].as_str(), schema["pattern"].as_str()) {
        (Some("uuid"), _) => Some("not-a-uuid"),
        (Some("date"), _) => Some("2024-02-30"),
        (Some("email"), _) => Some("not-an-email"),
        (Some("uri"), _) => Some("not a url"),
        (_, Some("^[0-9a-f]{24}$")) => Some("NOT-HEX"),
        (_, Some("\\S")) => Some("   "),
        _ => None,
    };
    all.extend(format.map(|bad| (json!(bad), format!("{bad:?} against {schema}"))));
    if let Some(max) = schema["maxLength"].as_u64() {
        all.push((json!("x".repeat(max as usize + 1)), format!("{} characters (maxLength {max})", max + 1)));
    }
    if let Some(min) = schema["minLength"].as_u64().filter(|min| *min > 0) {
        all.push((json!("x".repeat(min as usize - 1)), format!("{} characters (minLength {min})", min - 1)));
    }
    all
}

/// A value as query or path text.
fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// A valid request: real ids, values drawn from each schema, some optional parts left out.
fn valid_case(spec: &Value, op: &Operation, fixtures: &Fixtures, rng: &mut ChaCha8Rng) -> Case {
    let mut path = op.template.clone();
    for parameter in op.parameters("path") {
        let name = parameter["name"].as_str().unwrap_or_default();
        let value = fixtures.id(op.id(), name).unwrap_or_else(|| as_text(&sample(spec, &parameter["schema"], rng)));
        path = path.replace(&format!("{{{name}}}"), &value);
    }
    let mut query = Vec::new();
    for parameter in op.parameters("query") {
        let name = parameter["name"].as_str().unwrap_or_default();
        // A cursor is opaque: only one the API handed out is valid.
        if name == "cursor" || !rng.random_bool(0.5) {
            continue;
        }
        let value = fixtures.id(op.id(), name).unwrap_or_else(|| as_text(&sample(spec, &parameter["schema"], rng)));
        query.push((name.to_owned(), value));
    }
    let body = match op.body_schema() {
        Some((_, true)) if rng.random_bool(0.3) => Body::None,
        Some((schema, _)) => Body::Json(with_fixtures(op.id(), sample(spec, &schema, rng), fixtures)),
        None => Body::None,
    };
    Case { path, query, body, token: Some(fixtures.token.clone()), spoiled: None }
}

/// A generated body with the real values a valid request of `operation` needs.
fn with_fixtures(operation: &str, mut body: Value, fixtures: &Fixtures) -> Value {
    match operation {
        "login" => {
            body["email"] = json!(fixtures.email);
            body["password"] = json!(PASSWORD);
        }
        "createConnection" => {
            body["providerId"] = json!(fixtures.ids["providerId"]);
            // A generated document breaks the rules the schema cannot say (unique refs, a
            // pending row's later day); a saved scenario is the valid one, or none.
            if let Some(fields) = body.as_object_mut() {
                fields.remove("scenario");
                if fields.contains_key("scenarioId") {
                    fields.insert("scenarioId".into(), json!(fixtures.ids["scenarioId"]));
                }
            }
        }
        "createScenario" => body = sandbank::routes::scenario_document::example(),
        // The sandbox's good user, or no credentials (which sign in as the good user).
        "authorizeConnection" if body.get("username").is_some() => {
            body = json!({"username": "user_good", "password": "pass_good"})
        }
        "authorizeConnection" => body = json!({}),
        _ => {}
    }
    body
}

/// Every way to spoil a valid `case` of `op` in one place, each as (how, spoiled case).
fn spoilings(spec: &Value, op: &Operation, case: &Case, fixtures: &Fixtures, rng: &mut ChaCha8Rng) -> Vec<Case> {
    let mut all = Vec::new();
    let mut spoiled = |how: String, change: &dyn Fn(&mut Case)| {
        let mut case = case.clone();
        change(&mut case);
        case.spoiled = Some(how);
        all.push(case);
    };
    if op.spec["security"].as_array().is_some_and(|s| !s.is_empty()) {
        spoiled("no session".into(), &|c| c.token = None);
    }
    for parameter in op.parameters("path") {
        let name = parameter["name"].as_str().unwrap_or_default().to_owned();
        let real = fixtures.id(op.id(), &name).expect("a fixture for every path parameter");
        let unknown = as_text(&sample(spec, &parameter["schema"], rng));
        spoiled(format!("unknown {name}"), &|c| c.path = c.path.replace(&real, &unknown));
        for (bad, how) in spoils(spec, &parameter["schema"], true) {
            spoiled(format!("{name}: {how}"), &|c| c.path = c.path.replace(&real, &as_text(&bad)));
        }
        spoiled("another user's session".into(), &|c| c.token = Some(fixtures.other_token.clone()));
    }
    for parameter in op.parameters("query") {
        let name = parameter["name"].as_str().unwrap_or_default().to_owned();
        let set = |c: &mut Case, value: &str| {
            c.query.retain(|(n, _)| *n != name);
            c.query.push((name.clone(), value.to_owned()));
        };
        spoiled(format!("{name} empty"), &|c| set(c, ""));
        for (bad, how) in spoils(spec, &parameter["schema"], true) {
            spoiled(format!("{name}: {how}"), &|c| set(c, &as_text(&bad)));
        }
    }
    if let Some((schema, _)) = op.body_schema() {
        for (how, body) in spoiled_bodies(spec, &schema, &case.body) {
            spoiled(how, &|c| c.body = body.clone());
        }
    }
    all
}

/// Bodies `schema` refuses: not JSON, not an object, a required field missing, a field of a
/// wrong value, a field it does not know.
fn spoiled_bodies(spec: &Value, schema: &Value, valid: &Body) -> Vec<(String, Body)> {
    let schema = non_null(spec, schema);
    let base = match valid {
        Body::Json(value) => value.clone(),
        _ => json!({}),
    };
    let too_large = format!("{{\"pad\": \"{}\"}}", "x".repeat(65 * 1024));
    let mut all = vec![
        ("malformed JSON".to_owned(), Body::Raw("application/json", "{\"".to_owned())),
        ("an array body".to_owned(), Body::Json(json!([1]))),
        ("a body over 64 KiB".to_owned(), Body::Raw("application/json", too_large)),
        ("a text/plain body".to_owned(), Body::Raw("text/plain", base.to_string())),
    ];
    for required in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        let mut body = base.clone();
        body.as_object_mut().map(|o| o.remove(required));
        all.push((format!("{required} missing"), Body::Json(body)));
    }
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        for (bad, how) in spoils(spec, property, false) {
            let mut body = base.clone();
            body[name] = bad;
            all.push((format!("{name}: {how}"), Body::Json(body)));
        }
    }
    if schema["additionalProperties"] == false {
        let mut body = base.clone();
        body["unexpected"] = json!(1);
        all.push(("an unknown field".to_owned(), Body::Json(body)));
    }
    all
}

/// Validators of the spec's schemas, compiled once each, with `$ref`s resolved to components.
struct Schemas<'a> {
    spec: &'a Value,
    compiled: HashMap<String, jsonschema::Validator>,
}

impl Schemas<'_> {
    /// The problems of `instance` against `schema` (empty when it validates).
    fn problems(&mut self, schema: &Value, instance: &Value) -> Vec<String> {
        let spec = self.spec;
        let validator = self.compiled.entry(schema.to_string()).or_insert_with(|| {
            // The schema sits under a root that holds the components, so `#/components/…` resolves.
            let root = json!({"allOf": [schema], "components": spec["components"]});
            let options = jsonschema::draft202012::options().should_validate_formats(true);
            options.build(&root).unwrap_or_else(|e| panic!("the spec's schema {schema} compiles: {e}"))
        });
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect()
    }
}

/// What is wrong with `reply` to `case` of `op`, by the spec.
fn disagreements(schemas: &mut Schemas<'_>, op: &Operation, case: &Case, reply: &Reply) -> Vec<String> {
    let status = reply.status.to_string();
    let Some(documented) = op.spec["responses"].get(&status).or_else(|| op.spec["responses"].get("default")) else {
        return vec![format!("status {status} is not documented: {:.300}", reply.text)];
    };
    let mut problems = Vec::new();
    if let (Some(how), true) = (&case.spoiled, reply.status < 300) {
        problems.push(format!("succeeded ({status}) although spoiled: {how}"));
    }
    let schema = &documented["content"]["application/json"]["schema"];
    if let Some(media) = documented["content"].as_object().and_then(|c| c.keys().find(|k| k.starts_with("text/"))) {
        // A text body (the CSV export): the documented media type, and something in it.
        if !reply.header("content-type").is_some_and(|t| t.starts_with(media.as_str())) || reply.text.is_empty() {
            problems.push(format!(
                "{status} documents {media}, got {:?}: {:.200}",
                reply.header("content-type"),
                reply.text
            ));
        }
    } else if schema.is_null() {
        if !reply.text.is_empty() {
            problems.push(format!("{status} documents no body, got {:.200}", reply.text));
        }
    } else if reply.json.is_null() {
        problems.push(format!("{status}: the body is not JSON: {:.200}", reply.text));
    } else {
        for problem in schemas.problems(schema, &reply.json) {
            problems.push(format!("{status}: {problem}; body {:.300}", reply.text));
        }
    }
    for name in documented["headers"].as_object().into_iter().flatten().map(|(name, _)| name) {
        if reply.header(name).is_none() {
            problems.push(format!("{status} lacks the documented header {name}"));
        }
    }
    problems
}

/// The operations of the document, those that end fixtures last.
fn operations(spec: &Value) -> Vec<Operation> {
    let mut all = Vec::new();
    for (template, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            all.push(Operation { method: method.to_uppercase(), template: template.clone(), spec: operation.clone() });
        }
    }
    all.sort_by_key(|op| RUN_LAST.iter().position(|id| *id == op.id()));
    all
}

/// Sends `case` as a request of `op` (a logout signs in afresh, so other cases keep a session).
async fn send(app: &TestApp, op: &Operation, case: &Case, fixtures: &Fixtures) -> Reply {
    let mut token = case.token.clone();
    if op.id() == "logout" && token.as_deref() == Some(fixtures.token.as_str()) {
        let body = json!({"email": fixtures.email, "password": PASSWORD});
        token = app.post_json("/api/auth/login", None, &body).await.json["token"].as_str().map(str::to_owned);
    }
    let query: Vec<String> = case.query.iter().map(|(n, v)| format!("{n}={}", form_encode(v))).collect();
    let target = if query.is_empty() { case.path.clone() } else { format!("{}?{}", case.path, query.join("&")) };
    let call = app.call(&op.method, &target).bearer(token.as_deref());
    match &case.body {
        Body::None => call.send().await,
        Body::Json(body) => call.json(body).send().await,
        Body::Raw(content_type, text) => call.body(content_type, text.as_bytes().to_vec()).send().await,
    }
}

/// `case` in a line: the operation, the request, who sent it, how it was spoiled.
fn describe(op: &Operation, case: &Case, fixtures: &Fixtures) -> String {
    let who = match case.token.as_deref() {
        None => "no session",
        Some(token) if token == fixtures.token => "the owner",
        Some(_) => "another user",
    };
    let body = match &case.body {
        Body::None => String::new(),
        Body::Json(body) => format!(" {body}"),
        Body::Raw(content_type, text) => format!(" {content_type} {text:.60}"),
    };
    let spoiled = case.spoiled.as_deref().map_or("valid".to_owned(), |how| format!("spoiled: {how}"));
    format!("{} {} {} {:?}{body} as {who} ({spoiled})", op.id(), op.method, case.path, case.query)
}

/// The cases of one operation: valid and spoiled in turn.
fn cases(spec: &Value, op: &Operation, fixtures: &Fixtures, rng: &mut ChaCha8Rng) -> Vec<Case> {
    (0..CASES_PER_OPERATION)
        .map(|i| {
            let valid = valid_case(spec, op, fixtures, rng);
            let mut ways = spoilings(spec, op, &valid, fixtures, rng);
            if i % 2 == 0 || ways.is_empty() { valid } else { ways.swap_remove(rng.random_range(0..ways.len())) }
        })
        .collect()
}

on_both_backends! {
    async fn every_operation_answers_as_its_spec_says(app: TestApp) {
        let spec = app.get("/api-docs/openapi.json", None).await.json;
        let fixtures = Fixtures::build(&app).await;
        let seed = std::env::var("SANDBANK_SPEC_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(SEED);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut schemas = Schemas { spec: &spec, compiled: HashMap::new() };
        let error_schema = json!({"$ref": "#/components/schemas/ErrorResponse"});
        assert!(!schemas.problems(&error_schema, &json!({"error": {"code": "nope"}})).is_empty(), "the validator validates");
        let (mut failures, mut sent, mut never_succeeded) = (Vec::new(), 0, Vec::new());
        for op in &operations(&spec) {
            let mut succeeded = false;
            for case in cases(&spec, op, &fixtures, &mut rng) {
                let reply = send(&app, op, &case, &fixtures).await;
                sent += 1;
                succeeded |= reply.status < 300;
                for problem in disagreements(&mut schemas, op, &case, &reply) {
                    failures.push(format!("{}: {problem}", describe(op, &case, &fixtures)));
                }
            }
            if !succeeded {
                never_succeeded.push(op.id().to_owned());
            }
        }
        eprintln!("spec agreement: {sent} requests, seed {seed}");
        if !never_succeeded.is_empty() {
            failures.push(format!("no valid request succeeded for {never_succeeded:?}"));
        }
        assert!(failures.is_empty(), "{} disagreements:\n{}", failures.len(), failures.join("\n"));
    }

    async fn every_request_and_success_response_has_an_example_that_its_schema_accepts(app: TestApp) {
        let spec = app.get("/api-docs/openapi.json", None).await.json;
        let mut schemas = Schemas { spec: &spec, compiled: HashMap::new() };
        let (mut missing, mut invalid) = (Vec::new(), Vec::new());
        for op in &operations(&spec) {
            for (part, example, schema) in examples(&spec, op, &mut missing) {
                let problems = schemas.problems(&schema, &example);
                if !problems.is_empty() {
                    invalid.push(format!("{part}: {problems:?}"));
                }
            }
        }
        assert!(missing.is_empty(), "no example for {missing:#?}");
        assert!(invalid.is_empty(), "examples the schema refuses: {invalid:#?}");
    }
}

/// The examples of `op`'s request body and success responses, each named, with its schema;
/// an operation's part without an example is listed in `missing`.
fn examples(spec: &Value, op: &Operation, missing: &mut Vec<String>) -> Vec<(String, Value, Value)> {
    let mut parts = Vec::new();
    if let Some((schema, _)) = op.body_schema() {
        parts.push(("request body".to_owned(), op.spec["requestBody"]["content"]["application/json"].clone(), schema));
    }
    for (status, response) in op.spec["responses"].as_object().into_iter().flatten() {
        let media = &response["content"]["application/json"];
        if status.starts_with('2') && !media.is_null() {
            parts.push((format!("{status} response"), media.clone(), media["schema"].clone()));
        }
    }
    let mut found = Vec::new();
    for (part, media, schema) in parts {
        let example = media.get("example").or_else(|| non_null(spec, &schema).get("example")).cloned();
        match example {
            Some(example) => found.push((format!("{} {part}", op.id()), example, schema)),
            None => missing.push(format!("{} {part}", op.id())),
        }
    }
    found
}
