#![doc = include_str!("../README.md")]

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
