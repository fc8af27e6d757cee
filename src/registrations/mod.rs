//! Registrations: who comes, on which days, to which parallel sessions, and their seats.
//!
//! Every change that touches more than one row (a registration and its seats, a cancellation
//! and the promotions it allows, each with its email) happens in one write transaction, and
//! the emails are rows of the outbox committed with it: nothing is announced that did not
//! happen, and nothing that happened goes unannounced.

pub mod admin;
pub mod api;
pub mod export;
pub mod form;
pub mod links;
pub mod model;
pub mod registrar;
pub mod search;
pub mod seats;
pub mod view;
pub mod web;

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{
    attendances, checkins, editions, outbox, people, registration_sessions as rsess,
    registration_settings, registrations, rooms, sessions,
};
use crate::db::{write_tx, DbConnection};
use crate::error::{AppError, Text};
use crate::mail::MailKind;
use crate::mail::OutboxRow;
use crate::programme::model::EditionRow;
use crate::programme::Programme;
use form::Registrant;
use model::{Category, ChoiceRow, ChoiceStatus, RegistrationRow, SettingsRow, Status};

pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// A random reference for links and badges: 12 bytes, so not guessable, and not in order.
fn new_public_ref() -> String {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    crate::badges::token::hex(&bytes)
}

/// The edition's registration settings, made on first use with a fresh badge key.
pub fn settings(conn: &mut DbConnection, edition_id: &str) -> Result<SettingsRow, AppError> {
    if let Some(s) = registration_settings::table
        .find(edition_id)
        .select(SettingsRow::as_select())
        .first(conn)
        .optional()?
    {
        return Ok(s);
    }
    let key = crate::badges::token::generate();
    let row = SettingsRow {
        edition_id: edition_id.to_string(),
        opens_at: None,
        closes_at: None,
        capacity: None,
        confirmed: 0,
        privacy_notice: String::new(),
        retention_days: 365,
        badge_key_id: key.key_id,
        badge_public_key: key.public_key,
        badge_secret_key: key.secret_key,
        updated_at: now(),
    };
    // Two first requests at once may both try: the second insert does nothing.
    match conn {
        DbConnection::Sqlite(c) => diesel::insert_into(registration_settings::table)
            .values(&row)
            .on_conflict_do_nothing()
            .execute(c)?,
        DbConnection::Pg(c) => diesel::insert_into(registration_settings::table)
            .values(&row)
            .on_conflict_do_nothing()
            .execute(c)?,
    };
    Ok(registration_settings::table
        .find(edition_id)
        .select(SettingsRow::as_select())
        .first(conn)?)
}

/// When registration opens and closes, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub opens: NaiveDateTime,
    pub closes: NaiveDateTime,
}

/// Where the registration window stands at a given instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowState {
    NotYetOpen,
    Open,
    Closed,
}

impl Window {
    /// Unless the organisers set dates: open from the edition's creation until the start of
    /// its first day, in the edition's time zone.
    pub fn of(s: &SettingsRow, edition: &EditionRow, first_day: Option<NaiveDate>) -> Window {
        let tz: chrono_tz::Tz = edition.timezone.parse().unwrap_or(chrono_tz::Europe::Paris);
        let default_close = first_day
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| tz.from_local_datetime(&t).earliest())
            .map(|t| t.naive_utc())
            .unwrap_or(NaiveDateTime::MAX);
        Window {
            opens: s.opens_at.unwrap_or(edition.created_at),
            closes: s.closes_at.unwrap_or(default_close),
        }
    }

    pub fn state(&self, at: NaiveDateTime) -> WindowState {
        if at < self.opens {
            WindowState::NotYetOpen
        } else if at >= self.closes {
            WindowState::Closed
        } else {
            WindowState::Open
        }
    }
}

/// How a registration is being made.
#[derive(Debug, Clone)]
pub struct Origin {
    pub source: &'static str,
    /// Takes a seat even when the edition is full (an organiser's invited guest).
    pub invited: bool,
    /// Sets the badge category instead of deriving it from the function.
    pub category: Option<Category>,
    /// Links the registration to a person of the programme (a speaker).
    pub person_key: Option<String>,
    /// Organisers may register outside the window.
    pub ignore_window: bool,
}

impl Origin {
    pub fn public(source: &'static str) -> Self {
        Origin {
            source,
            invited: false,
            category: None,
            person_key: None,
            ignore_window: false,
        }
    }
}

/// One session choice as the registrant sees it.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema, PartialEq)]
pub struct Choice {
    pub key: String,
    #[schema(value_type = ChoiceStatus)]
    pub status: ChoiceStatus,
}

/// The result of a registration attempt.
#[derive(Debug)]
pub enum Registered {
    New {
        registration: Box<RegistrationRow>,
        choices: Vec<Choice>,
    },
    /// This email is already registered for the edition: nothing new was written but an
    /// email with the manage link.
    Already(Box<RegistrationRow>),
}

/// Sessions of the edition by key, with their id and seat limit (their own capacity, else
/// their room's).
fn session_limits(
    conn: &mut DbConnection,
    edition_id: &str,
    keys: &[String],
) -> QueryResult<Vec<(String, String, Option<i32>)>> {
    let rows: Vec<(String, String, Option<i32>, Option<i32>)> = sessions::table
        .left_join(rooms::table)
        .filter(sessions::edition_id.eq(edition_id))
        .filter(sessions::key.eq_any(keys))
        .select((
            sessions::key,
            sessions::id,
            sessions::capacity,
            rooms::capacity.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(k, id, own, room)| (k, id, own.or(room)))
        .collect())
}

