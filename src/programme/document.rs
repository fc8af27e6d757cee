//! The programme document: one JSON file that carries an edition with its rooms, people and
//! sessions. It is the import and export format and the shape of every programme edit, so
//! one validation serves the command line, the API and the organiser pages.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{PersonRole, SessionKind};
use crate::error::FieldError;
use crate::i18n::Lang;

/// An edition and its whole programme. Unknown fields are rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeDocument {
    pub edition: EditionDoc,
    #[serde(default)]
    pub rooms: Vec<RoomDoc>,
    #[serde(default)]
    pub people: Vec<PersonDoc>,
    #[serde(default)]
    pub sessions: Vec<SessionDoc>,
}

/// The edition itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditionDoc {
    /// Lowercase letters, digits and hyphens; used in URLs, e.g. `raict-2023`.
    pub slug: String,
    /// Ordinal of the edition (14 for the 14th).
    pub number: i32,
    pub year: i32,
    pub title: String,
    /// The "fil conducteur".
    #[serde(default)]
    pub theme: String,
    #[serde(default)]
    pub venue: String,
    /// IANA time zone of the venue; session times are local to it.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// The days of the edition, `YYYY-MM-DD`, in order.
    pub days: Vec<String>,
}

fn default_timezone() -> String {
    "Europe/Paris".into()
}

/// A room of the venue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomDoc {
    pub key: String,
    pub name: String,
    /// Seats.
    pub capacity: i32,
}

/// Someone who appears in the programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonDoc {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub function: String,
    #[serde(default)]
    pub organisation: String,
    /// ISO 3166-1 alpha-2, e.g. `FR`.
    pub country: String,
}

/// A session (or a break) of the programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionDoc {
    pub key: String,
    /// One of `plenary, regional_meeting, country_group, dynamic, thematic_group, workshop,
    /// conference, micro_atelier, bourse, break, other`.
    #[schema(value_type = SessionKind)]
    pub kind: String,
    pub title: String,
    #[serde(rename = "abstract", default)]
    pub summary: String,
    /// `YYYY-MM-DD`, one of the edition's days.
    pub day: String,
    /// Local time `HH:MM`.
    pub start: String,
    /// Local time `HH:MM`, after `start`.
    pub end: String,
    /// Room key, or null (breaks, off-site).
    #[serde(default)]
    pub room: Option<String>,
    /// ISO 639-1 codes, e.g. `["fr", "es"]`.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Partner organisations.
    #[serde(default)]
    pub partners: Vec<String>,
    /// Seats, when lower than the room's.
    #[serde(default)]
    pub capacity: Option<i32>,
    #[serde(default)]
    pub people: Vec<SessionPersonDoc>,
}

/// A person's part in a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionPersonDoc {
    /// Person key.
    pub person: String,
    /// One of `opening, moderator, speaker, rapporteur`.
    #[schema(value_type = PersonRole)]
    pub role: String,
}

/// A problem found in a document, with its JSON path and a message in both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub path: String,
    pub code: &'static str,
    pub en: String,
    pub fr: String,
}

impl Problem {
    fn new(path: impl Into<String>, code: &'static str, en: String, fr: String) -> Self {
        Problem {
            path: path.into(),
            code,
            en,
            fr,
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            // Programme checks are written for organisers, in French and English.
            Lang::En | Lang::Es => &self.en,
        }
    }

    pub fn to_field_error(&self, lang: Lang) -> FieldError {
        FieldError {
            field: self.path.clone(),
            code: self.code.into(),
            message: self.message(lang).into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.en)
    }
}

/// A session once its document has been checked: times resolved, references turned into
/// indices into the document's lists.
#[derive(Debug, Clone)]
pub struct ValidSession {
    pub kind: SessionKind,
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    /// UTC instants, as stored.
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub room: Option<usize>,
    pub people: Vec<(usize, PersonRole)>,
}

/// A document that passed every check.
#[derive(Debug, Clone)]
pub struct Validated {
    pub doc: ProgrammeDocument,
    pub tz: Tz,
    pub days: Vec<NaiveDate>,
    pub sessions: Vec<ValidSession>,
}

/// Parses a document from JSON; a syntax error, a wrong type or an unknown field is one
/// problem with its path.
pub fn parse(json: &str) -> Result<ProgrammeDocument, Problem> {
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { "$".to_string() } else { path };
        let inner = e.into_inner();
        // A syntax error is about the text, not about a field.
        let code = match inner.classify() {
            serde_json::error::Category::Data => "invalid_value",
            _ => "malformed_json",
        };
        Problem::new(
            path,
            code,
            inner.to_string(),
            format!("document JSON invalide : {inner}"),
        )
    })
}

