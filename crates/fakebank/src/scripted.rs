//! Scripted accounts: a scenario's accounts as a bank reports them on a given day. A row shows
//! from its day on; a pending row posts on its `postsOnDay` (same external id, so a sync sees
//! it modified) or vanishes on its `dropsOnDay` (a sync sees it removed). Balances follow from
//! the opening balance and the rows: current counts what posted, available also the pending
//! debits (a card's current is what is owed; its available is the limit less owed and pending).
//! Nothing is stamped after the moment reported at.

use std::ops::Range;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, Utc};
use sandbank_domain::account::AccountType;
use sandbank_domain::bank_data::{AccountReport, CardStatement, ReportedAccount, ReportedBalances};
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::scenario::{PendingFate, ScenarioAccount, ScenarioRow};
use sandbank_domain::transaction::{Category, PaymentChannel, ReportedTransaction, TransactionStatus, TransactionType};

use crate::FakeAccount;
use crate::merchants::category_of;
use crate::report::minimum_payment;

/// How far before its first row a scripted account's history starts.
const LEAD_DAYS: u64 = 1;

/// One scenario account of a connection linked on a day.
#[derive(Debug, Clone, Copy)]
pub struct ScriptedAccount<'a> {
    account: &'a ScenarioAccount,
    linked_on: NaiveDate,
}

/// A row as it stands on a day: posted (on which day), pending, or gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Posted(NaiveDate),
    Pending,
    Gone,
}

impl<'a> ScriptedAccount<'a> {
    /// `account` of a connection linked on `linked_on`.
    pub fn new(account: &'a ScenarioAccount, linked_on: NaiveDate) -> Self {
        Self { account, linked_on }
    }

    /// The external id of a scripted account: stable, from its `ref`.
    pub fn external_id(&self) -> String {
        format!("scenario-{}", self.account.reference)
    }

    /// The account as the bank describes it.
    pub fn reported(&self) -> ReportedAccount {
        let (account_type, subtype) = self.account.kind;
        ReportedAccount {
            external_id: self.external_id(),
            name: self.account.name.clone(),
            official_name: self.account.name.clone(),
            account_type,
            subtype,
            mask: self.account.mask.clone(),
            currency: Currency::USD,
            credit_limit: self.account.credit_limit,
        }
    }

    /// The first day of its history: the day before its earliest row (or before the link day).
    pub fn history_start(&self) -> NaiveDate {
        let first = self.account.rows.iter().map(|r| r.day.on(self.linked_on)).min();
        first.unwrap_or(self.linked_on).min(self.linked_on) - Days::new(LEAD_DAYS)
    }

    /// What the bank reports for the days in `days`, as it stands at `now`.
    pub fn report_at(&self, days: Range<NaiveDate>, now: DateTime<Utc>) -> AccountReport {
        let today = now.date_naive();
        let transactions = (0..self.account.rows.len())
            .filter_map(|i| self.transaction(i, today, now))
            .filter(|t| days.contains(&t.date))
            .collect();
        let last = days.end.pred_opt().unwrap_or(days.end).min(today);
        let snapshots = days.start.iter_days().take_while(|d| *d <= last).map(|d| self.balances(d)).collect();
        AccountReport { transactions, snapshots, balances: self.balances(today), statement: self.statement(today) }
    }

    /// A card's latest statement on or before `as_of`: closed on its `statementDay`, due on the
    /// `dueDay` after, for what was owed at the close (the generator's minimum-payment rule).
    fn statement(&self, as_of: NaiveDate) -> Option<CardStatement> {
        let (statement_day, due_day) = self.account.card_days?;
        let this_month = as_of.with_day(statement_day)?;
        let closed = if this_month <= as_of { this_month } else { this_month.checked_sub_months(Months::new(1))? };
        if closed < self.history_start() {
            return None;
        }
        let due_this_month = closed.with_day(due_day)?;
        let due =
            if due_this_month > closed { due_this_month } else { due_this_month.checked_add_months(Months::new(1))? };
        let owed = self.balances(closed).current.minor_units().max(0);
        Some(CardStatement {
            statement_date: closed,
            payment_due_date: due,
            statement_balance: Money::from_minor(owed, Currency::USD),
            minimum_payment: Money::from_minor(minimum_payment(owed), Currency::USD),
        })
    }

