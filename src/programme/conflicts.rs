//! Conflicts in a programme: things an organiser may decide to keep, but never by accident.

use serde::Serialize;
use utoipa::ToSchema;

use super::document::Validated;
use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Two sessions in one room at overlapping times.
    RoomDoubleBooked,
    /// One person in two overlapping sessions.
    PersonDoubleBooked,
    /// A session on a day that is not one of the edition's.
    OutsideEditionDays,
    /// A session promising more seats than its room has.
    CapacityAboveRoom,
}

/// One conflict, naming the sessions (and room or person) involved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Conflict {
    pub kind: ConflictKind,
    /// Keys of the sessions involved.
    pub sessions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// Explanation in English.
    pub message: String,
    #[serde(skip)]
    pub message_fr: String,
}

impl Conflict {
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.message_fr,
            // Conflicts are read by organisers, in French and English.
            Lang::En | Lang::Es => &self.message,
        }
    }

    /// What makes two reports the same conflict, whatever their wording or the order of
    /// the sessions (moving one of two overlapping sessions keeps the same conflict).
    pub fn identity(&self) -> (ConflictKind, Vec<&str>, Option<&str>, Option<&str>) {
        let mut sessions: Vec<&str> = self.sessions.iter().map(String::as_str).collect();
        sessions.sort_unstable();
        (
            self.kind,
            sessions,
            self.room.as_deref(),
            self.person.as_deref(),
        )
    }

    pub fn involves(&self, session_key: &str) -> bool {
        self.sessions.iter().any(|k| k == session_key)
    }
}

/// Finds every conflict of a validated programme, in a stable order.
pub fn detect(v: &Validated) -> Vec<Conflict> {
    let doc = &v.doc;
    let mut found = Vec::new();
    let span = |i: usize| {
        let s = &v.sessions[i];
        format!("{}–{}", s.start.format("%H:%M"), s.end.format("%H:%M"))
    };
    let overlaps = |a: usize, b: usize| {
        let (x, y) = (&v.sessions[a], &v.sessions[b]);
        x.starts_at < y.ends_at && y.starts_at < x.ends_at
    };

    for (i, s) in v.sessions.iter().enumerate() {
        let key = &doc.sessions[i].key;
        if !v.days.contains(&s.day) {
            found.push(Conflict {
                kind: ConflictKind::OutsideEditionDays,
                sessions: vec![key.clone()],
                room: None,
                person: None,
                message: format!("{key} is on {}, which is not a day of the edition", s.day),
                message_fr: format!(
                    "{key} a lieu le {}, qui n'est pas un jour de l'édition",
                    s.day.format("%d/%m/%Y")
                ),
            });
        }
        if let (Some(cap), Some(r)) = (doc.sessions[i].capacity, s.room) {
            let room = &doc.rooms[r];
            if cap > room.capacity {
                found.push(Conflict {
                    kind: ConflictKind::CapacityAboveRoom,
                    sessions: vec![key.clone()],
                    room: Some(room.key.clone()),
                    person: None,
                    message: format!(
                        "{key} offers {cap} seats but {} has {}",
                        room.name, room.capacity
                    ),
                    message_fr: format!(
                        "{key} annonce {cap} places mais {} n'en a que {}",
                        room.name, room.capacity
                    ),
                });
            }
        }
    }

    // Pairs sorted by start so each overlap is reported once, earlier session first.
    let mut order: Vec<usize> = (0..v.sessions.len()).collect();
    order.sort_by_key(|&i| (v.sessions[i].starts_at, i));
    for (n, &a) in order.iter().enumerate() {
        for &b in &order[n + 1..] {
            if v.sessions[b].starts_at >= v.sessions[a].ends_at {
                break;
            }
            if !overlaps(a, b) {
                continue;
            }
            let (ka, kb) = (&doc.sessions[a].key, &doc.sessions[b].key);
            if let (Some(ra), Some(rb)) = (v.sessions[a].room, v.sessions[b].room) {
                if ra == rb {
                    let room = &doc.rooms[ra];
                    found.push(Conflict {
                        kind: ConflictKind::RoomDoubleBooked,
                        sessions: vec![ka.clone(), kb.clone()],
                        room: Some(room.key.clone()),
                        person: None,
                        message: format!(
                            "{} holds {ka} ({}) and {kb} ({}) at the same time",
                            room.name,
                            span(a),
                            span(b)
                        ),
                        message_fr: format!(
                            "{} accueille {ka} ({}) et {kb} ({}) en même temps",
                            room.name,
                            span(a),
                            span(b)
                        ),
                    });
                }
            }
            let mut shared: Vec<usize> = v.sessions[a]
                .people
                .iter()
                .map(|(p, _)| *p)
                .filter(|p| v.sessions[b].people.iter().any(|(q, _)| q == p))
                .collect();
            shared.sort_unstable();
            shared.dedup();
            for p in shared {
                let person = &doc.people[p];
                found.push(Conflict {
                    kind: ConflictKind::PersonDoubleBooked,
                    sessions: vec![ka.clone(), kb.clone()],
                    room: None,
                    person: Some(person.key.clone()),
                    message: format!(
                        "{} is expected in {ka} ({}) and {kb} ({}) at the same time",
                        person.name,
                        span(a),
                        span(b)
                    ),
                    message_fr: format!(
                        "{} est attendu·e dans {ka} ({}) et {kb} ({}) en même temps",
                        person.name,
                        span(a),
                        span(b)
                    ),
                });
            }
        }
    }
    found
}

