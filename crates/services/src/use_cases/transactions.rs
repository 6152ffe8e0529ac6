//! Listing transactions: filters, sort and keyset pages.

use sandbank_domain::FieldErrors;
use sandbank_domain::TransactionId;
use sandbank_domain::UserId;
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::transaction::Transaction;
use sandbank_domain::transaction_query::{
    CursorError, RawTransactionQuery, SortBy, SortPosition, TransactionCursor, TransactionFilter, TransactionQuery,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sandbank_store::{Db, DbConnection, transactions, users};

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

/// What the rows of a listing add up to (in US dollars; both positive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListingSums {
    /// The credits.
    pub money_in: Money,
    /// The debits, as a positive amount.
    pub money_out: Money,
}

impl ListingSums {
    /// Money in less money out.
    pub fn net(&self) -> Money {
        Money::from_minor(self.money_in.minor_units() - self.money_out.minor_units(), Currency::USD)
    }
}

/// What a listing request gets: what the caller's `known` gave for the page's tag, or the page.
#[derive(Debug, Clone)]
pub enum Listing<K> {
    /// `known` had this tag: what it gave (the caller holds the page, or a rendering of it).
    Known(PageTag, K),
    /// The page, and its tag.
    Page(TransactionPage, PageTag),
}

/// The version of one page of one user's listing (an HTTP `ETag`): the user's data version
/// and a hash of the user and the query. Any write to the user's transactions, in any process,
/// gives every page a new tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageTag {
    version: i64,
    text: String,
}

impl PageTag {
    /// The tag of `query`'s page of `user`'s data at `version`.
    pub fn new(user: UserId, version: i64, query: &TransactionQuery) -> Self {
        Self { version, text: format!("{version}-{:016x}", query.page_key(user)) }
    }

    /// The tag's text (without quotes).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The version of the user's data it was taken at.
    pub fn version(&self) -> i64 {
        self.version
    }
}

/// Figures of a listing (first pages' totals, what the rows add up to), keyed by user and query
/// fingerprint and valid for one version of the user's data ([`users::data_version`], taken by
/// every write to their transactions, in any process). Counting a million rows takes tens of
/// milliseconds; reading the version, one lookup.
#[derive(Debug)]
struct FiguresCache<V> {
    entries: Mutex<HashMap<(UserId, u64), (i64, V)>>,
}

impl<V> Default for FiguresCache<V> {
    fn default() -> Self {
        Self { entries: Mutex::default() }
    }
}

impl<V: Copy> FiguresCache<V> {
    /// Entries kept before the cache starts over.
    const CAPACITY: usize = 10_000;

    fn get(&self, key: (UserId, u64), version: i64) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.get(&key).filter(|(v, _)| *v == version).map(|(_, total)| *total)
    }

    fn put(&self, key: (UserId, u64), version: i64, total: V) {
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
    totals: Arc<FiguresCache<u64>>,
    sums: Arc<FiguresCache<ListingSums>>,
    cursors: CursorSeal,
}

