//! A sync in two halves: fetch everything new from the provider with no transaction open, then
//! apply it in chunks of days, each its own short write transaction that renews the lease and
//! records progress in `synced_through`. The last chunk marks the connection synced.

use std::collections::HashMap;
use std::ops::Range;

use chrono::{DateTime, Days, NaiveDate, Utc};
use sandbank_domain::account::Account;
use sandbank_domain::bank_data::ReportedAccount;
use sandbank_domain::connection::{Connection, ConnectionStatus, LifecycleError};
use sandbank_domain::job::JobKind;
use sandbank_domain::{AccountId, ConnectionId, ErrorCode};
use sandbank_store::accounts::{self, AccountOwner};
use sandbank_store::changes::ChangeStamp;
use sandbank_store::transactions::{self, AccountKey};
use sandbank_store::{DbConnection, StoreError, connections, jobs, snapshots};

use super::SyncReport;
use super::lease::Lease;
use crate::error::ServiceError;
use crate::jobs::categorize;
use crate::providers::{AccountData, ProviderError, ProviderLink};

/// How far back a sync looks again: pending rows settle within 3 days and refunds reach back
/// at most 21, so re-reading 24 days catches every change to an earlier row.
pub const SYNC_OVERLAP_DAYS: u64 = 24;

/// One account's data as fetched, and where it is stored.
struct FetchedAccount {
    reported: ReportedAccount,
    data: AccountData,
    /// The first day fetched: the history's start for a new account, else the overlap's.
    from: NaiveDate,
    /// The stored account, once there is one.
    stored: Option<AccountId>,
}

/// Everything a sync fetched, ready to apply.
pub(super) struct Backlog {
    connection: Connection,
    today: NaiveDate,
    now: DateTime<Utc>,
    accounts: Vec<FetchedAccount>,
}

impl Backlog {
    /// Asks the provider for every account's data since the last sync (a new account's whole
    /// history). No database transaction is open meanwhile.
    pub(super) fn fetch(
        provider: &dyn crate::providers::Provider,
        link: &ProviderLink<'_>,
        token: &str,
        connection: Connection,
        stored: Vec<Account>,
    ) -> Result<Self, ProviderError> {
        let now = Utc::now();
        let clock = connection.clock(now);
        let today = clock.date_naive();
        let stored: HashMap<String, AccountId> = stored.into_iter().map(|a| (a.external_id, a.id)).collect();
        let since = connection.synced_through.and_then(|d| d.checked_sub_days(Days::new(SYNC_OVERLAP_DAYS)));
        let mut accounts = Vec::new();
        for reported in provider.accounts(link, token)? {
            let stored = stored.get(&reported.external_id).copied();
            let since = if stored.is_some() { since } else { None };
            let data = provider.fetch(link, token, &reported.external_id, since, clock)?;
            let first_day = data.transactions.iter().map(|t| t.date).chain(data.snapshots.iter().map(|s| s.date)).min();
            let from = since.or(first_day).unwrap_or(today);
            accounts.push(FetchedAccount { reported, data, from, stored });
        }
        Ok(Self { connection, today, now, accounts })
    }

    /// The chunks of days to apply, oldest first; at least one, ending with today.
    pub(super) fn chunks(&self, chunk_days: u32) -> Vec<Range<NaiveDate>> {
        let end = self.today.succ_opt().unwrap_or(self.today);
        let mut start = self.accounts.iter().map(|a| a.from).min().unwrap_or(self.today).min(self.today);
        let mut chunks = Vec::new();
        while start < end {
            let next = start.checked_add_days(Days::new(u64::from(chunk_days))).unwrap_or(end).min(end);
            chunks.push(start..next);
            start = next;
        }
        chunks
    }

