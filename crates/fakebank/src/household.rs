//! The household behind a seed: where it lives, who earns what and when, what it pays for its
//! home, how it spends and saves, and which banks of its catalog (the five built-in ones, unless
//! told otherwise) hold which of its accounts. Every bank connected with the same seed shows its
//! part of this one household.

use std::borrow::Cow;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use fake::Fake;
use fake::faker::address::en::StreetName;
use fake::faker::company::en::CompanyName;
use fake::faker::name::en::LastName;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use rand::seq::SliceRandom;
use sandbank_domain::account::{AccountSubtype, AccountType};
use sandbank_domain::transaction::{Category, PaymentChannel};

use crate::calendar::{business_day_on_or_before, is_business_day, month_end};
use crate::catalog::{Catalog, Product, ProviderSpec};
use crate::merchants::{CITIES, City, GIG_PLATFORMS, HOUSING_CENTS, LANDLORDS, LENDERS, LOCAL_SHAPES, Merchant};
use crate::people::{self, CashHabits, Contact};
use crate::seed::{self, stream};

/// When an earner is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaySchedule {
    /// Every other Friday, counted from `anchor` (a Friday).
    Biweekly {
        /// One of the paydays.
        anchor: NaiveDate,
    },
    /// On the 15th and the last day of the month.
    SemiMonthly,
    /// On the last day of the month.
    Monthly,
    /// Gig work: a payout most weeks on `weekday`, of an amount that varies.
    Gig {
        /// The payout's day of the week.
        weekday: Weekday,
    },
}

impl PaySchedule {
    /// Paychecks a year (payouts, for gig work).
    pub fn periods(self) -> i64 {
        match self {
            Self::Biweekly { .. } => 26,
            Self::SemiMonthly => 24,
            Self::Monthly => 12,
            Self::Gig { .. } => 52,
        }
    }

    /// Whether `date` is a payday before weekends and holidays move it.
    fn nominal(self, date: NaiveDate) -> bool {
        match self {
            Self::Biweekly { anchor } => (date - anchor).num_days().rem_euclid(14) == 0,
            Self::SemiMonthly => date.day() == 15 || date.day() == month_end(date),
            Self::Monthly => date.day() == month_end(date),
            Self::Gig { weekday } => date.weekday() == weekday,
        }
    }

    /// Whether pay arrives on `date`: a payday, moved to the business day before when it falls
    /// on a weekend or a federal holiday.
    pub fn pays_on(self, date: NaiveDate) -> bool {
        is_business_day(date)
            && (0..7u64).map(|k| date + Days::new(k)).any(|n| self.nominal(n) && business_day_on_or_before(n) == date)
    }
}

/// Someone in the household who earns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earner {
    /// Who pays them (an employer, or a gig platform).
    pub payer: String,
    /// The start of the deposit's statement line.
    pub descriptor: String,
    /// When they are paid.
    pub schedule: PaySchedule,
    /// Net pay a year, in cents.
    pub annual_net_cents: i64,
    /// The bank (slug) whose checking account their pay goes to.
    pub bank: String,
}

impl Earner {
    /// Net pay per paycheck (the mean payout, for gig work), in cents.
    pub fn paycheck_cents(&self) -> i64 {
        self.annual_net_cents / self.schedule.periods()
    }
}

/// Whether the household rents or owns its home.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tenure {
    /// Rent to a landlord.
    Rent,
    /// A mortgage to a lender.
    Mortgage,
}

/// The home's monthly payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Housing {
    /// Rent or a mortgage.
    pub tenure: Tenure,
    /// The landlord or lender.
    pub payee: &'static str,
    /// The monthly payment, in cents.
    pub monthly_cents: i64,
}

/// How freely the household spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpendingStyle {
    /// Cooks at home, few trips, little shopping.
    Frugal,
    /// In between.
    Moderate,
    /// Eats out, travels, shops.
    Lavish,
}

impl SpendingStyle {
    /// Spending relative to a moderate household.
    pub(crate) fn scale(self) -> f64 {
        match self {
            Self::Frugal => 0.75,
            Self::Moderate => 1.0,
            Self::Lavish => 1.35,
        }
    }
}

/// How the household pays its cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardPaymentHabit {
    /// The statement balance, every month.
    InFull,
    /// Part of the statement balance.
    Partial,
    /// The minimum payment.
    Minimum,
    /// Part of it, and now and then after the due date.
    SometimesLate,
}

