//! The change feed's vocabulary: where a reader stands ([`FeedCursor`]), what it asked for
//! ([`FeedQuery`]), and how the changes since then become a page of added, modified and removed
//! transactions ([`FeedPage::sort`]).
//!
//! Every write that changes a user's transactions takes the user's next sequence number and
//! stamps what it changes: a stored row carries the seq of its insert (`created_seq`) and of its
//! latest change (`change_seq`); a removed row leaves a [`RemovedTransaction`]. The feed reads
//! them in `(seq, id)` order, never past the user's committed seq, so no reader skips a change.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::ids::{AccountId, ConnectionId, TransactionId, UserId};
use crate::transaction::Transaction;
use crate::transaction_query::{plain_number, present};
use crate::validation::FieldErrors;

/// A place in a user's change sequence: past every change up to `seq`, and, when a page ended
/// inside one write's changes, past those at `seq` up to the transaction `id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedPosition {
    /// The sequence number.
    pub seq: i64,
    /// The last transaction read at `seq`; `None` when all of `seq` was read.
    pub id: Option<TransactionId>,
}

impl FeedPosition {
    /// Before every change.
    pub const START: Self = Self { seq: 0, id: None };

    /// Past every change up to `seq`.
    pub fn after(seq: i64) -> Self {
        Self { seq, id: None }
    }
}

/// What a client's cursor holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedCursor {
    /// The reader has every change up to this seq: where its last complete pull ended.
    pub base_seq: i64,
    /// Where the next page starts.
    pub position: FeedPosition,
    /// Whose feed.
    pub user: UserId,
    /// Which connection's, or all of the user's.
    pub connection: Option<ConnectionId>,
}

/// Why a cursor cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FeedCursorError {
    /// Not a cursor this server made.
    #[error("is not a valid cursor")]
    Malformed,
    /// Made for another user or another `connectionId`.
    #[error("was made for another user or another connectionId; start again without a cursor")]
    OtherScope,
}

impl FeedCursor {
    /// The cursor as an opaque string (to be signed before it leaves the server).
    pub fn encode(&self) -> String {
        let id = self.position.id.map_or_else(|| "-".to_owned(), |id| id.to_string());
        let connection = self.connection.map_or_else(|| "-".to_owned(), |id| id.to_string());
        let text = format!("f2|{}|{}|{id}|{}|{connection}", self.base_seq, self.position.seq, self.user);
        URL_SAFE_NO_PAD.encode(text)
    }

    /// Reads a cursor made by [`FeedCursor::encode`].
    pub fn decode(text: &str) -> Result<Self, FeedCursorError> {
        let malformed = |_| FeedCursorError::Malformed;
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| FeedCursorError::Malformed)?;
        let text = String::from_utf8(bytes).map_err(|_| FeedCursorError::Malformed)?;
        let parts: Vec<&str> = text.split('|').collect();
        let ["f2", base, seq, id, user, connection] = parts.as_slice() else {
            return Err(FeedCursorError::Malformed);
        };
        let optional = |text: &str| (text != "-").then(|| text.parse::<uuid::Uuid>()).transpose();
        Ok(Self {
            base_seq: base.parse().map_err(|_| FeedCursorError::Malformed)?,
            position: FeedPosition {
                seq: seq.parse().map_err(|_| FeedCursorError::Malformed)?,
                id: optional(id).map_err(malformed)?.map(TransactionId::from_uuid),
            },
            user: UserId::from_uuid(user.parse().map_err(malformed)?),
            connection: optional(connection).map_err(malformed)?.map(ConnectionId::from_uuid),
        })
    }
}

/// A feed request as the query string gives it.
#[derive(Debug, Clone, Default)]
pub struct RawFeedQuery<'a> {
    /// `connectionId`.
    pub connection_id: Option<&'a str>,
    /// `cursor`, already checked for the server's signature and unwrapped.
    pub cursor: Option<&'a str>,
    /// `count`.
    pub count: Option<&'a str>,
}

/// A feed request, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedQuery {
    /// Only this connection's changes.
    pub connection: Option<ConnectionId>,
    /// Where to go on from; `None` for the whole current state.
    pub cursor: Option<FeedCursor>,
    /// Changes per page.
    pub count: u16,
}

impl FeedQuery {
    /// Changes per page unless asked.
    pub const DEFAULT_COUNT: u16 = 100;
    /// The most changes per page.
    pub const MAX_COUNT: u16 = 500;

    /// Checks `raw` for `user`: every bad value is named by its field, and a cursor must have
    /// been made for this user and this `connectionId`.
    pub fn parse(raw: &RawFeedQuery<'_>, user: UserId) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let connection =
            present(raw.connection_id).and_then(|v| errors.uuid("connectionId", v)).map(ConnectionId::from_uuid);
        let count = match present(raw.count) {
            None => Some(Self::DEFAULT_COUNT),
            Some(text) => plain_number(text).filter(|n| (1..=Self::MAX_COUNT).contains(n)).or_else(|| {
                errors.add("count", format!("must be a whole number from 1 to {}", Self::MAX_COUNT));
                None
            }),
        };
        let cursor = present(raw.cursor).and_then(|text| errors.check("cursor", FeedCursor::decode(text)));
        if let Some(cursor) = &cursor
            && (cursor.user != user || cursor.connection != connection)
        {
            errors.add("cursor", FeedCursorError::OtherScope.to_string());
        }
        let Some(count) = count else { return Err(errors) };
        errors.into_result(|| Self { connection, cursor, count })
    }
}

