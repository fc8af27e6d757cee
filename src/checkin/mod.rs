//! The welcome desk: a scanned badge (or a name found by search) becomes a check-in.
//!
//! One active check-in per person and day, guaranteed by a partial unique index; every scan
//! is stored under the nonce the desk made for it, so a retried request gets its first
//! answer back instead of counting twice. Scans made offline arrive late with their own
//! time; one that finds the badge already used at another desk is marked a conflict.
//! Room doors scan in session mode: one attendance row per person and session, re-entries
//! counted on it.

pub mod api;
pub mod roster;
pub mod walkin;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::badges::token;
use crate::db::batch::{BatchJob, Batcher};
use crate::db::retry::Transient;
use crate::db::schema::{
    attendances, checkins, desk_log, registration_settings, registrations, scans, sessions,
    staff_users,
};
use crate::db::{on_backend, write_tx, DbConnection, Pool};
use crate::error::{AppError, Text};
use crate::registrations::model::{RegistrationRow, Status};
use crate::registrations::now;

/// What the desk is told about a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckResult {
    CheckedIn,
    Already,
    Invalid,
    Revoked,
    Cancelled,
    WrongDay,
    WrongEdition,
}

/// Why a scan was refused, when the result alone does not say. (Its schema is written by
/// hand in `api.rs`: the empty code of `None` is beyond the derive.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    #[serde(rename = "")]
    None,
    /// Not a badge code at all.
    Malformed,
    /// Looks like a badge, but its signature does not match.
    Forged,
    /// Signed by no key this server knows, or for a registration that no longer exists.
    Unknown,
    /// The person is on the waiting list, without a seat.
    Waitlisted,
    /// The day of the scan is not a day of the edition.
    NotEventDay,
    /// The person registered for other days only.
    NotRegisteredDay,
}

macro_rules! codes {
    ($t:ty { $($v:ident = $c:literal),* $(,)? }) => {
        impl $t {
            pub fn code(self) -> &'static str {
                match self { $(Self::$v => $c),* }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($c => Some(Self::$v),)* _ => None }
            }
        }
    };
}

codes!(CheckResult {
    CheckedIn = "checked_in",
    Already = "already",
    Invalid = "invalid",
    Revoked = "revoked",
    Cancelled = "cancelled",
    WrongDay = "wrong_day",
    WrongEdition = "wrong_edition",
});

codes!(Reason {
    None = "",
    Malformed = "malformed",
    Forged = "forged",
    Unknown = "unknown",
    Waitlisted = "waitlisted",
    NotEventDay = "not_event_day",
    NotRegisteredDay = "not_registered_day",
});

/// How a check-in was made.
pub mod method {
    pub const SCAN: &str = "scan";
    pub const SEARCH: &str = "search";
    pub const WALK_IN: &str = "walk_in";
    /// Scanned at a room door before the welcome desk.
    pub const SESSION: &str = "session";
}

/// A scan older than this when it reaches the server was made offline.
pub const LATE_AFTER_SECONDS: i64 = 30;

/// Who is being checked in.
#[derive(Debug, Clone)]
pub enum Subject {
    /// A badge whose signature was verified: its reference and version.
    Badge { public_ref: String, version: i32 },
    /// A registration picked from a search.
    Registration(String),
    /// A code refused before any lookup (not a badge, bad signature, unknown key).
    Refused(Reason),
}

/// One scan, with everything decided before the write transaction.
#[derive(Debug, Clone)]
pub struct Scan {
    pub nonce: String,
    /// A digest of what was scanned (see [`subject_key`]): a nonce replays only the
    /// request that made it.
    pub subject_key: String,
    pub desk: String,
    pub staff_id: Option<String>,
    /// The desk's edition.
    pub edition_id: String,
    pub edition_days: Arc<Vec<NaiveDate>>,
    /// The day of the scan in the edition's time zone.
    pub day: NaiveDate,
    /// When the scan was made (UTC).
    pub scanned_at: NaiveDateTime,
    pub received_at: NaiveDateTime,
    pub subject: Subject,
    /// Session mode: the session's key.
    pub session: Option<String>,
    /// Check in someone registered for another day of the edition.
    pub override_day: bool,
    pub method: &'static str,
}

