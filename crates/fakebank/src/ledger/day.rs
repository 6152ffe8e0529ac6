//! One day's entries: the builder that numbers them and stamps them in the household's time
//! zone, and the everyday purchases and bills every account with a spending mix makes.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use sandbank_domain::transaction::{Category, Location, PaymentChannel};

use super::Entry;
use crate::account::Profile;
use crate::calendar::{is_business_day, settles_monthly_on};
use crate::merchants::{BACK_TO_SCHOOL, City, Merchant};
use crate::seasons;
use crate::seed::{self, stream};

/// Local business hours for purchases: from 06:00 to 23:00 (minutes after midnight).
pub(crate) const OPEN_MINUTES: std::ops::Range<u32> = 6 * 60..23 * 60;

/// When bank-initiated (ACH) entries are stamped: 06:00 local.
const ACH_MINUTE: u32 = 6 * 60;

/// What kind of purchase a card or debit purchase is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purchase {
    /// Everyday spending.
    Everyday,
    /// A subscription's charge: its statement line is the service's alone.
    Recurring,
    /// Booked ahead (a flight, a hotel's bill): it always posts.
    Booked,
}

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
    /// What purchases may still take today (beyond, they are declined): a card's room under its
    /// limit, a checking account's balance and the overdraft its bank allows a debit card.
    pub(super) room: Option<i64>,
}

impl<'a> Day<'a> {
    pub(super) fn new(profile: &'a Profile, date: NaiveDate) -> Self {
        let rng = seed::rng(&[profile.key, stream::DAY, seed::day_number(date)]);
        Self { profile, date, rng, seq: 0, entries: Vec::new(), refunds: Vec::new(), room: None }
    }

    /// The instant of `minute` after local midnight of `date`, in the household's time zone.
    pub(super) fn at(&self, date: NaiveDate, minute: u32) -> DateTime<Utc> {
        self.profile.household.city.zone.to_utc(date, minute)
    }

    /// Whether banks settle today (ACH, payroll, transfers, fees, interest).
    pub(super) fn business_day(&self) -> bool {
        is_business_day(self.date)
    }

    fn next_id(&mut self) -> String {
        self.seq += 1;
        let hash = seed::combine(&[self.profile.key, seed::day_number(self.date), self.seq]);
        let (year, month, day) = (self.date.year(), self.date.month(), self.date.day());
        format!("tx_{year:04}{month:02}{day:02}_{hash:016x}")
    }

    /// The sum of today's entries that did not drop.
    pub(super) fn net(&self) -> i64 {
        self.entries.iter().filter(|e| !e.dropped).map(|e| e.cents).sum()
    }

    /// Whether a purchase of `cents` goes through (declined when the room cannot take it);
    /// if so, the room shrinks by it.
    pub(super) fn approves(&mut self, cents: i64) -> bool {
        match &mut self.room {
            Some(room) if *room < cents => false,
            Some(room) => {
                *room -= cents;
                true
            }
            None => true,
        }
    }

    /// A bank-initiated entry (ACH, transfer, fee): on a business day only, stamped at 06:00
    /// local and posted at once. Returns its id.
    pub(super) fn push_ach(&mut self, cents: i64, merchant: &str, description: String, category: Category) -> String {
        debug_assert!(self.business_day(), "ACH on {}", self.date);
        self.push_posted(cents, merchant, description, category)
    }

    /// An entry of the bank's own books (a card's interest, its annual fee), made on any day:
    /// stamped at 06:00 local and posted at once. Returns its id.
    pub(super) fn push_posted(
        &mut self,
        cents: i64,
        merchant: &str,
        description: String,
        category: Category,
    ) -> String {
        let external_id = self.next_id();
        let at = self.at(self.date, ACH_MINUTE);
        self.entries.push(Entry {
            external_id: external_id.clone(),
            date: self.date,
            authorized: at,
            posted: at,
            dropped: false,
            refunded: None,
            cents,
            merchant: merchant.to_owned(),
            description,
            category,
            channel: PaymentChannel::Other,
            location: None,
            refund_of: None,
            counterpart: None,
        });
        external_id
    }

    /// A card or debit purchase at `merchant` for `cents` (positive), authorized in local
    /// business hours and posted one to three days later. Online purchases get an order
    /// reference on the statement line unless they are recurring bills; a booked one (a
    /// flight, a hotel's bill) is never dropped.
    pub(super) fn push_purchase(
        &mut self,
        merchant: &Merchant,
        cents: i64,
        location: Option<Location>,
        kind: Purchase,
    ) {
        let external_id = self.next_id();
        let rng = &mut self.rng;
        let minute = rng.random_range(OPEN_MINUTES);
        let post_lag = rng.random_range(1..=3);
        let holds = matches!(merchant.category, Category::Travel | Category::Transportation)
            && merchant.channel == PaymentChannel::InStore;
        let dropped = kind != Purchase::Booked && rng.random_bool(if holds { 0.12 } else { 0.01 });
        let refund_date = (!dropped && merchant.refundable && rng.random_bool(0.04))
            .then(|| self.date + Days::new(rng.random_range(3..=21)));
        let description = statement_line(rng, merchant, location.as_ref(), kind == Purchase::Recurring);
        let entry = Entry {
            external_id,
            date: self.date,
            authorized: self.at(self.date, minute),
            posted: self.at(self.date + Days::new(post_lag), 5 * 60 + minute % 120),
            dropped,
            refunded: refund_date.map(|date| self.at(date, REFUND_MINUTE)),
            cents: -cents,
            merchant: merchant.name.clone().into_owned(),
            description,
            category: merchant.category,
            channel: merchant.channel,
            location,
            refund_of: None,
            counterpart: None,
        };
        if let Some(date) = refund_date {
            let (made, posted) = (self.at(date, REFUND_MINUTE), self.at(date + Days::new(1), 5 * 60));
            let refund = refund(&entry, self.next_id(), (date, made, posted), &merchant.descriptor);
            self.refunds.push(refund);
        }
        self.entries.push(entry);
    }