/// Refuses a registration outside the window (unless the origin allows it); makes the
/// edition's settings on first use.
pub fn check_window(
    conn: &mut DbConnection,
    programme: &Programme,
    origin: &Origin,
) -> Result<(), AppError> {
    let s = settings(conn, &programme.edition.id)?;
    window_allows(&s, programme, origin)
}

/// Whether these settings let this registration in now.
pub fn window_allows(
    s: &SettingsRow,
    programme: &Programme,
    origin: &Origin,
) -> Result<(), AppError> {
    if origin.ignore_window {
        return Ok(());
    }
    let edition = &programme.edition;
    match Window::of(s, edition, programme.v.days.first().copied()).state(now()) {
        WindowState::Open => Ok(()),
        WindowState::NotYetOpen => Err(AppError::RegistrationNotOpen),
        WindowState::Closed => Err(AppError::RegistrationClosed),
    }
}

/// Registers someone. Refuses outside the window (unless the origin allows it); an email
/// already registered gets its manage link again instead of a second registration.
pub fn register(
    conn: &mut DbConnection,
    programme: &Programme,
    r: Registrant,
    origin: &Origin,
) -> Result<Registered, AppError> {
    check_window(conn, programme, origin)?;
    let key = form::email_key(&r.email);
    let result = write_tx(conn, |conn| {
        register_within(conn, programme, r.clone(), origin)
    });
    match result {
        // Two attempts with the same email at the same instant: the unique index let one
        // through; the other is answered like any repeat.
        Err(AppError::Database(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => already(conn, &programme.edition.id, &key),
        other => other,
    }
}

fn already(conn: &mut DbConnection, edition_id: &str, key: &str) -> Result<Registered, AppError> {
    let existing = registrations::table
        .filter(registrations::edition_id.eq(edition_id))
        .filter(registrations::email_key.eq(key))
        .select(RegistrationRow::as_select())
        .first(conn)?;
    Ok(Registered::Already(Box::new(existing)))
}

/// The registration itself, inside the caller's write transaction.
pub fn register_within(
    conn: &mut DbConnection,
    programme: &Programme,
    r: Registrant,
    origin: &Origin,
) -> Result<Registered, AppError> {
    let edition = &programme.edition;
    let at = now();
    let key = form::email_key(&r.email);
    {
        lock_edition(conn, &edition.id)?;
        // A walk-in without email is one more person, never a repeat.
        let existing = if r.email.is_empty() {
            None
        } else {
            registrations::table
                .filter(registrations::edition_id.eq(&edition.id))
                .filter(registrations::email_key.eq(&key))
                .select(RegistrationRow::as_select())
                .first(conn)
                .optional()?
        };
        if let Some(existing) = existing {
            // Someone retyping the form gets their link again, but a stranger trying the
            // address over and over does not flood its owner's inbox.
            let recent: i64 = outbox::table
                .filter(outbox::registration_id.eq(&existing.id))
                .filter(outbox::kind.eq(MailKind::ManageLink.code()))
                .filter(outbox::created_at.gt(at - chrono::Duration::minutes(10)))
                .count()
                .get_result(conn)?;
            if recent == 0 && !existing.is_erased() {
                enqueue(conn, &existing, MailKind::ManageLink)?;
            }
            return Ok(Registered::Already(Box::new(existing)));
        }
        let person_id = match &origin.person_key {
            Some(k) => Some(
                people::table
                    .filter(people::edition_id.eq(&edition.id))
                    .filter(people::key.eq(k))
                    .select(people::id)
                    .first::<String>(conn)
                    .optional()?
                    .ok_or_else(|| AppError::Validation(vec![unknown_person(k)]))?,
            ),
            None => None,
        };
        let confirmed = seats::take_edition_seat(conn, &edition.id, origin.invited)?;
        let category = origin.category.unwrap_or(if person_id.is_some() {
            Category::Speaker
        } else {
            Category::default_for(r.function)
        });
        let row = RegistrationRow {
            id: crate::programme::new_id(),
            edition_id: edition.id.clone(),
            public_ref: new_public_ref(),
            status: if confirmed {
                Status::Confirmed
            } else {
                Status::Waitlisted
            }
            .code()
            .into(),
            category: category.code().into(),
            person_id,
            civility: r.civility.code().into(),
            first_name: r.first_name,
            last_name: r.last_name,
            email_key: Some(key.clone()).filter(|_| !r.email.is_empty()),
            email: r.email,
            function: r.function.code().into(),
            organisation: r.organisation,
            organisation_type: r.organisation_type.code().into(),
            country: r.country.into(),
            cuf_member: r.cuf_member,
            days: serde_json::to_string(&r.days).map_err(AppError::internal)?,
            lunch: r.lunch,
            accessibility: r.accessibility,
            lang: r.lang.code().into(),
            consent_photo: r.consent_photo,
            consented_at: at,
            source: origin.source.into(),
            invited: origin.invited,
            badge_version: 1,
            manage_version: 1,
            created_at: at,
            updated_at: at,
            cancelled_at: None,
            erased_at: None,
        };
        diesel::insert_into(registrations::table)
            .values(&row)
            .execute(conn)?;
        let choices = add_choices(conn, &row, &r.sessions, confirmed, at)?;
        enqueue(conn, &row, MailKind::Confirmation)?;
        Ok(Registered::New {
            registration: Box::new(row),
            choices,
        })
    }
}

fn unknown_person(key: &str) -> crate::error::FieldError {
    crate::error::FieldError {
        field: "person".into(),
        code: "unknown_person".into(),
        message: format!("no person \"{key}\" in this programme"),
    }
}

/// Records session choices, taking a seat in each when the registration holds one.
fn add_choices(
    conn: &mut DbConnection,
    reg: &RegistrationRow,
    keys: &[String],
    holds_seat: bool,
    at: NaiveDateTime,
) -> Result<Vec<Choice>, AppError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let limits = session_limits(conn, &reg.edition_id, keys)?;
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
        let Some((_, session_id, limit)) = limits.iter().find(|(k, _, _)| k == key) else {
            continue;
        };
        let status = if !holds_seat {
            ChoiceStatus::Pending
        } else if seats::take_session_seat(conn, session_id, *limit)? {
            ChoiceStatus::Confirmed
        } else {
            ChoiceStatus::Waitlisted
        };
        diesel::insert_into(rsess::table)
            .values(ChoiceRow {
                registration_id: reg.id.clone(),
                session_id: session_id.clone(),
                status: status.code().into(),
                created_at: at,
            })
            .execute(conn)?;
        out.push(Choice {
            key: key.clone(),
            status,
        });
    }
    Ok(out)
}

