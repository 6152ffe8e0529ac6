//! Structured logs with tracing: `SANDBANK_LOG` sets the filter (default `info`),
//! `SANDBANK_LOG_FORMAT=json` switches to JSON lines.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber at `info` unless `SANDBANK_LOG` says otherwise.
pub fn init() {
    init_with_default("info");
}

/// Installs the global subscriber with `default` as the filter when `SANDBANK_LOG` is unset; a
/// second call is a no-op (tests start many servers and keep quiet with `warn`).
pub fn init_with_default(default: &str) {
    let filter = EnvFilter::try_from_env("SANDBANK_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let json = std::env::var("SANDBANK_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}
