//! The threads that run the hot, short reads — a page of transactions, the accounts — apart
//! from the blocking work everything else queues on (syncs waiting for a lease, generation,
//! password hashing). A flood of syncs then cannot hold a page read back, and a flood of page
//! reads runs on a few threads that stay warm instead of starting one per request.

use std::sync::OnceLock;

use tokio::runtime::{Builder, Runtime};

use crate::error::ApiError;

/// Threads for quick reads, per process. On SQLite a read holds one of the pool's four
/// connections for all of its run and the rest wait for one; on PostgreSQL (a pool of 16) a
/// read mostly waits on the network, and eight in flight keep the server busy.
const THREADS: usize = 8;

/// A runtime used only for its blocking pool; it lives as long as the process.
fn pool() -> &'static Runtime {
    static POOL: OnceLock<Runtime> = OnceLock::new();
    POOL.get_or_init(|| {
        Builder::new_current_thread()
            .max_blocking_threads(THREADS)
            .thread_name("sandbank-read")
            .build()
            .expect("the quick-read threads")
    })
}

/// Runs `work` (a short read) on the quick-read threads.
pub async fn run<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    pool().spawn_blocking(work).await.map_err(|error| {
        tracing::error!(%error, "a quick read did not finish");
        ApiError::internal()
    })
}

/// `known`, when it was told on the request's own thread; otherwise `read` on the quick-read
/// threads. For a listing that tries its version read at once first (`known_at_once`).
pub async fn unless_known<T, E>(
    known: Option<T>,
    read: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    E: Send + 'static,
    ApiError: From<E>,
{
    match known {
        Some(known) => Ok(known),
        None => Ok(run(read).await??),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn reads_run_on_their_own_threads_and_give_their_result() {
        let name = run(|| std::thread::current().name().map(str::to_owned)).await.expect("ran");
        assert_eq!(name.as_deref(), Some("sandbank-read"));
        assert!(run(|| panic!("a bug")).await.is_err(), "a panic is a 500, not a crash");
    }

    #[actix_web::test]
    async fn what_is_known_is_not_read_again() {
        let read = || Ok::<_, ApiError>(std::thread::current().name().map(str::to_owned));
        let known = unless_known(Some(Some("known".to_owned())), read).await.expect("known");
        assert_eq!(known.as_deref(), Some("known"));
        let read_here = unless_known(None, read).await.expect("read");
        assert_eq!(read_here.as_deref(), Some("sandbank-read"), "read on the quick-read threads");
        let failed = unless_known(None, || Err::<(), _>(ApiError::internal())).await;
        assert!(failed.is_err(), "the read's error is the answer");
    }
}
