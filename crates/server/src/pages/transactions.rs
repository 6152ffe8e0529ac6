//! `/transactions`: filters in the URL (so a view can be bookmarked), keyset pages with Next and
//! Previous (the cursors of earlier pages travel in `trail`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sandbank_domain::account::Account;
use sandbank_domain::transaction::{Category, TransactionStatus, TransactionType};
use sandbank_domain::transaction_query::RawTransactionQuery;
use sandbank_services::use_cases::accounts::AccountFilter;
use sandbank_services::use_cases::transactions::TransactionPage;
use serde::{Deserialize, Serialize};

use crate::pages::view::{AccountNames, Nav, TransactionLine, fields_message, transaction_lines};
use crate::pages::{PageError, Visitor, html, run_service};
use crate::state::AppState;

/// Registers the transactions page.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/transactions", web::get().to(show));
}

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
    rows: Vec<TransactionLine>,
    previous: Option<String>,
    next: Option<String>,
    export: String,
}

impl TransactionsPageQuery {
    /// The listing's query, the page's sort names turned into a key and an order.
    fn raw(&self) -> RawTransactionQuery<'_> {
        let (sort_by, sort_order) = match self.sort.as_str() {
            "oldest" => ("date", "asc"),
            "largest" => ("amount", "asc"),
            "smallest" => ("amount", "desc"),
            _ => ("date", "desc"),
        };
        RawTransactionQuery {
            account_id: Some(self.account.as_str()),
            start_date: Some(self.start.as_str()),
            end_date: Some(self.end.as_str()),
            category: Some(self.category.as_str()),
            status: Some(self.status.as_str()),
            transaction_type: Some(self.kind.as_str()),
            sort_by: Some(sort_by),
            sort_order: Some(sort_order),
            cursor: Some(self.cursor.as_str()),
            limit: Some(self.limit.as_str()),
            ..Default::default()
        }
    }

    /// The page's URL (empty fields left out).
    /// `export.csv` with this view's filters and sort under the API's names (the empty ones
    /// left out: the API refuses an empty value); the page and its size do not apply.
    fn export_href(&self) -> String {
        let raw = self.raw();
        let pairs = [
            ("accountId", raw.account_id),
            ("startDate", raw.start_date),
            ("endDate", raw.end_date),
            ("category", raw.category),
            ("status", raw.status),
            ("type", raw.transaction_type),
            ("sortBy", raw.sort_by),
            ("sortOrder", raw.sort_order),
        ];
        let given: Vec<(&str, &str)> =
            pairs.into_iter().filter_map(|(name, value)| value.filter(|v| !v.is_empty()).map(|v| (name, v))).collect();
        let query = serde_urlencoded::to_string(given).unwrap_or_default();
        format!("/api/financial/transactions/export.csv?{query}")
    }

    fn href(&self) -> String {
        format!("/transactions?{}", serde_urlencoded::to_string(self).unwrap_or_default())
    }

    /// The next page's URL: at `cursor`, this page's cursor (`first` for the first page) added
    /// to the trail.
    fn next_href(&self, cursor: &str) -> String {
        let trail = if self.trail.is_empty() && self.cursor.is_empty() {
            "first".to_owned()
        } else if self.trail.is_empty() {
            self.cursor.clone()
        } else {
            format!("{}.{}", self.trail, if self.cursor.is_empty() { "first" } else { &self.cursor })
        };
        Self { cursor: cursor.to_owned(), trail, ..self.clone() }.href()
    }

    /// The previous page's URL (the trail's last cursor), unless this is the first page.
    fn previous_href(&self) -> Option<String> {
        if self.cursor.is_empty() {
            return None;
        }
        let mut trail: Vec<&str> = self.trail.split('.').filter(|t| !t.is_empty()).collect();
        let back = trail.pop().unwrap_or("first");
        let cursor = if back == "first" { String::new() } else { back.to_owned() };
        Some(Self { cursor, trail: trail.join("."), ..self.clone() }.href())
    }
}

/// The options of the sort select, `current` (or newest first) selected.
fn sort_options(current: &str) -> Vec<SelectOption> {
    let choices = [
        ("newest", "Newest first".to_owned()),
        ("oldest", "Oldest first".to_owned()),
        ("largest", "Largest spend first".to_owned()),
        ("smallest", "Largest credit first".to_owned()),
    ];
    options(choices, if current.is_empty() { "newest" } else { current })
}

/// The options of the page size select, `current` (or 50) selected.
fn limit_options(current: &str) -> Vec<SelectOption> {
    let choices = [("25", "25".to_owned()), ("50", "50".to_owned()), ("100", "100".to_owned())];
    options(choices, if current.is_empty() { "50" } else { current })
}

