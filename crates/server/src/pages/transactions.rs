//! `/transactions`: filters in the URL (so a view can be bookmarked), keyset pages with Next and
//! Previous (the cursors of earlier pages travel in `trail`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sandbank_domain::FieldErrors;
use sandbank_domain::account::Account;
use sandbank_domain::transaction::{Category, TransactionStatus, TransactionType};
use sandbank_domain::transaction_query::RawTransactionQuery;
use sandbank_services::use_cases::accounts::AccountFilter;
use sandbank_services::use_cases::transactions::{ListingSums, TransactionPage};

use crate::pages::view::{AccountNames, Nav, TransactionLine, fields_message, money, transaction_lines};
use crate::pages::{PageError, Visitor, html, run_service};
use crate::state::AppState;

/// Registers the transactions page.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/transactions", web::get().to(show));
}

/// The page's query string: the listing API's parameters under the API's names (an empty one
/// is left out, as the filter form sends every field), and `trail`, the cursors of the pages
/// before this one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransactionsPageQuery {
    account_id: String,
    connection_id: String,
    start_date: String,
    end_date: String,
    category: String,
    status: String,
    kind: String,
    q: String,
    sort_by: String,
    sort_order: String,
    limit: String,
    cursor: String,
    trail: String,
}

impl TransactionsPageQuery {
    /// Reads `query` (a URL's query string); a parameter the page does not know is an error
    /// naming it, not ignored.
    pub fn read(query: &str) -> (Self, FieldErrors) {
        let mut read = Self::default();
        let mut errors = FieldErrors::new();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let mut seen = std::collections::HashSet::new();
        for (name, value) in pairs {
            let repeated = !seen.insert(name.clone());
            match read.field(&name) {
                Some(_) if repeated => errors.add(name.as_str(), "is given more than once"),
                Some(field) => *field = value,
                None => errors.add(name.as_str(), "is not a parameter of this page"),
            }
        }
        (read, errors)
    }

    /// The field a parameter sets.
    fn field(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "accountId" => &mut self.account_id,
            "connectionId" => &mut self.connection_id,
            "startDate" => &mut self.start_date,
            "endDate" => &mut self.end_date,
            "category" => &mut self.category,
            "status" => &mut self.status,
            "type" => &mut self.kind,
            "q" => &mut self.q,
            "sortBy" => &mut self.sort_by,
            "sortOrder" => &mut self.sort_order,
            "limit" => &mut self.limit,
            "cursor" => &mut self.cursor,
            "trail" => &mut self.trail,
            _ => return None,
        })
    }

    /// The parameters given (not empty), by their names, in the API's order.
    fn pairs(&self) -> Vec<(&'static str, &str)> {
        let all = [
            ("accountId", &self.account_id),
            ("connectionId", &self.connection_id),
            ("startDate", &self.start_date),
            ("endDate", &self.end_date),
            ("category", &self.category),
            ("status", &self.status),
            ("type", &self.kind),
            ("q", &self.q),
            ("sortBy", &self.sort_by),
            ("sortOrder", &self.sort_order),
            ("limit", &self.limit),
            ("cursor", &self.cursor),
            ("trail", &self.trail),
        ];
        all.into_iter().filter(|(_, value)| !value.is_empty()).map(|(name, value)| (name, value.as_str())).collect()
    }
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
    start_date: String,
    end_date: String,
    q: String,
    account_options: Vec<SelectOption>,
    category_options: Vec<SelectOption>,
    status_options: Vec<SelectOption>,
    type_options: Vec<SelectOption>,
    sort_by_options: Vec<SelectOption>,
    sort_order_options: Vec<SelectOption>,
    limit_options: Vec<SelectOption>,
    /// `51–66 of 66`, or empty when nothing matches.
    range: String,
    /// What the matching rows add up to (all pages).
    sums: Option<SumsLine>,
    rows: Vec<TransactionLine>,
    previous: Option<String>,
    next: Option<String>,
    export: String,
    /// Unless one account is chosen, the rows name their account.
    show_account: bool,
}

/// What the matching rows add up to, as shown.
struct SumsLine {
    money_in: String,
    money_out: String,
    net: String,
}

impl From<ListingSums> for SumsLine {
    fn from(sums: ListingSums) -> Self {
        Self { money_in: money(sums.money_in), money_out: money(sums.money_out), net: money(sums.net()) }
    }
}

