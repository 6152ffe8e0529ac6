//! `Application::build`: migrates, binds and assembles the server. `main` and every
//! integration test start the server through it.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, web};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sandbank_services::accounts::AccountService;
use sandbank_services::connections::{ConnectionService, SyncPolicy};
use sandbank_services::csrf::CsrfTokens;
use sandbank_services::dashboard::DashboardService;
use sandbank_services::fake_provider::FakeBankProvider;
use sandbank_services::jobs::{self, DEFAULT_LEASE, JobQueue, Worker};
use sandbank_services::rate_limit::Limits;
use sandbank_services::token_vault::TokenVault;
use sandbank_services::transactions::TransactionService;
use sandbank_services::{AuthService, CatalogService, Db, Secret, ServiceError};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Settings;
use crate::edges::{self, http_edges};
use crate::error;
use crate::openapi::ApiDoc;
use crate::pages;
use crate::request_context::request_context;
use crate::routes;
use crate::state::AppState;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The database could not be opened or migrated.
    #[error(transparent)]
    Store(#[from] sandbank_services::StoreError),
    /// Keys could not be derived.
    #[error(transparent)]
    Service(#[from] sandbank_services::ServiceError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
}

/// A built server, bound and ready to run (with its background workers, if any).
pub struct Application {
    port: u16,
    server: Server,
    workers: WorkerGuard,
}

/// Stops this process's background workers when dropped.
#[derive(Debug)]
pub struct WorkerGuard(Option<Arc<AtomicBool>>);

impl Drop for WorkerGuard {
    fn drop(&mut self) {
        if let Some(stop) = &self.0 {
            stop.store(true, Ordering::Relaxed);
        }
    }
}

/// The connection lifecycle over the fake bank, sealing tokens with `secret` and opening those
/// that `previous` secrets sealed. Shared by `serve` and `worker`.
pub fn connection_service(
    db: &Db,
    secret: &Secret,
    previous: &[Secret],
    limits: Limits,
    sync: SyncPolicy,
) -> Result<ConnectionService, ServiceError> {
    let previous_keys = previous.iter().map(|s| s.keys().map(|k| k.token_sealing)).collect::<Result<Vec<_>, _>>()?;
    let vault = Arc::new(TokenVault::with_previous(&secret.keys()?.token_sealing, &previous_keys)?);
    Ok(ConnectionService::new(db.clone(), Arc::new(FakeBankProvider), vault, limits, sync))
}

impl Application {
    /// Opens and migrates the database, binds the address, and builds the server.
    pub fn build(settings: Settings) -> Result<Self, StartupError> {
        let db = Db::open(&settings.database_url)?;
        let applied = db.migrate()?;
        tracing::info!(backend = settings.database_url.backend_name(), applied, "database ready");
        let catalog = CatalogService::new(db.clone());
        catalog.seed()?;
        let keys = settings.secret.keys()?;
        let connections =
            connection_service(&db, &settings.secret, &settings.previous_secrets, settings.limits, settings.sync)?;
        let queue = JobQueue::new(db.clone(), settings.retry);
        let workers = WorkerGuard(start_workers(&settings, &db, &connections, &queue));
        let state = AppState {
            jobs: queue,
            auth: AuthService::new(db.clone(), keys.clone(), settings.limits),
            catalog,
            connections,
            accounts: AccountService::new(db.clone()),
            transactions: TransactionService::new(db.clone(), &keys.cursor_signing),
            dashboard: DashboardService::new(db.clone()),
            csrf: CsrfTokens::new(&keys.form_signing),
            db,
            cookie_secure: settings.cookie_secure,
            trusted_proxies: settings.trusted_proxies.clone(),
        };
        let listener = TcpListener::bind(&settings.addr)
            .map_err(|source| StartupError::Bind { addr: settings.addr.clone(), source })?;
        let port =
            listener.local_addr().map_err(|source| StartupError::Bind { addr: settings.addr.clone(), source })?.port();
        let state = web::Data::new(state);
        let server = edges::serve(listener, settings.http_workers, move || {
            let (app, api) = App::new()
                .into_utoipa_app()
                .openapi(ApiDoc::openapi())
                .app_data(state.clone())
                .app_data(error::json_config())
                .app_data(error::path_config())
                .app_data(error::query_config())
                .app_data(error::form_config())
                .configure(routes::configure)
                .split_for_parts();
            app.service(SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", api))
                .route("/static/logos/{file}", web::get().to(routes::providers::logo))
                .configure(pages::configure)
                .wrap(from_fn(http_edges))
                .wrap(from_fn(request_context))
        })
        .map_err(|source| StartupError::Bind { addr: settings.addr.clone(), source })?;
        tracing::info!(addr = %settings.addr, port, "listening");
        Ok(Self { port, server, workers })
    }

    /// The bound port (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the process is told to stop.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Self { server, workers, .. } = self;
        let result = server.await;
        drop(workers);
        result
    }

    /// Takes the worker guard: the workers stop when it is dropped (tests keep it to stop them).
    pub fn take_workers(&mut self) -> WorkerGuard {
        WorkerGuard(self.workers.0.take())
    }
}

/// Starts `settings.workers` background workers (and the sync scheduler) in this process.
pub fn start_workers(
    settings: &Settings,
    db: &Db,
    connections: &ConnectionService,
    queue: &JobQueue,
) -> Option<Arc<AtomicBool>> {
    if settings.workers == 0 && settings.sync_every.is_none() {
        return None;
    }
    let name = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    let worker = Worker::new(db.clone(), connections.clone(), settings.retry, DEFAULT_LEASE, name);
    tracing::info!(workers = settings.workers, sync_every = ?settings.sync_every, "background workers started");
    Some(jobs::spawn(
        queue.clone(),
        worker,
        settings.workers,
        settings.sync_every,
        std::time::Duration::from_millis(50),
    ))
}
