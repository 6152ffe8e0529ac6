//! `/api/financial/recurring`: the subscriptions and bills found in the caller's history.

use actix_web::{get, web};
use chrono::NaiveDate;
use sandbank_domain::recurring::{Cadence, RecurringCharge};
use sandbank_domain::transaction::Category;
use sandbank_domain::{AccountId, ConnectionId, FieldErrors};
use sandbank_services::use_cases::recurring::RecurringFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api_query::ApiQuery;
use crate::authenticated::Authenticated;
use crate::error::{ApiError, ErrorResponse};
use crate::state::AppState;

/// A subscription or bill: charges to one account by one merchant at a regular cadence, still
/// coming.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecurringChargeResponse {
    /// The merchant, as its latest charge names it.
    #[schema(example = "Netflix")]
    pub merchant_name: String,
    /// The latest charge's category.
    #[schema(value_type = crate::schemas::Category)]
    pub category: Category,
    /// How often it comes.
    #[schema(value_type = crate::schemas::Cadence)]
    pub cadence: Cadence,
    /// What it usually costs, signed as transaction amounts are (negative: money out), a decimal
    /// string with two decimals: the current price (after a price rise, the new one), or the
    /// middle amount of a utility bill that varies.
    #[schema(example = "-15.49", pattern = r"^-?[0-9]+\.[0-9]{2}$")]
    pub typical_amount: String,
    /// ISO 4217.
    #[schema(example = "USD")]
    pub currency: String,
    /// The day of the latest charge.
    pub last_date: NaiveDate,
    /// When the next charge is expected: the series' usual day (a bill paid by ACH may come a
    /// few business days before it). Past today when the charge is late (by at most a few days
    /// for a weekly one, ten for a monthly one; later than that the series counts as stopped).
    pub next_expected_date: NaiveDate,
    /// The account it is charged to.
    pub account_id: Uuid,
    /// That account's connection.
    pub connection_id: Uuid,
    /// The charges of the series, oldest first.
    pub transaction_ids: Vec<Uuid>,
}

impl From<RecurringCharge> for RecurringChargeResponse {
    fn from(r: RecurringCharge) -> Self {
        Self {
            merchant_name: r.merchant_name,
            category: r.category,
            cadence: r.cadence,
            typical_amount: r.typical_amount.to_string(),
            currency: r.typical_amount.currency().to_string(),
            last_date: r.last_date,
            next_expected_date: r.next_expected_date,
            account_id: r.account_id.as_uuid(),
            connection_id: r.connection_id.as_uuid(),
            transaction_ids: r.transaction_ids.into_iter().map(|id| id.as_uuid()).collect(),
        }
    }
}

/// The caller's recurring charges.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "recurring": [
        {
            "merchantName": "Netflix",
            "category": "subscriptions",
            "cadence": "monthly",
            "typicalAmount": "-17.99",
            "currency": "USD",
            "lastDate": "2026-05-14",
            "nextExpectedDate": "2026-06-14",
            "accountId": "01a239e2-1c3c-73b8-a929-35c7840d1a60",
            "connectionId": "01a239e2-1c37-77f5-a2d9-59ee2566b457",
            "transactionIds": ["01a239e2-1c4d-7617-999f-cefa7540d8f2", "01a239e2-1c4d-7617-999f-cefa7540d8f3", "01a239e2-1c4d-7617-999f-cefa7540d8f4"]
        }
    ]
}))]
pub struct RecurringResponse {
    /// By next expected date, then merchant, then account.
    pub recurring: Vec<RecurringChargeResponse>,
}

/// Filters of `listRecurringCharges`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct RecurringQuery {
    /// Only this connection's.
    #[param(value_type = Option<Uuid>)]
    pub connection_id: Option<String>,
    /// Only this account's.
    #[param(value_type = Option<Uuid>)]
    pub account_id: Option<String>,
}

impl RecurringQuery {
    fn filter(&self) -> Result<RecurringFilter, ApiError> {
        let mut errors = FieldErrors::new();
        let connection_id =
            self.connection_id.as_deref().and_then(|v| errors.uuid("connectionId", v)).map(ConnectionId::from_uuid);
        let account_id = self.account_id.as_deref().and_then(|v| errors.uuid("accountId", v)).map(AccountId::from_uuid);
        errors.into_result(|| RecurringFilter { account_id, connection_id }).map_err(|e| ApiError::validation(&e))
    }
}

/// The subscriptions and bills found in the caller's transactions.
///
/// A recurring charge is a series of debits to one account by one merchant at a regular cadence
/// (weekly to yearly) that is still coming: the typical amount (at the current price) and the
/// next expected date. Transfers between your own accounts, refunds, income and everyday
/// purchases whose amounts differ each time are never one. Each connection's are found as of
/// its own today (its sandbox clock), in the last 400 days of its history.
#[utoipa::path(
    tag = "financial",
    operation_id = "listRecurringCharges",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    params(RecurringQuery),
    responses(
        (status = 200, description = "The recurring charges, by next expected date", body = RecurringResponse),
        (status = 400, description = "accountId or connectionId is not a UUID (named in `fields`)", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "accountId or connectionId is another user's", body = ErrorResponse),
        (status = 404, description = "accountId or connectionId does not exist", body = ErrorResponse),
    )
)]
#[get("/api/financial/recurring")]
pub async fn list_recurring_charges(
    state: web::Data<AppState>,
    caller: Authenticated,
    query: ApiQuery<RecurringQuery>,
) -> Result<web::Json<RecurringResponse>, ApiError> {
    let filter = query.filter()?;
    let service = state.recurring.clone();
    let found = web::block(move || service.list(caller.0.user.id, &filter)).await??;
    Ok(web::Json(RecurringResponse { recurring: found.into_iter().map(Into::into).collect() }))
}