impl Scan {
    /// Made offline: it reached the server well after it was made.
    pub fn late(&self) -> bool {
        (self.received_at - self.scanned_at).num_seconds() > LATE_AFTER_SECONDS
    }
}

/// The first check-in (or session entry) a repeated scan is measured against.
#[derive(Debug, Clone, PartialEq)]
pub struct First {
    pub at: NaiveDateTime,
    pub desk: String,
    pub by: Option<String>,
}

/// What a scan came to.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub result: CheckResult,
    pub reason: Reason,
    pub registration: Option<RegistrationRow>,
    pub checkin_id: Option<String>,
    pub first: Option<First>,
    pub conflict: bool,
    pub replayed: bool,
    pub day: NaiveDate,
    pub session: Option<String>,
}

impl Outcome {
    fn refused(scan: &Scan, result: CheckResult, reason: Reason) -> Outcome {
        Outcome {
            result,
            reason,
            registration: None,
            checkin_id: None,
            first: None,
            conflict: false,
            replayed: false,
            day: scan.day,
            session: scan.session.clone(),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = checkins)]
pub struct CheckinRow {
    pub id: String,
    pub edition_id: String,
    pub registration_id: String,
    pub day: NaiveDate,
    pub at: NaiveDateTime,
    pub desk: String,
    pub staff_id: Option<String>,
    pub method: String,
    pub undone_at: Option<NaiveDateTime>,
    pub undone_by: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = scans)]
pub struct ScanRow {
    pub nonce: String,
    pub edition_id: Option<String>,
    pub registration_id: Option<String>,
    pub session_id: Option<String>,
    pub desk: String,
    pub staff_id: Option<String>,
    pub scanned_at: NaiveDateTime,
    pub received_at: NaiveDateTime,
    pub result: String,
    pub reason: String,
    pub checkin_id: Option<String>,
    pub conflict: bool,
    pub subject: Option<String>,
}

/// What a nonce is bound to: a digest of the scanned code, or of the registration picked
/// by search. Stored with the scan instead of the code itself, which opens the badge.
pub fn subject_key(token: Option<&str>, registration: Option<&str>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    match (token, registration) {
        (Some(t), _) => h.update([b"t:".as_slice(), t.trim().as_bytes()].concat()),
        (None, Some(r)) => h.update([b"r:".as_slice(), r.as_bytes()].concat()),
        (None, None) => {}
    }
    token::hex(&h.finalize()[..16])
}

/// Whether this person may come in on this day, before looking at earlier check-ins.
pub fn admission(
    reg: &RegistrationRow,
    scan: &Scan,
    badge_version: Option<i32>,
) -> Option<(CheckResult, Reason)> {
    if reg.is_erased() {
        return Some((CheckResult::Invalid, Reason::Unknown));
    }
    if reg.edition_id != scan.edition_id {
        return Some((CheckResult::WrongEdition, Reason::None));
    }
    if badge_version.is_some_and(|v| v != reg.badge_version) {
        return Some((CheckResult::Revoked, Reason::None));
    }
    match reg.status() {
        Status::Cancelled => return Some((CheckResult::Cancelled, Reason::None)),
        Status::Waitlisted => return Some((CheckResult::Invalid, Reason::Waitlisted)),
        Status::Confirmed => {}
    }
    if !scan.edition_days.contains(&scan.day) {
        return Some((CheckResult::WrongDay, Reason::NotEventDay));
    }
    let days = reg.days();
    if !scan.override_day && !days.is_empty() && !days.contains(&scan.day) {
        return Some((CheckResult::WrongDay, Reason::NotRegisteredDay));
    }
    None
}

