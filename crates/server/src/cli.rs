//! The command line (clap): flags override the environment, which overrides the defaults.

use clap::{Args, Parser, Subcommand};
use sandbank_services::use_cases::demo::{DEMO_PASSWORD, DemoData};
use sandbank_services::{CatalogService, DatabaseUrl, Db};

use crate::config::{DatabaseArgs, SecretEnv, ServeArgs, Settings};
use crate::wiring::Services;

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
    /// Print the JSON Schema of a scenario document (docs/scenario.schema.json) to standard output.
    ScenarioSchema,
    /// Run only background workers (and the sync scheduler), no HTTP; it takes `serve`'s
    /// configuration and ignores what only HTTP uses.
    Worker(ServeArgs),
    /// Fill the database with demo users holding many transactions (for trying things out and
    /// for load tests). Rerun after an interrupted run, it goes on where that one stopped.
    DemoData(DemoArgs),
    /// Write fixtures from the fake bank (accounts and transactions as JSON, NDJSON or CSV)
    /// with no server and no database: the same arguments give the same bytes.
    Generate(crate::generate::GenerateArgs),
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

/// Runs the command line; returns an error message for `main` to print.
pub fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Openapi => {
            print!("{}", crate::openapi::document_json());
            Ok(())
        }
        Command::ScenarioSchema => {
            print!("{}", crate::openapi::scenario_schema_json());
            Ok(())
        }
        Command::Migrate(args) => migrated_database(&database_url(&args)?).map(|_| ()),
        Command::Seed(args) => {
            let db = migrated_database(&database_url(&args)?)?;
            let outcome = CatalogService::new(db).seed().map_err(|e| e.to_string())?;
            println!("providers: {} inserted, {} updated", outcome.inserted, outcome.updated);
            Ok(())
        }
        Command::DemoData(args) => demo_data(&args),
        Command::Generate(args) => crate::generate::run(&args),
        Command::Worker(args) => run_workers(settings(args)?),
        Command::Serve(args) => {
            let settings = settings(args)?;
            let system = actix_web::rt::System::new();
            system.block_on(async move {
                let app = crate::Application::build(settings).map_err(|e| e.to_string())?;
                app.run_until_stopped().await.map_err(|e| e.to_string())
            })
        }
    }
}

/// `sandbank worker`: background workers only, until the process is stopped.
fn run_workers(settings: Settings) -> Result<(), String> {
    let db = migrated_database(&settings.database_url)?;
    let services = Services::build(&settings, db).map_err(|e| e.to_string())?;
    let count = settings.workers.max(1);
    tracing::info!(workers = count, "sandbank worker started");
    let _stop = services.spawn_workers(&settings, count);
    loop {
        std::thread::park();
    }
}