/// A registration's session choices, in programme order.
pub fn choices(conn: &mut DbConnection, registration_id: &str) -> Result<Vec<Choice>, AppError> {
    let rows: Vec<(String, String)> = rsess::table
        .inner_join(sessions::table)
        .filter(rsess::registration_id.eq(registration_id))
        .order((sessions::starts_at, sessions::position))
        .select((sessions::key, rsess::status))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(key, status)| Choice {
            key,
            status: ChoiceStatus::parse(&status).unwrap_or(ChoiceStatus::Pending),
        })
        .collect())
}

/// Removes choices, giving their seats back and promoting whoever waited for them.
fn drop_choices(
    conn: &mut DbConnection,
    reg: &RegistrationRow,
    session_ids: &[String],
    promote: bool,
) -> Result<(), AppError> {
    for sid in session_ids {
        let status: Option<String> = rsess::table
            .find((&reg.id, sid))
            .select(rsess::status)
            .first(conn)
            .optional()?;
        diesel::delete(rsess::table.find((&reg.id, sid))).execute(conn)?;
        if status.as_deref() == Some(ChoiceStatus::Confirmed.code()) {
            seats::free_session_seat(conn, sid)?;
            if promote {
                promote_session(conn, sid)?;
            }
        }
    }
    Ok(())
}

/// Gives freed session seats to the confirmed registrants who wait for them, in order.
fn promote_session(conn: &mut DbConnection, session_id: &str) -> Result<(), AppError> {
    let limit = {
        let (own, room): (Option<i32>, Option<i32>) = sessions::table
            .left_join(rooms::table)
            .filter(sessions::id.eq(session_id))
            .select((sessions::capacity, rooms::capacity.nullable()))
            .first(conn)?;
        own.or(room)
    };
    loop {
        let next: Option<RegistrationRow> = rsess::table
            .inner_join(registrations::table)
            .filter(rsess::session_id.eq(session_id))
            .filter(rsess::status.eq(ChoiceStatus::Waitlisted.code()))
            .filter(registrations::status.eq(Status::Confirmed.code()))
            .order((rsess::created_at, rsess::registration_id))
            .select(RegistrationRow::as_select())
            .first(conn)
            .optional()?;
        let Some(next) = next else { return Ok(()) };
        if !seats::take_session_seat(conn, session_id, limit)? {
            return Ok(());
        }
        diesel::update(rsess::table.find((&next.id, session_id)))
            .set(rsess::status.eq(ChoiceStatus::Confirmed.code()))
            .execute(conn)?;
        enqueue(conn, &next, MailKind::SessionPromoted)?;
    }
}

/// Gives freed edition seats to the waiting list, in order; each promoted registrant's
/// pending choices then ask for their session seats.
fn promote_edition(conn: &mut DbConnection, edition_id: &str) -> Result<(), AppError> {
    while seats::edition_has_room(conn, edition_id)? {
        let next: Option<RegistrationRow> = registrations::table
            .filter(registrations::edition_id.eq(edition_id))
            .filter(registrations::status.eq(Status::Waitlisted.code()))
            .order((registrations::created_at, registrations::id))
            .select(RegistrationRow::as_select())
            .first(conn)
            .optional()?;
        let Some(mut next) = next else { return Ok(()) };
        if !seats::take_edition_seat(conn, edition_id, false)? {
            return Ok(());
        }
        let at = now();
        diesel::update(registrations::table.find(&next.id))
            .set((
                registrations::status.eq(Status::Confirmed.code()),
                registrations::updated_at.eq(at),
            ))
            .execute(conn)?;
        next.status = Status::Confirmed.code().into();
        let pending: Vec<(String, Option<i32>, Option<i32>)> = rsess::table
            .inner_join(sessions::table.left_join(rooms::table))
            .filter(rsess::registration_id.eq(&next.id))
            .filter(rsess::status.eq(ChoiceStatus::Pending.code()))
            .select((
                rsess::session_id,
                sessions::capacity,
                rooms::capacity.nullable(),
            ))
            .load(conn)?;
        for (sid, own, room) in pending {
            let status = if seats::take_session_seat(conn, &sid, own.or(room))? {
                ChoiceStatus::Confirmed
            } else {
                ChoiceStatus::Waitlisted
            };
            diesel::update(rsess::table.find((&next.id, &sid)))
                .set(rsess::status.eq(status.code()))
                .execute(conn)?;
        }
        enqueue(conn, &next, MailKind::Promoted)?;
    }
    Ok(())
}