/// Records one scan inside the caller's write transaction.
pub fn record(conn: &mut DbConnection, scan: &Scan) -> Result<Outcome, AppError> {
    let previous = on_backend!(conn, |c| scans::table
        .find(&scan.nonce)
        .select(ScanRow::as_select())
        .first(c)
        .optional())?;
    if let Some(previous) = previous {
        // A retry is the same request again; anything else sent under a used nonce (a
        // forged code, another desk account) learns nothing from the first answer.
        if previous.subject.as_deref() != Some(scan.subject_key.as_str())
            || previous.staff_id != scan.staff_id
        {
            return Err(AppError::NonceReused);
        }
        return replay(conn, scan, previous);
    }
    let outcome = decide(conn, scan)?;
    let session_id = match (&scan.session, &outcome.registration) {
        (Some(key), Some(_)) => session_id(conn, &scan.edition_id, key)?,
        _ => None,
    };
    let row = ScanRow {
        nonce: scan.nonce.clone(),
        edition_id: Some(scan.edition_id.clone()),
        registration_id: outcome.registration.as_ref().map(|r| r.id.clone()),
        session_id,
        desk: scan.desk.clone(),
        staff_id: scan.staff_id.clone(),
        scanned_at: scan.scanned_at,
        received_at: scan.received_at,
        result: outcome.result.code().into(),
        reason: outcome.reason.code().into(),
        checkin_id: outcome.checkin_id.clone(),
        conflict: outcome.conflict,
        subject: Some(scan.subject_key.clone()),
    };
    on_backend!(conn, |c| diesel::insert_into(scans::table)
        .values(&row)
        .execute(c))?;
    Ok(outcome)
}

fn session_id(conn: &mut DbConnection, edition_id: &str, key: &str) -> QueryResult<Option<String>> {
    on_backend!(conn, |c| sessions::table
        .filter(sessions::edition_id.eq(edition_id))
        .filter(sessions::key.eq(key))
        .select(sessions::id)
        .first(c)
        .optional())
}

fn decide(conn: &mut DbConnection, scan: &Scan) -> Result<Outcome, AppError> {
    let (reg, version) = match &scan.subject {
        Subject::Refused(reason) => {
            return Ok(Outcome::refused(scan, CheckResult::Invalid, *reason))
        }
        Subject::Badge {
            public_ref,
            version,
        } => (
            crate::registrations::by_public_ref(conn, public_ref)?,
            Some(*version),
        ),
        Subject::Registration(id) => (
            on_backend!(conn, |c| registrations::table
                .find(id)
                .select(RegistrationRow::as_select())
                .first(c)
                .optional())?,
            None,
        ),
    };
    let Some(reg) = reg else {
        return Ok(Outcome::refused(
            scan,
            CheckResult::Invalid,
            Reason::Unknown,
        ));
    };
    if let Some((result, reason)) = admission(&reg, scan, version) {
        let mut out = Outcome::refused(scan, result, reason);
        // A refused person is still named, so the desk can talk to them; an erased one
        // is not.
        if !reg.is_erased() && result != CheckResult::WrongEdition {
            out.registration = Some(reg);
        }
        return Ok(out);
    }
    let mut out = Outcome {
        result: CheckResult::CheckedIn,
        reason: Reason::None,
        registration: None,
        checkin_id: None,
        first: None,
        conflict: false,
        replayed: false,
        day: scan.day,
        session: scan.session.clone(),
    };
    match &scan.session {
        Some(key) => {
            let Some(sid) = session_id(conn, &scan.edition_id, key)? else {
                return Err(AppError::NotFound);
            };
            if let Some(first) = enter_session(conn, scan, &reg.id, &sid)? {
                out.result = CheckResult::Already;
                out.first = Some(first);
            }
            // Someone at a room door is at the event: their day counts them present.
            check_in_day(conn, scan, &reg.id, method::SESSION)?;
        }
        None => {
            let (id, first) = check_in_day(conn, scan, &reg.id, scan.method)?;
            if let Some(first) = first {
                out.result = CheckResult::Already;
                out.conflict = scan.late() && first.desk != scan.desk;
                out.first = Some(first);
            }
            out.checkin_id = Some(id);
        }
    }
    out.registration = Some(reg);
    Ok(out)
}

