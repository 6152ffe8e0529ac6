//! `Application::build`: migrates, binds and assembles the server. `main` and every
//! integration test start the server through it.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, web};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sandbank_services::Db;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Settings;
use crate::edges::{self, http_edges};
use crate::error;
use crate::openapi::ApiDoc;
use crate::pages;
use crate::plaid;
use crate::request_context::request_context;
use crate::routes;
use crate::state::AppState;
use crate::wiring::Services;

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

impl Application {
    /// Opens and migrates the database, builds the services, starts the background workers the
    /// settings ask for, binds the address, and builds the server.
    pub fn build(settings: Settings) -> Result<Self, StartupError> {
        let services = Services::build(&settings, open_database(&settings)?)?;
        services.catalog.seed()?;
        let workers = WorkerGuard(start_workers(&settings, &services));
        let (listener, port) = bind(&settings.addr)?;
        let state = web::Data::new(AppState::new(services, &settings));
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
            app.service(
                SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", crate::openapi::complete(api)),
            )
            .route("/static/logos/{file}", web::get().to(routes::providers::logo))
            .configure(pages::configure)
            .configure(plaid::configure)
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

/// Opens the database of `settings` and applies pending migrations.
fn open_database(settings: &Settings) -> Result<Db, StartupError> {
    let db = Db::open(&settings.database_url)?;
    let applied = db.migrate()?;
    tracing::info!(backend = settings.database_url.backend_name(), applied, "database ready");
    Ok(db)
}

/// Starts `settings.workers` background workers (and the sync scheduler) in this process, if
/// the settings ask for either.
fn start_workers(settings: &Settings, services: &Services) -> Option<Arc<AtomicBool>> {
    if settings.workers == 0 && settings.sync_every.is_none() {
        return None;
    }
    tracing::info!(workers = settings.workers, sync_every = ?settings.sync_every, "background workers started");
    Some(services.spawn_workers(settings, settings.workers))
}

/// Binds `addr`; returns the listener and its port (the one picked, with port 0).
fn bind(addr: &str) -> Result<(TcpListener, u16), StartupError> {
    let failed = |source| StartupError::Bind { addr: addr.to_owned(), source };
    let listener = TcpListener::bind(addr).map_err(failed)?;
    let port = listener.local_addr().map_err(failed)?.port();
    Ok((listener, port))
}
