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
pub use catalog::{CATALOG, Product, ProviderSpec};
pub use household::Household;
pub use merchants::amount_bounds;
pub use report::end_of_day;
pub use sandbank_domain::bank_data::AccountReport;

/// One connection's simulated bank: a provider, a seed, and the day the connection was linked
/// (history runs from three to six months before it).
#[derive(Debug, Clone, Copy)]
pub struct FakeBank {
    spec: &'static ProviderSpec,
    seed: u64,
    linked_on: NaiveDate,
}

impl FakeBank {
    /// The bank of `spec` for a connection with `seed`, linked on `linked_on`.
    pub fn new(spec: &'static ProviderSpec, seed: u64, linked_on: NaiveDate) -> Self {
        Self { spec, seed, linked_on }
    }

    /// The provider.
    pub fn provider(&self) -> &'static ProviderSpec {
        self.spec
    }

    /// The first day of the connection's history.
    pub fn history_start(&self) -> NaiveDate {
        account::history_start(self.seed, self.linked_on)
    }

    /// The household behind the seed: the same at every bank.
    pub fn household(&self) -> Household {
        Household::of(self.seed)
    }

    /// The connection's accounts (one to three): the household's holdings at this bank, always
    /// the same for the same inputs. They share one simulation of the whole household (its
    /// accounts at every bank), made when the first report asks for it.
    pub fn accounts(&self) -> Vec<FakeAccount> {
        let book = Arc::new(Book::new(&Arc::new(self.household()), self.history_start()));
        (0..book.accounts.len())
            .filter(|slot| book.accounts[*slot].bank.slug == self.spec.slug)
            .map(|slot| FakeAccount { book: Arc::clone(&book), slot })
            .collect()
    }
}
