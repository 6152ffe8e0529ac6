//! `/api/financial/transactions` and `/api/financial/accounts/{id}/transactions`.

use std::sync::Arc;

use actix_web::http::header::{ContentType, IfNoneMatch};
use actix_web::{HttpResponse, get, web};
use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::stream;
use sandbank_domain::UserId;
use sandbank_domain::transaction::{Category, PaymentChannel, Transaction, TransactionStatus, TransactionType};
use sandbank_domain::transaction_query::{RawTransactionQuery, TransactionQuery};
use sandbank_services::use_cases::transactions::{
    ExportChunk, ExportPosition, Listing, PageTag, TransactionPage, TransactionService,
};
use serde::{Deserialize, Serialize};
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api_query::ApiQuery;
use crate::authenticated::Authenticated;
use crate::conditional;
use crate::error::{ApiError, ErrorResponse};
use crate::json_time;
use crate::quick_reads;
use crate::rendered_pages::{PageKey, RenderedPages};
use crate::state::AppState;
use crate::transactions_csv;

/// Where an in-store purchase happened.
#[derive(Debug, Serialize, ToSchema)]
pub struct LocationResponse {
    /// City.
    pub city: String,
    /// State or region.
    pub region: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

/// A transaction.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TransactionResponse {
    /// Its id.
    pub id: Uuid,
    /// Its account.
    pub account_id: Uuid,
    /// Its account's connection.
    pub connection_id: Uuid,
    /// Signed from the holder's side, a decimal string with two decimals: negative is money out.
    #[schema(example = "-42.17", pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub amount: String,
    /// ISO 4217.
    #[schema(example = "USD")]
    pub currency: String,
    /// `debit` (amount < 0) or `credit` (amount > 0).
    #[serde(rename = "type")]
    #[schema(value_type = crate::schemas::TransactionType)]
    pub transaction_type: TransactionType,
    /// `pending`, `posted` or `refunded`.
    #[schema(value_type = crate::schemas::TransactionStatus)]
    pub status: TransactionStatus,
    /// The day it happened.
    #[serde(serialize_with = "json_time::day")]
    pub date: NaiveDate,
    /// When it was authorized.
    #[schema(required = true)]
    #[serde(serialize_with = "json_time::optional_instant")]
    pub authorized_at: Option<DateTime<Utc>>,
    /// When it posted (absent while pending).
    #[schema(required = true)]
    #[serde(serialize_with = "json_time::optional_instant")]
    pub posted_at: Option<DateTime<Utc>>,
    /// The counterparty.
    #[schema(example = "Blue Bottle Coffee")]
    pub merchant_name: String,
    /// The statement line.
    pub description: String,
    /// What it was for.
    #[schema(value_type = crate::schemas::Category)]
    pub category: Category,
    /// For in-store purchases.
    #[schema(required = true)]
    pub location: Option<LocationResponse>,
    /// `in_store`, `online` or `other`.
    #[schema(value_type = crate::schemas::PaymentChannel)]
    pub payment_channel: PaymentChannel,
    /// The provider's id, stable from pending to posted.
    pub external_id: String,
    /// For a refund: the external id of the purchase it refunds.
    #[schema(required = true)]
    pub refund_of: Option<String>,
    /// For one side of a transfer (a card payment, a sweep between accounts): the id of the other
    /// side when it is in your data (this connection or another of yours); null otherwise. Both
    /// sides have category `transfer` and equal and opposite amounts.
    #[schema(required = true)]
    pub counterpart_transaction_id: Option<Uuid>,
}

impl From<Transaction> for TransactionResponse {
    fn from(t: Transaction) -> Self {
        let r = t.reported;
        Self {
            id: t.id.as_uuid(),
            account_id: t.account_id.as_uuid(),
            connection_id: t.connection_id.as_uuid(),
            amount: r.amount.to_string(),
            currency: r.amount.currency().to_string(),
            transaction_type: r.transaction_type,
            status: r.status,
            date: r.date,
            authorized_at: r.authorized_at,
            posted_at: r.posted_at,
            merchant_name: r.merchant_name,
            description: r.description,
            category: r.category,
            location: r.location.map(|l| LocationResponse { city: l.city, region: l.region, country: l.country }),
            payment_channel: r.payment_channel,
            external_id: r.external_id,
            refund_of: r.refund_of,
            counterpart_transaction_id: t.counterpart_id.map(|id| id.as_uuid()),
        }
    }
}

