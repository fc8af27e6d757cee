//! Attendance statistics of an edition, for the organisers' annual report: registrations,
//! presence at the welcome desk, who came (countries, organisations, functions), sessions'
//! attendance, arrivals at the desk and the registration curve, beside the previous
//! edition's figures.
//!
//! The database does the counting (a handful of GROUP BY queries, no per-row query);
//! what is left (time zones, accent folding, ordering) is done here by plain functions.
//! Erased registrations count like the others: erasure keeps what is counted here.

pub mod api;
pub mod export;
pub mod svg;
pub mod web;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Timelike};
use chrono_tz::Tz;
use diesel::connection::DefaultLoadingMode;
use diesel::dsl::{count_star, min, sql};
use diesel::prelude::*;
use diesel::sql_types::Text;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use utoipa::ToSchema;

// A report hashes some hundred thousand short keys: a fast hash rather than SipHash; the
// keys of one edition are few and bounded, randomly seeded all the same.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::db::schema::{
    attendances, checkins, edition_days, editions, registration_sessions as rsess,
    registration_settings, registrations, rooms, scans, sessions,
};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::programme::model::{EditionRow, SessionKind};
use crate::registrations::form::fold;
use crate::registrations::model::{Category, ChoiceStatus, Function, OrganisationType, Status};

/// Counts by code, in a fixed order (the order of the closed list, then any other code).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally(pub Vec<(String, i64)>);

impl Tally {
    /// Every code of `codes` at 0, then `counts` added (unknown codes at the end).
    fn over<'a>(codes: impl IntoIterator<Item = &'a str>, counts: &HashMap<&str, i64>) -> Self {
        let mut out: Vec<(String, i64)> = codes
            .into_iter()
            .map(|c| (c.to_string(), counts.get(c).copied().unwrap_or(0)))
            .collect();
        let mut others: Vec<(&str, i64)> = counts
            .iter()
            .filter(|(c, _)| !out.iter().any(|(k, _)| k == *c))
            .map(|(c, n)| (*c, *n))
            .collect();
        others.sort();
        out.extend(others.into_iter().map(|(c, n)| (c.to_string(), n)));
        Tally(out)
    }

    pub fn get(&self, code: &str) -> Option<i64> {
        self.0.iter().find(|(c, _)| c == code).map(|(_, n)| *n)
    }
}

impl Serialize for Tally {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Which people the participant figures count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// People checked in at least once (the desk has recorded check-ins).
    Present,
    /// Confirmed registrations (no check-in recorded yet).
    Registered,
}

/// Which edition the figures are about.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EditionInfo {
    pub slug: String,
    pub number: i32,
    pub year: i32,
    pub title: String,
    /// `YYYY-MM-DD`, in order.
    pub days: Vec<String>,
}

/// One country of the participants.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CountryCount {
    /// ISO 3166-1 alpha-2.
    pub code: String,
    /// In the request's language.
    pub name: String,
    pub count: i64,
}

/// The participants' countries, most represented first.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Countries {
    pub count: i64,
    pub list: Vec<CountryCount>,
}

/// One session of the programme (breaks left out).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SessionFigures {
    pub key: String,
    pub title: String,
    /// The session's own seats, else its room's; null without either.
    pub capacity: Option<i32>,
    /// Confirmed session choices of registrations that are not cancelled.
    pub intended: i64,
    /// People let in at the door.
    pub attended: i64,
    /// `attended / capacity` (above 1 when more came than seats); null without capacity.
    pub fill_rate: Option<f64>,
}

/// Check-ins in one quarter of an hour of a morning.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Quarter {
    /// `YYYY-MM-DD`, local.
    pub day: String,
    /// `HH:MM`, local start of the quarter.
    pub from: String,
    pub count: i64,
}

/// Registrations made on one day (local date), and all of them until then.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RegistrationDay {
    pub date: String,
    pub count: i64,
    pub cumulative: i64,
}

