//! The `financial_transactions` table.

use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Text};
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::transaction::{
    Category, Location, PaymentChannel, ReportedTransaction, Transaction, TransactionStatus, TransactionType,
};
use sandbank_domain::transaction_query::{SearchText, SortBy, SortOrder, SortPosition, TransactionFilter};
use sandbank_domain::{AccountId, ConnectionId, TransactionId, UserId};

use crate::batch::insert_batch;
use crate::changes::{self, ChangeStamp, Removing};
use crate::db::{DbConnection, MultiBackend};
use crate::error::StoreError;
use crate::fragments::{ExternalIdInJson, Past};
use crate::read_text::Parsed;
use crate::read_time::{ReadDate, ReadTime};
use crate::schema::financial_transactions as ft;
use crate::schema::provider_connections as pc;
use crate::sql_types::DbId;
use crate::time::{from_db_time, now_for_db, to_db_time};

/// The account a batch of transactions belongs to, with its denormalised owners.
#[derive(Debug, Clone, Copy)]
pub struct AccountKey {
    /// The account.
    pub account_id: AccountId,
    /// Its connection.
    pub connection_id: ConnectionId,
    /// Its user.
    pub user_id: UserId,
}

#[derive(Insertable)]
#[diesel(table_name = ft)]
struct NewTransactionRow<'a> {
    id: DbId,
    account_id: DbId,
    connection_id: DbId,
    user_id: DbId,
    external_id: &'a str,
    amount_minor: i64,
    currency: String,
    transaction_type: &'a str,
    status: &'a str,
    date: NaiveDate,
    authorized_at: Option<NaiveDateTime>,
    posted_at: Option<NaiveDateTime>,
    merchant_name: &'a str,
    description: &'a str,
    category: &'a str,
    location_city: Option<&'a str>,
    location_region: Option<&'a str>,
    location_country: Option<&'a str>,
    payment_channel: &'a str,
    refund_of_external_id: Option<&'a str>,
    counterpart_external_id: Option<&'a str>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    change_seq: i64,
    created_seq: i64,
    posted_seq: Option<i64>,
}

/// Stores reported transactions of one account, stamped with this write's change number;
/// returns how many.
pub fn insert(
    conn: &mut DbConnection,
    key: AccountKey,
    reported: &[ReportedTransaction],
    stamp: &mut ChangeStamp,
) -> Result<usize, StoreError> {
    if reported.is_empty() {
        return Ok(0);
    }
    let seq = stamp.seq(conn)?;
    let now = now_for_db();
    let rows: Vec<NewTransactionRow<'_>> = reported
        .iter()
        .map(|t| NewTransactionRow {
            id: DbId::of(TransactionId::new()),
            account_id: DbId::of(key.account_id),
            connection_id: DbId::of(key.connection_id),
            user_id: DbId::of(key.user_id),
            external_id: &t.external_id,
            amount_minor: t.amount.minor_units(),
            currency: t.amount.currency().to_string(),
            transaction_type: t.transaction_type.as_str(),
            status: t.status.as_str(),
            date: t.date,
            authorized_at: t.authorized_at.map(to_db_time),
            posted_at: t.posted_at.map(to_db_time),
            merchant_name: &t.merchant_name,
            description: &t.description,
            category: t.category.as_str(),
            location_city: t.location.as_ref().map(|l| l.city.as_str()),
            location_region: t.location.as_ref().map(|l| l.region.as_str()),
            location_country: t.location.as_ref().map(|l| l.country.as_str()),
            payment_channel: t.payment_channel.as_str(),
            refund_of_external_id: t.refund_of.as_deref(),
            counterpart_external_id: t.counterpart_external_id.as_deref(),
            created_at: now,
            updated_at: now,
            change_seq: seq,
            created_seq: seq,
            posted_seq: (t.status != TransactionStatus::Pending).then_some(seq),
        })
        .collect();
    Ok(insert_batch!(conn, ft::table, rows))
}

/// What a sync compares of a stored transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    /// The row.
    pub id: TransactionId,
    /// The provider's id.
    pub external_id: String,
    /// Its status.
    pub status: TransactionStatus,
    /// When it posted.
    pub posted_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The external id of the other side of a transfer.
    pub counterpart_external_id: Option<String>,
}

