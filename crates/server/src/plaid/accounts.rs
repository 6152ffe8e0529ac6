//! `/accounts/get` and `/accounts/balance/get`: an item's accounts as Plaid shows them — types
//! `depository`/`credit`/`investment`, balances as JSON numbers (Plaid's API demands numbers;
//! amounts stay exact integers until this edge).

use actix_web::{HttpRequest, post, web};
use sandbank_domain::account::{Account, AccountSubtype, AccountType};
use sandbank_domain::money::Money;
use sandbank_services::use_cases::accounts::AccountFilter;
use sandbank_services::use_cases::connections::ConnectionView;
use serde::{Deserialize, Serialize};

use super::client::PlaidClient;
use super::error::{PlaidError, PlaidErrorCode};
use super::items::{ItemResponse, healthy_item};
use super::{PlaidJson, from_service, internal, request_id};
use crate::state::AppState;

/// `options` of the accounts endpoints.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountsOptions {
    account_ids: Option<Vec<String>>,
    #[serde(default)]
    #[allow(dead_code)]
    min_last_updated_datetime: Option<String>,
}

/// `/accounts/get` and `/accounts/balance/get`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountsRequest {
    access_token: String,
    #[serde(default)]
    options: Option<AccountsOptions>,
}

/// An amount as the JSON number Plaid sends (cents are exact in an f64 at any balance we make).
pub fn plaid_number(money: Money) -> serde_json::Number {
    let text = money.to_string();
    text.parse::<f64>().ok().and_then(serde_json::Number::from_f64).unwrap_or_else(|| serde_json::Number::from(0))
}

/// Plaid's balances of an account.
#[derive(Debug, Serialize)]
pub struct BalancesResponse {
    available: Option<serde_json::Number>,
    current: Option<serde_json::Number>,
    limit: Option<serde_json::Number>,
    iso_currency_code: String,
    unofficial_currency_code: Option<String>,
}

/// Plaid's account object.
#[derive(Debug, Serialize)]
pub struct AccountResponse {
    account_id: String,
    balances: BalancesResponse,
    mask: Option<String>,
    name: String,
    official_name: Option<String>,
    #[serde(rename = "type")]
    account_type: &'static str,
    subtype: &'static str,
}

/// Plaid's type and subtype of ours.
pub fn plaid_type(account_type: AccountType, subtype: AccountSubtype) -> (&'static str, &'static str) {
    match (account_type, subtype) {
        (AccountType::CreditCard, _) => ("credit", "credit card"),
        (AccountType::Checking, _) => ("depository", "checking"),
        (AccountType::Savings, _) => ("depository", "savings"),
        (AccountType::Investment, AccountSubtype::Ira) => ("investment", "ira"),
        (AccountType::Investment, _) => ("investment", "brokerage"),
    }
}

impl From<&Account> for AccountResponse {
    fn from(account: &Account) -> Self {
        let (account_type, subtype) = plaid_type(account.account_type, account.subtype);
        Self {
            account_id: account.id.as_uuid().to_string(),
            balances: BalancesResponse {
                available: Some(plaid_number(account.available_balance)),
                current: Some(plaid_number(account.current_balance)),
                limit: account.credit_limit.map(plaid_number),
                iso_currency_code: account.current_balance.currency().to_string(),
                unofficial_currency_code: None,
            },
            mask: Some(account.mask.clone()),
            name: account.name.clone(),
            official_name: Some(account.official_name.clone()),
            account_type,
            subtype,
        }
    }
}

#[derive(Debug, Serialize)]
struct AccountsResponse {
    accounts: Vec<AccountResponse>,
    item: ItemResponse,
    request_id: String,
}

/// The item's accounts (those named in `options.account_ids`, if given).
pub async fn accounts_of(
    state: &AppState,
    client: &PlaidClient,
    view: &ConnectionView,
    wanted: Option<&[String]>,
) -> Result<Vec<Account>, PlaidError> {
    let (service, user) = (state.accounts.clone(), client.user);
    let filter = AccountFilter { connection_id: Some(view.connection.id), ..Default::default() };
    let accounts =
        web::block(move || service.list(user, &filter)).await.map_err(|_| internal())?.map_err(from_service)?;
    let Some(wanted) = wanted else { return Ok(accounts) };
    if let Some(unknown) = wanted.iter().find(|id| !accounts.iter().any(|a| a.id.as_uuid().to_string() == **id)) {
        return Err(PlaidError::new(
            PlaidErrorCode::InvalidField,
            format!("options.account_ids: no account {unknown} in this item"),
        ));
    }
    Ok(accounts.into_iter().filter(|a| wanted.contains(&a.id.as_uuid().to_string())).collect())
}

async fn answer(req: &HttpRequest, state: &AppState, body: &[u8], refresh: bool) -> Result<PlaidJson, PlaidError> {
    let (client, request): (_, AccountsRequest) = super::read(req, state, body).await?;
    let view = if refresh {
        super::transactions::refresh(state, &client, &request.access_token).await?
    } else {
        healthy_item(state, &client, &request.access_token).await?
    };
    let wanted = request.options.as_ref().and_then(|o| o.account_ids.as_deref());
    let accounts = accounts_of(state, &client, &view, wanted).await?;
    PlaidJson::new(&AccountsResponse {
        accounts: accounts.iter().map(AccountResponse::from).collect(),
        item: ItemResponse::of(&view),
        request_id: request_id(req),
    })
}

/// The item's accounts with the balances of the last sync.
#[post("/accounts/get")]
pub async fn accounts_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    answer(&req, &state, &body, false).await
}

/// The item's accounts with balances fetched from the bank now (a sync first).
#[post("/accounts/balance/get")]
pub async fn accounts_balance_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    answer(&req, &state, &body, true).await
}

#[cfg(test)]
mod tests {
    use sandbank_domain::money::Currency;

    use super::*;

    #[test]
    fn amounts_become_plaid_numbers() {
        assert_eq!(plaid_number(Money::from_minor(-4217, Currency::USD)).to_string(), "-42.17");
        assert_eq!(plaid_number(Money::from_minor(123_456_789, Currency::USD)).to_string(), "1234567.89");
        assert_eq!(plaid_type(AccountType::CreditCard, AccountSubtype::Travel), ("credit", "credit card"));
        assert_eq!(plaid_type(AccountType::Savings, AccountSubtype::HighYield), ("depository", "savings"));
    }
}