/// How close to the edge the household lives: the cushion it keeps in checking above the
/// month's housing payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// A few hundred dollars.
    Tight,
    /// A month or so of spending.
    Steady,
    /// Several months.
    Comfortable,
}

/// The household a seed chooses.
#[derive(Debug, Clone)]
pub struct Household {
    /// Seeds the household's own streams.
    pub(crate) key: u64,
    /// Where it lives (every account's in-store purchases are made there, trips aside).
    pub city: City,
    /// People in it.
    pub family_size: u32,
    /// One or two earners.
    pub earners: Vec<Earner>,
    /// Rent or a mortgage.
    pub housing: Housing,
    /// How freely it spends.
    pub style: SpendingStyle,
    /// The share of net income it saves, in percent.
    pub savings_percent: u32,
    /// The share of net income it spends on everyday purchases (before its style), in percent.
    pub spending_percent: u32,
    /// How it pays its cards.
    pub card_payments: CardPaymentHabit,
    /// How close to the edge it lives.
    pub edge: Edge,
    /// The bank (slug) holding the checking account the rent or mortgage and utilities are paid
    /// from; the first earner is paid there.
    pub primary_bank: String,
    /// The banks it may hold accounts at.
    pub(crate) catalog: Catalog,
    /// Per category, in percent: how much more or less than usual it spends there.
    pub(crate) tilt: Vec<(Category, u32)>,
    /// Local businesses of its neighbourhood.
    pub(crate) locals: Vec<Merchant>,
    /// The people it pays and is paid by.
    pub contacts: Vec<Contact>,
    /// How it uses cash, and its tax refund.
    pub cash: CashHabits,
}

/// A value of `choices` by weight.
fn weighted<T: Copy>(rng: &mut ChaCha8Rng, choices: &[(T, u32)]) -> T {
    let total: u32 = choices.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0..total.max(1));
    for (value, weight) in choices {
        if pick < *weight {
            return *value;
        }
        pick -= weight;
    }
    choices[0].0
}

impl Household {
    /// The household of `seed` among the five built-in banks.
    pub fn of(seed: u64) -> Self {
        Self::in_catalog(&Catalog::builtin(), seed)
    }

    /// The household of `seed` among the banks of `catalog`.
    pub fn in_catalog(catalog: &Catalog, seed: u64) -> Self {
        let key = seed::combine(&[seed, stream::HOUSEHOLD]);
        let mut rng = seed::rng(&[key]);
        let city = CITIES[rng.random_range(0..CITIES.len())];
        // Net income a year: log-uniform from $22,000 to $240,000.
        let annual = (rng.random_range((22_000f64).ln()..(240_000f64).ln()).exp() * 100.0) as i64;
        let two_earners = rng.random_bool(0.55);
        let family_size =
            if two_earners { rng.random_range(2..=5) } else { weighted(&mut rng, &[(1, 5), (2, 3), (3, 2)]) };
        let style =
            weighted(&mut rng, &[(SpendingStyle::Frugal, 3), (SpendingStyle::Moderate, 5), (SpendingStyle::Lavish, 2)]);
        let primary_bank = primary_bank(&mut rng, catalog);
        let city = holder_city(catalog, &primary_bank).unwrap_or(city);
        let earners = earners(&mut rng, annual, two_earners, key, (catalog, &primary_bank));
        let housing = housing(&mut rng, annual);
        let edge = weighted(&mut rng, &[(Edge::Tight, 3), (Edge::Steady, 5), (Edge::Comfortable, 2)]);
        let savings_percent = match edge {
            Edge::Tight => rng.random_range(0..=3),
            Edge::Steady => rng.random_range(3..=10),
            Edge::Comfortable => rng.random_range(8..=20),
        };
        let card_payments = weighted(
            &mut rng,
            &[
                (CardPaymentHabit::InFull, 4),
                (CardPaymentHabit::Partial, 3),
                (CardPaymentHabit::Minimum, 2),
                (CardPaymentHabit::SometimesLate, 1),
            ],
        );
        let spending_percent = rng.random_range(25..=45);
        let tilt = tilt(&mut rng, style, family_size);
        let locals = locals(&mut rng);
        Self {
            key,
            city,
            family_size,
            earners,
            housing,
            style,
            savings_percent,
            spending_percent,
            card_payments,
            edge,
            primary_bank,
            catalog: catalog.clone(),
            tilt,
            locals,
            contacts: people::contacts(key),
            cash: people::cash_habits(key, annual),
        }
    }