impl TransactionsPageQuery {
    /// The listing's query.
    fn raw(&self) -> RawTransactionQuery<'_> {
        RawTransactionQuery {
            account_id: Some(self.account_id.as_str()),
            connection_id: Some(self.connection_id.as_str()),
            start_date: Some(self.start_date.as_str()),
            end_date: Some(self.end_date.as_str()),
            category: Some(self.category.as_str()),
            status: Some(self.status.as_str()),
            transaction_type: Some(self.kind.as_str()),
            text: Some(self.q.as_str()),
            sort_by: Some(self.sort_by.as_str()),
            sort_order: Some(self.sort_order.as_str()),
            cursor: Some(self.cursor.as_str()),
            limit: Some(self.limit.as_str()),
        }
    }

    /// `export.csv` with this view's filters and sort (the API's names, as here); the page and
    /// its size do not apply.
    fn export_href(&self) -> String {
        let given: Vec<(&str, &str)> =
            self.pairs().into_iter().filter(|(name, _)| !matches!(*name, "limit" | "cursor" | "trail")).collect();
        let query = serde_urlencoded::to_string(given).unwrap_or_default();
        let separator = if query.is_empty() { "" } else { "?" };
        format!("/api/financial/transactions/export.csv{separator}{query}")
    }

    /// The page's URL (empty fields left out).
    fn href(&self) -> String {
        format!("/transactions?{}", serde_urlencoded::to_string(self.pairs()).unwrap_or_default())
    }

    /// The next page's URL: at `cursor`, this page's cursor (`first` for the first page) added
    /// to the trail.
    fn next_href(&self, cursor: &str) -> String {
        let trail = if self.trail.is_empty() && self.cursor.is_empty() {
            "first".to_owned()
        } else if self.trail.is_empty() {
            // A cursor with no trail (a hand-made URL): counted as the second page.
            format!("first.{}", self.cursor)
        } else {
            format!("{}.{}", self.trail, if self.cursor.is_empty() { "first" } else { &self.cursor })
        };
        Self { cursor: cursor.to_owned(), trail, ..self.clone() }.href()
    }

    /// How many pages come before this one (the trail's length; none on the first page).
    fn pages_before(&self) -> usize {
        if self.cursor.is_empty() { 0 } else { self.trail.split('.').filter(|t| !t.is_empty()).count().max(1) }
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

/// `51–66 of 66` for `shown` rows on a page of `limit` after `pages_before` pages, of `total`.
fn range_text(pages_before: usize, limit: u16, shown: usize, total: u64) -> String {
    if shown == 0 {
        return String::new();
    }
    let first = pages_before * usize::from(limit) + 1;
    let last = first + shown - 1;
    // A trail made by hand may claim more pages than there are: never past the total.
    let last = usize::try_from(total).map_or(last, |total| last.min(total.max(first)));
    format!("{first}–{last} of {total}")
}

/// The options of the sort key select, `current` (or date) selected.
fn sort_by_options(current: &str) -> Vec<SelectOption> {
    options(
        [("date", "Date".to_owned()), ("amount", "Amount".to_owned())],
        if current.is_empty() { "date" } else { current },
    )
}

/// The options of the sort order select, `current` (or descending) selected.
fn sort_order_options(current: &str) -> Vec<SelectOption> {
    let choices =
        [("desc", "Newest or largest credit first".to_owned()), ("asc", "Oldest or largest spend first".to_owned())];
    options(choices, if current.is_empty() { "desc" } else { current })
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

/// What the listing gave for the page's query.
struct Listed {
    page: TransactionPage,
    sums: ListingSums,
    limit: u16,
}

impl TransactionsPage {
    /// The page for `query`: its filters, what was `listed` (nothing when the filters are
    /// refused, with `error` saying why) and the links to its neighbours.
    fn new(
        nav: Nav,
        query: &TransactionsPageQuery,
        accounts: &[Account],
        listed: Option<&Listed>,
        error: Option<String>,
    ) -> Self {
        let names = AccountNames::from(accounts);
        let page = listed.map(|l| &l.page);
        Self {
            nav,
            error,
            start_date: query.start_date.clone(),
            end_date: query.end_date.clone(),
            q: query.q.clone(),
            account_options: account_options(accounts, &names, &query.account_id),
            category_options: text_options(Category::TEXTS, &query.category),
            status_options: text_options(TransactionStatus::TEXTS, &query.status),
            type_options: text_options(TransactionType::TEXTS, &query.kind),
            sort_by_options: sort_by_options(&query.sort_by),
            sort_order_options: sort_order_options(&query.sort_order),
            limit_options: limit_options(&query.limit),
            range: listed.map_or_else(String::new, |l| {
                range_text(query.pages_before(), l.limit, l.page.transactions.len(), l.page.total)
            }),
            sums: listed.map(|l| SumsLine::from(l.sums)),
            rows: page.map(|p| transaction_lines(&p.transactions, &names)).unwrap_or_default(),
            previous: page.and_then(|_| query.previous_href()),
            next: page.and_then(|p| p.next_cursor.as_deref()).map(|cursor| query.next_href(cursor)),
            export: query.export_href(),
            show_account: query.account_id.is_empty(),
        }
    }
}

/// `GET /transactions`: a 400 page naming the refused parameters, or the listing.
pub async fn show(
    state: web::Data<AppState>,
    visitor: Visitor,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let caller = visitor.signed_in("/transactions")?;
    let (query, unknown) = TransactionsPageQuery::read(request.query_string());
    let parsed = match state.transactions.parse_query(&query.raw()) {
        Ok(listing) if unknown.is_empty() => Ok(listing),
        Ok(_) => Err(unknown),
        Err(mut errors) => {
            errors.merge(unknown);
            Err(errors)
        }
    };
    let user = caller.user.id;
    let services = state.clone();
    let listing = parsed.clone().ok();
    let (accounts, listed) = run_service(move || {
        let accounts = services.accounts.list(user, &AccountFilter::default())?;
        let listed = match listing {
            Some(q) => Some(Listed {
                page: services.transactions.list(user, &q)?,
                sums: services.transactions.sums(user, &q)?,
                limit: q.limit,
            }),
            None => None,
        };
        Ok((accounts, listed))
    })
    .await?;
    let error = parsed.err().map(|errors| format!("Please check the filters: {}.", fields_message(&errors)));
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let nav = Nav::signed_in(&state, &caller, None, None);
    Ok(html(status, &TransactionsPage::new(nav, &query, &accounts, listed.as_ref(), error)))
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
    fn the_page_takes_the_api_names_and_names_any_other_parameter() {
        let (query, unknown) = TransactionsPageQuery::read(
            "accountId=a1&startDate=2026-01-01&sortBy=amount&sortOrder=asc&q=caf%C3%A9&category=",
        );
        assert!(unknown.is_empty());
        assert_eq!((query.account_id.as_str(), query.sort_by.as_str(), query.q.as_str()), ("a1", "amount", "café"));
        assert_eq!(
            query.export_href(),
            "/api/financial/transactions/export.csv?accountId=a1&startDate=2026-01-01&q=caf%C3%A9&sortBy=amount&sortOrder=asc"
        );
        let (_, unknown) = TransactionsPageQuery::read("sort=oldest&account=a1&limit=25&limit=50");
        let named: Vec<&String> = unknown.fields().keys().collect();
        assert_eq!(named, ["account", "limit", "sort"]);
        assert_eq!(unknown.fields()["limit"], ["is given more than once"]);
        let (by_connection, unknown) = TransactionsPageQuery::read("connectionId=c1");
        assert!(unknown.is_empty());
        assert_eq!(by_connection.export_href(), "/api/financial/transactions/export.csv?connectionId=c1");
    }

    #[test]
    fn the_range_counts_the_pages_before() {
        let on = |cursor: &str, trail: &str| TransactionsPageQuery {
            cursor: cursor.into(),
            trail: trail.into(),
            ..Default::default()
        };
        assert_eq!(range_text(on("", "").pages_before(), 50, 50, 66), "1–50 of 66");
        assert_eq!(range_text(on("c2", "first").pages_before(), 50, 16, 66), "51–66 of 66");
        assert_eq!(range_text(on("c3", "first.c2").pages_before(), 25, 25, 80), "51–75 of 80");
        assert_eq!(range_text(0, 50, 0, 0), "");
        assert_eq!(
            range_text(on("c2", "").pages_before(), 50, 16, 66),
            "51–66 of 66",
            "a cursor alone: the second page"
        );
        assert_eq!(on("c2", "").next_href("c3"), "/transactions?cursor=c3&trail=first.c2");
        assert_eq!(range_text(3, 50, 16, 66), "151–151 of 66", "a forged trail never runs past the total");
    }
}
