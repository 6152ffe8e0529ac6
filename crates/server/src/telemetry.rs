//! Structured logs with tracing: `SANDBANK_LOG` sets the filter (default `info`),
//! `SANDBANK_LOG_FORMAT=json` switches to JSON lines.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber; a second call is a no-op (tests start many servers).
pub fn init() {
    let filter = EnvFilter::try_from_env("SANDBANK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("SANDBANK_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}