impl Settlement {
    /// Whether `reported` (the same row in a later report) differs from what is stored.
    pub fn differs_from(&self, reported: &ReportedTransaction) -> bool {
        self.status != reported.status
            || self.posted_at != reported.posted_at
            || self.counterpart_external_id != reported.counterpart_external_id
    }
}

/// The settlement state of an account's transactions dated in `days`.
pub fn settlements_between(
    conn: &mut DbConnection,
    account_id: AccountId,
    days: std::ops::Range<NaiveDate>,
) -> Result<Vec<Settlement>, StoreError> {
    let rows: Vec<SettlementRow> = ft::table
        .filter(ft::account_id.eq(DbId::of(account_id)))
        .filter(ft::date.ge(days.start))
        .filter(ft::date.lt(days.end))
        .select(SettlementRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            Ok(Settlement {
                id: row.id.into(),
                external_id: row.external_id,
                status: row.status.parse().map_err(|e| StoreError::corrupt("status", e))?,
                posted_at: row.posted_at.map(from_db_time),
                counterpart_external_id: row.counterpart_external_id,
            })
        })
        .collect()
}

/// What [`settlements_between`] reads of a row.
#[derive(Queryable, Selectable)]
#[diesel(table_name = ft)]
struct SettlementRow {
    id: DbId,
    external_id: String,
    status: String,
    posted_at: Option<NaiveDateTime>,
    counterpart_external_id: Option<String>,
}

/// Records what a later report says of a stored row (see [`Settlement::differs_from`]): a new
/// settlement state (pending → posted, posted → refunded) and its counterpart. A change.
pub fn settle(
    conn: &mut DbConnection,
    id: TransactionId,
    reported: &ReportedTransaction,
    stamp: &mut ChangeStamp,
) -> Result<(), StoreError> {
    let seq = stamp.seq(conn)?;
    let row = ft::table.find(DbId::of(id));
    let status = reported.status;
    diesel::update(row)
        .set((
            ft::status.eq(status.as_str()),
            ft::posted_at.eq(reported.posted_at.map(to_db_time)),
            ft::counterpart_external_id.eq(reported.counterpart_external_id.as_deref()),
            ft::updated_at.eq(now_for_db()),
            ft::change_seq.eq(seq),
        ))
        .execute(conn)?;
    if status != TransactionStatus::Pending {
        // The first change that takes it out of pending is when it posted.
        diesel::update(row.filter(ft::posted_seq.is_null())).set(ft::posted_seq.eq(seq)).execute(conn)?;
    }
    Ok(())
}

/// Deletes transactions the provider no longer reports (dropped authorizations), recording
/// their removal for the change feed first.
pub fn delete(conn: &mut DbConnection, ids: &[TransactionId], stamp: &mut ChangeStamp) -> Result<usize, StoreError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let seq = stamp.seq(conn)?;
    changes::record_removals(conn, Removing::Ids(ids), seq)?;
    let ids: Vec<DbId> = ids.iter().map(|id| DbId::of(*id)).collect();
    let mut deleted = 0;
    for chunk in ids.chunks(crate::batch::CHUNK) {
        deleted += diesel::delete(ft::table.filter(ft::id.eq_any(chunk))).execute(conn)?;
    }
    Ok(deleted)
}

/// A transaction row as read for the API.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = ft)]
pub(crate) struct TransactionRow {
    id: DbId,
    account_id: DbId,
    connection_id: DbId,
    external_id: String,
    amount_minor: i64,
    currency: Parsed<Currency>,
    transaction_type: Parsed<TransactionType>,
    status: Parsed<TransactionStatus>,
    date: ReadDate,
    authorized_at: Option<ReadTime>,
    posted_at: Option<ReadTime>,
    merchant_name: String,
    description: String,
    category: Parsed<Category>,
    location_city: Option<String>,
    location_region: Option<String>,
    location_country: Option<String>,
    payment_channel: Parsed<PaymentChannel>,
    refund_of_external_id: Option<String>,
    counterpart_external_id: Option<String>,
}

