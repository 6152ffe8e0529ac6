//! The connection lifecycle: create, the consent (authorize), sync, disconnect, and the sandbox
//! controls. Authorize and sync hold the connection's lease (one at a time per connection),
//! ask the provider with no transaction open, and apply the result in short transactions.

mod lease;
mod sync;
mod webhook;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sandbank_domain::account::AccountStatus;
use sandbank_domain::connection::{
    Connection, ConnectionProblem, ConnectionStatus, LifecycleError, MAX_CLOCK_OFFSET_DAYS, ProblemCode, SandboxFault,
};
use sandbank_domain::provider::Provider as ProviderInfo;
use sandbank_domain::scenario::Scenario;
use sandbank_domain::webhook::WebhookFormat;
use sandbank_domain::webhook_url::WebhookUrl;
use sandbank_domain::{ConnectionId, ErrorCode, FieldErrors, ProviderId, UserId};
use sandbank_store::accounts;
use sandbank_store::changes::{self, ChangeStamp, Removing};
use sandbank_store::{Db, DbConnection, StoreError, connections, providers, scenarios};

pub use self::lease::SyncPolicy;
use self::lease::{Lease, Leases};
use self::sync::Backlog;
pub use self::sync::SYNC_OVERLAP_DAYS;
use crate::error::ServiceError;
use crate::providers::{Credentials, Provider, ProviderError, ProviderLink};
use crate::security::rate_limit::{Limits, RateKey, RateLimiter};
use crate::security::token_vault::{Opened, TokenVault};
use crate::use_cases::scenarios::{ScenarioSource, read_stored};
use crate::use_cases::webhooks;

/// The largest seed accepted (2^53 − 1, exact in every JSON client).
pub const MAX_SEED: i64 = (1 << 53) - 1;

/// The most days one `advance_days` may move the clock.
pub const MAX_ADVANCE_DAYS: u32 = 365;

/// A connection with its provider, as shown to its owner.
#[derive(Debug, Clone)]
pub struct ConnectionView {
    /// The connection.
    pub connection: Connection,
    /// Its provider.
    pub provider: ProviderInfo,
}

/// What a sync (or the first load at authorization) changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncReport {
    /// When it ran.
    pub synced_at: DateTime<Utc>,
    /// Accounts whose figures were refreshed.
    pub accounts_updated: usize,
    /// New transactions.
    pub transactions_added: usize,
    /// Transactions whose status changed (pending → posted, posted → refunded).
    pub transactions_modified: usize,
    /// Transactions the provider dropped (authorizations that never posted).
    pub transactions_removed: usize,
}

/// A sandbox control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimulationEvent {
    /// Move the connection's clock forward.
    AdvanceDays(u32),
    /// The provider rejects the token from the next sync on.
    ExpireToken,
    /// The provider stops answering.
    ProviderOutage,
    /// Switch off any fault.
    Recover,
}

/// The connection lifecycle.
#[derive(Debug, Clone)]
pub struct ConnectionService {
    db: Db,
    provider: Arc<dyn Provider>,
    vault: Arc<TokenVault>,
    limiter: RateLimiter,
    limits: Limits,
    leases: Leases,
}

impl ConnectionService {
    /// A service over `db`, getting data from `provider` and sealing tokens with `vault`; syncs
    /// take turns and apply their backlog as `policy` says.
    pub fn new(
        db: Db,
        provider: Arc<dyn Provider>,
        vault: Arc<TokenVault>,
        limits: Limits,
        policy: SyncPolicy,
    ) -> Self {
        let limiter = RateLimiter::new(db.clone());
        let leases = Leases::new(db.clone(), policy);
        Self { db, provider, vault, limiter, limits, leases }
    }

