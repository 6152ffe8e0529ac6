//! The connection lifecycle: create, the consent (authorize), sync, disconnect, and the sandbox
//! controls. Every multi-row write is one transaction; the connection's row is locked first,
//! so concurrent syncs of one connection run one after the other.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Days, NaiveDate, Utc};
use sandbank_domain::account::{Account, AccountStatus};
use sandbank_domain::bank_data::ReportedAccount;
use sandbank_domain::connection::{Connection, ConnectionProblem, ConnectionStatus, LifecycleError, SandboxFault};
use sandbank_domain::job::JobKind;
use sandbank_domain::provider::Provider as ProviderInfo;
use sandbank_domain::{ConnectionId, FieldErrors, ProviderId, UserId};
use sandbank_store::accounts::{self, AccountOwner};
use sandbank_store::transactions::{self, AccountKey};
use sandbank_store::{Db, DbConnection, StoreError, connections, jobs, providers, snapshots, users};

use crate::error::ServiceError;
use crate::provider::{AccountData, Credentials, Provider, ProviderError, ProviderLink};
use crate::rate_limit::{Limits, RateLimiter};
use crate::token_vault::TokenVault;

/// How far back a sync looks again: pending rows settle within 3 days and refunds reach back
/// at most 21, so re-reading 24 days catches every change to an earlier row.
pub const SYNC_OVERLAP_DAYS: u64 = 24;

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
}

/// A use case's result inside a transaction: `Ok(Err(e))` commits what was written (a status
/// change) and still reports `e`; `Err(e)` rolls back.
type Committed<T> = Result<Result<T, ServiceError>, ServiceError>;

impl ConnectionService {
    /// A service over `db`, getting data from `provider` and sealing tokens with `vault`.
    pub fn new(db: Db, provider: Arc<dyn Provider>, vault: Arc<TokenVault>, limits: Limits) -> Self {
        let limiter = RateLimiter::new(db.clone());
        Self { db, provider, vault, limiter, limits }
    }