/// Every figure of an edition. Rates are between 0 and 1 (rounded to 4 decimals), or null
/// when they cannot be computed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Stats {
    pub edition: EditionInfo,
    /// Confirmed registrations.
    pub registered: i64,
    pub waitlisted: i64,
    pub cancelled: i64,
    /// Distinct people checked in on any day.
    pub present: i64,
    /// People checked in, for every day of the edition (`YYYY-MM-DD` → count).
    #[schema(value_type = HashMap<String, i64>)]
    pub present_by_day: Tally,
    /// Share of confirmed registrations never checked in; null before any check-in.
    pub no_show_rate: Option<f64>,
    /// How many people the figures below count.
    pub participants: i64,
    pub participants_basis: Basis,
    /// Share of participants from a country other than France.
    pub foreign_share: Option<f64>,
    pub countries: Countries,
    /// Distinct French local governments among the participants (names compared without
    /// accents or case).
    pub french_local_governments: i64,
    /// Organisation type code → participants, every code present.
    #[schema(value_type = HashMap<String, i64>)]
    pub by_organisation_type: Tally,
    /// Function code → participants, every code present.
    #[schema(value_type = HashMap<String, i64>)]
    pub by_function: Tally,
    /// Badge category code → participants, every code present.
    #[schema(value_type = HashMap<String, i64>)]
    pub by_category: Tally,
    pub sessions_count: i64,
    /// In programme order.
    pub sessions: Vec<SessionFigures>,
    /// Morning check-ins (before 13:00 local) per quarter of an hour, day by day, from the
    /// first busy quarter to the last.
    pub arrivals: Vec<Quarter>,
    /// From the day registration opened to the day of the last registration, empty days
    /// included; every registration whatever its status.
    pub registrations_by_day: Vec<RegistrationDay>,
    /// The sentence of the annual report, in the request's language.
    pub headline: String,
    /// The same figures for the previous edition (the latest to start before this one).
    #[schema(no_recursion)]
    pub previous: Option<Box<Stats>>,
}

/// What the database gives: the inputs of [`build`]. Registrations and check-ins are read
/// once each, with only the columns counted, and tallied here.
#[derive(Debug, Clone, Default)]
pub struct Raw {
    pub edition: Option<EditionInfo>,
    pub tz: Option<Tz>,
    pub days: Vec<NaiveDate>,
    pub people: Vec<Person>,
    /// The active check-ins.
    pub checkins: Vec<Visit>,
    pub sessions: Vec<SessionRaw>,
    /// Session id → count.
    pub intended: HashMap<String, i64>,
    pub attended: HashMap<String, i64>,
    pub opens_at: Option<NaiveDateTime>,
}

/// A code of one of the closed lists a registration is made of (status, organisation
/// type, function, category, country), borrowed from the list: ten thousand rows read
/// allocate nothing for them. A code no list knows (older data) is kept as read.
pub type Code = Cow<'static, str>;

static KNOWN_CODES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    Status::ALL
        .iter()
        .map(|s| s.code())
        .chain(OrganisationType::ALL.iter().map(|t| t.code()))
        .chain(Function::ALL.iter().map(|f| f.code()))
        .chain(Category::ALL.iter().map(|c| c.code()))
        .chain(crate::countries::COUNTRIES.iter().map(|c| c.code))
        .collect()
});

pub fn code(text: &str) -> Code {
    match KNOWN_CODES.get(text) {
        Some(known) => Cow::Borrowed(*known),
        None => Cow::Owned(text.to_owned()),
    }
}

/// What is counted of a registration (erasure keeps all of it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Person {
    pub id: String,
    pub status: Code,
    pub country: Code,
    pub organisation_type: Code,
    pub function: Code,
    pub category: Code,
    /// Read for French local governments only, the others are not compared.
    pub organisation: String,
    /// UTC.
    pub created_at: NaiveDateTime,
}

/// An active check-in.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub registration_id: String,
    pub day: NaiveDate,
    /// UTC.
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, Default)]
pub struct SessionRaw {
    pub id: String,
    pub key: String,
    pub title: String,
    pub kind: String,
    pub capacity: Option<i32>,
    pub room_capacity: Option<i32>,
}

/// `num / den` rounded to 4 decimals, or None when `den` is 0.
pub fn rate(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| (num as f64 / den as f64 * 10_000.0).round() / 10_000.0)
}

/// The statistics of edition `slug`, with its previous edition's.
pub fn report(conn: &mut DbConnection, slug: &str, lang: Lang) -> Result<Stats, AppError> {
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
        if let Some(prev) = previous_edition(conn, &edition, first_day)? {
            stats.previous = Some(Box::new(build(load(conn, &prev)?, lang)));
        }
        Ok(stats)
    })
}