    /// Starts a connection to `provider_id` in `authorizing`. `seed` makes its data
    /// reproducible; without one a random seed is chosen. `webhook_url` is where its webhooks
    /// go, in `format` (set in the same transaction). With a `scenario`, the bank reports the
    /// scenario's accounts and rows instead of generated ones.
    pub fn create(
        &self,
        user: UserId,
        provider_id: Option<&str>,
        seed: Option<i64>,
        webhook: (Option<&str>, WebhookFormat),
        scenario: Option<ScenarioSource>,
    ) -> Result<ConnectionView, ServiceError> {
        let (webhook_url, format) = webhook;
        let mut errors = FieldErrors::new();
        let provider_id = match provider_id {
            None => {
                errors.add("providerId", "is required");
                None
            }
            Some(text) => errors.uuid("providerId", text).map(ProviderId::from_uuid),
        };
        if seed.is_some_and(|s| !(0..=MAX_SEED).contains(&s)) {
            errors.add("seed", format!("must be an integer from 0 to {MAX_SEED}"));
        }
        let webhook_url = webhook_url.and_then(|raw| errors.check("webhookUrl", WebhookUrl::parse(raw)));
        let Some(provider_id) = provider_id.filter(|_| errors.is_empty()) else { return Err(errors.into()) };
        let provider = self
            .db
            .read(|conn| providers::find(conn, provider_id))?
            .ok_or_else(|| FieldErrors::single("providerId", "no such provider"))?;
        self.limiter.check(&RateKey::new(&["connections", &user.to_string()]), self.limits.connection_creations)?;
        let seed = seed.unwrap_or_else(|| (uuid::Uuid::new_v4().as_u64_pair().0 & MAX_SEED as u64) as i64);
        let scenario =
            scenario.map(|source| self.db.read(|conn| crate::use_cases::scenarios::resolve(conn, user, source)));
        let scenario = scenario.transpose()?;
        let connection = self.db.write(|conn| {
            let connection = connections::insert(conn, user, provider_id, seed)?;
            if let Some(document) = &scenario {
                scenarios::attach(conn, connection.id, document)?;
            }
            if webhook_url.is_none() && format == WebhookFormat::Sandbank {
                return Ok(connection);
            }
            connections::set_webhook_url(conn, connection.id, webhook_url.as_ref())?;
            connections::set_webhook_format(conn, connection.id, format)?;
            connections::find(conn, connection.id)?.ok_or(StoreError::NotFound)
        })?;
        tracing::info!(connection_id = %connection.id, provider = %provider.slug, "connection created");
        Ok(ConnectionView { connection, provider })
    }

    /// The user's connections, oldest first.
    pub fn list(&self, user: UserId) -> Result<Vec<ConnectionView>, ServiceError> {
        self.db.read(|conn| {
            let providers: HashMap<ProviderId, ProviderInfo> =
                providers::list(conn)?.into_iter().map(|p| (p.id, p)).collect();
            connections::list_for_user(conn, user)?
                .into_iter()
                .map(|connection| {
                    let provider = providers.get(&connection.provider_id).cloned().ok_or(StoreError::NotFound)?;
                    Ok(ConnectionView { connection, provider })
                })
                .collect()
        })
    }

    /// One of the user's connections.
    pub fn get(&self, user: UserId, id: ConnectionId) -> Result<ConnectionView, ServiceError> {
        self.db.read(|conn| {
            let connection = owned(conn, user, id)?;
            view(conn, connection)
        })
    }

    /// Completes the consent flow: checks the credentials with the provider, keeps the sealed
    /// token, and loads the accounts with their history (or, after an expiry, syncs what is
    /// new). The provider is asked with no transaction open; the data lands chunk by chunk.
    pub fn authorize(
        &self,
        user: UserId,
        id: ConnectionId,
        credentials: &Credentials,
    ) -> Result<(ConnectionView, SyncReport), ServiceError> {
        check_credentials(credentials)?;
        let ((connection, provider), lease) = self.leases.acquire(id, |conn| {
            let connection = owned(conn, user, id)?;
            connection.status.check_authorize()?;
            Ok((connection.clone(), provider_of(conn, &connection)?))
        })?;
        // A new token replaces an expired one; an outage stays until `recover`.
        let fault = connection.sandbox_fault.filter(|f| *f == SandboxFault::ProviderOutage);
        let scenario = self.db.read(|conn| scenario_of(conn, id))?;
        let link = link_of(&provider, &connection, fault, scenario.as_ref());
        let token = match self.provider.authorize(&link, credentials) {
            Ok(token) => token,
            Err(error) => return Err(self.record_failure(&connection, &provider, error)?),
        };
        let sealed = self.vault.seal(&token, &id.to_string())?;
        self.db.write(|conn| {
            connections::set_fault(conn, id, fault)?;
            connections::set_token(conn, id, Some(&sealed))
        })?;
        let report = self.load(&lease, connection, &provider, &link, &token)?;
        drop(lease);
        tracing::info!(connection_id = %id, added = report.transactions_added, "connection authorized");
        let connection = self.db.read(|conn| connections::find(conn, id))?.ok_or(StoreError::NotFound)?;
        Ok((ConnectionView { connection, provider }, report))
    }

