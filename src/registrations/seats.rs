//! Seat counters. A seat is taken by a conditional UPDATE on a counter row: the database
//! checks "still below capacity" and increments in one statement, under the row's write
//! lock, so concurrent registrants can never both take the last seat (SQLite serialises
//! writers; PostgreSQL re-checks the condition after waiting for the row).

use diesel::prelude::*;

use crate::db::schema::{registration_settings as rs, session_seats as ss};
use crate::db::DbConnection;

/// Takes a seat at the edition; `force` ignores the capacity (an invited guest).
pub fn take_edition_seat(
    conn: &mut DbConnection,
    edition_id: &str,
    force: bool,
) -> QueryResult<bool> {
    let target = rs::table.filter(rs::edition_id.eq(edition_id));
    let n = if force {
        diesel::update(target)
            .set(rs::confirmed.eq(rs::confirmed + 1))
            .execute(conn)?
    } else {
        diesel::update(
            target.filter(
                rs::capacity
                    .is_null()
                    .or(rs::confirmed.nullable().lt(rs::capacity)),
            ),
        )
        .set(rs::confirmed.eq(rs::confirmed + 1))
        .execute(conn)?
    };
    Ok(n == 1)
}

/// Gives an edition seat back.
pub fn free_edition_seat(conn: &mut DbConnection, edition_id: &str) -> QueryResult<()> {
    diesel::update(
        rs::table
            .filter(rs::edition_id.eq(edition_id))
            .filter(rs::confirmed.gt(0)),
    )
    .set(rs::confirmed.eq(rs::confirmed - 1))
    .execute(conn)?;
    Ok(())
}

/// Whether the edition has a free seat now (for promotions after a cancellation).
pub fn edition_has_room(conn: &mut DbConnection, edition_id: &str) -> QueryResult<bool> {
    let (capacity, confirmed): (Option<i32>, i32) = rs::table
        .find(edition_id)
        .select((rs::capacity, rs::confirmed))
        .first(conn)?;
    Ok(capacity.is_none_or(|c| confirmed < c))
}

/// Takes a seat in a session whose limit is `limit` (None: no limit).
pub fn take_session_seat(
    conn: &mut DbConnection,
    session_id: &str,
    limit: Option<i32>,
) -> QueryResult<bool> {
    let row = (ss::session_id.eq(session_id), ss::taken.eq(0));
    match conn {
        DbConnection::Sqlite(c) => diesel::insert_into(ss::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c)?,
        DbConnection::Pg(c) => diesel::insert_into(ss::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c)?,
    };
    let target = ss::table.filter(ss::session_id.eq(session_id));
    let n = match limit {
        None => diesel::update(target)
            .set(ss::taken.eq(ss::taken + 1))
            .execute(conn)?,
        Some(limit) => diesel::update(target.filter(ss::taken.lt(limit)))
            .set(ss::taken.eq(ss::taken + 1))
            .execute(conn)?,
    };
    Ok(n == 1)
}

pub fn free_session_seat(conn: &mut DbConnection, session_id: &str) -> QueryResult<()> {
    diesel::update(
        ss::table
            .filter(ss::session_id.eq(session_id))
            .filter(ss::taken.gt(0)),
    )
    .set(ss::taken.eq(ss::taken - 1))
    .execute(conn)?;
    Ok(())
}

pub fn session_taken(conn: &mut DbConnection, session_id: &str) -> QueryResult<i32> {
    Ok(ss::table
        .find(session_id)
        .select(ss::taken)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}
