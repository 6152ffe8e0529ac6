//! Integration tests: each starts the real server on port 0 with a fresh database and speaks
//! HTTP to it. Every test runs twice, on SQLite and on PostgreSQL (see `on_both_backends!`).

#[macro_use]
mod helpers;

mod auth;
mod browser;
mod connections;
mod consent;
mod crash;
mod dashboard;
mod developer_keys;
mod docs;
mod domain_json;
mod errors;
mod export;
mod feed;
mod generate;
mod hardening_auth;
mod hardening_http;
mod hardening_small;
mod hardening_sync;
mod health;
mod household;
mod jobs;
mod openapi;
mod plaid_api;
mod plaid_link;
mod plaid_sdk;
mod plaid_webhooks;
mod providers;
mod recurring;
mod scenarios;
mod sdk_clients;
mod search;
mod spec_agreement;
mod transactions;
mod webhook_secret;
mod webhook_url;
mod webhooks;
