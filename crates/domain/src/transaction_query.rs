//! A transaction listing as asked for: filters, sort, page size and the keyset cursor, parsed
//! from the query string's text so that every bad value is named by its field.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDate;

use crate::ids::{AccountId, ConnectionId, TransactionId, UserId};
use crate::text_enum::text_enum;
use crate::transaction::{Category, TransactionStatus, TransactionType};
use crate::validation::FieldErrors;

text_enum!(
    /// What a listing is ordered by (ties are broken by id).
    SortBy {
        /// The transaction's day.
        Date => "date",
        /// The signed amount.
        Amount => "amount",
    }
);

text_enum!(
    /// Which way.
    SortOrder {
        /// Smallest first.
        Asc => "asc",
        /// Largest (newest) first.
        Desc => "desc",
    }
);

/// Which transactions a listing covers (always within one user's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TransactionFilter {
    /// Only this account's.
    pub account_id: Option<AccountId>,
    /// Only this connection's.
    pub connection_id: Option<ConnectionId>,
    /// Dated on or after.
    pub start_date: Option<NaiveDate>,
    /// Dated on or before.
    pub end_date: Option<NaiveDate>,
    /// Only this category.
    pub category: Option<Category>,
    /// Only this status.
    pub status: Option<TransactionStatus>,
    /// Only debits or only credits.
    pub transaction_type: Option<TransactionType>,
    /// Only those whose merchant name or description contains this text.
    pub text: Option<SearchText>,
}

/// Text looked for in a transaction's merchant name or description: a case-insensitive
/// substring, 3–100 characters (three so that an index of trigrams can find it), no control
/// characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchText(String);

impl SearchText {
    /// The shortest text searched for, in characters.
    pub const MIN_CHARS: usize = 3;
    /// The longest text searched for, in characters.
    pub const MAX_CHARS: usize = 100;

    /// Checks `text`: not blank, [`Self::MIN_CHARS`] to [`Self::MAX_CHARS`] characters, none a
    /// control character.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.trim().is_empty() {
            return Err("must contain something to search for".into());
        }
        if text.chars().count() < Self::MIN_CHARS {
            return Err(format!("must be at least {} characters", Self::MIN_CHARS));
        }
        if text.chars().count() > Self::MAX_CHARS {
            return Err(format!("must be at most {} characters", Self::MAX_CHARS));
        }
        if text.chars().any(char::is_control) {
            return Err("must not contain control characters".into());
        }
        Ok(Self(text.to_owned()))
    }

    /// The text as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a page ends in the sort order: the sort key and id of its last row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortPosition {
    /// After (or before) this day.
    Date(NaiveDate),
    /// After (or before) this amount in minor units.
    Amount(i64),
}

/// The opaque cursor: where the last page ended, a fingerprint of the filters and sort it was
/// made for, and the total of the first page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TransactionCursor {
    /// The last row's sort key.
    pub position: SortPosition,
    /// The last row's id (the tie-breaker).
    pub id: TransactionId,
    /// Which filters and sort it belongs to.
    pub fingerprint: u64,
    /// How many rows matched when the first page was read.
    pub total: u64,
}

/// A cursor that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CursorError {
    /// Not a cursor this server made.
    #[error("is not a valid cursor")]
    Malformed,
    /// Made for other filters or another sort.
    #[error("was made for other filters or another sort; start again from the first page")]
    OtherQuery,
}

impl TransactionCursor {
    /// The cursor as an opaque string.
    pub fn encode(&self) -> String {
        let position = match self.position {
            SortPosition::Date(day) => format!("d{day}"),
            SortPosition::Amount(minor) => format!("a{minor}"),
        };
        let text = format!("1|{position}|{}|{:016x}|{}", self.id, self.fingerprint, self.total);
        URL_SAFE_NO_PAD.encode(text)
    }

