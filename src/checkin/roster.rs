//! What the desk knows of the people expected: the roster it keeps for offline use, and
//! the search by name or organisation for someone without a badge.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{checkins, registrations};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::registrations::form::fold;
use crate::registrations::model::RegistrationRow;

/// A person as the desk shows them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonOut {
    pub id: String,
    /// The badge's reference (24 hex digits), to match a badge offline.
    #[serde(rename = "ref")]
    pub public_ref: String,
    /// The current badge's version: an older badge is revoked.
    pub version: i32,
    pub first_name: String,
    pub last_name: String,
    pub organisation: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub country_name: String,
    pub category: String,
    pub category_label: String,
    /// `confirmed`, `waitlisted` or `cancelled`.
    pub status: String,
    pub lunch: bool,
    pub accessibility: String,
    pub days: Vec<NaiveDate>,
    /// The day's check-ins so far: day (`YYYY-MM-DD`) → when and where.
    #[schema(value_type = std::collections::HashMap<String, Arrival>)]
    pub checked_in: HashMap<NaiveDate, Arrival>,
}

/// When and where someone was checked in, in the edition's local time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Arrival {
    /// RFC 3339 with the edition's offset.
    #[schema(format = DateTime)]
    pub at: String,
    pub desk: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RosterOut {
    pub edition: RosterEdition,
    pub key: crate::registrations::api::BadgeKey,
    /// The sessions (breaks left out), for door mode.
    pub sessions: Vec<RosterSession>,
    /// When the roster was made: RFC 3339 with the edition's offset.
    #[schema(format = DateTime)]
    pub generated_at: String,
    pub people: Vec<PersonOut>,
}

/// The edition a roster is for.
#[derive(Debug, Serialize, ToSchema)]
pub struct RosterEdition {
    pub slug: String,
    pub title: String,
    /// IANA time zone of the venue.
    pub timezone: String,
    pub days: Vec<NaiveDate>,
}

/// A session as the desk's door mode lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RosterSession {
    pub key: String,
    pub title: String,
    pub day: NaiveDate,
    /// Local time `HH:MM`.
    #[schema(pattern = r"^[0-2][0-9]:[0-5][0-9]$")]
    pub starts_at: String,
    /// Local time `HH:MM`.
    #[schema(pattern = r"^[0-2][0-9]:[0-5][0-9]$")]
    pub ends_at: String,
    /// Room key.
    pub room: Option<String>,
}