    /// Everyday purchases: a Poisson number of them, more dining at weekends; when the
    /// household is away, more travel and dining, at national merchants in the city it visits.
    pub(super) fn everyday_purchases(&mut self) {
        let profile = self.profile;
        if profile.mix.is_empty() {
            return;
        }
        let weekend = matches!(self.date.weekday(), Weekday::Sat | Weekday::Sun);
        let away = profile.household.away_on(self.date);
        let season = seasons::season(self.date, profile.household.family_size);
        let mean = profile.purchases_per_day * if weekend || away.is_some() { 1.25 } else { 1.0 } * season.purchases;
        let count = poisson(&mut self.rng, mean);
        let weight = |category: Category, w: u32| match category {
            Category::FoodAndDrink if weekend || away.is_some() => w * 2,
            Category::Travel if away.is_some() => w * 4,
            Category::Shopping => w * season.shopping,
            _ => w,
        };
        let weights: Vec<u32> = profile.mix.iter().map(|(c, w)| weight(*c, *w)).collect();
        let total: u32 = weights.iter().sum();
        let for_school = season.school && away.is_none();
        for _ in 0..count {
            let slot = by_weight(&mut self.rng, &weights, total);
            let (category, choices, national) = &profile.shops[slot];
            let reach = if away.is_some() { *national } else { choices.len() };
            let merchant = if for_school && *category == Category::Shopping && self.rng.random_bool(0.6) {
                &BACK_TO_SCHOOL[self.rng.random_range(0..BACK_TO_SCHOOL.len())]
            } else {
                &choices[self.rng.random_range(0..reach.max(1))]
            };
            let (lo, hi) = merchant.cents;
            // Skewed towards the low end: most coffees are small, a few are big.
            let u: f64 = self.rng.random();
            let cents = (lo + ((hi - lo) as f64 * u * u).round() as i64).min(profile.largest_purchase_cents).max(lo);
            let city: City = away.unwrap_or(profile.household.city);
            let location = (merchant.channel == PaymentChannel::InStore).then(|| Location {
                city: city.name.to_owned(),
                region: city.state.to_owned(),
                country: "US".to_owned(),
            });
            debug_assert_eq!(*category, merchant.category);
            if self.approves(cents) {
                self.push_purchase(merchant, cents, location, Purchase::Everyday);
            }
        }
    }

    /// Bills due today (a checking account's utilities), debited by ACH on their day or the
    /// business day before; the electric bill follows the month (see [`seasons`]) and varies
    /// by a fifth around that.
    pub(super) fn bills(&mut self) {
        let profile = self.profile;
        for scheduled in &profile.bills {
            if !settles_monthly_on(self.date, scheduled.day_of_month) {
                continue;
            }
            let bill = scheduled.bill;
            let cents = if bill.variable {
                let base = scheduled.cents * seasons::electric_percent(profile.household.city.state, self.date) / 100;
                let swing = base / 5;
                (base + self.rng.random_range(-swing..=swing)).clamp(bill.cents.0, bill.cents.1)
            } else {
                scheduled.cents
            };
            self.push_ach(-cents, bill.name, bill.descriptor.to_owned(), bill.category);
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
        None if recurring => merchant.descriptor.to_string(),
        None => {
            let separator = if merchant.descriptor.ends_with('*') { "" } else { " " };
            format!("{}{separator}{:06X}", merchant.descriptor, rng.random_range(0..0xFF_FFFFu32))
        }
    }
}

/// When refunds are made: 09:00 local.
const REFUND_MINUTE: u32 = 9 * 60;

/// The refund of `purchase` in full, with id `external_id`, made on the local date at the
/// instant given and posted at the other.
fn refund(
    purchase: &Entry,
    external_id: String,
    (date, made, posted): (NaiveDate, DateTime<Utc>, DateTime<Utc>),
    descriptor: &str,
) -> Entry {
    Entry {
        external_id,
        date,
        authorized: made,
        posted,
        dropped: false,
        refunded: None,
        cents: -purchase.cents,
        merchant: purchase.merchant.clone(),
        description: format!("REFUND {}", descriptor.trim_end_matches('*')),
        category: Category::Refund,
        channel: purchase.channel,
        location: purchase.location.clone(),
        refund_of: Some(purchase.external_id.clone()),
        counterpart: None,
    }
}

/// An index of `weights` (which sum to `total`), drawn by weight.
fn by_weight(rng: &mut ChaCha8Rng, weights: &[u32], total: u32) -> usize {
    let mut pick = rng.random_range(0..total.max(1));
    for (index, weight) in weights.iter().enumerate() {
        if pick < *weight {
            return index;
        }
        pick -= weight;
    }
    0
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
