//! The outbox: emails are rows committed with the change they announce; one worker sends
//! them over SMTP (or writes them as `.eml` files when no server is configured).
//!
//! A row has a kind and a JSON payload: the kind names its composer (see [`kinds`]) and its
//! template folder `templates/emails/<kind>/`. A row goes `pending` → `sending` → `sent`,
//! not before its `send_after` if it has one. A temporary failure puts it back to `pending`
//! with a later `next_attempt_at` (doubling each time); a permanent one, or the last
//! attempt, makes it `dead`, shown to organisers, who may retry it; so does a kind nobody
//! composes or a payload that does not fit its kind. Organisers may cancel a row still
//! `pending`. A row is `sending` only while one process, named in it, holds a lease on it
//! (see [`worker`]).

pub mod compose;
pub mod kinds;
pub mod model;
pub mod queue;
pub mod registration;
pub mod web;
pub mod worker;

pub use model::{Enqueue, OutboxRow};
pub use queue::{cancel, counts, enqueue, erase_copies, retry, scheduled, troubles};

use std::path::PathBuf;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use lettre::{Message, SmtpTransport, Transport as _};

use crate::config::Settings;
use crate::error::AppError;

pub const PENDING: &str = "pending";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const DEAD: &str = "dead";
/// The registration was erased before the message left: it is not sent.
pub const DROPPED: &str = "dropped";
/// An organiser cancelled it before it left.
pub const CANCELLED: &str = "cancelled";

/// The kinds of email about a registration (each a kind of [`kinds::KINDS`], composed in
/// [`registration`]).
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
    /// Their days, sessions or name changed: the updated programme (and badge).
    Changed,
}

impl MailKind {
    pub const ALL: [MailKind; 7] = [
        MailKind::Confirmation,
        MailKind::Promoted,
        MailKind::SessionPromoted,
        MailKind::ManageLink,
        MailKind::Cancelled,
        MailKind::Badge,
        MailKind::Changed,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            MailKind::Confirmation => "confirmation",
            MailKind::Promoted => "promoted",
            MailKind::SessionPromoted => "session_promoted",
            MailKind::ManageLink => "manage_link",
            MailKind::Cancelled => "cancelled",
            MailKind::Badge => "badge",
            MailKind::Changed => "changed",
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
