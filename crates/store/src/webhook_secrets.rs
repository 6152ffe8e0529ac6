//! The `webhook_secrets` table: each user's webhook signing secret, sealed by the caller; after
//! a rotation the previous one is kept until its grace period ends.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use sandbank_domain::UserId;

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::webhook_secrets as ws;
use crate::sql_types::DbId;
use crate::time::{from_db_time, now_for_db, to_db_time};

/// A user's sealed signing secrets as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedSecrets {
    /// The secret in force, sealed.
    pub current: Vec<u8>,
    /// The secret before the last rotation, sealed, and until when it still signs.
    pub previous: Option<(Vec<u8>, DateTime<Utc>)>,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = ws)]
struct SecretRow {
    current_sealed: Vec<u8>,
    previous_sealed: Option<Vec<u8>>,
    previous_expires_at: Option<NaiveDateTime>,
}

impl From<SecretRow> for SealedSecrets {
    fn from(row: SecretRow) -> Self {
        let previous = row.previous_sealed.zip(row.previous_expires_at.map(from_db_time));
        Self { current: row.current_sealed, previous }
    }
}

/// The user's sealed secrets, if any were made.
pub fn find(conn: &mut DbConnection, user: UserId) -> Result<Option<SealedSecrets>, StoreError> {
    let row = ws::table.find(DbId::of(user)).select(SecretRow::as_select()).first(conn).optional()?;
    Ok(row.map(SealedSecrets::from))
}

/// Stores the user's first secret; a [`StoreError::UniqueViolation`] when one exists already.
pub fn insert(conn: &mut DbConnection, user: UserId, sealed: &[u8]) -> Result<(), StoreError> {
    diesel::insert_into(ws::table)
        .values((ws::user_id.eq(DbId::of(user)), ws::current_sealed.eq(sealed), ws::created_at.eq(now_for_db())))
        .execute(conn)?;
    Ok(())
}

/// Replaces the user's secrets with `secrets` if the current one is still `expected` (so a
/// concurrent rotation is never overwritten); `false` when it was not.
pub fn replace_if(
    conn: &mut DbConnection,
    user: UserId,
    expected: &[u8],
    secrets: &SealedSecrets,
) -> Result<bool, StoreError> {
    let (previous, expires) = match &secrets.previous {
        Some((sealed, until)) => (Some(sealed.as_slice()), Some(to_db_time(*until))),
        None => (None, None),
    };
    let updated = diesel::update(ws::table.find(DbId::of(user)).filter(ws::current_sealed.eq(expected)))
        .set((
            ws::current_sealed.eq(secrets.current.as_slice()),
            ws::previous_sealed.eq(previous),
            ws::previous_expires_at.eq(expires),
            ws::updated_at.eq(now_for_db()),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}