fn valid_key(key: &str) -> bool {
    // "new" is the address of the creation forms.
    if key == "new" {
        return false;
    }
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && key.len() <= 64
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Parses `HH:MM`.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    if s.len() != 5 {
        return None;
    }
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

pub fn parse_day(s: &str) -> Option<NaiveDate> {
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Local wall-clock time to UTC; `None` inside a daylight-saving gap. In the autumn overlap
/// the earlier instant is taken, so export gives back the same wall-clock time.
pub fn to_utc(tz: Tz, day: NaiveDate, time: NaiveTime) -> Option<NaiveDateTime> {
    tz.from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|t| t.naive_utc())
}

pub fn to_local(tz: Tz, utc: NaiveDateTime) -> NaiveDateTime {
    tz.from_utc_datetime(&utc).naive_local()
}

fn require_text(problems: &mut Vec<Problem>, path: String, value: &str, max: usize) {
    if value.trim().is_empty() {
        problems.push(Problem::new(
            path,
            "required",
            "must not be empty".into(),
            "ne doit pas être vide".into(),
        ));
    } else if value.chars().count() > max {
        problems.push(Problem::new(
            path,
            "too_long",
            format!("must be at most {max} characters"),
            format!("ne doit pas dépasser {max} caractères"),
        ));
    }
}

fn check_key(problems: &mut Vec<Problem>, seen: &mut HashSet<String>, path: String, key: &str) {
    if !valid_key(key) {
        problems.push(Problem::new(
            path,
            "invalid_key",
            format!(
                "\"{key}\" is not a valid key (lowercase letters, digits, - and _; not \"new\")"
            ),
            format!(
                "« {key} » n'est pas une clé valide (minuscules, chiffres, - et _ ; pas « new »)"
            ),
        ));
    } else if !seen.insert(key.to_string()) {
        problems.push(Problem::new(
            path,
            "duplicate_key",
            format!("key \"{key}\" is used twice"),
            format!("la clé « {key} » est utilisée deux fois"),
        ));
    }
}

/// Days an edition may have at most (the Rencontres last one or two).
pub const MAX_EDITION_DAYS: usize = 31;

/// An edition's days fall in its year, or the year either side (an edition of the year 2024
/// may open on 31 December 2023): a typo such as `0202-09-18` is refused instead of making
/// every per-day series of the edition span eighteen centuries.
pub fn day_in_year_window(day: NaiveDate, year: i32) -> bool {
    (year - 1..=year + 1).contains(&day.year())
}

/// Checks everything that can be checked without the database and resolves references.
/// Returns every problem found, not only the first.
pub fn validate(doc: ProgrammeDocument) -> Result<Validated, Vec<Problem>> {
    let mut p = Vec::new();
    let e = &doc.edition;

    let slug_ok = e.slug.len() >= 2
        && e.slug.len() <= 64
        && e.slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !e.slug.starts_with('-');
    if !slug_ok {
        p.push(Problem::new(
            "edition.slug",
            "invalid_slug",
            format!(
                "\"{}\" is not a valid slug (2 to 64 lowercase letters, digits and hyphens)",
                e.slug
            ),
            format!(
                "« {} » n'est pas un identifiant valide (2 à 64 minuscules, chiffres et tirets)",
                e.slug
            ),
        ));
    }
    if e.number < 1 || e.number > 1000 {
        p.push(Problem::new(
            "edition.number",
            "invalid_number",
            "must be between 1 and 1000".into(),
            "doit être compris entre 1 et 1000".into(),
        ));
    }
    if !(1900..=2200).contains(&e.year) {
        p.push(Problem::new(
            "edition.year",
            "invalid_year",
            "must be between 1900 and 2200".into(),
            "doit être compris entre 1900 et 2200".into(),
        ));
    }
    require_text(&mut p, "edition.title".into(), &e.title, 300);
    if e.theme.chars().count() > 1000 {
        require_text(&mut p, "edition.theme".into(), &e.theme, 1000);
    }
    let tz: Option<Tz> = e.timezone.parse().ok();
    if tz.is_none() {
        p.push(Problem::new(
            "edition.timezone",
            "invalid_timezone",
            format!(
                "\"{}\" is not a known time zone (e.g. Europe/Paris)",
                e.timezone
            ),
            format!(
                "« {} » n'est pas un fuseau horaire connu (ex. Europe/Paris)",
                e.timezone
            ),
        ));
    }
    let tz = tz.unwrap_or(chrono_tz::Europe::Paris);

    let mut days = Vec::new();
    if e.days.is_empty() {
        p.push(Problem::new(
            "edition.days",
            "required",
            "an edition has at least one day".into(),
            "une édition compte au moins un jour".into(),
        ));
    }
    for (i, d) in e.days.iter().enumerate() {
        match parse_day(d) {
            None => p.push(Problem::new(
                format!("edition.days[{i}]"),
                "invalid_date",
                format!("\"{d}\" is not a date (YYYY-MM-DD)"),
                format!("« {d} » n'est pas une date (AAAA-MM-JJ)"),
            )),
            Some(day) if days.last().is_some_and(|last| *last >= day) => p.push(Problem::new(
                format!("edition.days[{i}]"),
                "days_out_of_order",
                format!("{d} must come after the previous day"),
                format!("{d} doit suivre le jour précédent"),
            )),
            Some(day) if !day_in_year_window(day, e.year) => p.push(Problem::new(
                format!("edition.days[{i}]"),
                "date_out_of_range",
                format!(
                    "{d} is too far from the edition's year {}: days fall between {} and {}",
                    e.year,
                    e.year - 1,
                    e.year + 1
                ),
                format!(
                    "{d} est trop loin de l'année de l'édition ({}) : les jours vont de {} à {}",
                    e.year,
                    e.year - 1,
                    e.year + 1
                ),
            )),
            Some(day) => days.push(day),
        }
    }
    if e.days.len() > MAX_EDITION_DAYS {
        p.push(Problem::new(
            "edition.days",
            "too_many_days",
            format!("an edition lasts {MAX_EDITION_DAYS} days at most"),
            format!("une édition dure au plus {MAX_EDITION_DAYS} jours"),
        ));
    }

    let mut room_keys = HashSet::new();
    for (i, r) in doc.rooms.iter().enumerate() {
        check_key(&mut p, &mut room_keys, format!("rooms[{i}].key"), &r.key);
        require_text(&mut p, format!("rooms[{i}].name"), &r.name, 200);
        if !(0..=100_000).contains(&r.capacity) {
            p.push(Problem::new(
                format!("rooms[{i}].capacity"),
                "invalid_capacity",
                "must be between 0 and 100000".into(),
                "doit être comprise entre 0 et 100000".into(),
            ));
        }
    }
    let room_index: HashMap<&str, usize> = doc
        .rooms
        .iter()
        .enumerate()
        .map(|(i, r)| (r.key.as_str(), i))
        .collect();

    let mut person_keys = HashSet::new();
    for (i, person) in doc.people.iter().enumerate() {
        check_key(
            &mut p,
            &mut person_keys,
            format!("people[{i}].key"),
            &person.key,
        );
        require_text(&mut p, format!("people[{i}].name"), &person.name, 200);
        if crate::countries::find(&person.country).is_none() {
            p.push(Problem::new(
                format!("people[{i}].country"),
                "invalid_country",
                format!(
                    "\"{}\" is not an ISO 3166-1 alpha-2 country code (e.g. FR)",
                    person.country
                ),
                format!(
                    "« {} » n'est pas un code pays ISO 3166-1 alpha-2 (ex. FR)",
                    person.country
                ),
            ));
        }
    }
    let person_index: HashMap<&str, usize> = doc
        .people
        .iter()
        .enumerate()
        .map(|(i, x)| (x.key.as_str(), i))
        .collect();

    let mut session_keys = HashSet::new();
    let mut sessions = Vec::with_capacity(doc.sessions.len());
    for (i, s) in doc.sessions.iter().enumerate() {
        let at = |field: &str| format!("sessions[{i}].{field}");
        check_key(&mut p, &mut session_keys, at("key"), &s.key);
        let kind = SessionKind::parse(&s.kind);
        if kind.is_none() {
            p.push(Problem::new(
                at("kind"),
                "invalid_kind",
                format!(
                    "\"{}\" is not a session kind; use one of {}",
                    s.kind,
                    SessionKind::codes()
                ),
                format!(
                    "« {} » n'est pas un type de session ; valeurs : {}",
                    s.kind,
                    SessionKind::codes()
                ),
            ));
        }
        require_text(&mut p, at("title"), &s.title, 300);
        let day = parse_day(&s.day);
        if day.is_none() {
            p.push(Problem::new(
                at("day"),
                "invalid_date",
                format!("\"{}\" is not a date (YYYY-MM-DD)", s.day),
                format!("« {} » n'est pas une date (AAAA-MM-JJ)", s.day),
            ));
        }
        let bad_time = |field: &str, v: &str| {
            Problem::new(
                at(field),
                "invalid_time",
                format!("\"{v}\" is not a time (HH:MM)"),
                format!("« {v} » n'est pas une heure (HH:MM)"),
            )
        };
        let start = parse_time(&s.start);
        let end = parse_time(&s.end);
        if start.is_none() {
            p.push(bad_time("start", &s.start));
        }
        if end.is_none() {
            p.push(bad_time("end", &s.end));
        }
        if let (Some(a), Some(b)) = (start, end) {
            if b <= a {
                let (en, fr) = if b == a {
                    (
                        format!("{} is not after start {}", s.end, s.start),
                        format!("{} n'est pas après le début {}", s.end, s.start),
                    )
                } else {
                    (
                        format!("{} is before start {}", s.end, s.start),
                        format!("{} est avant le début {}", s.end, s.start),
                    )
                };
                p.push(Problem::new(at("end"), "end_before_start", en, fr));
            }
        }
        let room = match &s.room {
            None => None,
            Some(key) => {
                let found = room_index.get(key.as_str()).copied();
                if found.is_none() {
                    p.push(Problem::new(
                        at("room"),
                        "unknown_room",
                        format!("no room has the key \"{key}\""),
                        format!("aucune salle n'a la clé « {key} »"),
                    ));
                }
                found
            }
        };
        for (j, lang) in s.languages.iter().enumerate() {
            if lang.len() != 2 || !lang.chars().all(|c| c.is_ascii_lowercase()) {
                p.push(Problem::new(
                    format!("sessions[{i}].languages[{j}]"),
                    "invalid_language",
                    format!("\"{lang}\" is not an ISO 639-1 language code (e.g. fr)"),
                    format!("« {lang} » n'est pas un code de langue ISO 639-1 (ex. fr)"),
                ));
            }
        }
        if let Some(c) = s.capacity {
            if !(0..=100_000).contains(&c) {
                p.push(Problem::new(
                    at("capacity"),
                    "invalid_capacity",
                    "must be between 0 and 100000".into(),
                    "doit être comprise entre 0 et 100000".into(),
                ));
            }
        }
        let mut people = Vec::new();
        let mut seen = HashSet::new();
        for (j, sp) in s.people.iter().enumerate() {
            let path = |f: &str| format!("sessions[{i}].people[{j}].{f}");
            let person = person_index.get(sp.person.as_str()).copied();
            if person.is_none() {
                p.push(Problem::new(
                    path("person"),
                    "unknown_person",
                    format!("no person has the key \"{}\"", sp.person),
                    format!("aucune personne n'a la clé « {} »", sp.person),
                ));
            }
            let role = PersonRole::parse(&sp.role);
            if role.is_none() {
                p.push(Problem::new(
                    path("role"),
                    "invalid_role",
                    format!(
                        "\"{}\" is not a role; use one of {}",
                        sp.role,
                        PersonRole::codes()
                    ),
                    format!(
                        "« {} » n'est pas un rôle ; valeurs : {}",
                        sp.role,
                        PersonRole::codes()
                    ),
                ));
            }
            if let (Some(person), Some(role)) = (person, role) {
                if !seen.insert((person, role)) {
                    p.push(Problem::new(
                        path("person"),
                        "duplicate_person",
                        format!("{} already has the role {} here", sp.person, sp.role),
                        format!("{} a déjà le rôle {} ici", sp.person, sp.role),
                    ));
                }
                people.push((person, role));
            }
        }
        if let (Some(kind), Some(day), Some(start), Some(end)) = (kind, day, start, end) {
            let gap = |field: &str| {
                Problem::new(
                    at(field),
                    "invalid_time",
                    "this local time does not exist (daylight-saving change)".into(),
                    "cette heure locale n'existe pas (changement d'heure)".into(),
                )
            };
            match (to_utc(tz, day, start), to_utc(tz, day, end)) {
                (Some(starts_at), Some(ends_at)) => sessions.push(ValidSession {
                    kind,
                    day,
                    start,
                    end,
                    starts_at,
                    ends_at,
                    room,
                    people,
                }),
                (None, _) => p.push(gap("start")),
                (_, None) => p.push(gap("end")),
            }
        }
    }

    if p.is_empty() {
        Ok(Validated {
            doc,
            tz,
            days,
            sessions,
        })
    } else {
        Err(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> ProgrammeDocument {
        parse(
            r#"{"edition": {"slug": "raict-2023", "number": 14, "year": 2023, "title": "14e Rencontres",
                 "theme": "", "venue": "Paris", "timezone": "Europe/Paris", "days": ["2023-09-18", "2023-09-19"]},
               "rooms": [{"key": "auditorium", "name": "Auditorium", "capacity": 450}],
               "people": [{"key": "vr", "name": "Virginie Rouquette", "function": "", "organisation": "CUF", "country": "FR"}],
               "sessions": [{"key": "s14", "kind": "conference", "title": "Les ODD", "abstract": "", "day": "2023-09-19",
                             "start": "14:30", "end": "16:00", "room": "auditorium", "languages": ["fr"],
                             "partners": [], "capacity": null, "people": [{"person": "vr", "role": "moderator"}]}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn a_good_document_resolves_times_to_utc() {
        let v = validate(doc()).unwrap();
        let s = &v.sessions[0];
        // Paris is UTC+2 in September.
        assert_eq!(s.starts_at.to_string(), "2023-09-19 12:30:00");
        assert_eq!(s.room, Some(0));
        assert_eq!(s.people, vec![(0, PersonRole::Moderator)]);
    }

    #[test]
    fn end_before_start_names_the_path() {
        let mut d = doc();
        d.sessions[0].start = "16:30".into();
        let problems = validate(d).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "sessions[0].end: 16:00 is before start 16:30"
        );
    }

    #[test]
    fn every_problem_is_reported() {
        let mut d = doc();
        d.sessions[0].kind = "party".into();
        d.sessions[0].room = Some("nowhere".into());
        d.people[0].country = "XX".into();
        d.rooms.push(d.rooms[0].clone());
        let codes: Vec<_> = validate(d)
            .unwrap_err()
            .into_iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(
            codes,
            vec![
                "duplicate_key",
                "invalid_country",
                "invalid_kind",
                "unknown_room"
            ]
        );
    }

    #[test]
    fn unknown_fields_are_rejected_with_their_path() {
        let err = parse(r#"{"edition": {"slug": "x", "number": 1, "year": 2023, "title": "t", "days": [], "colour": "red"}}"#)
            .unwrap_err();
        assert_eq!(err.path, "edition.colour");
        assert!(err.en.contains("unknown field `colour`"), "{}", err.en);
    }

    #[test]
    fn daylight_saving_gap_is_a_problem() {
        let mut d = doc();
        d.edition.days = vec!["2024-03-31".into()];
        d.sessions[0].day = "2024-03-31".into();
        d.sessions[0].start = "02:30".into();
        d.sessions[0].end = "03:30".into();
        let problems = validate(d).unwrap_err();
        assert_eq!(problems[0].path, "sessions[0].start");
        let mut d = doc();
        d.edition.days = vec!["2024-03-31".into()];
        d.sessions[0].day = "2024-03-31".into();
        d.sessions[0].start = "01:30".into();
        d.sessions[0].end = "02:30".into();
        assert_eq!(validate(d).unwrap_err()[0].path, "sessions[0].end");
    }

    #[test]
    fn keys_and_times_are_strict() {
        assert!(
            valid_key("s01") && valid_key("salle-etoile") && !valid_key("Salle") && !valid_key("")
        );
        assert!(
            parse_time("09:30").is_some()
                && parse_time("9:30").is_none()
                && parse_time("24:00").is_none()
        );
        assert!(parse_day("2023-09-18").is_some() && parse_day("2023-9-18").is_none());
    }

    #[test]
    fn edition_days_stay_near_the_edition_year() {
        let mut d = doc();
        d.edition.days = vec!["0000-01-01".into(), "9999-12-31".into()];
        let problems = validate(d).unwrap_err();
        let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
        assert_eq!(
            codes.iter().filter(|c| **c == "date_out_of_range").count(),
            2,
            "{codes:?}"
        );
        let day = |s| parse_day(s).unwrap();
        assert!(day_in_year_window(day("2022-12-31"), 2023));
        assert!(day_in_year_window(day("2024-01-01"), 2023));
        assert!(!day_in_year_window(day("2025-01-01"), 2023));
    }
}
