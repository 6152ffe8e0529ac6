//! The household's trips: two to five days in another city in about a quarter of the 30-day
//! blocks of absolute time (so the same whatever day a history starts). A trip to another part
//! of the country is flown: the flights (a round-trip fare per traveller, the whole family) are
//! bought 14–60 days before it leaves; every trip ends with the hotel's bill (nights × a nightly
//! rate) on its last day, in the city visited. Fares and rates follow the household's style.
//! Both are charged to the household's travel card: a travel or platinum card if it has one,
//! else a card, else the main checking account's debit card.

use std::ops::Range;

use chrono::{Days, NaiveDate};
use sandbank_domain::account::{AccountSubtype, AccountType};

use crate::book::Held;
use crate::household::{Household, SpendingStyle};
use crate::merchants::{AIRLINES, CITIES, City, FARE_CENTS, HOTELS, MOST_NIGHTS, MOST_TRAVELLERS, NIGHTLY_CENTS};
use crate::seed::{self, stream};
use crate::subscriptions::main_checking;

/// The length of the blocks trips are drawn in, in days.
const BLOCK_DAYS: u64 = 30;

/// The fewest and most days before a trip its flights are bought.
const BOOKED_AHEAD: (u64, u64) = (14, 60);

/// A trip of the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trip {
    /// The day it leaves.
    pub first_day: NaiveDate,
    /// The day it comes back (the hotel's bill is charged then).
    pub last_day: NaiveDate,
    /// Where it goes.
    pub city: City,
    /// When its flights were bought, if it flies (to another part of the country).
    pub flight_bought_on: Option<NaiveDate>,
    /// Seeds its prices and carriers.
    booking: u64,
}

impl Household {
    /// The city it is travelling in on `date`, if it is away.
    pub(crate) fn away_on(&self, date: NaiveDate) -> Option<City> {
        let day = seed::day_number(date);
        let (h, first, length) = self.trip_days(day / BLOCK_DAYS)?;
        (first <= day && day < first + length).then(|| self.destination(h)).flatten()
    }

    /// Its trips that leave on a day of `days`: the same whatever bank or history asks.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use sandbank_fakebank::Household;
    ///
    /// let household = Household::of(42);
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let trips = household.trips(day(2026, 1, 1)..day(2027, 1, 1));
    /// assert!(!trips.is_empty());
    /// for trip in &trips {
    ///     assert_ne!(trip.city, household.city);
    ///     assert!((1..=4).contains(&(trip.last_day - trip.first_day).num_days()));
    ///     // Flown to another part of the country, with flights bought two to eight weeks ahead.
    ///     assert_eq!(trip.flight_bought_on.is_some(), trip.city.region != household.city.region);
    /// }
    /// assert_eq!(household.trips(day(2026, 3, 1)..day(2026, 9, 1)), Household::of(42).trips(day(2026, 3, 1)..day(2026, 9, 1)));
    /// ```
    pub fn trips(&self, days: Range<NaiveDate>) -> Vec<Trip> {
        let (first, last) = (seed::day_number(days.start), seed::day_number(days.end));
        (first / BLOCK_DAYS..=last / BLOCK_DAYS)
            .filter_map(|block| self.trip_in(block))
            .filter(|trip| days.contains(&trip.first_day))
            .collect()
    }

    /// The trip of the 30-day `block`, if it has one.
    pub(crate) fn trip_in(&self, block: u64) -> Option<Trip> {
        let (h, start, length) = self.trip_days(block)?;
        let city = self.destination(h)?;
        let first_day = NaiveDate::from_num_days_from_ce_opt(i32::try_from(start).ok()?)?;
        let booking = seed::combine(&[self.key, stream::FLIGHTS, block]);
        let ahead = BOOKED_AHEAD.0 + booking % (BOOKED_AHEAD.1 - BOOKED_AHEAD.0 + 1);
        let flight_bought_on = (city.region != self.city.region).then(|| first_day - Days::new(ahead));
        Some(Trip { first_day, last_day: first_day + Days::new(length - 1), city, flight_bought_on, booking })
    }
}

impl Household {
    /// The draw of `block`'s trip, if it has one: the draw, its first day (a day number) and
    /// its length in days (two to five).
    fn trip_days(&self, block: u64) -> Option<(u64, u64, u64)> {
        let h = seed::combine(&[self.key, stream::TRIPS, block]);
        (h % 100 < 25).then_some((h, block * BLOCK_DAYS + (h >> 8) % 25, 2 + (h >> 16) % 4))
    }

    /// The city a trip drawn `h` goes to: any but home.
    fn destination(&self, h: u64) -> Option<City> {
        let others = CITIES.iter().filter(|c| c.name != self.city.name);
        others.clone().nth(((h >> 24) % others.count() as u64) as usize).copied()
    }
}

/// Fares and rates by style: frugal, moderate, lavish.
fn by_style(style: SpendingStyle, ranges: &[(i64, i64); 3]) -> (i64, i64) {
    ranges[match style {
        SpendingStyle::Frugal => 0,
        SpendingStyle::Moderate => 1,
        SpendingStyle::Lavish => 2,
    }]
}

/// A value of `range` drawn from bits of `h`.
fn within((lo, hi): (i64, i64), h: u64) -> i64 {
    lo + (h % (hi - lo + 1).max(1) as u64) as i64
}

impl Trip {
    /// The airline, its statement line and what the flights cost: the fare per traveller
    /// times the household's size.
    pub(crate) fn flights(&self, household: &Household) -> (&'static str, &'static str, i64) {
        let (name, descriptor) = AIRLINES[((self.booking >> 20) % AIRLINES.len() as u64) as usize];
        let fare = within(by_style(household.style, &FARE_CENTS), self.booking >> 28);
        let travellers = i64::from(household.family_size).clamp(1, MOST_TRAVELLERS);
        (name, descriptor, fare * travellers)
    }

    /// The hotel, its statement line and its bill: the nights times the nightly rate.
    pub(crate) fn hotel(&self, household: &Household) -> (&'static str, &'static str, i64) {
        let (name, descriptor) = HOTELS[((self.booking >> 12) % HOTELS.len() as u64) as usize];
        let nightly = within(by_style(household.style, &NIGHTLY_CENTS), self.booking >> 40);
        let nights = (self.last_day - self.first_day).num_days().clamp(1, MOST_NIGHTS);
        (name, descriptor, nightly * nights)
    }
}

/// Marks the account that books the household's trips (`accounts` is its book).
pub(crate) fn assign(household: &Household, accounts: &mut [Held]) {
    let card = |a: &Held| a.reported.account_type == AccountType::CreditCard;
    let travel = |a: &Held| card(a) && matches!(a.reported.subtype, AccountSubtype::Travel | AccountSubtype::Platinum);
    let slot = accounts
        .iter()
        .position(travel)
        .or_else(|| accounts.iter().position(card))
        .or_else(|| main_checking(household, accounts));
    if let Some(slot) = slot {
        accounts[slot].profile.books_trips = true;
    }
}
