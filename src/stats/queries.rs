//! What the figures read from the database. Small sets (days, sessions, session counts)
//! are counted by GROUP BY; registrations and check-ins, the two large ones, are read
//! row by row and added to running counts without being kept, on both databases.

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use diesel::connection::DefaultLoadingMode;
use diesel::dsl::{count_star, min, sql};
use diesel::pg::PgRowByRowLoadingMode;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use foldhash::HashMap;

use super::decode::{self, code, sqlite_text};
use super::figures::{Desk, People, Person, Raw, SessionRaw, Visit};
use super::model::{Basis, EditionInfo};
use crate::db::schema::{
    attendances, checkins, edition_days, editions, registration_sessions as rsess,
    registration_settings, registrations, rooms, scans, sessions,
};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::programme::model::EditionRow;
use crate::registrations::model::{ChoiceStatus, Status};

/// The edition whose first day is the latest before `first_day`.
pub fn previous_edition(
    conn: &mut DbConnection,
    edition: &EditionRow,
    first_day: Option<NaiveDate>,
) -> Result<Option<EditionRow>, AppError> {
    let Some(first_day) = first_day else {
        return Ok(None);
    };
    let firsts: Vec<(String, Option<NaiveDate>)> = edition_days::table
        .group_by(edition_days::edition_id)
        .select((edition_days::edition_id, min(edition_days::day)))
        .load(conn)?;
    let best = firsts
        .into_iter()
        .filter_map(|(id, day)| Some((day?, id)))
        .filter(|(day, id)| *day < first_day && *id != edition.id)
        .max();
    let Some((_, id)) = best else { return Ok(None) };
    Ok(Some(
        editions::table
            .find(id)
            .select(EditionRow::as_select())
            .first(conn)?,
    ))
}

/// Reads and counts what the figures of one edition need.
pub fn load(conn: &mut DbConnection, e: &EditionRow) -> Result<Raw, AppError> {
    let id = e.id.as_str();
    let tz: Tz = e.timezone.parse().unwrap_or(chrono_tz::Europe::Paris);
    let days: Vec<NaiveDate> = edition_days::table
        .filter(edition_days::edition_id.eq(id))
        .select(edition_days::day)
        .order(edition_days::day)
        .load(conn)?;
    // The check-ins first: whether there are any decides whom the figures count.
    let mut desk = desk(conn, id, tz)?;
    let basis = if desk.total > 0 {
        Basis::Present
    } else {
        Basis::Registered
    };
    let people = people(conn, id, desk.present_ids(), People::new(basis, tz))?;
    desk.forget_ids();
    let opens_at: Option<NaiveDateTime> = registration_settings::table
        .find(id)
        .select(registration_settings::opens_at)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten();
    Ok(Raw {
        edition: EditionInfo {
            slug: e.slug.clone(),
            number: e.number,
            year: e.year,
            title: e.title.clone(),
            days: days.iter().map(|d| d.to_string()).collect(),
        },
        tz,
        days,
        people,
        desk,
        sessions: sessions_of(conn, id)?,
        intended: intended(conn, id)?,
        attended: attendances::table
            .filter(attendances::edition_id.eq(id))
            .group_by(attendances::session_id)
            .select((attendances::session_id, count_star()))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .collect(),
        opens_at,
    })
}

fn sessions_of(conn: &mut DbConnection, id: &str) -> Result<Vec<SessionRaw>, AppError> {
    type SessionColumns = (String, String, String, String, Option<i32>, Option<i32>);
    let rows: Vec<SessionColumns> = sessions::table
        .left_join(rooms::table)
        .filter(sessions::edition_id.eq(id))
        .order(sessions::position)
        .select((
            sessions::id,
            sessions::key,
            sessions::title,
            sessions::kind,
            sessions::capacity,
            rooms::capacity.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, key, title, kind, capacity, room_capacity)| SessionRaw {
                id,
                key,
                title,
                kind,
                capacity,
                room_capacity,
            },
        )
        .collect())
}

/// Confirmed choices per session, counted on the (session, status) index, less those of
/// cancelled registrations (few): cheaper than joining every choice to its registration.
fn intended(conn: &mut DbConnection, id: &str) -> Result<HashMap<String, i64>, AppError> {
    let confirmed = ChoiceStatus::Confirmed.code();
    let chosen: Vec<(String, i64)> = rsess::table
        .filter(
            rsess::session_id.eq_any(
                sessions::table
                    .filter(sessions::edition_id.eq(id))
                    .select(sessions::id),
            ),
        )
        .filter(rsess::status.eq(confirmed))
        .group_by(rsess::session_id)
        .select((rsess::session_id, count_star()))
        .load(conn)?;
    let of_cancelled: Vec<(String, i64)> = rsess::table
        .inner_join(registrations::table)
        .filter(registrations::edition_id.eq(id))
        .filter(registrations::status.eq(Status::Cancelled.code()))
        .filter(rsess::status.eq(confirmed))
        .group_by(rsess::session_id)
        .select((rsess::session_id, count_star()))
        .load(conn)?;
    let mut intended: HashMap<String, i64> = chosen.into_iter().collect();
    for (session, n) in of_cancelled {
        *intended.entry(session).or_default() -= n;
    }
    Ok(intended)
}

/// Only French local governments' names are compared: the others are not read.
const FRENCH_NAME: &str = "CASE WHEN registrations.organisation_type = \
     'french_local_government' THEN registrations.organisation ELSE '' END";