    /// Reads a cursor made by [`TransactionCursor::encode`].
    pub fn decode(text: &str) -> Result<Self, CursorError> {
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| CursorError::Malformed)?;
        let text = String::from_utf8(bytes).map_err(|_| CursorError::Malformed)?;
        let parts: Vec<&str> = text.split('|').collect();
        let ["1", position, id, fingerprint, total] = parts.as_slice() else { return Err(CursorError::Malformed) };
        let position = match position.split_at_checked(1) {
            Some(("d", day)) => SortPosition::Date(day.parse().map_err(|_| CursorError::Malformed)?),
            Some(("a", minor)) => SortPosition::Amount(minor.parse().map_err(|_| CursorError::Malformed)?),
            _ => return Err(CursorError::Malformed),
        };
        Ok(Self {
            position,
            id: id.parse().map_err(|_| CursorError::Malformed)?,
            fingerprint: u64::from_str_radix(fingerprint, 16).map_err(|_| CursorError::Malformed)?,
            total: total.parse().map_err(|_| CursorError::Malformed)?,
        })
    }
}

/// A listing request, checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TransactionQuery {
    /// Which rows.
    pub filter: TransactionFilter,
    /// Ordered by.
    pub sort_by: SortBy,
    /// Which way.
    pub order: SortOrder,
    /// Page size, 1–500.
    pub limit: u16,
    /// Where the previous page ended.
    pub cursor: Option<TransactionCursor>,
}

/// A listing request as text, straight from the query string.
#[derive(Debug, Clone, Default)]
pub struct RawTransactionQuery<'a> {
    /// `accountId`.
    pub account_id: Option<&'a str>,
    /// `connectionId`.
    pub connection_id: Option<&'a str>,
    /// `startDate`, `YYYY-MM-DD`.
    pub start_date: Option<&'a str>,
    /// `endDate`, `YYYY-MM-DD`.
    pub end_date: Option<&'a str>,
    /// `category`.
    pub category: Option<&'a str>,
    /// `status`.
    pub status: Option<&'a str>,
    /// `type`.
    pub transaction_type: Option<&'a str>,
    /// `q`: text in the merchant name or description.
    pub text: Option<&'a str>,
    /// `sortBy`.
    pub sort_by: Option<&'a str>,
    /// `sortOrder`.
    pub sort_order: Option<&'a str>,
    /// `cursor`: the payload of a signed cursor, once the service has checked its signature.
    pub cursor: Option<&'a str>,
    /// `limit`.
    pub limit: Option<&'a str>,
}

impl TransactionQuery {
    /// The default page size.
    pub const DEFAULT_LIMIT: u16 = 50;
    /// The largest page size.
    pub const MAX_LIMIT: u16 = 500;

    /// Checks every field; all problems are reported together.
    pub fn parse(raw: &RawTransactionQuery<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let account_id = present(raw.account_id).and_then(|v| errors.uuid("accountId", v)).map(AccountId::from_uuid);
        let connection_id =
            present(raw.connection_id).and_then(|v| errors.uuid("connectionId", v)).map(ConnectionId::from_uuid);
        let (start_date, end_date) = parse_day_range(raw.start_date, raw.end_date, &mut errors);
        let category = present(raw.category).and_then(|v| errors.check("category", v.parse::<Category>()));
        let status = present(raw.status).and_then(|v| errors.check("status", v.parse::<TransactionStatus>()));
        let transaction_type =
            present(raw.transaction_type).and_then(|v| errors.check("type", v.parse::<TransactionType>()));
        let text = present(raw.text).and_then(|v| errors.check("q", SearchText::parse(v)));
        let sort_by = present(raw.sort_by).map_or(Some(SortBy::Date), |v| errors.check("sortBy", v.parse()));
        let order = present(raw.sort_order).map_or(Some(SortOrder::Desc), |v| errors.check("sortOrder", v.parse()));
        let limit = match present(raw.limit) {
            None => Some(Self::DEFAULT_LIMIT),
            Some(text) => match plain_number(text) {
                Some(limit) if (1..=Self::MAX_LIMIT).contains(&limit) => Some(limit),
                _ => {
                    errors.add("limit", format!("must be a whole number from 1 to {}", Self::MAX_LIMIT));
                    None
                }
            },
        };
        let filter = TransactionFilter {
            account_id,
            connection_id,
            start_date,
            end_date,
            category,
            status,
            transaction_type,
            text,
        };
        let cursor = present(raw.cursor).and_then(|text| errors.check("cursor", TransactionCursor::decode(text)));
        let (Some(sort_by), Some(order), Some(limit)) = (sort_by, order, limit) else { return Err(errors) };
        if let Some(cursor) = cursor {
            let kind_matches = matches!(
                (sort_by, cursor.position),
                (SortBy::Date, SortPosition::Date(_)) | (SortBy::Amount, SortPosition::Amount(_))
            );
            if !kind_matches || cursor.fingerprint != fingerprint(&filter, sort_by, order) {
                errors.add("cursor", CursorError::OtherQuery.to_string());
            }
        }
        errors.into_result(|| Self { filter, sort_by, order, limit, cursor })
    }