    /// Applies one chunk of days inside the caller's transaction: the lease is renewed first,
    /// and a connection disconnected meanwhile stops the sync. The last chunk also refreshes
    /// the accounts' figures and marks the connection synced.
    pub(super) fn apply(
        &mut self,
        conn: &mut DbConnection,
        lease: &Lease,
        days: Range<NaiveDate>,
        last: bool,
        report: &mut SyncReport,
    ) -> Result<(), ServiceError> {
        let id = self.connection.id;
        connections::lock(conn, id)?;
        still_wanted(conn, id)?;
        lease.renew(conn)?;
        let owner = AccountOwner {
            user_id: self.connection.user_id,
            connection_id: id,
            provider_id: self.connection.provider_id,
        };
        let mut stamp = ChangeStamp::new(self.connection.user_id);
        for account in &mut self.accounts {
            let account_id = match account.stored {
                Some(account_id) => account_id,
                None => {
                    let data = &account.data;
                    let account_id =
                        accounts::insert(conn, owner, &account.reported, &data.balances, data.statement.as_ref())?;
                    account.stored = Some(account_id);
                    account_id
                }
            };
            let window = days.start.max(account.from)..days.end;
            if window.start < window.end {
                let key = AccountKey { account_id, connection_id: id, user_id: self.connection.user_id };
                apply_window(conn, key, window.clone(), &account.data, &mut stamp, report)?;
                let snapshots: Vec<_> =
                    account.data.snapshots.iter().filter(|s| window.contains(&s.date)).cloned().collect();
                snapshots::replace_days(conn, account_id, &snapshots)?;
            }
            if last {
                accounts::update_figures(conn, account_id, &account.data.balances, account.data.statement.as_ref())?;
            }
        }
        if last {
            self.finish(conn, report)
        } else {
            let through = days.end.pred_opt().unwrap_or(days.end);
            Ok(connections::record_progress(conn, id, through)?)
        }
    }

    /// Marks the connection synced through today and queues the jobs that follow a sync.
    fn finish(&self, conn: &mut DbConnection, report: &mut SyncReport) -> Result<(), ServiceError> {
        let connection = &self.connection;
        connections::record_sync(conn, connection.id, self.today, self.now)?;
        crate::use_cases::webhooks::after_sync(conn, connection, report, self.now)?;
        for kind in [JobKind::CategorizeTransactions, JobKind::CalculateAccountBalance] {
            if !jobs::has_open(conn, kind, connection.id)? {
                jobs::enqueue(conn, kind, Some(connection.user_id), Some(connection.id), 3, self.now)?;
            }
        }
        report.synced_at = self.now;
        report.accounts_updated = self.accounts.len();
        Ok(())
    }
}

/// Refuses to go on when the connection was disconnected while the sync ran.
fn still_wanted(conn: &mut DbConnection, id: ConnectionId) -> Result<(), ServiceError> {
    let connection = connections::find(conn, id)?.ok_or(StoreError::NotFound)?;
    if connection.status == ConnectionStatus::Disconnected {
        return Err(LifecycleError {
            code: ErrorCode::ConnectionDisconnected,
            message: "the connection was disconnected while it synced",
        }
        .into());
    }
    Ok(())
}

/// Applies one account's rows dated in `days`: new rows (categorised by the rules before they
/// are first stored, so the sync's counts are its whole change), changed settlements or
/// counterparts, dropped rows; each change stamped with `stamp`.
fn apply_window(
    conn: &mut DbConnection,
    key: AccountKey,
    days: Range<NaiveDate>,
    data: &AccountData,
    stamp: &mut ChangeStamp,
    report: &mut SyncReport,
) -> Result<(), ServiceError> {
    let mut existing: HashMap<String, transactions::Settlement> =
        transactions::settlements_between(conn, key.account_id, days.clone())?
            .into_iter()
            .map(|s| (s.external_id.clone(), s))
            .collect();
    let mut new_rows = Vec::new();
    for reported in data.transactions.iter().filter(|t| days.contains(&t.date)) {
        match existing.remove(&reported.external_id) {
            None => new_rows.push(categorize::categorized(reported)),
            Some(stored) if stored.differs_from(reported) => {
                transactions::settle(conn, stored.id, reported, stamp)?;
                report.transactions_modified += 1;
            }
            Some(_) => {}
        }
    }
    let dropped: Vec<_> = existing.into_values().map(|s| s.id).collect();
    report.transactions_removed += transactions::delete(conn, &dropped, stamp)?;
    report.transactions_added += transactions::insert(conn, key, &new_rows, stamp)?;
    Ok(())
}
