//! The one place the services are built from the [`Settings`]: `serve` (through
//! [`Application::build`](crate::Application::build), as every test does) and `worker` start here.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use sandbank_services::jobs::{self, DEFAULT_LEASE, JobQueue, WebhookDeliverer, Worker};
use sandbank_services::providers::fake::FakeBankProvider;
use sandbank_services::security::csrf::CsrfTokens;
use sandbank_services::security::item_tokens::ItemTokens;
use sandbank_services::security::token_vault::TokenVault;
use sandbank_services::security::webhook_jwt::WebhookJwt;
use sandbank_services::use_cases::accounts::AccountService;
use sandbank_services::use_cases::connections::ConnectionService;
use sandbank_services::use_cases::dashboard::DashboardService;
use sandbank_services::use_cases::developer_keys::DeveloperKeyService;
use sandbank_services::use_cases::feed::FeedService;
use sandbank_services::use_cases::link::LinkService;
use sandbank_services::use_cases::recurring::RecurringService;
use sandbank_services::use_cases::scenarios::ScenarioService;
use sandbank_services::use_cases::transactions::TransactionService;
use sandbank_services::use_cases::webhook_secrets::WebhookSecretService;
use sandbank_services::use_cases::webhooks::WebhookService;
use sandbank_services::{AuthService, CatalogService, Db, ServiceError};

use crate::config::Settings;

/// How long an idle background worker waits before it looks for a job again.
const WORKER_IDLE: std::time::Duration = std::time::Duration::from_millis(50);

/// Every service, built from one [`Settings`] over one database.
#[derive(Debug, Clone)]
pub struct Services {
    /// The database, for health checks.
    pub db: Db,
    /// Sign-up, sign-in and sessions.
    pub auth: AuthService,
    /// The providers.
    pub catalog: CatalogService,
    /// The connection lifecycle.
    pub connections: ConnectionService,
    /// Accounts and balances.
    pub accounts: AccountService,
    /// Transaction listings.
    pub transactions: TransactionService,
    /// The change feed.
    pub feed: FeedService,
    /// The Plaid API's public and access tokens.
    pub item_tokens: ItemTokens,
    /// The Plaid API's Link: link tokens, hosted sessions, the items they make, public tokens.
    pub link: LinkService,
    /// Saved scenarios.
    pub scenarios: ScenarioService,
    /// The dashboard's figures.
    pub dashboard: DashboardService,
    /// Recurring charges (subscriptions and bills) found in the history.
    pub recurring: RecurringService,
    /// Background jobs.
    pub jobs: JobQueue,
    /// CSRF tokens of the HTML forms.
    pub csrf: CsrfTokens,
    /// Users' webhook signing secrets.
    pub webhook_secrets: WebhookSecretService,
    /// Webhook deliveries: the listing, retries, the sandbox's events.
    pub webhooks: WebhookService,
    /// Signs Plaid-format webhooks; its JWK is `/plaid/webhook_verification_key/get`'s answer.
    pub webhook_jwt: WebhookJwt,
    /// Developer API keys (the Plaid-compatible API's `client_id` / `secret`).
    pub developer_keys: DeveloperKeyService,
    /// Sends webhook deliveries (for the workers).
    deliverer: WebhookDeliverer,
}

impl Services {
    /// Builds every service over `db` with the keys, limits and policies of `settings`.
    pub fn build(settings: &Settings, db: Db) -> Result<Self, ServiceError> {
        let keys = settings.secret.keys()?;
        let webhook_secrets = webhook_secret_service(&db, settings)?;
        let webhook_jwt = WebhookJwt::new(&keys.webhook_jwt_signing)?;
        let (secrets, jwt, retry) = (webhook_secrets.clone(), webhook_jwt.clone(), settings.webhook_retry);
        let connections = connection_service(&db, settings)?;
        let item_tokens = ItemTokens::new(&keys.item_token_signing);
        Ok(Self {
            webhooks: WebhookService::new(db.clone()),
            deliverer: WebhookDeliverer::new(db.clone(), secrets, jwt, retry),
            webhook_jwt,
            auth: AuthService::new(db.clone(), keys.clone(), settings.limits),
            catalog: CatalogService::new(db.clone()),
            link: LinkService::new(db.clone(), connections.clone(), item_tokens.clone()),
            connections,
            accounts: AccountService::new(db.clone()),
            transactions: TransactionService::new(db.clone(), &keys.cursor_signing),
            feed: FeedService::new(db.clone(), &keys.cursor_signing, settings.change_retention),
            item_tokens,
            scenarios: ScenarioService::new(db.clone()),
            dashboard: DashboardService::new(db.clone()),
            recurring: RecurringService::new(db.clone()),
            jobs: JobQueue::new(db.clone(), settings.retry),
            csrf: CsrfTokens::new(&keys.form_signing),
            webhook_secrets,
            developer_keys: DeveloperKeyService::new(db.clone()),
            db,
        })
    }