    /// Fetches what is new since the last sync and applies it, chunk by chunk. Waits for a
    /// sync of the same connection that is running.
    pub fn sync(&self, user: UserId, id: ConnectionId) -> Result<SyncReport, ServiceError> {
        self.sync_as(Some(user), id)
    }

    /// The same sync, run by a background job on behalf of the connection's owner.
    pub fn sync_for_job(&self, id: ConnectionId) -> Result<SyncReport, ServiceError> {
        self.sync_as(None, id)
    }

    fn sync_as(&self, user: Option<UserId>, id: ConnectionId) -> Result<SyncReport, ServiceError> {
        let ((connection, provider, sealed), lease) = self.leases.acquire(id, |conn| {
            let connection = match user {
                Some(user) => owned(conn, user, id)?,
                None => connections::find(conn, id)?.ok_or(ServiceError::NotFound("connection"))?,
            };
            connection.status.check_sync()?;
            let sealed = connections::sealed_token(conn, id)?.ok_or_else(|| {
                ServiceError::from(LifecycleError {
                    code: ErrorCode::ConnectionNotAuthorized,
                    message: "the connection has no access token; authorize it again",
                })
            })?;
            Ok((connection.clone(), provider_of(conn, &connection)?, sealed))
        })?;
        let token = self.open_token(&connection, &provider, &sealed)?;
        let scenario = self.db.read(|conn| scenario_of(conn, id))?;
        let link = link_of(&provider, &connection, connection.sandbox_fault, scenario.as_ref());
        self.load(&lease, connection, &provider, &link, &token)
    }

    /// Opens the sealed token, re-sealing it with the current secret when an earlier one
    /// sealed it. A token no secret opens moves the connection to `expired`.
    fn open_token(
        &self,
        connection: &Connection,
        provider: &ProviderInfo,
        sealed: &[u8],
    ) -> Result<String, ServiceError> {
        let id = connection.id;
        match self.vault.open(sealed, &id.to_string()) {
            Ok(Opened { token, resealed: None }) => Ok(token),
            Ok(Opened { token, resealed: Some(resealed) }) => {
                self.db.write(|conn| connections::set_token(conn, id, Some(&resealed)))?;
                tracing::info!(connection_id = %id, "access token re-sealed with the current secret");
                Ok(token)
            }
            Err(error) => {
                tracing::warn!(connection_id = %id, %error, "stored access token does not open");
                Err(self.record_failure(connection, provider, ProviderError::TokenUnreadable)?)
            }
        }
    }

    /// Fetches every account's new data with no transaction open, then applies it chunk by
    /// chunk. A provider failure is recorded on the connection before it is reported.
    fn load(
        &self,
        lease: &Lease,
        connection: Connection,
        provider: &ProviderInfo,
        link: &ProviderLink<'_>,
        token: &str,
    ) -> Result<SyncReport, ServiceError> {
        let stored = self.db.read(|conn| accounts::for_connection(conn, connection.id))?;
        let mut backlog = match Backlog::fetch(self.provider.as_ref(), link, token, connection.clone(), stored) {
            Ok(backlog) => backlog,
            Err(error) => return Err(self.record_failure(&connection, provider, error)?),
        };
        let mut report = SyncReport {
            synced_at: Utc::now(),
            accounts_updated: 0,
            transactions_added: 0,
            transactions_modified: 0,
            transactions_removed: 0,
        };
        let chunks = backlog.chunks(self.leases.chunk_days());
        let count = chunks.len();
        for (index, days) in chunks.into_iter().enumerate() {
            let last = index + 1 == count;
            self.db.write(|conn| backlog.apply(conn, lease, days, last, &mut report))?;
        }
        Ok(report)
    }

