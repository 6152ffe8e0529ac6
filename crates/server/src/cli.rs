//! The command line (clap): flags override the environment, which overrides the defaults.

use clap::{Args, Parser, Subcommand};
use sandbank_domain::job::RetryPolicy;
use sandbank_services::connections::SyncPolicy;
use sandbank_services::demo::{DEMO_PASSWORD, DemoData};
use sandbank_services::jobs::{self, DEFAULT_LEASE, JobQueue, Worker};
use sandbank_services::rate_limit::{Limit, Limits};
use sandbank_services::{CatalogService, DatabaseUrl, Db};

use crate::app::connection_service;
use crate::client_address::TrustedProxies;
use crate::config::{self, DEFAULT_ADDR, DEFAULT_DATABASE_URL, Settings};

/// Sandbank: a self-hosted sandbox for financial-data aggregation.
#[derive(Debug, Parser)]
#[command(name = "sandbank", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (migrates the database first).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseArgs),
    /// Migrate, then insert or refresh the provider catalog (idempotent).
    Seed(DatabaseArgs),
    /// Print the OpenAPI document (JSON) to standard output.
    Openapi,
    /// Run only background workers (and the sync scheduler), no HTTP.
    Worker(WorkerArgs),
    /// Fill the database with demo users holding many transactions (for trying things out and
    /// for load tests). Rerun after an interrupted run, it goes on where that one stopped.
    DemoData(DemoArgs),
}

/// Where the database is.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Database URL: `sqlite://path/to/file.db` or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

/// Options of `demo-data`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many demo users (`demo-1@sandbank.test`, …).
    #[arg(long, default_value_t = 1)]
    pub users: usize,
    /// How many transactions each holds.
    #[arg(long, default_value_t = 10_000)]
    pub transactions_per_user: usize,
    /// The database.
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Background workers and their retry policy.
#[derive(Debug, Args)]
pub struct BackgroundArgs {
    /// Background workers in this process (`serve`: 0 runs none).
    #[arg(long, env = "SANDBANK_WORKERS", default_value_t = 1)]
    pub workers: usize,
    /// Queue a sync of every connected connection this often, in seconds (0: never).
    #[arg(long, env = "SANDBANK_SYNC_INTERVAL_SECS", default_value_t = 900)]
    pub sync_interval_secs: u64,
    /// First retry delay of a failed job, in milliseconds.
    #[arg(long, env = "SANDBANK_RETRY_BASE_MS", default_value_t = 2000)]
    pub retry_base_ms: i64,
    /// How much each retry delay grows.
    #[arg(long, env = "SANDBANK_RETRY_FACTOR", default_value_t = 2)]
    pub retry_factor: u32,
    /// The longest retry delay, in seconds.
    #[arg(long, env = "SANDBANK_RETRY_CAP_SECS", default_value_t = 300)]
    pub retry_cap_secs: i64,
    /// Attempts before a job fails for good.
    #[arg(long, env = "SANDBANK_RETRY_ATTEMPTS", default_value_t = 5)]
    pub retry_attempts: u32,
    /// How long a sync's lease on its connection lasts unless renewed, in seconds (a sync whose
    /// process died holds up the next one at most this long).
    #[arg(long, env = "SANDBANK_SYNC_LEASE_SECS", default_value_t = 15)]
    pub sync_lease_secs: u64,
}

impl BackgroundArgs {
    fn retry(&self) -> RetryPolicy {
        RetryPolicy {
            base: chrono::TimeDelta::milliseconds(self.retry_base_ms.max(1)),
            factor: self.retry_factor.max(1),
            cap: chrono::TimeDelta::seconds(self.retry_cap_secs.max(1)),
            max_attempts: self.retry_attempts.max(1),
        }
    }

    fn sync_policy(&self) -> SyncPolicy {
        SyncPolicy { lease: std::time::Duration::from_secs(self.sync_lease_secs.max(1)), ..SyncPolicy::default() }
    }

    fn sync_every(&self) -> Option<std::time::Duration> {
        (self.sync_interval_secs > 0).then(|| std::time::Duration::from_secs(self.sync_interval_secs))
    }
}

/// Options of `worker`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// The workers.
    #[command(flatten)]
    pub background: BackgroundArgs,
    /// The database.
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (`host:port`).
    #[arg(long, env = "SANDBANK_ADDR", default_value = DEFAULT_ADDR)]
    pub addr: String,
    /// Connections a user may create per minute.
    #[arg(long, env = "SANDBANK_CONNECTIONS_PER_MINUTE", default_value_t = 10)]
    pub connections_per_minute: u32,
    /// Failed sign-ins allowed per e-mail address and client address per minute.
    #[arg(long, env = "SANDBANK_LOGINS_PER_MINUTE", default_value_t = 10)]
    pub logins_per_minute: u32,
    /// Sign-ups and sign-ins together allowed per client address per minute.
    #[arg(long, env = "SANDBANK_AUTH_PER_ADDRESS_PER_MINUTE", default_value_t = 60)]
    pub auth_per_address_per_minute: u32,
    /// Proxies (comma-separated CIDRs or addresses) whose `X-Forwarded-For` names the client.
    #[arg(long, env = "SANDBANK_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: TrustedProxies,
    /// The database.
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Background workers.
    #[command(flatten)]
    pub background: BackgroundArgs,
}

