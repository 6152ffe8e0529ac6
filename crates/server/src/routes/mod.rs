//! The HTTP routes, each with its OpenAPI description.

pub mod accounts;
pub mod auth;
pub mod changes;
pub mod connections;
pub mod developer;
pub mod developer_keys;
pub mod health;
pub mod jobs;
pub mod providers;
pub mod recurring;
pub mod sandbox;
pub mod scenario_document;
pub mod scenarios;
pub mod transactions;
pub mod webhooks;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented route.
pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(auth::register)
        .service(auth::login)
        .service(auth::logout)
        .service(auth::me)
        .service(providers::list_providers)
        .service(connections::list_connections)
        .service(connections::create_connection)
        .service(connections::get_connection)
        .service(connections::update_connection)
        .service(connections::sync_connection)
        .service(connections::disconnect_connection)
        .service(connections::authorize_connection)
        .service(accounts::list_accounts)
        .service(accounts::get_account)
        .service(accounts::get_account_balances)
        .service(changes::list_transaction_changes)
        .service(transactions::export_transactions)
        .service(transactions::list_transactions)
        .service(transactions::list_account_transactions)
        .service(recurring::list_recurring_charges)
        .service(sandbox::simulate)
        .service(jobs::get_job)
        .service(developer::get_webhook_secret)
        .service(developer::rotate_webhook_secret)
        .service(developer_keys::create_developer_key)
        .service(developer_keys::list_developer_keys)
        .service(developer_keys::revoke_developer_key)
        .service(webhooks::list_webhook_deliveries)
        .service(webhooks::retry_webhook_delivery)
        .service(
            utoipa_actix_web::scope("/api/sandbox/scenarios")
                .app_data(crate::error::json_config().limit(scenarios::SCENARIO_LIMIT_BYTES))
                .service(scenarios::create_scenario)
                .service(scenarios::list_scenarios)
                .service(scenarios::get_scenario)
                .service(scenarios::delete_scenario),
        );
}
