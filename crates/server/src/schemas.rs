//! The OpenAPI schemas of the domain's closed sets. The domain's enums know nothing of utoipa,
//! so each gets a marker type here whose schema lists the enum's own text forms (`TEXTS`): the
//! code and the spec cannot disagree. DTO fields name them with `#[schema(value_type = …)]`.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// The pattern of a money amount: a decimal string with two decimals, signed when negative.
pub const MONEY_PATTERN: &str = r"^-?[0-9]+\.[0-9]{2}$";

/// A string schema listing `texts` as its enum.
fn text_enum(texts: &[&str], description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(texts.iter().copied()))
        .description(Some(description))
        .into()
}

/// The `fields` of a validation error: each bad field (named as in the request: a body field,
/// a query parameter, a path segment) with its problems in plain words.
pub struct FieldProblems;

impl PartialSchema for FieldProblems {
    fn schema() -> RefOr<Schema> {
        let problems = ArrayBuilder::new().items(ObjectBuilder::new().schema_type(Type::String));
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .additional_properties(Some(problems))
            .description(Some(
                "Each bad field with its problems, e.g. `{\"limit\": [\"must be a whole number from 1 to 500\"]}`.",
            ))
            .into()
    }
}

impl ToSchema for FieldProblems {}

/// Declares a marker type per domain enum, named as the schema is, and `all()` of them.
macro_rules! text_enum_schemas {
    ($($name:ident => $domain:ty, $description:literal;)+) => {
        $(
            #[doc = $description]
            pub struct $name;

            impl PartialSchema for $name {
                fn schema() -> RefOr<Schema> {
                    text_enum(<$domain>::TEXTS, $description)
                }
            }

            impl ToSchema for $name {}
        )+

        /// Every enum schema with its name, as the document's components list them.
        pub fn all() -> Vec<(String, RefOr<Schema>)> {
            let mut schemas = vec![$((<$name as ToSchema>::name().into_owned(), <$name as PartialSchema>::schema())),+];
            schemas.push((FieldProblems::name().into_owned(), FieldProblems::schema()));
            schemas
        }
    };
}

use sandbank_domain::{
    account, connection, job, provider, recurring, scenario, transaction, transaction_query, webhook,
};

text_enum_schemas! {
    ErrorCode => sandbank_domain::ErrorCode, "Why a request failed, for machines.";
    ConnectionStatus => connection::ConnectionStatus, "Where a connection is in its lifecycle.";
    ConnectionErrorCode => connection::ProblemCode, "Why a connection is in `error` or `expired`.";
    SandboxFault => connection::SandboxFault, "A fault the sandbox controls have switched on.";
    SandboxEvent => connection::SandboxEvent, "A sandbox control to apply.";
    AccountType => account::AccountType, "The kind of an account.";
    AccountSubtype => account::AccountSubtype, "The product line of an account.";
    AccountStatus => account::AccountStatus, "Whether an account is still connected (else kept read-only).";
    TransactionType => transaction::TransactionType, "`debit` (amount < 0) or `credit` (amount > 0).";
    TransactionStatus => transaction::TransactionStatus, "Where a transaction is: pending, posted or refunded.";
    PaymentChannel => transaction::PaymentChannel, "How a payment was made.";
    Category => transaction::Category, "What a transaction was for.";
    Cadence => recurring::Cadence, "How often a recurring charge comes.";
    SortBy => transaction_query::SortBy, "What a transaction listing is ordered by; ties are broken by id.";
    SortOrder => transaction_query::SortOrder, "Which way a listing is ordered.";
    JobKind => job::JobKind, "What a background job does.";
    JobStatus => job::JobStatus, "Where a background job is.";
    ProviderStatus => provider::ProviderStatus, "Whether a provider answers normally.";
    WebhookEventType => webhook::WebhookEventType, "What a webhook event reports.";
    ScenarioEventKind => scenario::ScenarioEventKind, "What a scenario's event does when its day comes.";
    ScenarioRowStatus => scenario::ScenarioRowStatus, "A scripted row's status when it first shows.";
    DeliveryStatus => webhook::DeliveryStatus, "`pending` (not tried yet, or retried on request), `succeeded` (2xx), `retrying` (the last attempt failed; another is due at `nextAttemptAt`), `failed` (every attempt failed).";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_schema_lists_its_enums_text_forms() {
        let schemas = all();
        let (name, schema) = schemas.iter().find(|(name, _)| name == "Category").expect("Category");
        let json = serde_json::to_value(schema).expect("json");
        assert_eq!(name, "Category");
        assert_eq!(json["type"], "string");
        assert_eq!(json["enum"], serde_json::json!(transaction::Category::TEXTS));
        assert!(schemas.iter().any(|(name, _)| name == "ErrorCode"));
    }
}
