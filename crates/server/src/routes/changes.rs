//! `GET /api/financial/transactions/changes`: the change feed.

use actix_web::{get, web};
use sandbank_domain::change_feed::{FeedQuery, RawFeedQuery, RemovedTransaction};
use sandbank_services::use_cases::feed::SealedFeedPage;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api_query::ApiQuery;
use crate::authenticated::Authenticated;
use crate::error::{ApiError, ErrorResponse};
use crate::routes::transactions::TransactionResponse;
use crate::state::AppState;

/// Which changes, from where. Every value is checked: a bad one is a 400 that names it.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct ChangesQuery {
    /// Only this connection's changes (all of the caller's connections without it). A cursor
    /// belongs to the `connectionId` it was made for.
    #[param(value_type = Option<Uuid>)]
    pub connection_id: Option<String>,
    /// The last response's `nextCursor`; without it, the whole current state comes as `added`.
    pub cursor: Option<String>,
    /// Changes per page, 1–500 (default 100).
    #[param(value_type = Option<u16>, minimum = 1, maximum = 500)]
    pub count: Option<String>,
}

/// A transaction that is gone.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RemovedTransactionResponse {
    /// The transaction's id.
    pub id: Uuid,
    /// Its account.
    pub account_id: Uuid,
    /// Its connection.
    pub connection_id: Uuid,
}

impl From<RemovedTransaction> for RemovedTransactionResponse {
    fn from(removed: RemovedTransaction) -> Self {
        Self {
            id: removed.id.as_uuid(),
            account_id: removed.account_id.as_uuid(),
            connection_id: removed.connection_id.as_uuid(),
        }
    }
}

/// What changed since the cursor, each transaction once, in its latest state.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "added": [
        {
            "id": "01a239e2-1ee4-74dc-8a9d-3386a2813958",
            "accountId": "01a239e2-1ed5-758b-8ada-7cad2782905f",
            "connectionId": "01a239e2-1c78-75e2-8c70-9e460eca45a6",
            "amount": "13.32",
            "currency": "USD",
            "type": "credit",
            "status": "posted",
            "date": "2026-09-29",
            "authorizedAt": "2026-09-29T09:00:00Z",
            "postedAt": "2026-09-30T07:00:00Z",
            "merchantName": "Regal Cinemas",
            "description": "REFUND REGAL",
            "category": "refund",
            "location": {
                "city": "Minneapolis",
                "region": "MN",
                "country": "US"
            },
            "paymentChannel": "in_store",
            "externalId": "tx_20260920_d06a5719eab93357",
            "refundOf": "tx_20260920_c76d8a21c7ccce7a",
            "counterpartTransactionId": null
        }
    ],
    "modified": [],
    "removed": [],
    "nextCursor": "ZjJ8MHwxMHwwMWEyMzllMi0xZjA0LTcxZWUtYTA1Yi1lMGIwYWU5Zjk3YmN8MDFhMjM5ZTItMWMxMy03NTdlLWI0OTctOTc5NDYzMTNmNDVjfC0.rlIpaL3ca_rgOuc7gYvd3KmtOMdv9GRjr_eLcarn6Fg",
    "hasMore": true
}))]
pub struct ChangesResponse {
    /// New to the reader.
    pub added: Vec<TransactionResponse>,
    /// Changed since the reader got them.
    pub modified: Vec<TransactionResponse>,
    /// Gone since the reader got them.
    pub removed: Vec<RemovedTransactionResponse>,
    /// Where the next call starts; never null (on the last page, where new changes will come).
    pub next_cursor: String,
    /// Whether more changes are waiting now: call again with `nextCursor` at once.
    pub has_more: bool,
}

impl From<SealedFeedPage> for ChangesResponse {
    fn from(sealed: SealedFeedPage) -> Self {
        let page = sealed.page;
        Self {
            added: page.added.into_iter().map(|c| c.transaction.into()).collect(),
            modified: page.modified.into_iter().map(|c| c.transaction.into()).collect(),
            removed: page.removed.into_iter().map(Into::into).collect(),
            next_cursor: sealed.next_cursor,
            has_more: page.has_more,
        }
    }
}

/// What changed in the caller's transactions since a cursor: added, modified and removed, page
/// by page. Following `nextCursor` while `hasMore` reproduces the listing; keep the last
/// `nextCursor` and call again after a sync (or a `transactions.updates_available` webhook).
#[utoipa::path(
    tag = "financial",
    operation_id = "listTransactionChanges",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(ChangesQuery),
    responses(
        (status = 200, description = "A page of changes", body = ChangesResponse),
        (status = 400, description = "A bad connectionId or count, or a cursor that is forged or another user's or filter's (named in `fields`)", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "connectionId is another user's", body = ErrorResponse),
        (status = 404, description = "connectionId does not exist", body = ErrorResponse),
        (status = 409, description = "`cursor_expired`: the cursor is from before removals the feed no longer keeps; start again without one", body = ErrorResponse),
    )
)]
#[get("/api/financial/transactions/changes")]
pub async fn list_transaction_changes(
    state: web::Data<AppState>,
    caller: Authenticated,
    query: ApiQuery<ChangesQuery>,
) -> Result<web::Json<ChangesResponse>, ApiError> {
    let user = caller.0.user.id;
    let raw = RawFeedQuery {
        connection_id: query.connection_id.as_deref(),
        cursor: query.cursor.as_deref(),
        count: query.count.as_deref(),
    };
    let query: FeedQuery = state.feed.parse_query(&raw, user).map_err(|errors| ApiError::validation(&errors))?;
    let service = state.feed.clone();
    let page = web::block(move || service.changes(user, &query)).await??;
    Ok(web::Json(page.into()))
}
