//! The household's subscriptions: chosen once per household (how many by its spending style and
//! income, two to seven), each at one tier of a real service's prices and billed to exactly one
//! of its accounts (spread over its cards; the main checking account's debit card when it has
//! none). Whether a subscription is running on a day and at which price is a function of the
//! household, the service and the absolute date, never of where a history starts: each service's
//! price rises on a day of its own (drawn from 2024–2027), and time is cut into blocks of a year
//! in each of which the subscription is on or off, switching on a day of the block drawn for it
//! (a cancellation, or a new subscription).

use chrono::{Datelike, NaiveDate};
use rand::RngExt;
use rand::seq::SliceRandom;
use sandbank_domain::account::AccountType;
use sandbank_domain::transaction::Category;

use crate::book::Held;
use crate::household::{Household, SpendingStyle};
use crate::merchants::{SUBSCRIPTIONS, Service};
use crate::seed::{self, stream};

/// The length of the blocks of absolute time a subscription is on or off in, in days.
const BLOCK_DAYS: u64 = 365;

/// How often a subscription is on in a block, in percent.
const ON_PERCENT: u64 = 85;

/// The first and last year a price rise may come in.
const RISES: (i32, i32) = (2024, 2027);

/// One of the household's subscriptions.
#[derive(Debug, Clone)]
pub(crate) struct Subscription {
    pub service: Service,
    /// Its tier's price before and after the service's price rise, in cents.
    pub tier: (i64, i64),
    /// The day of the month it is billed (1–28).
    pub day_of_month: u32,
    /// The day its price rises (a [`seed::day_number`]).
    rises_on: u64,
    /// Seeds its blocks.
    key: u64,
}

impl Subscription {
    /// What it charges on `date`: its price then, on its day of the month while it is on.
    pub fn charge_on(&self, date: NaiveDate) -> Option<i64> {
        (date.day() == self.day_of_month && self.active_on(date)).then(|| self.price_on(date))
    }

    fn price_on(&self, date: NaiveDate) -> i64 {
        if seed::day_number(date) >= self.rises_on { self.tier.1 } else { self.tier.0 }
    }

    /// Whether it is on at `date`: its block's state from the block's switching day, the
    /// previous block's before.
    fn active_on(&self, date: NaiveDate) -> bool {
        let day = seed::day_number(date);
        let block = day / BLOCK_DAYS;
        let (on, switches_on) = self.block(block);
        if day < switches_on { self.block(block.saturating_sub(1)).0 } else { on }
    }

    /// Whether it is on in `block`, and the day (number) that state starts.
    fn block(&self, block: u64) -> (bool, u64) {
        let h = seed::combine(&[self.key, block]);
        (h % 100 < ON_PERCENT, block * BLOCK_DAYS + (h >> 8) % BLOCK_DAYS)
    }
}

/// How many subscriptions the household has: one to three by its style, up to three more by
/// its income (log scale from $22,000 to $240,000 a year), perhaps one more; two to seven.
fn how_many(household: &Household, rng: &mut impl RngExt) -> usize {
    let by_style = match household.style {
        SpendingStyle::Frugal => 1,
        SpendingStyle::Moderate => 2,
        SpendingStyle::Lavish => 3,
    };
    let dollars = (household.annual_income_cents() as f64 / 100.0).max(22_000.0);
    let by_income = ((dollars / 22_000.0).ln() / (240_000f64 / 22_000.0).ln() * 3.0).round() as usize;
    (by_style + by_income + rng.random_range(0..=1usize)).clamp(2, 7)
}

/// The household's subscriptions: services in an order drawn for it, at most one gym (Equinox
/// only above $150,000 a year), each with a tier, a billing day and a day its price rises.
pub(crate) fn chosen(household: &Household) -> Vec<Subscription> {
    let mut rng = seed::rng(&[household.key, stream::SUBSCRIPTIONS]);
    let count = how_many(household, &mut rng);
    let mut order: Vec<usize> = (0..SUBSCRIPTIONS.len()).collect();
    order.shuffle(&mut rng);
    let rich = household.annual_income_cents() > 150_000_00;
    let year = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).map_or(0, seed::day_number);
    let rises = year(RISES.0)..year(RISES.1 + 1);
    let mut chosen: Vec<Subscription> = Vec::new();
    for index in order {
        let service = SUBSCRIPTIONS[index];
        let gym = service.category == Category::Health;
        if (gym && chosen.iter().any(|s| s.service.category == Category::Health))
            || (service.name == "Equinox" && !rich)
        {
            continue;
        }
        let tier = service.tiers[rng.random_range(0..service.tiers.len())];
        let key = seed::combine(&[household.key, stream::SUBSCRIPTIONS, index as u64]);
        let (day_of_month, rises_on) = (rng.random_range(1..=28), rng.random_range(rises.clone()));
        chosen.push(Subscription { service, tier, day_of_month, rises_on, key });
        if chosen.len() == count {
            break;
        }
    }
    chosen
}

/// Bills each of the household's subscriptions to one of its accounts (`accounts` is its
/// book): its cards in turn from one drawn for it, else the main checking account.
pub(crate) fn assign(household: &Household, accounts: &mut [Held]) {
    let cards: Vec<usize> =
        (0..accounts.len()).filter(|s| accounts[*s].reported.account_type == AccountType::CreditCard).collect();
    let payers = if cards.is_empty() { main_checking(household, accounts).into_iter().collect() } else { cards };
    if payers.is_empty() {
        return;
    }
    let first = (seed::combine(&[household.key, stream::SUBSCRIPTIONS]) % payers.len() as u64) as usize;
    for (i, subscription) in chosen(household).into_iter().enumerate() {
        accounts[payers[(first + i) % payers.len()]].profile.subscriptions.push(subscription);
    }
}

/// The household's main checking account (at its primary bank), by slot.
pub(crate) fn main_checking(household: &Household, accounts: &[Held]) -> Option<usize> {
    accounts
        .iter()
        .position(|a| a.bank.slug == household.primary_bank && a.reported.account_type == AccountType::Checking)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::book::Book;

    #[test]
    fn a_household_has_two_to_seven_subscriptions_each_on_one_account() {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        for seed in 0..200 {
            let household = Arc::new(Household::of(seed));
            let chosen = chosen(&household);
            let names: Vec<&str> = chosen.iter().map(|s| s.service.name).collect();
            assert!((2..=7).contains(&chosen.len()), "seed {seed}: {names:?}");
            let gyms = chosen.iter().filter(|s| s.service.category == Category::Health).count();
            assert!(gyms <= 1, "seed {seed}: {names:?}");
            let book = Book::new(&household, start);
            let billed: Vec<&str> =
                book.accounts.iter().flat_map(|a| &a.profile.subscriptions).map(|s| s.service.name).collect();
            assert_eq!(billed.len(), chosen.len(), "seed {seed}: every subscription billed once");
            let cards = book.accounts.iter().filter(|a| a.reported.account_type == AccountType::CreditCard).count();
            let carrying = book.accounts.iter().filter(|a| !a.profile.subscriptions.is_empty()).count();
            assert_eq!(carrying, cards.clamp(1, chosen.len()), "seed {seed}: spread over the cards");
        }
    }
}