/// The edition whose first day is the latest before `first_day`.
fn previous_edition(
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

/// Reads what the figures of one edition need.
pub fn load(conn: &mut DbConnection, e: &EditionRow) -> Result<Raw, AppError> {
    let id = e.id.as_str();
    let days: Vec<NaiveDate> = edition_days::table
        .filter(edition_days::edition_id.eq(id))
        .select(edition_days::day)
        .order(edition_days::day)
        .load(conn)?;
    let people = people(conn, id)?;
    let visits = visits(conn, id)?;

    type SessionColumns = (String, String, String, String, Option<i32>, Option<i32>);
    let session_rows: Vec<SessionColumns> = sessions::table
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
    // Confirmed choices, counted on the (session, status) index, less those of cancelled
    // registrations (few): cheaper than joining every choice to its registration.
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
    let attended: Vec<(String, i64)> = attendances::table
        .filter(attendances::edition_id.eq(id))
        .group_by(attendances::session_id)
        .select((attendances::session_id, count_star()))
        .load(conn)?;
    let opens_at: Option<NaiveDateTime> = registration_settings::table
        .find(id)
        .select(registration_settings::opens_at)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten();

    Ok(Raw {
        edition: Some(EditionInfo {
            slug: e.slug.clone(),
            number: e.number,
            year: e.year,
            title: e.title.clone(),
            days: days.iter().map(|d| d.to_string()).collect(),
        }),
        tz: Some(e.timezone.parse().unwrap_or(chrono_tz::Europe::Paris)),
        days,
        people,
        checkins: visits,
        sessions: session_rows
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
            .collect(),
        intended,
        attended: attended.into_iter().collect(),
        opens_at,
    })
}

/// `YYYY-MM-DD HH:MM:SS[.fraction]`, as SQLite keeps timestamps, read by hand: diesel's
/// general-purpose parsing (or SQLite's own) costs more than the rest of reading a row.
fn stamp(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    if b.len() < 19 || (b[10] != b' ' && b[10] != b'T') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let n = |from: usize, to: usize| text.get(from..to)?.parse::<u32>().ok();
    let nanos = match text.get(19..)? {
        "" => 0,
        f if f.starts_with('.') && f.len() > 1 => {
            let digits = &f[1..f.len().min(10)];
            digits.parse::<u32>().ok()? * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    date(text.get(..10)?)?.and_hms_nano_opt(n(11, 13)?, n(14, 16)?, n(17, 19)?, nanos)
}

/// `YYYY-MM-DD`.
fn date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let n = |from: usize, to: usize| text.get(from..to)?.parse::<u32>().ok();
    NaiveDate::from_ymd_opt(n(0, 4)? as i32, n(5, 7)?, n(8, 10)?)
}

/// SQLite columns decoded from the text SQLite holds, without an intermediate `String`.
mod sqlite_text {
    use chrono::{NaiveDate, NaiveDateTime};
    use diesel::backend::Backend;
    use diesel::deserialize::{self, FromSql, FromSqlRow};
    use diesel::sql_types::Text;
    use diesel::sqlite::Sqlite;

    #[derive(FromSqlRow)]
    pub struct Code(pub super::Code);

    #[derive(FromSqlRow)]
    pub struct Stamp(pub NaiveDateTime);

    #[derive(FromSqlRow)]
    pub struct Day(pub NaiveDate);

    fn unreadable(what: &str, text: &str) -> Box<dyn std::error::Error + Send + Sync> {
        format!("unreadable {what} {text:?}").into()
    }

    impl FromSql<Text, Sqlite> for Code {
        fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
            Ok(Code(super::code(value.read_text())))
        }
    }

    impl FromSql<Text, Sqlite> for Stamp {
        fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
            let text = value.read_text();
            super::stamp(text)
                .map(Stamp)
                .ok_or_else(|| unreadable("time", text))
        }
    }

    impl FromSql<Text, Sqlite> for Day {
        fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
            let text = value.read_text();
            super::date(text)
                .map(Day)
                .ok_or_else(|| unreadable("date", text))
        }
    }
}

