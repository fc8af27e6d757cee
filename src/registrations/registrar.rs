//! The registration hot path: one thread writes registrations in batches.
//!
//! The day registration opens, hundreds of registrants arrive at once. Requests queue their
//! validated registration on a `Batcher`; its thread runs each registration of a batch in
//! a savepoint of one write transaction and commits once. A registration that fails rolls
//! back its savepoint alone. The registration window is checked in the same transaction,
//! so no registration slips in after it closed.

use std::collections::HashMap;
use std::sync::Arc;

use diesel::Connection;

use super::form::{email_key, Registrant};
use super::model::SettingsRow;
use super::{already, lock_edition, register_within, settings, window_allows, Origin, Registered};
use crate::db::batch::{BatchJob, Batcher};
use crate::db::retry::Transient;
use crate::db::{DbConnection, Pool};
use crate::error::AppError;
use crate::programme::Programme;

/// Registrations written per transaction at most.
const BATCH: usize = 64;
/// Registrations waiting at most; beyond, callers are told to retry (503 would be rude;
/// `rate_limited` says "slow down" in words people understand).
const QUEUE: usize = 4096;

pub struct Job {
    programme: Arc<Programme>,
    registrant: Registrant,
    origin: Origin,
}

/// Hands registrations to the writer thread.
pub struct Registrar(Batcher<Job>);

impl Registrar {
    pub fn start(pool: Pool) -> std::io::Result<Registrar> {
        Batcher::start("registrar", pool, QUEUE, BATCH).map(Registrar)
    }

    /// Milliseconds since registrations were last written (the outbox waits for a lull).
    pub fn idle_ms(&self) -> u64 {
        self.0.idle_ms()
    }

    /// Registers someone (the window already checked) and waits for the commit.
    pub async fn register(
        &self,
        programme: Arc<Programme>,
        registrant: Registrant,
        origin: Origin,
    ) -> Result<Registered, AppError> {
        self.0
            .submit(Job {
                programme,
                registrant,
                origin,
            })
            .await
    }
}

impl BatchJob for Job {
    type Out = Registered;

    fn run_batch(
        conn: &mut DbConnection,
        jobs: &[Job],
    ) -> Result<Vec<Result<Registered, AppError>>, AppError> {
        let mut results = Vec::with_capacity(jobs.len());
        // Settings read once per edition and batch: the window cannot change meanwhile,
        // this transaction holding the write lock.
        let mut windows: HashMap<String, SettingsRow> = HashMap::new();
        // Every edition's counter row is locked first, in one order for every writer: two
        // servers with batches for the same editions in another arrival order would
        // otherwise each hold one and wait for the other's.
        let mut editions: Vec<&str> = jobs
            .iter()
            .map(|j| j.programme.edition.id.as_str())
            .collect();
        editions.sort_unstable();
        editions.dedup();
        for edition_id in editions {
            settings(conn, edition_id)?;
            lock_edition(conn, edition_id)?;
            windows.insert(edition_id.to_string(), settings(conn, edition_id)?);
        }
        for job in jobs {
            let edition_id = &job.programme.edition.id;
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
            // A lost race aborts the batch, which the writer runs again whole.
            match result {
                Err(e) if e.is_transient() => return Err(e),
                result => results.push(result),
            }
        }
        Ok(results)
    }
}
