//! Listing transactions: filters, sort and keyset pages.

use sandbank_domain::FieldErrors;
use sandbank_domain::UserId;
use sandbank_domain::transaction::Transaction;
use sandbank_domain::transaction_query::{
    CursorError, RawTransactionQuery, SortBy, SortPosition, TransactionCursor, TransactionQuery,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;
use sandbank_store::{Db, transactions, users};

use crate::error::ServiceError;
use crate::security::cursor_seal::CursorSeal;
use crate::use_cases::accounts::owned as owned_account;
use crate::use_cases::connections::owned as owned_connection;

/// One page of a listing.
#[derive(Debug, Clone)]
pub struct TransactionPage {
    /// The rows, in order.
    pub transactions: Vec<Transaction>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<String>,
    /// Whether more rows follow.
    pub has_more: bool,
    /// How many rows matched when the first page was read.
    pub total: u64,
}

/// Totals of first pages, keyed by user and query fingerprint and valid for one version of the
/// user's data (`users.updated_at`, bumped by every write to their transactions, in any
/// process). Counting a million rows takes tens of milliseconds; reading the version, one lookup.
#[derive(Debug, Default)]
struct TotalsCache {
    entries: Mutex<HashMap<(UserId, u64), (NaiveDateTime, u64)>>,
}

impl TotalsCache {
    /// Entries kept before the cache starts over.
    const CAPACITY: usize = 10_000;

    fn get(&self, key: (UserId, u64), version: NaiveDateTime) -> Option<u64> {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.get(&key).filter(|(v, _)| *v == version).map(|(_, total)| *total)
    }

    fn put(&self, key: (UserId, u64), version: NaiveDateTime, total: u64) {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= Self::CAPACITY {
            entries.clear();
        }
        entries.insert(key, (version, total));
    }
}

/// Transactions, as their owners see them.
#[derive(Debug, Clone)]
pub struct TransactionService {
    db: Db,
    totals: Arc<TotalsCache>,
    cursors: CursorSeal,
}

impl TransactionService {
    /// A service over `db` whose cursors are signed with `cursor_key`
    /// ([`crate::Keys::cursor_signing`]).
    pub fn new(db: Db, cursor_key: &[u8; 32]) -> Self {
        Self { db, totals: Arc::default(), cursors: CursorSeal::new(cursor_key) }
    }

    /// Checks a listing request as [`TransactionQuery::parse`] does, after checking that its
    /// cursor (if any) carries this server's signature: a forged or edited cursor is an error
    /// under `cursor`, with the other fields' errors.
    pub fn parse_query(&self, raw: &RawTransactionQuery<'_>) -> Result<TransactionQuery, FieldErrors> {
        let Some(sealed) = raw.cursor.filter(|text| !text.is_empty()) else { return TransactionQuery::parse(raw) };
        let payload = self.cursors.open(sealed);
        let parsed = TransactionQuery::parse(&RawTransactionQuery { cursor: payload, ..raw.clone() });
        if payload.is_some() {
            return parsed;
        }
        let mut errors = parsed.err().unwrap_or_default();
        errors.add("cursor", CursorError::Malformed.to_string());
        Err(errors)
    }

    /// One page of the user's transactions. An account or connection named in the filters must
    /// be the user's (403 otherwise, 404 when missing).
    pub fn list(&self, user: UserId, query: &TransactionQuery) -> Result<TransactionPage, ServiceError> {
        self.db.read(|conn| {
            if let Some(account) = query.filter.account_id {
                owned_account(conn, user, account)?;
            }
            if let Some(connection) = query.filter.connection_id {
                owned_connection(conn, user, connection)?;
            }
            let total = match query.cursor {
                Some(cursor) => cursor.total,
                None => {
                    let key = (user, query.fingerprint());
                    let version = users::data_version(conn, user)?;
                    match self.totals.get(key, version) {
                        Some(total) => total,
                        None => {
                            let total = u64::try_from(transactions::count(conn, user, &query.filter)?).unwrap_or(0);
                            self.totals.put(key, version, total);
                            total
                        }
                    }
                }
            };
            let after = query.cursor.map(|c| (c.position, c.id));
            let limit = usize::from(query.limit);
            let mut rows = transactions::page(
                conn,
                user,
                &query.filter,
                query.sort_by,
                query.order,
                after,
                i64::from(query.limit) + 1,
            )?;
            let has_more = rows.len() > limit;
            rows.truncate(limit);
            transactions::resolve_counterparts(conn, user, &mut rows)?;
            let next_cursor = rows.last().filter(|_| has_more).map(|last| {
                let position = match query.sort_by {
                    SortBy::Date => SortPosition::Date(last.reported.date),
                    SortBy::Amount => SortPosition::Amount(last.reported.amount.minor_units()),
                };
                let cursor = TransactionCursor { position, id: last.id, fingerprint: query.fingerprint(), total };
                self.cursors.seal(&cursor.encode())
            });
            Ok(TransactionPage { transactions: rows, next_cursor, has_more, total })
        })
    }
}
