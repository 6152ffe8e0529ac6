//! One day's entries: the builder that numbers them, and the everyday purchases and bills every
//! account with a spending mix makes.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use sandbank_domain::transaction::{Category, Location, PaymentChannel};

use super::Entry;
use crate::account::Profile;
use crate::merchants::{MERCHANTS, Merchant};
use crate::seed::{self, stream};

/// Builds one day's entries, numbering them so each gets a stable id.
pub(super) struct Day<'a> {
    pub(super) profile: &'a Profile,
    pub(super) date: NaiveDate,
    pub(super) rng: ChaCha8Rng,
    seq: u64,
    /// Entries dated today, in the order they were made.
    pub(super) entries: Vec<Entry>,
    /// Refunds of today's purchases, dated later.
    pub(super) refunds: Vec<Entry>,
}

impl<'a> Day<'a> {
    pub(super) fn new(profile: &'a Profile, date: NaiveDate) -> Self {
        let rng = seed::rng(&[profile.key, stream::DAY, seed::day_number(date)]);
        Self { profile, date, rng, seq: 0, entries: Vec::new(), refunds: Vec::new() }
    }

    fn next_id(&mut self) -> String {
        self.seq += 1;
        let hash = seed::combine(&[self.profile.key, seed::day_number(self.date), self.seq]);
        format!("tx_{}_{hash:016x}", self.date.format("%Y%m%d"))
    }

    /// A bank-initiated entry (ACH, transfer, interest) that posts after `post_lag` days.
    pub(super) fn push_ach(
        &mut self,
        cents: i64,
        merchant: &str,
        description: String,
        category: Category,
        post_lag: u32,
    ) {
        let external_id = self.next_id();
        self.entries.push(Entry {
            external_id,
            date: self.date,
            minute: 6 * 60,
            post_lag,
            dropped: false,
            refund_date: None,
            cents,
            merchant: merchant.to_owned(),
            description,
            category,
            channel: PaymentChannel::Other,
            location: None,
            refund_of: None,
        });
    }

    /// A card or debit purchase at `merchant` for `cents` (positive). Online purchases get an
    /// order reference on the statement line unless they are `recurring` bills.
    fn push_purchase(&mut self, merchant: &Merchant, cents: i64, location: Option<Location>, recurring: bool) {
        let external_id = self.next_id();
        let rng = &mut self.rng;
        let minute = rng.random_range(7 * 60..22 * 60);
        let post_lag = rng.random_range(1..=3);
        let holds = matches!(merchant.category, Category::Travel | Category::Transportation)
            && merchant.channel == PaymentChannel::InStore;
        let dropped = rng.random_bool(if holds { 0.12 } else { 0.01 });
        let refund_date = (!dropped && merchant.refundable && rng.random_bool(0.04))
            .then(|| self.date + Days::new(rng.random_range(3..=21)));
        let description = statement_line(rng, merchant, location.as_ref(), recurring);
        let entry = Entry {
            external_id,
            date: self.date,
            minute,
            post_lag,
            dropped,
            refund_date,
            cents: -cents,
            merchant: merchant.name.to_owned(),
            description,
            category: merchant.category,
            channel: merchant.channel,
            location,
            refund_of: None,
        };
        if let Some(date) = refund_date {
            let refund = refund(&entry, self.next_id(), date, merchant.descriptor);
            self.refunds.push(refund);
        }
        self.entries.push(entry);
    }