/// What is counted of an edition's registrations.
fn people(conn: &mut DbConnection, edition_id: &str) -> Result<Vec<Person>, AppError> {
    use sqlite_text::{Code as C, Stamp};
    Ok(match conn {
        // An edition holds a large part of the table, and SQLite reads a table in order
        // faster than it looks each row up from an index: `|| ''` keeps it off the index.
        // Only French local governments' names are compared: the others are not read.
        DbConnection::Sqlite(c) => registrations::table
            .filter(registrations::edition_id.concat("").eq(edition_id))
            .select((
                registrations::id,
                registrations::status,
                registrations::country,
                registrations::organisation_type,
                registrations::function,
                registrations::category,
                sql::<Text>(
                    "CASE WHEN registrations.organisation_type = 'french_local_government' \
                     THEN registrations.organisation ELSE '' END",
                ),
                sql::<Text>("registrations.created_at"),
            ))
            .load_iter::<(String, C, C, C, C, C, String, Stamp), DefaultLoadingMode>(c)?
            .map(|row| {
                let (id, status, country, kind, function, category, organisation, created) = row?;
                Ok(Person {
                    id,
                    status: status.0,
                    country: country.0,
                    organisation_type: kind.0,
                    function: function.0,
                    category: category.0,
                    organisation,
                    created_at: created.0,
                })
            })
            .collect::<QueryResult<_>>()?,
        DbConnection::Pg(c) => registrations::table
            .filter(registrations::edition_id.eq(edition_id))
            .select((
                registrations::id,
                registrations::status,
                registrations::country,
                registrations::organisation_type,
                registrations::function,
                registrations::category,
                registrations::organisation,
                registrations::created_at,
            ))
            .load::<(
                String,
                String,
                String,
                String,
                String,
                String,
                String,
                NaiveDateTime,
            )>(c)?
            .into_iter()
            .map(
                |(id, status, country, kind, function, category, organisation, created_at)| {
                    let flg = kind == OrganisationType::FrenchLocalGovernment.code();
                    Person {
                        id,
                        status: code(&status),
                        country: code(&country),
                        organisation_type: code(&kind),
                        function: code(&function),
                        category: code(&category),
                        organisation: if flg { organisation } else { String::new() },
                        created_at,
                    }
                },
            )
            .collect(),
    })
}

/// An edition's active check-ins.
fn visits(conn: &mut DbConnection, edition_id: &str) -> Result<Vec<Visit>, AppError> {
    use sqlite_text::{Day, Stamp};
    Ok(match conn {
        // As for registrations; undone check-ins are left out here, as a filter on them
        // would bring SQLite back to an index.
        DbConnection::Sqlite(c) => checkins::table
            .filter(checkins::edition_id.concat("").eq(edition_id))
            .select((
                checkins::registration_id,
                sql::<Text>("checkins.day"),
                sql::<Text>("checkins.at"),
                checkins::undone_at.is_null(),
            ))
            .load_iter::<(String, Day, Stamp, bool), DefaultLoadingMode>(c)?
            .filter_map(|row| match row {
                Ok((registration_id, day, at, true)) => Some(Ok(Visit {
                    registration_id,
                    day: day.0,
                    at: at.0,
                })),
                Ok(_) => None,
                Err(e) => Some(Err(e)),
            })
            .collect::<QueryResult<_>>()?,
        DbConnection::Pg(c) => checkins::table
            .filter(checkins::edition_id.eq(edition_id))
            .filter(checkins::undone_at.is_null())
            .select((checkins::registration_id, checkins::day, checkins::at))
            .load::<(String, NaiveDate, NaiveDateTime)>(c)?
            .into_iter()
            .map(|(registration_id, day, at)| Visit {
                registration_id,
                day,
                at,
            })
            .collect(),
    })
}

