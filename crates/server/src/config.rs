//! Resolved settings: flags over environment over defaults, and the server secret.

use std::path::Path;

use sandbank_services::rate_limit::Limits;
use sandbank_services::{DatabaseUrl, Secret};

/// The default database: a SQLite file under `data/`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/sandbank.db";
/// The default listen address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
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
    pub trusted_proxies: crate::client_address::TrustedProxies,
    /// Background workers to run in this process (0: none).
    pub workers: usize,
    /// How often to queue a sync of every connected connection (`None`: never).
    pub sync_every: Option<std::time::Duration>,
    /// How failed jobs are retried.
    pub retry: sandbank_domain::job::RetryPolicy,
    /// How syncs of one connection take turns and how much each write applies.
    pub sync: sandbank_services::connections::SyncPolicy,
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
