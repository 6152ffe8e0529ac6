//! The day-by-day simulation. Each day's everyday activity is drawn from its own stream
//! (account, day); the few amounts that follow balances (card payments, savings sweeps,
//! interest) are computed from the simulation's running balance, which starts at the history's
//! first day. So any day range, however split, yields the same rows.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use fake::Fake;
use fake::faker::name::en::Name;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use sandbank_domain::transaction::{Category, Location, PaymentChannel};

use crate::account::{FakeAccount, Habits, Profile};
use crate::merchants::{FEE_CENTS, MERCHANTS, Merchant, ZELLE_CENTS};
use crate::seed::{self, stream};

/// One transaction in the simulation, with what decides its status on any day.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub external_id: String,
    pub date: NaiveDate,
    /// Minutes after midnight (UTC) when it was authorized.
    pub minute: u32,
    /// Days from `date` until it posts (0: posts the same day).
    pub post_lag: u32,
    /// An authorization that never posts: it shows as pending, then disappears.
    pub dropped: bool,
    /// For a purchase that is later refunded: the refund's date.
    pub refund_date: Option<NaiveDate>,
    pub cents: i64,
    pub merchant: String,
    pub description: String,
    pub category: Category,
    pub channel: PaymentChannel,
    pub location: Option<Location>,
    pub refund_of: Option<String>,
}

impl Entry {
    /// The day it posts (or, if dropped, the day it disappears).
    pub fn post_date(&self) -> NaiveDate {
        self.date + Days::new(u64::from(self.post_lag))
    }
}

/// Builds one day's entries, numbering them so each gets a stable id.
struct Day<'a> {
    profile: &'a Profile,
    date: NaiveDate,
    rng: ChaCha8Rng,
    seq: u64,
    entries: Vec<Entry>,
    refunds: Vec<Entry>,
}

impl<'a> Day<'a> {
    fn new(profile: &'a Profile, date: NaiveDate) -> Self {
        let rng = seed::rng(&[profile.key, stream::DAY, seed::day_number(date)]);
        Self { profile, date, rng, seq: 0, entries: Vec::new(), refunds: Vec::new() }
    }

    fn next_id(&mut self) -> String {
        self.seq += 1;
        let hash = seed::combine(&[self.profile.key, seed::day_number(self.date), self.seq]);
        format!("tx_{}_{hash:016x}", self.date.format("%Y%m%d"))
    }

