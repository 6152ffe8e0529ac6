//! The change feed: what changed in a user's transactions since the reader's cursor, as added,
//! modified and removed, page by page (see [`sandbank_domain::change_feed`]).

use chrono::{TimeDelta, Utc};
use sandbank_domain::change_feed::{self, FeedCursor, FeedPage, FeedQuery, RawFeedQuery};
use sandbank_domain::{ErrorCode, FieldErrors, UserId};
use sandbank_store::changes::{self, FeedScope};
use sandbank_store::{Db, DbConnection, transactions};

use crate::error::ServiceError;
use crate::security::cursor_seal::CursorSeal;
use crate::use_cases::connections::owned as owned_connection;

/// One page of the feed, its cursor signed.
#[derive(Debug, Clone)]
pub struct SealedFeedPage {
    /// The changes.
    pub page: FeedPage,
    /// `page.next`, signed: where the next call starts.
    pub next_cursor: String,
}

/// The change feed.
#[derive(Debug, Clone)]
pub struct FeedService {
    db: Db,
    cursors: CursorSeal,
    retention: TimeDelta,
}

impl FeedService {
    /// A feed over `db` whose cursors are signed with `cursor_key` and stay usable for
    /// `retention` (removals older than that are purged).
    pub fn new(db: Db, cursor_key: &[u8; 32], retention: TimeDelta) -> Self {
        Self { db, cursors: CursorSeal::new(cursor_key), retention }
    }

    /// Checks a request as [`FeedQuery::parse`] does, after checking the cursor's signature: a
    /// forged or edited cursor is an error under `cursor`.
    pub fn parse_query(&self, raw: &RawFeedQuery<'_>, user: UserId) -> Result<FeedQuery, FieldErrors> {
        let Some(sealed) = raw.cursor.filter(|text| !text.is_empty()) else { return FeedQuery::parse(raw, user) };
        let payload = self.cursors.open(sealed);
        let parsed = FeedQuery::parse(&RawFeedQuery { cursor: payload, ..raw.clone() }, user);
        if payload.is_some() {
            return parsed;
        }
        let mut errors = parsed.err().unwrap_or_default();
        errors.add("cursor", change_feed::FeedCursorError::Malformed.to_string());
        Err(errors)
    }

    /// The next page for `user`. Removals are kept for the retention: a cursor from before
    /// removals that were purged is a 409 `cursor_expired`, and the reader must start over. (A
    /// cursor carries no time: the same cursor gives the same page until new changes come.)
    pub fn changes(&self, user: UserId, query: &FeedQuery) -> Result<SealedFeedPage, ServiceError> {
        let from = query.cursor.clone().unwrap_or_else(|| change_feed::start(user, query.connection));
        self.purge_before(user, Utc::now() - self.retention)?;
        let page = self.db.read(|conn| {
            if let Some(connection) = query.connection {
                owned_connection(conn, user, connection)?;
            }
            let mut page = read_page(conn, &from, query.count)?;
            let shown = page.added.iter_mut().chain(page.modified.iter_mut()).map(|c| &mut c.transaction);
            transactions::resolve_counterparts(conn, user, shown)?;
            Ok::<_, ServiceError>(page)
        })?;
        let next_cursor = self.cursors.seal(&page.next.encode());
        Ok(SealedFeedPage { page, next_cursor })
    }

    /// Purges the user's removals older than `cutoff`, if there are any (a read finds out).
    fn purge_before(&self, user: UserId, cutoff: chrono::DateTime<Utc>) -> Result<(), ServiceError> {
        let oldest = self.db.read(|conn| changes::oldest_removal(conn, user))?;
        if oldest.is_some_and(|oldest| oldest < cutoff) {
            let purged = self.db.write(|conn| changes::purge_removals(conn, user, cutoff))?;
            tracing::info!(user_id = %user, purged, "old removals purged from the change feed");
        }
        Ok(())
    }
}

/// Reads the page after `from`: never past the user's committed seq, and only while the
/// removals it needs are still kept (a reader at the start holds nothing and needs none).
fn read_page(conn: &mut DbConnection, from: &FeedCursor, count: u16) -> Result<FeedPage, ServiceError> {
    let lost = |horizon_seq: i64| 0 < from.position.seq && from.position.seq < horizon_seq;
    let state = changes::state(conn, from.user)?;
    if lost(state.horizon_seq) {
        return Err(expired());
    }
    let scope = FeedScope { user: from.user, connection: from.connection };
    let read = changes::after(conn, scope, from.position, state.committed_seq, i64::from(count) + 1)?;
    // A purge that ran meanwhile may have taken removals this page needed.
    if lost(changes::state(conn, from.user)?.horizon_seq) {
        return Err(expired());
    }
    Ok(FeedPage::sort(from, read, count, state.committed_seq))
}

fn expired() -> ServiceError {
    ServiceError::Conflict {
        code: ErrorCode::CursorExpired,
        message: "the cursor is from before removals the change feed no longer keeps; start again without a cursor"
            .to_owned(),
    }
}
