//! Recurring with texture: subscriptions that belong to the household (one account each, real
//! price tiers, now and then a price rise, a cancellation or a new one), electric bills that
//! follow the seasons, a holiday season and back-to-school, trips with flights and a hotel.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use chrono::{Datelike, Days, NaiveDate};
use proptest::prelude::*;
use sandbank_domain::transaction::{Category, ReportedTransaction};
use sandbank_fakebank::merchants::{is_airline, is_hotel, subscription_prices};
use sandbank_fakebank::{FakeAccount, Household};

mod common;
use common::{household, household_accounts};

/// Every row of every account up to the day before the link, with its account; purchases
/// only (no refunds).
fn rows(accounts: &[FakeAccount], linked_on: NaiveDate) -> Vec<(usize, ReportedTransaction)> {
    common::rows(accounts, linked_on).into_iter().filter(|(_, t)| t.refund_of.is_none()).collect()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_subscription_is_billed_to_one_account_at_its_tier_prices((seed, linked_on) in household()) {
        let rows = rows(&household_accounts(seed, linked_on), linked_on);
        let mut billed_to: HashMap<(String, u32), HashSet<usize>> = HashMap::new();
        for (account, t) in &rows {
            let Some(prices) = subscription_prices(&t.merchant_name) else {
                prop_assert!(t.category != Category::Subscriptions, "{:?} is no known subscription", t);
                continue;
            };
            prop_assert!(prices.contains(&-t.amount.minor_units()), "{} {} is no tier price {:?}", t.merchant_name, t.amount, prices);
            billed_to.entry((t.merchant_name.clone(), t.date.month())).or_default().insert(*account);
        }
        for ((merchant, month), accounts) in billed_to {
            prop_assert_eq!(accounts.len(), 1, "{} billed to {:?} in month {}", merchant, accounts, month);
        }
    }

    #[test]
    fn every_hotel_bill_ends_a_trip_in_its_city((seed, linked_on) in household()) {
        let household = Household::of(seed);
        let accounts = household_accounts(seed, linked_on);
        let trips = household.trips(accounts[0].history_start() - Days::new(10)..linked_on + Days::new(61));
        for (_, t) in rows(&accounts, linked_on).iter().filter(|(_, t)| is_hotel(&t.merchant_name)) {
            let city = t.location.as_ref().map(|l| l.city.clone()).unwrap_or_default();
            prop_assert!(trips.iter().any(|trip| trip.last_day == t.date && trip.city.name == city), "{:?} ends no trip", t);
            prop_assert_eq!(t.category, Category::Travel);
        }
        for (_, t) in rows(&accounts, linked_on).iter().filter(|(_, t)| is_airline(&t.merchant_name)) {
            // Two trips' flights may be bought on one day.
            let mut ahead = trips.iter().filter(|trip| trip.flight_bought_on == Some(t.date)).map(|trip| (trip.first_day - t.date).num_days());
            prop_assert!(ahead.any(|d| (14..=60).contains(&d)), "{:?} flies on no trip", t);
        }
    }
}

/// The household's subscriptions, flights and hotels dated in `days`, linked on `linked_on`:
/// (account, date, merchant, amount).
fn recurring_rows(seed: u64, linked_on: NaiveDate, days: &Range<NaiveDate>) -> Vec<(String, NaiveDate, String, i64)> {
    let accounts = household_accounts(seed, linked_on);
    let recurring = |t: &ReportedTransaction| {
        subscription_prices(&t.merchant_name).is_some() || is_airline(&t.merchant_name) || is_hotel(&t.merchant_name)
    };
    let mut rows: Vec<_> = rows(&accounts, linked_on)
        .into_iter()
        .filter(|(_, t)| days.contains(&t.date) && recurring(t))
        .map(|(i, t)| (accounts[i].reported().external_id.clone(), t.date, t.merchant_name, t.amount.minor_units()))
        .collect();
    rows.sort();
    rows
}

/// Linked later, a household's history starts later: on the days both histories hold, its
/// subscriptions, flights and hotels are the same rows on the same accounts — but for a charge
/// a card declines in one history and not in the other (its room follows its balance, which
/// depends on where the history starts).
#[test]
fn subscriptions_and_trips_do_not_depend_on_where_history_starts() {
    let (linked_on, relinked) = (day(2026, 6, 1), day(2026, 7, 16));
    let (mut both, mut one) = (0, 0);
    for seed in 0..100 {
        let days = household_accounts(seed, relinked)[0].history_start()..linked_on - Days::new(3);
        let (earlier, later) = (recurring_rows(seed, linked_on, &days), recurring_rows(seed, relinked, &days));
        let shared = earlier.iter().filter(|r| later.contains(r)).count();
        both += shared;
        one += earlier.len() + later.len() - 2 * shared;
    }
    println!("{both} recurring rows in both histories, {one} in one only");
    assert!(both > 500 && one * 100 <= both, "{both} in both, {one} in one only");
}

/// Per account and subscription, its charges in date order (amounts in cents, positive).
fn charges(rows: &[(usize, ReportedTransaction)]) -> BTreeMap<(usize, String), Vec<(NaiveDate, i64)>> {
    let mut charges: BTreeMap<(usize, String), Vec<(NaiveDate, i64)>> = BTreeMap::new();
    for (account, t) in rows.iter().filter(|(_, t)| subscription_prices(&t.merchant_name).is_some()) {
        charges.entry((*account, t.merchant_name.clone())).or_default().push((t.date, -t.amount.minor_units()));
    }
    charges.values_mut().for_each(|c| c.sort());
    charges
}