    /// Where `row` stands at the end of `day`.
    fn standing(&self, row: &ScenarioRow, day: NaiveDate) -> Standing {
        let on = |d: sandbank_domain::scenario::ScenarioDay| d.on(self.linked_on);
        let own = on(row.day);
        match row.pending {
            _ if own > day => Standing::Gone,
            None => Standing::Posted(own),
            Some(PendingFate::PostsOn(later)) if on(later) <= day => Standing::Posted(on(later)),
            Some(PendingFate::DropsOn(later)) if on(later) <= day => Standing::Gone,
            Some(_) => Standing::Pending,
        }
    }

    /// Row `i` as reported at `now`, if it shows then.
    fn transaction(&self, i: usize, today: NaiveDate, now: DateTime<Utc>) -> Option<ReportedTransaction> {
        let row = &self.account.rows[i];
        let date = row.day.on(self.linked_on);
        let stamp =
            |d: NaiveDate| (d.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN)).and_utc()).min(now);
        let (status, posted_at) = match self.standing(row, today) {
            Standing::Gone => return None,
            Standing::Pending => (TransactionStatus::Pending, None),
            Standing::Posted(on) => (TransactionStatus::Posted, Some(stamp(on))),
        };
        let merchant = row.merchant_name.clone().unwrap_or_else(|| row.description.clone());
        let fallback = if row.amount.is_negative() { Category::Shopping } else { Category::Income };
        Some(ReportedTransaction {
            external_id: self.row_id(i),
            amount: row.amount,
            transaction_type: TransactionType::of_amount(row.amount.minor_units()),
            status,
            date,
            authorized_at: Some(stamp(date)),
            posted_at,
            category: row.category.or_else(|| category_of(&merchant)).unwrap_or(fallback),
            merchant_name: merchant,
            description: row.description.clone(),
            location: None,
            payment_channel: PaymentChannel::Other,
            refund_of: row.refund_of.map(|j| self.row_id(j)),
            counterpart_external_id: None,
        })
    }

    /// The external id of row `i`: stable, from its `ref` (or its place).
    fn row_id(&self, i: usize) -> String {
        let name = self.account.rows[i].reference.clone().unwrap_or_else(|| format!("row{i}"));
        format!("scenario-{}-{name}", self.account.reference)
    }

    /// Balances at the end of `day`.
    fn balances(&self, day: NaiveDate) -> ReportedBalances {
        let limit = self.account.credit_limit.map_or(0, |l| l.minor_units());
        let (current, available) = self.effect(day);
        let available = if self.is_card() { limit + available } else { available };
        let usd = |cents| Money::from_minor(cents, Currency::USD);
        ReportedBalances { date: day, current: usd(current), available: usd(available) }
    }

    fn is_card(&self) -> bool {
        self.account.kind.0 == AccountType::CreditCard
    }

    /// What the opening balance and the rows do to the balances by the end of `day`, in cents:
    /// `(current, available)` — a card's current is what it owes, its available credit goes
    /// down by that and the pending debits (before its limit is added).
    fn effect(&self, day: NaiveDate) -> (i64, i64) {
        let (mut posted, mut pending_debits) = (0i64, 0i64);
        for row in &self.account.rows {
            match self.standing(row, day) {
                Standing::Posted(_) => posted += row.amount.minor_units(),
                Standing::Pending if row.amount.is_negative() => pending_debits += row.amount.minor_units(),
                Standing::Pending | Standing::Gone => {}
            }
        }
        let opening = self.account.opening_balance.minor_units();
        if self.is_card() {
            let owed = opening - posted;
            (owed, -owed + pending_debits)
        } else {
            (opening + posted, opening + posted + pending_debits)
        }
    }

    /// The report of this account laid over `base`, the generator's account it keeps
    /// (`generated: true`): both their rows, and the generated balances moved by what the
    /// opening balance and the scripted rows do (the generated account's limit stands).
    pub fn report_over(&self, base: &FakeAccount, days: Range<NaiveDate>, now: DateTime<Utc>) -> AccountReport {
        let start = days.start.max(base.history_start());
        let mut report = base.report_at(start..days.end.max(start), now);
        let own = self.report_at(days, now);
        report.transactions.extend(own.transactions);
        report.transactions.sort_by(|a, b| (a.date, &a.external_id).cmp(&(b.date, &b.external_id)));
        let moved = |balances: ReportedBalances| {
            let (current, available) = self.effect(balances.date);
            let usd = |cents: i64, by: Money| Money::from_minor(by.minor_units() + cents, Currency::USD);
            ReportedBalances {
                date: balances.date,
                current: usd(current, balances.current),
                available: usd(available, balances.available),
            }
        };
        report.snapshots = report.snapshots.into_iter().map(moved).collect();
        report.balances = moved(report.balances);
        report
    }
}