/// Counts an edition's registrations, one row at a time.
fn people(
    conn: &mut DbConnection,
    edition_id: &str,
    present_ids: Option<&[u128]>,
    mut out: People,
) -> Result<People, AppError> {
    use sqlite_text::{Code as C, Stamp, Uid};
    // Whether someone came: from the ids the check-ins gave, or, when one was not a UUID,
    // from the one-active-check-in-a-day index.
    let present = sql::<Bool>(match present_ids {
        Some(_) => "0",
        None => {
            "EXISTS (SELECT 1 FROM checkins WHERE checkins.registration_id = registrations.id \
             AND checkins.undone_at IS NULL)"
        }
    });
    let came = |id: Option<u128>, asked: bool| match present_ids {
        Some(set) => id.is_some_and(|id| set.binary_search(&id).is_ok()),
        None => asked,
    };
    match conn {
        // An edition holds a large part of the table, and SQLite reads a table in order
        // faster than it looks each row up from an index: `|| ''` keeps it off the index.
        DbConnection::Sqlite(c) => {
            let rows = registrations::table
                .filter(registrations::edition_id.concat("").eq(edition_id))
                .select((
                    registrations::id,
                    registrations::status,
                    registrations::country,
                    registrations::organisation_type,
                    registrations::function,
                    registrations::category,
                    sql::<Text>(FRENCH_NAME),
                    sql::<Text>("registrations.created_at"),
                    present,
                ))
                .load_iter::<(Uid, C, C, C, C, C, String, Stamp, bool), DefaultLoadingMode>(c)?;
            for row in rows {
                let (id, status, country, kind, function, category, organisation, created, asked) =
                    row?;
                out.add(Person {
                    status: status.0,
                    country: country.0,
                    organisation_type: kind.0,
                    function: function.0,
                    category: category.0,
                    organisation,
                    created_at: created.0,
                    present: came(id.0, asked),
                });
            }
        }
        // Row by row: libpq would otherwise hold the whole result in memory.
        DbConnection::Pg(c) => {
            let rows = registrations::table
                .filter(registrations::edition_id.eq(edition_id))
                .select((
                    registrations::id,
                    registrations::status,
                    registrations::country,
                    registrations::organisation_type,
                    registrations::function,
                    registrations::category,
                    sql::<Text>(FRENCH_NAME),
                    registrations::created_at,
                    present,
                ))
                .load_iter::<(
                    String,
                    String,
                    String,
                    String,
                    String,
                    String,
                    String,
                    NaiveDateTime,
                    bool,
                ), PgRowByRowLoadingMode>(c)?;
            for row in rows {
                let (
                    id,
                    status,
                    country,
                    kind,
                    function,
                    category,
                    organisation,
                    created_at,
                    asked,
                ) = row?;
                out.add(Person {
                    status: code(&status),
                    country: code(&country),
                    organisation_type: code(&kind),
                    function: code(&function),
                    category: code(&category),
                    organisation,
                    created_at,
                    present: came(decode::uid(&id), asked),
                });
            }
        }
    }
    Ok(out)
}

/// Counts an edition's active check-ins, one row at a time.
fn desk(conn: &mut DbConnection, edition_id: &str, tz: Tz) -> Result<Desk, AppError> {
    use sqlite_text::{Day, Stamp, Uid};
    let mut out = Desk::new(tz);
    match conn {
        // As for registrations; undone check-ins are left out here, as a filter on them
        // would bring SQLite back to an index.
        DbConnection::Sqlite(c) => {
            let rows = checkins::table
                .filter(checkins::edition_id.concat("").eq(edition_id))
                .select((
                    sql::<Text>("checkins.day"),
                    sql::<Text>("checkins.at"),
                    checkins::undone_at.is_null(),
                    checkins::registration_id,
                ))
                .load_iter::<(Day, Stamp, bool, Uid), DefaultLoadingMode>(c)?;
            for row in rows {
                if let (day, at, true, who) = row? {
                    out.add(Visit {
                        day: day.0,
                        at: at.0,
                        who: who.0,
                    });
                }
            }
        }
        DbConnection::Pg(c) => {
            let rows = checkins::table
                .filter(checkins::edition_id.eq(edition_id))
                .filter(checkins::undone_at.is_null())
                .select((checkins::day, checkins::at, checkins::registration_id))
                .load_iter::<(NaiveDate, NaiveDateTime, String), PgRowByRowLoadingMode>(c)?;
            for row in rows {
                let (day, at, who) = row?;
                out.add(Visit {
                    day,
                    at,
                    who: decode::uid(&who),
                });
            }
        }
    }
    Ok(out)
}

/// A late scan of a badge already used at another desk, for the organisers to look at.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictLine {
    /// Local `YYYY-MM-DD HH:MM`.
    pub at: String,
    pub desk: String,
    /// Empty for an erased registration.
    pub name: String,
}

/// The edition's check-in conflicts, in the order they were scanned.
pub fn conflicts(
    conn: &mut DbConnection,
    edition_id: &str,
    tz: Tz,
) -> Result<Vec<ConflictLine>, AppError> {
    let rows: Vec<(NaiveDateTime, String, Option<String>, Option<String>)> = scans::table
        .left_join(registrations::table.on(registrations::id.nullable().eq(scans::registration_id)))
        .filter(scans::edition_id.eq(edition_id))
        .filter(scans::conflict.eq(true))
        .order(scans::scanned_at)
        .select((
            scans::scanned_at,
            scans::desk,
            registrations::first_name.nullable(),
            registrations::last_name.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(at, desk, first, last)| ConflictLine {
            at: tz
                .from_utc_datetime(&at)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            desk,
            name: format!(
                "{} {}",
                first.unwrap_or_default(),
                last.unwrap_or_default().to_uppercase()
            )
            .trim()
            .to_string(),
        })
        .collect())
}