    /// Disconnects: the token is erased and the connection and its accounts are marked
    /// `disconnected`; with `purge`, its accounts, transactions and snapshots are deleted.
    pub fn disconnect(&self, user: UserId, id: ConnectionId, purge: bool) -> Result<ConnectionView, ServiceError> {
        self.db.write(|conn| {
            connections::lock(conn, id)?;
            let connection = owned(conn, user, id)?;
            connections::set_token(conn, id, None)?;
            connections::set_status(conn, id, ConnectionStatus::Disconnected, None)?;
            connections::set_sandbox(conn, id, None, connection.clock_offset_days)?;
            webhooks::status_changed(conn, &connection, Utc::now())?;
            if purge {
                let seq = ChangeStamp::new(user).seq(conn)?;
                let removed = changes::record_removals(conn, Removing::Connection(id), seq)?;
                let deleted = accounts::delete_for_connection(conn, id)?;
                let purged = connections::find(conn, id)?.ok_or(StoreError::NotFound)?;
                webhooks::transactions_changed(conn, &purged, [0, 0, removed], Utc::now())?;
                tracing::info!(connection_id = %id, accounts = deleted, "connection purged");
            } else {
                accounts::set_status_for_connection(conn, id, AccountStatus::Disconnected)?;
            }
            tracing::info!(connection_id = %id, "connection disconnected");
            let connection = connections::find(conn, id)?.ok_or(StoreError::NotFound)?;
            view(conn, connection)
        })
    }

    /// Applies a sandbox control.
    pub fn simulate(
        &self,
        user: UserId,
        id: ConnectionId,
        event: SimulationEvent,
    ) -> Result<ConnectionView, ServiceError> {
        self.db.write(|conn| {
            connections::lock(conn, id)?;
            let connection = owned(conn, user, id)?;
            connection.status.check_simulate()?;
            let (fault, offset) = match event {
                SimulationEvent::AdvanceDays(days) => {
                    if !(1..=MAX_ADVANCE_DAYS).contains(&days) {
                        return Err(FieldErrors::single("days", format!("must be from 1 to {MAX_ADVANCE_DAYS}")).into());
                    }
                    let offset = connection.advanced_offset(days).ok_or_else(|| {
                        let left = connection.clock_days_left();
                        FieldErrors::single(
                            "days",
                            format!(
                                "the sandbox clock runs at most {MAX_CLOCK_OFFSET_DAYS} days ahead; \
                                 {left} days are left"
                            ),
                        )
                    })?;
                    (connection.sandbox_fault, offset)
                }
                SimulationEvent::ExpireToken => {
                    if connection.status != ConnectionStatus::Connected {
                        return Err(ServiceError::from(LifecycleError {
                            code: ErrorCode::ConnectionNotConnected,
                            message: "only a connected connection's token can expire",
                        }));
                    }
                    (Some(SandboxFault::TokenExpired), connection.clock_offset_days)
                }
                SimulationEvent::ProviderOutage => (Some(SandboxFault::ProviderOutage), connection.clock_offset_days),
                SimulationEvent::Recover => (None, connection.clock_offset_days),
            };
            connections::set_sandbox(conn, id, fault, offset)?;
            tracing::info!(connection_id = %id, ?event, "sandbox control applied");
            let connection = connections::find(conn, id)?.ok_or(StoreError::NotFound)?;
            view(conn, connection)
        })
    }
}

impl ConnectionService {
    /// Records what a provider failure means for the connection (in its own short transaction)
    /// and returns the error to report.
    fn record_failure(
        &self,
        connection: &Connection,
        provider: &ProviderInfo,
        error: ProviderError,
    ) -> Result<ServiceError, ServiceError> {
        let (status, problem, reported) = failure_outcome(provider, error);
        if let Some(status) = status {
            self.db.write(|conn| {
                let before = connections::find(conn, connection.id)?.ok_or(StoreError::NotFound)?;
                connections::set_status(conn, connection.id, status, problem.as_ref())?;
                webhooks::status_changed(conn, &before, Utc::now())
            })?;
        }
        Ok(reported)
    }
}

