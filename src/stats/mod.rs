//! Attendance statistics of an edition, for the organisers' annual report: registrations,
//! presence at the welcome desk, who came (countries, organisations, functions), sessions'
//! attendance, arrivals at the desk and the registration curve, beside the previous
//! edition's figures.
//!
//! The database counts the small sets (GROUP BY) and hands registrations and check-ins
//! over row by row; each row is added to running counts and dropped (`figures`), so an
//! edition of any size costs the memory of its distinct codes and days. Every series has
//! a bound (`series_limits`). Erased registrations count like the others: erasure keeps
//! what is counted here.

pub mod api;
pub mod decode;
pub mod export;
pub mod figures;
pub mod format;
pub mod model;
pub mod queries;
pub mod series;
pub mod svg;
pub mod web;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

pub use decode::{code, Code};
pub use figures::{build, rate, Raw};
pub use format::{headline, int, percent};
pub use model::{
    Basis, Countries, CountryCount, EditionInfo, Quarter, RegistrationDay, SeriesLimit,
    SeriesLimits, SessionFigures, Stats, Tally,
};
pub use queries::{conflicts, load, ConflictLine};

use crate::db::DbConnection;
use crate::error::AppError;
use crate::i18n::Lang;

/// The statistics of edition `slug`, with its previous edition's.
pub fn report(conn: &mut DbConnection, slug: &str, lang: Lang) -> Result<Stats, AppError> {
    unmapped(conn, |conn| snapshot(conn, slug, lang))
}

/// How a report reads SQLite: without the memory map, through which every page read would
/// stay in the server's resident memory (180 MiB at 600,000 registrations). The operating
/// system's page cache serves such a read as well, for a tenth more time.
const REPORT_CACHE: &str = "PRAGMA mmap_size = 0";

/// Runs `f`, which reads a whole edition once, as [`REPORT_CACHE`] says, then gives the
/// connection its memory map back.
pub fn unmapped<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    if sqlite {
        conn.batch_execute(REPORT_CACHE)?;
    }
    let read = f(conn);
    if sqlite {
        conn.batch_execute(crate::db::SQLITE_MMAP)?;
    }
    read
}

fn snapshot(conn: &mut DbConnection, slug: &str, lang: Lang) -> Result<Stats, AppError> {
    // One snapshot, so that a check-in committed in between cannot make totals disagree.
    conn.transaction(|conn| {
        if let DbConnection::Pg(_) = conn {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(conn)?;
        }
        let edition = crate::programme::find_edition(conn, slug)?;
        let raw = load(conn, &edition)?;
        let first_day = raw.days.first().copied();
        let mut stats = build(raw, lang);
        if let Some(prev) = queries::previous_edition(conn, &edition, first_day)? {
            stats.previous = Some(Box::new(build(load(conn, &prev)?, lang)));
        }
        Ok(stats)
    })
}
