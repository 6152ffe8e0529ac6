//! The job queue's own speed, on SQLite and (with `SANDBANK_TEST_PG`) PostgreSQL: how many
//! empty jobs two workers claim and settle per second, and how long a job waits from enqueue to
//! start when the workers are idle (they poll every 50 ms, as `sandbank serve` does).
//!
//! `cargo bench -p sandbank-services --bench queue`

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use sandbank_domain::JobId;
use sandbank_domain::job::{JobKind, JobStatus};
use sandbank_store::test_database::{TestBackend, TestDatabase};
use sandbank_store::{Db, jobs};

const JOBS: usize = 2_000;
const IDLE_POLL: Duration = Duration::from_millis(50);

fn claim_and_settle(db: &Db, name: &str) -> Option<JobId> {
    let now = Utc::now();
    let job = db.write(|conn| jobs::claim(conn, name, now, now + TimeDelta::seconds(60))).expect("claim")?;
    db.write(|conn| jobs::settle(conn, job.id, name, JobStatus::Succeeded, None, None)).expect("settle");
    Some(job.id)
}

fn run(backend: TestBackend) -> Option<()> {
    let database = TestDatabase::create(backend)?;
    let db = database.migrated();
    db.write(|conn| {
        for _ in 0..JOBS {
            jobs::enqueue(conn, JobKind::SyncProviderConnection, None, None, 3, Utc::now())?;
        }
        Ok::<_, sandbank_store::StoreError>(())
    })
    .expect("enqueued");
    let started = Instant::now();
    let workers: Vec<_> = (0..2)
        .map(|n| {
            let db = db.clone();
            std::thread::spawn(move || {
                let name = format!("bench-{n}");
                let mut done = 0;
                while claim_and_settle(&db, &name).is_some() {
                    done += 1;
                }
                done
            })
        })
        .collect();
    let done: usize = workers.into_iter().map(|w| w.join().expect("worker")).sum();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{backend:?}: {done} empty jobs claimed and settled by 2 workers in {seconds:.2} s = {:.0} jobs/s",
        done as f64 / seconds
    );

    // Idle latency: one worker polling; jobs arrive one at a time.
    let enqueued: Arc<Mutex<HashMap<JobId, Instant>>> = Arc::default();
    let waits: Arc<Mutex<Vec<f64>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let worker = {
        let (db, enqueued, waits, stop) = (db.clone(), enqueued.clone(), waits.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match claim_and_settle(&db, "idle-worker") {
                    Some(id) => {
                        let at = enqueued.lock().expect("lock").remove(&id);
                        if let Some(at) = at {
                            waits.lock().expect("lock").push(at.elapsed().as_secs_f64() * 1000.0);
                        }
                    }
                    None => std::thread::sleep(IDLE_POLL),
                }
            }
        })
    };
    for round in 0..40u64 {
        std::thread::sleep(Duration::from_millis(30 + (round * 37) % 100));
        let mut map = enqueued.lock().expect("lock");
        let job = db
            .write(|conn| jobs::enqueue(conn, JobKind::SyncProviderConnection, None, None, 3, Utc::now()))
            .expect("enqueue");
        map.insert(job.id, Instant::now());
    }
    std::thread::sleep(IDLE_POLL * 3);
    stop.store(true, Ordering::Relaxed);
    worker.join().expect("worker");
    let mut waits = waits.lock().expect("lock").clone();
    waits.sort_by(f64::total_cmp);
    let at = |p: f64| waits[((waits.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{backend:?}: enqueue to start at idle ({} jobs, polling every 50 ms): p50 {:.1} ms, p99 {:.1} ms",
        waits.len(),
        at(0.5),
        at(0.99)
    );
    Some(())
}

fn main() {
    run(TestBackend::Sqlite);
    if run(TestBackend::Postgres).is_none() {
        println!("PostgreSQL skipped: set SANDBANK_TEST_PG to include it");
    }
}
