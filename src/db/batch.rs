//! A writer thread that runs queued jobs in batches, one write transaction per batch.
//!
//! SQLite admits one writer at a time, and handing its write lock from request to request
//! (and committing each) costs more than a short transaction itself. Requests therefore
//! queue their job here; the thread takes everything queued (up to `batch`), runs the jobs
//! in one write transaction, commits once and answers each request. Under light load a
//! batch holds one job, so nothing waits for company. On PostgreSQL the same batching
//! saves round trips and commits.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use super::{write_tx, DbConnection, Pool};
use crate::error::AppError;

type Reply<R> = tokio::sync::oneshot::Sender<Result<R, AppError>>;

/// Runs one batch inside the write transaction: one result per job, in order. An `Err`
/// rolls the whole batch back; jobs that may fail alone use savepoints.
pub trait BatchJob: Send + 'static {
    type Out: Send + 'static;
    fn run_batch(
        conn: &mut DbConnection,
        jobs: &[Self],
    ) -> Result<Vec<Result<Self::Out, AppError>>, AppError>
    where
        Self: Sized;
}

/// Hands jobs to the writer thread.
pub struct Batcher<J: BatchJob> {
    jobs: SyncSender<(J, Reply<J::Out>)>,
    last_batch: Arc<AtomicU64>,
}

fn millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl<J: BatchJob> Batcher<J> {
    /// Starts the writer thread; it ends when the `Batcher` is dropped. Beyond `queue`
    /// waiting jobs, callers are told to slow down (`rate_limited`).
    pub fn start(name: &str, pool: Pool, queue: usize, batch: usize) -> std::io::Result<Self> {
        let (jobs, rx) = sync_channel(queue);
        let last_batch = Arc::new(AtomicU64::new(0));
        let stamp = last_batch.clone();
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || writer(pool, rx, stamp, batch))?;
        Ok(Batcher { jobs, last_batch })
    }

    /// Milliseconds since a batch was last written.
    pub fn idle_ms(&self) -> u64 {
        millis().saturating_sub(self.last_batch.load(Ordering::Relaxed))
    }

    /// Queues a job and waits for its transaction to commit.
    pub async fn submit(&self, job: J) -> Result<J::Out, AppError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        match self.jobs.try_send((job, reply)) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(AppError::RateLimited),
            Err(TrySendError::Disconnected(_)) => {
                return Err(AppError::Internal("a database writer stopped".into()))
            }
        }
        answer
            .await
            .map_err(|_| AppError::Internal("a database writer dropped a request".into()))?
    }
}

fn writer<J: BatchJob>(
    pool: Pool,
    rx: Receiver<(J, Reply<J::Out>)>,
    last_batch: Arc<AtomicU64>,
    batch: usize,
) {
    while let Ok(first) = rx.recv() {
        last_batch.store(millis(), Ordering::Relaxed);
        let mut queued = vec![first];
        while queued.len() < batch {
            match rx.try_recv() {
                Ok(next) => queued.push(next),
                Err(_) => break,
            }
        }
        let (jobs, replies): (Vec<J>, Vec<Reply<J::Out>>) = queued.into_iter().unzip();
        let results = run(&pool, &jobs);
        for (reply, result) in replies.into_iter().zip(results) {
            // The caller may have gone (a closed connection); what it asked for stands.
            let _ = reply.send(result);
        }
    }
}

fn run<J: BatchJob>(pool: &Pool, jobs: &[J]) -> Vec<Result<J::Out, AppError>> {
    let fail = |e: String| {
        jobs.iter()
            .map(|_| Err(AppError::Internal(e.clone())))
            .collect()
    };
    let mut conn = match pool.get() {
        Ok(c) => c,
        Err(e) => return fail(format!("database unavailable: {e}")),
    };
    match write_tx(&mut conn, |conn| J::run_batch(conn, jobs)) {
        Ok(results) if results.len() == jobs.len() => results,
        Ok(_) => fail("a batch answered the wrong number of jobs".into()),
        Err(e) => {
            tracing::error!(error = %e, size = jobs.len(), "batch failed");
            fail(format!("batch failed: {e}"))
        }
    }
}
