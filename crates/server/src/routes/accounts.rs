//! `/api/financial/accounts`: list and get.

use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, NaiveDate, Utc};
use sandbank_domain::account::{Account, AccountStatus, AccountSubtype, AccountType};
use sandbank_domain::transaction_query::parse_day_range;
use sandbank_domain::{AccountId, ConnectionId, FieldErrors, ProviderId};
use sandbank_services::use_cases::accounts::{AccountFilter, AccountsListing};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api_query::ApiQuery;
use crate::authenticated::Authenticated;
use crate::error::{ApiError, ErrorResponse};
use crate::quick_reads;
use crate::rendered_pages::PageKey;
use crate::state::AppState;

/// A financial account.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!(account_example()))]
pub struct AccountResponse {
    /// Its id.
    pub id: Uuid,
    /// The connection it came through.
    pub connection_id: Uuid,
    /// Its bank.
    pub provider_id: Uuid,
    /// Short display name, e.g. "Gold Card".
    pub name: String,
    /// The product's full name.
    pub official_name: String,
    /// `credit_card`, `checking`, `savings` or `investment`.
    #[serde(rename = "type")]
    #[schema(value_type = crate::schemas::AccountType)]
    pub account_type: AccountType,
    /// e.g. `rewards`, `travel`, `personal`, `high_yield`, `brokerage`.
    #[schema(value_type = crate::schemas::AccountSubtype)]
    pub subtype: AccountSubtype,
    /// Last four digits.
    #[schema(example = "1234")]
    pub mask: String,
    /// `****1234`.
    #[schema(example = "****1234")]
    pub display_number: String,
    /// Depository: money held. Card: amount owed. A decimal string with two decimals.
    #[schema(example = "1234.56", pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub current_balance: String,
    /// Depository: `currentBalance` less the pending debits. Card: `creditLimit −
    /// currentBalance −` the pending purchases — what can still be spent now, so it is below
    /// `availableCredit` whenever a purchase is pending. A decimal string with two decimals.
    #[schema(example = "1200.00", pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub available_balance: String,
    /// Cards: the credit limit, a decimal string with two decimals.
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    #[schema(required = true)]
    pub credit_limit: Option<String>,
    /// Cards: `creditLimit − currentBalance`, the posted balance only (pending purchases not
    /// counted: see `availableBalance`); null for other accounts. A decimal string with two
    /// decimals.
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    #[schema(required = true)]
    pub available_credit: Option<String>,
    /// Cards: the last statement's closing day.
    #[schema(required = true)]
    pub statement_date: Option<NaiveDate>,
    /// Cards: when the payment is due.
    #[schema(required = true)]
    pub payment_due_date: Option<NaiveDate>,
    /// Cards: the balance owed when the last statement closed — what `minimumPayment` and
    /// `paymentDueDate` refer to; null for other accounts (and for a card before its first
    /// statement). A decimal string with two decimals.
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    #[schema(required = true)]
    pub statement_balance: Option<String>,
    /// Cards: the least payment due, a decimal string with two decimals.
    #[schema(pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    #[schema(required = true)]
    pub minimum_payment: Option<String>,
    /// ISO 4217.
    #[schema(example = "USD")]
    pub currency: String,
    /// `active`, or `disconnected` (kept read-only).
    #[schema(value_type = crate::schemas::AccountStatus)]
    pub status: AccountStatus,
    /// The last balance check (a background job after each sync): `matched` when every day's
    /// change of the reported balance equals the amounts posted that day, else what differed.
    #[schema(example = "matched")]
    #[schema(required = true)]
    pub reconciliation: Option<String>,
    /// When its figures last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<Account> for AccountResponse {
    fn from(a: Account) -> Self {
        Self {
            id: a.id.as_uuid(),
            connection_id: a.connection_id.as_uuid(),
            provider_id: a.provider_id.as_uuid(),
            display_number: a.display_number(),
            available_credit: a.available_credit().map(|m| m.to_string()),
            name: a.name,
            official_name: a.official_name,
            account_type: a.account_type,
            subtype: a.subtype,
            mask: a.mask,
            current_balance: a.current_balance.to_string(),
            available_balance: a.available_balance.to_string(),
            credit_limit: a.credit_limit.map(|m| m.to_string()),
            statement_date: a.statement_date,
            payment_due_date: a.payment_due_date,
            statement_balance: a.statement_balance.map(|m| m.to_string()),
            minimum_payment: a.minimum_payment.map(|m| m.to_string()),
            currency: a.current_balance.currency().to_string(),
            status: a.status,
            reconciliation: a.reconciliation,
            updated_at: a.updated_at,
        }
    }
}