/// The figures from what the database gave.
pub fn build(raw: Raw, lang: Lang) -> Stats {
    let tz = raw.tz.unwrap_or(chrono_tz::Europe::Paris);
    let confirmed = Status::Confirmed.code();
    let present_ids: HashSet<&str> = raw
        .checkins
        .iter()
        .map(|c| c.registration_id.as_str())
        .collect();
    // One active check-in per person and day (a unique index says so): rows are people.
    let mut by_day: HashMap<NaiveDate, i64> = HashMap::new();
    for c in &raw.checkins {
        *by_day.entry(c.day).or_default() += 1;
    }
    let any_checkin = !present_ids.is_empty();

    // The participants: the people present once the desk has checked anyone in, else the
    // confirmed registrations.
    let mut statuses: HashMap<&str, i64> = HashMap::new();
    let mut present_confirmed = 0;
    let mut base: Vec<&Person> = Vec::new();
    for p in &raw.people {
        *statuses.entry(&p.status).or_default() += 1;
        let present = any_checkin && present_ids.contains(p.id.as_str());
        if present && p.status == confirmed {
            present_confirmed += 1;
        }
        if present || (!any_checkin && p.status == confirmed) {
            base.push(p);
        }
    }
    let status = |s: Status| statuses.get(s.code()).copied().unwrap_or(0);
    let registered = status(Status::Confirmed);
    let participants = base.len() as i64;
    let foreign = base.iter().filter(|p| p.country != "FR").count() as i64;
    let mut by_country: HashMap<&str, i64> = HashMap::new();
    let mut by_type: HashMap<&str, i64> = HashMap::new();
    let mut by_function: HashMap<&str, i64> = HashMap::new();
    let mut by_category: HashMap<&str, i64> = HashMap::new();
    let mut french_names: HashSet<&str> = HashSet::new();
    for p in &base {
        *by_country.entry(&p.country).or_default() += 1;
        *by_type.entry(&p.organisation_type).or_default() += 1;
        *by_function.entry(&p.function).or_default() += 1;
        *by_category.entry(&p.category).or_default() += 1;
        if p.organisation_type == OrganisationType::FrenchLocalGovernment.code() {
            french_names.insert(&p.organisation);
        }
    }
    let countries = countries(&by_country, lang);
    let created: Vec<NaiveDateTime> = raw.people.iter().map(|p| p.created_at).collect();
    let checkin_times: Vec<NaiveDateTime> = raw.checkins.iter().map(|c| c.at).collect();

    let sessions: Vec<SessionFigures> = raw
        .sessions
        .iter()
        .filter(|s| SessionKind::parse(&s.kind) != Some(SessionKind::Break))
        .map(|s| {
            let capacity = s.capacity.or(s.room_capacity);
            let attended = raw.attended.get(&s.id).copied().unwrap_or(0);
            SessionFigures {
                key: s.key.clone(),
                title: s.title.clone(),
                capacity,
                intended: raw.intended.get(&s.id).copied().unwrap_or(0),
                attended,
                fill_rate: capacity.and_then(|c| rate(attended, c as i64)),
            }
        })
        .collect();

    let mut stats = Stats {
        edition: raw.edition.clone().unwrap_or(EditionInfo {
            slug: String::new(),
            number: 0,
            year: 0,
            title: String::new(),
            days: Vec::new(),
        }),
        registered,
        waitlisted: status(Status::Waitlisted),
        cancelled: status(Status::Cancelled),
        present: present_ids.len() as i64,
        present_by_day: Tally(
            raw.days
                .iter()
                .map(|d| (d.to_string(), by_day.get(d).copied().unwrap_or(0)))
                .collect(),
        ),
        no_show_rate: if any_checkin {
            rate(registered - present_confirmed, registered)
        } else {
            None
        },
        participants,
        participants_basis: if any_checkin {
            Basis::Present
        } else {
            Basis::Registered
        },
        foreign_share: rate(foreign, participants),
        french_local_governments: distinct_organisations(french_names),
        by_organisation_type: Tally::over(OrganisationType::ALL.iter().map(|t| t.code()), &by_type),
        by_function: Tally::over(Function::ALL.iter().map(|t| t.code()), &by_function),
        by_category: Tally::over(Category::ALL.iter().map(|t| t.code()), &by_category),
        sessions_count: sessions.len() as i64,
        sessions,
        countries,
        arrivals: arrivals(&checkin_times, tz),
        registrations_by_day: registrations_by_day(&created, raw.opens_at, tz),
        headline: String::new(),
        previous: None,
    };
    stats.headline = headline(&stats, lang);
    stats
}

/// Countries by participants, most first, then by name.
pub fn countries(by_code: &HashMap<&str, i64>, lang: Lang) -> Countries {
    let mut list: Vec<CountryCount> = by_code
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(code, n)| CountryCount {
            code: code.to_string(),
            name: crate::countries::find(code)
                .map(|c| c.name(lang).to_string())
                .unwrap_or_else(|| code.to_string()),
            count: *n,
        })
        .collect();
    list.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| fold(&a.name).cmp(&fold(&b.name)))
            .then_with(|| a.code.cmp(&b.code))
    });
    Countries {
        count: list.len() as i64,
        list,
    }
}

/// How many different organisations these names are, ignoring accents, case and spacing.
pub fn distinct_organisations<'a>(names: impl IntoIterator<Item = &'a str>) -> i64 {
    names
        .into_iter()
        .map(|n| fold(n).split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|n| !n.is_empty())
        .collect::<HashSet<_>>()
        .len() as i64
}

