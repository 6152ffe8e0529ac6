//! Accounts: which products a connection holds, and the habits (profile) behind each one's
//! transactions. Everything is drawn from the connection seed, so it can be rebuilt at any time.

use chrono::{Datelike, Months, NaiveDate, Weekday};
use fake::Fake;
use fake::faker::company::en::CompanyName;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use rand::seq::SliceRandom;
use sandbank_domain::account::{AccountSubtype, AccountType};
use sandbank_domain::bank_data::ReportedAccount;
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::transaction::Category;

use crate::catalog::{Product, ProviderSpec};
use crate::merchants::{
    Bill, CITIES, ELECTRIC_BILL, LANDLORDS, MERCHANTS, PAYCHECK_CENTS, RENT_CENTS, SUBSCRIPTIONS, UTILITIES,
    electric_bill,
};
use crate::seed::{self, stream};

/// A bill with its day of the month and (base) amount.
#[derive(Debug, Clone)]
pub(crate) struct ScheduledBill {
    pub bill: Bill,
    pub day_of_month: u32,
    pub cents: i64,
}

/// What drives a card's transactions.
#[derive(Debug, Clone)]
pub(crate) struct CardHabits {
    pub limit_cents: i64,
    /// The balance the holder carries from month to month (paid down to this each month).
    pub carried_cents: i64,
    pub statement_day: u32,
    pub due_after_days: u32,
}

/// What drives a checking account's transactions.
#[derive(Debug, Clone)]
pub(crate) struct CheckingHabits {
    pub employer: String,
    pub first_payday: NaiveDate,
    pub paycheck_cents: i64,
    pub landlord: &'static str,
    pub rent_cents: i64,
    pub rent_day: u32,
    /// What stays in checking; the surplus is swept to savings on the 6th.
    pub buffer_cents: i64,
    pub monthly_fee_cents: i64,
}

/// What drives a savings or investment account's transactions.
#[derive(Debug, Clone)]
pub(crate) struct SavingsHabits {
    pub monthly_deposit_cents: i64,
    pub deposit_day: u32,
    /// Annual yield in basis points (interest or dividends).
    pub yield_bp: i64,
}

/// The kind-specific habits.
#[derive(Debug, Clone)]
pub(crate) enum Habits {
    Card(CardHabits),
    Checking(CheckingHabits),
    Savings(SavingsHabits),
    Investment(SavingsHabits),
}

/// Everything behind one account's transactions.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    /// Seeds this account's streams.
    pub key: u64,
    /// Balance from the holder's side at the start of history (a card's is minus what is owed).
    pub opening_cents: i64,
    pub home: (&'static str, &'static str),
    /// Mean everyday purchases a day.
    pub purchases_per_day: f64,
    /// Category weights for everyday purchases.
    pub mix: &'static [(Category, u32)],
    /// No single everyday purchase above this (a card's limit bounds what people buy with it).
    pub largest_purchase_cents: i64,
    pub bills: Vec<ScheduledBill>,
    pub habits: Habits,
}

/// One simulated account: what the provider reports about it, and the habits behind its data.
#[derive(Debug, Clone)]
pub struct FakeAccount {
    pub(crate) reported: ReportedAccount,
    pub(crate) history_start: NaiveDate,
    pub(crate) profile: Profile,
}

impl FakeAccount {
    /// What the provider reports about the account (name, type, mask, limit…).
    pub fn reported(&self) -> &ReportedAccount {
        &self.reported
    }

    /// The first day of its history.
    pub fn history_start(&self) -> NaiveDate {
        self.history_start
    }
}

use Category as C;

const TRAVEL_MIX: &[(Category, u32)] = &[
    (C::FoodAndDrink, 30),
    (C::Groceries, 12),
    (C::Shopping, 18),
    (C::Travel, 10),
    (C::Transportation, 17),
    (C::Entertainment, 8),
    (C::Health, 5),
];
const CASHBACK_MIX: &[(Category, u32)] = &[
    (C::FoodAndDrink, 25),
    (C::Groceries, 28),
    (C::Shopping, 22),
    (C::Travel, 2),
    (C::Transportation, 13),
    (C::Entertainment, 6),
    (C::Health, 4),
];
const REWARDS_MIX: &[(Category, u32)] = &[
    (C::FoodAndDrink, 36),
    (C::Groceries, 18),
    (C::Shopping, 18),
    (C::Travel, 5),
    (C::Transportation, 12),
    (C::Entertainment, 7),
    (C::Health, 4),
];
const BUSINESS_MIX: &[(Category, u32)] =
    &[(C::FoodAndDrink, 25), (C::Shopping, 32), (C::Travel, 12), (C::Transportation, 26), (C::Entertainment, 5)];
