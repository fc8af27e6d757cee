//! The registration hot path: one thread writes registrations in batches.
//!
//! The day registration opens, hundreds of registrants arrive at once. Each registration
//! is a short write transaction, but SQLite admits one writer at a time, and handing the
//! write lock from request to request (and committing each) costs more than the work
//! itself. Requests therefore queue their validated registration here; a writer thread
//! takes everything queued (up to `BATCH`), runs each registration in a savepoint of one
//! write transaction, commits once, and answers each request. A registration that fails
//! rolls back its savepoint alone. Under light load a batch holds one registration, so
//! nothing waits for company. The registration window is checked in the same transaction,
//! so no registration slips in after it closed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use diesel::Connection;

use super::form::{email_key, Registrant};
use super::model::SettingsRow;
use super::{already, register_within, settings, window_allows, Origin, Registered};
use crate::db::{write_tx, Pool};
use crate::error::AppError;
use crate::programme::Programme;

/// Registrations written per transaction at most.
const BATCH: usize = 64;
/// Registrations waiting at most; beyond, callers are told to retry (503 would be rude;
/// `rate_limited` says "slow down" in words people understand).
const QUEUE: usize = 4096;

struct Job {
    programme: Arc<Programme>,
    registrant: Registrant,
    origin: Origin,
    reply: tokio::sync::oneshot::Sender<Result<Registered, AppError>>,
}

/// Hands registrations to the writer thread.
pub struct Registrar {
    jobs: SyncSender<Job>,
    last_batch: Arc<AtomicU64>,
}

fn millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl Registrar {
    /// Starts the writer thread; it ends when the `Registrar` is dropped.
    pub fn start(pool: Pool) -> std::io::Result<Registrar> {
        let (jobs, rx) = sync_channel(QUEUE);
        let last_batch = Arc::new(AtomicU64::new(0));
        let stamp = last_batch.clone();
        std::thread::Builder::new()
            .name("registrar".into())
            .spawn(move || writer(pool, rx, stamp))?;
        Ok(Registrar { jobs, last_batch })
    }

    /// Milliseconds since registrations were last written (the outbox waits for a lull).
    pub fn idle_ms(&self) -> u64 {
        millis().saturating_sub(self.last_batch.load(Ordering::Relaxed))
    }

    /// Registers someone (the window already checked) and waits for the commit.
    pub async fn register(
        &self,
        programme: Arc<Programme>,
        registrant: Registrant,
        origin: Origin,
    ) -> Result<Registered, AppError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = Job {
            programme,
            registrant,
            origin,
            reply,
        };
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(AppError::RateLimited),
            Err(TrySendError::Disconnected(_)) => {
                return Err(AppError::Internal("the registration writer stopped".into()))
            }
        }
        answer
            .await
            .map_err(|_| AppError::Internal("the registration writer dropped a request".into()))?
    }
}

fn writer(pool: Pool, rx: Receiver<Job>, last_batch: Arc<AtomicU64>) {
    while let Ok(first) = rx.recv() {
        last_batch.store(millis(), Ordering::Relaxed);
        let mut jobs = vec![first];
        while jobs.len() < BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let results = run_batch(&pool, &jobs);
        for (job, result) in jobs.into_iter().zip(results) {
            // The caller may have gone (a closed connection); its registration stands.
            let _ = job.reply.send(result);
        }
    }
}

/// One write transaction for the batch, a savepoint per registration.
fn run_batch(pool: &Pool, jobs: &[Job]) -> Vec<Result<Registered, AppError>> {
    let mut conn = match pool.get() {
        Ok(c) => c,
        Err(e) => {
            return jobs
                .iter()
                .map(|_| Err(AppError::Internal(format!("database unavailable: {e}"))))
                .collect()
        }
    };
    let outcome = write_tx(&mut conn, |conn| {
        let mut results = Vec::with_capacity(jobs.len());
        // Settings read once per edition and batch: the window cannot change meanwhile,
        // this transaction holding the write lock.
        let mut windows: HashMap<String, SettingsRow> = HashMap::new();
        for job in jobs {
            let edition_id = &job.programme.edition.id;
            if !windows.contains_key(edition_id) {
                windows.insert(edition_id.clone(), settings(conn, edition_id)?);
            }
            if let Err(e) = window_allows(&windows[edition_id], &job.programme, &job.origin) {
                results.push(Err(e));
                continue;
            }
            let result = conn.transaction(|c| {
                register_within(c, &job.programme, job.registrant.clone(), &job.origin)
            });
            let result = match result {
                // Another registration of the same batch, or of a concurrent writer,
                // took this email a moment before.
                Err(AppError::Database(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ))) => already(
                    conn,
                    &job.programme.edition.id,
                    &email_key(&job.registrant.email),
                ),
                other => other,
            };
            results.push(result);
        }
        Ok::<_, AppError>(results)
    });
    match outcome {
        Ok(results) => results,
        Err(e) => {
            tracing::error!(error = %e, size = jobs.len(), "registration batch failed");
            jobs.iter()
                .map(|_| {
                    Err(AppError::Internal(format!(
                        "registration batch failed: {e}"
                    )))
                })
                .collect()
        }
    }
}
