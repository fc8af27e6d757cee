//! The outbox row, and what a producer gives to queue a message.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::outbox;

/// One message of the outbox (the lease columns are the worker's own).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: String,
    pub edition_id: String,
    /// The person the message concerns, if any: erasing them takes their unsent messages.
    pub registration_id: Option<String>,
    /// Which composer writes it, and its template folder under `templates/emails/`.
    pub kind: String,
    pub recipient: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: String,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    /// What the kind's composer needs, as JSON.
    pub payload: String,
    /// Not sent before this time.
    pub send_after: Option<NaiveDateTime>,
}

/// A message to queue, in the producer's transaction (see [`super::enqueue`]).
#[derive(Debug, Clone)]
pub struct Enqueue {
    /// The code of a registered kind (see [`super::kinds`]).
    pub kind: &'static str,
    pub edition_id: String,
    /// The address it goes to. The language is the composer's to choose: from the
    /// registration it concerns, or from the payload.
    pub recipient: String,
    /// The kind's payload, serialised once here.
    pub payload: String,
    /// The person it concerns, if any.
    pub registration_id: Option<String>,
    /// Not before this time; `None`: as soon as possible.
    pub send_after: Option<NaiveDateTime>,
}

impl Enqueue {
    /// A message of `kind` to `recipient` carrying `payload`, due at once.
    pub fn new(
        kind: &'static str,
        edition_id: &str,
        recipient: &str,
        payload: &impl Serialize,
    ) -> Enqueue {
        Enqueue {
            kind,
            edition_id: edition_id.to_string(),
            recipient: recipient.to_string(),
            // Serialising plain structs of strings and numbers does not fail.
            payload: serde_json::to_string(payload).unwrap_or_else(|_| "{}".into()),
            registration_id: None,
            send_after: None,
        }
    }

    /// Concerning this registration (erased with it).
    pub fn about(mut self, registration_id: &str) -> Enqueue {
        self.registration_id = Some(registration_id.to_string());
        self
    }

    /// Not before `at`.
    pub fn after(mut self, at: NaiveDateTime) -> Enqueue {
        self.send_after = Some(at);
        self
    }
}
