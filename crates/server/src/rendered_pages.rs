//! Listing pages (of transactions, and the accounts list) kept as the JSON bytes sent, so that
//! asking for a page again at the same version of the user's data costs one version read
//! instead of the page query and its rendering. An entry is served only for the version it was
//! rendered at (read afresh for every request, as the `ETag` is), so a write in any process
//! retires it: never a stale page.

use actix_web::web::Bytes;
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use sandbank_domain::UserId;
use sandbank_domain::transaction_query::TransactionQuery;
use sandbank_services::use_cases::accounts::AccountFilter;
use serde::Serialize;

/// What a page is kept under: whose, and which listing. Each listing has its own version: the
/// user's transactions' for pages of them, their accounts' for the accounts list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageKey {
    /// A page of transactions: its query (filters, sort, cursor and limit).
    Transactions(UserId, TransactionQuery),
    /// The accounts list, filtered.
    Accounts(UserId, AccountFilter),
}

/// Rendered listing pages, at most `capacity` bytes of them (the least useful go first).
pub struct RenderedPages {
    pages: Option<Cache<PageKey, (i64, Bytes), ByLength>>,
}

impl std::fmt::Debug for RenderedPages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = self.pages.as_ref().map_or(0, Cache::weight);
        f.debug_struct("RenderedPages").field("bytes", &kept).finish()
    }
}

/// A page weighs its bytes (and its key, roughly).
#[derive(Debug, Clone, Copy)]
struct ByLength;

impl Weighter<PageKey, (i64, Bytes)> for ByLength {
    fn weight(&self, _: &PageKey, (_, body): &(i64, Bytes)) -> u64 {
        body.len() as u64 + 256
    }
}

/// The size of a typical page of 50 rows, to size the cache's table.
const TYPICAL_PAGE: u64 = 24 * 1024;

impl RenderedPages {
    /// A store of at most `capacity` bytes; none at all when 0.
    pub fn new(capacity: u64) -> Self {
        let pages = (capacity > 0).then(|| {
            let items = usize::try_from(capacity / TYPICAL_PAGE).unwrap_or(usize::MAX).max(16);
            Cache::with_weighter(items, capacity, ByLength)
        });
        Self { pages }
    }

    /// The page of `key`, if it was rendered at `version`.
    pub fn get(&self, key: &PageKey, version: i64) -> Option<Bytes> {
        let (kept_at, body) = self.pages.as_ref()?.get(key)?;
        (kept_at == version).then_some(body)
    }

    /// Renders `page` as JSON and keeps it as `key`'s page at `version`; the bytes to send.
    pub fn render(&self, key: PageKey, version: i64, page: &impl Serialize) -> serde_json::Result<Bytes> {
        let body = Bytes::from(serde_json::to_vec(page)?);
        self.put(key, version, body.clone());
        Ok(body)
    }

    /// Keeps `body` as `key`'s page at `version`, in place of any older one.
    fn put(&self, key: PageKey, version: i64, body: Bytes) {
        if let Some(pages) = &self.pages {
            pages.insert(key, (version, body));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(user: UserId, limit: &str) -> PageKey {
        let raw = sandbank_domain::transaction_query::RawTransactionQuery { limit: Some(limit), ..Default::default() };
        PageKey::Transactions(user, TransactionQuery::parse(&raw).expect("valid"))
    }

    #[test]
    fn a_page_is_served_only_at_the_version_it_was_rendered_at() {
        let pages = RenderedPages::new(1 << 20);
        let user = UserId::new();
        pages.put(key(user, "50"), 7, Bytes::from_static(b"seven"));
        assert_eq!(pages.get(&key(user, "50"), 7).as_deref(), Some(&b"seven"[..]));
        assert_eq!(pages.get(&key(user, "50"), 8), None, "a newer version retires it");
        assert_eq!(pages.get(&key(user, "49"), 7), None, "another query");
        assert_eq!(pages.get(&key(UserId::new(), "50"), 7), None, "another user");
        assert_eq!(pages.get(&PageKey::Accounts(user, AccountFilter::default()), 7), None, "another listing");
        pages.put(key(user, "50"), 8, Bytes::from_static(b"eight"));
        assert_eq!(pages.get(&key(user, "50"), 7), None, "replaced");
        assert_eq!(pages.get(&key(user, "50"), 8).as_deref(), Some(&b"eight"[..]));
    }

    #[test]
    fn no_capacity_keeps_nothing_and_the_capacity_bounds_what_is_kept() {
        let user = UserId::new();
        let none = RenderedPages::new(0);
        none.put(key(user, "50"), 1, Bytes::from_static(b"x"));
        assert_eq!(none.get(&key(user, "50"), 1), None);

        let small = RenderedPages::new(64 * 1024);
        for limit in 1..=100 {
            small.put(key(user, &limit.to_string()), 1, Bytes::from(vec![b'x'; 4096]));
        }
        let kept = small.pages.as_ref().map_or(0, Cache::weight);
        assert!(kept <= 64 * 1024, "{kept} bytes kept");
        assert!((1..=100).any(|limit| small.get(&key(user, &limit.to_string()), 1).is_some()));
    }
}