/// A UTC time as the edition's local time, RFC 3339 with its offset.
pub fn local(at: NaiveDateTime, tz: chrono_tz::Tz) -> String {
    at.and_utc()
        .with_timezone(&tz)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

pub fn person(
    r: &RegistrationRow,
    lang: Lang,
    checked_in: HashMap<NaiveDate, Arrival>,
) -> PersonOut {
    let category = r.category();
    PersonOut {
        id: r.id.clone(),
        public_ref: r.public_ref.clone(),
        version: r.badge_version,
        first_name: r.first_name.clone(),
        last_name: r.last_name.clone(),
        organisation: r.organisation.clone(),
        country: r.country.clone(),
        country_name: crate::countries::find(&r.country)
            .map(|c| c.name(lang).to_string())
            .unwrap_or_default(),
        category: category.code().into(),
        category_label: category.label(lang).into(),
        status: r.status.clone(),
        lunch: r.lunch,
        accessibility: r.accessibility.clone(),
        days: r.days(),
        checked_in,
    }
}

/// The active check-ins of an edition: registration → day → arrival.
fn arrivals(
    conn: &mut DbConnection,
    edition_id: &str,
    only: Option<&[String]>,
    tz: chrono_tz::Tz,
) -> Result<HashMap<String, HashMap<NaiveDate, Arrival>>, AppError> {
    let mut q = checkins::table
        .filter(checkins::edition_id.eq(edition_id))
        .filter(checkins::undone_at.is_null())
        .select((
            checkins::registration_id,
            checkins::day,
            checkins::at,
            checkins::desk,
        ))
        .into_boxed();
    if let Some(ids) = only {
        q = q.filter(checkins::registration_id.eq_any(ids.to_vec()));
    }
    let rows: Vec<(String, NaiveDate, NaiveDateTime, String)> = q.load(conn)?;
    let mut out: HashMap<String, HashMap<NaiveDate, Arrival>> = HashMap::new();
    for (id, day, at, desk) in rows {
        out.entry(id).or_default().insert(
            day,
            Arrival {
                at: local(at, tz),
                desk,
            },
        );
    }
    Ok(out)
}

fn people(conn: &mut DbConnection, edition_id: &str) -> QueryResult<Vec<RegistrationRow>> {
    registrations::table
        .filter(registrations::edition_id.eq(edition_id))
        .filter(registrations::erased_at.is_null())
        .order((registrations::last_name, registrations::first_name))
        .select(RegistrationRow::as_select())
        .load(conn)
}

/// Everyone registered; cancelled people only by their badge's reference, so an offline
/// desk can say so without holding who they were.
pub fn roster(
    conn: &mut DbConnection,
    edition_id: &str,
    tz: chrono_tz::Tz,
    lang: Lang,
) -> Result<Vec<PersonOut>, AppError> {
    let mut arrived = arrivals(conn, edition_id, None, tz)?;
    Ok(people(conn, edition_id)?
        .iter()
        .map(|r| {
            let p = person(r, lang, arrived.remove(&r.id).unwrap_or_default());
            if r.status() == crate::registrations::model::Status::Cancelled {
                withheld(p)
            } else {
                p
            }
        })
        .collect())
}

/// A cancelled person as the offline roster keeps them: enough for a desk to answer
/// "cancelled" to their badge, nothing that says who they are.
fn withheld(p: PersonOut) -> PersonOut {
    PersonOut {
        first_name: String::new(),
        last_name: String::new(),
        organisation: String::new(),
        country: String::new(),
        country_name: String::new(),
        category: String::new(),
        category_label: String::new(),
        lunch: false,
        accessibility: String::new(),
        days: Vec::new(),
        checked_in: HashMap::new(),
        ..p
    }
}

/// Results shown at most for one search.
pub const SEARCH_LIMIT: usize = 20;

/// Whether every word of the query starts a word of the name or the organisation, or
/// appears in it (accents and case ignored): "dup mar" finds "Marie Dupont".
pub fn matches(reg: &RegistrationRow, words: &[String]) -> bool {
    let hay = fold(&format!(
        "{} {} {}",
        reg.first_name, reg.last_name, reg.organisation
    ));
    words.iter().all(|w| hay.contains(w.as_str()))
}

/// People whose name or organisation matches, confirmed ones first.
pub fn search(
    conn: &mut DbConnection,
    edition_id: &str,
    q: &str,
    tz: chrono_tz::Tz,
    lang: Lang,
) -> Result<Vec<PersonOut>, AppError> {
    let words: Vec<String> = fold(q).split_whitespace().map(str::to_string).collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let mut found: Vec<RegistrationRow> = people(conn, edition_id)?
        .into_iter()
        .filter(|r| matches(r, &words))
        .collect();
    found.sort_by_key(|r| r.status() != crate::registrations::model::Status::Confirmed);
    found.truncate(SEARCH_LIMIT);
    let ids: Vec<String> = found.iter().map(|r| r.id.clone()).collect();
    let mut arrived = arrivals(conn, edition_id, Some(&ids), tz)?;
    Ok(found
        .iter()
        .map(|r| person(r, lang, arrived.remove(&r.id).unwrap_or_default()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_person_keeps_only_their_badge_reference() {
        let mut r = RegistrationRow::sample();
        r.status = "cancelled".into();
        r.first_name = "Hélène".into();
        r.accessibility = "fauteuil".into();
        let p = withheld(person(&r, Lang::Fr, HashMap::new()));
        assert_eq!(p.status, "cancelled");
        assert_eq!(p.public_ref, r.public_ref);
        assert!(p.first_name.is_empty() && p.accessibility.is_empty() && p.organisation.is_empty());
    }

    #[test]
    fn search_ignores_accents_case_and_word_order() {
        let mut r = RegistrationRow::sample();
        r.first_name = "Hélène".into();
        r.last_name = "Lefèvre-Dupont".into();
        r.organisation = "Ville de Besançon".into();
        let q = |s: &str| -> Vec<String> { fold(s).split_whitespace().map(String::from).collect() };
        assert!(matches(&r, &q("helene")));
        assert!(matches(&r, &q("DUPONT hél")));
        assert!(matches(&r, &q("besancon")));
        assert!(!matches(&r, &q("besancon marseille")));
    }
}