/// The conflicts of `after` that `before` did not have: what a change would introduce.
pub fn introduced(before: &[Conflict], after: &[Conflict]) -> Vec<Conflict> {
    after
        .iter()
        .filter(|c| !before.iter().any(|b| b.identity() == c.identity()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programme::document::{
        validate, EditionDoc, PersonDoc, ProgrammeDocument, RoomDoc, SessionDoc, SessionPersonDoc,
    };

    fn session(key: &str, start: &str, end: &str, room: &str, people: &[&str]) -> SessionDoc {
        SessionDoc {
            key: key.into(),
            kind: "workshop".into(),
            title: key.into(),
            summary: String::new(),
            day: "2023-09-18".into(),
            start: start.into(),
            end: end.into(),
            room: Some(room.into()),
            languages: vec![],
            partners: vec![],
            capacity: None,
            people: people
                .iter()
                .map(|p| SessionPersonDoc {
                    person: p.to_string(),
                    role: "speaker".into(),
                })
                .collect(),
        }
    }

    fn programme(sessions: Vec<SessionDoc>) -> Validated {
        validate(ProgrammeDocument {
            edition: EditionDoc {
                slug: "e".repeat(2),
                number: 1,
                year: 2023,
                title: "t".into(),
                theme: String::new(),
                venue: String::new(),
                timezone: "Europe/Paris".into(),
                days: vec!["2023-09-18".into()],
            },
            rooms: ["a", "b"]
                .iter()
                .map(|k| RoomDoc {
                    key: k.to_string(),
                    name: k.to_uppercase(),
                    capacity: 50,
                })
                .collect(),
            people: ["ana", "bo"]
                .iter()
                .map(|k| PersonDoc {
                    key: k.to_string(),
                    name: k.to_string(),
                    function: String::new(),
                    organisation: String::new(),
                    country: "FR".into(),
                })
                .collect(),
            sessions,
        })
        .unwrap()
    }

    #[test]
    fn back_to_back_sessions_do_not_conflict() {
        let v = programme(vec![
            session("s1", "09:00", "10:00", "a", &["ana"]),
            session("s2", "10:00", "11:00", "a", &["ana"]),
        ]);
        assert!(detect(&v).is_empty());
    }

    #[test]
    fn overlapping_room_and_person_are_both_found() {
        let v = programme(vec![
            session("s1", "09:00", "10:30", "a", &["ana", "bo"]),
            session("s2", "10:00", "11:00", "a", &["ana"]),
            session("s3", "10:00", "11:00", "b", &["bo"]),
        ]);
        let kinds: Vec<_> = detect(&v)
            .iter()
            .map(|c| (c.kind, c.sessions.join("+")))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (ConflictKind::RoomDoubleBooked, "s1+s2".to_string()),
                (ConflictKind::PersonDoubleBooked, "s1+s2".to_string()),
                (ConflictKind::PersonDoubleBooked, "s1+s3".to_string()),
            ]
        );
        assert_eq!(
            detect(&v)[0].message,
            "A holds s1 (09:00–10:30) and s2 (10:00–11:00) at the same time"
        );
    }

    #[test]
    fn day_and_capacity_are_checked() {
        let mut s = session("s1", "09:00", "10:00", "a", &[]);
        s.day = "2023-09-20".into();
        s.capacity = Some(80);
        let found = detect(&programme(vec![s]));
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].kind, ConflictKind::OutsideEditionDays);
        assert_eq!(found[1].kind, ConflictKind::CapacityAboveRoom);
    }

    #[test]
    fn only_new_conflicts_are_introduced() {
        let before = detect(&programme(vec![
            session("s1", "09:00", "10:30", "a", &[]),
            session("s2", "10:00", "11:00", "a", &[]),
        ]));
        let after = detect(&programme(vec![
            session("s1", "09:00", "10:30", "a", &["bo"]),
            session("s2", "10:00", "11:00", "a", &["bo"]),
        ]));
        let new = introduced(&before, &after);
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].kind, ConflictKind::PersonDoubleBooked);
    }
}
