#![doc = include_str!("../README.md")]

pub mod db;
pub mod error;
pub mod providers;
pub mod schema;
pub mod sessions;
pub mod sql_types;
pub mod test_database;
pub mod time;
pub mod users;

pub use db::{DatabaseUrl, Db, DbConnection};
pub use error::StoreError;
