#![doc = include_str!("../README.md")]

pub mod accounts;
mod batch;
pub mod changes;
pub mod connections;
pub mod db;
pub mod developer_keys;
pub mod diagnostics;
pub mod error;
mod fragments;
pub mod jobs;
pub mod link_tokens;
pub mod metrics;
pub mod providers;
pub mod public_tokens;
pub mod rate_limits;
mod read_text;
mod read_time;
pub mod recurring;
pub mod scenarios;
pub mod schema;
pub mod sessions;
pub mod snapshots;
pub mod sql_types;
pub mod test_database;
pub mod time;
pub mod transactions;
pub mod users;
pub mod webhook_secrets;
pub mod webhooks;

pub use db::{DatabaseUrl, Db, DbConnection};
pub use error::StoreError;