/// The day's check-in: made now, or the one made earlier (returned as `First`).
fn check_in_day(
    conn: &mut DbConnection,
    scan: &Scan,
    registration_id: &str,
    how: &str,
) -> Result<(String, Option<First>), AppError> {
    let existing: Option<CheckinRow> = on_backend!(conn, |c| checkins::table
        .filter(checkins::registration_id.eq(registration_id))
        .filter(checkins::day.eq(scan.day))
        .filter(checkins::undone_at.is_null())
        .select(CheckinRow::as_select())
        .first(c)
        .optional())?;
    if let Some(row) = existing {
        let by = staff_name(conn, row.staff_id.as_deref())?;
        return Ok((
            row.id,
            Some(First {
                at: row.at,
                desk: row.desk,
                by,
            }),
        ));
    }
    let row = CheckinRow {
        id: crate::programme::new_id(),
        edition_id: scan.edition_id.clone(),
        registration_id: registration_id.into(),
        day: scan.day,
        at: scan.scanned_at,
        desk: scan.desk.clone(),
        staff_id: scan.staff_id.clone(),
        method: how.into(),
        undone_at: None,
        undone_by: None,
    };
    on_backend!(conn, |c| diesel::insert_into(checkins::table)
        .values(&row)
        .execute(c))?;
    Ok((row.id, None))
}

/// Records an entry into a session; on a re-entry, returns the first one.
fn enter_session(
    conn: &mut DbConnection,
    scan: &Scan,
    registration_id: &str,
    session_id: &str,
) -> Result<Option<First>, AppError> {
    let key = (registration_id, session_id);
    let first: Option<(NaiveDateTime, String)> = attendances::table
        .find(key)
        .select((attendances::first_at, attendances::desk))
        .first(conn)
        .optional()?;
    match first {
        Some((at, desk)) => {
            diesel::update(attendances::table.find(key))
                .set((
                    attendances::entries.eq(attendances::entries + 1),
                    attendances::last_at.eq(scan.scanned_at),
                ))
                .execute(conn)?;
            Ok(Some(First { at, desk, by: None }))
        }
        None => {
            diesel::insert_into(attendances::table)
                .values((
                    attendances::registration_id.eq(registration_id),
                    attendances::session_id.eq(session_id),
                    attendances::edition_id.eq(&scan.edition_id),
                    attendances::first_at.eq(scan.scanned_at),
                    attendances::last_at.eq(scan.scanned_at),
                    attendances::entries.eq(1),
                    attendances::desk.eq(&scan.desk),
                ))
                .execute(conn)?;
            Ok(None)
        }
    }
}

/// Who made a check-in, as the desk is told: a display name, not an address.
fn staff_name(conn: &mut DbConnection, id: Option<&str>) -> QueryResult<Option<String>> {
    match id {
        Some(id) => on_backend!(conn, |c| staff_users::table
            .find(id)
            .select(staff_users::display_name)
            .first(c)
            .optional()),
        None => Ok(None),
    }
}

/// The answer first given to this nonce, told again.
fn replay(conn: &mut DbConnection, scan: &Scan, row: ScanRow) -> Result<Outcome, AppError> {
    let result = CheckResult::parse(&row.result).unwrap_or(CheckResult::Invalid);
    let registration = match &row.registration_id {
        Some(id) => registrations::table
            .find(id)
            .select(RegistrationRow::as_select())
            .first(conn)
            .optional()?,
        None => None,
    };
    let mut first = None;
    if result == CheckResult::Already {
        first = match (&row.session_id, &row.registration_id, &row.checkin_id) {
            (Some(sid), Some(rid), _) => attendances::table
                .find((rid, sid))
                .select((attendances::first_at, attendances::desk))
                .first::<(NaiveDateTime, String)>(conn)
                .optional()?
                .map(|(at, desk)| First { at, desk, by: None }),
            (None, _, Some(cid)) => {
                let row: Option<CheckinRow> = checkins::table
                    .find(cid)
                    .select(CheckinRow::as_select())
                    .first(conn)
                    .optional()?;
                match row {
                    Some(c) => Some(First {
                        at: c.at,
                        by: staff_name(conn, c.staff_id.as_deref())?,
                        desk: c.desk,
                    }),
                    None => None,
                }
            }
            _ => None,
        };
    }
    let session = match &row.session_id {
        Some(sid) => sessions::table
            .find(sid)
            .select(sessions::key)
            .first(conn)
            .optional()?,
        None => None,
    };
    Ok(Outcome {
        result,
        reason: Reason::parse(&row.reason).unwrap_or(Reason::None),
        registration: registration.filter(|r| !r.is_erased()),
        checkin_id: row.checkin_id,
        first,
        conflict: row.conflict,
        replayed: true,
        day: scan.day,
        session,
    })
}

