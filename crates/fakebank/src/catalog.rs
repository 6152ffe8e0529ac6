//! The provider catalog: the simulated banks, their products and their brand marks. A provider
//! is a plain value ([`ProviderSpec`], made with [`ProviderSpec::builder`]); a [`Catalog`] is the
//! set of banks a household may hold accounts at. The five built-in banks are built here with
//! the same builder a user's own provider is.

use std::fmt;
use std::ops::RangeInclusive;
use std::sync::{Arc, LazyLock};

use chrono::NaiveDate;
use sandbank_domain::account::{AccountSubtype as Sub, AccountType as Type};

use crate::FakeBank;
use crate::household::Household;
use crate::merchants::{CITIES, City};

/// Why a provider or a catalog cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// The slug is empty or holds something other than lower-case letters, digits and `-`.
    #[error("slug {0:?}: use lower-case letters, digits and '-'")]
    Slug(String),
    /// The id is not a UUID.
    #[error("provider {slug}: id {id:?} is not a UUID")]
    Id {
        /// The provider.
        slug: String,
        /// The id given.
        id: String,
    },
    /// A provider with no product, or a product with no name.
    #[error("provider {0}: every provider needs at least one product, and every product a name")]
    Products(String),
    /// A product whose subtype is not one of its type's.
    #[error("product {product}: {subtype} is not a subtype of {account_type}")]
    Subtype {
        /// The product.
        product: String,
        /// Its type.
        account_type: Type,
        /// Its subtype.
        subtype: Sub,
    },
    /// A range that is empty or below zero, or a credit limit on an account that is not a card.
    #[error("product {0}: a range must be non-empty and not below zero, and only cards have a credit limit")]
    Range(String),
    /// A holder's city the generator does not know.
    #[error("unknown city {0:?} (one of merchants::CITIES)")]
    City(String),
    /// Two providers of a catalog share a slug or an id.
    #[error("two providers share the slug or id of {0}")]
    Duplicate(String),
    /// No provider of a catalog offers a personal checking account, where pay arrives.
    #[error("no provider of the catalog offers a personal checking account")]
    NoChecking,
}

/// One product a provider offers, e.g. Chase Sapphire Preferred®.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// Short display name.
    pub name: String,
    /// Kind of account.
    pub account_type: Type,
    /// Finer kind.
    pub subtype: Sub,
    /// A card's yearly fee, in cents (0: none).
    pub annual_fee_cents: i64,
    /// The balance an account of it opens its history with, in cents (a card's: what is owed),
    /// drawn in this range; `None`: from the household's means and habits.
    pub opening_balance_cents: Option<(i64, i64)>,
    /// A card's credit limit, in cents, drawn in this range; `None`: by the card's tier and the
    /// household's income.
    pub credit_limit_cents: Option<(i64, i64)>,
}

impl Product {
    /// A product with no fee, whose balance and limit the household decides.
    pub fn new(name: impl Into<String>, account_type: Type, subtype: Sub) -> Self {
        Self {
            name: name.into(),
            account_type,
            subtype,
            annual_fee_cents: 0,
            opening_balance_cents: None,
            credit_limit_cents: None,
        }
    }

    /// A credit card with a yearly fee of `annual_fee_cents`.
    pub fn card(name: impl Into<String>, subtype: Sub, annual_fee_cents: i64) -> Self {
        Self { annual_fee_cents, ..Self::new(name, Type::CreditCard, subtype) }
    }

    /// The same, opening its history with a balance in `cents` (a card's: what is owed).
    pub fn with_opening_balance(self, cents: RangeInclusive<i64>) -> Self {
        Self { opening_balance_cents: Some((*cents.start(), *cents.end())), ..self }
    }

    /// The same card, with a credit limit in `cents`.
    pub fn with_credit_limit(self, cents: RangeInclusive<i64>) -> Self {
        Self { credit_limit_cents: Some((*cents.start(), *cents.end())), ..self }
    }