const DEBIT_MIX: &[(Category, u32)] =
    &[(C::FoodAndDrink, 35), (C::Groceries, 30), (C::Shopping, 10), (C::Transportation, 15), (C::Health, 10)];

/// The expected size of one everyday purchase under `mix`, in cents (purchases are drawn as
/// `lo + (hi - lo) * u²`, whose mean is `lo + (hi - lo) / 3`).
fn mean_purchase_cents(mix: &[(Category, u32)]) -> f64 {
    let category_mean = |category: Category| {
        let sizes: Vec<f64> = MERCHANTS
            .iter()
            .filter(|m| m.category == category)
            .map(|m| m.cents.0 as f64 + (m.cents.1 - m.cents.0) as f64 / 3.0)
            .collect();
        sizes.iter().sum::<f64>() / sizes.len().max(1) as f64
    };
    let total: u32 = mix.iter().map(|(_, w)| w).sum();
    mix.iter().map(|(c, w)| category_mean(*c) * f64::from(*w)).sum::<f64>() / f64::from(total.max(1))
}

/// Cents in `lo..=hi`, rounded to whole dollars when `round` is set.
fn cents_between(rng: &mut impl RngExt, (lo, hi): (i64, i64), round_to: i64) -> i64 {
    let cents = rng.random_range(lo..=hi);
    (cents / round_to * round_to).max(lo)
}

/// The products a connection holds: one to three distinct ones, a card first where there is one.
pub(crate) fn choose_products(spec: &ProviderSpec, seed: u64) -> Vec<Product> {
    let mut rng = seed::rng(&[seed, stream::ACCOUNTS]);
    let count = rng.random_range(1..=3usize).min(spec.products.len());
    let mut products = spec.products.to_vec();
    products.shuffle(&mut rng);
    products.truncate(count);
    products.sort_by_key(|p| AccountType::ALL.iter().position(|t| *t == p.account_type));
    products
}

/// What an account's kind and product decide about its data, drawn from its profile stream.
struct Drawn {
    /// Balance from the holder's side at the start of history.
    opening_cents: i64,
    purchases_per_day: f64,
    mix: &'static [(Category, u32)],
    bills: Vec<ScheduledBill>,
    habits: Habits,
    credit_limit: Option<Money>,
}

/// A day of the month in `lo..=hi`.
fn day_of_month(rng: &mut ChaCha8Rng, lo: u32, hi: u32) -> u32 {
    rng.random_range(lo..=hi)
}

/// A card: a limit by product tier, a carried balance, two to five subscriptions, and everyday
/// spending of a plausible share of the limit each month.
fn card(rng: &mut ChaCha8Rng, product: Product) -> Drawn {
    let (lo, hi) = match product.subtype {
        AccountSubtype::Platinum | AccountSubtype::Travel => (10_000_00, 35_000_00),
        AccountSubtype::Business => (8_000_00, 30_000_00),
        _ => (5_000_00, 20_000_00),
    };
    let limit_cents = cents_between(rng, (lo, hi), 500_00);
    let carried_cents = limit_cents * rng.random_range(2..=12) / 100;
    let mix = match product.subtype {
        AccountSubtype::Travel | AccountSubtype::Platinum => TRAVEL_MIX,
        AccountSubtype::Cashback => CASHBACK_MIX,
        AccountSubtype::Business => BUSINESS_MIX,
        _ => REWARDS_MIX,
    };
    let mut subscriptions = SUBSCRIPTIONS.to_vec();
    subscriptions.shuffle(rng);
    let count = rng.random_range(2..=5);
    let bills = schedule(rng, subscriptions.into_iter().take(count), (1, 28));
    let habits = Habits::Card(CardHabits {
        limit_cents,
        carried_cents,
        statement_day: day_of_month(rng, 1, 28),
        due_after_days: day_of_month(rng, 21, 25),
    });
    let credit_limit = Some(Money::from_minor(limit_cents, Currency::USD));
    let monthly_cents = limit_cents as f64 * rng.random_range(0.05..0.12);
    let purchases_per_day = (monthly_cents / 30.4 / mean_purchase_cents(mix)).clamp(0.1, 3.5);
    Drawn { opening_cents: -carried_cents, purchases_per_day, mix, bills, habits, credit_limit }
}

/// Each bill with a day of the month in `days` and its base amount, drawn in turn.
fn schedule(rng: &mut ChaCha8Rng, bills: impl Iterator<Item = Bill>, (lo, hi): (u32, u32)) -> Vec<ScheduledBill> {
    bills
        .map(|bill| ScheduledBill {
            bill,
            day_of_month: day_of_month(rng, lo, hi),
            cents: cents_between(rng, bill.cents, 1),
        })
        .collect()
}