/// A stored transaction as the feed reads it, with its stamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedTransaction {
    /// The transaction as it is now.
    pub transaction: Transaction,
    /// The seq of its insert.
    pub created_seq: i64,
    /// The seq of its latest change.
    pub change_seq: i64,
    /// The seq of the change that took it out of pending; `None` while pending.
    pub posted_seq: Option<i64>,
}

/// A transaction that was removed (the provider dropped it, or its connection was purged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedTransaction {
    /// Its id.
    pub id: TransactionId,
    /// Its account.
    pub account_id: AccountId,
    /// Its connection.
    pub connection_id: ConnectionId,
    /// The seq of its insert.
    pub created_seq: i64,
    /// The seq of the change that took it out of pending; `None` if it was pending.
    pub posted_seq: Option<i64>,
    /// The seq of its removal.
    pub removed_seq: i64,
}

/// One entry of the feed, in `(seq, id)` order. (Most entries are changed rows, so the size
/// difference between the variants costs nothing worth a box.)
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)]
pub enum FeedChange {
    /// Added or changed; its current state.
    Changed(ChangedTransaction),
    /// Removed.
    Removed(RemovedTransaction),
}

impl FeedChange {
    /// Where it stands in the feed's order.
    pub fn key(&self) -> (i64, TransactionId) {
        match self {
            Self::Changed(changed) => (changed.change_seq, changed.transaction.id),
            Self::Removed(removed) => (removed.removed_seq, removed.id),
        }
    }
}

/// One page of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPage {
    /// New to the reader, in their current state.
    pub added: Vec<ChangedTransaction>,
    /// Changed since the reader saw them.
    pub modified: Vec<ChangedTransaction>,
    /// Gone since the reader saw them.
    pub removed: Vec<RemovedTransaction>,
    /// Where the next call starts.
    pub next: FeedCursor,
    /// Whether more changes are waiting now.
    pub has_more: bool,
}

impl FeedPage {
    /// Sorts `changes` (those after `from.position` up to the user's committed seq `through`,
    /// in order, at most `count + 1`) into a page for a reader at `from`.
    ///
    /// A transaction inserted after `from.base_seq` is added (the reader cannot hold it unless
    /// an earlier page of this pull gave it); an older one is modified. A removal counts only
    /// if the reader can hold the row: a row inserted after the reader's position was never
    /// given to it, so adding and removing it between two calls shows in neither list.
    pub fn sort(from: &FeedCursor, mut changes: Vec<FeedChange>, count: u16, through: i64) -> Self {
        let has_more = changes.len() > usize::from(count);
        changes.truncate(usize::from(count));
        let position = match (has_more, changes.last()) {
            (true, Some(last)) => {
                let (seq, id) = last.key();
                FeedPosition { seq, id: Some(id) }
            }
            _ => FeedPosition::after(through.max(from.position.seq)),
        };
        let base_seq = if has_more { from.base_seq } else { position.seq };
        let (mut added, mut modified, mut removed) = (Vec::new(), Vec::new(), Vec::new());
        for change in changes {
            match change {
                FeedChange::Changed(c) if c.created_seq > from.base_seq => added.push(c),
                FeedChange::Changed(c) => modified.push(c),
                FeedChange::Removed(r) if r.created_seq <= from.position.seq => removed.push(r),
                FeedChange::Removed(_) => {}
            }
        }
        let next = FeedCursor { base_seq, position, ..from.clone() };
        Self { added, modified, removed, next, has_more }
    }
}

