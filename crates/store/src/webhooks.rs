//! The webhook outbox: `webhook_events` (each event's exact JSON body) and `webhook_deliveries`
//! (one per event: its URL, status, attempts and when the next is due). Deliveries of one
//! connection go out oldest first: the next is claimed only once every earlier one has
//! succeeded or failed for good, and a claim locks it until `locked_until` so two workers never
//! send it at once.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use sandbank_domain::webhook::{AttemptOutcome, DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookFormat};
use sandbank_domain::{ConnectionId, DeliveryId, UserId};

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::{webhook_deliveries as wd, webhook_events as we};
use crate::sql_types::DbId;
use crate::time::{from_db_time, to_db_time};

/// The statuses of deliveries still to be made.
const OPEN: [&str; 2] = [DeliveryStatus::Pending.as_str(), DeliveryStatus::Retrying.as_str()];

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = wd)]
struct DeliveryRow {
    id: DbId,
    event_id: DbId,
    user_id: DbId,
    connection_id: DbId,
    url: String,
    status: String,
    attempts: i32,
    last_status_code: Option<i32>,
    last_error: Option<String>,
    next_attempt_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
}

impl DeliveryRow {
    fn into_delivery(self, event_type: &str) -> Result<WebhookDelivery, StoreError> {
        Ok(WebhookDelivery {
            id: self.id.into(),
            event_id: self.event_id.into(),
            event_type: event_type.parse().map_err(|e| StoreError::corrupt("event_type", e))?,
            user_id: self.user_id.into(),
            connection_id: self.connection_id.into(),
            url: self.url,
            status: self.status.parse().map_err(|e| StoreError::corrupt("status", e))?,
            attempts: u32::try_from(self.attempts).map_err(|e| StoreError::corrupt("attempts", e))?,
            last_status_code: self
                .last_status_code
                .map(u16::try_from)
                .transpose()
                .map_err(|e| StoreError::corrupt("last_status_code", e))?,
            last_error: self.last_error,
            next_attempt_at: self.next_attempt_at.map(from_db_time),
            created_at: from_db_time(self.created_at),
        })
    }
}

/// A delivery that is due, claimed by the caller, with the body to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDelivery {
    /// The delivery.
    pub delivery: WebhookDelivery,
    /// The event's exact JSON body.
    pub body: String,
    /// The shape the body was written in (and so how it is signed).
    pub format: WebhookFormat,
}

/// An event's `(event_type, body, format)` as stored.
type EventColumns = (String, String, String);

/// What a connection's deliveries offer a worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Its oldest open delivery, now claimed.
    Due(Box<DueDelivery>),
    /// Its oldest open delivery is not due (or another worker holds it) until then.
    Later(DateTime<Utc>),
    /// Nothing is open.
    Idle,
}

