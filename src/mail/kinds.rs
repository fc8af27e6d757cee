//! The kinds of email and the one table that lists them.
//!
//! A kind is a code, a payload type and a composer. To add one: a template folder
//! `templates/emails/<code>/` (`subject`, `body.txt`, `body.html`), a type implementing
//! [`Kind`] (its serde payload and how it becomes a [`Composed`] message), and a line in
//! [`KINDS`]. Producers queue it with [`Enqueue::of`]. A row whose kind is not in the table,
//! or whose payload does not fit its kind, is held `dead` with the reason, never dropped.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::compose::{Composed, Cx};
use super::model::Enqueue;
use super::registration as reg;
use crate::error::AppError;

/// What becomes of a row once its composer has looked at it.
pub enum Outcome {
    Send(Box<Composed>),
    /// Nothing to send any more (the person was erased, say): dropped with this note.
    Drop(&'static str),
}

/// Why a row could not be composed.
#[derive(Debug)]
pub enum Failure {
    /// It can never be composed as it stands (unknown kind, payload that does not fit): a
    /// person must look.
    Hold(String),
    /// Perhaps a passing fault (the database): tried again later.
    Error(AppError),
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        Failure::Error(e)
    }
}

/// One kind of email.
pub trait Kind {
    /// The code stored in `outbox.kind`, also its template folder.
    const CODE: &'static str;
    /// What the row carries for it, as JSON.
    type Payload: Serialize + DeserializeOwned;
    /// Builds the message from the payload, as things stand when it is sent.
    fn compose(cx: &mut Cx<'_>, payload: Self::Payload) -> Result<Outcome, Failure>;
}

/// A kind as the registry holds it.
pub struct Entry {
    pub code: &'static str,
    compose: fn(&mut Cx<'_>, &str) -> Result<Outcome, Failure>,
}

/// The registry line of a kind.
pub const fn entry<K: Kind>() -> Entry {
    Entry {
        code: K::CODE,
        compose: run::<K>,
    }
}

fn run<K: Kind>(cx: &mut Cx<'_>, payload: &str) -> Result<Outcome, Failure> {
    let payload: K::Payload = serde_json::from_str(payload).map_err(|e| {
        Failure::Hold(format!(
            "the payload does not fit the email kind \"{}\": {e}",
            K::CODE
        ))
    })?;
    K::compose(cx, payload)
}

/// Every kind of email there is.
pub static KINDS: &[Entry] = &[
    entry::<reg::Confirmation>(),
    entry::<reg::Promoted>(),
    entry::<reg::SessionPromoted>(),
    entry::<reg::ManageLink>(),
    entry::<reg::Cancelled>(),
    entry::<reg::Badge>(),
    entry::<reg::Changed>(),
];

/// The registered kind with this code.
pub fn find(code: &str) -> Option<&'static Entry> {
    KINDS.iter().find(|e| e.code == code)
}

/// Composes the row in `cx` with its kind's composer.
pub fn compose(cx: &mut Cx<'_>) -> Result<Outcome, Failure> {
    let Some(entry) = find(&cx.row.kind) else {
        return Err(Failure::Hold(format!(
            "unknown email kind \"{}\": no composer is registered for it",
            cx.row.kind
        )));
    };
    let payload = cx.row.payload.clone();
    (entry.compose)(cx, &payload)
}

impl Enqueue {
    /// A message of kind `K`: the payload's type is checked against the kind.
    pub fn of<K: Kind>(edition_id: &str, recipient: &str, payload: &K::Payload) -> Enqueue {
        Enqueue::new(K::CODE, edition_id, recipient, payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once_and_has_its_templates() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/emails");
        for (i, e) in KINDS.iter().enumerate() {
            assert!(
                KINDS[..i].iter().all(|o| o.code != e.code),
                "{} listed twice",
                e.code
            );
            for file in ["subject", "body.txt", "body.html"] {
                assert!(root.join(e.code).join(file).is_file(), "{}/{file}", e.code);
            }
        }
        for k in super::super::MailKind::ALL {
            assert!(find(k.code()).is_some(), "{} not registered", k.code());
        }
    }
}
