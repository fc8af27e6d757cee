//! Queueing messages and what organisers do with them: retry, cancel, and the lists their
//! page shows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{Enqueue, OutboxRow};
use super::{CANCELLED, DEAD, PENDING, SENDING};
use crate::config::Settings;
use crate::db::schema::outbox;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::registrations::now;

/// Adds a message to the outbox, in the caller's transaction: it leaves only if that
/// commits. Returns the row's id.
pub fn enqueue(conn: &mut DbConnection, e: Enqueue) -> Result<String, AppError> {
    let at = now();
    let id = crate::programme::new_id();
    diesel::insert_into(outbox::table)
        .values(OutboxRow {
            id: id.clone(),
            edition_id: e.edition_id,
            registration_id: e.registration_id,
            kind: e.kind.into(),
            recipient: e.recipient,
            status: PENDING.into(),
            attempts: 0,
            // Ordered among the due ones by when it may leave.
            next_attempt_at: e.send_after.map_or(at, |t| t.max(at)),
            last_error: String::new(),
            created_at: at,
            sent_at: None,
            payload: e.payload,
            send_after: e.send_after,
        })
        .execute(conn)?;
    Ok(id)
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

/// Cancels a message that has not left: waiting for its time, or for a retry. One being
/// sent is past cancelling (the claim is a conditional UPDATE on `pending` too, so the two
/// never both win).
pub fn cancel(conn: &mut DbConnection, edition_id: &str, id: &str) -> Result<(), AppError> {
    let n = diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::edition_id.eq(edition_id))
            .filter(outbox::status.eq(PENDING)),
    )
    .set((
        outbox::status.eq(CANCELLED),
        outbox::last_error.eq("cancelled by an organiser"),
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

/// Messages waiting for their time, the soonest first.
pub fn scheduled(
    conn: &mut DbConnection,
    edition_id: &str,
    at: NaiveDateTime,
) -> Result<Vec<OutboxRow>, AppError> {
    Ok(outbox::table
        .filter(outbox::edition_id.eq(edition_id))
        .filter(outbox::status.eq(PENDING))
        .filter(outbox::send_after.gt(at))
        .order((outbox::send_after, outbox::id))
        .limit(500)
        .select(OutboxRow::as_select())
        .load(conn)?)
}