#[test]
fn subscriptions_rise_stop_and_start_now_and_then() {
    let linked_on = day(2026, 6, 1);
    let as_of = linked_on - Days::new(1);
    let (mut rises, mut cancelled, mut new, mut changed) = (0, 0, 0, 0);
    for seed in 0..100 {
        let accounts = household_accounts(seed, linked_on);
        let start = accounts[0].history_start();
        let charges = charges(&rows(&accounts, linked_on));
        let before = (rises, cancelled, new);
        for history in charges.values() {
            rises += history.windows(2).filter(|w| w[1].1 > w[0].1).count();
            let (first, last) = (history[0].0, history[history.len() - 1].0);
            cancelled += usize::from((as_of - last).num_days() > 35);
            new += usize::from((first - start).num_days() > 35);
        }
        changed += usize::from(before != (rises, cancelled, new));
    }
    println!("100 households: {rises} price rises, {cancelled} cancelled, {new} new; {changed} households changed");
    assert!(rises >= 1 && cancelled >= 1 && new >= 1, "{rises} rises, {cancelled} cancelled, {new} new");
    assert!(changed <= 70, "{changed} of 100 households changed a subscription: not now and then");
}

/// The electric company's debits (utilities other than phone and cable) by month, in cents.
fn electric_bills(rows: &[(usize, ReportedTransaction)]) -> Vec<(u32, i64)> {
    rows.iter()
        .filter(|(_, t)| t.category == Category::Utilities)
        .filter(|(_, t)| !["Verizon Wireless", "Comcast Xfinity"].contains(&t.merchant_name.as_str()))
        .map(|(_, t)| (t.date.month(), -t.amount.minor_units()))
        .collect()
}

/// The mean of the bills of `month`.
fn mean_in(bills: &[(u32, i64)], month: u32) -> f64 {
    let of_month: Vec<i64> = bills.iter().filter(|(m, _)| *m == month).map(|(_, c)| *c).collect();
    of_month.iter().sum::<i64>() as f64 / of_month.len().max(1) as f64
}

#[test]
fn electric_bills_peak_in_summer_in_the_south_and_in_winter_in_the_north() {
    let bills = |states: &[&str], linked_on: NaiveDate| -> Vec<(u32, i64)> {
        (0..400u64)
            .filter(|s| states.contains(&Household::of(*s).city.state))
            .take(40)
            .flat_map(|s| electric_bills(&rows(&household_accounts(s, linked_on), linked_on)))
            .collect()
    };
    let south = bills(&["TX", "FL", "GA", "AZ"], day(2026, 8, 1));
    let (july, april) = (mean_in(&south, 7), mean_in(&south, 4));
    println!("the south's electric bills: July {july:.0}, April {april:.0} cents");
    assert!(july > april * 1.4, "July {july:.0} against April {april:.0}");
    let north = bills(&["MN", "IL", "MA", "NY", "PA"], day(2026, 2, 1));
    let (january, october) = (mean_in(&north, 1), mean_in(&north, 10));
    println!("the north's electric bills: January {january:.0}, October {october:.0} cents");
    assert!(january > october * 1.3, "January {january:.0} against October {october:.0}");
}

/// What households spent shopping in each month, in cents.
fn shopping_by_month(seeds: impl Iterator<Item = u64>, linked_on: NaiveDate) -> BTreeMap<u32, i64> {
    let mut months = BTreeMap::new();
    for seed in seeds {
        for (_, t) in rows(&household_accounts(seed, linked_on), linked_on) {
            if t.category == Category::Shopping {
                *months.entry(t.date.month()).or_default() -= t.amount.minor_units();
            }
        }
    }
    months
}

#[test]
fn households_shop_more_for_the_holidays_and_families_for_school() {
    let months = shopping_by_month(0..100, day(2027, 1, 1));
    let (december, october) = (months[&12], months[&10]);
    println!("100 households shopped for {december} cents in December, {october} in October");
    assert!(december as f64 > october as f64 * 1.3, "December {december} against October {october}");
    let linked_on = day(2026, 11, 1);
    let families = (0..300u64).filter(|s| Household::of(*s).family_size >= 3).take(60);
    let months = shopping_by_month(families, linked_on);
    let (august, october) = (months[&8], months[&10]);
    println!("60 families shopped for {august} cents in August, {october} in October");
    assert!(august > october, "August {august} against October {october}");
    for seed in 0..100 {
        let small = Household::of(seed).family_size < 3;
        for (_, t) in rows(&household_accounts(seed, linked_on), linked_on) {
            if ["Staples", "Office Depot"].contains(&t.merchant_name.as_str()) {
                let school = (t.date.month() == 8) || (t.date.month() == 9 && t.date.day() <= 5);
                assert!(school && !small, "{} on {} (a household of {seed})", t.merchant_name, t.date);
            }
        }
    }
}

#[test]
fn most_flown_trips_have_a_hotel() {
    let linked_on = day(2026, 6, 1);
    let as_of = linked_on - Days::new(1);
    let (mut flown, mut with_hotel) = (0, 0);
    for seed in 0..100 {
        let accounts = household_accounts(seed, linked_on);
        let rows = rows(&accounts, linked_on);
        let on = |date: NaiveDate, what: fn(&str) -> bool| {
            rows.iter().any(|(_, t)| t.date == date && what(&t.merchant_name))
        };
        let start = accounts[0].history_start();
        for trip in Household::of(seed).trips(start..as_of).iter().filter(|t| t.last_day <= as_of) {
            if trip.flight_bought_on.is_some_and(|bought| bought >= start && on(bought, is_airline)) {
                flown += 1;
                with_hotel += usize::from(on(trip.last_day, is_hotel));
            }
        }
    }
    println!("{with_hotel} of {flown} trips whose flights are in the data have a hotel");
    assert!(flown >= 20 && with_hotel * 10 >= flown * 8, "{with_hotel} of {flown}");
}