impl TransactionService {
    /// A service over `db` whose cursors are signed with `cursor_key`
    /// ([`crate::Keys::cursor_signing`]).
    pub fn new(db: Db, cursor_key: &[u8; 32]) -> Self {
        Self { db, totals: Arc::default(), sums: Arc::default(), cursors: CursorSeal::new(cursor_key) }
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
            let version = users::data_version(conn, user)?;
            self.read_page(conn, user, query, version)
        })
    }

    /// What the rows `query`'s filters match add up to (its sort and page do not matter),
    /// summed once per version of the user's data.
    pub fn sums(&self, user: UserId, query: &TransactionQuery) -> Result<ListingSums, ServiceError> {
        self.db.read(|conn| {
            let (key, version) = ((user, query.fingerprint()), users::data_version(conn, user)?);
            if let Some(sums) = self.sums.get(key, version) {
                return Ok(sums);
            }
            let (credits, debits) = transactions::sums(conn, user, &query.filter)?;
            let usd = |minor| Money::from_minor(minor, Currency::USD);
            let sums = ListingSums { money_in: usd(credits), money_out: usd(-debits) };
            self.sums.put(key, version, sums);
            Ok(sums)
        })
    }

    /// As [`Self::list`], with the page's tag; or [`Listing::Known`] when `known` has something
    /// for that tag (the caller holds it, or a rendering of it is kept): one lookup, no page
    /// query.
    ///
    /// The version is read before the rows: a write landing in between gives newer rows under
    /// the older tag, which the next request's newer version replaces — never an old page under
    /// a new tag.
    pub fn list_if_changed<K>(
        &self,
        user: UserId,
        query: &TransactionQuery,
        known: impl FnOnce(&PageTag) -> Option<K>,
    ) -> Result<Listing<K>, ServiceError> {
        self.db.read(|conn| {
            let (tag, held) = known_at_current_version(conn, user, query, known)?;
            match held {
                Some(held) => Ok(Listing::Known(tag, held)),
                None => Ok(Listing::Page(self.read_page(conn, user, query, tag.version())?, tag)),
            }
        })
    }

    /// What `known` has for the page's current tag, when that can be told here and now (see
    /// [`Db::read_at_once`]: on SQLite, a version read of a few microseconds on the caller's
    /// thread); `None` when it cannot, or when `known` has nothing — then
    /// [`Self::list_if_changed`] tells (and reports a failed read).
    pub fn known_at_once<K>(
        &self,
        user: UserId,
        query: &TransactionQuery,
        known: impl FnOnce(&PageTag) -> Option<K>,
    ) -> Option<(PageTag, K)> {
        let (tag, held) = self.db.read_at_once(|conn| known_at_current_version(conn, user, query, known))?.ok()?;
        Some((tag, held?))
    }

    /// The page of `query` at `version` of the user's data. A page with rows proves that the
    /// account or connection it names is the user's (every row read is theirs): only an empty
    /// page asks.
    fn read_page(
        &self,
        conn: &mut DbConnection,
        user: UserId,
        query: &TransactionQuery,
        version: i64,
    ) -> Result<TransactionPage, ServiceError> {
        let total = match query.cursor {
            Some(cursor) => cursor.total,
            None => self.first_page_total(conn, user, query, version)?,
        };
        let after = query.cursor.map(|c| (c.position, c.id));
        let (rows, has_more) = chunk(conn, user, query, after, usize::from(query.limit))?;
        if rows.is_empty() {
            check_owned(conn, user, &query.filter)?;
        }
        let next_cursor = rows.last().filter(|_| has_more).map(|last| {
            let (position, id) = position_of(query, last);
            let cursor = TransactionCursor { position, id, fingerprint: query.fingerprint(), total };
            self.cursors.seal(&cursor.encode())
        });
        Ok(TransactionPage { transactions: rows, next_cursor, has_more, total })
    }

    /// How many rows `query` matches, counted once per version of the user's data.
    fn first_page_total(
        &self,
        conn: &mut DbConnection,
        user: UserId,
        query: &TransactionQuery,
        version: i64,
    ) -> Result<u64, ServiceError> {
        let key = (user, query.fingerprint());
        if let Some(total) = self.totals.get(key, version) {
            return Ok(total);
        }
        let total = u64::try_from(transactions::count(conn, user, &query.filter)?).unwrap_or(0);
        self.totals.put(key, version, total);
        Ok(total)
    }

    /// The rows of `query` after `after` (every row when `None`), at most `limit` of them, read
    /// the way [`Self::list`] reads a page (the same keyset query, counterparts resolved); the
    /// query's own cursor and limit are not used. An export reads every matching row by calling
    /// this until [`ExportChunk::next`] is `None`; each call is its own short read.
    pub fn export_chunk(
        &self,
        user: UserId,
        query: &TransactionQuery,
        after: Option<ExportPosition>,
        limit: usize,
    ) -> Result<ExportChunk, ServiceError> {
        self.db.read(|conn| {
            check_owned(conn, user, &query.filter)?;
            let (rows, has_more) = chunk(conn, user, query, after.map(|p| p.0), limit)?;
            let next = rows.last().filter(|_| has_more).map(|last| ExportPosition(position_of(query, last)));
            Ok(ExportChunk { transactions: rows, next })
        })
    }
}

/// Where an export stands: the sort key and id of the last row it read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportPosition((SortPosition, TransactionId));

/// One chunk of an export.
#[derive(Debug, Clone)]
pub struct ExportChunk {
    /// The rows, in the query's order.
    pub transactions: Vec<Transaction>,
    /// Where the next chunk starts; `None` after the last.
    pub next: Option<ExportPosition>,
}

/// The page's tag at the current version of the user's data, and what `known` has for it.
fn known_at_current_version<K>(
    conn: &mut DbConnection,
    user: UserId,
    query: &TransactionQuery,
    known: impl FnOnce(&PageTag) -> Option<K>,
) -> Result<(PageTag, Option<K>), ServiceError> {
    let tag = PageTag::new(user, users::data_version(conn, user)?, query);
    let held = known(&tag);
    Ok((tag, held))
}

/// An account or connection named in `filter` must be the user's (403 otherwise, 404 when
/// missing).
fn check_owned(conn: &mut DbConnection, user: UserId, filter: &TransactionFilter) -> Result<(), ServiceError> {
    if let Some(account) = filter.account_id {
        owned_account(conn, user, account)?;
    }
    if let Some(connection) = filter.connection_id {
        owned_connection(conn, user, connection)?;
    }
    Ok(())
}

/// Up to `limit` rows of `query` after `after`, in its order (the keyset query), with their
/// transfer counterparts resolved, and whether more follow.
fn chunk(
    conn: &mut DbConnection,
    user: UserId,
    query: &TransactionQuery,
    after: Option<(SortPosition, TransactionId)>,
    limit: usize,
) -> Result<(Vec<Transaction>, bool), ServiceError> {
    let fetch = i64::try_from(limit).unwrap_or(i64::MAX - 1) + 1;
    let mut rows = transactions::page(conn, user, &query.filter, query.sort_by, query.order, after, fetch)?;
    let has_more = rows.len() > limit;
    rows.truncate(limit);
    transactions::resolve_counterparts(conn, user, &mut rows)?;
    Ok((rows, has_more))
}

/// Where `row` stands in `query`'s order: its sort key and id.
fn position_of(query: &TransactionQuery, row: &Transaction) -> (SortPosition, TransactionId) {
    let position = match query.sort_by {
        SortBy::Date => SortPosition::Date(row.reported.date),
        SortBy::Amount => SortPosition::Amount(row.reported.amount.minor_units()),
    };
    (position, row.id)
}