    /// The fingerprint of this query's filters and sort (what a cursor must match).
    pub fn fingerprint(&self) -> u64 {
        fingerprint(&self.filter, self.sort_by, self.order)
    }

    /// A stable hash of all that picks `user`'s page of this query: filters, sort, cursor and
    /// limit.
    pub fn page_key(&self, user: UserId) -> u64 {
        let cursor = self.cursor.map(|c| c.encode()).unwrap_or_default();
        fnv1a(&format!("{user}|{}|{}|{cursor}", self.fingerprint(), self.limit))
    }
}

/// Reads `startDate` and `endDate` (`YYYY-MM-DD`, either may be absent), recording a bad date
/// or a start after the end in `errors` under the field's name.
pub fn parse_day_range(
    start: Option<&str>,
    end: Option<&str>,
    errors: &mut FieldErrors,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let mut date = |field: &str, value: Option<&str>| {
        present(value).and_then(|v| {
            errors.check(field, NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| "must be a date as YYYY-MM-DD"))
        })
    };
    let (start, end) = (date("startDate", start), date("endDate", end));
    if let (Some(s), Some(e)) = (start, end)
        && s > e
    {
        errors.add("startDate", "must not be after endDate");
    }
    (start, end)
}

/// A query value, unless absent or empty.
pub(crate) fn present(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

/// `text` as a number when it is plain ASCII digits only: Rust's integer parse would also take a
/// leading `+`, which a query string should not.
pub(crate) fn plain_number(text: &str) -> Option<u16> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A stable hash (FNV-1a) of the filters and sort.
fn fingerprint(filter: &TransactionFilter, sort_by: SortBy, order: SortOrder) -> u64 {
    let text = format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{sort_by}|{order}",
        filter.account_id.map(|i| i.to_string()),
        filter.connection_id.map(|i| i.to_string()),
        filter.start_date,
        filter.end_date,
        filter.category.map(|c| c.as_str()),
        filter.status.map(|s| s.as_str()),
        filter.transaction_type.map(|t| t.as_str()),
        filter.text.as_ref().map(SearchText::as_str),
    );
    fnv1a(&text)
}