/// Cancels a registration: its seats go to the next people waiting, who are told by email,
/// and the email address may register again.
pub fn cancel(conn: &mut DbConnection, registration_id: &str) -> Result<RegistrationRow, AppError> {
    write_tx(conn, |conn| {
        let reg = lock(conn, registration_id)?;
        if reg.status() == Status::Cancelled {
            return Ok(reg);
        }
        release(conn, &reg, true)?;
        let at = now();
        diesel::update(registrations::table.find(&reg.id))
            .set((
                registrations::status.eq(Status::Cancelled.code()),
                registrations::cancelled_at.eq(at),
                registrations::updated_at.eq(at),
                registrations::email_key.eq(None::<String>),
            ))
            .execute(conn)?;
        let reg = get(conn, &reg.id)?;
        if !reg.is_erased() {
            enqueue(conn, &reg, MailKind::Cancelled)?;
        }
        Ok(reg)
    })
}

/// Gives back every seat a registration holds and, when `promote`, gives them to the
/// people waiting.
fn release(conn: &mut DbConnection, reg: &RegistrationRow, promote: bool) -> Result<(), AppError> {
    let session_ids: Vec<String> = rsess::table
        .filter(rsess::registration_id.eq(&reg.id))
        .select(rsess::session_id)
        .load(conn)?;
    drop_choices(conn, reg, &session_ids, promote)?;
    if reg.status() == Status::Confirmed {
        seats::free_edition_seat(conn, &reg.edition_id)?;
        // The registration is still "confirmed" until its caller changes it; it is not on
        // the waiting list, so the loop cannot pick it.
        if promote {
            promote_edition(conn, &reg.edition_id)?;
        }
    }
    Ok(())
}

/// Reads a registration inside a write transaction, after locking its edition's counter
/// row and then its own row. On PostgreSQL this serialises the changes to one edition's
/// seats, as SQLite's `BEGIN IMMEDIATE` does: every writer takes the edition row first, so
/// writers never wait on each other in a cycle, and a promotion never reads a waiting list
/// that another transaction is changing.
fn lock(conn: &mut DbConnection, id: &str) -> Result<RegistrationRow, AppError> {
    let edition_id: String = registrations::table
        .find(id)
        .select(registrations::edition_id)
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    lock_edition(conn, &edition_id)?;
    // A no-op UPDATE takes a row's write lock on PostgreSQL.
    diesel::update(registrations::table.find(id))
        .set(registrations::updated_at.eq(registrations::updated_at))
        .execute(conn)?;
    get(conn, id)
}