    /// Net income a year, all earners, in cents.
    pub fn annual_income_cents(&self) -> i64 {
        self.earners.iter().map(|e| e.annual_net_cents).sum()
    }

    /// What each of its IRAs may take in a calendar year: the yearly limit ($7,000 a person,
    /// one person an earner) shared among the IRAs it holds.
    pub(crate) fn ira_cap_cents(&self) -> i64 {
        let iras = self.catalog.providers().flat_map(|s| self.holdings(s)).filter(|p| p.subtype == AccountSubtype::Ira);
        let iras = iras.count();
        7_000_00 * self.earners.len() as i64 / iras.max(1) as i64
    }

    /// Net income a month, all earners, in cents.
    pub fn monthly_income_cents(&self) -> i64 {
        self.annual_income_cents() / 12
    }

    /// Everyday spending a month, in cents, over all its cards and debit cards: its spending
    /// share of income, scaled by its style, within what income leaves after the home, bills
    /// and savings.
    pub fn budget_cents(&self) -> f64 {
        let income = self.monthly_income_cents() as f64;
        let wanted = income * f64::from(self.spending_percent) / 100.0 * self.style.scale();
        let saved = income * f64::from(self.savings_percent) / 100.0;
        let left = income - self.housing.monthly_cents as f64 - 400_00.0 - saved;
        wanted.min(left).max(income * 0.1)
    }

    /// The share of its everyday spending made with the account at `index` of `spec`'s
    /// holdings: cards weigh 3, the checking accounts its earners are paid into 2, other
    /// checking accounts 1, the rest nothing.
    pub(crate) fn spending_share(&self, spec: &ProviderSpec, index: usize) -> f64 {
        let weight = |bank: &ProviderSpec, i: usize, product: &Product| match product.account_type {
            AccountType::CreditCard => 3.0,
            AccountType::Checking if !self.paid_into(bank, i).is_empty() || self.pays_the_home(bank, i) => 2.0,
            AccountType::Checking => 1.0,
            _ => 0.0,
        };
        let (mut total, mut this) = (0.0, 0.0);
        for bank in self.catalog.providers() {
            for (i, product) in self.holdings(bank).iter().enumerate() {
                let w = weight(bank, i, product);
                total += w;
                if bank.slug == spec.slug && i == index {
                    this = w;
                }
            }
        }
        if total > 0.0 { this / total } else { 0.0 }
    }

    /// The first seed from `from` whose household (among the banks of
    /// [`Catalog::around`]`(spec)`) holds as many accounts at `spec`'s bank as it can (three, or
    /// every product of a smaller bank) and, where the bank offers checking, banks mainly there: a
    /// busy connection to that bank (what the Plaid API's sandbox items use, so each bank's item
    /// has everyday data, as Plaid's sandbox user has).
    pub fn main_bank_seed(spec: &ProviderSpec, from: u64) -> u64 {
        let catalog = Catalog::around(spec);
        let wanted = spec.products.len().min(3);
        let offers_checking = spec.products.iter().any(|p| p.account_type == AccountType::Checking);
        (from..from.saturating_add(10_000))
            .find(|seed| {
                let household = Self::in_catalog(&catalog, *seed);
                household.holdings(spec).len() >= wanted && (!offers_checking || household.primary_bank == spec.slug)
            })
            .unwrap_or(from)
    }

    /// The products it holds at `spec`'s bank: one to three; the primary bank always holds a
    /// personal checking account. In a fixed order (by account type).
    pub fn holdings(&self, spec: &ProviderSpec) -> Vec<Product> {
        holdings(self.key, &self.primary_bank, spec)
    }

    /// The earners paid into the account at `index` of `spec`'s holdings: into the first
    /// checking account of their bank.
    pub(crate) fn paid_into(&self, spec: &ProviderSpec, index: usize) -> Vec<&Earner> {
        let first_checking = self.holdings(spec).iter().position(|p| p.account_type == AccountType::Checking);
        if first_checking != Some(index) {
            return Vec::new();
        }
        self.earners.iter().filter(|e| e.bank == spec.slug).collect()
    }

    /// Whether the account at `index` of `spec`'s holdings pays the home and the utilities.
    pub(crate) fn pays_the_home(&self, spec: &ProviderSpec, index: usize) -> bool {
        spec.slug == self.primary_bank
            && self.holdings(spec).iter().position(|p| p.account_type == AccountType::Checking) == Some(index)
    }
}