/// Where a reader without a cursor starts: before every change, holding nothing.
pub fn start(user: UserId, connection: Option<ConnectionId>) -> FeedCursor {
    FeedCursor { base_seq: 0, position: FeedPosition::START, user, connection }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::money::{Currency, Money};
    use crate::transaction::{Category, PaymentChannel, ReportedTransaction, TransactionStatus, TransactionType};

    fn transaction(n: u128) -> Transaction {
        Transaction {
            id: TransactionId::from_uuid(uuid::Uuid::from_u128(n)),
            account_id: AccountId::from_uuid(uuid::Uuid::from_u128(1)),
            connection_id: ConnectionId::from_uuid(uuid::Uuid::from_u128(2)),
            reported: ReportedTransaction {
                external_id: format!("tx-{n}"),
                amount: Money::from_minor(-100, Currency::USD),
                transaction_type: TransactionType::Debit,
                status: TransactionStatus::Posted,
                date: NaiveDate::from_ymd_opt(2026, 1, 1).expect("a day"),
                authorized_at: None,
                posted_at: None,
                merchant_name: "Shop".into(),
                description: "SHOP".into(),
                category: Category::Shopping,
                location: None,
                payment_channel: PaymentChannel::Online,
                refund_of: None,
                counterpart_external_id: None,
            },
            counterpart_id: None,
        }
    }

    fn changed(n: u128, created_seq: i64, change_seq: i64) -> FeedChange {
        FeedChange::Changed(ChangedTransaction {
            transaction: transaction(n),
            created_seq,
            change_seq,
            posted_seq: None,
        })
    }

    fn removed(n: u128, created_seq: i64, removed_seq: i64) -> FeedChange {
        let t = transaction(n);
        FeedChange::Removed(RemovedTransaction {
            id: t.id,
            account_id: t.account_id,
            connection_id: t.connection_id,
            created_seq,
            posted_seq: None,
            removed_seq,
        })
    }

    fn reader(base_seq: i64, position: FeedPosition) -> FeedCursor {
        FeedCursor { base_seq, position, ..start(UserId::from_uuid(uuid::Uuid::from_u128(9)), None) }
    }

    fn ids(rows: &[ChangedTransaction]) -> Vec<u128> {
        rows.iter().map(|c| c.transaction.id.as_uuid().as_u128()).collect()
    }

    #[test]
    fn a_cursor_reads_back_what_it_wrote() {
        let cursor = FeedCursor {
            base_seq: 7,
            position: FeedPosition { seq: 9, id: Some(transaction(5).id) },
            user: UserId::new(),
            connection: Some(ConnectionId::new()),
        };
        assert_eq!(FeedCursor::decode(&cursor.encode()), Ok(cursor.clone()));
        let open = FeedCursor { position: FeedPosition::after(3), connection: None, ..cursor };
        assert_eq!(FeedCursor::decode(&open.encode()), Ok(open));
        assert_eq!(FeedCursor::decode("not a cursor"), Err(FeedCursorError::Malformed));
        assert_eq!(FeedCursor::decode(&URL_SAFE_NO_PAD.encode("f1|1|2")), Err(FeedCursorError::Malformed));
    }

    #[test]
    fn a_query_names_each_bad_field_and_a_foreign_cursor() {
        let user = UserId::new();
        let errors =
            FeedQuery::parse(&RawFeedQuery { connection_id: Some("x"), count: Some("501"), cursor: None }, user)
                .expect_err("bad");
        assert!(errors.fields().get("connectionId").is_some() && errors.fields().get("count").is_some(), "{errors:?}");
        assert_eq!(FeedQuery::parse(&RawFeedQuery::default(), user).map(|q| q.count), Ok(100));
        let theirs = start(UserId::new(), None).encode();
        let errors = FeedQuery::parse(&RawFeedQuery { cursor: Some(&theirs), ..Default::default() }, user)
            .expect_err("another user's cursor");
        assert!(errors.fields().get("cursor").is_some());
        let all = start(user, None).encode();
        let connection = ConnectionId::new().to_string();
        let other_filter = RawFeedQuery { cursor: Some(&all), connection_id: Some(&connection), count: None };
        assert!(FeedQuery::parse(&other_filter, user).is_err(), "a cursor is bound to its connectionId");
        assert!(FeedQuery::parse(&RawFeedQuery { cursor: Some(&all), ..Default::default() }, user).is_ok());
    }

    #[test]
    fn changes_sort_into_added_modified_and_removed() {
        let from = reader(10, FeedPosition::after(10));
        let changes =
            vec![changed(1, 4, 11), changed(2, 11, 11), removed(3, 5, 12), removed(4, 11, 12), changed(5, 12, 13)];
        let page = FeedPage::sort(&from, changes, 100, 13);
        assert_eq!(ids(&page.added), vec![2, 5]);
        assert_eq!(ids(&page.modified), vec![1]);
        assert_eq!(
            page.removed.iter().map(|r| r.id.as_uuid().as_u128()).collect::<Vec<_>>(),
            vec![3],
            "4 never reached the reader"
        );
        assert!(!page.has_more);
        assert_eq!((page.next.base_seq, page.next.position), (13, FeedPosition::after(13)));
    }

    #[test]
    fn a_full_page_stops_inside_a_write_and_keeps_its_base() {
        let from = reader(0, FeedPosition::START);
        let changes = vec![changed(1, 1, 1), changed(2, 1, 1), changed(3, 1, 1)];
        let page = FeedPage::sort(&from, changes, 2, 1);
        assert!(page.has_more);
        assert_eq!(ids(&page.added), vec![1, 2]);
        assert_eq!(page.next.position, FeedPosition { seq: 1, id: Some(transaction(2).id) });
        assert_eq!(page.next.base_seq, 0, "the pull is not complete");
    }

    #[test]
    fn an_empty_page_moves_to_the_committed_seq() {
        let from = reader(4, FeedPosition::after(4));
        let page = FeedPage::sort(&from, Vec::new(), 10, 9);
        assert!(!page.has_more && page.added.is_empty());
        assert_eq!(page.next.position, FeedPosition::after(9));
    }
}
