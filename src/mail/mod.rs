//! The outbox: emails are rows committed with the change they announce; one worker sends
//! them over SMTP (or writes them as `.eml` files when no server is configured).
//!
//! A row goes `pending` → `sending` → `sent`. A temporary failure puts it back to `pending`
//! with a later `next_attempt_at` (doubling each time); a permanent one, or the last
//! attempt, makes it `dead`, shown to organisers, who may retry it. A row found `sending`
//! at start was interrupted mid-conversation: the server may have accepted it, so it is
//! marked dead for a person to decide rather than sent twice.

pub mod compose;

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use lettre::{Message, SmtpTransport, Transport as _};

use crate::app::AppState;
use crate::config::Settings;
use crate::db::schema::outbox;
use crate::db::{write_tx, DbConnection};
use crate::error::AppError;
use crate::registrations::model::OutboxRow;
use crate::registrations::now;

pub const PENDING: &str = "pending";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const DEAD: &str = "dead";
/// The registration was erased before the message left: it is not sent.
pub const DROPPED: &str = "dropped";

/// What an email announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// Registered: confirmed or on the waiting list, with the badge when confirmed.
    Confirmation,
    /// A seat at the edition came free and is now theirs.
    Promoted,
    /// A seat in a session they waited for is now theirs.
    SessionPromoted,
    /// Their manage link again (a repeated registration, or an organiser's resend).
    ManageLink,
    Cancelled,
    /// A new badge replaces the old one.
    Badge,
}

impl MailKind {
    pub const ALL: [MailKind; 6] = [
        MailKind::Confirmation,
        MailKind::Promoted,
        MailKind::SessionPromoted,
        MailKind::ManageLink,
        MailKind::Cancelled,
        MailKind::Badge,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MailKind::Confirmation => "confirmation",
            MailKind::Promoted => "promoted",
            MailKind::SessionPromoted => "session_promoted",
            MailKind::ManageLink => "manage_link",
            MailKind::Cancelled => "cancelled",
            MailKind::Badge => "badge",
        }
    }

    pub fn parse(code: &str) -> Option<MailKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Wakes the worker when a transaction has queued mail, so that it leaves at once rather
/// than at the next poll.
#[derive(Default)]
pub struct Signal {
    woken: Mutex<bool>,
    cv: Condvar,
}

impl Signal {
    pub fn notify(&self) {
        *self.woken.lock().expect("signal lock") = true;
        self.cv.notify_one();
    }

    fn wait(&self, timeout: Duration) {
        let guard = self.woken.lock().expect("signal lock");
        let (mut woken, _) = self
            .cv
            .wait_timeout_while(guard, timeout, |w| !*w)
            .expect("signal lock");
        *woken = false;
    }
}

/// Why a message did not leave.
#[derive(Debug)]
pub struct SendError {
    pub permanent: bool,
    pub message: String,
}

/// Where messages go.
pub enum Transport {
    Smtp(Box<SmtpTransport>),
    /// No SMTP server configured: one `.eml` file per message.
    Files(PathBuf),
}

impl Transport {
    pub fn from_settings(settings: &Settings) -> Result<Transport, AppError> {
        let url = settings.mail.smtp_url.trim();
        if url.is_empty() {
            let dir = settings.data_dir.join("outbox");
            crate::owner_only::create_dir(&dir).map_err(AppError::internal)?;
            return Ok(Transport::Files(dir));
        }
        let smtp = SmtpTransport::from_url(url)
            .map_err(|e| AppError::Internal(format!("mail.smtp_url is not usable: {e}")))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Transport::Smtp(Box::new(smtp)))
    }

    pub fn send(&self, id: &str, message: &Message) -> Result<(), SendError> {
        match self {
            Transport::Smtp(smtp) => smtp.send(message).map(|_| ()).map_err(|e| SendError {
                permanent: e.is_permanent(),
                message: e.to_string(),
            }),
            Transport::Files(dir) => {
                let path = dir.join(format!("{id}.eml"));
                let tmp = dir.join(format!(".{id}.eml.tmp"));
                // Written aside then renamed, so a reader never sees half a message.
                crate::owner_only::write(&tmp, &message.formatted())
                    .and_then(|()| std::fs::rename(&tmp, &path))
                    .map_err(|e| SendError {
                        permanent: false,
                        message: e.to_string(),
                    })
            }
        }
    }
}

/// The delay before attempt `attempts + 1`: `base`, then doubling, at most six hours.
pub fn backoff(base_seconds: i64, attempts: i32) -> chrono::Duration {
    let exp = attempts.clamp(1, 20) as u32 - 1;
    let secs = base_seconds.max(0).saturating_mul(1i64 << exp.min(20));
    chrono::Duration::seconds(secs.min(6 * 3600))
}