/// The bank holding the household's main checking account: one of the banks with personal
/// checking (a catalog has one).
fn primary_bank(rng: &mut ChaCha8Rng, catalog: &Catalog) -> String {
    let personal = |p: &Product| p.account_type == AccountType::Checking && p.subtype == AccountSubtype::Personal;
    let with_checking: Vec<&ProviderSpec> = catalog.providers().filter(|s| s.products.iter().any(personal)).collect();
    let pick = rng.random_range(0..with_checking.len().max(1));
    with_checking.get(pick).map(|s| s.slug.clone()).unwrap_or_default()
}

/// Where the household lives when its banks say: its main bank's holder city, else the first
/// one named in the catalog (the built-in banks name none).
fn holder_city(catalog: &Catalog, primary: &str) -> Option<City> {
    catalog.provider(primary).and_then(|p| p.holder_city).or_else(|| catalog.providers().find_map(|p| p.holder_city))
}

/// One or two earners sharing `annual` net cents; the first is paid at the primary bank, the
/// second at a bank of their own (one with checking), else also there.
fn earners(rng: &mut ChaCha8Rng, annual: i64, two: bool, key: u64, banks: (&Catalog, &str)) -> Vec<Earner> {
    let (catalog, primary) = banks;
    let first_share = if two { rng.random_range(50..=75) } else { 100 };
    let shares = if two { vec![first_share, 100 - first_share] } else { vec![100] };
    let mut earners = Vec::new();
    for (i, share) in shares.into_iter().enumerate() {
        let (anchor, weekday) = (biweekly_anchor(rng), gig_weekday(rng));
        let schedule = weighted(
            rng,
            &[
                (PaySchedule::Biweekly { anchor }, 45),
                (PaySchedule::SemiMonthly, 25),
                (PaySchedule::Monthly, 12),
                (PaySchedule::Gig { weekday }, 18),
            ],
        );
        let (payer, descriptor) = match schedule {
            PaySchedule::Gig { .. } => {
                let (name, line) = GIG_PLATFORMS[rng.random_range(0..GIG_PLATFORMS.len())];
                (name.to_owned(), line.to_owned())
            }
            _ => {
                let employer: String = CompanyName().fake_with_rng(rng);
                let line = format!("{} PAYROLL PPD", employer.to_uppercase());
                (employer, line)
            }
        };
        let bank = if i == 0 { primary.to_owned() } else { second_bank(catalog, key, primary) };
        earners.push(Earner { payer, descriptor, schedule, annual_net_cents: annual * share / 100, bank });
    }
    earners
}

/// A Friday that is one of a biweekly schedule's paydays.
fn biweekly_anchor(rng: &mut ChaCha8Rng) -> NaiveDate {
    let friday = NaiveDate::from_ymd_opt(2024, 1, 5).unwrap_or_default();
    friday + Days::new(7 * rng.random_range(0..2u64))
}

/// A weekday for gig payouts.
fn gig_weekday(rng: &mut ChaCha8Rng) -> Weekday {
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri][rng.random_range(0..5)]
}

/// The second earner's bank: the first bank after the primary (in catalog order) where the
/// household holds a checking account, else the primary.
fn second_bank(catalog: &Catalog, key: u64, primary: &str) -> String {
    catalog
        .providers()
        .filter(|s| s.slug != primary)
        .find(|s| holdings(key, primary, s).iter().any(|p| p.account_type == AccountType::Checking))
        .map_or(primary, |s| s.slug.as_str())
        .to_owned()
}

/// The products the household of `key`, whose main bank is `primary`, holds at `spec`'s bank
/// (see [`Household::holdings`]).
fn holdings(key: u64, primary: &str, spec: &ProviderSpec) -> Vec<Product> {
    let mut rng = seed::rng(&[key, stream::ACCOUNTS, seed::text(&spec.slug)]);
    let count = rng.random_range(1..=3usize).min(spec.products.len());
    let mut products = spec.products.clone();
    products.shuffle(&mut rng);
    if spec.slug == primary {
        let personal = |p: &Product| p.account_type == AccountType::Checking && p.subtype == AccountSubtype::Personal;
        let checking = products.iter().position(personal).unwrap_or(0);
        products.swap(0, checking);
    }
    products.truncate(count);
    products.sort_by_key(|p| AccountType::ALL.iter().position(|t| *t == p.account_type));
    products
}

