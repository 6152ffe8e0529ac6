//! Deterministic, realistic fake bank data: the provider catalog, accounts, day-by-day
//! transactions, balances and statements. The same seed gives the same data everywhere, and any
//! split of a day range gives the same rows as the whole.
//!
//! ```
//! use chrono::NaiveDate;
//! use sandbank_fakebank::{FakeBank, catalog};
//!
//! let linked_on = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
//! let bank = FakeBank::new(catalog::provider("chase").unwrap(), 42, linked_on);
//! let accounts = bank.accounts();
//! assert!((1..=3).contains(&accounts.len()));
//!
//! let account = &accounts[0];
//! let report = account.report(account.history_start()..linked_on, linked_on);
//! assert!(!report.transactions.is_empty());
//! // Reproducible: the same seed gives the same rows.
//! let again = FakeBank::new(catalog::provider("chase").unwrap(), 42, linked_on).accounts();
//! assert_eq!(again[0].report(account.history_start()..linked_on, linked_on), report);
//! ```
//!
//! Generating days in pieces gives the same rows as generating them at once:
//!
//! ```
//! # use chrono::NaiveDate;
//! # use sandbank_fakebank::{FakeBank, catalog};
//! let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
//! let bank = FakeBank::new(catalog::provider("amex").unwrap(), 7, day(1));
//! let card = &bank.accounts()[0];
//! let as_of = day(20);
//! let mut pieces = card.transactions(day(1)..day(10), as_of);
//! pieces.extend(card.transactions(day(10)..day(21), as_of));
//! assert_eq!(pieces, card.transactions(day(1)..day(21), as_of));
//! ```
//!
//! A seed is one household: every bank connected with it shows its part of that household, and
//! a report made at an instant holds nothing stamped after it:
//!
//! ```
//! # use chrono::{NaiveDate, TimeZone, Utc};
//! # use sandbank_fakebank::{CATALOG, FakeBank};
//! let linked_on = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
//! let household = FakeBank::new(&CATALOG[0], 42, linked_on).household();
//! assert_eq!(FakeBank::new(&CATALOG[3], 42, linked_on).household().city, household.city);
//! let now = Utc.with_ymd_and_hms(2026, 5, 20, 15, 30, 0).unwrap();
//! for account in FakeBank::new(&CATALOG[1], 42, linked_on).accounts() {
//!     let report = account.report_at(account.history_start()..linked_on, now);
//!     assert!(report.transactions.iter().all(|t| t.authorized_at.is_some_and(|at| at <= now)));
//! }
//! ```
//!
//! A provider of one's own is a value built at run time ([`ProviderSpec::builder`], or
//! [`ProviderSpec`]'s public fields): its products with their kind, and if it wants, the range
//! of their opening balances and credit limits, and the city its holders live in. The five
//! built-in banks are built the same way ([`catalog`]). [`FakeBank::new`] places it among the
//! built-in banks ([`Catalog::around`]); [`Catalog::new`] makes a catalog of one's own banks.
//!
//! ```
//! # use chrono::NaiveDate;
//! use sandbank_domain::account::{AccountSubtype, AccountType};
//! use sandbank_fakebank::{Catalog, FakeBank, Household, Product, ProviderSpec};
//!
//! let checking = Product::new("Share Checking", AccountType::Checking, AccountSubtype::Personal)
//!     .with_opening_balance(2_000_00..=3_000_00);
//! let spec = ProviderSpec::builder("cascade-cu", "Cascade Credit Union")
//!     .product(checking)
//!     .product(Product::card("Visa Signature", AccountSubtype::Rewards, 0).with_credit_limit(4_000_00..=6_000_00))
//!     .holder_city("Portland")
//!     .build()?;
//! let linked_on = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
//! let bank = FakeBank::new(&spec, Household::main_bank_seed(&spec, 1), linked_on);
//! assert_eq!(bank.household().city.name, "Portland");
//! for account in bank.accounts() {
//!     assert!(account.reported().official_name.starts_with("Cascade Credit Union "));
//! }
//! // Or its own world: every household of this catalog banks there alone.
//! let alone = Catalog::new(vec![spec])?.bank("cascade-cu", 7, linked_on).unwrap();
//! assert_eq!(alone.household().primary_bank, "cascade-cu");
//! # Ok::<(), sandbank_fakebank::CatalogError>(())
//! ```
//!
//! With the `serde` feature (off by default: `sandbank-fakebank = { version = "0.1", features =
//! ["serde"] }`), accounts and reports are written and read as JSON in the API's shapes (camelCase,
//! amounts as decimal strings beside a `currency`; see `sandbank-domain`'s README):
//!
//! ```
//! # #[cfg(feature = "serde")] {
//! # use chrono::NaiveDate;
//! # use sandbank_fakebank::{FakeBank, catalog};
//! let linked_on = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
//! let bank = FakeBank::new(catalog::provider("chase").unwrap(), 42, linked_on);
//! let account = &bank.accounts()[0];
//! let report = account.report(account.history_start()..linked_on, linked_on);
//! let json = serde_json::to_value(&report).unwrap();
//! assert_eq!(json["balances"]["currentBalance"], report.balances.current.to_string());
//! assert!(json["transactions"][0]["merchantName"].is_string());
//! # }
//! ```

