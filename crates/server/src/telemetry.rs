//! Structured logs with tracing: `SANDBANK_LOG` sets the filter (default `info`),
//! `SANDBANK_LOG_FORMAT=json` switches to JSON lines. Colours only on a terminal.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::LogSettings;

/// Installs the global subscriber at `info` unless `SANDBANK_LOG` says otherwise.
pub fn init() {
    init_with_default("info");
}

/// Installs the global subscriber with `default` as the filter when `SANDBANK_LOG` is unset; a
/// second call is a no-op (tests start many servers and keep quiet with `warn`).
pub fn init_with_default(default: &str) {
    init_with(&LogSettings::from_env(), default);
}

/// Installs the global subscriber as `settings` say, with `default` as the filter when they name
/// none (or a bad one).
fn init_with(settings: &LogSettings, default: &str) {
    let filter = settings.filter.as_deref().and_then(|f| EnvFilter::try_new(f).ok());
    let filter = filter.unwrap_or_else(|| EnvFilter::new(default));
    let ansi = use_colour(std::io::stderr().is_terminal(), settings.no_color.as_deref());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    let _ = if settings.json { builder.json().try_init() } else { builder.try_init() };
}

/// Whether log lines get ANSI colour codes: only when they go to a terminal (not a file or a
/// pipe), and not when `NO_COLOR` is set to something.
fn use_colour(stderr_is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    stderr_is_terminal && no_color.is_none_or(|value| value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue #11, item 8: ANSI colour codes were written to log files.
    #[test]
    fn colour_only_on_a_terminal() {
        assert!(!use_colour(false, None), "a file or a pipe gets no colour codes");
        assert!(use_colour(true, None));
        assert!(use_colour(true, Some(std::ffi::OsStr::new(""))));
        assert!(!use_colour(true, Some(std::ffi::OsStr::new("1"))), "NO_COLOR turns colour off");
    }
}
