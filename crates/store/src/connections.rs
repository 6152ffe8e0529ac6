//! The `provider_connections` table.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use sandbank_domain::connection::{Connection, ConnectionProblem, ConnectionStatus, SandboxFault};
use sandbank_domain::webhook::WebhookFormat;
use sandbank_domain::webhook_url::WebhookUrl;
use sandbank_domain::{ConnectionId, ProviderId, UserId};

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::provider_connections as pc;
use crate::sql_types::DbId;
use crate::time::{from_db_time, now_for_db, to_db_time};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = pc)]
struct ConnectionRow {
    id: DbId,
    user_id: DbId,
    provider_id: DbId,
    status: String,
    seed: i64,
    clock_offset_days: i32,
    synced_through: Option<NaiveDate>,
    sandbox_fault: Option<String>,
    error_code: Option<String>,
    error_message: Option<String>,
    last_synced_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    webhook_url: Option<String>,
    webhook_format: String,
}

impl TryFrom<ConnectionRow> for Connection {
    type Error = StoreError;

    fn try_from(row: ConnectionRow) -> Result<Self, StoreError> {
        let problem = match (row.error_code, row.error_message) {
            (Some(code), message) => Some(ConnectionProblem { code, message: message.unwrap_or_default() }),
            (None, _) => None,
        };
        Ok(Connection {
            id: row.id.into(),
            user_id: row.user_id.into(),
            provider_id: row.provider_id.into(),
            status: row.status.parse().map_err(|e| StoreError::corrupt("status", e))?,
            seed: row.seed,
            clock_offset_days: row.clock_offset_days,
            synced_through: row.synced_through,
            sandbox_fault: row
                .sandbox_fault
                .map(|f| f.parse::<SandboxFault>())
                .transpose()
                .map_err(|e| StoreError::corrupt("sandbox_fault", e))?,
            problem,
            webhook_url: row
                .webhook_url
                .map(|u| WebhookUrl::parse(&u))
                .transpose()
                .map_err(|e| StoreError::corrupt("webhook_url", e))?,
            webhook_format: row.webhook_format.parse().map_err(|e| StoreError::corrupt("webhook_format", e))?,
            last_synced_at: row.last_synced_at.map(from_db_time),
            created_at: from_db_time(row.created_at),
            updated_at: from_db_time(row.updated_at),
        })
    }
}

/// Creates a connection in `authorizing`.
pub fn insert(
    conn: &mut DbConnection,
    user_id: UserId,
    provider_id: ProviderId,
    seed: i64,
) -> Result<Connection, StoreError> {
    let id = ConnectionId::new();
    let now = now_for_db();
    diesel::insert_into(pc::table)
        .values((
            pc::id.eq(DbId::of(id)),
            pc::user_id.eq(DbId::of(user_id)),
            pc::provider_id.eq(DbId::of(provider_id)),
            pc::status.eq(ConnectionStatus::Authorizing.as_str()),
            pc::seed.eq(seed),
            pc::clock_offset_days.eq(0),
            pc::created_at.eq(now),
            pc::updated_at.eq(now),
        ))
        .execute(conn)?;
    find(conn, id)?.ok_or(StoreError::NotFound)
}

/// The connection with this id.
pub fn find(conn: &mut DbConnection, id: ConnectionId) -> Result<Option<Connection>, StoreError> {
    pc::table
        .find(DbId::of(id))
        .select(ConnectionRow::as_select())
        .first(conn)
        .optional()?
        .map(Connection::try_from)
        .transpose()
}

/// Locks the connection's row until the transaction ends, so that two syncs of one connection
/// run one after the other. (On SQLite the write transaction already holds the database lock.)
pub fn lock(conn: &mut DbConnection, id: ConnectionId) -> Result<(), StoreError> {
    if let DbConnection::Pg(pg) = conn {
        pc::table.find(DbId::of(id)).select(pc::id).for_update().execute(pg)?;
    }
    Ok(())
}

/// A user's connections, oldest first.
pub fn list_for_user(conn: &mut DbConnection, user_id: UserId) -> Result<Vec<Connection>, StoreError> {
    pc::table
        .filter(pc::user_id.eq(DbId::of(user_id)))
        .order((pc::created_at.asc(), pc::id.asc()))
        .select(ConnectionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Connection::try_from)
        .collect()
}

/// The sealed access token, if one is kept.
pub fn sealed_token(conn: &mut DbConnection, id: ConnectionId) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(pc::table.find(DbId::of(id)).select(pc::access_token_sealed).first(conn)?)
}

/// Keeps (or, with `None`, erases) the sealed access token.
pub fn set_token(conn: &mut DbConnection, id: ConnectionId, sealed: Option<&[u8]>) -> Result<(), StoreError> {
    diesel::update(pc::table.find(DbId::of(id)))
        .set((pc::access_token_sealed.eq(sealed), pc::updated_at.eq(now_for_db())))
        .execute(conn)?;
    Ok(())
}

/// Moves the connection to `status`, recording (or clearing) the problem behind it. Moving it
/// to `disconnected` also ends any sync lease, so a running sync stops at its next chunk.
pub fn set_status(
    conn: &mut DbConnection,
    id: ConnectionId,
    status: ConnectionStatus,
    problem: Option<&ConnectionProblem>,
) -> Result<(), StoreError> {
    diesel::update(pc::table.find(DbId::of(id)))
        .set((
            pc::status.eq(status.as_str()),
            pc::error_code.eq(problem.map(|p| p.code.as_str())),
            pc::error_message.eq(problem.map(|p| p.message.as_str())),
            pc::updated_at.eq(now_for_db()),
        ))
        .execute(conn)?;
    if status == ConnectionStatus::Disconnected {
        diesel::update(pc::table.find(DbId::of(id)))
            .set((pc::sync_lease_id.eq(None::<DbId>), pc::sync_lease_until.eq(None::<NaiveDateTime>)))
            .execute(conn)?;
    }
    Ok(())
}