/// The caller's accounts.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"accounts": [account_example()]}))]
pub struct AccountsResponse {
    /// By connection, then as reported.
    pub accounts: Vec<AccountResponse>,
}

/// Filters of `listAccounts`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct AccountsQuery {
    /// Only this connection's accounts.
    #[param(value_type = Option<Uuid>)]
    pub connection_id: Option<String>,
    /// Only this type: `credit_card`, `checking`, `savings`, `investment`.
    #[serde(rename = "type")]
    #[param(rename = "type", value_type = Option<crate::schemas::AccountType>)]
    pub account_type: Option<String>,
    /// Only this provider's accounts.
    #[param(value_type = Option<Uuid>)]
    pub provider_id: Option<String>,
}

impl AccountsQuery {
    fn filter(&self) -> Result<AccountFilter, ApiError> {
        let mut errors = FieldErrors::new();
        let connection_id =
            self.connection_id.as_deref().and_then(|v| errors.uuid("connectionId", v)).map(ConnectionId::from_uuid);
        let provider_id =
            self.provider_id.as_deref().and_then(|v| errors.uuid("providerId", v)).map(ProviderId::from_uuid);
        let account_type = self.account_type.as_deref().and_then(|t| errors.check("type", t.parse::<AccountType>()));
        errors
            .into_result(|| AccountFilter { connection_id, account_type, provider_id })
            .map_err(|e| ApiError::validation(&e))
    }
}

/// The caller's accounts, optionally filtered.
#[utoipa::path(
    tag = "financial",
    operation_id = "listAccounts",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(AccountsQuery),
    responses(
        (status = 200, description = "The caller's accounts", body = AccountsResponse),
        (status = 400, description = "A filter is not a UUID or not a type", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    )
)]
#[get("/api/financial/accounts")]
pub async fn list_accounts(
    state: web::Data<AppState>,
    caller: Authenticated,
    query: ApiQuery<AccountsQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = query.filter()?;
    let (service, pages) = (state.accounts.clone(), state.rendered_pages.clone());
    let user = caller.0.user.id;
    let key = PageKey::Accounts(user, filter.clone());
    // Asked on this thread first when that cannot wait (SQLite's version read).
    let known = service.known_at_once(user, |version| pages.get(&key, version)).map(AccountsListing::Known);
    let kept_as = key.clone();
    let listing = quick_reads::unless_known(known, move || {
        service.list_if_changed(user, &filter, |version| pages.get(&kept_as, version))
    })
    .await?;
    let body = match listing {
        AccountsListing::Known(body) => body,
        AccountsListing::Read { accounts, version } => {
            let response = AccountsResponse { accounts: accounts.into_iter().map(Into::into).collect() };
            state.rendered_pages.render(key, version, &response).map_err(|_| ApiError::internal())?
        }
    };
    Ok(HttpResponse::Ok().content_type(ContentType::json()).body(body))
}