    /// Starts a connection to `provider_id` in `authorizing`. `seed` makes its data
    /// reproducible; without one a random seed is chosen.
    pub fn create(
        &self,
        user: UserId,
        provider_id: Option<&str>,
        seed: Option<i64>,
    ) -> Result<ConnectionView, ServiceError> {
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
        let Some(provider_id) = provider_id.filter(|_| errors.is_empty()) else { return Err(errors.into()) };
        let provider = self
            .db
            .read(|conn| providers::find(conn, provider_id))?
            .ok_or_else(|| FieldErrors::single("providerId", "no such provider"))?;
        self.limiter.check(&format!("connections:{user}"), self.limits.connection_creations)?;
        let seed = seed.unwrap_or_else(|| (uuid::Uuid::new_v4().as_u64_pair().0 & MAX_SEED as u64) as i64);
        let connection = self.db.write(|conn| connections::insert(conn, user, provider_id, seed))?;
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
    /// new). One transaction.
    pub fn authorize(
        &self,
        user: UserId,
        id: ConnectionId,
        credentials: &Credentials,
    ) -> Result<(ConnectionView, SyncReport), ServiceError> {
        check_credentials(credentials)?;
        let outcome: Committed<_> = self.db.write(|conn| {
            connections::lock(conn, id)?;
            let connection = owned(conn, user, id)?;
            connection.status.check_authorize()?;
            let provider = provider_of(conn, &connection)?;
            // A new token replaces an expired one; an outage stays until `recover`.
            let fault = connection.sandbox_fault.filter(|f| *f == SandboxFault::ProviderOutage);
            let link = ProviderLink {
                provider_slug: &provider.slug,
                seed: connection.seed,
                linked_on: connection.linked_on(),
                fault,
            };
            let token = match self.provider.authorize(&link, credentials) {
                Ok(token) => token,
                Err(error) => return Ok(Err(record_failure(conn, &connection, &provider, error)?)),
            };
            connections::set_sandbox(conn, id, fault, connection.clock_offset_days)?;
            connections::set_token(conn, id, Some(&self.vault.seal(&token, &id.to_string())?))?;
            let report = match self.load(conn, &connection, &link, &token)? {
                Ok(report) => report,
                Err(error) => return Ok(Err(record_failure(conn, &connection, &provider, error)?)),
            };
            tracing::info!(connection_id = %id, added = report.transactions_added, "connection authorized");
            let connection = connections::find(conn, id)?.ok_or(StoreError::NotFound)?;
            Ok(Ok((ConnectionView { connection, provider }, report)))
        });
        outcome?
    }

    /// Fetches what is new since the last sync and applies it. One transaction.
    pub fn sync(&self, user: UserId, id: ConnectionId) -> Result<SyncReport, ServiceError> {
        self.sync_as(Some(user), id)
    }

    /// The same sync, run by a background job on behalf of the connection's owner.
    pub fn sync_for_job(&self, id: ConnectionId) -> Result<SyncReport, ServiceError> {
        self.sync_as(None, id)
    }

    fn sync_as(&self, user: Option<UserId>, id: ConnectionId) -> Result<SyncReport, ServiceError> {
        let outcome: Committed<_> = self.db.write(|conn| {
            connections::lock(conn, id)?;
            let connection = match user {
                Some(user) => owned(conn, user, id)?,
                None => connections::find(conn, id)?.ok_or(ServiceError::NotFound("connection"))?,
            };
            connection.status.check_sync()?;
            let provider = provider_of(conn, &connection)?;
            let sealed = connections::sealed_token(conn, id)?.ok_or_else(|| {
                ServiceError::from(LifecycleError {
                    code: "connection_not_authorized",
                    message: "the connection has no access token; authorize it again",
                })
            })?;
            let token = self.vault.open(&sealed, &id.to_string())?;
            let link = ProviderLink {
                provider_slug: &provider.slug,
                seed: connection.seed,
                linked_on: connection.linked_on(),
                fault: connection.sandbox_fault,
            };
            match self.load(conn, &connection, &link, &token)? {
                Ok(report) => Ok(Ok(report)),
                Err(error) => Ok(Err(record_failure(conn, &connection, &provider, error)?)),
            }
        });
        outcome?
    }

    /// Fetches every account's new data from the provider, then writes it. A provider failure
    /// comes back before anything is written.
    fn load(
        &self,
        conn: &mut DbConnection,
        connection: &Connection,
        link: &ProviderLink<'_>,
        token: &str,
    ) -> Result<Result<SyncReport, ProviderError>, ServiceError> {
        let now = Utc::now();
        let today = connection.today(now);
        let stored: HashMap<String, Account> =
            accounts::for_connection(conn, connection.id)?.into_iter().map(|a| (a.external_id.clone(), a)).collect();
        let since = connection.synced_through.map(|d| d - Days::new(SYNC_OVERLAP_DAYS));
        let mut fetched: Vec<(ReportedAccount, AccountData)> = Vec::new();
        let reported = match self.provider.accounts(link, token) {
            Ok(reported) => reported,
            Err(error) => return Ok(Err(error)),
        };
        for account in reported {
            let from = if stored.contains_key(&account.external_id) { since } else { None };
            match self.provider.fetch(link, token, &account.external_id, from, today) {
                Ok(data) => fetched.push((account, data)),
                Err(error) => return Ok(Err(error)),
            }
        }
        let mut report = SyncReport {
            synced_at: now,
            accounts_updated: 0,
            transactions_added: 0,
            transactions_modified: 0,
            transactions_removed: 0,
        };
        let owner = AccountOwner {
            user_id: connection.user_id,
            connection_id: connection.id,
            provider_id: connection.provider_id,
        };
        for (account, data) in &fetched {
            match stored.get(&account.external_id) {
                None => {
                    let account_id = accounts::insert(conn, owner, account, &data.balances, data.statement.as_ref())?;
                    let key = AccountKey { account_id, connection_id: connection.id, user_id: connection.user_id };
                    report.transactions_added += transactions::insert(conn, key, &data.transactions)?;
                    snapshots::replace_from(conn, account_id, &data.snapshots)?;
                }
                Some(existing) => {
                    let changes = apply_changes(conn, connection, existing, since, data)?;
                    report.transactions_added += changes.0;
                    report.transactions_modified += changes.1;
                    report.transactions_removed += changes.2;
                    accounts::update_figures(conn, existing.id, &data.balances, data.statement.as_ref())?;
                    snapshots::replace_from(conn, existing.id, &data.snapshots)?;
                }
            }
            report.accounts_updated += 1;
        }
        connections::record_sync(conn, connection.id, today, now)?;
        users::touch(conn, connection.user_id)?;
        // After each sync: correct categories, then check the balances against the rows.
        for kind in [JobKind::CategorizeTransactions, JobKind::CalculateAccountBalance] {
            if !jobs::has_open(conn, kind, connection.id)? {
                jobs::enqueue(conn, kind, Some(connection.user_id), Some(connection.id), 3, now)?;
            }
        }
        Ok(Ok(report))
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
            if purge {
                let deleted = accounts::delete_for_connection(conn, id)?;
                users::touch(conn, user)?;
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
                    let offset = connection.clock_offset_days.saturating_add(i32::try_from(days).unwrap_or(i32::MAX));
                    (connection.sandbox_fault, offset)
                }
                SimulationEvent::ExpireToken => {
                    if connection.status != ConnectionStatus::Connected {
                        return Err(ServiceError::from(LifecycleError {
                            code: "connection_not_connected",
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

/// Applies one account's fetched window: new rows, changed settlements, dropped rows.
fn apply_changes(
    conn: &mut DbConnection,
    connection: &Connection,
    account: &Account,
    since: Option<NaiveDate>,
    data: &AccountData,
) -> Result<(usize, usize, usize), ServiceError> {
    let window_start = since.unwrap_or(NaiveDate::MIN);
    let mut existing: HashMap<String, transactions::Settlement> =
        transactions::settlements_since(conn, account.id, window_start)?
            .into_iter()
            .map(|s| (s.external_id.clone(), s))
            .collect();
    let mut new_rows = Vec::new();
    let mut modified = 0;
    for reported in &data.transactions {
        match existing.remove(&reported.external_id) {
            None => new_rows.push(reported.clone()),
            Some(stored) if stored.status != reported.status || stored.posted_at != reported.posted_at => {
                transactions::settle(conn, stored.id, reported.status, reported.posted_at)?;
                modified += 1;
            }
            Some(_) => {}
        }
    }
    let dropped: Vec<_> = existing.into_values().map(|s| s.id).collect();
    let removed = transactions::delete(conn, &dropped)?;
    let key = AccountKey { account_id: account.id, connection_id: connection.id, user_id: connection.user_id };
    let added = transactions::insert(conn, key, &new_rows)?;
    Ok((added, modified, removed))
}

/// Records what a provider failure means for the connection and returns the error to report.
fn record_failure(
    conn: &mut DbConnection,
    connection: &Connection,
    provider: &ProviderInfo,
    error: ProviderError,
) -> Result<ServiceError, ServiceError> {
    let problem = |code: &str, message: String| ConnectionProblem { code: code.to_owned(), message };
    Ok(match error {
        ProviderError::InvalidCredentials => {
            ServiceError::BadRequest { code: "invalid_credentials", message: error.to_string() }
        }
        ProviderError::MfaRequired => ServiceError::BadRequest { code: "mfa_required", message: error.to_string() },
        ProviderError::InvalidMfaCode => {
            ServiceError::BadRequest { code: "invalid_mfa_code", message: error.to_string() }
        }
        ProviderError::AccountLocked => {
            let problem = problem("account_locked", format!("{}: {error}", provider.name));
            connections::set_status(conn, connection.id, ConnectionStatus::Error, Some(&problem))?;
            ServiceError::BadRequest { code: "account_locked", message: problem.message }
        }
        ProviderError::TokenExpired => {
            let problem = problem("token_expired", format!("{}: {error}", provider.name));
            connections::set_status(conn, connection.id, ConnectionStatus::Expired, Some(&problem))?;
            ServiceError::Conflict { code: "connection_expired", message: problem.message }
        }
        ProviderError::Unavailable(_) => {
            let message = format!("{} is not responding; try again later", provider.name);
            let problem = problem("provider_unavailable", message.clone());
            connections::set_status(conn, connection.id, ConnectionStatus::Error, Some(&problem))?;
            ServiceError::ProviderUnavailable(message)
        }
        ProviderError::UnknownAccount(account) => ServiceError::Internal(format!("provider lost account {account}")),
    })
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

/// A username needs a password and the other way round.
fn check_credentials(credentials: &Credentials) -> Result<(), ServiceError> {
    let mut errors = FieldErrors::new();
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
