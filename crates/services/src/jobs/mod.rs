//! Background jobs: a durable queue in the database ([`queue`]), workers that claim jobs under a
//! lease and retry failures with exponential backoff and jitter ([`worker`]), a scheduler that
//! queues a sync of every connected connection at an interval, and the jobs that follow each
//! sync ([`categorize`], [`reconcile`]), and webhook delivery ([`deliver_webhooks`]). Workers in one process or in several on one PostgreSQL
//! never run the same job at once; a job whose worker died is taken again once its lease runs
//! out (the sync it was running rolled back with the worker).

pub mod categorize;
pub mod deliver_webhooks;
pub mod queue;
pub mod reconcile;
pub mod worker;

pub use deliver_webhooks::WebhookDeliverer;
pub use queue::{DEFAULT_LEASE, JobQueue};
pub use worker::{Outcome, Worker, spawn};
