//! `sandbank`: parses the command line and runs it.

use clap::Parser;

/// mimalloc: the server allocates many small strings per request (rows, JSON); glibc's
/// allocator spent a sixth of the load test's CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
