//! [`RawScenario::validate`]: every rule of a scenario document, each problem recorded under
//! its path in the document.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{
    PendingFate, RawAccount, RawEvent, RawRow, RawScenario, Scenario, ScenarioAccount, ScenarioDay, ScenarioEvent,
    ScenarioEventKind, ScenarioRow, ScenarioRowStatus,
};
use crate::account::AccountType;
use crate::money::{Currency, Money};
use crate::transaction::Category;
use crate::validation::FieldErrors;

/// The most accounts a scenario has.
pub const MAX_ACCOUNTS: usize = 10;
/// The most transactions a scenario has, over all its accounts.
pub const MAX_ROWS: usize = 10_000;
/// The most events a scenario has.
pub const MAX_EVENTS: usize = 100;
/// The earliest relative day (two years of history).
const FIRST_DAY: i64 = -730;
/// The latest relative day (as far as the sandbox clock goes).
const LAST_DAY: i64 = 3650;

impl RawScenario {
    /// The scenario, or every problem with the document, named by path.
    pub fn validate(&self) -> Result<Scenario, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = required_text(&mut errors, "name", self.name.as_deref(), 100);
        let description = self.description.as_deref().and_then(|d| errors.text("description", d, 2000));
        if self.accounts.is_empty() || self.accounts.len() > MAX_ACCOUNTS {
            errors.add("accounts", format!("must hold from 1 to {MAX_ACCOUNTS} accounts"));
        }
        if self.accounts.iter().map(|a| a.transactions.len()).sum::<usize>() > MAX_ROWS {
            errors.add("accounts", format!("must hold at most {MAX_ROWS} transactions in all"));
        }
        if self.events.len() > MAX_EVENTS {
            errors.add("events", format!("must hold at most {MAX_EVENTS} events"));
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut accounts = Vec::new();
        for (i, raw) in self.accounts.iter().enumerate() {
            let path = format!("accounts[{i}]");
            if let Some(reference) = raw.reference.as_deref()
                && seen.insert(reference, i).is_some()
            {
                errors.add(format!("{path}.ref"), "must be unique among the accounts");
            }
            accounts.extend(account(&mut errors, &path, raw));
        }
        let events: Vec<_> = self
            .events
            .iter()
            .enumerate()
            .filter_map(|(i, raw)| event(&mut errors, &format!("events[{i}]"), raw))
            .collect();
        match name {
            Some(name) if errors.is_empty() => {
                Ok(Scenario { name: name.to_owned(), description: description.map(str::to_owned), accounts, events })
            }
            _ => Err(errors),
        }
    }
}

/// `raw` when present and passing the text rule, else recorded.
fn required_text<'a>(errors: &mut FieldErrors, path: &str, raw: Option<&'a str>, max: usize) -> Option<&'a str> {
    match raw.map(str::trim) {
        None | Some("") => {
            errors.add(path, "is required");
            None
        }
        Some(text) => errors.text(path, text, max),
    }
}

/// The largest amount (either way) a scenario takes, in cents: a billion dollars, so that sums
/// over every row stay far inside `i64`.
const MAX_CENTS: i64 = 100_000_000_000;

/// A decimal string in dollars, at most [`MAX_CENTS`] either way.
fn money(errors: &mut FieldErrors, path: &str, raw: &str) -> Option<Money> {
    let parsed = Money::parse(raw, Currency::USD).map_err(|_| "must be a decimal string such as \"-12.34\"");
    let bounded = parsed.and_then(|m| {
        if m.minor_units().abs() <= MAX_CENTS { Ok(m) } else { Err("must be at most 1000000000.00 either way") }
    });
    errors.check(path, bounded)
}