    /// Everyday purchases: a Poisson number of them, more dining at weekends.
    pub(super) fn everyday_purchases(&mut self) {
        let profile = self.profile;
        if profile.mix.is_empty() {
            return;
        }
        let weekend = matches!(self.date.weekday(), Weekday::Sat | Weekday::Sun);
        let mean = profile.purchases_per_day * if weekend { 1.25 } else { 1.0 };
        let count = poisson(&mut self.rng, mean);
        let weight = |category: Category, w: u32| {
            if weekend && category == Category::FoodAndDrink { w * 2 } else { w }
        };
        let total: u32 = profile.mix.iter().map(|(c, w)| weight(*c, *w)).sum();
        for _ in 0..count {
            let mut pick = self.rng.random_range(0..total);
            let category = profile
                .mix
                .iter()
                .find(|(c, w)| {
                    let w = weight(*c, *w);
                    if pick < w {
                        true
                    } else {
                        pick -= w;
                        false
                    }
                })
                .map_or(Category::Shopping, |(c, _)| *c);
            let choices: Vec<&Merchant> = MERCHANTS.iter().filter(|m| m.category == category).collect();
            let merchant = choices[self.rng.random_range(0..choices.len())];
            let (lo, hi) = merchant.cents;
            // Skewed towards the low end: most coffees are small, a few are big.
            let u: f64 = self.rng.random();
            let cents = (lo + ((hi - lo) as f64 * u * u).round() as i64).min(profile.largest_purchase_cents).max(lo);
            let location = (merchant.channel == PaymentChannel::InStore).then(|| {
                let away = category == Category::Travel || self.rng.random_bool(0.06);
                let (city, region) = if away {
                    crate::merchants::CITIES[self.rng.random_range(0..crate::merchants::CITIES.len())]
                } else {
                    profile.home
                };
                Location { city: city.to_owned(), region: region.to_owned(), country: "US".to_owned() }
            });
            self.push_purchase(merchant, cents, location, false);
        }
    }

    /// Bills due today (subscriptions on cards, utilities on checking).
    pub(super) fn bills(&mut self) {
        let profile = self.profile;
        for scheduled in &profile.bills {
            if scheduled.day_of_month != self.date.day() {
                continue;
            }
            let bill = scheduled.bill;
            let cents = if bill.variable {
                let swing = scheduled.cents / 5;
                (scheduled.cents + self.rng.random_range(-swing..=swing)).clamp(bill.cents.0, bill.cents.1)
            } else {
                scheduled.cents
            };
            let merchant = Merchant {
                name: bill.name,
                descriptor: bill.descriptor,
                category: bill.category,
                channel: PaymentChannel::Online,
                cents: bill.cents,
                refundable: false,
            };
            self.push_purchase(&merchant, cents, None, true);
        }
    }
}

/// The statement line of a purchase: the descriptor with a store number and the place in a
/// store, alone for a recurring bill, else with an order reference.
fn statement_line(rng: &mut ChaCha8Rng, merchant: &Merchant, location: Option<&Location>, recurring: bool) -> String {
    match location {
        Some(place) => format!(
            "{} #{:04} {} {}",
            merchant.descriptor,
            rng.random_range(100..10_000),
            place.city.to_uppercase(),
            place.region
        ),
        None if recurring => merchant.descriptor.to_owned(),
        None => {
            let separator = if merchant.descriptor.ends_with('*') { "" } else { " " };
            format!("{}{separator}{:06X}", merchant.descriptor, rng.random_range(0..0xFF_FFFFu32))
        }
    }
}

/// The refund of `purchase` in full, dated `date`, with id `external_id`.
fn refund(purchase: &Entry, external_id: String, date: NaiveDate, descriptor: &str) -> Entry {
    Entry {
        external_id,
        date,
        minute: 9 * 60,
        post_lag: 1,
        dropped: false,
        refund_date: None,
        cents: -purchase.cents,
        merchant: purchase.merchant.clone(),
        description: format!("REFUND {}", descriptor.trim_end_matches('*')),
        category: Category::Refund,
        channel: purchase.channel,
        location: purchase.location.clone(),
        refund_of: Some(purchase.external_id.clone()),
    }
}

/// A Poisson draw by Knuth's method (small means only).
fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> u32 {
    let limit = (-mean).exp();
    let mut product: f64 = rng.random();
    let mut count = 0;
    while product > limit && count < 12 {
        count += 1;
        product *= rng.random::<f64>();
    }
    count
}
