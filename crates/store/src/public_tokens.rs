//! The `public_tokens` table: each public token handed out, so that it is exchanged once.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use sandbank_domain::ConnectionId;
use uuid::Uuid;

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::public_tokens as pt;
use crate::sql_types::DbId;
use crate::time::to_db_time;

/// Records the public token `id` of `connection`, exchangeable until `expires_at`; forgets
/// the tokens that expired before `now`.
pub fn insert(
    conn: &mut DbConnection,
    id: Uuid,
    connection: ConnectionId,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::delete(pt::table.filter(pt::expires_at.lt(to_db_time(now)))).execute(conn)?;
    diesel::insert_into(pt::table)
        .values((
            pt::id.eq(DbId(id)),
            pt::connection_id.eq(DbId::of(connection)),
            pt::expires_at.eq(to_db_time(expires_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks the token `id` exchanged at `now`; `false` when it was exchanged already, expired
/// or never recorded.
pub fn spend(conn: &mut DbConnection, id: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let now = to_db_time(now);
    let spent =
        diesel::update(pt::table.find(DbId(id)).filter(pt::exchanged_at.is_null()).filter(pt::expires_at.ge(now)))
            .set(pt::exchanged_at.eq(now))
            .execute(conn)?;
    Ok(spent == 1)
}