#[cfg(test)]
mod tests {
    use sandbank_domain::scenario::{RawScenario, Scenario};

    use super::*;

    /// The example (`examples/scenarios/overdraft-then-payroll.json`): an overdraft, a
    /// pending charge that posts on day 2, a hold that drops on day 1, payroll on day 3.
    fn example() -> Scenario {
        let document = include_str!("../../../examples/scenarios/overdraft-then-payroll.json");
        serde_json::from_str::<RawScenario>(document).expect("shape").validate().expect("valid")
    }

    fn linked() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")
    }

    fn at(days: u64) -> DateTime<Utc> {
        crate::end_of_day(linked() + Days::new(days))
    }

    #[test]
    fn on_the_link_day_the_history_shows_with_its_pending_rows() {
        let scenario = example();
        let account = ScriptedAccount::new(&scenario.accounts[0], linked());
        let report = account.report_at(account.history_start()..linked() + Days::new(1), at(0));
        let ids: Vec<_> = report.transactions.iter().map(|t| (t.external_id.as_str(), t.status)).collect();
        assert_eq!(
            ids,
            [
                ("scenario-chk-coffee", TransactionStatus::Posted),
                ("scenario-chk-gas", TransactionStatus::Pending),
                ("scenario-chk-hold", TransactionStatus::Pending)
            ]
        );
        assert_eq!(
            (report.balances.current.to_string(), report.balances.available.to_string()),
            ("80.00".into(), "68.00".into())
        );
        assert_eq!(report.snapshots.first().map(|s| s.current.to_string()), Some("100.00".into()));
        assert_eq!(report.snapshots.last(), Some(&report.balances));
    }

    #[test]
    fn later_days_post_drop_and_bring_rows_and_nothing_is_stamped_after_now() {
        let scenario = example();
        let account = ScriptedAccount::new(&scenario.accounts[0], linked());
        let report = account.report_at(account.history_start()..linked() + Days::new(4), at(3));
        let ids: Vec<_> = report.transactions.iter().map(|t| (t.external_id.as_str(), t.status)).collect();
        assert_eq!(
            ids,
            [
                ("scenario-chk-coffee", TransactionStatus::Posted),
                ("scenario-chk-gas", TransactionStatus::Posted),
                ("scenario-chk-pay", TransactionStatus::Posted)
            ]
        );
        assert_eq!(report.balances.current.to_string(), "1075.00");
        assert_eq!(report.balances.available, report.balances.current);
        let early = linked().and_hms_opt(6, 0, 0).expect("time").and_utc();
        let morning = account.report_at(account.history_start()..linked() + Days::new(1), early);
        assert!(morning.transactions.iter().flat_map(|t| [t.authorized_at, t.posted_at]).flatten().all(|t| t <= early));
    }

    #[test]
    fn a_card_owes_what_posted_and_has_its_limit_less_that_and_pending_left() {
        let document = serde_json::json!({"name": "card", "accounts": [{"ref": "card", "type": "credit_card", "name": "Card",
            "openingBalance": "100.00", "creditLimit": "1000.00", "transactions": [
                {"day": -2, "amount": "-50.00", "description": "BOOKS"},
                {"day": 0, "amount": "-30.00", "description": "LUNCH", "status": "pending"}]}]});
        let scenario = serde_json::from_value::<RawScenario>(document).expect("shape").validate().expect("valid");
        let account = ScriptedAccount::new(&scenario.accounts[0], linked());
        let balances = account.report_at(account.history_start()..linked() + Days::new(1), at(0)).balances;
        assert_eq!((balances.current.to_string(), balances.available.to_string()), ("150.00".into(), "820.00".into()));
        assert_eq!(account.reported().credit_limit.map(|l| l.to_string()), Some("1000.00".into()));
    }
}