impl From<TransactionRow> for Transaction {
    fn from(row: TransactionRow) -> Self {
        let location = match (row.location_city, row.location_region, row.location_country) {
            (Some(city), Some(region), Some(country)) => Some(Location { city, region, country }),
            _ => None,
        };
        Transaction {
            id: row.id.into(),
            account_id: row.account_id.into(),
            connection_id: row.connection_id.into(),
            reported: ReportedTransaction {
                external_id: row.external_id,
                amount: Money::from_minor(row.amount_minor, row.currency.0),
                transaction_type: row.transaction_type.0,
                status: row.status.0,
                date: row.date.0,
                authorized_at: row.authorized_at.map(|t| from_db_time(t.0)),
                posted_at: row.posted_at.map(|t| from_db_time(t.0)),
                merchant_name: row.merchant_name,
                description: row.description,
                category: row.category.0,
                location,
                payment_channel: row.payment_channel.0,
                refund_of: row.refund_of_external_id,
                counterpart_external_id: row.counterpart_external_id,
            },
            counterpart_id: None,
        }
    }
}

/// How many transactions an account has.
pub fn count_for_account(conn: &mut DbConnection, account_id: AccountId) -> Result<i64, StoreError> {
    Ok(ft::table.filter(ft::account_id.eq(DbId::of(account_id))).count().get_result(conn)?)
}

/// A user's transactions matching `filter`, as a boxed query to refine (in `conn`'s dialect).
///
/// On SQLite a search through the trigram index wraps every other condition in `likely()`: the
/// planner then finds the rows from the index's matches (a few milliseconds for a rare text in
/// a million rows) instead of walking all of the user's rows to test each against them.
fn matching<'a>(conn: &DbConnection, user_id: UserId, filter: &TransactionFilter) -> ft::BoxedQuery<'a, MultiBackend> {
    let searched = filter.text.as_ref().map(|text| containing(conn, text));
    let indexed_search = matches!(conn, DbConnection::Sqlite(_)) && filter.text.is_some();
    let mut query = ft::table.into_boxed();
    for condition in conditions(user_id, filter) {
        query = if indexed_search { query.filter(likely(condition)) } else { query.filter(condition) };
    }
    if let Some(searched) = searched {
        query = query.filter(searched);
    }
    query
}

#[diesel::declare_sql_function]
extern "SQL" {
    /// SQLite's `likely(X)`: X, with a hint to the planner that it is usually true.
    fn likely(condition: Bool) -> Bool;
}

/// The conditions of `filter` but its text, `user_id`'s first.
fn conditions(user_id: UserId, filter: &TransactionFilter) -> Vec<Condition> {
    let mut conditions: Vec<Condition> = vec![Box::new(ft::user_id.eq(DbId::of(user_id)))];
    if let Some(id) = filter.account_id {
        conditions.push(Box::new(ft::account_id.eq(DbId::of(id))));
    }
    if let Some(id) = filter.connection_id {
        conditions.push(Box::new(ft::connection_id.eq(DbId::of(id))));
    }
    if let Some(day) = filter.start_date {
        conditions.push(Box::new(ft::date.ge(day)));
    }
    if let Some(day) = filter.end_date {
        conditions.push(Box::new(ft::date.le(day)));
    }
    if let Some(category) = filter.category {
        conditions.push(Box::new(ft::category.eq(category.as_str())));
    }
    if let Some(status) = filter.status {
        conditions.push(Box::new(ft::status.eq(status.as_str())));
    }
    if let Some(kind) = filter.transaction_type {
        conditions.push(Box::new(ft::transaction_type.eq(kind.as_str())));
    }
    conditions
}

/// A condition on a transaction row, boxed (its type depends on the dialect).
type Condition = Box<dyn BoxableExpression<ft::table, MultiBackend, SqlType = Bool>>;

