//! What a user of Sandbank can do, one module a use case; each works with domain values, reads
//! and writes through the store, and asks banks only through [`crate::providers`].
//! (The change feed, webhooks and scenarios will be use cases here too.)

pub mod accounts;
pub mod auth;
pub mod catalog;
pub mod connections;
pub mod dashboard;
pub mod demo;
pub mod developer_keys;
pub mod feed;
pub mod link;
pub mod recurring;
pub mod scenarios;
pub mod transactions;
pub mod webhook_secrets;
pub mod webhooks;