    /// Its problem, if it has one.
    fn check(&self) -> Result<(), CatalogError> {
        if self.name.is_empty() {
            return Err(CatalogError::Products(String::new()));
        }
        if !self.account_type.subtypes().contains(&self.subtype) {
            let (account_type, subtype) = (self.account_type, self.subtype);
            return Err(CatalogError::Subtype { product: self.name.clone(), account_type, subtype });
        }
        let bad = |range: Option<(i64, i64)>| range.is_some_and(|(lo, hi)| lo < 0 || hi < lo);
        let limit_off_card = self.credit_limit_cents.is_some() && self.account_type != Type::CreditCard;
        if bad(self.opening_balance_cents) || bad(self.credit_limit_cents) || limit_off_card {
            return Err(CatalogError::Range(self.name.clone()));
        }
        Ok(())
    }
}

/// A simulated bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderSpec {
    /// Fixed id (a UUID), the same in every installation.
    pub id: String,
    /// URL-safe short name.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// The letters of its logo monogram.
    pub monogram: String,
    /// Brand colour (CSS hex) of its logo.
    pub brand_color: String,
    /// What it offers.
    pub products: Vec<Product>,
    /// What its checking accounts charge for an overdraft or a returned item, in cents (0: none).
    pub overdraft_fee_cents: i64,
    /// How a payment to one of its cards reads on the paying checking account's statement.
    pub card_payment_line: String,
    /// Where its account holders live: a household whose main bank this is (or, when its main
    /// bank names no city, the first bank naming one where it holds an account) lives here.
    /// `None`: a city drawn from the seed.
    pub holder_city: Option<City>,
}

impl ProviderSpec {
    /// A provider with this slug and name, to be given products.
    pub fn builder(slug: impl Into<String>, name: impl Into<String>) -> ProviderBuilder {
        let (slug, name) = (slug.into(), name.into());
        let monogram: String = name.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect();
        let spec = ProviderSpec {
            id: id_of(&slug),
            card_payment_line: format!("{} CARD PAYMENT", name.to_uppercase()),
            monogram: monogram.to_uppercase(),
            brand_color: "#445566".into(),
            slug,
            name,
            products: Vec::new(),
            overdraft_fee_cents: 0,
            holder_city: None,
        };
        ProviderBuilder { spec, city: None }
    }

    /// The account types among its products, in a fixed order, without repeats.
    pub fn supported_account_types(&self) -> Vec<Type> {
        Type::ALL.iter().copied().filter(|t| self.products.iter().any(|p| p.account_type == *t)).collect()
    }

    /// Whether it offers a personal checking account.
    fn offers_personal_checking(&self) -> bool {
        self.products.iter().any(|p| p.account_type == Type::Checking && p.subtype == Sub::Personal)
    }

    /// Its problem, if it has one.
    fn check(&self) -> Result<(), CatalogError> {
        let url_safe = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        if self.slug.is_empty() || !self.slug.chars().all(url_safe) {
            return Err(CatalogError::Slug(self.slug.clone()));
        }
        if !is_uuid(&self.id) {
            return Err(CatalogError::Id { slug: self.slug.clone(), id: self.id.clone() });
        }
        if self.products.is_empty() {
            return Err(CatalogError::Products(self.slug.clone()));
        }
        self.products.iter().try_for_each(Product::check)
    }
}

/// A stable UUID-shaped id for a slug (version 8, from two FNV-1a hashes of it).
fn id_of(slug: &str) -> String {
    let hash = |offset: u64| slug.bytes().fold(offset, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let (a, b) = (hash(0xcbf2_9ce4_8422_2325), hash(0x6c62_272e_07bb_0142));
    format!(
        "{:08x}-{:04x}-8{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0x0fff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

/// Whether `text` is a UUID in its hyphenated form.
fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() })
}

/// Builds a [`ProviderSpec`]: [`ProviderSpec::builder`], then what differs from the defaults (an
/// id derived from the slug, a monogram from the name's initials, a grey brand colour, no
/// overdraft fee, `NAME CARD PAYMENT` on a card payment), then [`ProviderBuilder::build`].
#[derive(Debug, Clone)]
pub struct ProviderBuilder {
    spec: ProviderSpec,
    city: Option<String>,
}