/// Stores `event` with its exact `body` (written in `format`) and a pending delivery of it to
/// `url`, due at once.
pub fn insert(
    conn: &mut DbConnection,
    user: UserId,
    event: &WebhookEvent,
    (format, body): (WebhookFormat, &str),
    url: &str,
) -> Result<DeliveryId, StoreError> {
    let created = to_db_time(event.created_at);
    diesel::insert_into(we::table)
        .values((
            we::id.eq(DbId::of(event.id)),
            we::user_id.eq(DbId::of(user)),
            we::connection_id.eq(DbId::of(event.connection_id)),
            we::event_type.eq(event.event_type().as_str()),
            we::body.eq(body),
            we::format.eq(format.as_str()),
            we::created_at.eq(created),
        ))
        .execute(conn)?;
    let id = DeliveryId::new();
    diesel::insert_into(wd::table)
        .values((
            wd::id.eq(DbId::of(id)),
            wd::event_id.eq(DbId::of(event.id)),
            wd::user_id.eq(DbId::of(user)),
            wd::connection_id.eq(DbId::of(event.connection_id)),
            wd::url.eq(url),
            wd::status.eq(DeliveryStatus::Pending.as_str()),
            wd::attempts.eq(0),
            wd::next_attempt_at.eq(Some(created)),
            wd::created_at.eq(created),
            wd::updated_at.eq(created),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The user's deliveries (of one connection, when given), newest first, at most `limit`.
pub fn list(
    conn: &mut DbConnection,
    user: UserId,
    connection: Option<ConnectionId>,
    limit: i64,
) -> Result<Vec<WebhookDelivery>, StoreError> {
    let mut query = wd::table
        .inner_join(we::table)
        .filter(wd::user_id.eq(DbId::of(user)))
        .select((DeliveryRow::as_select(), we::event_type))
        .order(wd::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(connection) = connection {
        query = query.filter(wd::connection_id.eq(DbId::of(connection)));
    }
    let rows: Vec<(DeliveryRow, String)> = query.load(conn)?;
    rows.into_iter().map(|(row, event_type)| row.into_delivery(&event_type)).collect()
}

/// The delivery with this id.
pub fn find(conn: &mut DbConnection, id: DeliveryId) -> Result<Option<WebhookDelivery>, StoreError> {
    let row: Option<(DeliveryRow, String)> = wd::table
        .inner_join(we::table)
        .filter(wd::id.eq(DbId::of(id)))
        .select((DeliveryRow::as_select(), we::event_type))
        .first(conn)
        .optional()?;
    row.map(|(row, event_type)| row.into_delivery(&event_type)).transpose()
}

/// Claims the connection's oldest open delivery if it is due at `now` and nobody holds it,
/// until `lock_until`. A later delivery waits while an earlier one is open, so a connection's
/// events arrive in order. Call inside a write transaction.
pub fn claim_next(
    conn: &mut DbConnection,
    connection: ConnectionId,
    now: DateTime<Utc>,
    lock_until: DateTime<Utc>,
) -> Result<Claim, StoreError> {
    let now = to_db_time(now);
    let head: Option<(DeliveryRow, Option<NaiveDateTime>, EventColumns)> = wd::table
        .inner_join(we::table)
        .filter(wd::connection_id.eq(DbId::of(connection)))
        .filter(wd::status.eq_any(OPEN))
        .order(wd::id.asc())
        .select((DeliveryRow::as_select(), wd::locked_until, (we::event_type, we::body, we::format)))
        .first(conn)
        .optional()?;
    let Some((row, locked_until, (event_type, body, format))) = head else { return Ok(Claim::Idle) };
    let format = format.parse().map_err(|e| StoreError::corrupt("format", e))?;
    let not_before = [row.next_attempt_at, locked_until].into_iter().flatten().max();
    if let Some(at) = not_before.filter(|at| *at > now) {
        return Ok(Claim::Later(from_db_time(at)));
    }
    let id = row.id;
    let free = wd::locked_until.is_null().or(wd::locked_until.le(now));
    let taken = diesel::update(wd::table.find(id).filter(free))
        .set((wd::locked_until.eq(Some(to_db_time(lock_until))), wd::updated_at.eq(now)))
        .execute(conn)?;
    if taken == 0 {
        return Ok(Claim::Later(from_db_time(now)));
    }
    Ok(Claim::Due(Box::new(DueDelivery { delivery: row.into_delivery(&event_type)?, body, format })))
}

/// Records how an attempt ended and releases the claim.
pub fn record_attempt(conn: &mut DbConnection, id: DeliveryId, outcome: &AttemptOutcome) -> Result<(), StoreError> {
    diesel::update(wd::table.find(DbId::of(id)))
        .set((
            wd::status.eq(outcome.status.as_str()),
            wd::attempts.eq(i32::try_from(outcome.attempts).unwrap_or(i32::MAX)),
            wd::last_status_code.eq(outcome.status_code.map(i32::from)),
            wd::last_error.eq(outcome.error.as_deref()),
            wd::next_attempt_at.eq(outcome.next_attempt_at.map(to_db_time)),
            wd::locked_until.eq(None::<NaiveDateTime>),
            wd::updated_at.eq(to_db_time(Utc::now())),
        ))
        .execute(conn)?;
    Ok(())
}

/// Puts a delivery back to `pending`, due at `now` (its attempts are kept).
pub fn reopen(conn: &mut DbConnection, id: DeliveryId, now: DateTime<Utc>) -> Result<(), StoreError> {
    let now = to_db_time(now);
    diesel::update(wd::table.find(DbId::of(id)))
        .set((
            wd::status.eq(DeliveryStatus::Pending.as_str()),
            wd::next_attempt_at.eq(Some(now)),
            wd::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
