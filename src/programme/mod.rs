//! The programme of an edition: its rooms, people and sessions.
//!
//! Every change goes through one path: the edition's current document is exported, changed,
//! validated as a whole and written back by key inside one write transaction. So the command
//! line, the API and the pages apply the same rules, and a change that would introduce a
//! conflict needs an explicit decision.

pub mod admin;
pub mod api;
pub mod conflicts;
pub mod document;
pub mod edits;
pub mod ics;
pub mod model;
pub mod web;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use chrono::Utc;
use diesel::prelude::*;

use crate::db::schema::{edition_days, editions, people, rooms, session_people, sessions};
use crate::db::{write_tx, DbConnection};
use crate::error::{AppError, Text};
use crate::i18n::Lang;
use conflicts::Conflict;
use document::{
    EditionDoc, PersonDoc, Problem, ProgrammeDocument, RoomDoc, SessionDoc, SessionPersonDoc,
    Validated,
};
use model::{EditionRow, PersonRow, RoomRow, SessionPersonRow, SessionRow};

/// An edition's programme as read for display: the validated document and its conflicts,
/// and, once asked for, its most requested renderings (they live as long as this revision).
pub struct Programme {
    pub edition: EditionRow,
    pub v: Validated,
    pub conflicts: Vec<Conflict>,
    /// The document as JSON.
    pub json: OnceLock<crate::web::Encoded>,
    /// The unfiltered public page, in each language (`Lang as usize`).
    pub pages: [OnceLock<crate::web::Encoded>; 3],
}

impl std::fmt::Debug for Programme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Programme")
            .field("edition", &self.edition.slug)
            .finish()
    }
}

impl Programme {
    pub fn doc(&self) -> &ProgrammeDocument {
        &self.v.doc
    }

    pub fn session_index(&self, key: &str) -> Option<usize> {
        self.v.doc.sessions.iter().position(|s| s.key == key)
    }

    pub fn person_index(&self, key: &str) -> Option<usize> {
        self.v.doc.people.iter().position(|p| p.key == key)
    }
}

/// A new row id: a uuid v7, unguessable and in creation order.
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn list_editions(conn: &mut DbConnection) -> Result<Vec<EditionRow>, AppError> {
    Ok(editions::table
        .select(EditionRow::as_select())
        .order((editions::year.desc(), editions::number.desc()))
        .load(conn)?)
}