/// Runs the command line; returns an error message for `main` to print.
pub fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Openapi => {
            print!("{}", crate::openapi::document_json());
            Ok(())
        }
        Command::Migrate(args) => migrated_database(&args).map(|_| ()),
        Command::Seed(args) => {
            let db = migrated_database(&args)?;
            let outcome = CatalogService::new(db).seed().map_err(|e| e.to_string())?;
            println!("providers: {} inserted, {} updated", outcome.inserted, outcome.updated);
            Ok(())
        }
        Command::DemoData(args) => demo_data(&args),
        Command::Worker(args) => run_workers(&args),
        Command::Serve(args) => {
            let settings = serve_settings(args)?;
            let system = actix_web::rt::System::new();
            system.block_on(async move {
                let app = crate::Application::build(settings).map_err(|e| e.to_string())?;
                app.run_until_stopped().await.map_err(|e| e.to_string())
            })
        }
    }
}

/// `sandbank worker`: background workers only, until the process is stopped.
fn run_workers(args: &WorkerArgs) -> Result<(), String> {
    let db = migrated_database(&args.database)?;
    let secret = std::env::var("SANDBANK_SECRET").ok();
    let secret = config::resolve_secret(secret.as_deref(), db.url()).map_err(|e| e.to_string())?;
    let previous = std::env::var("SANDBANK_SECRET_PREVIOUS").ok();
    let previous = config::previous_secrets(previous.as_deref()).map_err(|e| e.to_string())?;
    let connections = connection_service(&db, &secret, &previous, Limits::default(), args.background.sync_policy())
        .map_err(|e| e.to_string())?;
    let queue = JobQueue::new(db.clone(), args.background.retry());
    let name = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    let worker = Worker::new(db, connections, args.background.retry(), DEFAULT_LEASE, name);
    let count = args.background.workers.max(1);
    tracing::info!(workers = count, "sandbank worker started");
    let _stop = jobs::spawn(queue, worker, count, args.background.sync_every(), std::time::Duration::from_millis(50));
    loop {
        std::thread::park();
    }
}

/// `sandbank demo-data`: fills the database with a progress bar, then prints how to sign in.
fn demo_data(args: &DemoArgs) -> Result<(), String> {
    let db = migrated_database(&args.database)?;
    let total = (args.users * args.transactions_per_user) as u64;
    let bar = indicatif::ProgressBar::new(total).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} transactions ({per_sec}, {eta} left)")
            .map_err(|e| e.to_string())?,
    );
    let started = std::time::Instant::now();
    let mut done_before = 0u64;
    let mut last_user_total = 0usize;
    let users = DemoData::new(db)
        .fill(args.users, args.transactions_per_user, |written| {
            if written < last_user_total {
                done_before += last_user_total as u64;
            }
            last_user_total = written;
            bar.set_position(done_before + written as u64);
        })
        .map_err(|e| e.to_string())?;
    bar.finish();
    println!("{total} transactions in place after {:.1} s", started.elapsed().as_secs_f64());
    for user in users {
        println!("sign in as {} / {} ({} transactions)", user.email, DEMO_PASSWORD, user.transactions);
    }
    Ok(())
}

/// Opens the database of `args` and applies pending migrations.
fn migrated_database(args: &DatabaseArgs) -> Result<Db, String> {
    let url = DatabaseUrl::parse(&args.database_url).map_err(|e| e.to_string())?;
    let db = Db::open(&url).map_err(|e| e.to_string())?;
    let applied = db.migrate().map_err(|e| e.to_string())?;
    tracing::info!(backend = url.backend_name(), applied, "migrations applied");
    Ok(db)
}

fn serve_settings(args: ServeArgs) -> Result<Settings, String> {
    let database_url = DatabaseUrl::parse(&args.database.database_url).map_err(|e| e.to_string())?;
    let secret = std::env::var("SANDBANK_SECRET").ok();
    let secret = config::resolve_secret(secret.as_deref(), &database_url).map_err(|e| e.to_string())?;
    let previous = std::env::var("SANDBANK_SECRET_PREVIOUS").ok();
    let previous_secrets = config::previous_secrets(previous.as_deref()).map_err(|e| e.to_string())?;
    let cookie_secure =
        std::env::var("SANDBANK_COOKIE_SECURE").is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
    let limits = Limits {
        connection_creations: Limit::per_minute(args.connections_per_minute),
        login_attempts: Limit::per_minute(args.logins_per_minute),
        auth_per_address: Limit::per_minute(args.auth_per_address_per_minute),
    };
    Ok(Settings {
        addr: args.addr,
        database_url,
        secret,
        previous_secrets,
        cookie_secure,
        http_workers: 0,
        limits,
        trusted_proxies: args.trusted_proxies,
        workers: args.background.workers,
        sync_every: args.background.sync_every(),
        retry: args.background.retry(),
        sync: args.background.sync_policy(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve(args: &[&str]) -> Result<ServeArgs, clap::Error> {
        let cli = Cli::try_parse_from(["sandbank", "serve"].iter().chain(args))?;
        match cli.command {
            Command::Serve(args) => Ok(args),
            other => panic!("not serve: {other:?}"),
        }
    }

    #[test]
    fn trusted_proxies_and_the_address_limit_are_flags() {
        let args = serve(&["--trusted-proxies", "10.0.0.0/8, 127.0.0.1", "--auth-per-address-per-minute", "5"])
            .expect("parsed");
        assert!(args.trusted_proxies.trusts("10.1.2.3".parse().expect("ip")));
        assert!(args.trusted_proxies.trusts("127.0.0.1".parse().expect("ip")));
        assert!(!args.trusted_proxies.trusts("127.0.0.2".parse().expect("ip")));
        assert_eq!(args.auth_per_address_per_minute, 5);
        assert!(serve(&["--trusted-proxies", "10.0.0.0/99"]).is_err());
    }
}
