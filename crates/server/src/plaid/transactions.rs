//! `/transactions/sync`, `/transactions/get`, `/transactions/refresh` and
//! `/sandbox/item/reset_login`: Plaid's transactions over the same change feed, listing and
//! lifecycle as our own API.

use actix_web::{HttpRequest, post, web};
use sandbank_domain::change_feed::{FeedPage, RawFeedQuery};
use sandbank_domain::connection::ConnectionStatus;
use sandbank_services::ServiceError;
use sandbank_services::use_cases::connections::{ConnectionView, SimulationEvent};
use serde::{Deserialize, Serialize};

use super::accounts::{AccountResponse, accounts_of};
use super::client::PlaidClient;
use super::error::{PlaidError, PlaidErrorCode};
use super::items::{AccessTokenRequest, healthy_item, item, item_error};
use super::transaction::{PlaidTransaction, Shown, is_pending, pending_id, posted_id};
use super::{PlaidJson, from_service, internal, request_id};
use crate::state::AppState;

/// `/transactions/sync`'s options.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SyncOptions {
    include_original_description: Option<bool>,
    include_personal_finance_category: Option<bool>,
    include_logo_and_counterparty_beta: Option<bool>,
    personal_finance_category_version: Option<String>,
    days_requested: Option<u32>,
    account_id: Option<String>,
}

/// `/transactions/sync`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncRequest {
    access_token: String,
    #[serde(default)]
    cursor: Option<String>,
    #[serde(default)]
    count: Option<u32>,
    #[serde(default)]
    options: Option<SyncOptions>,
}

#[derive(Debug, Serialize)]
struct RemovedResponse {
    transaction_id: String,
    account_id: String,
}

#[derive(Debug, Default, Serialize)]
struct SyncChanges {
    added: Vec<PlaidTransaction>,
    modified: Vec<PlaidTransaction>,
    removed: Vec<RemovedResponse>,
}

#[derive(Debug, Serialize)]
struct SyncResponse {
    transactions_update_status: &'static str,
    accounts: Vec<AccountResponse>,
    #[serde(flatten)]
    changes: SyncChanges,
    next_cursor: String,
    has_more: bool,
    request_id: String,
}

/// A page of the item's changes since the cursor, as Plaid reports them: a transaction that
/// posted since the reader saw it pending is the pending id in `removed` and the posted one in
/// `added`, naming the pending one.
#[post("/transactions/sync")]
pub async fn transactions_sync(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    let (client, request): (_, SyncRequest) = super::read(&req, &state, &body).await?;
    let view = healthy_item(&state, &client, &request.access_token).await?;
    let count = request.count.unwrap_or(100);
    if !(1..=500).contains(&count) {
        return Err(PlaidError::new(PlaidErrorCode::InvalidField, "count must be from 1 to 500"));
    }
    let options = request.options.unwrap_or_default();
    let (page, next_cursor, base) = feed_page(&state, &client, &view, request.cursor, count).await?;
    let has_more = page.has_more;
    let mut changes = translate(page, base, options.include_original_description.unwrap_or(false));
    if let Some(account) = &options.account_id {
        changes.added.retain(|t| t.account_id() == account);
        changes.modified.retain(|t| t.account_id() == account);
        changes.removed.retain(|r| &r.account_id == account);
    }
    let accounts = accounts_of(&state, &client, &view, None).await?;
    PlaidJson::new(&SyncResponse {
        transactions_update_status: "HISTORICAL_UPDATE_COMPLETE",
        accounts: accounts.iter().map(AccountResponse::from).collect(),
        has_more,
        changes,
        next_cursor,
        request_id: request_id(&req),
    })
}