/// Morning check-ins (local time before 13:00) per quarter of an hour, day by day, from
/// each morning's first busy quarter to its last, quiet quarters in between at 0.
pub fn arrivals(times: &[NaiveDateTime], tz: Tz) -> Vec<Quarter> {
    let mut by_day: BTreeMap<NaiveDate, BTreeMap<u32, i64>> = BTreeMap::new();
    for t in times {
        let local = tz.from_utc_datetime(t).naive_local();
        if local.hour() < 13 {
            let quarter = (local.hour() * 60 + local.minute()) / 15;
            *by_day
                .entry(local.date())
                .or_default()
                .entry(quarter)
                .or_default() += 1;
        }
    }
    let mut out = Vec::new();
    for (day, quarters) in by_day {
        let (Some(first), Some(last)) = (quarters.keys().next(), quarters.keys().last()) else {
            continue;
        };
        for q in *first..=*last {
            out.push(Quarter {
                day: day.to_string(),
                from: format!("{:02}:{:02}", q * 15 / 60, q * 15 % 60),
                count: quarters.get(&q).copied().unwrap_or(0),
            });
        }
    }
    out
}

/// Registrations per local day and their running total, from the opening day (or the
/// first registration, if earlier) to the last registration.
pub fn registrations_by_day(
    created: &[NaiveDateTime],
    opens_at: Option<NaiveDateTime>,
    tz: Tz,
) -> Vec<RegistrationDay> {
    let local = |t: &NaiveDateTime| tz.from_utc_datetime(t).date_naive();
    let mut counts: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for t in created {
        *counts.entry(local(t)).or_default() += 1;
    }
    let (Some(first), Some(last)) = (counts.keys().next().copied(), counts.keys().last().copied())
    else {
        return Vec::new();
    };
    let start = opens_at.map(|o| local(&o).min(first)).unwrap_or(first);
    let mut out = Vec::new();
    let mut total = 0;
    for day in start.iter_days().take_while(|d| *d <= last) {
        let count = counts.get(&day).copied().unwrap_or(0);
        total += count;
        out.push(RegistrationDay {
            date: day.to_string(),
            count,
            cumulative: total,
        });
    }
    out
}

/// A whole number with the language's thousands separator.
pub fn int(n: i64, lang: Lang) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::Fr => "\u{202f}",
        Lang::En => ",",
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A rate as a whole percentage: "50 %" in French, "50%" in English.
pub fn percent(rate: f64, lang: Lang) -> String {
    let n = (rate * 100.0).round() as i64;
    match lang {
        Lang::Fr => format!("{} %", int(n, lang)),
        Lang::En => format!("{}%", int(n, lang)),
    }
}