/// Takes the write lock of an edition's counter row (a no-op UPDATE).
pub(crate) fn lock_edition(conn: &mut DbConnection, edition_id: &str) -> QueryResult<()> {
    diesel::update(registration_settings::table.find(edition_id))
        .set(registration_settings::confirmed.eq(registration_settings::confirmed))
        .execute(conn)
        .map(|_| ())
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<RegistrationRow, AppError> {
    registrations::table
        .find(id)
        .select(RegistrationRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn by_public_ref(
    conn: &mut DbConnection,
    public_ref: &str,
) -> Result<Option<RegistrationRow>, AppError> {
    // On the desk's hot path: see `on_backend`.
    Ok(crate::db::on_backend!(conn, |c| registrations::table
        .filter(registrations::public_ref.eq(public_ref))
        .select(RegistrationRow::as_select())
        .first(c)
        .optional())?)
}

/// What an edit may change besides the registrant's own answers.
#[derive(Debug, Clone, Default)]
pub struct Amendment {
    pub category: Option<Category>,
    /// `Some(None)` unlinks the person; `None` leaves the link as it is.
    pub person_key: Option<Option<String>>,
}

/// Changes a registration. Session choices that were dropped free their seats; new ones
/// take a seat or join that session's waiting list. A new name re-issues the badge, since
/// the printed one no longer matches.
pub fn update(
    conn: &mut DbConnection,
    registration_id: &str,
    r: Registrant,
    amend: &Amendment,
) -> Result<(RegistrationRow, Vec<Choice>), AppError> {
    write_tx(conn, |conn| {
        let reg = lock(conn, registration_id)?;
        if reg.status() == Status::Cancelled {
            return Err(AppError::InUse(Text::new("in_use_cancelled_registration")));
        }
        let key = form::email_key(&r.email);
        if reg.email_key.as_deref() != Some(key.as_str()) {
            let taken = registrations::table
                .filter(registrations::edition_id.eq(&reg.edition_id))
                .filter(registrations::email_key.eq(&key))
                .filter(registrations::id.ne(&reg.id))
                .count()
                .get_result::<i64>(conn)?;
            if taken > 0 {
                return Err(AppError::Validation(vec![crate::error::FieldError {
                    field: "email".into(),
                    code: "email_taken".into(),
                    message: r.lang.t("form_email_taken").into(),
                }]));
            }
        }
        let person_id = match &amend.person_key {
            None => reg.person_id.clone(),
            Some(None) => None,
            Some(Some(k)) => Some(
                people::table
                    .filter(people::edition_id.eq(&reg.edition_id))
                    .filter(people::key.eq(k))
                    .select(people::id)
                    .first::<String>(conn)
                    .optional()?
                    .ok_or_else(|| AppError::Validation(vec![unknown_person(k)]))?,
            ),
        };
        let category = match (amend.category, &person_id, &reg.person_id) {
            (Some(c), _, _) => c,
            (None, Some(_), None) => Category::Speaker,
            (None, None, Some(_)) if reg.category() == Category::Speaker => {
                Category::default_for(r.function)
            }
            _ => reg.category(),
        };
        let renamed = r.first_name != reg.first_name || r.last_name != reg.last_name;
        // A new address gets its own link; links sent to the old one stop working, and
        // mail not yet sent goes to the new one.
        let new_address = reg.email_key.as_deref() != Some(key.as_str());
        let at = now();
        diesel::update(registrations::table.find(&reg.id))
            .set((
                registrations::civility.eq(r.civility.code()),
                registrations::first_name.eq(&r.first_name),
                registrations::last_name.eq(&r.last_name),
                registrations::email.eq(&r.email),
                registrations::email_key.eq(&key),
                registrations::function.eq(r.function.code()),
                registrations::organisation.eq(&r.organisation),
                registrations::organisation_type.eq(r.organisation_type.code()),
                registrations::country.eq(r.country),
                registrations::cuf_member.eq(r.cuf_member),
                registrations::days.eq(serde_json::to_string(&r.days).map_err(AppError::internal)?),
                registrations::lunch.eq(r.lunch),
                registrations::accessibility.eq(&r.accessibility),
                registrations::lang.eq(r.lang.code()),
                registrations::consent_photo.eq(r.consent_photo),
                registrations::category.eq(category.code()),
                registrations::person_id.eq(&person_id),
                registrations::badge_version.eq(reg.badge_version + i32::from(renamed)),
                registrations::manage_version.eq(reg.manage_version + i32::from(new_address)),
                registrations::updated_at.eq(at),
            ))
            .execute(conn)?;
        if new_address {
            diesel::update(
                outbox::table
                    .filter(outbox::registration_id.eq(&reg.id))
                    .filter(outbox::status.eq(crate::mail::PENDING)),
            )
            .set(outbox::recipient.eq(&r.email))
            .execute(conn)?;
            let moved = get(conn, &reg.id)?;
            enqueue(conn, &moved, MailKind::ManageLink)?;
        }

        // Session choices: drop what is no longer wanted, add what is new.
        let current: Vec<(String, String)> = rsess::table
            .inner_join(sessions::table)
            .filter(rsess::registration_id.eq(&reg.id))
            .select((sessions::key, rsess::session_id))
            .load(conn)?;
        let gone: Vec<String> = current
            .iter()
            .filter(|(k, _)| !r.sessions.contains(k))
            .map(|(_, id)| id.clone())
            .collect();
        drop_choices(conn, &reg, &gone, true)?;
        let new: Vec<String> = r
            .sessions
            .iter()
            .filter(|k| !current.iter().any(|(c, _)| c == *k))
            .cloned()
            .collect();
        let days_before = reg.days.clone();
        let reg = get(conn, &reg.id)?;
        add_choices(conn, &reg, &new, reg.status() == Status::Confirmed, at)?;
        // What they carry on them changed: the calendar sent before, or the name on the
        // badge. Anything else (lunch, organisation…) is not worth an email.
        if renamed || reg.days != days_before || !gone.is_empty() || !new.is_empty() {
            enqueue(conn, &reg, MailKind::Changed)?;
        }
        let choices = choices(conn, &reg.id)?;
        Ok((reg, choices))
    })
}

/// A new badge: the version goes up, so the old QR code stops being accepted.
pub fn reissue_badge(
    conn: &mut DbConnection,
    registration_id: &str,
) -> Result<RegistrationRow, AppError> {
    write_tx(conn, |conn| {
        let reg = lock(conn, registration_id)?;
        if reg.status() == Status::Cancelled {
            return Err(AppError::InUse(Text::new("in_use_registration_cancelled")));
        }
        diesel::update(registrations::table.find(&reg.id))
            .set((
                registrations::badge_version.eq(reg.badge_version + 1),
                registrations::updated_at.eq(now()),
            ))
            .execute(conn)?;
        let reg = get(conn, &reg.id)?;
        enqueue(conn, &reg, MailKind::Badge)?;
        Ok(reg)
    })
}

/// Makes the manage link sent so far stop working; the next email carries a new one.
pub fn revoke_manage_link(
    conn: &mut DbConnection,
    registration_id: &str,
) -> Result<RegistrationRow, AppError> {
    write_tx(conn, |conn| {
        let reg = lock(conn, registration_id)?;
        diesel::update(registrations::table.find(&reg.id))
            .set(registrations::manage_version.eq(reg.manage_version + 1))
            .execute(conn)?;
        get(conn, &reg.id)
    })
}

/// Queues an email to the registrant (their confirmation again, or their manage link).
pub fn resend(
    conn: &mut DbConnection,
    registration_id: &str,
    kind: MailKind,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let reg = get(conn, registration_id)?;
        if reg.is_erased() {
            return Err(AppError::InUse(Text::new("in_use_erased")));
        }
        enqueue(conn, &reg, kind)
    })
}

/// Adds an email about a registration to the outbox, in the caller's transaction.
pub fn enqueue(
    conn: &mut DbConnection,
    reg: &RegistrationRow,
    kind: MailKind,
) -> Result<(), AppError> {
    if reg.email.is_empty() {
        return Ok(());
    }
    let payload = crate::mail::registration::RegistrationPayload {
        registration_id: reg.id.clone(),
    };
    crate::mail::enqueue(
        conn,
        crate::mail::Enqueue::new(kind.code(), &reg.edition_id, &reg.email, &payload)
            .about(&reg.id),
    )?;
    Ok(())
}

/// Erases a person: everything that identifies them is removed; what statistics count
/// stays (status, dates, days, sessions, function, organisation and its type, country,
/// category, check-ins). Before the event, erasing is first a cancellation: the seats go to
/// the people waiting and the cancellation is counted. Once the edition's first day has
/// begun, no figure of the edition changes.
pub fn erase(conn: &mut DbConnection, registration_id: &str) -> Result<(), AppError> {
    erase_with(conn, registration_id, true)?;
    Ok(crate::db::scrub(conn)?)
}

/// Whether an edition's first day has begun at `at` (UTC), midnight in its time zone:
/// from then on its figures are history, and erasing a person leaves them as they are.
pub fn event_begun(timezone: &str, first_day: Option<NaiveDate>, at: NaiveDateTime) -> bool {
    let tz: chrono_tz::Tz = timezone.parse().unwrap_or(chrono_tz::Europe::Paris);
    first_day
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| tz.from_local_datetime(&t).earliest())
        .is_some_and(|start| at >= start.naive_utc())
}

