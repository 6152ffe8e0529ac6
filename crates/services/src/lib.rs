#![doc = include_str!("../README.md")]

pub mod accounts;
pub mod auth;
pub mod catalog;
pub mod categorize;
pub mod connections;
pub mod csrf;
pub mod cursor_seal;
pub mod dashboard;
pub mod demo;
pub mod error;
pub mod fake_provider;
pub mod jobs;
pub mod password;
pub mod provider;
pub mod rate_limit;
pub mod reconcile;
pub mod secret;
pub mod token_vault;
pub mod transactions;

pub use auth::{AuthService, Caller, SignedIn};
pub use catalog::{CatalogService, SeedOutcome};
pub use error::ServiceError;
pub use sandbank_store::{DatabaseUrl, Db, StoreError};
pub use secret::{Keys, Secret};
