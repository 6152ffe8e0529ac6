#![doc = include_str!("../README.md")]

pub mod auth;
pub mod catalog;
pub mod error;
pub mod password;
pub mod secret;

pub use auth::{AuthService, Caller, SignedIn};
pub use catalog::{CatalogService, SeedOutcome};
pub use error::ServiceError;
pub use sandbank_store::{DatabaseUrl, Db, StoreError};
pub use secret::{Keys, Secret};