/// The rows whose merchant name or description contains `text` (three characters or more),
/// whatever its case. On SQLite the trigram index `transaction_search` finds them (a phrase of
/// trigrams matches the substring); on PostgreSQL it is `ILIKE`, which the trigram GIN indexes
/// serve.
fn containing(conn: &DbConnection, text: &SearchText) -> Condition {
    match conn {
        DbConnection::Sqlite(_) => {
            let phrase = format!("\"{}\"", text.as_str().replace('"', "\"\""));
            Box::new(
                sql::<Bool>("financial_transactions.rowid IN (SELECT rowid FROM transaction_search WHERE transaction_search MATCH ")
                    .bind::<Text, _>(phrase)
                    .sql(")"),
            )
        }
        DbConnection::Pg(_) => {
            let pattern = format!("%{}%", escape_like(text.as_str()));
            // Backslash is `ILIKE`'s escape character by default. Naming it (`ESCAPE '\\'`) would
            // turn the pattern into `like_escape($1, '\\')`, which no index serves in a generic plan.
            Box::new(
                sql::<Bool>("(merchant_name ILIKE ")
                    .bind::<Text, _>(pattern.clone())
                    .sql(" OR description ILIKE ")
                    .bind::<Text, _>(pattern)
                    .sql(")"),
            )
        }
    }
}

/// `text` with `LIKE`'s wildcards and its escape character (`\`) escaped, so each stands for itself.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// How many of the user's transactions match `filter`.
pub fn count(conn: &mut DbConnection, user_id: UserId, filter: &TransactionFilter) -> Result<i64, StoreError> {
    Ok(matching(conn, user_id, filter).count().get_result(conn)?)
}

/// What the user's transactions matching `filter` add up to, in minor units: the credits
/// (zero or more) and the debits (zero or less).
pub fn sums(conn: &mut DbConnection, user_id: UserId, filter: &TransactionFilter) -> Result<(i64, i64), StoreError> {
    let credits =
        sql::<BigInt>("CAST(COALESCE(SUM(CASE WHEN amount_minor > 0 THEN amount_minor ELSE 0 END), 0) AS BIGINT)");
    let debits =
        sql::<BigInt>("CAST(COALESCE(SUM(CASE WHEN amount_minor < 0 THEN amount_minor ELSE 0 END), 0) AS BIGINT)");
    Ok(matching(conn, user_id, filter).select((credits, debits)).get_result(conn)?)
}

/// One page of the user's transactions matching `filter`, in `sort_by`/`order` with ties broken
/// by id, starting after `after` (the last row of the previous page). Keyset pagination: the
/// position is a row-value comparison that the `(…, date, id)` and `(…, amount_minor, id)`
/// indexes serve directly, so a deep page costs what the first one does.
pub fn page(
    conn: &mut DbConnection,
    user_id: UserId,
    filter: &TransactionFilter,
    sort_by: SortBy,
    order: SortOrder,
    after: Option<(SortPosition, TransactionId)>,
    limit: i64,
) -> Result<Vec<Transaction>, StoreError> {
    let mut query = matching(conn, user_id, filter);
    if let Some((position, id)) = after {
        let (descending, id) = (order == SortOrder::Desc, DbId::of(id));
        query = match position {
            SortPosition::Date(day) => query.filter(Past::<Date, _>::new("\"date\", id", descending, day, id)),
            SortPosition::Amount(minor) => {
                query.filter(Past::<BigInt, _>::new("amount_minor, id", descending, minor, id))
            }
        };
    }
    query = match (sort_by, order) {
        (SortBy::Date, SortOrder::Desc) => query.order((ft::date.desc(), ft::id.desc())),
        (SortBy::Date, SortOrder::Asc) => query.order((ft::date.asc(), ft::id.asc())),
        (SortBy::Amount, SortOrder::Desc) => query.order((ft::amount_minor.desc(), ft::id.desc())),
        (SortBy::Amount, SortOrder::Asc) => query.order((ft::amount_minor.asc(), ft::id.asc())),
    };
    let rows = query.limit(limit).select(TransactionRow::as_select()).load(conn)?;
    Ok(rows.into_iter().map(Transaction::from).collect())
}