/// FNV-1a, 64 bits: the same on every machine and in every process.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01B3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<TransactionQuery, FieldErrors> {
        let get = |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        TransactionQuery::parse(&RawTransactionQuery {
            account_id: get("accountId"),
            connection_id: get("connectionId"),
            start_date: get("startDate"),
            end_date: get("endDate"),
            category: get("category"),
            status: get("status"),
            transaction_type: get("type"),
            text: get("q"),
            sort_by: get("sortBy"),
            sort_order: get("sortOrder"),
            cursor: get("cursor"),
            limit: get("limit"),
        })
    }

    fn fields(result: Result<TransactionQuery, FieldErrors>) -> Vec<String> {
        result.expect_err("invalid").fields().keys().cloned().collect()
    }

    #[test]
    fn defaults_and_every_bad_field() {
        let query = parse(&[]).expect("defaults");
        assert_eq!((query.sort_by, query.order, query.limit), (SortBy::Date, SortOrder::Desc, 50));
        assert_eq!(fields(parse(&[("limit", "abc")])), ["limit"]);
        assert_eq!(fields(parse(&[("limit", "0")])), ["limit"]);
        assert_eq!(fields(parse(&[("limit", "501")])), ["limit"]);
        assert_eq!(fields(parse(&[("startDate", "2026-13-01"), ("endDate", "yesterday")])), ["endDate", "startDate"]);
        assert_eq!(fields(parse(&[("startDate", "2026-05-02"), ("endDate", "2026-05-01")])), ["startDate"]);
        assert_eq!(
            fields(parse(&[("category", "snacks"), ("status", "x"), ("type", "y")])),
            ["category", "status", "type"]
        );
        assert_eq!(fields(parse(&[("sortBy", "merchant"), ("sortOrder", "up")])), ["sortBy", "sortOrder"]);
        assert_eq!(fields(parse(&[("accountId", "1"), ("connectionId", "2")])), ["accountId", "connectionId"]);
        assert_eq!(fields(parse(&[("cursor", "!!")])), ["cursor"]);
        assert_eq!(fields(parse(&[("q", "   ")])), ["q"]);
        assert_eq!(fields(parse(&[("q", "bp")])), ["q"], "under three characters no trigram index can help");
        assert_eq!(fields(parse(&[("q", &"x".repeat(101))])), ["q"]);
        assert_eq!(fields(parse(&[("q", "tab\there")])), ["q"]);
    }

    #[test]
    fn search_text_is_part_of_the_query_a_cursor_belongs_to() {
        let coffee = parse(&[("q", "Coffee")]).expect("valid");
        assert_eq!(coffee.filter.text.as_ref().map(SearchText::as_str), Some("Coffee"));
        assert!(parse(&[("q", &"é".repeat(100))]).is_ok(), "100 characters, whatever their bytes");
        assert_ne!(coffee.fingerprint(), parse(&[("q", "Tea")]).expect("valid").fingerprint());
        assert_ne!(coffee.fingerprint(), parse(&[]).expect("valid").fingerprint());
    }

    /// Issue #11, item 8: `limit=+5` was accepted.
    #[test]
    fn limit_takes_plain_digits_only() {
        for text in ["+5", "-5", " 5", "5 ", "5.0", "\u{0665}"] {
            assert_eq!(fields(parse(&[("limit", text)])), ["limit"], "limit={text:?}");
        }
        assert_eq!(parse(&[("limit", "5")]).map(|q| q.limit).ok(), Some(5));
        assert_eq!(parse(&[("limit", "005")]).map(|q| q.limit).ok(), Some(5));
    }

    #[test]
    fn cursors_round_trip_and_belong_to_their_query() {
        let query = parse(&[("category", "groceries")]).expect("valid");
        let cursor = TransactionCursor {
            position: SortPosition::Date(NaiveDate::from_ymd_opt(2026, 5, 1).expect("date")),
            id: TransactionId::new(),
            fingerprint: query.fingerprint(),
            total: 1234,
        };
        let text = cursor.encode();
        assert_eq!(TransactionCursor::decode(&text), Ok(cursor));
        assert!(
            parse(&[("category", "groceries"), ("cursor", &text), ("limit", "10")]).is_ok(),
            "page size may change"
        );
        assert_eq!(fields(parse(&[("category", "travel"), ("cursor", &text)])), ["cursor"]);
        assert_eq!(fields(parse(&[("category", "groceries"), ("sortBy", "amount"), ("cursor", &text)])), ["cursor"]);
        let amount = TransactionCursor { position: SortPosition::Amount(-4217), ..cursor };
        assert_eq!(TransactionCursor::decode(&amount.encode()), Ok(amount));
    }
    #[test]
    fn the_page_key_names_filters_sort_cursor_and_limit() {
        let user = UserId::new();
        let key = |pairs: &[(&str, &str)]| parse(pairs).expect("valid").page_key(user);
        let base = key(&[("limit", "50")]);
        assert_eq!(base, key(&[]), "50 is the default limit");
        for other in [key(&[("limit", "51")]), key(&[("status", "posted")]), key(&[("sortOrder", "asc")])] {
            assert_ne!(base, other);
        }
        let mut next = parse(&[]).expect("valid");
        let fingerprint = next.fingerprint();
        next.cursor = Some(TransactionCursor {
            position: SortPosition::Date(NaiveDate::from_ymd_opt(2026, 1, 2).expect("day")),
            id: TransactionId::new(),
            fingerprint,
            total: 9,
        });
        assert_ne!(base, next.page_key(user), "a later page has its own key");
        assert_ne!(base, parse(&[]).expect("valid").page_key(UserId::new()), "another user's page has its own key");
    }
}