/// Records a successful fetch of everything through `through`: the connection is `connected`.
pub fn record_sync(
    conn: &mut DbConnection,
    id: ConnectionId,
    through: NaiveDate,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(pc::table.find(DbId::of(id)))
        .set((
            pc::status.eq(ConnectionStatus::Connected.as_str()),
            pc::error_code.eq(None::<String>),
            pc::error_message.eq(None::<String>),
            pc::synced_through.eq(through),
            pc::last_synced_at.eq(to_db_time(at)),
            pc::updated_at.eq(now_for_db()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Sets the sandbox controls: the fault switched on and the clock's offset.
pub fn set_sandbox(
    conn: &mut DbConnection,
    id: ConnectionId,
    fault: Option<SandboxFault>,
    clock_offset_days: i32,
) -> Result<(), StoreError> {
    diesel::update(pc::table.find(DbId::of(id)))
        .set((
            pc::sandbox_fault.eq(fault.map(|f| f.as_str())),
            pc::clock_offset_days.eq(clock_offset_days),
            pc::updated_at.eq(now_for_db()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The ids and owners of connections in `status`.
pub fn with_status(
    conn: &mut DbConnection,
    status: ConnectionStatus,
) -> Result<Vec<(ConnectionId, UserId)>, StoreError> {
    let rows: Vec<(DbId, DbId)> =
        pc::table.filter(pc::status.eq(status.as_str())).select((pc::id, pc::user_id)).load(conn)?;
    Ok(rows.into_iter().map(|(id, user)| (id.into(), user.into())).collect())
}

/// Takes the connection's sync lease for `lease` until `until`, if no other lease is live at
/// `now`; `true` when taken. One statement, so two takers cannot both win.
pub fn take_lease(
    conn: &mut DbConnection,
    id: ConnectionId,
    lease: uuid::Uuid,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let free = pc::sync_lease_until.is_null().or(pc::sync_lease_until.lt(to_db_time(now)));
    let taken = diesel::update(pc::table.find(DbId::of(id)).filter(free))
        .set((pc::sync_lease_id.eq(Some(DbId(lease))), pc::sync_lease_until.eq(Some(to_db_time(until)))))
        .execute(conn)?;
    Ok(taken == 1)
}

/// Extends a lease still held by `lease` to `until`; `false` when it is no longer held (it ran
/// out and another sync took it, or the connection was disconnected).
pub fn renew_lease(
    conn: &mut DbConnection,
    id: ConnectionId,
    lease: uuid::Uuid,
    until: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let renewed = diesel::update(pc::table.find(DbId::of(id)).filter(pc::sync_lease_id.eq(DbId(lease))))
        .set(pc::sync_lease_until.eq(Some(to_db_time(until))))
        .execute(conn)?;
    Ok(renewed == 1)
}

/// Gives the lease back, if `lease` still holds it.
pub fn release_lease(conn: &mut DbConnection, id: ConnectionId, lease: uuid::Uuid) -> Result<(), StoreError> {
    diesel::update(pc::table.find(DbId::of(id)).filter(pc::sync_lease_id.eq(DbId(lease))))
        .set((pc::sync_lease_id.eq(None::<DbId>), pc::sync_lease_until.eq(None::<NaiveDateTime>)))
        .execute(conn)?;
    Ok(())
}

/// Records that every account's data through `through` is applied (a chunk of a sync).
pub fn record_progress(conn: &mut DbConnection, id: ConnectionId, through: NaiveDate) -> Result<(), StoreError> {
    diesel::update(pc::table.find(DbId::of(id))).set(pc::synced_through.eq(through)).execute(conn)?;
    Ok(())
}

/// Sets (or clears) the sandbox fault, leaving the clock as it is.
pub fn set_fault(conn: &mut DbConnection, id: ConnectionId, fault: Option<SandboxFault>) -> Result<(), StoreError> {
    diesel::update(pc::table.find(DbId::of(id)))
        .set((pc::sandbox_fault.eq(fault.map(|f| f.as_str())), pc::updated_at.eq(now_for_db())))
        .execute(conn)?;
    Ok(())
}

/// Sets the shape of the connection's webhooks.
pub fn set_webhook_format(conn: &mut DbConnection, id: ConnectionId, format: WebhookFormat) -> Result<(), StoreError> {
    diesel::update(pc::table.find(DbId::of(id)))
        .set((pc::webhook_format.eq(format.as_str()), pc::updated_at.eq(now_for_db())))
        .execute(conn)?;
    Ok(())
}

/// Sets (or, with `None`, clears) where the connection's webhooks are sent.
pub fn set_webhook_url(conn: &mut DbConnection, id: ConnectionId, url: Option<&WebhookUrl>) -> Result<(), StoreError> {
    diesel::update(pc::table.find(DbId::of(id)))
        .set((pc::webhook_url.eq(url.map(WebhookUrl::as_str)), pc::updated_at.eq(now_for_db())))
        .execute(conn)?;
    Ok(())
}