fn account(errors: &mut FieldErrors, path: &str, raw: &RawAccount) -> Option<ScenarioAccount> {
    let reference = required_text(errors, &format!("{path}.ref"), raw.reference.as_deref(), 40);
    let account_type = match raw.account_type.as_deref() {
        None => {
            errors.add(format!("{path}.type"), "is required");
            None
        }
        Some(text) => errors.check(&format!("{path}.type"), text.parse::<AccountType>()),
    };
    let subtype = account_type.and_then(|kind| {
        let Some(text) = raw.subtype.as_deref() else { return kind.subtypes().first().copied() };
        let found = kind.subtypes().iter().copied().find(|s| s.as_str() == text);
        let allowed = kind.subtypes().iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
        errors.check(&format!("{path}.subtype"), found.ok_or(format!("must be one of: {allowed}")))
    });
    let name = required_text(errors, &format!("{path}.name"), raw.name.as_deref(), 100);
    let mask = raw.mask.clone().unwrap_or_else(|| "0000".to_owned());
    if mask.len() != 4 || !mask.bytes().all(|b| b.is_ascii_digit()) {
        errors.add(format!("{path}.mask"), "must be four digits");
    }
    let opening = money(errors, &format!("{path}.openingBalance"), raw.opening_balance.as_deref().unwrap_or("0.00"));
    let card = card(errors, path, raw, account_type == Some(AccountType::CreditCard));
    let rows = rows(errors, path, &raw.transactions);
    Some(ScenarioAccount {
        reference: reference?.to_owned(),
        kind: (account_type?, subtype?),
        name: name?.to_owned(),
        mask,
        opening_balance: opening?,
        generated: raw.generated,
        credit_limit: card?.0,
        card_days: card?.1,
        rows: rows?,
    })
}

/// A card's limit and statement and due days (defaults 5,000.00, 25 and 20); none elsewhere.
#[allow(clippy::type_complexity)]
fn card(
    errors: &mut FieldErrors,
    path: &str,
    raw: &RawAccount,
    is_card: bool,
) -> Option<(Option<Money>, Option<(u32, u32)>)> {
    if !is_card {
        for (field, given) in [
            ("creditLimit", raw.credit_limit.is_some()),
            ("statementDay", raw.statement_day.is_some()),
            ("dueDay", raw.due_day.is_some()),
        ] {
            if given {
                errors.add(format!("{path}.{field}"), "only a credit card has one");
            }
        }
        return Some((None, None));
    }
    let limit = money(errors, &format!("{path}.creditLimit"), raw.credit_limit.as_deref().unwrap_or("5000.00"));
    let mut day = |field: &str, value: Option<u32>, default: u32| {
        let value = value.unwrap_or(default);
        let ok = (1..=28).contains(&value);
        errors.check(
            &format!("{path}.{field}"),
            if ok { Ok(value) } else { Err("must be a day of the month from 1 to 28") },
        )
    };
    let days = (day("statementDay", raw.statement_day, 25), day("dueDay", raw.due_day, 20));
    Some((Some(limit?), Some((days.0?, days.1?))))
}

/// An account's rows; `refundOf` names another row of the same account.
fn rows(errors: &mut FieldErrors, path: &str, raws: &[RawRow]) -> Option<Vec<ScenarioRow>> {
    let mut refs: HashMap<&str, usize> = HashMap::new();
    for (j, raw) in raws.iter().enumerate() {
        if let Some(reference) = raw.reference.as_deref()
            && refs.insert(reference, j).is_some()
        {
            errors.add(format!("{path}.transactions[{j}].ref"), "must be unique in the account");
        }
    }
    let parsed: Vec<_> =
        raws.iter().enumerate().map(|(j, raw)| row(errors, &format!("{path}.transactions[{j}]"), raw, &refs)).collect();
    let rows: Option<Vec<ScenarioRow>> = parsed.into_iter().collect();
    let rows = rows?;
    for (j, row) in rows.iter().enumerate() {
        if let Some(of) = row.refund_of.map(|i| &rows[i])
            && (row.amount.minor_units() <= 0
                || of.amount.minor_units() >= 0
                || row.amount.minor_units() > -of.amount.minor_units())
        {
            errors.add(
                format!("{path}.transactions[{j}].refundOf"),
                "must refund a purchase, with a positive amount no larger",
            );
        }
    }
    Some(rows)
}

