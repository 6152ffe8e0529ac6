//! `/accounts/{id}`: balances, limits, dates, the balance history chart and transactions.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sandbank_domain::AccountId;
use sandbank_domain::account::{AccountStatus, AccountType};
use sandbank_domain::transaction_query::{RawTransactionQuery, TransactionQuery};
use sandbank_services::ServiceError;
use uuid::Uuid;

use crate::pages::dashboard::{TransactionRow, account_names};
use crate::pages::view::{Nav, balance_chart, money};
use crate::pages::{Visitor, html, run_service, to_login};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    nav: Nav,
    id: String,
    name: String,
    official_name: String,
    number: String,
    kind: String,
    disconnected: bool,
    is_card: bool,
    current: String,
    available: String,
    limit: String,
    available_credit: String,
    statement_date: String,
    due_date: String,
    minimum: String,
    chart: String,
    rows: Vec<TransactionRow>,
}

/// `GET /accounts/{id}`.
pub async fn show(state: web::Data<AppState>, visitor: Visitor, path: web::Path<Uuid>) -> HttpResponse {
    let id = AccountId::from_uuid(path.into_inner());
    let Some(caller) = visitor.0 else { return to_login(&format!("/accounts/{id}")) };
    let user = caller.user.id;
    let services = state.clone();
    let loaded = run_service(move || {
        let account = services.accounts.get(user, id)?;
        let snapshots = services.accounts.balances(user, id, None, None)?;
        let id_text = id.to_string();
        let query = TransactionQuery::parse(&RawTransactionQuery { account_id: Some(&id_text), ..Default::default() })
            .map_err(ServiceError::from)?;
        let page = services.transactions.list(user, &query)?;
        Ok((account, snapshots, page))
    })
    .await;
    let (account, snapshots, page) = match loaded {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let names = account_names(std::slice::from_ref(&account));
    let text = |value: Option<String>| value.unwrap_or_else(|| "—".to_owned());
    let view = AccountPage {
        nav: Nav::signed_in(&state, &caller, None, None),
        id: account.id.to_string(),
        name: account.name.clone(),
        official_name: account.official_name.clone(),
        number: account.display_number(),
        kind: format!(
            "{} · {}",
            account.account_type.as_str().replace('_', " "),
            account.subtype.as_str().replace('_', " ")
        ),
        disconnected: account.status == AccountStatus::Disconnected,
        is_card: account.account_type == AccountType::CreditCard,
        current: money(account.current_balance),
        available: money(account.available_balance),
        limit: text(account.credit_limit.map(money)),
        available_credit: text(account.available_credit().map(money)),
        statement_date: text(account.statement_date.map(|d| d.to_string())),
        due_date: text(account.payment_due_date.map(|d| d.to_string())),
        minimum: text(account.minimum_payment.map(money)),
        chart: balance_chart(&snapshots),
        rows: page.transactions.iter().map(|t| TransactionRow::new(t, &names)).collect(),
    };
    html(StatusCode::OK, &view)
}