/// What a provider failure does to the connection (a new status and why) and what to report.
fn failure_outcome(
    provider: &ProviderInfo,
    error: ProviderError,
) -> (Option<ConnectionStatus>, Option<ConnectionProblem>, ServiceError) {
    let problem =
        |code: ProblemCode, message: String| Some(ConnectionProblem { code: code.as_str().to_owned(), message });
    let refused = |code| ServiceError::BadRequest { code, message: error.to_string() };
    match error {
        ProviderError::InvalidCredentials => (None, None, refused(ErrorCode::InvalidCredentials)),
        ProviderError::MfaRequired => (None, None, refused(ErrorCode::MfaRequired)),
        ProviderError::InvalidMfaCode => (None, None, refused(ErrorCode::InvalidMfaCode)),
        ProviderError::AccountLocked => {
            let message = format!("{}: {error}", provider.name);
            let reported = ServiceError::BadRequest { code: ErrorCode::AccountLocked, message: message.clone() };
            (Some(ConnectionStatus::Error), problem(ProblemCode::AccountLocked, message), reported)
        }
        ProviderError::TokenExpired | ProviderError::TokenUnreadable => {
            let code = if error == ProviderError::TokenExpired {
                ProblemCode::TokenExpired
            } else {
                ProblemCode::TokenUnreadable
            };
            let message = format!("{}: {error}", provider.name);
            let reported = ServiceError::Conflict { code: ErrorCode::ConnectionExpired, message: message.clone() };
            (Some(ConnectionStatus::Expired), problem(code, message), reported)
        }
        ProviderError::Unavailable(_) => {
            let message = format!("{} is not responding; try again later", provider.name);
            let reported = ServiceError::ProviderUnavailable(message.clone());
            (Some(ConnectionStatus::Error), problem(ProblemCode::ProviderUnavailable, message), reported)
        }
        ProviderError::UnknownAccount(account) => {
            (None, None, ServiceError::Internal(format!("provider lost account {account}")))
        }
    }
}

/// How the provider knows this connection.
fn link_of<'a>(
    provider: &'a ProviderInfo,
    connection: &Connection,
    fault: Option<SandboxFault>,
    scenario: Option<&'a Scenario>,
) -> ProviderLink<'a> {
    ProviderLink {
        provider_slug: &provider.slug,
        seed: connection.seed,
        linked_on: connection.linked_on(),
        fault,
        scenario,
        clock: connection.clock(Utc::now()),
    }
}

/// The scenario connection `id` runs, if it was made from one (valid when it was stored).
fn scenario_of(conn: &mut DbConnection, id: ConnectionId) -> Result<Option<Scenario>, ServiceError> {
    let Some(json) = scenarios::of_connection(conn, id)? else { return Ok(None) };
    Ok(Some(read_stored(&json, "connection_scenarios.document")?.1))
}

/// The connection, if it is the user's: 404 when missing, 403 when someone else's.
pub(crate) fn owned(conn: &mut DbConnection, user: UserId, id: ConnectionId) -> Result<Connection, ServiceError> {
    let connection = connections::find(conn, id)?.ok_or(ServiceError::NotFound("connection"))?;
    if connection.user_id != user {
        return Err(ServiceError::Forbidden("connection"));
    }
    Ok(connection)
}

fn provider_of(conn: &mut DbConnection, connection: &Connection) -> Result<ProviderInfo, ServiceError> {
    Ok(providers::find(conn, connection.provider_id)?.ok_or(StoreError::NotFound)?)
}

fn view(conn: &mut DbConnection, connection: Connection) -> Result<ConnectionView, ServiceError> {
    let provider = provider_of(conn, &connection)?;
    Ok(ConnectionView { connection, provider })
}

/// The most characters of a bank username or password.
const MAX_CREDENTIAL_CHARS: usize = 128;

/// Each field is bounded text with no NUL; a username needs a password and the other way round.
fn check_credentials(credentials: &Credentials) -> Result<(), ServiceError> {
    let mut errors = FieldErrors::new();
    for (field, value) in [("username", &credentials.username), ("password", &credentials.password)] {
        if let Some(value) = value {
            errors.text(field, value, MAX_CREDENTIAL_CHARS);
        }
    }
    if let Some(code) = &credentials.mfa_code
        && code.contains('\0')
    {
        errors.add("mfaCode", "must not contain NUL characters");
    }
    match (&credentials.username, &credentials.password) {
        (Some(_), None) => errors.add("password", "is required with a username"),
        (None, Some(_)) => errors.add("username", "is required with a password"),
        _ => {}
    }
    if credentials.mfa_code.as_ref().is_some_and(|c| c.is_empty() || c.len() > 16) {
        errors.add("mfaCode", "must be 1 to 16 characters");
    }
    errors.into_result(|| ()).map_err(Into::into)
}