/// Where a listing stands.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaginationResponse {
    /// Pass as `cursor` (with the same filters and sort) for the next page; null on the last.
    #[schema(required = true)]
    pub cursor: Option<String>,
    /// Whether more rows follow.
    pub has_more: bool,
    /// How many rows matched when the first page was read.
    pub total: u64,
}

/// A page of transactions.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "transactions": [
        {
            "id": "01a239e2-1c4d-7617-999f-cefa7540d8f2",
            "accountId": "01a239e2-1c3c-73b8-a929-35c7840d1a60",
            "connectionId": "01a239e2-1c37-77f5-a2d9-59ee2566b457",
            "amount": "-3.63",
            "currency": "USD",
            "type": "debit",
            "status": "posted",
            "date": "2026-11-29",
            "authorizedAt": "2026-11-29T14:03:00Z",
            "postedAt": "2026-12-01T06:03:00Z",
            "merchantName": "Starbucks",
            "description": "STARBUCKS STORE #2690 LOS ANGELES CA",
            "category": "food_and_drink",
            "location": {
                "city": "Los Angeles",
                "region": "CA",
                "country": "US"
            },
            "paymentChannel": "in_store",
            "externalId": "tx_20261129_4fccd5b399db9229",
            "refundOf": null,
            "counterpartTransactionId": null
        }
    ],
    "pagination": {
        "cursor": null,
        "hasMore": false,
        "total": 66
    }
}))]
pub struct TransactionsResponse {
    /// The rows, in order.
    pub transactions: Vec<TransactionResponse>,
    /// Where the listing stands.
    pub pagination: PaginationResponse,
}

impl From<TransactionPage> for TransactionsResponse {
    fn from(page: TransactionPage) -> Self {
        Self {
            transactions: page.transactions.into_iter().map(Into::into).collect(),
            pagination: PaginationResponse { cursor: page.next_cursor, has_more: page.has_more, total: page.total },
        }
    }
}

/// Filters, sort and page of a transaction listing. Every value is checked: a bad one is a 400
/// that names it.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct TransactionsQuery {
    /// Only this account's.
    #[param(value_type = Option<Uuid>)]
    pub account_id: Option<String>,
    /// Only this connection's.
    #[param(value_type = Option<Uuid>)]
    pub connection_id: Option<String>,
    /// Dated on or after, `YYYY-MM-DD`.
    #[param(value_type = Option<NaiveDate>)]
    pub start_date: Option<String>,
    /// Dated on or before, `YYYY-MM-DD`; not before `startDate`.
    #[param(value_type = Option<NaiveDate>)]
    pub end_date: Option<String>,
    /// Only this category's.
    #[param(value_type = Option<crate::schemas::Category>)]
    pub category: Option<String>,
    /// Only this status's.
    #[param(value_type = Option<crate::schemas::TransactionStatus>)]
    pub status: Option<String>,
    /// Only debits or only credits.
    #[serde(rename = "type")]
    #[param(rename = "type", value_type = Option<crate::schemas::TransactionType>)]
    pub transaction_type: Option<String>,
    /// Only those whose merchant name or description contains this text, whatever its case
    /// (3–100 characters; `%` and `_` are plain characters).
    #[param(max_length = 100, min_length = 3)]
    pub q: Option<String>,
    /// `date` (default) or `amount`; ties are broken by id.
    #[param(value_type = Option<crate::schemas::SortBy>)]
    pub sort_by: Option<String>,
    /// `desc` (default) or `asc`.
    #[param(value_type = Option<crate::schemas::SortOrder>)]
    pub sort_order: Option<String>,
    /// From the previous page's `pagination.cursor`; only with the same filters and sort.
    pub cursor: Option<String>,
    /// Page size, 1–500 (default 50).
    #[param(value_type = Option<u16>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
}

/// The query parameters of `listAccountTransactions`: those of [`TransactionsQuery`] but
/// `accountId`, which the path gives (a query `accountId` is ignored there).
pub struct AccountTransactionsQuery;

impl IntoParams for AccountTransactionsQuery {
    fn into_params(parameter_in: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut params = TransactionsQuery::into_params(parameter_in);
        params.retain(|param| param.name != "accountId");
        params
    }
}

