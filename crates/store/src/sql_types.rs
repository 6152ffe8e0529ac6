//! `DbUuid`: a UUID column that works through the two-backend connection — native `uuid` on
//! PostgreSQL, hyphenated text on SQLite. (diesel's own `Uuid` type is PostgreSQL-only.)
//! [`DbId`] is the Rust value bound to and read from such a column.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::HasSqlType;
use diesel::sqlite::Sqlite;
use std::io::Write;
use uuid::Uuid;

use crate::db::MultiBackend;

/// The SQL type of every id column.
#[derive(Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
#[diesel(postgres_type(oid = 2950, array_oid = 2951))]
#[diesel(sqlite_type(name = "Text"))]
pub struct DbUuid;

/// A UUID as bound to and read from a [`DbUuid`] column.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = DbUuid)]
pub struct DbId(pub Uuid);

impl DbId {
    /// The column value of any domain id.
    pub fn of(id: impl Into<Uuid>) -> Self {
        Self(id.into())
    }
}

macro_rules! domain_id_from_db_id {
    ($($id:ident),*) => {$(
        impl From<DbId> for sandbank_domain::$id {
            fn from(id: DbId) -> Self {
                Self::from_uuid(id.0)
            }
        }
    )*};
}

domain_id_from_db_id!(
    UserId,
    SessionId,
    ProviderId,
    ConnectionId,
    AccountId,
    TransactionId,
    JobId,
    EventId,
    DeliveryId,
    LinkTokenId,
    ScenarioId
);

impl ToSql<DbUuid, Pg> for DbId {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        out.write_all(self.0.as_bytes())?;
        Ok(IsNull::No)
    }
}

impl FromSql<DbUuid, Pg> for DbId {
    fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        Ok(Self(Uuid::from_slice(bytes.as_bytes())?))
    }
}

impl ToSql<DbUuid, Sqlite> for DbId {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.0.hyphenated().to_string());
        Ok(IsNull::No)
    }
}

impl FromSql<DbUuid, Sqlite> for DbId {
    fn from_sql(mut bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        // Parsed where SQLite holds the text: no String per id read.
        Ok(Self(Uuid::parse_str(bytes.read_text())?))
    }
}

impl ToSql<DbUuid, MultiBackend> for DbId {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
        out.set_value((DbUuid, self));
        Ok(IsNull::No)
    }
}

impl FromSql<DbUuid, MultiBackend> for DbId {
    fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        bytes.from_sql::<Self, DbUuid>()
    }
}

impl HasSqlType<DbUuid> for MultiBackend {
    fn metadata(lookup: &mut Self::MetadataLookup) -> Self::TypeMetadata {
        MultiBackend::lookup_sql_type::<DbUuid>(lookup)
    }
}