fn row(errors: &mut FieldErrors, path: &str, raw: &RawRow, refs: &HashMap<&str, usize>) -> Option<ScenarioRow> {
    let day = day(errors, path, raw.day, raw.date.as_deref());
    let amount = match raw.amount.as_deref() {
        None => {
            errors.add(format!("{path}.amount"), "is required");
            None
        }
        Some(text) => money(errors, &format!("{path}.amount"), text).filter(|m| {
            let zero = m.minor_units() == 0;
            if zero {
                errors.add(format!("{path}.amount"), "must not be zero");
            }
            !zero
        }),
    };
    let description = required_text(errors, &format!("{path}.description"), raw.description.as_deref(), 200);
    let merchant_name = raw.merchant_name.as_deref().and_then(|m| errors.text(&format!("{path}.merchantName"), m, 100));
    let category = raw.category.as_deref().map(|c| errors.check(&format!("{path}.category"), c.parse::<Category>()));
    let pending = fate(errors, path, raw, day);
    let refund_of = raw.refund_of.as_deref().map(|name| {
        let found = refs.get(name).copied().filter(|_| raw.reference.as_deref() != Some(name));
        errors.check(&format!("{path}.refundOf"), found.ok_or("must name another transaction of the account"))
    });
    Some(ScenarioRow {
        reference: raw.reference.clone(),
        day: day?,
        amount: amount?,
        description: description?.to_owned(),
        merchant_name: merchant_name.map(str::to_owned),
        category: category.map_or(Some(None), |c| c.map(Some))?,
        pending: pending?,
        refund_of: refund_of.map_or(Some(None), |r| r.map(Some))?,
    })
}

/// Exactly one of `day` (a relative day in range) and `date` (YYYY-MM-DD).
fn day(errors: &mut FieldErrors, path: &str, relative: Option<i64>, date: Option<&str>) -> Option<ScenarioDay> {
    match (relative, date) {
        (Some(_), Some(_)) | (None, None) => {
            errors.add(format!("{path}.day"), "give either day or date");
            None
        }
        (Some(days), None) => relative_day(errors, &format!("{path}.day"), days).map(ScenarioDay::Relative),
        (None, Some(text)) => errors
            .check(
                &format!("{path}.date"),
                NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| "must be a date (YYYY-MM-DD)"),
            )
            .map(ScenarioDay::Date),
    }
}

fn relative_day(errors: &mut FieldErrors, path: &str, days: i64) -> Option<i32> {
    let ok = (FIRST_DAY..=LAST_DAY).contains(&days);
    let message = format!("must be a day from {FIRST_DAY} to {LAST_DAY}");
    errors.check(path, if ok { i32::try_from(days).map_err(|_| message) } else { Err(message) })
}

/// A row's status and, when pending, what becomes of it: `postsOnDay` or `dropsOnDay`, after
/// its own day.
fn fate(errors: &mut FieldErrors, path: &str, raw: &RawRow, day: Option<ScenarioDay>) -> Option<Option<PendingFate>> {
    let status = raw.status.as_deref().map_or(Ok(ScenarioRowStatus::Posted), str::parse::<ScenarioRowStatus>);
    let pending = match errors.check(&format!("{path}.status"), status)? {
        ScenarioRowStatus::Posted => false,
        ScenarioRowStatus::Pending => true,
    };
    let (posts, drops) = (raw.posts_on_day, raw.drops_on_day);
    if !pending {
        for (field, given) in [("postsOnDay", posts.is_some()), ("dropsOnDay", drops.is_some())] {
            if given {
                errors.add(format!("{path}.{field}"), "only a pending transaction posts or drops");
            }
        }
        return Some(None);
    }
    let (field, later) = match (posts, drops) {
        (Some(_), Some(_)) => {
            errors.add(format!("{path}.dropsOnDay"), "a pending transaction either posts or drops");
            return None;
        }
        (None, None) => return Some(Some(PendingFate::Stays)),
        (Some(later), None) => ("postsOnDay", later),
        (None, Some(later)) => ("dropsOnDay", later),
    };
    let path = format!("{path}.{field}");
    let later = relative_day(errors, &path, later)?;
    if let Some(ScenarioDay::Relative(own)) = day
        && later <= own
    {
        errors.add(path, "must be after day");
        return None;
    }
    let later = ScenarioDay::Relative(later);
    Some(Some(if field == "postsOnDay" { PendingFate::PostsOn(later) } else { PendingFate::DropsOn(later) }))
}

