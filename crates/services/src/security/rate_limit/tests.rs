//! The limiter against a real database (SQLite, and PostgreSQL when `SANDBANK_TEST_PG` is set),
//! on a clock the test moves.

use std::sync::Mutex;

use sandbank_store::test_database::{TestBackend, TestDatabase};

use super::*;

/// A database, a limiter on it and the hand that moves its clock.
struct Fixture {
    limiter: RateLimiter,
    db: Db,
    now: Arc<Mutex<DateTime<Utc>>>,
    _database: TestDatabase,
}

impl Fixture {
    fn on(backend: TestBackend) -> Option<Self> {
        let database = TestDatabase::create(backend)?;
        let db = database.migrated();
        let start = DateTime::parse_from_rfc3339("2026-12-02T12:00:00Z").expect("time").with_timezone(&Utc);
        let now = Arc::new(Mutex::new(start));
        let clock_now = now.clone();
        let clock: Clock = Arc::new(move || *clock_now.lock().expect("clock"));
        Some(Self { limiter: RateLimiter::with_clock(db.clone(), clock), db, now, _database: database })
    }

    fn at(&self, hh_mm_ss: &str) {
        let time = DateTime::parse_from_rfc3339(&format!("2026-12-02T{hh_mm_ss}Z")).expect("time");
        *self.now.lock().expect("clock") = time.with_timezone(&Utc);
    }

    fn rows(&self) -> i64 {
        self.db.read(rate_limits::count).expect("count")
    }
}

fn backends() -> impl Iterator<Item = Fixture> {
    [TestBackend::Sqlite, TestBackend::Postgres].into_iter().filter_map(Fixture::on)
}

fn refused_for(result: Result<Hit, ServiceError>) -> u64 {
    match result {
        Err(ServiceError::RateLimited { retry_after_secs }) => retry_after_secs,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn keys_have_a_fixed_size_whatever_they_count() {
    let short = RateKey::new(&["login", "a@b.co"]);
    let long = RateKey::new(&["login", &"x".repeat(60_000)]);
    assert_eq!((short.as_str().len(), long.as_str().len()), (64, 64));
    assert_ne!(RateKey::new(&["ab", "c"]), RateKey::new(&["a", "bc"]));
}

#[test]
fn sliding_window_lets_no_burst_through_at_a_window_boundary() {
    let limit = Limit::per_minute(10);
    for fx in backends() {
        let key = RateKey::new(&["login", "ada@example.com", "10.0.0.1"]);
        fx.at("12:00:59");
        for _ in 0..10 {
            fx.limiter.check(&key, limit).expect("within the limit");
        }
        assert!(refused_for(fx.limiter.check(&key, limit)) >= 1);
        // A fixed window would open again at 12:01:00; the sliding one stays shut for the
        // minute that follows the burst.
        for second in 0..54 {
            fx.at(&format!("12:01:{second:02}"));
            let wait = refused_for(fx.limiter.check(&key, limit));
            assert!((1..=66).contains(&wait), "{second}: {wait}");
        }
        fx.at("12:02:00");
        fx.limiter.check(&key, limit).expect("the burst has left the window");
    }
}

#[test]
fn retry_after_names_the_first_second_that_is_allowed() {
    let limit = Limit::per_minute(10);
    for fx in backends() {
        let key = RateKey::new(&["k"]);
        let start = DateTime::parse_from_rfc3339("2026-12-02T12:00:06.100Z").expect("time").with_timezone(&Utc);
        *fx.now.lock().expect("clock") = start;
        for _ in 0..10 {
            fx.limiter.check(&key, limit).expect("within the limit");
        }
        let wait = refused_for(fx.limiter.check(&key, limit));
        // The hits share one 6 s slice, which leaves the window gradually: up to a slice late.
        assert!((60..=66).contains(&wait), "{wait}");
        let later = |secs: u64| start + TimeDelta::seconds(i64::try_from(secs).expect("small"));
        *fx.now.lock().expect("clock") = later(wait - 1);
        refused_for(fx.limiter.check(&key, limit));
        *fx.now.lock().expect("clock") = later(wait);
        fx.limiter.check(&key, limit).expect("allowed when Retry-After said");
    }
}

#[test]
fn refused_attempts_and_taken_back_ones_do_not_count() {
    let limit = Limit::per_minute(2);
    for fx in backends() {
        let key = RateKey::new(&["k"]);
        fx.at("12:00:01");
        let first = fx.limiter.check(&key, limit).expect("first");
        fx.limiter.check(&key, limit).expect("second");
        refused_for(fx.limiter.check(&key, limit));
        refused_for(fx.limiter.check(&key, limit));
        fx.db.write(|conn| first.take_back_in(conn)).expect("taken back");
        fx.limiter.check(&key, limit).expect("room again");
        refused_for(fx.limiter.check(&key, limit));
    }
}

#[test]
fn check_all_counts_every_key_or_none() {
    let limit = Limit::per_minute(1);
    for fx in backends() {
        fx.at("12:00:01");
        let (a, b) = (RateKey::new(&["a"]), RateKey::new(&["b"]));
        fx.limiter.check(&b, limit).expect("b once");
        refused_for(fx.limiter.check_all(&[(&a, limit), (&b, limit)]).map(|mut hits| hits.remove(0)));
        let hits = fx.limiter.check_all(&[(&a, limit)]).expect("a was not counted by the refused pair");
        assert_eq!(hits.len(), 1);
    }
}

#[test]
fn purge_removes_expired_rows_at_most_every_thirty_seconds() {
    let limit = Limit::per_minute(10);
    for fx in backends() {
        fx.at("12:00:00");
        for n in 0..5 {
            fx.limiter.check(&RateKey::new(&["junk", &n.to_string()]), limit).expect("counted");
        }
        assert_eq!(fx.rows(), 5);
        // Rows live one window past their slice: at 12:01:06 they have all expired, but the
        // last purge (12:00:00) was too recent to run another.
        fx.at("12:00:20");
        fx.limiter.check(&RateKey::new(&["other"]), limit).expect("counted");
        assert_eq!(fx.rows(), 6);
        fx.at("12:01:30");
        fx.limiter.check(&RateKey::new(&["late"]), limit).expect("counted");
        assert_eq!(fx.rows(), 1, "only the row just written is left");
    }
}