/// Starts the sending thread. It ends when the application state is dropped.
pub fn spawn_worker(state: &Arc<AppState>) -> Result<(), AppError> {
    let transport = Transport::from_settings(&state.settings)?;
    {
        let mut conn = state.pool.get()?;
        let interrupted = diesel::update(outbox::table.filter(outbox::status.eq(SENDING)))
            .set((
                outbox::status.eq(DEAD),
                outbox::last_error
                    .eq("interrupted while sending: check whether it arrived before retrying"),
            ))
            .execute(&mut conn)?;
        if interrupted > 0 {
            tracing::warn!(interrupted, "emails interrupted while sending marked dead");
        }
    }
    let weak: Weak<AppState> = Arc::downgrade(state);
    let signal = state.mail_signal.clone();
    std::thread::Builder::new()
        .name("outbox".into())
        .spawn(move || worker(weak, signal, transport))
        .map_err(AppError::internal)?;
    Ok(())
}

/// A lull: this long without a registration written.
const LULL_MS: u64 = 150;
/// Rounds put off at most in a row (so mail leaves even under an endless stream).
const MAX_DEFER: u32 = 40;

fn worker(state: Weak<AppState>, signal: Arc<Signal>, transport: Transport) {
    let mut deferred = 0;
    loop {
        let Some(st) = state.upgrade() else { return };
        let poll = Duration::from_millis(st.settings.mail.poll_ms);
        let batch = st.settings.mail.batch;
        // While registrations pour in, composing badges would take the CPU they need; the
        // messages are safe in the outbox and leave in the first lull (within seconds).
        let idle = st.registrar.idle_ms();
        if idle < LULL_MS && deferred < MAX_DEFER {
            deferred += 1;
            drop(st);
            std::thread::sleep(Duration::from_millis(LULL_MS));
            continue;
        }
        deferred = 0;
        let done = match run_once(&st, &transport) {
            Ok(n) => n,
            Err(e) => {
                tracing::error!(error = %e, "outbox round failed");
                0
            }
        };
        drop(st);
        if done < batch as usize {
            signal.wait(poll);
        }
    }
}