pub fn find_edition(conn: &mut DbConnection, slug: &str) -> Result<EditionRow, AppError> {
    editions::table
        .filter(editions::slug.eq(slug))
        .select(EditionRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// The edition as a programme document, in the order it was written.
pub fn export(conn: &mut DbConnection, e: &EditionRow) -> Result<ProgrammeDocument, AppError> {
    let tz: chrono_tz::Tz = e.timezone.parse().map_err(AppError::internal)?;
    let days: Vec<chrono::NaiveDate> = edition_days::table
        .filter(edition_days::edition_id.eq(&e.id))
        .select(edition_days::day)
        .order(edition_days::day)
        .load(conn)?;
    let room_rows: Vec<RoomRow> = rooms::table
        .filter(rooms::edition_id.eq(&e.id))
        .select(RoomRow::as_select())
        .order(rooms::position)
        .load(conn)?;
    let person_rows: Vec<PersonRow> = people::table
        .filter(people::edition_id.eq(&e.id))
        .select(PersonRow::as_select())
        .order(people::position)
        .load(conn)?;
    let session_rows: Vec<SessionRow> = sessions::table
        .filter(sessions::edition_id.eq(&e.id))
        .select(SessionRow::as_select())
        .order(sessions::position)
        .load(conn)?;
    let roles: Vec<(String, String, String)> = session_people::table
        .inner_join(sessions::table)
        .inner_join(people::table)
        .filter(sessions::edition_id.eq(&e.id))
        .select((
            session_people::session_id,
            people::key,
            session_people::role,
        ))
        .order((session_people::session_id, session_people::position))
        .load(conn)?;

    let room_keys: HashMap<&str, &str> = room_rows
        .iter()
        .map(|r| (r.id.as_str(), r.key.as_str()))
        .collect();
    let mut by_session: HashMap<&str, Vec<SessionPersonDoc>> = HashMap::new();
    for (session_id, person, role) in &roles {
        by_session
            .entry(session_id.as_str())
            .or_default()
            .push(SessionPersonDoc {
                person: person.clone(),
                role: role.clone(),
            });
    }
    let list = |json: &str| serde_json::from_str::<Vec<String>>(json).unwrap_or_default();

    Ok(ProgrammeDocument {
        edition: EditionDoc {
            slug: e.slug.clone(),
            number: e.number,
            year: e.year,
            title: e.title.clone(),
            theme: e.theme.clone(),
            venue: e.venue.clone(),
            timezone: e.timezone.clone(),
            days: days
                .iter()
                .map(|d| d.format("%Y-%m-%d").to_string())
                .collect(),
        },
        rooms: room_rows
            .iter()
            .map(|r| RoomDoc {
                key: r.key.clone(),
                name: r.name.clone(),
                capacity: r.capacity,
            })
            .collect(),
        people: person_rows
            .iter()
            .map(|p| PersonDoc {
                key: p.key.clone(),
                name: p.name.clone(),
                function: p.function.clone(),
                organisation: p.organisation.clone(),
                country: p.country.clone(),
            })
            .collect(),
        sessions: session_rows
            .iter()
            .map(|s| {
                let start = document::to_local(tz, s.starts_at);
                let end = document::to_local(tz, s.ends_at);
                SessionDoc {
                    key: s.key.clone(),
                    kind: s.kind.clone(),
                    title: s.title.clone(),
                    summary: s.summary.clone(),
                    day: start.format("%Y-%m-%d").to_string(),
                    start: start.format("%H:%M").to_string(),
                    end: end.format("%H:%M").to_string(),
                    room: s
                        .room_id
                        .as_deref()
                        .and_then(|id| room_keys.get(id))
                        .map(|k| k.to_string()),
                    languages: list(&s.languages),
                    partners: list(&s.partners),
                    capacity: s.capacity,
                    people: by_session.remove(s.id.as_str()).unwrap_or_default(),
                }
            })
            .collect(),
    })
}

/// Writes a validated document over `existing` (or as a new edition), matching rows by key
/// so that ids stay stable across imports. Call inside a write transaction.
fn apply(
    conn: &mut DbConnection,
    existing: Option<&EditionRow>,
    v: &Validated,
    renames: &edits::Renames,
) -> Result<EditionRow, AppError> {
    let now = Utc::now().naive_utc();
    let e = &v.doc.edition;
    let row = EditionRow {
        id: existing.map(|x| x.id.clone()).unwrap_or_else(new_id),
        slug: e.slug.clone(),
        number: e.number,
        year: e.year,
        title: e.title.trim().to_string(),
        theme: e.theme.trim().to_string(),
        venue: e.venue.trim().to_string(),
        timezone: e.timezone.clone(),
        revision: existing.map(|x| x.revision + 1).unwrap_or(1),
        created_at: existing.map(|x| x.created_at).unwrap_or(now),
        updated_at: now,
    };
    if existing.is_some() {
        diesel::update(editions::table.find(&row.id))
            .set(&row)
            .execute(conn)?;
    } else {
        diesel::insert_into(editions::table)
            .values(&row)
            .execute(conn)?;
    }
    let eid = row.id.clone();

    diesel::delete(edition_days::table.filter(edition_days::edition_id.eq(&eid))).execute(conn)?;
    for day in &v.days {
        diesel::insert_into(edition_days::table)
            .values((edition_days::edition_id.eq(&eid), edition_days::day.eq(day)))
            .execute(conn)?;
    }

    // A renamed key is renamed in place, so that the row keeps its id (and what points at it).
    for (old, new) in &renames.rooms {
        diesel::update(
            rooms::table
                .filter(rooms::edition_id.eq(&eid))
                .filter(rooms::key.eq(old)),
        )
        .set(rooms::key.eq(new))
        .execute(conn)?;
    }
    for (old, new) in &renames.people {
        diesel::update(
            people::table
                .filter(people::edition_id.eq(&eid))
                .filter(people::key.eq(old)),
        )
        .set(people::key.eq(new))
        .execute(conn)?;
    }
    for (old, new) in &renames.sessions {
        diesel::update(
            sessions::table
                .filter(sessions::edition_id.eq(&eid))
                .filter(sessions::key.eq(old)),
        )
        .set(sessions::key.eq(new))
        .execute(conn)?;
    }

    // Rooms and people first (sessions point at them), removals last.
    let old_rooms: HashMap<String, String> = rooms::table
        .filter(rooms::edition_id.eq(&eid))
        .select((rooms::key, rooms::id))
        .load(conn)?
        .into_iter()
        .collect();
    let mut room_ids = Vec::with_capacity(v.doc.rooms.len());
    for (i, r) in v.doc.rooms.iter().enumerate() {
        let row = RoomRow {
            id: old_rooms.get(&r.key).cloned().unwrap_or_else(new_id),
            edition_id: eid.clone(),
            key: r.key.clone(),
            name: r.name.trim().to_string(),
            capacity: r.capacity,
            position: i as i32,
        };
        upsert_room(conn, &row, old_rooms.contains_key(&r.key))?;
        room_ids.push(row.id);
    }

    let old_people: HashMap<String, String> = people::table
        .filter(people::edition_id.eq(&eid))
        .select((people::key, people::id))
        .load(conn)?
        .into_iter()
        .collect();
    let mut person_ids = Vec::with_capacity(v.doc.people.len());
    for (i, p) in v.doc.people.iter().enumerate() {
        let row = PersonRow {
            id: old_people.get(&p.key).cloned().unwrap_or_else(new_id),
            edition_id: eid.clone(),
            key: p.key.clone(),
            name: p.name.trim().to_string(),
            function: p.function.trim().to_string(),
            organisation: p.organisation.trim().to_string(),
            country: p.country.clone(),
            position: i as i32,
        };
        if old_people.contains_key(&p.key) {
            diesel::update(people::table.find(&row.id))
                .set(&row)
                .execute(conn)?;
        } else {
            diesel::insert_into(people::table)
                .values(&row)
                .execute(conn)?;
        }
        person_ids.push(row.id);
    }

    let old_sessions: HashMap<String, String> = sessions::table
        .filter(sessions::edition_id.eq(&eid))
        .select((sessions::key, sessions::id))
        .load(conn)?
        .into_iter()
        .collect();
    let old_session_ids: Vec<&String> = old_sessions.values().collect();
    diesel::delete(
        session_people::table.filter(session_people::session_id.eq_any(&old_session_ids)),
    )
    .execute(conn)?;
    let mut kept_sessions = Vec::with_capacity(v.doc.sessions.len());
    for (i, (s, vs)) in v.doc.sessions.iter().zip(&v.sessions).enumerate() {
        let row = SessionRow {
            id: old_sessions.get(&s.key).cloned().unwrap_or_else(new_id),
            edition_id: eid.clone(),
            key: s.key.clone(),
            kind: s.kind.clone(),
            title: s.title.trim().to_string(),
            summary: s.summary.trim().to_string(),
            starts_at: vs.starts_at,
            ends_at: vs.ends_at,
            room_id: vs.room.map(|r| room_ids[r].clone()),
            languages: serde_json::to_string(&s.languages).map_err(AppError::internal)?,
            partners: serde_json::to_string(&s.partners).map_err(AppError::internal)?,
            capacity: s.capacity,
            position: i as i32,
        };
        if old_sessions.contains_key(&s.key) {
            diesel::update(sessions::table.find(&row.id))
                .set(&row)
                .execute(conn)?;
        } else {
            diesel::insert_into(sessions::table)
                .values(&row)
                .execute(conn)?;
        }
        for (n, (person, role)) in vs.people.iter().enumerate() {
            diesel::insert_into(session_people::table)
                .values(SessionPersonRow {
                    session_id: row.id.clone(),
                    person_id: person_ids[*person].clone(),
                    role: role.code().to_string(),
                    position: n as i32,
                })
                .execute(conn)?;
        }
        kept_sessions.push(row.id);
    }
    diesel::delete(
        sessions::table
            .filter(sessions::edition_id.eq(&eid))
            .filter(sessions::id.ne_all(&kept_sessions)),
    )
    .execute(conn)?;
    diesel::delete(
        rooms::table
            .filter(rooms::edition_id.eq(&eid))
            .filter(rooms::id.ne_all(&room_ids)),
    )
    .execute(conn)?;
    diesel::delete(
        people::table
            .filter(people::edition_id.eq(&eid))
            .filter(people::id.ne_all(&person_ids)),
    )
    .execute(conn)?;
    Ok(row)
}

fn upsert_room(conn: &mut DbConnection, row: &RoomRow, exists: bool) -> Result<(), AppError> {
    if exists {
        diesel::update(rooms::table.find(&row.id))
            .set(row)
            .execute(conn)?;
    } else {
        diesel::insert_into(rooms::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// Why an import or an edit was refused: problems in the document, or conflicts nobody
/// agreed to.
#[derive(Debug)]
pub enum Refusal {
    Problems(Vec<Problem>),
    Conflicts(Vec<Conflict>),
    Other(AppError),
}

impl From<diesel::result::Error> for Refusal {
    fn from(e: diesel::result::Error) -> Self {
        Refusal::Other(e.into())
    }
}

impl crate::db::retry::Transient for Refusal {
    fn is_transient(&self) -> bool {
        matches!(self, Refusal::Other(e) if e.is_transient())
    }
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Self {
        Refusal::Other(e)
    }
}

impl Refusal {
    /// As an API/page error, messages in `lang`.
    pub fn into_app_error(self, lang: Lang) -> AppError {
        match self {
            Refusal::Problems(p) => {
                AppError::Validation(p.iter().map(|x| x.to_field_error(lang)).collect())
            }
            Refusal::Conflicts(c) => AppError::Conflicts(c),
            Refusal::Other(e) => e,
        }
    }
}

/// What an import or edit did.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Outcome {
    pub slug: String,
    /// True when the edition did not exist before.
    pub created: bool,
    pub rooms: usize,
    pub people: usize,
    pub sessions: usize,
    /// Conflicts the programme now has (kept on purpose).
    pub conflicts: Vec<Conflict>,
}

fn outcome(row: &EditionRow, v: &Validated, created: bool, conflicts: Vec<Conflict>) -> Outcome {
    Outcome {
        slug: row.slug.clone(),
        created,
        rooms: v.doc.rooms.len(),
        people: v.doc.people.len(),
        sessions: v.doc.sessions.len(),
        conflicts,
    }
}

/// Takes the edition's row lock on PostgreSQL so that concurrent writers of one edition
/// queue and each reads the other's result; SQLite's BEGIN IMMEDIATE already did that.
fn lock_edition(conn: &mut DbConnection, slug: &str) -> Result<(), diesel::result::Error> {
    diesel::update(editions::table.filter(editions::slug.eq(slug)))
        .set(editions::revision.eq(editions::revision))
        .execute(conn)
        .map(|_| ())
}

/// Creates the edition of the document or replaces its programme, all or nothing.
pub fn import(
    conn: &mut DbConnection,
    doc: ProgrammeDocument,
    allow_conflicts: bool,
) -> Result<Outcome, Refusal> {
    let v = document::validate(doc).map_err(Refusal::Problems)?;
    let found = conflicts::detect(&v);
    if !found.is_empty() && !allow_conflicts {
        return Err(Refusal::Conflicts(found));
    }
    write_tx(conn, |conn| {
        lock_edition(conn, &v.doc.edition.slug)?;
        let existing = editions::table
            .filter(editions::slug.eq(&v.doc.edition.slug))
            .select(EditionRow::as_select())
            .first(conn)
            .optional()?;
        let row = apply(conn, existing.as_ref(), &v, &edits::Renames::default())?;
        crate::registrations::promote_sessions(conn, &row.id)?;
        Ok(outcome(&row, &v, existing.is_none(), found.clone()))
    })
}

/// Creates an empty edition; refused when the slug is taken.
pub fn create_edition(conn: &mut DbConnection, edition: EditionDoc) -> Result<Outcome, Refusal> {
    let v = document::validate(ProgrammeDocument {
        edition,
        rooms: vec![],
        people: vec![],
        sessions: vec![],
    })
    .map_err(Refusal::Problems)?;
    write_tx(conn, |conn| {
        let taken = editions::table
            .filter(editions::slug.eq(&v.doc.edition.slug))
            .count()
            .get_result::<i64>(conn)?
            > 0;
        if taken {
            return Err(Refusal::Other(AppError::AlreadyExists(
                Text::new("in_use_slug").arg("slug", v.doc.edition.slug.clone()),
            )));
        }
        let row = apply(conn, None, &v, &edits::Renames::default())?;
        Ok(outcome(&row, &v, true, vec![]))
    })
}

/// Changes an edition's programme with `change`, applied to its current document inside a
/// write transaction (so concurrent edits never overwrite each other). Conflicts the change
/// introduces refuse it unless `force`.
pub fn edit<F>(
    conn: &mut DbConnection,
    slug: &str,
    force: bool,
    mut change: F,
) -> Result<Outcome, Refusal>
where
    F: FnMut(&mut edits::Draft) -> Result<(), AppError>,
{
    write_tx(conn, |conn| {
        lock_edition(conn, slug)?;
        let existing = find_edition(conn, slug)?;
        let before_doc = export(conn, &existing)?;
        let before = document::validate(before_doc.clone())
            .map(|v| conflicts::detect(&v))
            .unwrap_or_default();
        let mut draft = edits::Draft::new(before_doc);
        change(&mut draft)?;
        let renames = draft.renames;
        // Conflicts accepted before stay accepted when only their keys were renamed.
        let before: Vec<Conflict> = before.iter().map(|c| renames.conflict(c)).collect();
        let v = document::validate(draft.doc).map_err(Refusal::Problems)?;
        let after = conflicts::detect(&v);
        let new = conflicts::introduced(&before, &after);
        if !new.is_empty() && !force {
            return Err(Refusal::Conflicts(new));
        }
        if v.doc.edition.slug != slug
            && editions::table
                .filter(editions::slug.eq(&v.doc.edition.slug))
                .count()
                .get_result::<i64>(conn)?
                > 0
        {
            return Err(Refusal::Other(AppError::AlreadyExists(
                Text::new("in_use_slug").arg("slug", v.doc.edition.slug.clone()),
            )));
        }
        let row = apply(conn, Some(&existing), &v, &renames)?;
        crate::registrations::promote_sessions(conn, &row.id)?;
        Ok(outcome(&row, &v, false, after))
    })
}

/// Deletes an edition and everything in it.
pub fn delete_edition(conn: &mut DbConnection, slug: &str) -> Result<(), AppError> {
    let n = diesel::delete(editions::table.filter(editions::slug.eq(slug))).execute(conn)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Loads a programme for display, straight from the database.
pub fn load(conn: &mut DbConnection, slug: &str) -> Result<Programme, AppError> {
    // One snapshot for the six reads, so a commit in between cannot mix two revisions.
    let (edition, doc) = conn.transaction(|conn| {
        if let DbConnection::Pg(_) = conn {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(conn)?;
        }
        let edition = find_edition(conn, slug)?;
        let doc = export(conn, &edition)?;
        Ok::<_, AppError>((edition, doc))
    })?;
    let v = document::validate(doc).map_err(|p| {
        AppError::Internal(format!(
            "stored programme of {slug} does not validate: {}",
            p.first().map(|x| x.to_string()).unwrap_or_default()
        ))
    })?;
    let conflicts = conflicts::detect(&v);
    Ok(Programme {
        edition,
        v,
        conflicts,
        json: OnceLock::new(),
        pages: Default::default(),
    })
}

/// Programmes kept in memory for the pages and the API. A cached programme is served
/// without touching the database for `trust` after it was last checked; past that, one
/// indexed query compares its revision with the database's. Writes made by this process
/// bump `generation`, which makes every entry re-check at once; writes by another process
/// (the command line) show within `trust`.
pub struct ProgrammeCache {
    entries: RwLock<HashMap<String, Cached>>,
    generation: std::sync::atomic::AtomicU64,
    trust: std::time::Duration,
}

struct Cached {
    programme: Arc<Programme>,
    checked: std::time::Instant,
    generation: u64,
}

impl ProgrammeCache {
    pub fn new(trust: std::time::Duration) -> Self {
        ProgrammeCache {
            entries: RwLock::new(HashMap::new()),
            generation: std::sync::atomic::AtomicU64::new(0),
            trust,
        }
    }

    /// Call after this process changed any programme.
    pub fn changed(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// The cached programme when it may be served without asking the database.
    pub fn fresh(&self, slug: &str) -> Option<Arc<Programme>> {
        let generation = self.generation.load(std::sync::atomic::Ordering::SeqCst);
        let entries = self.entries.read().expect("cache lock");
        let c = entries.get(slug)?;
        (c.generation == generation && c.checked.elapsed() < self.trust)
            .then(|| c.programme.clone())
    }

    /// The programme, checked against the database's revision (blocking).
    pub fn get(&self, conn: &mut DbConnection, slug: &str) -> Result<Arc<Programme>, AppError> {
        let generation = self.generation.load(std::sync::atomic::Ordering::SeqCst);
        let stamp: Option<(i32, String)> = editions::table
            .filter(editions::slug.eq(slug))
            .select((editions::revision, editions::id))
            .first(conn)
            .optional()?;
        let (revision, id) = stamp.ok_or(AppError::NotFound)?;
        let now = std::time::Instant::now();
        if let Some(c) = self.entries.write().expect("cache lock").get_mut(slug) {
            if c.programme.edition.revision == revision && c.programme.edition.id == id {
                c.checked = now;
                c.generation = generation;
                return Ok(c.programme.clone());
            }
        }
        let fresh = Arc::new(load(conn, slug)?);
        self.entries.write().expect("cache lock").insert(
            slug.to_string(),
            Cached {
                programme: fresh.clone(),
                checked: now,
                generation,
            },
        );
        Ok(fresh)
    }
}

/// The slug of an edition known by its id.
pub fn edition_slug(conn: &mut DbConnection, edition_id: &str) -> Result<String, AppError> {
    Ok(editions::table
        .find(edition_id)
        .select(editions::slug)
        .first(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_fresh_before_it_is_loaded() {
        let cache = ProgrammeCache::new(std::time::Duration::from_secs(60));
        assert!(cache.fresh("raict-2023").is_none());
    }
}