impl TransactionsQuery {
    /// The checked query (its cursor's signature checked by `service`); `account` (from the
    /// path) overrides `accountId`.
    pub fn parse(&self, service: &TransactionService, account: Option<&str>) -> Result<TransactionQuery, ApiError> {
        service
            .parse_query(&RawTransactionQuery {
                account_id: account.or(self.account_id.as_deref()),
                connection_id: self.connection_id.as_deref(),
                start_date: self.start_date.as_deref(),
                end_date: self.end_date.as_deref(),
                category: self.category.as_deref(),
                status: self.status.as_deref(),
                transaction_type: self.transaction_type.as_deref(),
                text: self.q.as_deref(),
                sort_by: self.sort_by.as_deref(),
                sort_order: self.sort_order.as_deref(),
                cursor: self.cursor.as_deref(),
                limit: self.limit.as_deref(),
            })
            .map_err(|errors| ApiError::validation(&errors))
    }
}

/// What a listing request found for its page's current tag without reading the page.
enum KnownPage {
    /// `If-None-Match` holds it: 304.
    Held,
    /// It was rendered at this version already: these bytes.
    Rendered(Bytes),
}

/// Where a listing request looks for its page at a tag: the caller's `If-None-Match`, then
/// the pages rendered before.
struct PageLookup {
    held: Option<IfNoneMatch>,
    pages: Arc<RenderedPages>,
    key: PageKey,
}

impl PageLookup {
    /// What is known of the page at `tag`, if anything.
    fn find(&self, tag: &PageTag) -> Option<KnownPage> {
        if conditional::holds(self.held.as_ref(), tag) {
            Some(KnownPage::Held)
        } else {
            self.pages.get(&self.key, tag.version()).map(KnownPage::Rendered)
        }
    }
}

/// A page; `304 Not Modified` when `If-None-Match` holds the page's tag; the page as rendered
/// before when the user's data has not changed since (neither runs the page query). Whether
/// it is known is asked on this thread first when that cannot wait (SQLite's version read),
/// and on the quick-read threads with the page query otherwise.
async fn list(
    state: &AppState,
    caller: Authenticated,
    query: TransactionQuery,
    if_none_match: Option<web::Header<IfNoneMatch>>,
) -> Result<HttpResponse, ApiError> {
    let service = state.transactions.clone();
    let user = caller.0.user.id;
    let lookup = PageLookup {
        held: if_none_match.map(web::Header::into_inner),
        pages: state.rendered_pages.clone(),
        key: PageKey::Transactions(user, query.clone()),
    };
    let key = lookup.key.clone();
    let known =
        service.known_at_once(user, &query, |tag| lookup.find(tag)).map(|(tag, known)| Listing::Known(tag, known));
    let listing =
        quick_reads::unless_known(known, move || service.list_if_changed(user, &query, |tag| lookup.find(tag))).await?;
    let ok = |tag| conditional::tagged(HttpResponse::Ok(), tag).content_type(ContentType::json()).take();
    Ok(match listing {
        Listing::Known(tag, KnownPage::Held) => conditional::not_modified(&tag),
        Listing::Known(tag, KnownPage::Rendered(body)) => ok(&tag).body(body),
        Listing::Page(page, tag) => {
            let response = TransactionsResponse::from(page);
            let body = state.rendered_pages.render(key, tag.version(), &response).map_err(|_| ApiError::internal())?;
            ok(&tag).body(body)
        }
    })
}

/// The caller's transactions across accounts: filtered, sorted, in keyset pages.
#[utoipa::path(
    tag = "financial",
    operation_id = "listTransactions",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(TransactionsQuery, ("If-None-Match" = Option<String>, Header, description = "The `ETag` of a page you hold: 304 when it is still current")),
    responses(
        (status = 200, description = "A page of transactions", body = TransactionsResponse, headers(("ETag" = String, description = "The page's version: it changes whenever your transactions do"))),
        (status = 304, description = "Not modified: `If-None-Match` holds the page's current `ETag`"),
        (status = 400, description = "A bad filter, sort, limit or cursor (named in `fields`)", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "accountId or connectionId is another user's", body = ErrorResponse),
        (status = 404, description = "accountId or connectionId does not exist", body = ErrorResponse),
    )
)]
#[get("/api/financial/transactions")]
pub async fn list_transactions(
    state: web::Data<AppState>,
    caller: Authenticated,
    query: ApiQuery<TransactionsQuery>,
    if_none_match: Option<web::Header<IfNoneMatch>>,
) -> Result<HttpResponse, ApiError> {
    let query = query.parse(&state.transactions, None)?;
    list(&state, caller, query, if_none_match).await
}

