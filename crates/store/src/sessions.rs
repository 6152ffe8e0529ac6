//! The `sessions` table: one row per issued token, so logging out can revoke it.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use sandbank_domain::session::Session;
use sandbank_domain::user::User;

use crate::users::{UserRow, UserWithHash};
use sandbank_domain::{SessionId, UserId};

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::{sessions, users};
use crate::sql_types::DbId;
use crate::time::{from_db_time, now_for_db, to_db_time};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = sessions)]
struct SessionRow {
    id: DbId,
    user_id: DbId,
    expires_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
}

impl From<SessionRow> for Session {
    fn from(row: SessionRow) -> Self {
        Session {
            id: row.id.into(),
            user_id: row.user_id.into(),
            expires_at: from_db_time(row.expires_at),
            revoked_at: row.revoked_at.map(from_db_time),
        }
    }
}

/// Starts a session for `user_id` that lasts until `expires_at`.
pub fn insert(conn: &mut DbConnection, user_id: UserId, expires_at: DateTime<Utc>) -> Result<Session, StoreError> {
    let id = SessionId::new();
    let expires_at = to_db_time(expires_at);
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(DbId::of(id)),
            sessions::user_id.eq(DbId::of(user_id)),
            sessions::created_at.eq(now_for_db()),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(Session { id, user_id, expires_at: from_db_time(expires_at), revoked_at: None })
}

/// The session with this id, if any.
pub fn find(conn: &mut DbConnection, id: SessionId) -> Result<Option<Session>, StoreError> {
    let row = sessions::table.find(DbId::of(id)).select(SessionRow::as_select()).first(conn).optional()?;
    Ok(row.map(Session::from))
}

/// Revokes a session; revoking twice keeps the first time.
pub fn revoke(conn: &mut DbConnection, id: SessionId) -> Result<(), StoreError> {
    diesel::update(sessions::table.find(DbId::of(id)).filter(sessions::revoked_at.is_null()))
        .set(sessions::revoked_at.eq(now_for_db()))
        .execute(conn)?;
    Ok(())
}

/// Deletes sessions that expired before `before`; returns how many.
pub fn delete_expired(conn: &mut DbConnection, before: DateTime<Utc>) -> Result<usize, StoreError> {
    Ok(diesel::delete(sessions::table.filter(sessions::expires_at.lt(to_db_time(before)))).execute(conn)?)
}

/// The session with this id together with its user, in one query.
pub fn find_with_user(conn: &mut DbConnection, id: SessionId) -> Result<Option<(Session, User)>, StoreError> {
    let row: Option<(SessionRow, UserRow)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(DbId::of(id)))
        .select((SessionRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()?;
    Ok(row.map(|(session, user)| (Session::from(session), UserWithHash::from(user).user)))
}