/// "509 participants, 50 % venus de l'étranger, 28 pays, 130 collectivités territoriales
/// françaises, 26 sessions", in the language asked.
pub fn headline(s: &Stats, lang: Lang) -> String {
    // French treats 0 and 1 as singular, English only 1.
    let one = |n: i64| match lang {
        Lang::Fr => n <= 1,
        Lang::En => n == 1,
    };
    let count = |n: i64, singular: &str, plural: &str| {
        format!(
            "{} {}",
            int(n, lang),
            if one(n) { singular } else { plural }
        )
    };
    let abroad = percent(s.foreign_share.unwrap_or(0.0), lang);
    match lang {
        Lang::Fr => format!(
            "{}, {abroad} venus de l'étranger, {}, {}, {}",
            count(s.participants, "participant", "participants"),
            count(s.countries.count, "pays", "pays"),
            count(
                s.french_local_governments,
                "collectivité territoriale française",
                "collectivités territoriales françaises"
            ),
            count(s.sessions_count, "session", "sessions"),
        ),
        Lang::En => format!(
            "{}, {abroad} from abroad, {}, {}, {}",
            count(s.participants, "participant", "participants"),
            count(s.countries.count, "country", "countries"),
            count(
                s.french_local_governments,
                "French local government",
                "French local governments"
            ),
            count(s.sessions_count, "session", "sessions"),
        ),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn person(id: &str, status: &str, country: &str, kind: &str, organisation: &str) -> Person {
        Person {
            id: id.into(),
            status: code(status),
            country: code(country),
            organisation_type: code(kind),
            function: "elected".into(),
            category: "participant".into(),
            organisation: organisation.into(),
            created_at: at("2030-06-01 10:00"),
        }
    }

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2030, 10, n).unwrap()
    }

    fn visit(id: &str, d: u32) -> Visit {
        Visit {
            registration_id: id.into(),
            day: day(d),
            at: at(&format!("2030-10-{d:02} 07:00")),
        }
    }

    fn raw() -> Raw {
        let flg = "french_local_government";
        Raw {
            tz: Some(chrono_tz::Europe::Paris),
            days: vec![day(7), day(8)],
            people: vec![
                person("p1", "confirmed", "FR", flg, "Ville de Besançon"),
                person("p2", "confirmed", "FR", flg, "VILLE DE BESANCON "),
                person("p3", "confirmed", "SN", "foreign_local_government", "Dakar"),
                person("p4", "confirmed", "BR", "ngo", "Pólis"),
                person("p5", "waitlisted", "FR", flg, "Lyon"),
                person("p6", "cancelled", "FR", flg, "Nantes"),
                person("p7", "cancelled", "FR", flg, "Rennes"),
            ],
            sessions: vec![
                SessionRaw {
                    id: "a".into(),
                    key: "s1".into(),
                    title: "Ouverture".into(),
                    kind: "plenary".into(),
                    capacity: None,
                    room_capacity: Some(300),
                },
                SessionRaw {
                    id: "b".into(),
                    key: "lunch".into(),
                    title: "Déjeuner".into(),
                    kind: "break".into(),
                    capacity: None,
                    room_capacity: None,
                },
                SessionRaw {
                    id: "c".into(),
                    key: "s2".into(),
                    title: "Atelier".into(),
                    kind: "workshop".into(),
                    capacity: None,
                    room_capacity: None,
                },
            ],
            attended: [("a".to_string(), 3)].into_iter().collect(),
            intended: [("c".to_string(), 2)].into_iter().collect(),
            ..Raw::default()
        }
    }

    #[test]
    fn before_any_checkin_the_confirmed_registrations_are_the_base() {
        let s = build(raw(), Lang::Fr);
        assert_eq!((s.registered, s.waitlisted, s.cancelled), (4, 1, 2));
        assert_eq!(s.participants_basis, Basis::Registered);
        assert_eq!(s.no_show_rate, None);
        assert_eq!(s.participants, 4);
        assert_eq!(s.foreign_share, Some(0.5));
        assert_eq!(s.french_local_governments, 1);
        assert_eq!(s.countries.count, 3);
        assert_eq!(s.countries.list[0].code, "FR");
        // Equal counts: by name, accents ignored (Brésil before Sénégal).
        assert_eq!(s.countries.list[1].name, "Brésil");
        assert_eq!(
            s.present_by_day.0,
            vec![("2030-10-07".into(), 0), ("2030-10-08".into(), 0)]
        );
        assert_eq!(s.by_organisation_type.get("ngo"), Some(1));
        assert_eq!(s.by_organisation_type.get("press"), Some(0));
        assert_eq!(s.by_organisation_type.0.len(), OrganisationType::ALL.len());
        assert_eq!(s.by_category.get("participant"), Some(4));
        // Breaks are not sessions; capacity falls back to the room's.
        assert_eq!(s.sessions_count, 2);
        assert_eq!(s.sessions[0].capacity, Some(300));
        assert_eq!(s.sessions[0].fill_rate, Some(0.01));
        assert_eq!(s.sessions[1].fill_rate, None);
        assert_eq!(s.sessions[1].intended, 2);
        // Every registration, whatever its status, is on the curve.
        assert_eq!(s.registrations_by_day.len(), 1);
        assert_eq!(s.registrations_by_day[0].count, 7);
        assert_eq!(
            s.headline,
            "4 participants, 50 % venus de l'étranger, 3 pays, 1 collectivité territoriale française, 2 sessions"
        );
    }

    #[test]
    fn once_the_desk_checks_in_the_present_people_are_the_base() {
        let mut r = raw();
        r.checkins = vec![
            visit("p1", 7),
            visit("p1", 8),
            visit("p2", 8),
            visit("p3", 8),
        ];
        let s = build(r, Lang::En);
        assert_eq!(s.participants_basis, Basis::Present);
        assert_eq!(s.present, 3);
        assert_eq!(s.no_show_rate, Some(0.25));
        assert_eq!(s.participants, 3);
        assert_eq!(s.foreign_share, Some(0.3333));
        assert_eq!(
            s.present_by_day.0,
            vec![("2030-10-07".into(), 1), ("2030-10-08".into(), 3)]
        );
        assert_eq!(
            s.headline,
            "3 participants, 33% from abroad, 2 countries, 1 French local government, 2 sessions"
        );
        assert_eq!(
            serde_json::to_value(&s).unwrap()["present_by_day"],
            serde_json::json!({"2030-10-07": 1, "2030-10-08": 3})
        );
        let quarters: Vec<(&str, i64)> = s
            .arrivals
            .iter()
            .map(|q| (q.from.as_str(), q.count))
            .collect();
        assert_eq!(quarters, vec![("09:00", 1), ("09:00", 3)]);
    }

    #[test]
    fn arrivals_are_local_quarters_of_each_morning() {
        // Paris is UTC+2 in October.
        let times = [
            at("2030-10-07 06:50"),
            at("2030-10-07 06:59"),
            at("2030-10-07 07:31"),
            at("2030-10-07 11:30"), // 13:30 local: afternoon
            at("2030-10-08 07:00"),
        ];
        let a = arrivals(&times, chrono_tz::Europe::Paris);
        let got: Vec<(&str, &str, i64)> = a
            .iter()
            .map(|x| (x.day.as_str(), x.from.as_str(), x.count))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2030-10-07", "08:45", 2),
                ("2030-10-07", "09:00", 0),
                ("2030-10-07", "09:15", 0),
                ("2030-10-07", "09:30", 1),
                ("2030-10-08", "09:00", 1),
            ]
        );
    }

    #[test]
    fn the_registration_curve_starts_on_the_opening_day() {
        let created = [
            at("2030-06-02 22:30"), // 3 June in Paris
            at("2030-06-03 08:00"),
            at("2030-06-05 10:00"),
        ];
        let days = registrations_by_day(
            &created,
            Some(at("2030-06-01 08:00")),
            chrono_tz::Europe::Paris,
        );
        let got: Vec<(&str, i64, i64)> = days
            .iter()
            .map(|d| (d.date.as_str(), d.count, d.cumulative))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2030-06-01", 0, 0),
                ("2030-06-02", 0, 0),
                ("2030-06-03", 2, 2),
                ("2030-06-04", 0, 2),
                ("2030-06-05", 1, 3),
            ]
        );
        assert!(registrations_by_day(&[], None, chrono_tz::Europe::Paris).is_empty());
    }

    #[test]
    fn timestamps_are_read_as_stored() {
        let t = |s: &str| stamp(s).map(|x| x.format("%Y-%m-%d %H:%M:%S%.6f").to_string());
        assert_eq!(
            t("2030-09-16 08:50:00"),
            Some("2030-09-16 08:50:00.000000".into())
        );
        assert_eq!(
            t("2030-09-16 08:50:07.25"),
            Some("2030-09-16 08:50:07.250000".into())
        );
        assert_eq!(
            t("2030-09-16T08:50:07.123456789"),
            Some("2030-09-16 08:50:07.123456".into())
        );
        assert_eq!(t("2030-02-30 08:50:00"), None);
        assert_eq!(t("2030-09-16 08:50:00Z"), None);
        assert_eq!(t("yesterday"), None);
        assert_eq!(date("2030-09-16"), NaiveDate::from_ymd_opt(2030, 9, 16));
    }

    #[test]
    fn codes_of_the_closed_lists_are_borrowed_others_kept() {
        for known in [
            "confirmed",
            "french_local_government",
            "elected",
            "press",
            "SN",
        ] {
            assert!(
                matches!(code(known), Cow::Borrowed(c) if c == known),
                "{known}"
            );
        }
        assert!(matches!(code("retired"), Cow::Owned(c) if c == "retired"));
    }

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(int(1509, Lang::Fr), "1\u{202f}509");
        assert_eq!(int(1509, Lang::En), "1,509");
        assert_eq!(int(509, Lang::En), "509");
        assert_eq!(percent(0.505, Lang::Fr), "51 %");
        assert_eq!(percent(0.5, Lang::En), "50%");
        assert_eq!(rate(1, 3), Some(0.3333));
        assert_eq!(rate(1, 0), None);
        assert_eq!(
            distinct_organisations(["Région Île-de-France", "region  ile-de-france", "Paris"]),
            2
        );
    }
}
