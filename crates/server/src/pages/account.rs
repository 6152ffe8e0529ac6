//! `/accounts/{id}`: balances, limits, dates, the balance history chart and transactions.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sandbank_domain::AccountId;
use sandbank_domain::account::AccountType;
use sandbank_domain::transaction_query::{RawTransactionQuery, TransactionQuery};
use sandbank_services::ServiceError;
use uuid::Uuid;

use crate::pages::charts::line_chart;
use crate::pages::view::{AccountDetail, AccountNames, Nav, TransactionLine, transaction_lines};
use crate::pages::{PageError, Visitor, html, run_service};
use crate::state::AppState;

/// Registers the account page.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/accounts/{accountId}", web::get().to(show));
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    nav: Nav,
    account: AccountDetail,
    chart: String,
    rows: Vec<TransactionLine>,
    /// Whether the rows name their account (not on an account's own page).
    show_account: bool,
}

/// `GET /accounts/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let id = AccountId::from_uuid(path.into_inner());
    let caller = visitor.signed_in(&format!("/accounts/{id}"))?;
    let user = caller.user.id;
    let services = state.clone();
    let (account, snapshots, page) = run_service(move || {
        let account = services.accounts.get(user, id)?;
        let snapshots = services.accounts.balances(user, id, None, None)?;
        let id_text = id.to_string();
        let query = TransactionQuery::parse(&RawTransactionQuery { account_id: Some(&id_text), ..Default::default() })
            .map_err(ServiceError::from)?;
        let page = services.transactions.list(user, &query)?;
        Ok((account, snapshots, page))
    })
    .await?;
    let names = AccountNames::from(std::slice::from_ref(&account));
    let view = AccountPage {
        nav: Nav::signed_in(&state, &caller, None, None),
        account: AccountDetail::from(&account),
        chart: line_chart(
            if account.account_type == AccountType::CreditCard { "Balance owed" } else { "Balance" },
            &snapshots.iter().map(|s| (s.date, s.current)).collect::<Vec<_>>(),
        ),
        rows: transaction_lines(&page.transactions, &names),
        show_account: false,
    };
    Ok(html(StatusCode::OK, &view))
}
