//! The `financial_providers` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sandbank_domain::account::AccountType;
use sandbank_domain::provider::Provider;

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::financial_providers;
use crate::sql_types::DbId;
use crate::time::now_for_db;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = financial_providers)]
struct ProviderRow {
    id: DbId,
    slug: String,
    name: String,
    logo_url: String,
    supported_account_types: String,
    status: String,
}

impl TryFrom<ProviderRow> for Provider {
    type Error = StoreError;

    fn try_from(row: ProviderRow) -> Result<Self, StoreError> {
        let supported_account_types = row
            .supported_account_types
            .split(',')
            .filter(|t| !t.is_empty())
            .map(|t| t.parse::<AccountType>().map_err(|e| StoreError::corrupt("supported_account_types", e)))
            .collect::<Result<_, _>>()?;
        Ok(Provider {
            id: row.id.into(),
            name: row.name,
            slug: row.slug,
            logo_url: row.logo_url,
            supported_account_types,
            status: row.status.parse().map_err(|e| StoreError::corrupt("status", e))?,
        })
    }
}

fn types_text(types: &[AccountType]) -> String {
    types.iter().map(AccountType::as_str).collect::<Vec<_>>().join(",")
}

/// Inserts `provider`, or updates the row with its id; returns whether it was new.
pub fn upsert(conn: &mut DbConnection, provider: &Provider) -> Result<bool, StoreError> {
    let now: NaiveDateTime = now_for_db();
    let types = types_text(&provider.supported_account_types);
    let updated = diesel::update(financial_providers::table.find(DbId::of(provider.id)))
        .set((
            financial_providers::slug.eq(&provider.slug),
            financial_providers::name.eq(&provider.name),
            financial_providers::logo_url.eq(&provider.logo_url),
            financial_providers::supported_account_types.eq(&types),
            financial_providers::status.eq(provider.status.as_str()),
            financial_providers::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated > 0 {
        return Ok(false);
    }
    diesel::insert_into(financial_providers::table)
        .values((
            financial_providers::id.eq(DbId::of(provider.id)),
            financial_providers::slug.eq(&provider.slug),
            financial_providers::name.eq(&provider.name),
            financial_providers::logo_url.eq(&provider.logo_url),
            financial_providers::supported_account_types.eq(&types),
            financial_providers::status.eq(provider.status.as_str()),
            financial_providers::created_at.eq(now),
            financial_providers::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Every provider, by name.
pub fn list(conn: &mut DbConnection) -> Result<Vec<Provider>, StoreError> {
    financial_providers::table
        .order(financial_providers::name.asc())
        .select(ProviderRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Provider::try_from)
        .collect()
}

/// The provider with this id.
pub fn find(conn: &mut DbConnection, id: sandbank_domain::ProviderId) -> Result<Option<Provider>, StoreError> {
    financial_providers::table
        .find(DbId::of(id))
        .select(ProviderRow::as_select())
        .first(conn)
        .optional()?
        .map(Provider::try_from)
        .transpose()
}