impl BatchJob for Scan {
    type Out = Outcome;

    fn run_batch(
        conn: &mut DbConnection,
        jobs: &[Scan],
    ) -> Result<Vec<Result<Outcome, AppError>>, AppError> {
        // On SQLite the batch holds the database's only write lock and `record` reads
        // before it writes, so no scan can trip a unique index; a refused scan (an unknown
        // session) fails before its first write, and a failing disk fails the whole batch
        // anyway. Savepoints would only cost time.
        if matches!(conn, DbConnection::Sqlite(_)) {
            return Ok(jobs.iter().map(|scan| record(conn, scan)).collect());
        }
        // Scans are written in one order on every server (by what was scanned), so two
        // batches touching the same people do not wait on each other in a cycle.
        let mut order: Vec<usize> = (0..jobs.len()).collect();
        order.sort_by(|&a, &b| jobs[a].subject_key.cmp(&jobs[b].subject_key));
        let mut results: Vec<Option<Result<Outcome, AppError>>> =
            (0..jobs.len()).map(|_| None).collect();
        for i in order {
            let scan = &jobs[i];
            // A savepoint each: a scan that fails (another server took the same
            // person's check-in a moment before) is tried once more, alone.
            let result = match conn.transaction(|c| record(c, scan)) {
                Err(AppError::Database(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ))) => conn.transaction(|c| record(c, scan)),
                other => other,
            };
            // A lost race aborts the batch, which the writer runs again whole.
            match result {
                Err(e) if e.is_transient() => return Err(e),
                result => results[i] = Some(result),
            }
        }
        Ok(results
            .into_iter()
            .map(|r| r.expect("every scan answered"))
            .collect())
    }
}

/// An edition's badge key, as the desk needs it to check signatures.
pub struct BadgeKey {
    pub edition_id: String,
    pub public: ed25519_dalek::VerifyingKey,
}

/// The desk's shared state: the check-in writer, the badge keys seen so far (an
/// edition's key never changes, so a key once read stays valid) and the badges whose
/// signature was checked already: a badge is scanned again at the door of every session and
/// by whoever scans twice, and checking an Ed25519 signature costs more than the rest of
/// reading the request. Revocation is the version's business, read from the database on
/// every scan, so a remembered signature never lets a replaced badge in.
pub struct Desk {
    writer: Batcher<Scan>,
    keys: RwLock<HashMap<[u8; 4], Arc<BadgeKey>>>,
    verified: Mutex<HashMap<String, (Subject, Option<String>)>>,
}

/// Badges remembered as verified at most; beyond, the memory starts afresh.
const VERIFIED_MAX: usize = 20_000;

/// Scans written per transaction at most, and waiting at most.
const BATCH: usize = 128;
const QUEUE: usize = 8192;

impl Desk {
    pub fn start(pool: Pool) -> std::io::Result<Desk> {
        Ok(Desk {
            writer: Batcher::start("check-in", pool, QUEUE, BATCH)?,
            keys: RwLock::new(HashMap::new()),
            verified: Mutex::new(HashMap::new()),
        })
    }

    /// Records a scan and waits for its commit.
    pub async fn record(&self, scan: Scan) -> Result<Outcome, AppError> {
        self.writer.submit(scan).await
    }

