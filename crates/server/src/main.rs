//! `sandbank`: parses the command line and runs it.

use clap::Parser;

fn main() -> std::process::ExitCode {
    sandbank::telemetry::init();
    match sandbank::cli::run(sandbank::cli::Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!(%message, "sandbank stopped");
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
