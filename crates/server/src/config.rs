//! The configuration, read here and nowhere else: the command line's options (clap: flags over
//! environment over defaults), the few settings only the environment gives (secrets, logging),
//! the server secret, and the [`Settings`] they resolve to.

use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use clap::Args;
use sandbank_domain::job::RetryPolicy;
use sandbank_domain::webhook::{DEFAULT_WEBHOOK_ATTEMPTS, webhook_retry_policy};
use sandbank_services::security::rate_limit::{Limit, Limits};
use sandbank_services::use_cases::connections::SyncPolicy;
use sandbank_services::{DatabaseUrl, Secret};

use crate::client_address::TrustedProxies;

/// The default database: a SQLite file under `data/`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/sandbank.db";
/// The default listen address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
/// Megabytes of rendered transaction pages a process keeps unless told otherwise.
pub const DEFAULT_PAGE_CACHE_MB: u64 = 8;
/// Beside the SQLite file, the generated development secret.
const SECRET_FILE: &str = "sandbank.secret";

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where to listen (`host:port`; port 0 picks a free one).
    pub addr: String,
    /// Which database.
    pub database_url: DatabaseUrl,
    /// The server secret.
    pub secret: Secret,
    /// Earlier secrets (`SANDBANK_SECRET_PREVIOUS`): they still open provider tokens they
    /// sealed, which are then re-sealed with the current one.
    pub previous_secrets: Vec<Secret>,
    /// Whether cookies are `Secure` (`SANDBANK_COOKIE_SECURE=1`).
    pub cookie_secure: bool,
    /// HTTP worker threads (0: one per core).
    pub http_workers: usize,
    /// Rate limits.
    pub limits: Limits,
    /// Proxies whose `X-Forwarded-For` names the client (`SANDBANK_TRUSTED_PROXIES`).
    pub trusted_proxies: TrustedProxies,
    /// Background workers to run in this process (0: none).
    pub workers: usize,
    /// How often to queue a sync of every connected connection (`None`: never).
    pub sync_every: Option<Duration>,
    /// How failed jobs are retried.
    pub retry: RetryPolicy,
    /// How failed webhook deliveries are retried.
    pub webhook_retry: RetryPolicy,
    /// How syncs of one connection take turns and how much each write applies.
    pub sync: SyncPolicy,
    /// How long the change feed keeps removals, and so how long a cursor stays usable.
    pub change_retention: chrono::TimeDelta,
    /// Bytes of rendered listing pages kept per process ([`crate::rendered_pages`]); 0 keeps none.
    pub page_cache_bytes: u64,
}

/// Where the database is.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Database URL: `sqlite://path/to/file.db` or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

impl DatabaseArgs {
    /// The parsed URL.
    pub fn url(&self) -> Result<DatabaseUrl, ConfigError> {
        DatabaseUrl::parse(&self.database_url).map_err(|e| ConfigError(e.to_string()))
    }
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
    /// First retry delay of a failed webhook delivery, in milliseconds (each next one doubles,
    /// at most an hour, with jitter).
    #[arg(long, env = "SANDBANK_WEBHOOK_RETRY_BASE_MS", default_value_t = 30_000)]
    pub webhook_retry_base_ms: i64,
    /// Attempts a webhook delivery makes before it is `failed`.
    #[arg(long, env = "SANDBANK_WEBHOOK_MAX_ATTEMPTS", default_value_t = DEFAULT_WEBHOOK_ATTEMPTS)]
    pub webhook_max_attempts: u32,
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

    fn webhook_retry(&self) -> RetryPolicy {
        webhook_retry_policy(
            chrono::TimeDelta::milliseconds(self.webhook_retry_base_ms.max(1)),
            self.webhook_max_attempts,
        )
    }

    fn sync_policy(&self) -> SyncPolicy {
        SyncPolicy { lease: Duration::from_secs(self.sync_lease_secs.max(1)), ..SyncPolicy::default() }
    }

    fn sync_every(&self) -> Option<Duration> {
        (self.sync_interval_secs > 0).then(|| Duration::from_secs(self.sync_interval_secs))
    }
}

/// Options of `serve`, and of `worker`: a worker runs the same services from the same
/// configuration, without HTTP (so it ignores `--addr`, `--trusted-proxies` and
/// `--cookie-secure`).
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
    /// Mark the session cookie `Secure` (`1` or `true`; anything else is off).
    #[arg(
        long,
        env = "SANDBANK_COOKIE_SECURE",
        value_name = "BOOL",
        default_value = "0",
        num_args = 0..=1,
        default_missing_value = "1",
        value_parser = one_or_true
    )]
    pub cookie_secure: bool,
    /// Days the change feed keeps removed transactions; a cursor older than that must start
    /// over (409 `cursor_expired`).
    #[arg(long, env = "SANDBANK_CHANGE_RETENTION_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub change_retention_days: u32,
    /// Megabytes of rendered transaction pages kept in memory, each served again only while the
    /// user's data is unchanged (0: none).
    #[arg(long, env = "SANDBANK_PAGE_CACHE_MB", default_value_t = DEFAULT_PAGE_CACHE_MB, value_parser = clap::value_parser!(u64).range(0..=4096))]
    pub page_cache_mb: u64,
    /// The database.
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Background workers.
    #[command(flatten)]
    pub background: BackgroundArgs,
}