    /// The key with this id, from memory or else the database.
    pub fn key(
        &self,
        conn: &mut DbConnection,
        key_id: [u8; 4],
    ) -> Result<Option<Arc<BadgeKey>>, AppError> {
        if let Some(k) = self.keys.read().ok().and_then(|m| m.get(&key_id).cloned()) {
            return Ok(Some(k));
        }
        let row: Option<(String, String)> = registration_settings::table
            .filter(registration_settings::badge_key_id.eq(token::hex(&key_id)))
            .select((
                registration_settings::edition_id,
                registration_settings::badge_public_key,
            ))
            .first(conn)
            .optional()?;
        let Some((edition_id, public)) = row else {
            return Ok(None);
        };
        let public = token::verifying_key(&public)
            .ok_or_else(|| AppError::Internal("stored badge key is unreadable".into()))?;
        let key = Arc::new(BadgeKey { edition_id, public });
        if let Ok(mut m) = self.keys.write() {
            m.insert(key_id, key.clone());
        }
        Ok(Some(key))
    }

    /// Checks a scanned code's signature: the subject to look up, and the edition whose
    /// key signed it.
    pub fn subject(
        &self,
        conn: &mut DbConnection,
        scanned: &str,
    ) -> Result<(Subject, Option<String>), AppError> {
        let Some(decoded) = token::decode(scanned) else {
            return Ok((Subject::Refused(Reason::Malformed), None));
        };
        let key = self.key(conn, decoded.claims.key_id)?;
        Ok(self.judge(scanned, &decoded, key.as_deref()))
    }

    /// The same, when the answer needs no database: a malformed code, or a key in memory.
    pub fn subject_cached(&self, scanned: &str) -> Option<(Subject, Option<String>)> {
        let Some(decoded) = token::decode(scanned) else {
            return Some((Subject::Refused(Reason::Malformed), None));
        };
        let key = self
            .keys
            .read()
            .ok()?
            .get(&decoded.claims.key_id)
            .cloned()?;
        Some(self.judge(scanned, &decoded, Some(&key)))
    }

    fn judge(
        &self,
        scanned: &str,
        decoded: &token::Decoded,
        key: Option<&BadgeKey>,
    ) -> (Subject, Option<String>) {
        let Some(key) = key else {
            return (Subject::Refused(Reason::Unknown), None);
        };
        if let Some(known) = self
            .verified
            .lock()
            .ok()
            .and_then(|m| m.get(scanned).cloned())
        {
            return known;
        }
        if !decoded.verify(&key.public) {
            return (Subject::Refused(Reason::Forged), None);
        }
        let judged = (
            Subject::Badge {
                public_ref: token::hex(&decoded.claims.public_ref),
                version: i32::from(decoded.claims.version),
            },
            Some(key.edition_id.clone()),
        );
        if let Ok(mut m) = self.verified.lock() {
            if m.len() >= VERIFIED_MAX {
                m.clear();
            }
            m.insert(scanned.to_string(), judged.clone());
        }
        judged
    }
}

/// Undoes a mistaken check-in; the row stays, marked, and the desk's log says who and where.
pub fn undo(
    conn: &mut DbConnection,
    checkin_id: &str,
    staff_id: Option<&str>,
    desk: &str,
) -> Result<CheckinRow, AppError> {
    write_tx(conn, |conn| {
        let row: CheckinRow = checkins::table
            .find(checkin_id)
            .select(CheckinRow::as_select())
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        if row.undone_at.is_some() {
            return Err(AppError::InUse(Text::new("in_use_checkin_undone")));
        }
        let at = now();
        diesel::update(checkins::table.find(checkin_id))
            .set((checkins::undone_at.eq(at), checkins::undone_by.eq(staff_id)))
            .execute(conn)?;
        log(
            conn,
            &row.edition_id,
            Some(&row.registration_id),
            staff_id,
            desk,
            "undo_checkin",
            &format!("{} {} {}", row.day, row.at.format("%H:%M:%S"), row.desk),
        )?;
        Ok(row)
    })
}

