//! The job queue on both backends: a claimed job is nobody else's until its lease runs out; a
//! worker that died (never settled) loses the job to the next one, which counts a new attempt.

use chrono::{TimeDelta, Utc};
use sandbank_domain::job::{JobKind, JobStatus};
use sandbank_store::jobs;
use sandbank_store::test_database::{TestBackend, TestDatabase};

fn lease_runs_out(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend) else { return };
    let db = database.migrated();
    let job = db
        .write(|conn| jobs::enqueue(conn, JobKind::SyncProviderConnection, None, None, 3, Utc::now()))
        .expect("enqueued");

    let now = Utc::now();
    let claimed =
        db.write(|conn| jobs::claim(conn, "dead-worker", now, now + TimeDelta::milliseconds(300))).expect("claim");
    let claimed = claimed.expect("the due job");
    assert_eq!((claimed.id, claimed.status, claimed.attempts), (job.id, JobStatus::Running, 1));
    let again = db
        .write(|conn| jobs::claim(conn, "other-worker", Utc::now(), Utc::now() + TimeDelta::seconds(60)))
        .expect("claim");
    assert_eq!(again, None, "held under its lease");

    std::thread::sleep(std::time::Duration::from_millis(400));
    let taken = db
        .write(|conn| jobs::claim(conn, "other-worker", Utc::now(), Utc::now() + TimeDelta::seconds(60)))
        .expect("claim");
    let taken = taken.expect("the lease ran out");
    assert_eq!((taken.id, taken.attempts), (job.id, 2));
    let late =
        db.write(|conn| jobs::settle(conn, job.id, "dead-worker", JobStatus::Succeeded, None, None)).expect("settle");
    assert!(!late, "the dead worker no longer holds it");
    let done =
        db.write(|conn| jobs::settle(conn, job.id, "other-worker", JobStatus::Succeeded, None, None)).expect("settle");
    assert!(done);
    let stored = db.read(|conn| jobs::find(conn, job.id)).expect("find").expect("the job");
    assert_eq!(stored.status, JobStatus::Succeeded);
    assert!(stored.finished_at.is_some());
}

fn concurrent_workers_never_share_a_job(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend) else { return };
    let db = database.migrated();
    for _ in 0..60 {
        db.write(|conn| jobs::enqueue(conn, JobKind::SyncProviderConnection, None, None, 3, Utc::now()))
            .expect("enqueued");
    }
    let workers: Vec<_> = (0..4)
        .map(|n| {
            let db = db.clone();
            std::thread::spawn(move || {
                let name = format!("worker-{n}");
                let mut mine = Vec::new();
                loop {
                    let now = Utc::now();
                    let claimed =
                        db.write(|conn| jobs::claim(conn, &name, now, now + TimeDelta::seconds(60))).expect("claim");
                    let Some(job) = claimed else { break };
                    assert!(
                        db.write(|conn| jobs::settle(conn, job.id, &name, JobStatus::Succeeded, None, None))
                            .expect("settle")
                    );
                    mine.push(job.id);
                }
                mine
            })
        })
        .collect();
    let mut all: Vec<_> = workers.into_iter().flat_map(|w| w.join().expect("worker")).collect();
    assert_eq!(all.len(), 60, "every job ran");
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 60, "no job ran twice");
}

#[test]
fn a_dead_workers_job_is_taken_again_on_sqlite() {
    lease_runs_out(TestBackend::Sqlite);
}

#[test]
fn a_dead_workers_job_is_taken_again_on_postgres() {
    lease_runs_out(TestBackend::Postgres);
}

#[test]
fn concurrent_workers_never_share_a_job_on_sqlite() {
    concurrent_workers_never_share_a_job(TestBackend::Sqlite);
}

#[test]
fn concurrent_workers_never_share_a_job_on_postgres() {
    concurrent_workers_never_share_a_job(TestBackend::Postgres);
}
