//! What the provider reports at a given instant (the connection's now): the transactions that
//! have happened by then (with their status then), the balances, daily snapshots and a card's
//! statement. Nothing reported is stamped after that instant.

use std::ops::Range;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Utc};
use sandbank_domain::bank_data::{AccountReport, CardStatement, ReportedBalances};
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::transaction::{ReportedTransaction, TransactionStatus, TransactionType};

use crate::account::{FakeAccount, Habits};
use crate::ledger::{Entry, simulate};

/// The least payment due on a statement of `owed` cents: 2 % of it, at least $35, never more
/// than what is owed.
pub fn minimum_payment(owed: i64) -> i64 {
    owed.min((owed / 50).max(35_00))
}

/// The last second of `date` (UTC): "as of a day" means as of its end.
pub fn end_of_day(date: NaiveDate) -> DateTime<Utc> {
    (date.and_time(NaiveTime::MIN) + TimeDelta::seconds(86_399)).and_utc()
}

impl FakeAccount {
    /// The report for days in `days` as seen at the end of `as_of` (UTC): see
    /// [`FakeAccount::report_at`].
    pub fn report(&self, days: Range<NaiveDate>, as_of: NaiveDate) -> AccountReport {
        self.report_at(days, end_of_day(as_of))
    }

    /// The report for days in `days` (the household's local dates) as seen at the instant
    /// `now`: the rows authorized by then, each with its status then (a row posts at its
    /// `posted_at`); one snapshot a day (UTC) up to now's day, whose last is the balances now.
    pub fn report_at(&self, days: Range<NaiveDate>, now: DateTime<Utc>) -> AccountReport {
        let today = now.date_naive();
        // The household's local date is never later than the UTC one (US time zones).
        let tomorrow = today + Days::new(1);
        let end = days.end.min(tomorrow);
        let entries = simulate(self, tomorrow.max(end));
        let transactions = entries
            .iter()
            .filter(|e| days.start <= e.date && e.date < end)
            .filter_map(|e| self.as_reported(e, now))
            .collect();
        let ledger = DailyLedger::new(self, &entries, now);
        let first = days.start.max(self.history_start);
        let snapshots = first.iter_days().take_while(|d| *d < end).map(|d| ledger.balances(d)).collect();
        AccountReport { transactions, snapshots, balances: ledger.balances(today), statement: ledger.statement(today) }
    }

    /// Transactions dated in `days`, as seen at the end of `as_of`.
    pub fn transactions(&self, days: Range<NaiveDate>, as_of: NaiveDate) -> Vec<ReportedTransaction> {
        self.report(days, as_of).transactions
    }

    /// Balances as of the end of `as_of`.
    pub fn balances(&self, as_of: NaiveDate) -> ReportedBalances {
        self.report(as_of..as_of, as_of).balances
    }

    fn money(&self, cents: i64) -> Money {
        Money::from_minor(cents, self.reported.currency)
    }

    /// The entry as the provider shows it at `now`, or `None` when it is not visible then.
    fn as_reported(&self, entry: &Entry, now: DateTime<Utc>) -> Option<ReportedTransaction> {
        if entry.authorized > now {
            return None;
        }
        let posted = entry.posted <= now;
        if posted && entry.dropped {
            return None;
        }
        let status = match (posted, entry.refunded) {
            (false, _) => TransactionStatus::Pending,
            (true, Some(refunded)) if refunded <= now => TransactionStatus::Refunded,
            (true, _) => TransactionStatus::Posted,
        };
        Some(ReportedTransaction {
            external_id: entry.external_id.clone(),
            amount: self.money(entry.cents),
            transaction_type: TransactionType::of_amount(entry.cents),
            status,
            date: entry.date,
            authorized_at: Some(entry.authorized),
            posted_at: posted.then_some(entry.posted),
            merchant_name: entry.merchant.clone(),
            description: entry.description.clone(),
            category: entry.category,
            location: entry.location.clone(),
            payment_channel: entry.channel,
            refund_of: entry.refund_of.clone(),
            counterpart_external_id: None,
        })
    }
}

/// Day-by-day sums over the simulation: posted balance and pending debits at the end of each
/// UTC day (for the last day, at the instant the ledger was made for).
struct DailyLedger<'a> {
    account: &'a FakeAccount,
    /// Holder-side posted balance at the end of each day from the history's start.
    posted: Vec<i64>,
    /// Pending debits (negative) at the end of each day.
    pending_debits: Vec<i64>,
}

impl<'a> DailyLedger<'a> {
    fn new(account: &'a FakeAccount, entries: &[Entry], now: DateTime<Utc>) -> Self {
        let until = now.date_naive() + Days::new(1);
        let days = usize::try_from((until - account.history_start).num_days()).unwrap_or(0);
        let mut posted_delta = vec![0i64; days + 1];
        let mut pending_delta = vec![0i64; days + 1];
        let index = |at: DateTime<Utc>| {
            usize::try_from((at.date_naive() - account.history_start).num_days()).unwrap_or(0).min(days)
        };
        for entry in entries.iter().filter(|e| e.authorized <= now) {
            let posted = entry.posted <= now;
            if posted && !entry.dropped {
                posted_delta[index(entry.posted)] += entry.cents;
            }
            if entry.cents < 0 && entry.waits() {
                pending_delta[index(entry.authorized)] += entry.cents;
                if posted {
                    pending_delta[index(entry.posted)] -= entry.cents;
                }
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
        let minimum = minimum_payment(owed);
        Some(CardStatement {
            statement_date,
            payment_due_date: statement_date + Days::new(u64::from(card.due_after_days)),
            statement_balance: self.account.money(owed),
            minimum_payment: Money::from_minor(minimum, Currency::USD),
        })
    }
}