/// One account, with balances, limits, statement and due dates.
#[utoipa::path(
    tag = "financial",
    operation_id = "getAccount",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(("accountId" = Uuid, Path, description = "The account")),
    responses(
        (status = 200, description = "The account", body = AccountResponse),
        (status = 400, description = "accountId is not a UUID", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Another user's account", body = ErrorResponse),
        (status = 404, description = "No such account", body = ErrorResponse),
    )
)]
#[get("/api/financial/accounts/{accountId}")]
pub async fn get_account(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<Uuid>,
) -> Result<web::Json<AccountResponse>, ApiError> {
    let service = state.accounts.clone();
    let id = AccountId::from_uuid(path.into_inner());
    let account = quick_reads::run(move || service.get(caller.0.user.id, id)).await??;
    Ok(web::Json(account.into()))
}

/// A day's balances.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotResponse {
    /// The day.
    pub date: NaiveDate,
    /// As `currentBalance` of the account, at the end of that day: a decimal string.
    #[schema(example = "1234.56", pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub current_balance: String,
    /// As `availableBalance` of the account, at the end of that day: a decimal string.
    #[schema(example = "1200.00", pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub available_balance: String,
}

/// An account's daily balances.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "snapshots": [
        {
            "date": "2026-09-03",
            "currentBalance": "300.00",
            "availableBalance": "9684.27"
        }
    ]
}))]
pub struct SnapshotsResponse {
    /// Oldest first.
    pub snapshots: Vec<SnapshotResponse>,
}

/// The days of a balance history.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct BalancesQuery {
    /// From this day, `YYYY-MM-DD`.
    #[param(value_type = Option<NaiveDate>)]
    pub start_date: Option<String>,
    /// To this day, `YYYY-MM-DD`; not before `startDate`.
    #[param(value_type = Option<NaiveDate>)]
    pub end_date: Option<String>,
}

/// An account's balance history: one snapshot per day.
#[utoipa::path(
    tag = "financial",
    operation_id = "getAccountBalances",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(("accountId" = Uuid, Path, description = "The account"), BalancesQuery),
    responses(
        (status = 200, description = "Daily balances, oldest first", body = SnapshotsResponse),
        (status = 400, description = "accountId is not a UUID, a bad date, or startDate after endDate", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Another user's account", body = ErrorResponse),
        (status = 404, description = "No such account", body = ErrorResponse),
    )
)]
#[get("/api/financial/accounts/{accountId}/balances")]
pub async fn get_account_balances(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<Uuid>,
    query: ApiQuery<BalancesQuery>,
) -> Result<web::Json<SnapshotsResponse>, ApiError> {
    let mut errors = FieldErrors::new();
    let (start, end) = parse_day_range(query.start_date.as_deref(), query.end_date.as_deref(), &mut errors);
    errors.into_result(|| ()).map_err(|e| ApiError::validation(&e))?;
    let service = state.accounts.clone();
    let id = AccountId::from_uuid(path.into_inner());
    let snapshots = web::block(move || service.balances(caller.0.user.id, id, start, end)).await??;
    Ok(web::Json(SnapshotsResponse {
        snapshots: snapshots
            .into_iter()
            .map(|s| SnapshotResponse {
                date: s.date,
                current_balance: s.current.to_string(),
                available_balance: s.available.to_string(),
            })
            .collect(),
    }))
}

/// The example account of the spec.
fn account_example() -> serde_json::Value {
    serde_json::json!({
        "id": "01a239e2-1c3c-73b8-a929-35c7840d1a60",
        "connectionId": "01a239e2-1c37-77f5-a2d9-59ee2566b457",
        "providerId": "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a02",
        "name": "Freedom Unlimited®",
        "officialName": "Chase Freedom Unlimited®",
        "type": "credit_card",
        "subtype": "cashback",
        "mask": "4975",
        "displayNumber": "****4975",
        "currentBalance": "1374.04",
        "availableBalance": "8602.30",
        "creditLimit": "10000.00",
        "availableCredit": "8625.96",
        "statementDate": "2026-11-04",
        "paymentDueDate": "2026-11-25",
        "statementBalance": "1163.42",
        "minimumPayment": "35.00",
        "currency": "USD",
        "status": "active",
        "reconciliation": null,
        "updatedAt": "2026-12-03T03:10:49.423228Z"
    })
}