impl ProviderBuilder {
    /// Its fixed id, a UUID.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.spec.id = id.into();
        self
    }

    /// Its logo: monogram letters and a CSS hex colour.
    pub fn logo(mut self, monogram: impl Into<String>, brand_color: impl Into<String>) -> Self {
        self.spec.monogram = monogram.into();
        self.spec.brand_color = brand_color.into();
        self
    }

    /// One more product.
    pub fn product(mut self, product: Product) -> Self {
        self.spec.products.push(product);
        self
    }

    /// What its checking accounts charge for an overdraft or a returned item, in cents.
    pub fn overdraft_fee_cents(mut self, cents: i64) -> Self {
        self.spec.overdraft_fee_cents = cents;
        self
    }

    /// How a payment to one of its cards reads on the paying account's statement.
    pub fn card_payment_line(mut self, line: impl Into<String>) -> Self {
        self.spec.card_payment_line = line.into();
        self
    }

    /// Where its account holders live: one of [`CITIES`] by name, e.g. `"Denver"`.
    pub fn holder_city(mut self, name: impl Into<String>) -> Self {
        self.city = Some(name.into());
        self
    }

    /// The provider, or why it cannot be one.
    pub fn build(self) -> Result<ProviderSpec, CatalogError> {
        let mut spec = self.spec;
        if let Some(name) = self.city {
            spec.holder_city = Some(*CITIES.iter().find(|c| c.name == name).ok_or(CatalogError::City(name))?);
        }
        spec.check()?;
        Ok(spec)
    }
}

/// The banks a household may hold accounts at (a seed is one household: every bank of its
/// catalog shows its part of it). Cheap to clone.
#[derive(Clone, PartialEq, Eq)]
pub struct Catalog {
    providers: Arc<[Arc<ProviderSpec>]>,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.providers.iter().map(|p| &p.slug)).finish()
    }
}

impl Catalog {
    /// A catalog of these providers, in this order: each valid, no two sharing a slug or an id,
    /// and at least one offering a personal checking account (where pay arrives).
    pub fn new(providers: Vec<ProviderSpec>) -> Result<Self, CatalogError> {
        for (i, spec) in providers.iter().enumerate() {
            spec.check()?;
            if providers[..i].iter().any(|p| p.slug == spec.slug || p.id == spec.id) {
                return Err(CatalogError::Duplicate(spec.slug.clone()));
            }
        }
        if !providers.iter().any(ProviderSpec::offers_personal_checking) {
            return Err(CatalogError::NoChecking);
        }
        Ok(Self { providers: providers.into_iter().map(Arc::new).collect() })
    }

    /// The five built-in banks.
    pub fn builtin() -> Self {
        BUILTIN.clone()
    }

    /// The catalog `spec` belongs to: the built-in one when `spec` is one of its banks, else
    /// the built-in banks and `spec` (after them, in place of a built-in bank of its slug).
    pub fn around(spec: &ProviderSpec) -> Self {
        Self::placing(spec).0
    }

    /// [`Catalog::around`], and `spec` in it.
    pub(crate) fn placing(spec: &ProviderSpec) -> (Self, Arc<ProviderSpec>) {
        let builtin = Self::builtin();
        if let Some(found) = builtin.providers.iter().find(|p| ***p == *spec) {
            let found = Arc::clone(found);
            return (builtin, found);
        }
        let spec = Arc::new(spec.clone());
        let others = builtin.providers.iter().filter(|p| p.slug != spec.slug && p.id != spec.id).cloned();
        (Self { providers: others.chain([Arc::clone(&spec)]).collect() }, spec)
    }

    /// The bank with this slug, for a connection with `seed` linked on `linked_on`.
    pub fn bank(&self, slug: &str, seed: u64, linked_on: NaiveDate) -> Option<FakeBank> {
        let spec = self.providers.iter().find(|p| p.slug == slug)?;
        Some(FakeBank::in_catalog(self.clone(), Arc::clone(spec), seed, linked_on))
    }

    /// The household of `seed` among these banks.
    pub fn household(&self, seed: u64) -> Household {
        Household::in_catalog(self, seed)
    }

    /// Its providers, in order.
    pub fn providers(&self) -> impl ExactSizeIterator<Item = &ProviderSpec> {
        self.providers.iter().map(|p| &**p)
    }

    /// The provider with this slug.
    pub fn provider(&self, slug: &str) -> Option<&ProviderSpec> {
        self.providers().find(|p| p.slug == slug)
    }

    /// Its providers, shared.
    pub(crate) fn shared(&self) -> &[Arc<ProviderSpec>] {
        &self.providers
    }
}

