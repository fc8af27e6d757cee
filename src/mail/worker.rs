//! The sending thread: claims one message at a time, just before sending it.
//!
//! A claim names this process and holds for a lease (`mail.lease_seconds`). Several
//! servers on one database may all send: a claim is a conditional UPDATE, so a message
//! leaves through one process only. On a graceful stop the thread finishes the messages it
//! is sending and claims no more, so nothing stays `sending`. A message still `sending`
//! after its lease expired was interrupted mid-conversation by a process that died: the
//! SMTP server may have accepted it, so it is held (`dead`, with a note) for a person to
//! check rather than sent twice. Only the few messages in flight can end up so.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::compose::{self, Built};
use super::kinds::Failure;
use super::{backoff, OutboxRow, Signal, Transport, DEAD, DROPPED, PENDING, SENDING, SENT};
use crate::app::AppState;
use crate::db::schema::outbox;
use crate::db::{write_tx, DbConnection};
use crate::error::AppError;
use crate::registrations::now;

/// What a held message says to the organiser.
pub const INTERRUPTED: &str =
    "interrupted while sending: it may have arrived; check with the recipient before retrying";

/// The running sender; [`Worker::stop`] ends it gracefully.
pub struct Worker {
    stop: Arc<AtomicBool>,
    signal: Arc<Signal>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Claims nothing more, lets the messages in flight finish, and waits for the thread.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.signal.notify();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A name for this process in the rows it claims: unique even when a process id is
/// reused after a restart.
fn process_name() -> String {
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{}-{}", std::process::id(), &random[..8])
}

/// Starts the sending thread. It ends when stopped or when the application state is
/// dropped.
pub fn spawn(state: &Arc<AppState>) -> Result<Worker, AppError> {
    let transport = Transport::from_settings(&state.settings)?;
    hold_interrupted(&mut *state.pool.get()?, now())?;
    let stop = Arc::new(AtomicBool::new(false));
    let sender = Sender {
        state: Arc::downgrade(state),
        signal: state.mail_signal.clone(),
        stop: stop.clone(),
        transport,
        me: process_name(),
    };
    let thread = std::thread::Builder::new()
        .name("outbox".into())
        .spawn(move || sender.run())
        .map_err(AppError::internal)?;
    Ok(Worker {
        stop,
        signal: state.mail_signal.clone(),
        thread: Some(thread),
    })
}

/// Holds the messages whose sender died mid-send (their lease expired, or they were
/// claimed before leases existed). Returns how many.
pub fn hold_interrupted(conn: &mut DbConnection, at: NaiveDateTime) -> Result<usize, AppError> {
    let held = diesel::update(
        outbox::table
            .filter(outbox::status.eq(SENDING))
            .filter(outbox::lease_until.is_null().or(outbox::lease_until.lt(at))),
    )
    .set((
        outbox::status.eq(DEAD),
        outbox::claimed_by.eq(None::<String>),
        outbox::lease_until.eq(None::<NaiveDateTime>),
        outbox::last_error.eq(INTERRUPTED),
    ))
    .execute(conn)?;
    if held > 0 {
        tracing::warn!(held, "emails interrupted while sending were held");
    }
    Ok(held)
}

/// A message claimed by one process (see `Sender::mine`).
type Mine<'a> = diesel::dsl::Filter<
    diesel::dsl::Filter<
        diesel::dsl::Find<outbox::table, &'a str>,
        diesel::dsl::Eq<outbox::status, &'static str>,
    >,
    diesel::dsl::Eq<outbox::claimed_by, &'a String>,
>;

/// A lull: this long without a registration written.
const LULL_MS: u64 = 150;
/// Rounds put off at most in a row (so mail leaves even under an endless stream).
const MAX_DEFER: u32 = 40;
/// How often expired leases are looked for while the server runs.
const HOLD_EVERY: Duration = Duration::from_secs(30);

struct Sender {
    state: Weak<AppState>,
    signal: Arc<Signal>,
    stop: Arc<AtomicBool>,
    transport: Transport,
    me: String,
}

impl Sender {
    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn run(self) {
        let mut deferred = 0;
        let mut last_hold = Instant::now();
        while !self.stopping() {
            let Some(st) = self.state.upgrade() else {
                return;
            };
            let poll = Duration::from_millis(st.settings.mail.poll_ms);
            let batch = st.settings.mail.batch.max(1) as usize;
            // While registrations pour in, composing badges would take the CPU they need;
            // the messages are safe in the outbox and leave in the first lull.
            if st.registrar.idle_ms() < LULL_MS && deferred < MAX_DEFER {
                deferred += 1;
                drop(st);
                std::thread::sleep(Duration::from_millis(LULL_MS));
                continue;
            }
            deferred = 0;
            if last_hold.elapsed() >= HOLD_EVERY {
                last_hold = Instant::now();
                if let Err(e) = st
                    .pool
                    .get()
                    .map_err(AppError::from)
                    .and_then(|mut c| hold_interrupted(&mut c, now()))
                {
                    tracing::error!(error = %e, "expired email claims could not be checked");
                }
            }
            let done = match self.round(&st, batch) {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(error = %e, "outbox round failed");
                    0
                }
            };
            drop(st);
            if done < batch && !self.stopping() {
                self.signal.wait(poll);
            }
        }
    }