/// Fills in `counterpart_id` of those of `transactions` (the user's, e.g. a page of a listing)
/// that name the other side of a transfer: the user's transaction with that external id that
/// names it back — in the same connection when there is one there, else in the user's earliest
/// other connection (by creation, then id) — or `None` when the user has none. One query for the lot (per
/// [`crate::batch::CHUNK`] external ids), served by `(user_id, external_id)`; the listing's
/// own query is left as it is.
pub fn resolve_counterparts<'a>(
    conn: &mut DbConnection,
    user_id: UserId,
    transactions: impl IntoIterator<Item = &'a mut Transaction>,
) -> Result<(), StoreError> {
    let mut transactions: Vec<&mut Transaction> = transactions.into_iter().collect();
    let wanted: BTreeSet<&str> =
        transactions.iter().filter_map(|t| t.reported.counterpart_external_id.as_deref()).collect();
    let wanted: Vec<&str> = wanted.into_iter().collect();
    let mut found: Vec<Candidate> = Vec::new();
    for chunk in wanted.chunks(crate::batch::CHUNK) {
        found.extend(candidates(conn, user_id, chunk)?);
    }
    // Earliest connection first, then by ids: the first candidate that fits wins.
    found.sort_by_key(|(id, _, _, connection_id, connection_created)| (*connection_created, *connection_id, *id));
    let mut by_external_id: HashMap<&str, Vec<&Candidate>> = HashMap::new();
    for candidate in &found {
        by_external_id.entry(candidate.1.as_str()).or_default().push(candidate);
    }
    for transaction in &mut transactions {
        let candidates = transaction
            .reported
            .counterpart_external_id
            .as_deref()
            .and_then(|external_id| by_external_id.get(external_id))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let (own_id, own_connection) = (DbId::of(transaction.id), DbId::of(transaction.connection_id));
        let own_external_id = transaction.reported.external_id.as_str();
        // The other side names this one back: two connections whose histories differ (linked on
        // other days) cannot pair rows that merely share an id.
        let others = || {
            candidates.iter().filter(|(id, _, names, _, _)| *id != own_id && names.as_deref() == Some(own_external_id))
        };
        let same_connection = others().find(|(_, _, _, connection, _)| *connection == own_connection);
        transaction.counterpart_id = same_connection.or_else(|| others().next()).map(|(id, ..)| (*id).into());
    }
    Ok(())
}

/// A row that may be the other side of a transfer: its id, external id, the external id it
/// names, its connection and when that was created.
type Candidate = (DbId, String, Option<String>, DbId, NaiveDateTime);

/// The user's rows whose external id is one of `external_ids`, as [`Candidate`]s. On SQLite the
/// ids are one bound JSON array read by `json_each`, so the statement is prepared once whatever
/// their number (diesel prepares an `IN (?, ?, …)` list anew for every call); PostgreSQL binds
/// them as one array (`= ANY($1)`) already.
fn candidates(conn: &mut DbConnection, user_id: UserId, external_ids: &[&str]) -> Result<Vec<Candidate>, StoreError> {
    let rows = ft::table
        .inner_join(pc::table.on(pc::id.eq(ft::connection_id)))
        .filter(ft::user_id.eq(DbId::of(user_id)))
        .select((ft::id, ft::external_id, ft::counterpart_external_id, ft::connection_id, pc::created_at));
    Ok(match conn {
        DbConnection::Sqlite(_) => rows.filter(ExternalIdInJson::new(external_ids)).load(conn)?,
        DbConnection::Pg(_) => rows.filter(ft::external_id.eq_any(external_ids)).load(conn)?,
    })
}

/// The user's rows dated in `start..=end` that count as income or spending: not transfers
/// between their own accounts or card payments (category `transfer`; a card purchase is spent
/// once, on the card), not refunds, and not a purchase refunded in full.
fn money_in_and_out(user_id: UserId, start: NaiveDate, end: NaiveDate) -> Condition {
    Box::new(
        ft::user_id
            .eq(DbId::of(user_id))
            .and(ft::date.ge(start))
            .and(ft::date.le(end))
            .and(ft::status.ne(TransactionStatus::Refunded.as_str()))
            .and(ft::category.ne_all([Category::Transfer.as_str(), Category::Refund.as_str()])),
    )
}

