//! Accounts: the habits (profile) behind each account's transactions, drawn from the household
//! (what it earns, pays and spends) and the account's own stream (limits, bills, balances).
//! Everything is drawn from the connection seed, so it can be rebuilt at any time.

use std::sync::Arc;

use chrono::{Months, NaiveDate};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use rand::seq::SliceRandom;
use sandbank_domain::account::{AccountSubtype, AccountType};
use sandbank_domain::bank_data::ReportedAccount;
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::transaction::Category;

use crate::book::Book;
use crate::catalog::{Product, ProviderSpec};
use crate::household::{CardPaymentHabit, Edge, Household, Housing, PaySchedule};
use crate::merchants::{Bill, ELECTRIC_BILL, MERCHANTS, Merchant, REGIONAL, UTILITIES, electric_bill};
use crate::seed::{self, stream};
use crate::subscriptions::Subscription;

/// A bill with its day of the month and (base) amount.
#[derive(Debug, Clone)]
pub(crate) struct ScheduledBill {
    pub bill: Bill,
    pub day_of_month: u32,
    pub cents: i64,
}

/// What drives a card's transactions: its terms and how the household pays it.
#[derive(Debug, Clone)]
pub(crate) struct CardHabits {
    pub terms: CardTerms,
    pub limit_cents: i64,
    /// The month (1–12) its annual fee is charged in.
    pub anniversary_month: u32,
    pub payments: CardPaymentHabit,
}

/// A card's terms, as its cardholder agreement states them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardTerms {
    /// The day of the month its statements close (1–28).
    pub statement_day: u32,
    /// Days from a statement's close to its payment due date.
    pub due_after_days: u32,
    /// The purchase APR, in basis points (2499 is 24.99 %).
    pub apr_bp: i64,
    /// The yearly fee, in cents (0: none).
    pub annual_fee_cents: i64,
}

/// Pay that arrives in a checking account.
#[derive(Debug, Clone)]
pub(crate) struct Pay {
    pub payer: String,
    pub descriptor: String,
    pub schedule: PaySchedule,
    pub paycheck_cents: i64,
}

/// What drives a checking account's transactions.
#[derive(Debug, Clone)]
pub(crate) struct CheckingHabits {
    /// The earners paid here.
    pub pay: Vec<Pay>,
    /// The rent or mortgage, when it is paid from here (on the 1st).
    pub housing: Option<Housing>,
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
    /// At most this much is deposited in a calendar year (an IRA's share of the household's
    /// contribution limit).
    pub yearly_cap_cents: Option<i64>,
    /// An investment account's holdings and how they are run.
    pub portfolio: Option<Portfolio>,
}

/// What an investment account holds and how it is run.
#[derive(Debug, Clone)]
pub(crate) struct Portfolio {
    /// Indices into the funds the fake bank knows (two to four).
    pub funds: Vec<usize>,
    /// It rebalances in the months whose number leaves this remainder by 3…
    pub rebalance_month: u32,
    /// …on this day of the month.
    pub rebalance_day: u32,
    /// A managed account's yearly advisory fee, in basis points of its worth (0: self-directed).
    pub advisory_fee_bp: i64,
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
    /// The household it belongs to (its home, its trips).
    pub household: Arc<Household>,
    /// Mean everyday purchases a day.
    pub purchases_per_day: f64,
    /// Category weights for everyday purchases.
    pub mix: Vec<(Category, u32)>,
    /// The merchants of each category of the mix; the first `usize` of each are national (the
    /// only ones visited away from home).
    pub shops: Vec<(Category, Vec<Merchant>, usize)>,
    /// No single everyday purchase above this (a card's limit bounds what people buy with it).
    pub largest_purchase_cents: i64,
    /// Bills paid from it by ACH (a checking account's utilities).
    pub bills: Vec<ScheduledBill>,
    /// The household's subscriptions billed to it (see [`crate::subscriptions`]).
    pub subscriptions: Vec<Subscription>,
    /// Whether the household's trips (flights, hotels) are charged to it.
    pub books_trips: bool,
    pub habits: Habits,
}

/// One simulated account: one of its household's accounts in the household's book.
#[derive(Debug, Clone)]
pub struct FakeAccount {
    pub(crate) book: Arc<Book>,
    pub(crate) slot: usize,
}

impl FakeAccount {
    /// What the provider reports about the account (name, type, mask, limit…).
    pub fn reported(&self) -> &ReportedAccount {
        &self.book.accounts[self.slot].reported
    }

    /// The first day of its history.
    pub fn history_start(&self) -> NaiveDate {
        self.book.history_start
    }

    /// A card's terms (none for other accounts).
    pub fn card_terms(&self) -> Option<CardTerms> {
        match &self.profile().habits {
            Habits::Card(card) => Some(card.terms),
            _ => None,
        }
    }