fn event(errors: &mut FieldErrors, path: &str, raw: &RawEvent) -> Option<ScenarioEvent> {
    let day = day(errors, path, raw.day, raw.date.as_deref());
    let kind = match raw.event.as_deref() {
        None => {
            errors.add(format!("{path}.event"), "is required");
            None
        }
        Some(text) => errors.check(&format!("{path}.event"), text.parse::<ScenarioEventKind>()),
    };
    Some(ScenarioEvent { day: day?, kind: kind? })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn raw(document: serde_json::Value) -> RawScenario {
        serde_json::from_value(document).expect("the document's shape")
    }

    /// The example (`examples/scenarios/overdraft-then-payroll.json`): an overdraft, a
    /// pending row that posts, one that drops, payroll, and three events.
    fn example() -> serde_json::Value {
        serde_json::from_str(include_str!("../../../../examples/scenarios/overdraft-then-payroll.json")).expect("JSON")
    }

    #[test]
    fn the_example_document_is_a_scenario() {
        let scenario = raw(example()).validate().expect("valid");
        let account = &scenario.accounts[0];
        assert_eq!((account.reference.as_str(), account.opening_balance.to_string()), ("chk", "100.00".to_owned()));
        let fates: Vec<_> = account.rows.iter().map(|r| r.pending).collect();
        assert_eq!(
            fates,
            [
                None,
                Some(PendingFate::PostsOn(ScenarioDay::Relative(2))),
                Some(PendingFate::DropsOn(ScenarioDay::Relative(1))),
                None
            ]
        );
        assert_eq!(account.rows[0].category, Some(Category::FoodAndDrink));
        let kinds: Vec<_> = scenario.events.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [ScenarioEventKind::ProviderOutage, ScenarioEventKind::Recover, ScenarioEventKind::ExpireToken]
        );
        let linked = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        assert_eq!(scenario.events[0].day.on(linked), NaiveDate::from_ymd_opt(2026, 12, 5).expect("date"));
    }

    #[test]
    fn every_problem_is_named_by_its_path() {
        let mut document = example();
        document["accounts"][0]["type"] = json!("chequing");
        document["accounts"][0]["transactions"][1]["postsOnDay"] = json!(-3);
        document["accounts"][0]["transactions"][2]["status"] = json!("settled");
        document["accounts"][0]["transactions"][3]["amount"] = json!("lots");
        document["accounts"][0]["transactions"][3]["refundOf"] = json!("nothing");
        document["events"][1] = json!({"day": 5, "date": "2026-01-01", "event": "recover"});
        document["events"][2]["event"] = json!("meteor");
        let errors = raw(document).validate().expect_err("invalid");
        let paths: Vec<&str> = errors.fields().keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            [
                "accounts[0].transactions[1].postsOnDay",
                "accounts[0].transactions[2].status",
                "accounts[0].transactions[3].amount",
                "accounts[0].transactions[3].refundOf",
                "accounts[0].type",
                "events[1].day",
                "events[2].event",
            ]
        );
        assert_eq!(errors.fields()["accounts[0].transactions[1].postsOnDay"], ["must be after day"]);
    }

    #[test]
    fn refs_are_unique_refunds_refund_purchases_and_only_cards_have_card_fields() {
        let mut document = example();
        document["accounts"][0]["transactions"][3]["ref"] = json!("gas");
        document["accounts"][0]["creditLimit"] = json!("100.00");
        document["accounts"][0]["transactions"]
            .as_array_mut()
            .expect("rows")
            .push(json!({"ref": "back", "day": 0, "amount": "30.00", "description": "REFUND", "refundOf": "coffee"}));
        document["accounts"]
            .as_array_mut()
            .expect("accounts")
            .push(json!({"ref": "chk", "type": "credit_card", "name": "Card", "statementDay": 31}));
        let errors = raw(document).validate().expect_err("invalid");
        let paths: Vec<&str> = errors.fields().keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            [
                "accounts[0].creditLimit",
                "accounts[0].transactions[3].ref",
                "accounts[0].transactions[4].refundOf",
                "accounts[1].ref",
                "accounts[1].statementDay",
            ]
        );
    }

    #[test]
    fn a_document_without_accounts_or_with_too_many_rows_is_refused() {
        let errors = raw(json!({"name": "empty"})).validate().expect_err("no accounts");
        assert!(errors.fields().contains_key("accounts"));
        let row = json!({"day": 0, "amount": "-1.00", "description": "X"});
        let many = json!({"name": "big", "accounts": [{"ref": "a", "type": "checking", "name": "A", "transactions": vec![row; MAX_ROWS + 1]}]});
        let errors = raw(many).validate().expect_err("too many rows");
        assert_eq!(errors.fields()["accounts"], [format!("must hold at most {MAX_ROWS} transactions in all")]);
    }
}