/// The options of a select over an enum's text forms, shown with spaces for underscores.
fn text_options(texts: &'static [&'static str], current: &str) -> Vec<SelectOption> {
    options(texts.iter().map(|t| (*t, t.replace('_', " "))), current)
}

/// The options of the account select, named as the tables name them.
fn account_options(accounts: &[Account], names: &AccountNames, current: &str) -> Vec<SelectOption> {
    accounts
        .iter()
        .map(|a| SelectOption {
            selected: a.id.to_string() == current,
            value: a.id.to_string(),
            label: names.get(a.id),
        })
        .collect()
}

impl TransactionsPage {
    /// The page for `query`: its filters, the listing `page` (none when the filters are
    /// refused, with `error` saying why) and the links to its neighbours.
    fn new(
        nav: Nav,
        query: &TransactionsPageQuery,
        accounts: &[Account],
        page: Option<&TransactionPage>,
        error: Option<String>,
    ) -> Self {
        let names = AccountNames::from(accounts);
        Self {
            nav,
            error,
            start: query.start.clone(),
            end: query.end.clone(),
            account_options: account_options(accounts, &names, &query.account),
            category_options: text_options(Category::TEXTS, &query.category),
            status_options: text_options(TransactionStatus::TEXTS, &query.status),
            type_options: text_options(TransactionType::TEXTS, &query.kind),
            sort_options: sort_options(&query.sort),
            limit_options: limit_options(&query.limit),
            total: page.map_or(0, |p| p.total),
            rows: page.map(|p| transaction_lines(&p.transactions, &names)).unwrap_or_default(),
            previous: page.and_then(|_| query.previous_href()),
            next: page.and_then(|p| p.next_cursor.as_deref()).map(|cursor| query.next_href(cursor)),
            export: query.export_href(),
        }
    }
}

/// `GET /transactions`: a 400 page naming the refused filters, or the listing.
pub async fn show(
    state: web::Data<AppState>,
    visitor: Visitor,
    query: web::Query<TransactionsPageQuery>,
) -> Result<HttpResponse, PageError> {
    let caller = visitor.signed_in("/transactions")?;
    let query = query.into_inner();
    let parsed = state.transactions.parse_query(&query.raw());
    let user = caller.user.id;
    let services = state.clone();
    let listing = parsed.clone().ok();
    let (accounts, page) = run_service(move || {
        let accounts = services.accounts.list(user, &AccountFilter::default())?;
        let page = listing.map(|q| services.transactions.list(user, &q)).transpose()?;
        Ok((accounts, page))
    })
    .await?;
    let error = parsed.err().map(|errors| format!("Please check the filters: {}.", fields_message(&errors)));
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let nav = Nav::signed_in(&state, &caller, None, None);
    Ok(html(status, &TransactionsPage::new(nav, &query, &accounts, page.as_ref(), error)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pager_keeps_a_trail_of_earlier_cursors() {
        let first = TransactionsPageQuery { category: "groceries".into(), ..Default::default() };
        assert_eq!(first.previous_href(), None);
        assert_eq!(first.next_href("c2"), "/transactions?category=groceries&cursor=c2&trail=first");

        let second = TransactionsPageQuery { cursor: "c2".into(), trail: "first".into(), ..first.clone() };
        assert_eq!(second.next_href("c3"), "/transactions?category=groceries&cursor=c3&trail=first.c2");
        assert_eq!(second.previous_href().as_deref(), Some("/transactions?category=groceries"));

        let third = TransactionsPageQuery { cursor: "c3".into(), trail: "first.c2".into(), ..first };
        assert_eq!(third.previous_href().as_deref(), Some("/transactions?category=groceries&cursor=c2&trail=first"));
    }

    #[test]
    fn the_page_sorts_map_to_a_key_and_an_order() {
        let sorted = |sort: &str| {
            let query = TransactionsPageQuery { sort: sort.into(), ..Default::default() };
            let raw = query.raw();
            (raw.sort_by.map(str::to_owned), raw.sort_order.map(str::to_owned))
        };
        let pair = |by: &str, order: &str| (Some(by.to_owned()), Some(order.to_owned()));
        assert_eq!(sorted(""), pair("date", "desc"));
        assert_eq!(sorted("oldest"), pair("date", "asc"));
        assert_eq!(sorted("largest"), pair("amount", "asc"));
        assert_eq!(sorted("smallest"), pair("amount", "desc"));
    }
}