/// What the user spent in `start..=end`, by category: the debits of [`money_in_and_out`],
/// summed in SQL as positive amounts, largest first.
pub fn spending_between(
    conn: &mut DbConnection,
    user_id: UserId,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<(Category, Money)>, StoreError> {
    let spent = sql::<BigInt>("CAST(-SUM(amount_minor) AS BIGINT)");
    let rows: Vec<(String, String, i64)> = ft::table
        .filter(money_in_and_out(user_id, start, end))
        .filter(ft::amount_minor.lt(0))
        .group_by((ft::category, ft::currency))
        .select((ft::category, ft::currency, spent))
        .order((sql::<BigInt>("SUM(amount_minor)").asc(), ft::category.asc()))
        .load(conn)?;
    rows.into_iter()
        .map(|(category, currency, minor)| {
            let category = category.parse().map_err(|e| StoreError::corrupt("category", e))?;
            Ok((category, money(minor, &currency)?))
        })
        .collect()
}

/// Money in and out of [`money_in_and_out`] by day and direction, signed (credits positive),
/// oldest first: a day may have an entry of each sign.
pub fn flows_by_day(
    conn: &mut DbConnection,
    user_id: UserId,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<(NaiveDate, Money)>, StoreError> {
    let sum = sql::<BigInt>("CAST(SUM(amount_minor) AS BIGINT)");
    let rows: Vec<(NaiveDate, String, String, i64)> = ft::table
        .filter(money_in_and_out(user_id, start, end))
        .group_by((ft::date, ft::transaction_type, ft::currency))
        .select((ft::date, ft::transaction_type, ft::currency, sum))
        .order((ft::date.asc(), ft::transaction_type.asc()))
        .load(conn)?;
    rows.into_iter().map(|(day, _, currency, minor)| Ok((day, money(minor, &currency)?))).collect()
}

/// `minor` units of the currency stored as `currency`.
fn money(minor: i64, currency: &str) -> Result<Money, StoreError> {
    let currency: Currency = currency.parse().map_err(|e| StoreError::corrupt("currency", e))?;
    Ok(Money::from_minor(minor, currency))
}

/// What categorizing looks at of a transaction.
#[derive(Debug, Clone)]
pub struct CategorizingRow {
    /// The row.
    pub id: TransactionId,
    /// Its merchant.
    pub merchant: String,
    /// Its statement line.
    pub description: String,
    /// Its amount.
    pub amount: Money,
    /// Its category.
    pub category: Category,
}

/// What categorizing reads of a row: id, merchant, description, amount, currency, category.
type CategorizingRead = (DbId, String, String, i64, Parsed<Currency>, Parsed<Category>);

/// A connection's transactions, as categorizing sees them.
pub fn for_categorizing(
    conn: &mut DbConnection,
    connection_id: ConnectionId,
) -> Result<Vec<CategorizingRow>, StoreError> {
    let rows: Vec<CategorizingRead> = ft::table
        .filter(ft::connection_id.eq(DbId::of(connection_id)))
        .select((ft::id, ft::merchant_name, ft::description, ft::amount_minor, ft::currency, ft::category))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, merchant, description, amount_minor, currency, category)| CategorizingRow {
            id: id.into(),
            merchant,
            description,
            amount: Money::from_minor(amount_minor, currency.0),
            category: category.0,
        })
        .collect())
}

/// Sets a transaction's category: a change.
pub fn set_category(
    conn: &mut DbConnection,
    id: TransactionId,
    category: Category,
    stamp: &mut ChangeStamp,
) -> Result<(), StoreError> {
    let seq = stamp.seq(conn)?;
    diesel::update(ft::table.find(DbId::of(id)))
        .set((ft::category.eq(category.as_str()), ft::updated_at.eq(now_for_db()), ft::change_seq.eq(seq)))
        .execute(conn)?;
    Ok(())
}

/// An account's posted amounts summed in SQL by the day they posted, oldest first.
pub fn posted_by_day(conn: &mut DbConnection, account_id: AccountId) -> Result<Vec<(NaiveDate, Money)>, StoreError> {
    // `date(timestamp)` is a function on SQLite and a cast on PostgreSQL: the day either way.
    // diesel cannot tell that a column is grouped beside an SQL expression: both are literals.
    let day = || sql::<Date>("date(posted_at)");
    let rows: Vec<(NaiveDate, String, i64)> = ft::table
        .filter(ft::account_id.eq(DbId::of(account_id)))
        .filter(ft::posted_at.is_not_null())
        .group_by((day(), sql::<Text>("currency")))
        .select((day(), sql::<Text>("currency"), sql::<BigInt>("CAST(SUM(amount_minor) AS BIGINT)")))
        .order(day().asc())
        .load(conn)?;
    rows.into_iter().map(|(day, currency, minor)| Ok((day, money(minor, &currency)?))).collect()
}