/// One account's transactions: the same filters, sort and pages.
#[utoipa::path(
    tag = "financial",
    operation_id = "listAccountTransactions",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(("accountId" = Uuid, Path, description = "The account"), AccountTransactionsQuery, ("If-None-Match" = Option<String>, Header, description = "The `ETag` of a page you hold: 304 when it is still current")),
    responses(
        (status = 200, description = "A page of the account's transactions", body = TransactionsResponse, headers(("ETag" = String, description = "The page's version: it changes whenever your transactions do"))),
        (status = 304, description = "Not modified: `If-None-Match` holds the page's current `ETag`"),
        (status = 400, description = "accountId is not a UUID, or a bad filter, sort, limit or cursor", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Another user's account", body = ErrorResponse),
        (status = 404, description = "No such account", body = ErrorResponse),
    )
)]
#[get("/api/financial/accounts/{accountId}/transactions")]
pub async fn list_account_transactions(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<Uuid>,
    query: ApiQuery<TransactionsQuery>,
    if_none_match: Option<web::Header<IfNoneMatch>>,
) -> Result<HttpResponse, ApiError> {
    let query = query.parse(&state.transactions, Some(&path.into_inner().to_string()))?;
    list(&state, caller, query, if_none_match).await
}

/// The query parameters of `exportTransactions`: the listing's filters and sort, without
/// `cursor` and `limit` (an export has every matching row; both are ignored when sent).
pub struct ExportTransactionsQuery;

impl IntoParams for ExportTransactionsQuery {
    fn into_params(parameter_in: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut params = TransactionsQuery::into_params(parameter_in);
        params.retain(|param| param.name != "cursor" && param.name != "limit");
        params
    }
}

/// Rows read from the store per chunk of an export.
const EXPORT_CHUNK: usize = 500;

/// Every transaction of the caller that matches the listing's filters, as CSV (RFC 4180, a
/// header row, the amount signed from the holder's side), streamed in keyset chunks.
#[utoipa::path(
    tag = "financial",
    operation_id = "exportTransactions",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(ExportTransactionsQuery),
    responses(
        (status = 200, description = "Every matching transaction as CSV: a header row `id,date,accountId,connectionId,amount,currency,type,status,authorizedAt,postedAt,merchantName,description,category,paymentChannel,city,region,country,externalId,counterpartTransactionId`, then one row per transaction in the listing's order (RFC 4180 quoting; an absent value is an empty field; amount negative for money out).", content_type = "text/csv", body = String),
        (status = 400, description = "A bad filter or sort (named in `fields`)", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "accountId or connectionId is another user's", body = ErrorResponse),
        (status = 404, description = "accountId or connectionId does not exist", body = ErrorResponse),
    )
)]
#[get("/api/financial/transactions/export.csv")]
pub async fn export_transactions(
    state: web::Data<AppState>,
    caller: Authenticated,
    query: ApiQuery<TransactionsQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = TransactionsQuery { cursor: None, limit: None, ..query.into_inner() };
    let query = query.parse(&state.transactions, None)?;
    let export = Export { service: state.transactions.clone(), user: caller.0.user.id, query: Arc::new(query) };
    // The first chunk is read before the answer starts, so a 403 or 404 is still an answer.
    let first = export.read(None).await?;
    let body = stream::try_unfold(Some((export, first, true)), |step| async move {
        let Some((export, chunk, header)) = step else { return Ok(None) };
        let bytes = transactions_csv::rows(&chunk.transactions, header).map_err(|e| {
            tracing::error!(error = %e, "export: writing CSV");
            ApiError::internal()
        })?;
        let next = match chunk.next {
            Some(after) => Some((export.read(Some(after)).await?, export)),
            None => None,
        };
        Ok::<_, ApiError>(Some((Bytes::from(bytes), next.map(|(chunk, export)| (export, chunk, false)))))
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", "attachment; filename=\"transactions.csv\""))
        .streaming(body))
}

/// An export under way: whose, and which rows.
#[derive(Clone)]
struct Export {
    service: TransactionService,
    user: UserId,
    query: Arc<TransactionQuery>,
}

impl Export {
    /// The chunk after `after`, read on a blocking thread.
    async fn read(&self, after: Option<ExportPosition>) -> Result<ExportChunk, ApiError> {
        let Export { service, user, query } = self.clone();
        Ok(web::block(move || service.export_chunk(user, &query, after, EXPORT_CHUNK)).await??)
    }
}