/// The feed page of the item after `cursor` (absent or empty: from the start); returns it with
/// the next cursor and the reader's base (the seq up to which it holds every change).
async fn feed_page(
    state: &AppState,
    client: &PlaidClient,
    view: &ConnectionView,
    cursor: Option<String>,
    count: u32,
) -> Result<(FeedPage, String, i64), PlaidError> {
    let (feed, user) = (state.feed.clone(), client.user);
    let connection = view.connection.id.as_uuid().to_string();
    let count = count.to_string();
    let cursor = cursor.filter(|c| !c.is_empty());
    let raw = RawFeedQuery { connection_id: Some(&connection), cursor: cursor.as_deref(), count: Some(&count) };
    let query = feed
        .parse_query(&raw, user)
        .map_err(|errors| PlaidError::new(PlaidErrorCode::InvalidField, format!("cursor: {}", errors)))?;
    let base = query.cursor.as_ref().map_or(0, |c| c.base_seq);
    let sealed =
        web::block(move || feed.changes(user, &query)).await.map_err(|_| internal())?.map_err(|error| match error {
            ServiceError::Conflict { message, .. } => {
                PlaidError::new(PlaidErrorCode::InvalidField, format!("cursor: {message}"))
            }
            other => from_service(other),
        })?;
    Ok((sealed.page, sealed.next_cursor, base))
}

/// Our page as Plaid's added, modified and removed, for a reader whose state is complete up to
/// `base`.
fn translate(page: FeedPage, base: i64, original_description: bool) -> SyncChanges {
    let mut changes = SyncChanges::default();
    let shown = |replaces_pending| Shown { replaces_pending, original_description };
    for added in page.added {
        let replaces = added.posted_seq.is_some_and(|posted| posted > added.created_seq);
        changes.added.push(PlaidTransaction::of(&added.transaction, shown(replaces)));
    }
    for modified in page.modified {
        let t = &modified.transaction;
        if !is_pending(t) && modified.posted_seq.is_some_and(|posted| posted > base) {
            // The reader holds it as pending: Plaid removes that one and adds the posted one.
            let account_id = t.account_id.as_uuid().to_string();
            changes.removed.push(RemovedResponse { transaction_id: pending_id(t.id), account_id });
            changes.added.push(PlaidTransaction::of(t, shown(true)));
        } else {
            changes.modified.push(PlaidTransaction::of(t, shown(false)));
        }
    }
    for removed in page.removed {
        let held_posted = removed.posted_seq.is_some_and(|posted| posted <= base);
        let transaction_id = if held_posted { posted_id(removed.id) } else { pending_id(removed.id) };
        changes.removed.push(RemovedResponse { transaction_id, account_id: removed.account_id.as_uuid().to_string() });
    }
    changes
}

#[derive(Debug, Serialize)]
struct RefreshResponse {
    request_id: String,
}

/// Asks the bank for new transactions now (a sync; done when it answers).
#[post("/transactions/refresh")]
pub async fn transactions_refresh(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    let (client, request): (_, AccessTokenRequest) = super::read(&req, &state, &body).await?;
    refresh(&state, &client, request.access_token()).await?;
    PlaidJson::new(&RefreshResponse { request_id: request_id(&req) })
}

/// Syncs the item (healthy first); a failed sync is reported as what it did to the item, else
/// as the failure itself.
pub async fn refresh(state: &AppState, client: &PlaidClient, access_token: &str) -> Result<ConnectionView, PlaidError> {
    let view = healthy_item(state, client, access_token).await?;
    let (service, user, id) = (state.connections.clone(), client.user, view.connection.id);
    match web::block(move || service.sync(user, id)).await.map_err(|_| internal())? {
        Ok(_) => Ok(view),
        Err(error) => {
            let view = item(state, client, access_token).await?;
            Err(item_error(&view).unwrap_or_else(|| from_service(error)))
        }
    }
}

#[derive(Debug, Serialize)]
struct ResetLoginResponse {
    reset_login: bool,
    request_id: String,
}

/// Puts the item in login-required (our `expired`, at once, with its `ITEM` / `ERROR` webhook):
/// reading it then fails with `ITEM_LOGIN_REQUIRED` until it is authorized again.
#[post("/sandbox/item/reset_login")]
pub async fn sandbox_item_reset_login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    let (client, request): (_, AccessTokenRequest) = super::read(&req, &state, &body).await?;
    let view = item(&state, &client, request.access_token()).await?;
    if view.connection.status == ConnectionStatus::Connected {
        let (service, user, id) = (state.connections.clone(), client.user, view.connection.id);
        web::block(move || {
            service.simulate(user, id, SimulationEvent::ExpireToken)?;
            // Plaid's reset takes effect at once: the sync that finds the token expired records
            // `expired` (and the item's `ERROR` webhook) now rather than at the next sync.
            match service.sync(user, id) {
                Err(_) if service.get(user, id)?.connection.status == ConnectionStatus::Expired => Ok(()),
                Err(error) => Err(error),
                Ok(_) => Ok(()),
            }
        })
        .await
        .map_err(|_| internal())?
        .map_err(from_service)?;
    }
    PlaidJson::new(&ResetLoginResponse { reset_login: true, request_id: request_id(&req) })
}

