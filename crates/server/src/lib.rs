#![doc = include_str!("../README.md")]

pub mod app;
pub mod authenticated;
pub mod cli;
pub mod config;
pub mod cross_origin;
pub mod edges;
pub mod error;
pub mod openapi;
pub mod pages;
pub mod request_context;
pub mod routes;
pub mod state;
pub mod telemetry;

pub use app::Application;
pub use config::Settings;