    /// A bank-initiated entry (ACH, transfer, interest) that posts after `post_lag` days.
    fn push_ach(&mut self, cents: i64, merchant: &str, description: String, category: Category, post_lag: u32) {
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
        let description = match &location {
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
        };
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
            let refund_id = self.next_id();
            self.refunds.push(Entry {
                external_id: refund_id,
                date,
                minute: 9 * 60,
                post_lag: 1,
                dropped: false,
                refund_date: None,
                cents,
                merchant: entry.merchant.clone(),
                description: format!("REFUND {}", merchant.descriptor.trim_end_matches('*')),
                category: Category::Refund,
                channel: entry.channel,
                location: entry.location.clone(),
                refund_of: Some(entry.external_id.clone()),
            });
        }
        self.entries.push(entry);
    }

    /// Everyday purchases: a Poisson number of them, more dining at weekends.
    fn everyday_purchases(&mut self) {
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
    fn bills(&mut self) {
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

/// The last day of `date`'s month.
fn is_month_end(date: NaiveDate) -> bool {
    date.succ_opt().is_none_or(|next| next.month() != date.month())
}

/// Every entry of the account dated before `until`, in date order (within a day, in the order
/// they were made). Entries dated before the history are none.
pub(crate) fn simulate(account: &FakeAccount, until: NaiveDate) -> Vec<Entry> {
    let profile = &account.profile;
    let mut entries = Vec::new();
    let mut refunds: BTreeMap<NaiveDate, Vec<Entry>> = BTreeMap::new();
    let mut statements: Vec<(NaiveDate, i64)> = Vec::new();
    let mut balance = profile.opening_cents;
    let mut date = account.history_start;
    while date < until {
        let mut day = Day::new(profile, date);
        match &profile.habits {
            Habits::Card(card) => {
                day.bills();
                day.everyday_purchases();
                let due =
                    statements.iter().find(|(closed, _)| *closed + Days::new(u64::from(card.due_after_days)) == date);
                if let Some((_, owed)) = due {
                    let payment = owed - card.carried_cents;
                    if payment > 0 {
                        day.push_ach(payment, "Payment", "ONLINE PAYMENT - THANK YOU".into(), Category::Transfer, 1);
                    }
                }
            }
            Habits::Checking(checking) => {
                if date >= checking.first_payday && (date - checking.first_payday).num_days() % 14 == 0 {
                    let description = format!("{} PAYROLL PPD", checking.employer.to_uppercase());
                    day.push_ach(checking.paycheck_cents, &checking.employer, description, Category::Income, 0);
                }
                if date.day() == checking.rent_day {
                    let description = format!("{} RENT WEB PMTS", checking.landlord.to_uppercase());
                    day.push_ach(-checking.rent_cents, checking.landlord, description, Category::Housing, 1);
                }
                if date.day() == 1 && checking.monthly_fee_cents > 0 {
                    day.push_ach(
                        -checking.monthly_fee_cents,
                        "Monthly Service Fee",
                        "MONTHLY SERVICE FEE".into(),
                        Category::Fees,
                        0,
                    );
                }
                day.bills();
                day.everyday_purchases();
                if day.rng.random_bool(0.05) {
                    let cents = day.rng.random_range(ZELLE_CENTS.0..=ZELLE_CENTS.1);
                    let person: String = Name().fake_with_rng(&mut day.rng);
                    if day.rng.random_bool(0.6) {
                        day.push_ach(
                            -cents,
                            &person,
                            format!("ZELLE PAYMENT TO {}", person.to_uppercase()),
                            Category::Transfer,
                            0,
                        );
                    } else {
                        day.push_ach(
                            cents,
                            &person,
                            format!("ZELLE PAYMENT FROM {}", person.to_uppercase()),
                            Category::Income,
                            0,
                        );
                    }
                }
                if day.rng.random_bool(0.004) {
                    let cents = day.rng.random_range(FEE_CENTS.0..=FEE_CENTS.1);
                    day.push_ach(-cents, "ATM Fee", "NON-NETWORK ATM FEE".into(), Category::Fees, 0);
                }
                // Keep a buffer: sweep the surplus to savings on the 6th; top up when low.
                if date.day() == 6 && balance > checking.buffer_cents + 100_00 {
                    let cents = (balance - checking.buffer_cents) / 50_00 * 50_00;
                    day.push_ach(-cents, "Transfer to Savings", "ONLINE TRANSFER TO SAV".into(), Category::Transfer, 0);
                } else if balance < 200_00 {
                    let cents = (checking.buffer_cents - balance + 49_99) / 50_00 * 50_00;
                    day.push_ach(
                        cents,
                        "Transfer from Savings",
                        "ONLINE TRANSFER FROM SAV".into(),
                        Category::Transfer,
                        0,
                    );
                }
            }
            Habits::Savings(savings) | Habits::Investment(savings) => {
                let investing = matches!(profile.habits, Habits::Investment(_));
                if date.day() == savings.deposit_day {
                    let (merchant, description) = if investing {
                        ("Automatic Investment", "AUTOMATIC INVESTMENT CONTRIBUTION")
                    } else {
                        ("Transfer from Checking", "ONLINE TRANSFER FROM CHK")
                    };
                    day.push_ach(savings.monthly_deposit_cents, merchant, description.into(), Category::Transfer, 0);
                }
                let pays_yield =
                    if investing { date.day() == 15 && date.month().is_multiple_of(3) } else { is_month_end(date) };
                if pays_yield && balance > 0 {
                    let periods = if investing { 4 } else { 12 };
                    let cents = balance * savings.yield_bp / 10_000 / periods;
                    let (merchant, description) =
                        if investing { ("Dividend", "DIVIDEND RECEIVED") } else { ("Interest", "INTEREST PAYMENT") };
                    if cents > 0 {
                        day.push_ach(cents, merchant, description.into(), Category::Income, 0);
                    }
                }
                if !investing && day.rng.random_bool(0.01) && balance > 2_000_00 {
                    let cents = day.rng.random_range(200_00..=1_500_00);
                    day.push_ach(
                        -cents,
                        "Transfer to Checking",
                        "ONLINE TRANSFER TO CHK".into(),
                        Category::Transfer,
                        0,
                    );
                }
            }
        }
        let Day { entries: made, refunds: later, .. } = day;
        for refund in later {
            refunds.entry(refund.date).or_default().push(refund);
        }
        let today = made.into_iter().chain(refunds.remove(&date).unwrap_or_default());
        for entry in today {
            if !entry.dropped {
                balance += entry.cents;
            }
            entries.push(entry);
        }
        if let Habits::Card(card) = &profile.habits
            && date.day() == card.statement_day
        {
            statements.push((date, -balance));
        }
        date = date + Days::new(1);
    }
    entries
}