    /// Sends up to `batch` due messages; returns how many were handled. Several leave at
    /// once, each sender over its own connection: an SMTP client waits for the server's
    /// replies, so one connection alone would cap the rate at a few dozen a second.
    fn round(&self, state: &AppState, batch: usize) -> Result<usize, AppError> {
        // Only what was due when the round began: a message that fails in this round waits
        // for the next one instead of being tried again at once.
        let began = now();
        let due = due_count(&mut *state.pool.get()?, began, batch)?;
        if due == 0 {
            return Ok(0);
        }
        let senders = state.settings.mail.senders.clamp(1, 16).min(due);
        let budget = AtomicUsize::new(batch);
        let handled = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..senders)
                .map(|lane| {
                    let (budget, handled) = (&budget, &handled);
                    scope.spawn(move || -> Result<(), AppError> {
                        let mut conn = state.pool.get()?;
                        while !self.stopping()
                            && budget
                                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |b| {
                                    b.checked_sub(1)
                                })
                                .is_ok()
                        {
                            let Some(row) = self.claim(state, &mut conn, lane, began)? else {
                                break;
                            };
                            self.deliver_logged(state, &mut conn, row);
                            handled.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(())
                    })
                })
                .collect();
            handles.into_iter().try_for_each(|h| {
                h.join()
                    .map_err(|_| AppError::Internal("an email sender panicked".into()))?
            })
        })?;
        Ok(handled.into_inner())
    }

    /// Claims the next due message for this process, or `None` when nothing is due. The
    /// senders of a round start at different candidates so that they rarely race for one.
    fn claim(
        &self,
        state: &AppState,
        conn: &mut DbConnection,
        lane: usize,
        due_by: NaiveDateTime,
    ) -> Result<Option<OutboxRow>, AppError> {
        let at = now();
        let lease = chrono::Duration::seconds(state.settings.mail.lease_seconds.clamp(5, 86_400));
        let candidates: Vec<String> = outbox::table
            .filter(outbox::status.eq(PENDING))
            .filter(outbox::next_attempt_at.le(due_by))
            .filter(
                outbox::send_after
                    .is_null()
                    .or(outbox::send_after.le(due_by)),
            )
            .order((outbox::next_attempt_at, outbox::id))
            .limit(16)
            .select(outbox::id)
            .load(conn)?;
        let start = lane % candidates.len().max(1);
        for id in candidates[start..].iter().chain(&candidates[..start]) {
            let claimed = write_tx(conn, |conn| {
                diesel::update(
                    outbox::table
                        .find(id)
                        .filter(outbox::status.eq(PENDING))
                        .filter(
                            outbox::send_after
                                .is_null()
                                .or(outbox::send_after.le(due_by)),
                        ),
                )
                .set((
                    outbox::status.eq(SENDING),
                    outbox::attempts.eq(outbox::attempts + 1),
                    outbox::claimed_by.eq(&self.me),
                    outbox::lease_until.eq(at + lease),
                ))
                .execute(conn)
            })?;
            if claimed == 1 {
                return Ok(Some(
                    outbox::table
                        .find(id)
                        .select(OutboxRow::as_select())
                        .first(conn)?,
                ));
            }
        }
        Ok(None)
    }

    /// Delivers one message; a database failure on the way is logged and the round goes
    /// on (the row stays `sending` until its lease expires, then is held).
    fn deliver_logged(&self, state: &AppState, conn: &mut DbConnection, row: OutboxRow) {
        let id = row.id.clone();
        if let Err(e) = self.deliver(state, conn, row) {
            tracing::error!(id = %id, error = %e, "email state could not be recorded");
        }
    }

    fn deliver(
        &self,
        state: &AppState,
        conn: &mut DbConnection,
        row: OutboxRow,
    ) -> Result<(), AppError> {
        let message = match compose::build(state, conn, &row) {
            Ok(Built::Send(m)) => m,
            Ok(Built::Drop(note)) => return self.release(conn, &row.id, DROPPED, None, note),
            // Trying again would change nothing: held for a person, never dropped.
            Err(Failure::Hold(note)) => {
                tracing::error!(id = %row.id, kind = %row.kind, error = %note, "email held");
                let note: String = note.chars().take(500).collect();
                return self.release(conn, &row.id, DEAD, None, &note);
            }
            Err(Failure::Error(e)) => {
                tracing::error!(id = %row.id, error = %e, "email could not be composed");
                return self.fail(state, conn, &row, false, &format!("could not compose: {e}"));
            }
        };
        match self.transport.send(&row.id, &message) {
            Ok(()) => {
                let sent = write_tx(conn, |conn| {
                    diesel::update(self.mine(&row.id))
                        .set((
                            outbox::status.eq(SENT),
                            outbox::sent_at.eq(now()),
                            outbox::last_error.eq(""),
                            outbox::claimed_by.eq(None::<String>),
                            outbox::lease_until.eq(None::<NaiveDateTime>),
                        ))
                        .execute(conn)
                })?;
                if sent == 0 {
                    tracing::warn!(id = %row.id, "an email was sent after its claim expired");
                }
                Ok(())
            }
            Err(e) => {
                tracing::warn!(id = %row.id, attempt = row.attempts, error = %e.message, "email not sent");
                self.fail(state, conn, &row, e.permanent, &e.message)
            }
        }
    }

    /// This process's claim on a message, and nobody else's.
    fn mine<'a>(&'a self, id: &'a str) -> Mine<'a> {
        outbox::table
            .find(id)
            .filter(outbox::status.eq(SENDING))
            .filter(outbox::claimed_by.eq(&self.me))
    }

    fn fail(
        &self,
        state: &AppState,
        conn: &mut DbConnection,
        row: &OutboxRow,
        permanent: bool,
        error: &str,
    ) -> Result<(), AppError> {
        let last = permanent || row.attempts >= state.settings.mail.max_attempts;
        let next = now() + backoff(state.settings.mail.retry_seconds, row.attempts);
        let note: String = error.chars().take(500).collect();
        self.release(
            conn,
            &row.id,
            if last { DEAD } else { PENDING },
            Some(next),
            &note,
        )
    }

    /// Ends this process's claim: the message goes to `status`, due again at `next` if
    /// given.
    fn release(
        &self,
        conn: &mut DbConnection,
        id: &str,
        status: &str,
        next: Option<NaiveDateTime>,
        note: &str,
    ) -> Result<(), AppError> {
        let released = write_tx(conn, |conn| match next {
            Some(next) => diesel::update(self.mine(id))
                .set((
                    outbox::status.eq(status),
                    outbox::next_attempt_at.eq(next),
                    outbox::last_error.eq(note),
                    outbox::claimed_by.eq(None::<String>),
                    outbox::lease_until.eq(None::<NaiveDateTime>),
                ))
                .execute(conn),
            None => diesel::update(self.mine(id))
                .set((
                    outbox::status.eq(status),
                    outbox::last_error.eq(note),
                    outbox::claimed_by.eq(None::<String>),
                    outbox::lease_until.eq(None::<NaiveDateTime>),
                ))
                .execute(conn),
        })?;
        if released == 0 {
            tracing::warn!(id, "an email's claim expired before it was released");
        }
        Ok(())
    }
}

/// How many messages are due now, up to `limit`.
fn due_count(conn: &mut DbConnection, at: NaiveDateTime, limit: usize) -> Result<usize, AppError> {
    let ids: Vec<String> = outbox::table
        .filter(outbox::status.eq(PENDING))
        .filter(outbox::next_attempt_at.le(at))
        .filter(outbox::send_after.is_null().or(outbox::send_after.le(at)))
        .limit(limit as i64)
        .select(outbox::id)
        .load(conn)?;
    Ok(ids.len())
}