    /// Starts `count` background workers (and the sync scheduler, when `settings` ask for one)
    /// in this process; they stop when the returned flag is set.
    pub fn spawn_workers(&self, settings: &Settings, count: usize) -> Arc<AtomicBool> {
        let name = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
        let (db, connections, deliverer) = (self.db.clone(), self.connections.clone(), self.deliverer.clone());
        let worker = Worker::new(db, connections, deliverer, settings.retry, DEFAULT_LEASE, name);
        jobs::spawn(self.jobs.clone(), worker, count, settings.sync_every, WORKER_IDLE)
    }
}

/// The connection lifecycle over the fake bank, sealing tokens with the current secret and
/// opening those that previous secrets sealed.
fn connection_service(db: &Db, settings: &Settings) -> Result<ConnectionService, ServiceError> {
    let previous_keys =
        settings.previous_secrets.iter().map(|s| s.keys().map(|k| k.token_sealing)).collect::<Result<Vec<_>, _>>()?;
    let vault = Arc::new(TokenVault::with_previous(&settings.secret.keys()?.token_sealing, &previous_keys)?);
    Ok(ConnectionService::new(db.clone(), Arc::new(FakeBankProvider), vault, settings.limits, settings.sync))
}

/// Webhook signing secrets, sealed with the current server secret's key and opened with the
/// current or a previous one.
fn webhook_secret_service(db: &Db, settings: &Settings) -> Result<WebhookSecretService, ServiceError> {
    let previous_keys = settings
        .previous_secrets
        .iter()
        .map(|s| s.keys().map(|k| k.webhook_secret_sealing))
        .collect::<Result<Vec<_>, _>>()?;
    let vault = TokenVault::with_previous(&settings.secret.keys()?.webhook_secret_sealing, &previous_keys)?;
    Ok(WebhookSecretService::new(db.clone(), Arc::new(vault)))
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use sandbank_services::security::rate_limit::{Limit, Limits};
    use sandbank_services::{Secret, ServiceError};
    use sandbank_store::test_database::{TestBackend, TestDatabase};

    use super::*;

    fn settings(database: &TestDatabase, limits: Limits) -> Settings {
        Settings {
            addr: "127.0.0.1:0".into(),
            database_url: database.url().clone(),
            secret: Secret::from_config(&"s".repeat(32)).expect("long enough"),
            previous_secrets: Vec::new(),
            cookie_secure: false,
            http_workers: 1,
            limits,
            trusted_proxies: Default::default(),
            workers: 0,
            sync_every: None,
            retry: Default::default(),
            webhook_retry: Default::default(),
            sync: Default::default(),
            change_retention: chrono::TimeDelta::days(30),
            page_cache_bytes: crate::config::DEFAULT_PAGE_CACHE_MB << 20,
        }
    }

    /// Issue #20, item 2: the services (the worker's too) are built with the configured limits,
    /// not `Limits::default()`: with one connection a minute, the second is refused.
    #[test]
    fn issue_20_services_take_the_limits_of_the_settings() {
        for backend in [TestBackend::Sqlite, TestBackend::Postgres] {
            let Some(database) = TestDatabase::create(backend) else { continue };
            let limits = Limits { connection_creations: Limit::per_minute(1), ..Limits::default() };
            let db = database.migrated();
            let services = Services::build(&settings(&database, limits), db).expect("built");
            services.catalog.seed().expect("seeded");
            let client = IpAddr::V4(Ipv4Addr::LOCALHOST);
            let user = services.auth.register(client, Some("limits@example.com"), Some("correct horse battery"), None);
            let user = user.expect("registered").user.id;
            let chase = sandbank_fakebank::catalog::provider("chase").expect("chase").id.as_str();
            services
                .connections
                .create(user, Some(chase), None, (None, sandbank_domain::webhook::WebhookFormat::Sandbank), None)
                .expect("the first connection");
            let sandbank = (None, sandbank_domain::webhook::WebhookFormat::Sandbank);
            let second = services.connections.create(user, Some(chase), None, sandbank, None);
            assert!(matches!(second, Err(ServiceError::RateLimited { .. })), "{backend:?}: {second:?}");
        }
    }
}