/// Writes a line of the desk's log.
pub fn log(
    conn: &mut DbConnection,
    edition_id: &str,
    registration_id: Option<&str>,
    staff_id: Option<&str>,
    desk: &str,
    action: &str,
    detail: &str,
) -> QueryResult<()> {
    diesel::insert_into(desk_log::table)
        .values((
            desk_log::id.eq(crate::programme::new_id()),
            desk_log::edition_id.eq(edition_id),
            desk_log::registration_id.eq(registration_id),
            desk_log::at.eq(now()),
            desk_log::staff_id.eq(staff_id),
            desk_log::desk.eq(desk),
            desk_log::action.eq(action),
            desk_log::detail.eq(detail),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A late scan that found the badge already used at another desk.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub scanned_at: NaiveDateTime,
    pub desk: String,
    pub registration: Option<RegistrationRow>,
    pub first: Option<CheckinRow>,
}

/// The conflicts of an edition, latest first.
pub fn conflicts(conn: &mut DbConnection, edition_id: &str) -> Result<Vec<Conflict>, AppError> {
    let rows: Vec<ScanRow> = scans::table
        .filter(scans::edition_id.eq(edition_id))
        .filter(scans::conflict.eq(true))
        .order(scans::received_at.desc())
        .select(ScanRow::as_select())
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let registration = match &row.registration_id {
            Some(id) => Some(crate::registrations::get(conn, id)?).filter(|r| !r.is_erased()),
            None => None,
        };
        let first = match &row.checkin_id {
            Some(id) => checkins::table
                .find(id)
                .select(CheckinRow::as_select())
                .first(conn)
                .optional()?,
            None => None,
        };
        out.push(Conflict {
            scanned_at: row.scanned_at,
            desk: row.desk,
            registration,
            first,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(status: &str, days: &str) -> RegistrationRow {
        let mut r = RegistrationRow::sample();
        r.id = "r".into();
        r.edition_id = "e".into();
        r.status = status.into();
        r.days = days.into();
        r.badge_version = 2;
        r
    }

    fn scan(day: u32) -> Scan {
        let d = |n| NaiveDate::from_ymd_opt(2030, 9, n).unwrap();
        let at = d(day).and_hms_opt(7, 30, 0).unwrap();
        Scan {
            nonce: "n".into(),
            subject_key: subject_key(None, Some("r")),
            desk: "Accueil 1".into(),
            staff_id: None,
            edition_id: "e".into(),
            edition_days: Arc::new(vec![d(16), d(17)]),
            day: d(day),
            scanned_at: at,
            received_at: at,
            subject: Subject::Registration("r".into()),
            session: None,
            override_day: false,
            method: method::SCAN,
        }
    }

    #[test]
    fn admission_names_the_first_reason_to_refuse() {
        let days = r#"["2030-09-16"]"#;
        assert_eq!(admission(&reg("confirmed", days), &scan(16), Some(2)), None);
        assert_eq!(
            admission(&reg("confirmed", days), &scan(16), Some(1)),
            Some((CheckResult::Revoked, Reason::None))
        );
        assert_eq!(
            admission(&reg("cancelled", days), &scan(16), Some(2)),
            Some((CheckResult::Cancelled, Reason::None))
        );
        assert_eq!(
            admission(&reg("waitlisted", days), &scan(16), None),
            Some((CheckResult::Invalid, Reason::Waitlisted))
        );
        assert_eq!(
            admission(&reg("confirmed", days), &scan(18), None),
            Some((CheckResult::WrongDay, Reason::NotEventDay))
        );
        assert_eq!(
            admission(&reg("confirmed", days), &scan(17), None),
            Some((CheckResult::WrongDay, Reason::NotRegisteredDay))
        );
        let mut anyway = scan(17);
        anyway.override_day = true;
        assert_eq!(admission(&reg("confirmed", days), &anyway, None), None);
        let mut other = scan(16);
        other.edition_id = "f".into();
        assert_eq!(
            admission(&reg("confirmed", days), &other, Some(2)),
            Some((CheckResult::WrongEdition, Reason::None))
        );
    }

    #[test]
    fn a_scan_is_late_when_it_arrives_well_after_it_was_made() {
        let mut s = scan(16);
        assert!(!s.late());
        s.received_at = s.scanned_at + chrono::Duration::seconds(LATE_AFTER_SECONDS + 1);
        assert!(s.late());
    }
}
