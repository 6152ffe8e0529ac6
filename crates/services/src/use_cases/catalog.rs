//! The provider catalog in the database: seeded from the fake bank's catalog, idempotently.

use sandbank_domain::ProviderId;
use sandbank_domain::provider::{Provider, ProviderStatus};
use sandbank_fakebank::{CATALOG, ProviderSpec};
use sandbank_store::{Db, StoreError, providers};

use crate::error::ServiceError;

/// How many providers a seeding added and refreshed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedOutcome {
    /// Newly inserted.
    pub inserted: usize,
    /// Already there; brought up to date.
    pub updated: usize,
}

/// Where a provider's logo is served.
pub fn logo_url(slug: &str) -> String {
    format!("/static/logos/{slug}.svg")
}

/// The provider as stored.
fn provider_of(spec: &ProviderSpec) -> Result<Provider, ServiceError> {
    let id: ProviderId =
        spec.id.parse().map_err(|_| ServiceError::Internal(format!("catalog id of {} is not a UUID", spec.slug)))?;
    Ok(Provider {
        id,
        name: spec.name.to_owned(),
        slug: spec.slug.to_owned(),
        logo_url: logo_url(&spec.slug),
        supported_account_types: spec.supported_account_types(),
        status: ProviderStatus::Active,
    })
}

/// The providers users can connect to.
#[derive(Debug, Clone)]
pub struct CatalogService {
    db: Db,
}

impl CatalogService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Inserts or refreshes every provider of the catalog, in one transaction. Running it again
    /// (or from two servers at once) leaves exactly one row per provider.
    pub fn seed(&self) -> Result<SeedOutcome, ServiceError> {
        let catalog = CATALOG.iter().map(provider_of).collect::<Result<Vec<_>, _>>()?;
        let attempt = || {
            self.db.write(|conn| {
                let mut outcome = SeedOutcome { inserted: 0, updated: 0 };
                for provider in &catalog {
                    if providers::upsert(conn, provider)? {
                        outcome.inserted += 1;
                    } else {
                        outcome.updated += 1;
                    }
                }
                Ok::<_, StoreError>(outcome)
            })
        };
        // Another process may have inserted the same rows between our check and our insert.
        let outcome = match attempt() {
            Err(StoreError::UniqueViolation(_)) => attempt()?,
            other => other?,
        };
        tracing::info!(inserted = outcome.inserted, updated = outcome.updated, "provider catalog seeded");
        Ok(outcome)
    }

    /// Every provider, by name.
    pub fn list(&self) -> Result<Vec<Provider>, ServiceError> {
        Ok(self.db.read(providers::list)?)
    }
}