/// The built-in banks, built once.
static BUILTIN: LazyLock<Catalog> =
    LazyLock::new(|| Catalog { providers: builtin().into_iter().map(Arc::new).collect() });

/// Every built-in provider, in order (the providers of [`Catalog::builtin`]).
pub static CATALOG: LazyLock<Vec<ProviderSpec>> = LazyLock::new(|| BUILTIN.providers().cloned().collect());

/// The built-in provider with this slug.
pub fn provider(slug: &str) -> Option<&'static ProviderSpec> {
    CATALOG.iter().find(|p| p.slug == slug)
}

/// A built-in bank: its id is `6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a0<n>`.
fn bank(n: u8, slug: &str, name: &str, logo: (&str, &str)) -> ProviderBuilder {
    ProviderSpec::builder(slug, name).id(format!("6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a0{n}")).logo(logo.0, logo.1)
}

/// A card with a yearly fee of `dollars`.
fn card(name: &str, subtype: Sub, dollars: i64) -> Product {
    Product::card(name, subtype, dollars * 100)
}

/// The five built-in banks, built as any provider is.
fn builtin() -> Vec<ProviderSpec> {
    let p = Product::new;
    [
        bank(1, "amex", "American Express", ("AX", "#006FCF"))
            .product(card("Platinum Card®", Sub::Platinum, 695))
            .product(card("Gold Card", Sub::Rewards, 325))
            .product(card("Blue Cash Preferred®", Sub::Cashback, 95))
            .product(card("Business Platinum Card®", Sub::Business, 695))
            .product(card("Delta SkyMiles® Gold Card", Sub::Travel, 150))
            .product(p("High Yield Savings", Type::Savings, Sub::HighYield))
            .card_payment_line("AMEX EPAYMENT ACH PMT"),
        bank(2, "chase", "Chase", ("CH", "#117ACA"))
            .product(card("Sapphire Preferred®", Sub::Travel, 95))
            .product(card("Sapphire Reserve®", Sub::Travel, 795))
            .product(card("Freedom Unlimited®", Sub::Cashback, 0))
            .product(card("Freedom Flex®", Sub::Rewards, 0))
            .product(card("Ink Business Preferred®", Sub::Business, 95))
            .product(p("Total Checking®", Type::Checking, Sub::Personal))
            .product(p("Business Complete Checking®", Type::Checking, Sub::Business))
            .product(p("Chase Savings℠", Type::Savings, Sub::Personal))
            .overdraft_fee_cents(34_00)
            .card_payment_line("CHASE CREDIT CRD AUTOPAY"),
        bank(3, "bank-of-america", "Bank of America", ("BA", "#E31837"))
            .product(card("Customized Cash Rewards", Sub::Cashback, 0))
            .product(card("Travel Rewards", Sub::Travel, 0))
            .product(card("Premium Rewards®", Sub::Rewards, 95))
            .product(p("Advantage Plus Banking®", Type::Checking, Sub::Personal))
            .product(p("Business Advantage Fundamentals™", Type::Checking, Sub::Business))
            .product(p("Advantage Savings", Type::Savings, Sub::Personal))
            .product(p("Merrill Edge® Self-Directed", Type::Investment, Sub::Brokerage))
            .product(p("Merrill Edge® Roth IRA", Type::Investment, Sub::Ira))
            .overdraft_fee_cents(10_00)
            .card_payment_line("BK OF AMER VISA ONLINE PMT"),
        bank(4, "wells-fargo", "Wells Fargo", ("WF", "#D71E28"))
            .product(card("Active Cash® Card", Sub::Cashback, 0))
            .product(card("Autograph℠ Card", Sub::Rewards, 0))
            .product(p("Everyday Checking", Type::Checking, Sub::Personal))
            .product(p("Initiate Business Checking℠", Type::Checking, Sub::Business))
            .product(p("Way2Save® Savings", Type::Savings, Sub::Personal))
            .product(p("Platinum Savings", Type::Savings, Sub::HighYield))
            .product(p("WellsTrade® Brokerage", Type::Investment, Sub::Brokerage))
            .product(p("Traditional IRA", Type::Investment, Sub::Ira))
            .overdraft_fee_cents(35_00)
            .card_payment_line("WF CREDIT CARD AUTO PAY"),
        bank(5, "capital-one", "Capital One", ("C1", "#004977"))
            .product(card("Venture Rewards", Sub::Travel, 95))
            .product(card("Venture X", Sub::Platinum, 395))
            .product(card("Quicksilver", Sub::Cashback, 0))
            .product(card("Savor", Sub::Rewards, 0))
            .product(card("Spark Cash Plus", Sub::Business, 150))
            .product(p("360 Checking®", Type::Checking, Sub::Personal))
            .product(p("360 Performance Savings™", Type::Savings, Sub::HighYield))
            .card_payment_line("CAPITAL ONE MOBILE PMT"),
    ]
    .into_iter()
    .map(|builder| builder.build().unwrap_or_else(|error| panic!("the built-in catalog is valid (tested): {error}")))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_is_well_formed() {
        let slugs: Vec<_> = CATALOG.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs, ["amex", "chase", "bank-of-america", "wells-fargo", "capital-one"]);
        for spec in CATALOG.iter() {
            assert!(spec.id.parse::<sandbank_domain::ProviderId>().is_ok(), "{}", spec.slug);
            assert_eq!(spec.check(), Ok(()));
        }
        assert_eq!(provider("amex").map(|p| p.supported_account_types()), Some(vec![Type::CreditCard, Type::Savings]));
        assert_eq!(Catalog::new(CATALOG.clone()), Ok(Catalog::builtin()), "the same checks as any catalog");
        assert_eq!(Catalog::around(&CATALOG[2]), Catalog::builtin());
    }

    #[test]
    fn a_provider_of_ones_own_gets_defaults_and_is_checked() {
        let name = String::from("Cascade Credit Union");
        let spec = ProviderSpec::builder("cascade-cu", name.clone())
            .product(Product::new("Share Checking", Type::Checking, Sub::Personal))
            .build()
            .expect("valid");
        assert_eq!((spec.monogram.as_str(), spec.name), ("CC", name));
        assert!(spec.id.parse::<sandbank_domain::ProviderId>().is_ok(), "{}", spec.id);
        assert_eq!(spec.id, id_of("cascade-cu"), "the same id for the same slug");
        let builder = || ProviderSpec::builder("cu", "CU");
        assert_eq!(builder().build(), Err(CatalogError::Products("cu".into())));
        assert_eq!(
            ProviderSpec::builder("Bad Slug", "x").product(Product::new("a", Type::Savings, Sub::Personal)).build(),
            Err(CatalogError::Slug("Bad Slug".into()))
        );
        let wrong = Product::new("Odd", Type::Savings, Sub::Platinum);
        assert!(matches!(builder().product(wrong).build(), Err(CatalogError::Subtype { .. })));
        let empty =
            Product { opening_balance_cents: Some((10, 5)), ..Product::new("Empty", Type::Savings, Sub::Personal) };
        assert_eq!(builder().product(empty).build(), Err(CatalogError::Range("Empty".into())));
        let limited = Product::new("Limited", Type::Savings, Sub::Personal).with_credit_limit(1..=5);
        assert_eq!(builder().product(limited).build(), Err(CatalogError::Range("Limited".into())));
        assert_eq!(builder().holder_city("Atlantis").build(), Err(CatalogError::City("Atlantis".into())));
        assert_eq!(
            builder().id("nope").product(Product::card("C", Sub::Rewards, 0)).build().map(|_| ()),
            Err(CatalogError::Id { slug: "cu".into(), id: "nope".into() })
        );
    }

    #[test]
    fn a_catalog_has_distinct_banks_and_somewhere_to_be_paid() {
        let cards = ProviderSpec::builder("cards", "Cards Only")
            .product(Product::card("Card", Sub::Cashback, 0))
            .build()
            .expect("valid");
        assert_eq!(Catalog::new(vec![cards.clone()]), Err(CatalogError::NoChecking));
        assert_eq!(
            Catalog::new(vec![CATALOG[1].clone(), CATALOG[1].clone()]),
            Err(CatalogError::Duplicate("chase".into()))
        );
        let around = Catalog::around(&cards);
        assert_eq!(around.providers().map(|p| p.slug.as_str()).last(), Some("cards"));
        assert_eq!(around.providers().len(), 6);
    }
}
