//! `/transactions`: filters in the URL (so a view can be bookmarked), keyset pages with Next and
//! Previous (the cursors of earlier pages travel in `trail`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sandbank_domain::transaction::{Category, TransactionStatus, TransactionType};
use sandbank_domain::transaction_query::RawTransactionQuery;
use sandbank_services::use_cases::accounts::AccountFilter;
use serde::{Deserialize, Serialize};

use crate::pages::dashboard::{TransactionRow, account_names};
use crate::pages::view::Nav;
use crate::pages::{Visitor, html, run_service, to_login};
use crate::state::AppState;

/// The page's query string.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct TransactionsPageQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    account: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    start: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    end: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    category: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    status: String,
    #[serde(default, rename = "type", skip_serializing_if = "String::is_empty")]
    kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    sort: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    limit: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    cursor: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    trail: String,
}

/// An option of a select.
pub struct SelectOption {
    value: String,
    label: String,
    selected: bool,
}

fn options<'a>(choices: impl IntoIterator<Item = (&'a str, String)>, current: &str) -> Vec<SelectOption> {
    choices
        .into_iter()
        .map(|(value, label)| SelectOption { selected: value == current, value: value.to_owned(), label })
        .collect()
}

#[derive(Template)]
#[template(path = "transactions.html")]
struct TransactionsPage {
    nav: Nav,
    error: Option<String>,
    start: String,
    end: String,
    account_options: Vec<SelectOption>,
    category_options: Vec<SelectOption>,
    status_options: Vec<SelectOption>,
    type_options: Vec<SelectOption>,
    sort_options: Vec<SelectOption>,
    limit_options: Vec<SelectOption>,
    total: u64,
    rows: Vec<TransactionRow>,
    previous: Option<String>,
    next: Option<String>,
}

/// The page's URL for `query` (empty fields left out).
fn href(query: &TransactionsPageQuery) -> String {
    format!("/transactions?{}", serde_urlencoded::to_string(query).unwrap_or_default())
}

/// `GET /transactions`.
pub async fn show(
    state: web::Data<AppState>,
    visitor: Visitor,
    query: web::Query<TransactionsPageQuery>,
) -> HttpResponse {
    let Some(caller) = visitor.0 else { return to_login("/transactions") };
    let query = query.into_inner();
    let (sort_by, sort_order) = match query.sort.as_str() {
        "oldest" => ("date", "asc"),
        "largest" => ("amount", "asc"),
        "smallest" => ("amount", "desc"),
        _ => ("date", "desc"),
    };
    let raw = RawTransactionQuery {
        account_id: Some(query.account.as_str()),
        start_date: Some(query.start.as_str()),
        end_date: Some(query.end.as_str()),
        category: Some(query.category.as_str()),
        status: Some(query.status.as_str()),
        transaction_type: Some(query.kind.as_str()),
        sort_by: Some(sort_by),
        sort_order: Some(sort_order),
        cursor: Some(query.cursor.as_str()),
        limit: Some(query.limit.as_str()),
        ..Default::default()
    };
    let parsed = state.transactions.parse_query(&raw);
    let user = caller.user.id;
    let services = state.clone();
    let listing = parsed.clone().ok();
    let loaded = run_service(move || {
        let accounts = services.accounts.list(user, &AccountFilter::default())?;
        let page = listing.map(|q| services.transactions.list(user, &q)).transpose()?;
        Ok((accounts, page))
    })
    .await;
    let (accounts, page) = match loaded {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let names = account_names(&accounts);
    let error = parsed.err().map(|errors| {
        let text: Vec<String> = errors.fields().iter().map(|(f, m)| format!("{f} {}", m.join(", "))).collect();
        format!("Please check the filters: {}.", text.join("; "))
    });
    let (next, previous) = match &page {
        Some(page) => {
            let next = page.next_cursor.as_ref().map(|cursor| {
                let trail = if query.trail.is_empty() && query.cursor.is_empty() {
                    "first".to_owned()
                } else if query.trail.is_empty() {
                    query.cursor.clone()
                } else {
                    format!("{}.{}", query.trail, if query.cursor.is_empty() { "first" } else { &query.cursor })
                };
                href(&TransactionsPageQuery { cursor: cursor.clone(), trail, ..query.clone() })
            });
            let previous = (!query.cursor.is_empty()).then(|| {
                let mut trail: Vec<&str> = query.trail.split('.').filter(|t| !t.is_empty()).collect();
                let back = trail.pop().unwrap_or("first");
                let cursor = if back == "first" { String::new() } else { back.to_owned() };
                href(&TransactionsPageQuery { cursor, trail: trail.join("."), ..query.clone() })
            });
            (next, previous)
        }
        None => (None, None),
    };
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let labelled = |texts: &'static [&'static str]| texts.iter().map(|t| (*t, t.replace('_', " "))).collect::<Vec<_>>();
    let view = TransactionsPage {
        nav: Nav::signed_in(&state, &caller, None, None),
        error,
        start: query.start.clone(),
        end: query.end.clone(),
        account_options: accounts
            .iter()
            .map(|a| SelectOption {
                selected: a.id.to_string() == query.account,
                value: a.id.to_string(),
                label: names.get(&a.id).cloned().unwrap_or_default(),
            })
            .collect(),
        category_options: options(labelled(Category::TEXTS), &query.category),
        status_options: options(labelled(TransactionStatus::TEXTS), &query.status),
        type_options: options(labelled(TransactionType::TEXTS), &query.kind),
        sort_options: options(
            [
                ("newest", "Newest first".to_owned()),
                ("oldest", "Oldest first".to_owned()),
                ("largest", "Largest spend first".to_owned()),
                ("smallest", "Largest credit first".to_owned()),
            ],
            if query.sort.is_empty() { "newest" } else { &query.sort },
        ),
        limit_options: options(
            [("25", "25".to_owned()), ("50", "50".to_owned()), ("100", "100".to_owned())],
            if query.limit.is_empty() { "50" } else { &query.limit },
        ),
        total: page.as_ref().map_or(0, |p| p.total),
        rows: page
            .as_ref()
            .map(|p| p.transactions.iter().map(|t| TransactionRow::new(t, &names)).collect())
            .unwrap_or_default(),
        previous,
        next,
    };
    html(status, &view)
}