mod account;
mod book;
pub mod calendar;
pub mod catalog;
pub mod household;
mod ledger;
pub mod merchants;
pub mod people;
mod report;
pub mod scripted;
mod seasons;
mod seed;
mod subscriptions;
pub mod trips;

use std::sync::Arc;

use chrono::NaiveDate;

pub use account::{CardTerms, FakeAccount};
use book::Book;
pub use catalog::{CATALOG, Catalog, CatalogError, Product, ProviderBuilder, ProviderSpec};
pub use household::Household;
pub use merchants::amount_bounds;
pub use report::end_of_day;
pub use sandbank_domain::bank_data::AccountReport;

/// One connection's simulated bank: a provider of a catalog, a seed, and the day the connection
/// was linked (history runs from three to six months before it).
#[derive(Debug, Clone)]
pub struct FakeBank {
    catalog: Catalog,
    spec: Arc<ProviderSpec>,
    seed: u64,
    linked_on: NaiveDate,
}

impl FakeBank {
    /// The bank of `spec` for a connection with `seed`, linked on `linked_on`, among the banks of
    /// [`Catalog::around`]`(spec)`: the five built-in ones, and `spec` when it is a provider of
    /// one's own. ([`Catalog::bank`] places a bank among other banks.)
    pub fn new(spec: &ProviderSpec, seed: u64, linked_on: NaiveDate) -> Self {
        let (catalog, spec) = Catalog::placing(spec);
        Self::in_catalog(catalog, spec, seed, linked_on)
    }

    pub(crate) fn in_catalog(catalog: Catalog, spec: Arc<ProviderSpec>, seed: u64, linked_on: NaiveDate) -> Self {
        Self { catalog, spec, seed, linked_on }
    }

    /// The provider.
    pub fn provider(&self) -> &ProviderSpec {
        &self.spec
    }

    /// The banks its household may hold accounts at.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The first day of the connection's history.
    pub fn history_start(&self) -> NaiveDate {
        account::history_start(self.seed, self.linked_on)
    }

    /// The household behind the seed: the same at every bank of the catalog.
    pub fn household(&self) -> Household {
        Household::in_catalog(&self.catalog, self.seed)
    }

    /// The connection's accounts (one to three): the household's holdings at this bank, always
    /// the same for the same inputs. They share one simulation of the whole household (its
    /// accounts at every bank of the catalog), made when the first report asks for it.
    pub fn accounts(&self) -> Vec<FakeAccount> {
        let book = Arc::new(Book::new(&Arc::new(self.household()), self.history_start()));
        (0..book.accounts.len())
            .filter(|slot| book.accounts[*slot].bank.slug == self.spec.slug)
            .map(|slot| FakeAccount { book: Arc::clone(&book), slot })
            .collect()
    }
}
