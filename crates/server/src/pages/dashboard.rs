//! `/dashboard` and its forms: connect, sync now, disconnect (with a confirmation step).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Utc;
use sandbank_domain::account::{Account, AccountStatus};
use sandbank_domain::transaction::Transaction;
use sandbank_domain::transaction_query::{RawTransactionQuery, TransactionQuery};
use sandbank_domain::{AccountId, ConnectionId, FieldErrors, ProviderId};
use sandbank_services::ServiceError;
use sandbank_services::use_cases::accounts::AccountFilter;
use serde::Deserialize;
use uuid::Uuid;

use crate::pages::view::{Nav, ago, money, spend_chart};
use crate::pages::{Visitor, block_service, form_caller, html, run_service, see_other, to_login};
use crate::state::AppState;

/// A provider card.
pub struct ProviderCard {
    id: String,
    slug: String,
    name: String,
    logo_url: String,
    types: String,
    connected: bool,
}

/// A connection row.
pub struct ConnectionRow {
    id: String,
    provider: String,
    status: String,
    problem: Option<String>,
    last_sync: String,
    can_sync: bool,
    can_authorize: bool,
    authorize_url: String,
}

/// An account row.
pub struct AccountRow {
    id: String,
    name: String,
    provider: String,
    kind: String,
    number: String,
    current: String,
    limit: String,
    available_credit: String,
    check: String,
    disconnected: bool,
}

/// A transaction row.
pub struct TransactionRow {
    pub(crate) date: String,
    pub(crate) merchant: String,
    pub(crate) description: String,
    pub(crate) category: String,
    pub(crate) account: String,
    pub(crate) status: String,
    pub(crate) direction: &'static str,
    pub(crate) amount: String,
}

impl TransactionRow {
    /// The row of `t`, naming its account from `names`.
    pub fn new(t: &Transaction, names: &HashMap<AccountId, String>) -> Self {
        let r = &t.reported;
        Self {
            date: r.date.to_string(),
            merchant: r.merchant_name.clone(),
            description: r.description.clone(),
            category: r.category.as_str().replace('_', " "),
            account: names.get(&t.account_id).cloned().unwrap_or_default(),
            status: r.status.to_string(),
            direction: if r.amount.is_negative() { "debit" } else { "credit" },
            amount: money(r.amount),
        }
    }
}

/// The account names of a user's accounts, by id.
pub fn account_names(accounts: &[Account]) -> HashMap<AccountId, String> {
    accounts.iter().map(|a| (a.id, format!("{} {}", a.name, a.display_number()))).collect()
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    nav: Nav,
    cash: String,
    owed: String,
    net_worth: String,
    recent_count: u64,
    spend_chart: String,
    providers: Vec<ProviderCard>,
    connections: Vec<ConnectionRow>,
    accounts: Vec<AccountRow>,
    rows: Vec<TransactionRow>,
}

#[derive(Template)]
#[template(path = "confirm_disconnect.html")]
struct ConfirmDisconnectPage {
    nav: Nav,
    id: String,
    provider: String,
}

/// A flash message named in the URL.
#[derive(Debug, Deserialize)]
pub struct FlashQuery {
    flash: Option<String>,
    n: Option<String>,
}