/// A checking account: two or three utilities (electricity priced by the home region), rent on
/// the 1st, a paycheck every other Friday and a buffer above the rent.
fn checking(
    rng: &mut ChaCha8Rng,
    product: Product,
    home: (&'static str, &'static str),
    history_start: NaiveDate,
) -> Drawn {
    let mut utilities = UTILITIES.to_vec();
    utilities.shuffle(rng);
    let count = rng.random_range(2..=3);
    let utilities = utilities
        .into_iter()
        .take(count)
        .map(|bill| if bill.name == ELECTRIC_BILL.name { electric_bill(home.1) } else { bill });
    let bills = schedule(rng, utilities, (5, 25));
    let rent_cents = cents_between(rng, RENT_CENTS, 5_00);
    let weekday_offset =
        (7 + Weekday::Fri.num_days_from_monday() as i64 - history_start.weekday().num_days_from_monday() as i64) % 7;
    let first_payday = history_start + chrono::Days::new((weekday_offset + 7 * rng.random_range(0..2)) as u64);
    let habits = Habits::Checking(CheckingHabits {
        employer: CompanyName().fake_with_rng(rng),
        first_payday,
        paycheck_cents: cents_between(rng, PAYCHECK_CENTS, 1),
        landlord: LANDLORDS[rng.random_range(0..LANDLORDS.len())],
        rent_cents,
        rent_day: 1,
        buffer_cents: rent_cents + cents_between(rng, (800_00, 2_500_00), 100_00),
        monthly_fee_cents: if product.subtype == AccountSubtype::Business { 15_00 } else { 0 },
    });
    let opening_cents = rent_cents + cents_between(rng, (500_00, 4_000_00), 1);
    let purchases_per_day = rng.random_range(0.3..0.9);
    Drawn { opening_cents, purchases_per_day, mix: DEBIT_MIX, bills, habits, credit_limit: None }
}

/// A savings (interest monthly) or investment (dividends quarterly) account: a monthly deposit
/// and no purchases.
fn saving(rng: &mut ChaCha8Rng, product: Product) -> Drawn {
    let (habits, opening) = if product.account_type == AccountType::Investment {
        let habits = SavingsHabits {
            monthly_deposit_cents: cents_between(rng, (200_00, 1_500_00), 50_00),
            deposit_day: 10,
            yield_bp: 140,
        };
        (Habits::Investment(habits), (5_000_00, 120_000_00))
    } else {
        let yield_bp = if product.subtype == AccountSubtype::HighYield { 420 } else { 10 };
        let habits = SavingsHabits {
            monthly_deposit_cents: cents_between(rng, (100_00, 800_00), 50_00),
            deposit_day: day_of_month(rng, 1, 28),
            yield_bp,
        };
        (Habits::Savings(habits), (2_000_00, 40_000_00))
    };
    let opening_cents = cents_between(rng, opening, 1);
    Drawn { opening_cents, purchases_per_day: 0.0, mix: &[], bills: Vec::new(), habits, credit_limit: None }
}

/// Builds the account at `index` of a connection.
pub(crate) fn build(
    spec: &ProviderSpec,
    seed: u64,
    index: usize,
    product: Product,
    history_start: NaiveDate,
) -> FakeAccount {
    let key = seed::combine(&[seed, seed::text(spec.slug), stream::PROFILE, index as u64]);
    let mut rng = seed::rng(&[key]);
    let mask = format!("{:04}", rng.random_range(0..10_000u32));
    let home = CITIES[rng.random_range(0..CITIES.len())];
    let drawn = match product.account_type {
        AccountType::CreditCard => card(&mut rng, product),
        AccountType::Checking => checking(&mut rng, product, home, history_start),
        AccountType::Savings | AccountType::Investment => saving(&mut rng, product),
    };
    let Drawn { opening_cents, purchases_per_day, mix, bills, habits, credit_limit } = drawn;
    let reported = ReportedAccount {
        external_id: format!("acc_{key:016x}"),
        name: product.name.to_owned(),
        official_name: format!("{} {}", spec.name, product.name),
        account_type: product.account_type,
        subtype: product.subtype,
        mask,
        currency: Currency::USD,
        credit_limit,
    };
    let largest_purchase_cents = credit_limit.map_or(i64::MAX, |limit| limit.minor_units() / 20);
    let profile = Profile { key, opening_cents, home, purchases_per_day, mix, largest_purchase_cents, bills, habits };
    FakeAccount { reported, history_start, profile }
}

/// The first day of a connection's history: three to six months before it was linked.
pub(crate) fn history_start(seed: u64, linked_on: NaiveDate) -> NaiveDate {
    let months = seed::rng(&[seed, stream::ACCOUNTS, 1]).random_range(3..=6u32);
    linked_on.checked_sub_months(Months::new(months)).unwrap_or(linked_on)
}