    pub(crate) fn profile(&self) -> &Profile {
        &self.book.accounts[self.slot].profile
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

/// The expected size of one everyday purchase under `mix` at `shops`, in cents (purchases are
/// drawn as `lo + (hi - lo) * u²`, whose mean is `lo + (hi - lo) / 3`).
fn mean_purchase_cents(mix: &[(Category, u32)], shops: &[(Category, Vec<Merchant>, usize)]) -> f64 {
    let category_mean = |category: Category| {
        let sizes: Vec<f64> = shops
            .iter()
            .filter(|(c, _, _)| *c == category)
            .flat_map(|(_, merchants, _)| merchants)
            .map(|m| m.cents.0 as f64 + (m.cents.1 - m.cents.0) as f64 / 3.0)
            .collect();
        sizes.iter().sum::<f64>() / sizes.len().max(1) as f64
    };
    let total: u32 = mix.iter().map(|(_, w)| w).sum();
    mix.iter().map(|(c, w)| category_mean(*c) * f64::from(*w)).sum::<f64>() / f64::from(total.max(1))
}

/// The product's base mix weighed by the household's tilt.
fn household_mix(base: &[(Category, u32)], household: &Household) -> Vec<(Category, u32)> {
    let tilt = |category: Category| household.tilt.iter().find(|(c, _)| *c == category).map_or(100, |(_, t)| *t);
    base.iter().map(|(category, weight)| (*category, (weight * tilt(*category) / 100).max(1))).collect()
}

/// The merchants of each category of `mix`: national ones, then the household's region's
/// chains and its neighbourhood's businesses.
fn shops(mix: &[(Category, u32)], household: &Household) -> Vec<(Category, Vec<Merchant>, usize)> {
    mix.iter()
        .map(|(category, _)| {
            let mut merchants: Vec<Merchant> = MERCHANTS.iter().filter(|m| m.category == *category).cloned().collect();
            let national = merchants.len();
            let regional = REGIONAL.iter().filter(|(r, m)| *r == household.city.region && m.category == *category);
            merchants.extend(regional.map(|(_, m)| m.clone()));
            merchants.extend(household.locals.iter().filter(|m| m.category == *category).cloned());
            (*category, merchants, national)
        })
        .collect()
}

/// Cents in `lo..=hi`, rounded to whole dollars when `round` is set.
fn cents_between(rng: &mut impl RngExt, (lo, hi): (i64, i64), round_to: i64) -> i64 {
    let cents = rng.random_range(lo..=hi);
    (cents / round_to * round_to).max(lo)
}

/// What an account's kind and product decide about its data, drawn from its profile stream.
struct Drawn {
    /// Balance from the holder's side at the start of history.
    opening_cents: i64,
    /// Spending a month, in cents, turned into purchases a day once the mix is known.
    monthly_spend_cents: f64,
    mix: &'static [(Category, u32)],
    bills: Vec<ScheduledBill>,
    habits: Habits,
    credit_limit: Option<Money>,
}

/// A day of the month in `lo..=hi`.
fn day_of_month(rng: &mut ChaCha8Rng, lo: u32, hi: u32) -> u32 {
    rng.random_range(lo..=hi)
}

/// A card: a limit by product tier and the household's income, a carried balance and its
/// `share` of the household's everyday spending (the household's subscriptions and trips are
/// given to its accounts by the book).
fn card(rng: &mut ChaCha8Rng, product: &Product, household: &Household, share: f64) -> Drawn {
    let hi = match product.subtype {
        AccountSubtype::Platinum | AccountSubtype::Travel => 35_000_00,
        AccountSubtype::Business => 30_000_00,
        _ => 20_000_00,
    };
    let drawn = household.annual_income_cents() as f64 * rng.random_range(0.12..0.35);
    // At least ten times its annual fee: nobody pays $695 a year for a $1,000 line.
    let least = (product.annual_fee_cents * 10).max(1_000_00);
    let limit_cents = ((drawn as i64).clamp(least, hi.max(least)) / 500_00 * 500_00).max(least);
    // A product of one's own may say what its limits are.
    let limit_cents = product.credit_limit_cents.map_or(limit_cents, |range| cents_between(rng, range, 100_00));
    let mix = match product.subtype {
        AccountSubtype::Travel | AccountSubtype::Platinum => TRAVEL_MIX,
        AccountSubtype::Cashback => CASHBACK_MIX,
        AccountSubtype::Business => BUSINESS_MIX,
        _ => REWARDS_MIX,
    };
    let terms = CardTerms {
        statement_day: day_of_month(rng, 1, 28),
        due_after_days: day_of_month(rng, 21, 25),
        apr_bp: rng.random_range(20_24..=29_24),
        annual_fee_cents: product.annual_fee_cents,
    };
    let payments = household.card_payments;
    let anniversary_month = day_of_month(rng, 1, 12);
    let habits = Habits::Card(CardHabits { terms, limit_cents, anniversary_month, payments });
    let credit_limit = Some(Money::from_minor(limit_cents, Currency::USD));
    // Its share of the household's spending, within a fifth of its limit a month.
    let monthly_spend_cents = (household.budget_cents() * share).min(limit_cents as f64 / 5.0);
    // Owed at the start: a month of spending, and for a household that revolves, a balance
    // it carries.
    let revolving = match payments {
        CardPaymentHabit::InFull => 0,
        _ => limit_cents * rng.random_range(5..=35) / 100,
    };
    let opening_cents = -(monthly_spend_cents as i64 + revolving);
    Drawn { opening_cents, monthly_spend_cents, mix, bills: Vec::new(), habits, credit_limit }
}

/// Each bill with a day of the month in `days` and its base amount, drawn in turn (a variable
/// bill's from the middle of its range, leaving room for the seasons).
fn schedule(rng: &mut ChaCha8Rng, bills: impl Iterator<Item = Bill>, (lo, hi): (u32, u32)) -> Vec<ScheduledBill> {
    bills
        .map(|bill| {
            let (least, most) = bill.cents;
            let base = if bill.variable { (least * 2, most / 2) } else { (least, most) };
            ScheduledBill { bill, day_of_month: day_of_month(rng, lo, hi), cents: cents_between(rng, base, 1) }
        })
        .collect()
}

/// Where a checking account stands in its household: who is paid into it, whether it pays the
/// home and the utilities.
struct CheckingRole<'a> {
    pay: Vec<&'a crate::household::Earner>,
    pays_the_home: bool,
    /// Its share of the household's everyday spending.
    share: f64,
}

/// A checking account: its earners' pay; for the household's main one, the rent or mortgage on
/// the 1st and two or three utilities (electricity priced by the home state); its share of the
/// household's everyday spending by debit card; a cushion above the housing payment, by how
/// close to the edge the household lives.
fn checking(rng: &mut ChaCha8Rng, product: &Product, household: &Household, role: &CheckingRole<'_>) -> Drawn {
    let mut utilities = UTILITIES.to_vec();
    utilities.shuffle(rng);
    let count = if role.pays_the_home { rng.random_range(2..=3) } else { 0 };
    let state = household.city.state;
    let utilities = utilities
        .into_iter()
        .take(count)
        .map(|bill| if bill.name == ELECTRIC_BILL.name { electric_bill(state) } else { bill });
    let bills = schedule(rng, utilities, (5, 25));
    let housing = role.pays_the_home.then_some(household.housing);
    let housing_cents = housing.map_or(0, |h| h.monthly_cents);
    let cushion = match household.edge {
        Edge::Tight => (150_00, 500_00),
        Edge::Steady => (800_00, 2_500_00),
        Edge::Comfortable => (3_000_00, 9_000_00),
    };
    let buffer_cents = housing_cents + cents_between(rng, cushion, 50_00);
    let pay: Vec<Pay> = role
        .pay
        .iter()
        .map(|e| Pay {
            payer: e.payer.clone(),
            descriptor: e.descriptor.clone(),
            schedule: e.schedule,
            paycheck_cents: e.paycheck_cents(),
        })
        .collect();
    let habits = Habits::Checking(CheckingHabits {
        pay,
        housing,
        buffer_cents,
        monthly_fee_cents: if product.subtype == AccountSubtype::Business { 15_00 } else { 0 },
    });
    let opening_cents = buffer_cents + cents_between(rng, (100_00, 1_500_00), 1);
    let monthly_spend_cents = household.budget_cents() * role.share;
    Drawn { opening_cents, monthly_spend_cents, mix: DEBIT_MIX, bills, habits, credit_limit: None }
}

/// A savings (interest monthly) or investment (dividends quarterly) account: a monthly deposit
/// of the household's savings habit (an IRA's within the annual limit) and no purchases; an
/// opening balance of some months of income, more for a comfortable household.
fn saving(rng: &mut ChaCha8Rng, product: &Product, household: &Household) -> Drawn {
    let monthly = household.monthly_income_cents();
    let saved = monthly * i64::from(household.savings_percent) / 100;
    let months = match household.edge {
        Edge::Tight => rng.random_range(0.3..1.0),
        Edge::Steady => rng.random_range(1.0..4.0),
        Edge::Comfortable => rng.random_range(4.0..12.0),
    };
    let opening_cents = ((monthly as f64 * months) as i64).max(300_00);
    let habits = if product.account_type == AccountType::Investment {
        let yearly_cap_cents = (product.subtype == AccountSubtype::Ira).then(|| household.ira_cap_cents());
        let habits = SavingsHabits {
            monthly_deposit_cents: saved / 2 / 50_00 * 50_00,
            deposit_day: 10,
            yield_bp: 140,
            yearly_cap_cents,
            portfolio: Some(portfolio(rng)),
        };
        Habits::Investment(habits)
    } else {
        let yield_bp = if product.subtype == AccountSubtype::HighYield { 420 } else { 10 };
        let habits = SavingsHabits {
            monthly_deposit_cents: saved / 2 / 50_00 * 50_00,
            deposit_day: day_of_month(rng, 1, 28),
            yield_bp,
            yearly_cap_cents: None,
            portfolio: None,
        };
        Habits::Savings(habits)
    };
    Drawn { opening_cents, monthly_spend_cents: 0.0, mix: &[], bills: Vec::new(), habits, credit_limit: None }
}

/// Two to four funds, a quarterly rebalance day, and for two accounts in five an advisory fee.
fn portfolio(rng: &mut ChaCha8Rng) -> Portfolio {
    let mut funds: Vec<usize> = (0..crate::ledger::FUND_COUNT).collect();
    funds.shuffle(rng);
    funds.truncate(rng.random_range(2..=4));
    let advisory_fee_bp = if rng.random_bool(0.4) { rng.random_range(25..=100) } else { 0 };
    Portfolio {
        funds,
        rebalance_month: rng.random_range(0..3),
        rebalance_day: day_of_month(rng, 2, 20),
        advisory_fee_bp,
    }
}

/// Builds the account at `index` of the household's holdings at `spec`'s bank: what the bank
/// reports about it and the habits behind its data.
pub(crate) fn build(
    spec: &ProviderSpec,
    household: &Arc<Household>,
    index: usize,
    product: &Product,
) -> (ReportedAccount, Profile) {
    let key = seed::combine(&[household.key, seed::text(&spec.slug), stream::PROFILE, index as u64]);
    let mut rng = seed::rng(&[key]);
    let mask = format!("{:04}", rng.random_range(0..10_000u32));
    let share = household.spending_share(spec, index);
    let drawn = match product.account_type {
        AccountType::CreditCard => card(&mut rng, product, household, share),
        AccountType::Checking => {
            let role = CheckingRole {
                pay: household.paid_into(spec, index),
                pays_the_home: household.pays_the_home(spec, index),
                share,
            };
            checking(&mut rng, product, household, &role)
        }
        AccountType::Savings | AccountType::Investment => saving(&mut rng, product, household),
    };
    let Drawn { opening_cents, monthly_spend_cents, mix, bills, habits, credit_limit } = drawn;
    let opening_cents = opening_of(&mut rng, product, opening_cents);
    let reported = ReportedAccount {
        external_id: format!("acc_{key:016x}"),
        name: product.name.clone(),
        official_name: format!("{} {}", spec.name, product.name),
        account_type: product.account_type,
        subtype: product.subtype,
        mask,
        currency: Currency::USD,
        credit_limit,
    };
    let largest_purchase_cents = credit_limit.map_or(i64::MAX, |limit| limit.minor_units() / 20);
    let mix = household_mix(mix, household);
    let shops = shops(&mix, household);
    let purchases_per_day = if mix.is_empty() {
        0.0
    } else {
        (monthly_spend_cents / 30.4 / mean_purchase_cents(&mix, &shops)).clamp(0.03, 4.0)
    };
    let household = Arc::clone(household);
    let profile = Profile {
        key,
        opening_cents,
        household,
        purchases_per_day,
        mix,
        shops,
        largest_purchase_cents,
        bills,
        subscriptions: Vec::new(),
        books_trips: false,
        habits,
    };
    (reported, profile)
}

/// The balance an account opens its history with: `drawn`, or for a product that says what it
/// is, a draw in its range (a card's is what is owed, so the holder's side is below zero).
fn opening_of(rng: &mut ChaCha8Rng, product: &Product, drawn: i64) -> i64 {
    let Some(range) = product.opening_balance_cents else { return drawn };
    let cents = cents_between(rng, range, 1);
    if product.account_type == AccountType::CreditCard { -cents } else { cents }
}

/// The first day of a connection's history: three to six months before it was linked.
pub(crate) fn history_start(seed: u64, linked_on: NaiveDate) -> NaiveDate {
    let months = seed::rng(&[seed, stream::ACCOUNTS, 1]).random_range(3..=6u32);
    linked_on.checked_sub_months(Months::new(months)).unwrap_or(linked_on)
}
