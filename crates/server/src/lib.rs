#![doc = include_str!("../README.md")]

/// The allocator of every program that links the server (the binary, its tests and benches):
/// mimalloc, whose per-thread heaps cost a fraction of glibc's malloc across the server's
/// request threads (a fifth of a listing's CPU time in issue 15's profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod api_query;
pub mod app;
pub mod authenticated;
pub mod cli;
pub mod client_address;
pub mod conditional;
pub mod config;
pub mod cross_origin;
pub mod edges;
pub mod error;
pub mod generate;
pub mod json_body;
pub mod json_time;
pub mod openapi;
pub mod pages;
pub mod plaid;
pub mod quick_reads;
pub mod rendered_pages;
pub mod request_context;
pub mod routes;
pub mod schemas;
pub mod state;
pub mod telemetry;
pub mod transactions_csv;
pub mod wiring;

pub use app::Application;
pub use config::Settings;