/// Rent or a mortgage of 22–38 % of net income (owners more often among higher incomes).
fn housing(rng: &mut ChaCha8Rng, annual: i64) -> Housing {
    let owns = rng.random_bool(if annual > 90_000_00 { 0.6 } else { 0.25 });
    let share = rng.random_range(22..=38);
    let monthly_cents = (annual / 12 * share / 100 / 5_00 * 5_00).clamp(HOUSING_CENTS.0, HOUSING_CENTS.1);
    let (tenure, payees) = if owns { (Tenure::Mortgage, LENDERS) } else { (Tenure::Rent, LANDLORDS) };
    Housing { tenure, payee: payees[rng.random_range(0..payees.len())], monthly_cents }
}

/// How much more or less than usual the household spends in each category (percent): a draw
/// per category, then its style and its size.
fn tilt(rng: &mut ChaCha8Rng, style: SpendingStyle, family_size: u32) -> Vec<(Category, u32)> {
    use Category as C;
    let family = 100 + 20 * (family_size.saturating_sub(1));
    [C::FoodAndDrink, C::Groceries, C::Shopping, C::Travel, C::Transportation, C::Entertainment, C::Health]
        .into_iter()
        .map(|category| {
            let drawn = rng.random_range(50..=150u32);
            let styled = match (style, category) {
                (SpendingStyle::Lavish, C::FoodAndDrink | C::Travel | C::Shopping) => drawn * 3 / 2,
                (SpendingStyle::Frugal, C::Groceries) => drawn * 3 / 2,
                (SpendingStyle::Frugal, C::FoodAndDrink | C::Travel | C::Entertainment) => drawn * 3 / 5,
                _ => drawn,
            };
            let sized = if matches!(category, C::Groceries | C::Health) { styled * family / 100 } else { styled };
            (category, sized.max(1))
        })
        .collect()
}

/// The neighbourhood's local businesses, named with `fake`: one of each shape.
fn locals(rng: &mut ChaCha8Rng) -> Vec<Merchant> {
    LOCAL_SHAPES
        .iter()
        .map(|shape| {
            let word: String =
                if shape.street { StreetName().fake_with_rng(rng) } else { LastName().fake_with_rng(rng) };
            let name = shape.pattern.replace("{}", &word);
            let descriptor: String = name
                .to_uppercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '&')
                .take(22)
                .collect();
            Merchant {
                name: Cow::Owned(name),
                descriptor: Cow::Owned(descriptor.trim_end().to_owned()),
                category: shape.category,
                channel: PaymentChannel::InStore,
                cents: shape.cents,
                refundable: false,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_main_bank_seed_banks_mainly_there_with_enough_accounts() {
        let chase = crate::catalog::provider("chase").expect("chase");
        let seed = Household::main_bank_seed(chase, 56);
        let household = Household::of(seed);
        assert!(seed >= 56 && household.primary_bank == "chase" && household.holdings(chase).len() >= 3, "{seed}");
        assert_eq!(Household::main_bank_seed(chase, seed), seed, "the first such seed from itself is itself");
        for spec in crate::catalog::CATALOG.iter() {
            let seed = Household::main_bank_seed(spec, 10);
            let held = Household::of(seed).holdings(spec).len();
            assert!(held >= spec.products.len().min(3), "{}: seed {seed} holds {held}", spec.slug);
        }
    }

    #[test]
    fn paydays_move_before_weekends_and_holidays() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("date");
        // July 3rd, 2026 (a Friday) is the observed Independence Day: paid on Thursday.
        let anchor = day(7, 3);
        assert!(PaySchedule::Biweekly { anchor }.pays_on(day(7, 2)));
        assert!(!PaySchedule::Biweekly { anchor }.pays_on(day(7, 3)));
        // January 31st, 2026 is a Saturday: the monthly pay comes on Friday the 30th.
        assert!(PaySchedule::Monthly.pays_on(day(1, 30)));
        assert!(PaySchedule::SemiMonthly.pays_on(day(1, 15)));
    }

    #[test]
    fn the_same_seed_is_the_same_household_and_it_has_checking() {
        for seed in 0..50 {
            let household = Household::of(seed);
            assert_eq!(format!("{household:?}"), format!("{:?}", Household::of(seed)));
            let primary = crate::catalog::provider(&household.primary_bank).expect("bank");
            assert!(household.holdings(primary).iter().any(|p| p.account_type == AccountType::Checking));
            assert!((0..3).any(|i| !household.paid_into(primary, i).is_empty()), "seed {seed}");
        }
    }
}