/// Sends what is due now; returns how many messages were handled. Several messages leave
/// at once over the pool's connections: an SMTP client waits for the server's replies (and,
/// lettre not setting TCP_NODELAY, often for a delayed ACK), so one connection alone would
/// cap the rate at a few dozen messages a second.
pub fn run_once(state: &AppState, transport: &Transport) -> Result<usize, AppError> {
    let due = {
        let mut conn = state.pool.get()?;
        claim(&mut conn, state.settings.mail.batch, now())?
    };
    let n = due.len();
    let senders = state.settings.mail.senders.clamp(1, 16);
    if n <= 1 || senders == 1 {
        let mut conn = state.pool.get()?;
        for row in due {
            deliver_logged(state, &mut conn, transport, row);
        }
        return Ok(n);
    }
    let chunk = n.div_ceil(senders);
    std::thread::scope(|scope| {
        let handles: Vec<_> = due
            .chunks(chunk)
            .map(|rows| {
                scope.spawn(move || -> Result<(), AppError> {
                    let mut conn = state.pool.get()?;
                    for row in rows {
                        deliver_logged(state, &mut conn, transport, row.clone());
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
    Ok(n)
}

/// Takes due messages: a conditional UPDATE per row, so two senders never take the same.
fn claim(
    conn: &mut DbConnection,
    batch: i64,
    at: NaiveDateTime,
) -> Result<Vec<OutboxRow>, AppError> {
    let ids: Vec<String> = outbox::table
        .filter(outbox::status.eq(PENDING))
        .filter(outbox::next_attempt_at.le(at))
        .order((outbox::next_attempt_at, outbox::id))
        .limit(batch)
        .select(outbox::id)
        .load(conn)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // One short write transaction for the batch.
    write_tx(conn, |conn| {
        let mut claimed = Vec::with_capacity(ids.len());
        for id in &ids {
            let n = diesel::update(outbox::table.find(id).filter(outbox::status.eq(PENDING)))
                .set((
                    outbox::status.eq(SENDING),
                    outbox::attempts.eq(outbox::attempts + 1),
                ))
                .execute(conn)?;
            if n == 1 {
                claimed.push(
                    outbox::table
                        .find(id)
                        .select(OutboxRow::as_select())
                        .first(conn)?,
                );
            }
        }
        Ok(claimed)
    })
}

/// Delivers one message; a database failure on the way is logged and the round goes on
/// with the next message (the row stays `sending` and is reported to organisers).
fn deliver_logged(
    state: &AppState,
    conn: &mut DbConnection,
    transport: &Transport,
    row: OutboxRow,
) {
    let id = row.id.clone();
    if let Err(e) = deliver(state, conn, transport, row) {
        tracing::error!(id = %id, error = %e, "email state could not be recorded");
    }
}

fn deliver(
    state: &AppState,
    conn: &mut DbConnection,
    transport: &Transport,
    row: OutboxRow,
) -> Result<(), AppError> {
    let message = match compose::compose(state, conn, &row) {
        Ok(Some(m)) => m,
        Ok(None) => {
            return finish(
                conn,
                &row.id,
                DROPPED,
                "nobody to write to any more (erased, or cancelled since)",
            );
        }
        Err(e) => {
            tracing::error!(id = %row.id, error = %e, "email could not be composed");
            return fail(state, conn, &row, false, &format!("could not compose: {e}"));
        }
    };
    match transport.send(&row.id, &message) {
        Ok(()) => write_tx(conn, |conn| {
            diesel::update(outbox::table.find(&row.id))
                .set((
                    outbox::status.eq(SENT),
                    outbox::sent_at.eq(now()),
                    outbox::last_error.eq(""),
                ))
                .execute(conn)?;
            Ok(())
        }),
        Err(e) => {
            tracing::warn!(id = %row.id, attempt = row.attempts, error = %e.message, "email not sent");
            fail(state, conn, &row, e.permanent, &e.message)
        }
    }
}

fn fail(
    state: &AppState,
    conn: &mut DbConnection,
    row: &OutboxRow,
    permanent: bool,
    error: &str,
) -> Result<(), AppError> {
    let last = permanent || row.attempts >= state.settings.mail.max_attempts;
    let next = now() + backoff(state.settings.mail.retry_seconds, row.attempts);
    write_tx(conn, |conn| {
        diesel::update(outbox::table.find(&row.id))
            .set((
                outbox::status.eq(if last { DEAD } else { PENDING }),
                outbox::next_attempt_at.eq(next),
                outbox::last_error.eq(error.chars().take(500).collect::<String>()),
            ))
            .execute(conn)?;
        Ok(())
    })
}

fn finish(conn: &mut DbConnection, id: &str, status: &str, note: &str) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        diesel::update(outbox::table.find(id))
            .set((outbox::status.eq(status), outbox::last_error.eq(note)))
            .execute(conn)?;
        Ok(())
    })
}

/// Removes the `.eml` copies of a registration's messages (written when no SMTP server is
/// configured), once the person is erased.
pub fn erase_copies(
    conn: &mut DbConnection,
    settings: &Settings,
    registration_id: &str,
) -> Result<(), AppError> {
    let ids: Vec<String> = outbox::table
        .filter(outbox::registration_id.eq(registration_id))
        .select(outbox::id)
        .load(conn)?;
    let dir = settings.data_dir.join("outbox");
    for id in ids {
        match std::fs::remove_file(dir.join(format!("{id}.eml"))) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(AppError::internal(e)),
        }
    }
    Ok(())
}

/// Puts a dead message back in the queue, due now, with its attempts counted afresh.
pub fn retry(conn: &mut DbConnection, edition_id: &str, id: &str) -> Result<(), AppError> {
    let n = diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::edition_id.eq(edition_id))
            .filter(outbox::status.eq(DEAD)),
    )
    .set((
        outbox::status.eq(PENDING),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now()),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Messages of an edition per status.
pub fn counts(conn: &mut DbConnection, edition_id: &str) -> Result<Vec<(String, i64)>, AppError> {
    Ok(outbox::table
        .filter(outbox::edition_id.eq(edition_id))
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)?)
}

/// Messages that need a person: dead ones, those waiting to be retried, and those being
/// sent (a message stuck there was interrupted).
pub fn troubles(conn: &mut DbConnection, edition_id: &str) -> Result<Vec<OutboxRow>, AppError> {
    Ok(outbox::table
        .filter(outbox::edition_id.eq(edition_id))
        .filter(
            outbox::status
                .eq(DEAD)
                .or(outbox::status.eq(SENDING))
                .or(outbox::status.eq(PENDING).and(outbox::attempts.gt(0))),
        )
        .order(outbox::created_at.desc())
        .limit(500)
        .select(OutboxRow::as_select())
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_stop_growing() {
        assert_eq!(backoff(30, 1).num_seconds(), 30);
        assert_eq!(backoff(30, 2).num_seconds(), 60);
        assert_eq!(backoff(30, 3).num_seconds(), 120);
        assert_eq!(backoff(30, 30).num_seconds(), 6 * 3600);
        assert_eq!(backoff(0, 5).num_seconds(), 0);
    }

    #[test]
    fn kinds_round_trip() {
        for k in MailKind::ALL {
            assert_eq!(MailKind::parse(k.code()), Some(k));
        }
    }
}