/// `/transactions/get`'s options.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct GetOptions {
    account_ids: Option<Vec<String>>,
    count: Option<u32>,
    offset: Option<u32>,
    include_original_description: Option<bool>,
    include_personal_finance_category_beta: Option<bool>,
    include_personal_finance_category: Option<bool>,
    include_logo_and_counterparty_beta: Option<bool>,
    personal_finance_category_version: Option<String>,
    days_requested: Option<u32>,
}

/// `/transactions/get`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GetRequest {
    access_token: String,
    start_date: chrono::NaiveDate,
    end_date: chrono::NaiveDate,
    #[serde(default)]
    options: Option<GetOptions>,
}

#[derive(Debug, Serialize)]
struct GetResponse {
    accounts: Vec<AccountResponse>,
    transactions: Vec<PlaidTransaction>,
    total_transactions: usize,
    item: super::items::ItemResponse,
    request_id: String,
}

/// The item's transactions dated `start_date` to `end_date`, newest first, `count` from
/// `offset`.
#[post("/transactions/get")]
pub async fn transactions_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    let (client, request): (_, GetRequest) = super::read(&req, &state, &body).await?;
    let view = healthy_item(&state, &client, &request.access_token).await?;
    let options = request.options.unwrap_or_default();
    let (count, offset) = (options.count.unwrap_or(100), options.offset.unwrap_or(0));
    if !(1..=500).contains(&count) {
        return Err(PlaidError::new(PlaidErrorCode::InvalidField, "options.count must be from 1 to 500"));
    }
    if request.start_date > request.end_date {
        return Err(PlaidError::new(PlaidErrorCode::InvalidField, "start_date must not be after end_date"));
    }
    let accounts = accounts_of(&state, &client, &view, options.account_ids.as_deref()).await?;
    let wanted: Vec<_> = accounts.iter().map(|a| a.id).collect();
    let mut rows = in_range(&state, &client, &view, request.start_date, request.end_date).await?;
    rows.retain(|t| wanted.contains(&t.account_id));
    let total = rows.len();
    let shown =
        Shown { replaces_pending: false, original_description: options.include_original_description.unwrap_or(false) };
    let transactions =
        rows.iter().skip(offset as usize).take(count as usize).map(|t| PlaidTransaction::of(t, shown)).collect();
    PlaidJson::new(&GetResponse {
        accounts: accounts.iter().map(AccountResponse::from).collect(),
        transactions,
        total_transactions: total,
        item: super::items::ItemResponse::of(&view),
        request_id: request_id(&req),
    })
}

/// Every transaction of the item dated in `start..=end`, newest first (the listing, page by
/// page).
async fn in_range(
    state: &AppState,
    client: &PlaidClient,
    view: &ConnectionView,
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
) -> Result<Vec<sandbank_domain::transaction::Transaction>, PlaidError> {
    let (service, user) = (state.transactions.clone(), client.user);
    let connection = view.connection.id.as_uuid().to_string();
    web::block(move || {
        let (start, end) = (start.to_string(), end.to_string());
        let mut rows = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let raw = sandbank_domain::transaction_query::RawTransactionQuery {
                connection_id: Some(&connection),
                start_date: Some(&start),
                end_date: Some(&end),
                limit: Some("500"),
                cursor: cursor.as_deref(),
                ..Default::default()
            };
            let query = service.parse_query(&raw).map_err(ServiceError::from)?;
            let page = service.list(user, &query)?;
            rows.extend(page.transactions);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => return Ok::<_, ServiceError>(rows),
            }
        }
    })
    .await
    .map_err(|_| internal())?
    .map_err(from_service)
}
