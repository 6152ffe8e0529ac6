//! What the provider reports on a given day: the transactions visible then (with their status
//! as of that day), the balances, daily snapshots and a card's statement.

use std::ops::Range;

use chrono::{Datelike, Days, NaiveDate, NaiveTime, TimeDelta};
use sandbank_domain::bank_data::{AccountReport, CardStatement, ReportedBalances};
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::transaction::{ReportedTransaction, TransactionStatus, TransactionType};

use crate::account::{FakeAccount, Habits};
use crate::ledger::{Entry, simulate};

impl FakeAccount {
    /// The report for days in `days` as seen on `as_of`. Days after `as_of` are not reported
    /// (they have not happened yet).
    pub fn report(&self, days: Range<NaiveDate>, as_of: NaiveDate) -> AccountReport {
        let tomorrow = as_of + Days::new(1);
        let end = days.end.min(tomorrow);
        let entries = simulate(self, tomorrow.max(end));
        let transactions = entries
            .iter()
            .filter(|e| days.start <= e.date && e.date < end)
            .filter_map(|e| self.as_reported(e, as_of))
            .collect();
        let ledger = DailyLedger::new(self, &entries, tomorrow);
        let first = days.start.max(self.history_start);
        let snapshots = first.iter_days().take_while(|d| *d < end).map(|d| ledger.balances(d)).collect();
        AccountReport { transactions, snapshots, balances: ledger.balances(as_of), statement: ledger.statement(as_of) }
    }

    /// Transactions dated in `days`, as seen on `as_of`.
    pub fn transactions(&self, days: Range<NaiveDate>, as_of: NaiveDate) -> Vec<ReportedTransaction> {
        self.report(days, as_of).transactions
    }

    /// Balances as of `as_of`.
    pub fn balances(&self, as_of: NaiveDate) -> ReportedBalances {
        self.report(as_of..as_of, as_of).balances
    }

    fn money(&self, cents: i64) -> Money {
        Money::from_minor(cents, self.reported.currency)
    }

    /// The entry as the provider shows it on `as_of`, or `None` when it is not visible then.
    fn as_reported(&self, entry: &Entry, as_of: NaiveDate) -> Option<ReportedTransaction> {
        if entry.date > as_of {
            return None;
        }
        let posted = as_of >= entry.post_date();
        if posted && entry.dropped {
            return None;
        }
        let status = match (posted, entry.refund_date) {
            (false, _) => TransactionStatus::Pending,
            (true, Some(refunded_on)) if refunded_on <= as_of => TransactionStatus::Refunded,
            (true, _) => TransactionStatus::Posted,
        };
        let at = |date: NaiveDate, minute: u32| {
            let time = NaiveTime::MIN + TimeDelta::minutes(i64::from(minute));
            date.and_time(time).and_utc()
        };
        Some(ReportedTransaction {
            external_id: entry.external_id.clone(),
            amount: self.money(entry.cents),
            transaction_type: TransactionType::of_amount(entry.cents),
            status,
            date: entry.date,
            authorized_at: Some(at(entry.date, entry.minute)),
            posted_at: posted.then(|| at(entry.post_date(), 6 * 60 + entry.minute % 120)),
            merchant_name: entry.merchant.clone(),
            description: entry.description.clone(),
            category: entry.category,
            location: entry.location.clone(),
            payment_channel: entry.channel,
            refund_of: entry.refund_of.clone(),
        })
    }
}

/// Day-by-day sums over the simulation: posted balance and pending debits at the end of each day.
struct DailyLedger<'a> {
    account: &'a FakeAccount,
    /// Holder-side posted balance at the end of each day from the history's start.
    posted: Vec<i64>,
    /// Pending debits (negative) at the end of each day.
    pending_debits: Vec<i64>,
}

impl<'a> DailyLedger<'a> {
    fn new(account: &'a FakeAccount, entries: &[Entry], until: NaiveDate) -> Self {
        let days = usize::try_from((until - account.history_start).num_days()).unwrap_or(0);
        let mut posted_delta = vec![0i64; days + 1];
        let mut pending_delta = vec![0i64; days + 1];
        let index = |date: NaiveDate| usize::try_from((date - account.history_start).num_days()).unwrap_or(0).min(days);
        for entry in entries {
            if !entry.dropped {
                posted_delta[index(entry.post_date())] += entry.cents;
            }
            if entry.cents < 0 && entry.post_lag > 0 {
                pending_delta[index(entry.date)] += entry.cents;
                pending_delta[index(entry.post_date())] -= entry.cents;
            }
        }
        let running = |deltas: Vec<i64>, start: i64| {
            deltas
                .into_iter()
                .scan(start, |sum, delta| {
                    *sum += delta;
                    Some(*sum)
                })
                .collect()
        };
        Self {
            account,
            posted: running(posted_delta, account.profile.opening_cents),
            pending_debits: running(pending_delta, 0),
        }
    }

    /// Holder-side posted balance and pending debits at the end of `date`.
    fn sums(&self, date: NaiveDate) -> (i64, i64) {
        match usize::try_from((date - self.account.history_start).num_days()) {
            Ok(i) if i < self.posted.len() => (self.posted[i], self.pending_debits[i]),
            Ok(_) => (self.posted.last().copied().unwrap_or(0), self.pending_debits.last().copied().unwrap_or(0)),
            Err(_) => (self.account.profile.opening_cents, 0),
        }
    }

    fn balances(&self, date: NaiveDate) -> ReportedBalances {
        let (posted, pending) = self.sums(date);
        let (current, available) = match &self.account.profile.habits {
            // A card's balance is what is owed; what is available is the limit less the balance
            // and the pending purchases.
            Habits::Card(card) => (-posted, card.limit_cents + posted + pending),
            _ => (posted, posted + pending),
        };
        ReportedBalances { date, current: self.account.money(current), available: self.account.money(available) }
    }

    fn statement(&self, as_of: NaiveDate) -> Option<CardStatement> {
        let Habits::Card(card) = &self.account.profile.habits else {
            return None;
        };
        let this_month = as_of.with_day(card.statement_day)?;
        let statement_date =
            if this_month <= as_of { this_month } else { this_month.checked_sub_months(chrono::Months::new(1))? };
        if statement_date < self.account.history_start {
            return None;
        }
        let (posted, _) = self.sums(statement_date);
        let owed = (-posted).max(0);
        let minimum = owed.min((owed / 50).max(35_00));
        Some(CardStatement {
            statement_date,
            payment_due_date: statement_date + Days::new(u64::from(card.due_after_days)),
            statement_balance: self.account.money(owed),
            minimum_payment: Money::from_minor(minimum, Currency::USD),
        })
    }
}
