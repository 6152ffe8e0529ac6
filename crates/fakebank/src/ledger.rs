//! The day-by-day simulation. Each day's everyday activity is drawn from its own stream
//! (account, day); the few amounts that follow balances (card payments, savings sweeps,
//! interest) are computed from the simulation's running balance, which starts at the history's
//! first day. So any day range, however split, yields the same rows.

mod day;
mod habits;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use sandbank_domain::transaction::{Category, Location, PaymentChannel};

use self::day::Day;
use self::habits::Statement;
use crate::account::{FakeAccount, Habits, Profile};

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
}

impl Entry {
    /// Whether it stays pending for a while (a card purchase) rather than posting at once.
    pub fn waits(&self) -> bool {
        self.posted > self.authorized
    }
}

/// The running state of one account's simulation: what happened so far and the balance it left.
struct Simulation<'a> {
    profile: &'a Profile,
    entries: Vec<Entry>,
    /// Refunds made on earlier days, by the day they are dated.
    refunds: BTreeMap<NaiveDate, Vec<Entry>>,
    /// A card's statements so far.
    statements: Vec<Statement>,
    /// From the holder's side, counting every entry that did not drop.
    balance: i64,
}

impl<'a> Simulation<'a> {
    fn new(profile: &'a Profile) -> Self {
        let (entries, refunds, statements) = (Vec::new(), BTreeMap::new(), Vec::new());
        Self { profile, entries, refunds, statements, balance: profile.opening_cents }
    }

    /// The entries the account makes on `date`, given everything before it.
    fn day(&self, date: NaiveDate) -> Day<'a> {
        let mut day = Day::new(self.profile, date);
        match &self.profile.habits {
            Habits::Card(card) => day.card(card, &self.statements),
            Habits::Checking(checking) => day.checking(checking, self.balance),
            Habits::Savings(savings) => day.saving(savings, false, self.balance),
            Habits::Investment(savings) => day.saving(savings, true, self.balance),
        }
        day
    }

    /// Records a day: its entries, then the refunds dated on it; the balance; a card's statement.
    fn close(&mut self, day: Day<'_>) {
        let Day { date, entries: made, refunds: later, .. } = day;
        for refund in later {
            self.refunds.entry(refund.date).or_default().push(refund);
        }
        let today = made.into_iter().chain(self.refunds.remove(&date).unwrap_or_default());
        for entry in today {
            if !entry.dropped {
                self.balance += entry.cents;
            }
            self.entries.push(entry);
        }
        if let Habits::Card(card) = &self.profile.habits
            && date.day() == card.statement_day
        {
            self.statements.push((date, -self.balance));
        }
    }
}

/// Every entry of the account dated (locally) before `until`, in date order (within a day, in the order
/// they were made). Entries dated before the history are none.
pub(crate) fn simulate(account: &FakeAccount, until: NaiveDate) -> Vec<Entry> {
    let mut simulation = Simulation::new(&account.profile);
    let mut date = account.history_start;
    while date < until {
        let day = simulation.day(date);
        simulation.close(day);
        date = date + Days::new(1);
    }
    simulation.entries
}
