//! Secrets and the checks built on them: the server secret and its derived keys, password
//! hashing, sealed provider tokens, CSRF tokens, signed cursors, rate limits and webhook
//! signatures (HMAC, and the ES256 JWT of Plaid-format webhooks), developer-key hashes, and the sessions
//! checked lately (`session_cache`).

pub mod csrf;
pub mod cursor_seal;
pub mod item_tokens;
pub mod key_hash;
pub mod password;
pub mod rate_limit;
pub mod secret;
pub mod session_cache;
pub mod token_vault;
pub mod webhook_jwt;
pub mod webhook_signature;
