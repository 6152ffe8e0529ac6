#![doc = include_str!("../README.md")]

pub mod error;
pub mod jobs;
pub mod providers;
pub mod security;
pub mod use_cases;

pub use error::ServiceError;
pub use sandbank_store::{DatabaseUrl, Db, StoreError};
pub use security::secret::{Keys, Secret};
pub use use_cases::auth::{AuthService, Caller, SignedIn};
pub use use_cases::catalog::{CatalogService, SeedOutcome};