impl ServeArgs {
    /// The settings these options give, with the secrets of `secrets`.
    pub fn settings(self, secrets: &SecretEnv) -> Result<Settings, ConfigError> {
        let database_url = self.database.url()?;
        let secret = resolve_secret(secrets.current.as_deref(), &database_url)?;
        let previous_secrets = previous_secrets(secrets.previous.as_deref())?;
        Ok(Settings {
            limits: self.limits(),
            workers: self.background.workers,
            sync_every: self.background.sync_every(),
            retry: self.background.retry(),
            webhook_retry: self.background.webhook_retry(),
            sync: self.background.sync_policy(),
            change_retention: chrono::TimeDelta::days(i64::from(self.change_retention_days)),
            page_cache_bytes: self.page_cache_mb << 20,
            addr: self.addr,
            database_url,
            secret,
            previous_secrets,
            cookie_secure: self.cookie_secure,
            http_workers: 0,
            trusted_proxies: self.trusted_proxies,
        })
    }

    fn limits(&self) -> Limits {
        Limits {
            connection_creations: Limit::per_minute(self.connections_per_minute),
            login_attempts: Limit::per_minute(self.logins_per_minute),
            auth_per_address: Limit::per_minute(self.auth_per_address_per_minute),
        }
    }
}

/// `SANDBANK_COOKIE_SECURE`'s reading: on for `1` or `true` (any case), off for anything else.
fn one_or_true(text: &str) -> Result<bool, std::convert::Infallible> {
    Ok(text == "1" || text.eq_ignore_ascii_case("true"))
}

/// The secrets, which only the environment gives: on a command line, `ps` would show them.
/// (No `Debug`, so they cannot be logged.)
pub struct SecretEnv {
    /// `SANDBANK_SECRET`.
    pub current: Option<String>,
    /// `SANDBANK_SECRET_PREVIOUS`.
    pub previous: Option<String>,
}

impl SecretEnv {
    /// Reads `SANDBANK_SECRET` and `SANDBANK_SECRET_PREVIOUS`.
    pub fn from_env() -> Self {
        Self {
            current: std::env::var("SANDBANK_SECRET").ok(),
            previous: std::env::var("SANDBANK_SECRET_PREVIOUS").ok(),
        }
    }
}

/// How to log, which only the environment gives: logging starts before the command line is
/// read, and the tests set it up too.
#[derive(Debug, Clone, Default)]
pub struct LogSettings {
    /// The tracing filter (`SANDBANK_LOG`); `None` when unset.
    pub filter: Option<String>,
    /// JSON lines instead of text (`SANDBANK_LOG_FORMAT=json`).
    pub json: bool,
    /// `NO_COLOR`, as set.
    pub no_color: Option<OsString>,
}

impl LogSettings {
    /// Reads `SANDBANK_LOG`, `SANDBANK_LOG_FORMAT` and `NO_COLOR`.
    pub fn from_env() -> Self {
        Self {
            filter: std::env::var("SANDBANK_LOG").ok(),
            json: std::env::var("SANDBANK_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")),
            no_color: std::env::var_os("NO_COLOR"),
        }
    }
}

/// Why the settings could not be resolved.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// The earlier secrets named by `SANDBANK_SECRET_PREVIOUS` (comma-separated; none when unset).
pub fn previous_secrets(configured: Option<&str>) -> Result<Vec<Secret>, ConfigError> {
    configured
        .unwrap_or_default()
        .split(',')
        .filter(|text| !text.trim().is_empty())
        .map(|text| Secret::from_config(text).map_err(|e| ConfigError(format!("SANDBANK_SECRET_PREVIOUS: {e}"))))
        .collect()
}

/// The server secret: `SANDBANK_SECRET` if set; otherwise, on SQLite only, one generated once and
/// kept beside the database file (with a warning). PostgreSQL requires it to be set.
pub fn resolve_secret(configured: Option<&str>, database_url: &DatabaseUrl) -> Result<Secret, ConfigError> {
    if let Some(text) = configured.filter(|t| !t.trim().is_empty()) {
        return Secret::from_config(text).map_err(ConfigError);
    }
    let Some(db_path) = database_url.sqlite_path() else {
        return Err(ConfigError("SANDBANK_SECRET is required with PostgreSQL (32 characters or more)".into()));
    };
    let dir = db_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let file = dir.join(SECRET_FILE);
    if let Ok(text) = std::fs::read_to_string(&file) {
        return Secret::from_config(&text).map_err(|e| ConfigError(format!("{}: {e}", file.display())));
    }
    std::fs::create_dir_all(dir).map_err(|e| ConfigError(format!("cannot create {}: {e}", dir.display())))?;
    let text = Secret::generate_text().map_err(|e| ConfigError(e.to_string()))?;
    write_private(&file, &text).map_err(|e| ConfigError(format!("cannot write {}: {e}", file.display())))?;
    tracing::warn!(
        file = %file.display(),
        "SANDBANK_SECRET is not set: generated a development secret and kept it beside the database; set SANDBANK_SECRET in production"
    );
    Secret::from_config(&text).map_err(ConfigError)
}

#[cfg(unix)]
fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut handle = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(file)?;
    handle.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(file, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_the_sqlite_secret_once_and_requires_it_for_postgres() {
        let dir = std::env::temp_dir().join(format!("sandbank-config-{}", uuid::Uuid::new_v4()));
        let url = DatabaseUrl::Sqlite(dir.join("x.db"));
        let first = resolve_secret(None, &url).expect("generated");
        let second = resolve_secret(None, &url).expect("read back");
        assert_eq!(first.keys().expect("keys").session_signing, second.keys().expect("keys").session_signing);
        let pg = DatabaseUrl::Postgres("postgres://x@y/z".into());
        assert!(resolve_secret(None, &pg).is_err());
        assert!(resolve_secret(Some(&"k".repeat(32)), &pg).is_ok());
        assert!(resolve_secret(Some("short"), &pg).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
