//! The `developer_keys` table: each user's API keys for the Plaid-compatible API, the secret
//! kept only as its SHA-256 (hashed by the caller). Revoked keys stay, marked.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use sandbank_domain::UserId;
use sandbank_domain::developer_key::{ClientId, DeveloperKey};

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::developer_keys as dk;
use crate::sql_types::DbId;
use crate::time::{from_db_time, to_db_time};

/// A key to store.
#[derive(Debug, Clone)]
pub struct NewKey<'a> {
    /// Its public id.
    pub client_id: &'a ClientId,
    /// The owner.
    pub user: UserId,
    /// SHA-256 of the secret.
    pub secret_hash: &'a [u8],
    /// The owner's label.
    pub name: Option<&'a str>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// What authenticating with an active key needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveKey {
    /// The owner, whom the key acts as.
    pub user: UserId,
    /// SHA-256 of the secret.
    pub secret_hash: Vec<u8>,
    /// When the key was last used, if ever.
    pub last_used_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = dk)]
struct KeyRow {
    client_id: String,
    name: Option<String>,
    created_at: NaiveDateTime,
    last_used_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
}

impl TryFrom<KeyRow> for DeveloperKey {
    type Error = StoreError;

    fn try_from(row: KeyRow) -> Result<Self, StoreError> {
        Ok(Self {
            client_id: ClientId::parse(&row.client_id).map_err(|e| StoreError::corrupt("client_id", e))?,
            name: row.name,
            created_at: from_db_time(row.created_at),
            last_used_at: row.last_used_at.map(from_db_time),
            revoked_at: row.revoked_at.map(from_db_time),
        })
    }
}

/// Stores a new key; a [`StoreError::UniqueViolation`] if its client id exists already.
pub fn insert(conn: &mut DbConnection, key: &NewKey<'_>) -> Result<(), StoreError> {
    diesel::insert_into(dk::table)
        .values((
            dk::client_id.eq(key.client_id.as_str()),
            dk::user_id.eq(DbId::of(key.user)),
            dk::secret_hash.eq(key.secret_hash),
            dk::name.eq(key.name),
            dk::created_at.eq(to_db_time(key.created_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The user's keys, newest first, revoked ones included.
pub fn list(conn: &mut DbConnection, user: UserId) -> Result<Vec<DeveloperKey>, StoreError> {
    let rows = dk::table
        .filter(dk::user_id.eq(DbId::of(user)))
        .order((dk::created_at.desc(), dk::client_id.desc()))
        .select(KeyRow::as_select())
        .load(conn)?;
    rows.into_iter().map(DeveloperKey::try_from).collect()
}

/// How many of the user's keys are not revoked.
pub fn count_active(conn: &mut DbConnection, user: UserId) -> Result<i64, StoreError> {
    Ok(dk::table.filter(dk::user_id.eq(DbId::of(user))).filter(dk::revoked_at.is_null()).count().get_result(conn)?)
}

/// The key `client_id` if it exists and is not revoked.
pub fn find_active(conn: &mut DbConnection, client_id: &ClientId) -> Result<Option<ActiveKey>, StoreError> {
    let row = dk::table
        .find(client_id.as_str())
        .filter(dk::revoked_at.is_null())
        .select((dk::user_id, dk::secret_hash, dk::last_used_at))
        .first::<(DbId, Vec<u8>, Option<NaiveDateTime>)>(conn)
        .optional()?;
    Ok(row.map(|(user, secret_hash, last_used_at)| ActiveKey {
        user: user.into(),
        secret_hash,
        last_used_at: last_used_at.map(from_db_time),
    }))
}

/// The key `client_id`, revoked or not, and its owner, if it exists.
pub fn find(conn: &mut DbConnection, client_id: &ClientId) -> Result<Option<(UserId, DeveloperKey)>, StoreError> {
    let row = dk::table
        .find(client_id.as_str())
        .select((dk::user_id, KeyRow::as_select()))
        .first::<(DbId, KeyRow)>(conn)
        .optional()?;
    row.map(|(user, key)| Ok((user.into(), DeveloperKey::try_from(key)?))).transpose()
}

/// Revokes `user`'s key `client_id` at `at` unless it is revoked already (the first time
/// stays); `false` when no such key of `user`'s was active.
pub fn revoke(
    conn: &mut DbConnection,
    user: UserId,
    client_id: &ClientId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        dk::table.find(client_id.as_str()).filter(dk::user_id.eq(DbId::of(user))).filter(dk::revoked_at.is_null()),
    )
    .set(dk::revoked_at.eq(to_db_time(at)))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Records that `client_id` was used at `at`, unless it was recorded after `unless_after`
/// already (so a busy key is written at most once a period); `true` when it wrote.
pub fn touch(
    conn: &mut DbConnection,
    client_id: &ClientId,
    at: DateTime<Utc>,
    unless_after: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let stale = dk::last_used_at.is_null().or(dk::last_used_at.le(to_db_time(unless_after)));
    let updated = diesel::update(dk::table.find(client_id.as_str()).filter(stale))
        .set(dk::last_used_at.eq(to_db_time(at)))
        .execute(conn)?;
    Ok(updated == 1)
}