/// `promote`: whether freed seats go to the waiting list. Not when purging an edition long
/// past, whose waiting list would otherwise be told a seat came free.
fn erase_with(
    conn: &mut DbConnection,
    registration_id: &str,
    promote: bool,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let reg = lock(conn, registration_id)?;
        if reg.is_erased() {
            return Ok(());
        }
        let at = now();
        let timezone: String = editions::table
            .find(&reg.edition_id)
            .select(editions::timezone)
            .first(conn)?;
        let first_day = edition_days(conn, &reg.edition_id)?.first().copied();
        if reg.status() != Status::Cancelled && !event_begun(&timezone, first_day, at) {
            release(conn, &reg, promote)?;
            diesel::update(registrations::table.find(&reg.id))
                .set((
                    registrations::status.eq(Status::Cancelled.code()),
                    registrations::cancelled_at.eq(at),
                ))
                .execute(conn)?;
        }
        diesel::update(registrations::table.find(&reg.id))
            .set((
                registrations::civility.eq(model::Civility::Unstated.code()),
                registrations::first_name.eq(""),
                registrations::last_name.eq(""),
                registrations::email.eq(""),
                registrations::email_key.eq(None::<String>),
                registrations::accessibility.eq(""),
                registrations::person_id.eq(None::<String>),
                registrations::consent_photo.eq(false),
                registrations::erased_at.eq(at),
                registrations::updated_at.eq(at),
                registrations::manage_version.eq(reg.manage_version + 1),
                registrations::badge_version.eq(reg.badge_version + 1),
            ))
            .execute(conn)?;
        // Unsent emails would carry the person's name; sent ones keep no address.
        diesel::delete(
            outbox::table
                .filter(outbox::registration_id.eq(&reg.id))
                .filter(outbox::status.ne(crate::mail::SENT)),
        )
        .execute(conn)?;
        diesel::update(outbox::table.filter(outbox::registration_id.eq(&reg.id)))
            .set(outbox::recipient.eq(""))
            .execute(conn)?;
        Ok(())
    })
}

/// Erases every registration of the editions whose retention period has ended. Returns
/// the registrations erased.
pub fn purge(conn: &mut DbConnection, at: NaiveDateTime) -> Result<Vec<String>, AppError> {
    let ids = purgeable(conn, at)?;
    for id in &ids {
        erase_with(conn, id, false)?;
    }
    if !ids.is_empty() {
        crate::db::scrub(conn)?;
    }
    Ok(ids)
}

/// How many people `purge` would erase now.
pub fn purge_due(conn: &mut DbConnection, at: NaiveDateTime) -> Result<usize, AppError> {
    Ok(purgeable(conn, at)?.len())
}

fn purgeable(conn: &mut DbConnection, at: NaiveDateTime) -> Result<Vec<String>, AppError> {
    let eds: Vec<(String, Option<i32>)> = editions::table
        .left_join(registration_settings::table)
        .select((
            editions::id,
            registration_settings::retention_days.nullable(),
        ))
        .load(conn)?;
    let mut due = Vec::new();
    for (edition_id, retention) in eds {
        let last_day: Option<NaiveDate> = crate::db::schema::edition_days::table
            .filter(crate::db::schema::edition_days::edition_id.eq(&edition_id))
            .select(diesel::dsl::max(crate::db::schema::edition_days::day))
            .first(conn)?;
        let Some(last_day) = last_day else { continue };
        let until = last_day + chrono::Days::new(retention.unwrap_or(365).max(0) as u64 + 1);
        if at.date() < until {
            continue;
        }
        let ids: Vec<String> = registrations::table
            .filter(registrations::edition_id.eq(&edition_id))
            .filter(registrations::erased_at.is_null())
            .select(registrations::id)
            .load(conn)?;
        due.extend(ids);
    }
    Ok(due)
}

/// The registrations of an edition, oldest first.
pub fn list(conn: &mut DbConnection, edition_id: &str) -> Result<Vec<RegistrationRow>, AppError> {
    Ok(registrations::table
        .filter(registrations::edition_id.eq(edition_id))
        .order((registrations::created_at, registrations::id))
        .select(RegistrationRow::as_select())
        .load(conn)?)
}

