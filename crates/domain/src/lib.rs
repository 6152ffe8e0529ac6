#![doc = include_str!("../README.md")]

pub mod account;
pub mod bank_data;
pub mod change_feed;
pub mod connection;
pub mod developer_key;
pub mod error_code;
pub mod ids;
pub mod insights;
pub mod job;
pub mod link;
pub mod money;
pub mod provider;
pub mod recurring;
pub mod scenario;
pub mod session;
pub mod text_enum;
pub mod transaction;
pub mod transaction_query;
pub mod user;
pub mod validation;
pub mod webhook;
pub mod webhook_url;

pub use error_code::ErrorCode;
pub use ids::{
    AccountId, ConnectionId, DeliveryId, EventId, JobId, LinkTokenId, ProviderId, ScenarioId, SessionId, TransactionId,
    UserId,
};
pub use money::{Currency, Money, MoneyError};
pub use text_enum::UnknownVariant;
pub use validation::FieldErrors;