/// `GET /dashboard`.
pub async fn show(state: web::Data<AppState>, visitor: Visitor, query: web::Query<FlashQuery>) -> HttpResponse {
    let Some(caller) = visitor.0 else { return to_login("/dashboard") };
    let user = caller.user.id;
    let services = state.clone();
    let loaded = run_service(move || {
        let providers = services.catalog.list()?;
        let connections = services.connections.list(user)?;
        let accounts = services.accounts.list(user, &AccountFilter::default())?;
        let stats = services.dashboard.quick_stats(user)?;
        let recent = TransactionQuery::parse(&RawTransactionQuery { limit: Some("10"), ..Default::default() })
            .map_err(ServiceError::from)?;
        let recent = services.transactions.list(user, &recent)?;
        Ok((providers, connections, accounts, stats, recent))
    })
    .await;
    let (providers, connections, accounts, stats, recent) = match loaded {
        Ok(loaded) => loaded,
        Err(page) => return page,
    };
    let now = Utc::now();
    let provider_names: HashMap<ProviderId, String> = providers.iter().map(|p| (p.id, p.name.clone())).collect();
    let names = account_names(&accounts);
    let page = DashboardPage {
        nav: Nav::signed_in(&state, &caller, query.flash.as_deref(), query.n.as_deref()),
        cash: money(stats.cash),
        owed: money(stats.owed),
        net_worth: money(stats.net_worth),
        recent_count: stats.transactions_last_30_days,
        spend_chart: if stats.spend_by_category.is_empty() {
            String::new()
        } else {
            spend_chart(&stats.spend_by_category.iter().map(|(c, m)| (c.as_str().to_owned(), *m)).collect::<Vec<_>>())
        },
        providers: providers
            .iter()
            .map(|p| ProviderCard {
                id: p.id.to_string(),
                slug: p.slug.clone(),
                name: p.name.clone(),
                logo_url: p.logo_url.clone(),
                types: p
                    .supported_account_types
                    .iter()
                    .map(|t| t.as_str().replace('_', " "))
                    .collect::<Vec<_>>()
                    .join(", "),
                connected: connections.iter().any(|c| {
                    c.connection.provider_id == p.id
                        && c.connection.status == sandbank_domain::connection::ConnectionStatus::Connected
                }),
            })
            .collect(),
        connections: connections
            .iter()
            .rev()
            .map(|v| {
                let c = &v.connection;
                ConnectionRow {
                    id: c.id.to_string(),
                    provider: v.provider.name.clone(),
                    status: c.status.to_string(),
                    problem: c.problem.as_ref().map(|p| p.message.clone()),
                    last_sync: c.last_synced_at.map_or_else(|| "never".to_owned(), |t| ago(t, now)),
                    can_sync: c.status.check_sync().is_ok(),
                    can_authorize: c.status.check_authorize().is_ok(),
                    authorize_url: format!("/financial/authorize/{}", c.id),
                }
            })
            .collect(),
        accounts: accounts
            .iter()
            .map(|a| AccountRow {
                id: a.id.to_string(),
                name: a.name.clone(),
                provider: provider_names.get(&a.provider_id).cloned().unwrap_or_default(),
                kind: format!(
                    "{} · {}",
                    a.account_type.as_str().replace('_', " "),
                    a.subtype.as_str().replace('_', " ")
                ),
                number: a.display_number(),
                current: money(a.current_balance),
                limit: a.credit_limit.map(money).unwrap_or_default(),
                available_credit: a.available_credit().map(money).unwrap_or_default(),
                check: a.reconciliation.clone().unwrap_or_else(|| "not checked yet".to_owned()),
                disconnected: a.status == AccountStatus::Disconnected,
            })
            .collect(),
        rows: recent.transactions.iter().map(|t| TransactionRow::new(t, &names)).collect(),
    };
    html(StatusCode::OK, &page)
}

/// A form with only its CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// The Connect form.
#[derive(Debug, Deserialize)]
pub struct ConnectForm {
    csrf: String,
    provider_id: String,
    #[serde(default)]
    seed: String,
}

/// `POST /dashboard/connections`: creates the connection and goes to its consent page.
pub async fn connect(state: web::Data<AppState>, visitor: Visitor, form: web::Form<ConnectForm>) -> HttpResponse {
    let caller = match form_caller(&state, visitor, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let seed = match form.seed.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(seed) => Some(seed),
            Err(_) => return crate::pages::error_page(FieldErrors::single("seed", "must be a whole number").into()),
        },
    };
    let service = state.connections.clone();
    let provider = form.provider_id.clone();
    match run_service(move || service.create(caller.user.id, Some(&provider), seed)).await {
        Ok(view) => see_other(&format!("/financial/authorize/{}", view.connection.id)),
        Err(page) => page,
    }
}

/// `POST /dashboard/connections/{id}/sync`.
pub async fn sync(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<Uuid>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    let caller = match form_caller(&state, visitor, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let service = state.connections.clone();
    let id = ConnectionId::from_uuid(path.into_inner());
    match block_service(move || service.sync(caller.user.id, id)).await {
        Ok(report) => see_other(&format!("/dashboard?flash=synced&n={}", report.transactions_added)),
        Err(ServiceError::ProviderUnavailable(_)) => see_other("/dashboard?flash=sync_failed"),
        Err(ServiceError::Conflict { code: "connection_expired", .. }) => see_other("/dashboard?flash=expired"),
        Err(error) => crate::pages::error_page(error),
    }
}

/// `GET /dashboard/connections/{id}/disconnect`: the confirmation step.
pub async fn confirm_disconnect(state: web::Data<AppState>, visitor: Visitor, path: web::Path<Uuid>) -> HttpResponse {
    let Some(caller) = visitor.0 else { return to_login("/dashboard") };
    let service = state.connections.clone();
    let id = ConnectionId::from_uuid(path.into_inner());
    let user = caller.user.id;
    match run_service(move || service.get(user, id)).await {
        Ok(view) => html(
            StatusCode::OK,
            &ConfirmDisconnectPage {
                nav: Nav::signed_in(&state, &caller, None, None),
                id: id.to_string(),
                provider: view.provider.name,
            },
        ),
        Err(page) => page,
    }
}

/// `POST /dashboard/connections/{id}/disconnect`.
pub async fn disconnect(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<Uuid>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    let caller = match form_caller(&state, visitor, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let service = state.connections.clone();
    let id = ConnectionId::from_uuid(path.into_inner());
    match run_service(move || service.disconnect(caller.user.id, id, false)).await {
        Ok(_) => see_other("/dashboard?flash=disconnected"),
        Err(page) => page,
    }
}