/// Every session choice of an edition, as (registration id, session key, status).
pub fn all_choices(
    conn: &mut DbConnection,
    edition_id: &str,
) -> Result<Vec<(String, String, String)>, AppError> {
    Ok(rsess::table
        .inner_join(sessions::table)
        .filter(sessions::edition_id.eq(edition_id))
        .select((rsess::registration_id, sessions::key, rsess::status))
        .load(conn)?)
}

/// The emails sent or due for a registration, newest first.
pub fn emails(conn: &mut DbConnection, registration_id: &str) -> Result<Vec<OutboxRow>, AppError> {
    Ok(outbox::table
        .filter(outbox::registration_id.eq(registration_id))
        .order(outbox::created_at.desc())
        .select(OutboxRow::as_select())
        .load(conn)?)
}

/// Counts per status, for the organiser's dashboard.
#[derive(Debug, Default, Clone, Serialize, ToSchema)]
pub struct Counts {
    pub confirmed: i64,
    pub waitlisted: i64,
    pub cancelled: i64,
    pub capacity: Option<i32>,
}

pub fn counts(conn: &mut DbConnection, edition_id: &str) -> Result<Counts, AppError> {
    let rows: Vec<(String, i64)> = registrations::table
        .filter(registrations::edition_id.eq(edition_id))
        .group_by(registrations::status)
        .select((registrations::status, diesel::dsl::count_star()))
        .load(conn)?;
    let mut c = Counts {
        capacity: settings(conn, edition_id)?.capacity,
        ..Default::default()
    };
    for (status, n) in rows {
        match Status::parse(&status) {
            Some(Status::Confirmed) => c.confirmed = n,
            Some(Status::Waitlisted) => c.waitlisted = n,
            Some(Status::Cancelled) => c.cancelled = n,
            None => {}
        }
    }
    Ok(c)
}

/// Everything stored about one person, for their right of access.
pub fn personal_data(
    conn: &mut DbConnection,
    registration_id: &str,
) -> Result<serde_json::Value, AppError> {
    use crate::rfc3339::Utc;
    let reg = get(conn, registration_id)?;
    let edition = crate::programme::edition_slug(conn, &reg.edition_id)?;
    let choices = choices(conn, &reg.id)?;
    let emails: Vec<serde_json::Value> = emails(conn, &reg.id)?
        .into_iter()
        .map(|m| {
            serde_json::json!({"kind": m.kind, "to": m.recipient, "status": m.status,
                               "created_at": Utc(m.created_at), "sent_at": m.sent_at.map(Utc)})
        })
        .collect();
    let arrivals: Vec<(NaiveDate, NaiveDateTime, String)> = checkins::table
        .filter(checkins::registration_id.eq(&reg.id))
        .filter(checkins::undone_at.is_null())
        .order(checkins::at)
        .select((checkins::day, checkins::at, checkins::desk))
        .load(conn)?;
    let entries: Vec<(String, NaiveDateTime, i32)> = attendances::table
        .inner_join(sessions::table)
        .filter(attendances::registration_id.eq(&reg.id))
        .order(attendances::first_at)
        .select((sessions::key, attendances::first_at, attendances::entries))
        .load(conn)?;
    Ok(serde_json::json!({
        "edition": edition,
        "registration": reg,
        "days": reg.days(),
        "sessions": choices,
        "emails": emails,
        "checkins": arrivals.into_iter().map(|(day, at, desk)| {
            serde_json::json!({"day": day, "at": Utc(at), "desk": desk})
        }).collect::<Vec<_>>(),
        "session_entries": entries.into_iter().map(|(session, at, n)| {
            serde_json::json!({"session": session, "first_at": Utc(at), "entries": n})
        }).collect::<Vec<_>>(),
        "exported_at": Utc(now()),
    }))
}

/// What organisers set about registration for an edition.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize, ToSchema)]
pub struct SettingsChange {
    /// RFC 3339; null: from the edition's creation.
    #[serde(
        default,
        serialize_with = "crate::rfc3339::utc_opt",
        deserialize_with = "crate::rfc3339::deserialize_opt"
    )]
    pub opens_at: Option<NaiveDateTime>,
    /// RFC 3339; null: until the edition's first day begins.
    #[serde(
        default,
        serialize_with = "crate::rfc3339::utc_opt",
        deserialize_with = "crate::rfc3339::deserialize_opt"
    )]
    pub closes_at: Option<NaiveDateTime>,
    /// Seats at the edition; null: no limit.
    pub capacity: Option<i32>,
    /// Shown beside the registration form (plain text, paragraphs separated by blank lines).
    pub privacy_notice: String,
    /// Days after the edition's last day before `rencontres purge` erases its registrations.
    pub retention_days: i32,
}

/// The dates registration may open or close: two years either side of the edition (or of
/// today, for an edition long past whose form is reopened). Every per-day series of the
/// edition is bounded by them.
pub fn settings_window(days: &[NaiveDate], today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = days.first().copied().unwrap_or(today).min(today);
    let last = days.last().copied().unwrap_or(today).max(today);
    (
        first - chrono::Days::new(SETTINGS_MARGIN_DAYS),
        last + chrono::Days::new(SETTINGS_MARGIN_DAYS),
    )
}

const SETTINGS_MARGIN_DAYS: u64 = 731;

