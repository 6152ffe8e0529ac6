//! The day-by-day simulation of a household's book: every account at every bank, one day at a
//! time. Each day's everyday activity is drawn from its own stream (account, day); what follows
//! balances (card payments and statements, sweeps, covers, interest, fees) is computed from the
//! running balances, which start at the history's first day. Money moving between the
//! household's accounts is settled after each account's own activity of the day, in a fixed
//! order, as pairs of entries that name each other. So any day range, however split, yields the
//! same rows.

mod card;
mod cash;
mod day;
mod habits;
mod invest;
mod recurring;
mod transfers;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sandbank_domain::transaction::{Category, Location, PaymentChannel};

use self::card::CardCycle;

/// How many funds investment accounts choose from.
pub(crate) const FUND_COUNT: usize = invest::FUNDS.len();
use self::day::Day;
use crate::account::Habits;
use crate::book::{Book, Held};

/// One transaction in the simulation, with what decides its status on any day.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub external_id: String,
    /// The day it happened, where it happened (the household's local date).
    pub date: NaiveDate,
    /// When it was authorized.
    pub authorized: DateTime<Utc>,
    /// When it posts (when it disappears, if dropped); the same instant for an ACH entry.
    pub posted: DateTime<Utc>,
    /// An authorization that never posts: it shows as pending, then disappears.
    pub dropped: bool,
    /// For a purchase that is later refunded: when the refund was made.
    pub refunded: Option<DateTime<Utc>>,
    pub cents: i64,
    pub merchant: String,
    pub description: String,
    pub category: Category,
    pub channel: PaymentChannel,
    pub location: Option<Location>,
    pub refund_of: Option<String>,
    /// For one side of a transfer between the household's accounts: the other side's id.
    pub counterpart: Option<String>,
}

impl Entry {
    /// Whether it stays pending for a while (a card purchase) rather than posting at once.
    pub fn waits(&self) -> bool {
        self.posted > self.authorized
    }
}

/// The running state of one account: what happened so far and the balances it left.
struct Ledger<'a> {
    held: &'a Held,
    entries: Vec<Entry>,
    /// Refunds made on earlier days, by the day they are dated.
    refunds: BTreeMap<NaiveDate, Vec<Entry>>,
    /// From the holder's side, counting every entry that did not drop (posted or not).
    balance: i64,
    /// From the holder's side, what has posted by the end of the last day closed (UTC days).
    posted: i64,
    /// What posts on later days, by the (UTC) day it posts.
    postings: BTreeMap<NaiveDate, i64>,
    /// A card's statements and payments.
    card: Option<CardCycle>,
}

impl<'a> Ledger<'a> {
    fn new(held: &'a Held, history_start: NaiveDate) -> Self {
        let opening = held.profile.opening_cents;
        let card = match &held.profile.habits {
            Habits::Card(card) => Some(CardCycle::opening(card, -opening, history_start, held.profile.key)),
            _ => None,
        };
        Self {
            held,
            entries: Vec::new(),
            refunds: BTreeMap::new(),
            balance: opening,
            posted: opening,
            postings: BTreeMap::new(),
            card,
        }
    }

    /// The account's own activity on `date` (everything but transfers between accounts).
    fn open(&self, date: NaiveDate) -> Day<'a> {
        let profile = &self.held.profile;
        let mut day = Day::new(profile, date);
        match &profile.habits {
            Habits::Card(card) => {
                day.room = Some(card.limit_cents * 9 / 10 + self.balance);
                day.card();
            }
            Habits::Checking(checking) => {
                // Debit card purchases overdraw it by $500 at most; beyond, they are declined.
                day.room = Some(self.balance + 500_00);
                day.checking(checking);
            }
            Habits::Savings(savings) => day.saving(savings, false, self.balance),
            Habits::Investment(savings) => day.saving(savings, true, self.balance),
        }
        day.recurring();
        day
    }

    /// The balance at the end of `day` if nothing more happens on it.
    fn projected(&self, day: &Day<'_>) -> i64 {
        self.balance + day.net()
    }

    /// Closes a day: a card's fees, interest and statement, a checking account's overdraft
    /// fee; then records the day's entries and the refunds dated on it, and the balances.
    fn close(&mut self, mut day: Day<'a>) {
        if let (Some(cycle), Habits::Card(card)) = (&mut self.card, &self.held.profile.habits) {
            cycle.before_close(&mut day, card);
        }
        if let Habits::Checking(_) = self.held.profile.habits {
            day.overdraft_fee(&self.held.bank, self.balance);
        }
        let date = day.date;
        self.record(day);
        if let (Some(cycle), Habits::Card(card)) = (&mut self.card, &self.held.profile.habits) {
            cycle.after_close(date, card, self.posted, self.held.profile.key);
        }
    }

    fn record(&mut self, day: Day<'a>) {
        let Day { date, entries: made, refunds: later, .. } = day;
        for refund in later {
            self.refunds.entry(refund.date).or_default().push(refund);
        }
        let today = made.into_iter().chain(self.refunds.remove(&date).unwrap_or_default());
        for entry in today {
            if !entry.dropped {
                self.balance += entry.cents;
                *self.postings.entry(entry.posted.date_naive()).or_default() += entry.cents;
            }
            self.entries.push(entry);
        }
        self.posted += self.postings.remove(&date).unwrap_or_default();
    }
}

/// Every entry of every account of `book` dated (locally) before `until`, by slot, each in
/// date order (within a day, in the order they were made).
pub(crate) fn simulate(book: &Book, until: NaiveDate) -> Vec<Vec<Entry>> {
    let mut ledgers: Vec<Ledger<'_>> = book.accounts.iter().map(|held| Ledger::new(held, book.history_start)).collect();
    for date in book.history_start.iter_days().take_while(|d| *d < until) {
        let mut days: Vec<Day<'_>> = ledgers.iter().map(|ledger| ledger.open(date)).collect();
        transfers::settle(&mut ledgers, &mut days);
        for (ledger, day) in ledgers.iter_mut().zip(days) {
            ledger.close(day);
        }
    }
    ledgers.into_iter().map(|ledger| ledger.entries).collect()
}

impl Ledger<'_> {
    /// What has been transferred into the account in `date`'s calendar year, before `date`.
    fn contributed_in(&self, date: NaiveDate) -> i64 {
        use chrono::Datelike;
        let year = date.year();
        self.entries
            .iter()
            .rev()
            .take_while(|e| e.date.year() == year)
            .filter(|e| e.counterpart.is_some() && e.cents > 0)
            .map(|e| e.cents)
            .sum()
    }
}