/// `sandbank demo-data`: fills the database with a progress bar, then prints how to sign in.
fn demo_data(args: &DemoArgs) -> Result<(), String> {
    let db = migrated_database(&database_url(&args.database)?)?;
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

/// The settings of `serve` or `worker`: `args` with the secrets of the environment.
fn settings(args: ServeArgs) -> Result<Settings, String> {
    args.settings(&SecretEnv::from_env()).map_err(|e| e.to_string())
}

/// The database `args` name.
fn database_url(args: &DatabaseArgs) -> Result<DatabaseUrl, String> {
    args.url().map_err(|e| e.to_string())
}

/// Opens the database at `url` and applies pending migrations.
fn migrated_database(url: &DatabaseUrl) -> Result<Db, String> {
    let db = Db::open(url).map_err(|e| e.to_string())?;
    let applied = db.migrate().map_err(|e| e.to_string())?;
    tracing::info!(backend = url.backend_name(), applied, "migrations applied");
    Ok(db)
}

#[cfg(test)]
mod tests {
    use sandbank_services::security::rate_limit::{Limit, Limits};

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

    /// Issue #12: webhook retries are configured apart from jobs': base and attempts from
    /// `--webhook-retry-base-ms` / `--webhook-max-attempts` (30 s and 8 by default).
    #[test]
    fn webhook_retries_take_their_own_settings() {
        let secrets = SecretEnv { current: Some("w".repeat(32)), previous: None };
        let pg = ["--database-url", "postgres://hooks@localhost/sandbank"];
        let defaults = serve(&pg).expect("parsed").settings(&secrets).expect("settings").webhook_retry;
        assert_eq!((defaults.base, defaults.max_attempts), (chrono::TimeDelta::seconds(30), 8));
        let args = [&pg[..], &["--webhook-retry-base-ms", "50", "--webhook-max-attempts", "2"]].concat();
        let fast = serve(&args).expect("parsed").settings(&secrets).expect("settings");
        assert_eq!(
            (fast.webhook_retry.base, fast.webhook_retry.max_attempts),
            (chrono::TimeDelta::milliseconds(50), 2)
        );
        assert_eq!(fast.retry, sandbank_domain::job::RetryPolicy::default(), "jobs keep theirs");
    }

    /// Issue #12: the change feed keeps removals 30 days unless `--change-retention-days` says
    /// otherwise (1 to 3650).
    #[test]
    fn the_change_feed_retention_is_a_setting() {
        let secrets = SecretEnv { current: Some("r".repeat(32)), previous: None };
        let pg = ["--database-url", "postgres://feed@localhost/sandbank"];
        let retention = |extra: &[&str]| {
            let args = [&pg[..], extra].concat();
            serve(&args).map(|a| a.settings(&secrets).expect("settings").change_retention)
        };
        assert_eq!(retention(&[]).expect("default"), chrono::TimeDelta::days(30));
        assert_eq!(retention(&["--change-retention-days", "7"]).expect("7"), chrono::TimeDelta::days(7));
        assert!(retention(&["--change-retention-days", "0"]).is_err());
        assert!(retention(&["--change-retention-days", "3651"]).is_err());
    }

    /// Issue #20, item 2: `sandbank worker` built its services with `Limits::default()` and took
    /// none of `serve`'s limit flags; it now takes `serve`'s configuration, resolved the same way.
    #[test]
    fn issue_20_the_worker_takes_the_configured_settings() {
        let cli = Cli::try_parse_from([
            "sandbank",
            "worker",
            "--database-url",
            "postgres://worker@localhost/sandbank",
            "--connections-per-minute",
            "3",
            "--logins-per-minute",
            "4",
            "--auth-per-address-per-minute",
            "5",
            "--sync-lease-secs",
            "7",
            "--workers",
            "2",
        ])
        .expect("parsed");
        let Command::Worker(args) = cli.command else { panic!("not worker: {:?}", cli.command) };
        let secrets = SecretEnv { current: Some("w".repeat(32)), previous: None };
        let settings = args.settings(&secrets).expect("settings");
        let expected = Limits {
            connection_creations: Limit::per_minute(3),
            login_attempts: Limit::per_minute(4),
            auth_per_address: Limit::per_minute(5),
        };
        assert_eq!(settings.limits, expected);
        assert_eq!(settings.sync.lease, std::time::Duration::from_secs(7));
        assert_eq!(settings.workers, 2);
        assert_eq!(settings.database_url, DatabaseUrl::Postgres("postgres://worker@localhost/sandbank".into()));
    }

    /// Issue #20, item 2: `SANDBANK_COOKIE_SECURE` is read by clap (also as `--cookie-secure`),
    /// on for `1` or `true` as before, off for anything else.
    #[test]
    fn issue_20_cookie_secure_is_a_flag_with_the_old_reading() {
        assert!(serve(&["--cookie-secure"]).expect("parsed").cookie_secure);
        assert!(serve(&["--cookie-secure", "TRUE"]).expect("parsed").cookie_secure);
        assert!(serve(&["--cookie-secure=1"]).expect("parsed").cookie_secure);
        assert!(!serve(&["--cookie-secure", "yes"]).expect("parsed").cookie_secure);
        assert!(!serve(&["--cookie-secure", "0"]).expect("parsed").cookie_secure);
    }
}