fn edition_days(conn: &mut DbConnection, edition_id: &str) -> QueryResult<Vec<NaiveDate>> {
    crate::db::schema::edition_days::table
        .filter(crate::db::schema::edition_days::edition_id.eq(edition_id))
        .order(crate::db::schema::edition_days::day)
        .select(crate::db::schema::edition_days::day)
        .load(conn)
}

/// Changes the registration settings. More seats give them at once to the waiting list.
pub fn update_settings(
    conn: &mut DbConnection,
    edition_id: &str,
    change: &SettingsChange,
    lang: crate::i18n::Lang,
) -> Result<SettingsRow, AppError> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, code: &str, message: String| {
        problems.push(crate::error::FieldError {
            field: field.into(),
            code: code.into(),
            message,
        })
    };
    if change.capacity.is_some_and(|c| c < 0) {
        problem(
            "capacity",
            "negative",
            lang.t("settings_negative_capacity").into(),
        );
    }
    if let (Some(o), Some(c)) = (change.opens_at, change.closes_at) {
        if c <= o {
            problem(
                "closes_at",
                "closes_before_opening",
                lang.t("settings_closes_before_opening").into(),
            );
        }
    }
    let (lo, hi) = settings_window(&edition_days(conn, edition_id)?, now().date());
    for (field, at) in [
        ("opens_at", change.opens_at),
        ("closes_at", change.closes_at),
    ] {
        if at.is_some_and(|at| at.date() < lo || at.date() > hi) {
            problem(
                field,
                "date_out_of_range",
                lang.tf(
                    "settings_date_out_of_range",
                    &[
                        ("from", lo.to_string().into()),
                        ("to", hi.to_string().into()),
                    ],
                ),
            );
        }
    }
    if !(0..=3650).contains(&change.retention_days) {
        problem(
            "retention_days",
            "out_of_range",
            lang.t("settings_retention_out_of_range").into(),
        );
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    settings(conn, edition_id)?;
    write_tx(conn, |conn| {
        diesel::update(registration_settings::table.find(edition_id))
            .set((
                registration_settings::opens_at.eq(change.opens_at),
                registration_settings::closes_at.eq(change.closes_at),
                registration_settings::capacity.eq(change.capacity),
                registration_settings::privacy_notice.eq(change.privacy_notice.trim()),
                registration_settings::retention_days.eq(change.retention_days),
                registration_settings::updated_at.eq(now()),
            ))
            .execute(conn)?;
        promote_edition(conn, edition_id)?;
        settings(conn, edition_id)
    })
}

/// Seats per session key: (taken, limit), for showing full sessions.
pub fn seat_map(
    conn: &mut DbConnection,
    edition_id: &str,
) -> Result<std::collections::HashMap<String, (i32, Option<i32>)>, AppError> {
    type Row = (String, Option<i32>, Option<i32>, Option<i32>);
    let rows: Vec<Row> = sessions::table
        .left_join(rooms::table)
        .left_join(crate::db::schema::session_seats::table)
        .filter(sessions::edition_id.eq(edition_id))
        .select((
            sessions::key,
            sessions::capacity,
            rooms::capacity.nullable(),
            crate::db::schema::session_seats::taken.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(k, own, room, taken)| (k, (taken.unwrap_or(0), own.or(room))))
        .collect())
}

/// Keys of the programme's people by row id.
pub fn person_keys(
    conn: &mut DbConnection,
    edition_id: &str,
) -> Result<std::collections::HashMap<String, String>, AppError> {
    Ok(people::table
        .filter(people::edition_id.eq(edition_id))
        .select((people::id, people::key))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}

/// Gives the seats a programme change added (a bigger room, a session capacity raised) to
/// the people waiting for them. Runs inside the programme's write transaction.
pub fn promote_sessions(conn: &mut DbConnection, edition_id: &str) -> Result<(), AppError> {
    let waiting: Vec<String> = rsess::table
        .inner_join(sessions::table)
        .filter(sessions::edition_id.eq(edition_id))
        .filter(rsess::status.eq(ChoiceStatus::Waitlisted.code()))
        .select(rsess::session_id)
        .distinct()
        .load(conn)?;
    if waiting.is_empty() {
        return Ok(());
    }
    lock_edition(conn, edition_id)?;
    for session_id in waiting {
        promote_session(conn, &session_id)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_begins_at_midnight_of_its_first_day_in_its_time_zone() {
        let e = "Europe/Paris";
        let day = NaiveDate::from_ymd_opt(2023, 9, 18);
        let utc = |h, m| {
            NaiveDate::from_ymd_opt(2023, 9, 17)
                .unwrap()
                .and_hms_opt(h, m, 0)
                .unwrap()
        };
        // Midnight in Paris in September is 22:00 UTC the day before.
        assert!(!event_begun(e, day, utc(21, 59)));
        assert!(event_begun(e, day, utc(22, 0)));
        assert!(!event_begun(e, None, utc(22, 0)));
    }

    #[test]
    fn registration_dates_stay_within_two_years_of_the_edition_or_today() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let days = [d("2027-09-18"), d("2027-09-19")];
        let (lo, hi) = settings_window(&days, d("2026-12-05"));
        assert_eq!((lo, hi), (d("2024-12-04"), d("2029-09-19")));
        // An edition long past, reopened today: the window reaches today and beyond.
        let (lo, hi) = settings_window(&[d("2023-09-18")], d("2026-12-05"));
        assert_eq!((lo, hi), (d("2021-09-17"), d("2028-12-05")));
        assert!(d("0001-01-01") < lo);
    }
}
