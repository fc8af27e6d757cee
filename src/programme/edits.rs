//! The changes an organiser makes to a programme, as plain operations on its document.
//! Pages and API call these inside `programme::edit`; validation of the result comes after.

use std::ops::{Deref, DerefMut};

use super::conflicts::Conflict;
use super::document::{PersonDoc, ProgrammeDocument, RoomDoc, SessionDoc};
use crate::error::{AppError, Text};

fn put<T>(
    list: &mut Vec<T>,
    original: Option<&str>,
    item: T,
    key_of: impl Fn(&T) -> &str,
) -> Result<(), AppError> {
    match original {
        None => list.push(item),
        Some(key) => {
            let slot = list
                .iter_mut()
                .find(|x| key_of(x) == key)
                .ok_or(AppError::NotFound)?;
            *slot = item;
        }
    }
    Ok(())
}

fn remove<T>(list: &mut Vec<T>, key: &str, key_of: impl Fn(&T) -> &str) -> Result<(), AppError> {
    let before = list.len();
    list.retain(|x| key_of(x) != key);
    if list.len() == before {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// A short digest of what a form showed, sent back with the form: if the object changed in
/// between (another organiser saved), the save is refused instead of silently undoing it.
pub fn fingerprint<T: serde::Serialize>(value: &T) -> String {
    use sha2::Digest;
    let json = serde_json::to_vec(value).unwrap_or_default();
    sha2::Sha256::digest(&json)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Refuses with `Stale` when the object no longer matches the fingerprint the form was
/// built from (an empty fingerprint skips the check), `NotFound` when it is gone.
pub fn ensure_unchanged<T: serde::Serialize>(
    current: Option<&T>,
    seen: &str,
) -> Result<(), AppError> {
    let current = current.ok_or(AppError::NotFound)?;
    if !seen.is_empty() && fingerprint(current) != seen {
        return Err(AppError::Stale);
    }
    Ok(())
}

/// Keys an edit changed (old, new), so that renamed rows keep their identity and the
/// conflicts already accepted stay accepted under their new names.
#[derive(Debug, Default, Clone)]
pub struct Renames {
    pub rooms: Vec<(String, String)>,
    pub people: Vec<(String, String)>,
    pub sessions: Vec<(String, String)>,
}

fn renamed(list: &[(String, String)], key: &str) -> String {
    list.iter().fold(
        key.to_string(),
        |k, (old, new)| if k == *old { new.clone() } else { k },
    )
}

impl Renames {
    /// The conflict as it reads after the renames.
    pub fn conflict(&self, c: &Conflict) -> Conflict {
        Conflict {
            sessions: c
                .sessions
                .iter()
                .map(|k| renamed(&self.sessions, k))
                .collect(),
            room: c.room.as_deref().map(|k| renamed(&self.rooms, k)),
            person: c.person.as_deref().map(|k| renamed(&self.people, k)),
            ..c.clone()
        }
    }
}

fn note(list: &mut Vec<(String, String)>, original: Option<&str>, new: &str) {
    if let Some(old) = original {
        if old != new {
            list.push((old.to_string(), new.to_string()));
        }
    }
}

/// A programme document being changed, remembering the keys renamed on the way.
pub struct Draft {
    pub doc: ProgrammeDocument,
    pub renames: Renames,
}

impl Deref for Draft {
    type Target = ProgrammeDocument;
    fn deref(&self) -> &ProgrammeDocument {
        &self.doc
    }
}

impl DerefMut for Draft {
    fn deref_mut(&mut self) -> &mut ProgrammeDocument {
        &mut self.doc
    }
}

impl Draft {
    pub fn new(doc: ProgrammeDocument) -> Self {
        Draft {
            doc,
            renames: Renames::default(),
        }
    }

    /// Adds a room (`original` None) or replaces one; a new key follows into its sessions.
    pub fn put_room(&mut self, original: Option<&str>, room: RoomDoc) -> Result<(), AppError> {
        let new_key = room.key.clone();
        put(&mut self.doc.rooms, original, room, |r| &r.key)?;
        note(&mut self.renames.rooms, original, &new_key);
        if let Some(old) = original {
            for s in self
                .doc
                .sessions
                .iter_mut()
                .filter(|s| s.room.as_deref() == Some(old))
            {
                s.room = Some(new_key.clone());
            }
        }
        Ok(())
    }

    /// Removes a room that no session uses.
    pub fn remove_room(&mut self, key: &str) -> Result<(), AppError> {
        let used: Vec<&str> = self
            .doc
            .sessions
            .iter()
            .filter(|s| s.room.as_deref() == Some(key))
            .map(|s| s.key.as_str())
            .collect();
        if !used.is_empty() {
            let list = used.join(", ");
            return Err(AppError::InUse(
                Text::new("in_use_room")
                    .arg("room", key)
                    .arg("sessions", list),
            ));
        }
        remove(&mut self.doc.rooms, key, |r| &r.key)
    }

    /// Adds a person or replaces one; a new key follows into their roles.
    pub fn put_person(
        &mut self,
        original: Option<&str>,
        person: PersonDoc,
    ) -> Result<(), AppError> {
        let new_key = person.key.clone();
        put(&mut self.doc.people, original, person, |p| &p.key)?;
        note(&mut self.renames.people, original, &new_key);
        if let Some(old) = original {
            for sp in self
                .doc
                .sessions
                .iter_mut()
                .flat_map(|s| s.people.iter_mut())
                .filter(|sp| sp.person == old)
            {
                sp.person = new_key.clone();
            }
        }
        Ok(())
    }

    /// Removes a person and their roles in every session.
    pub fn remove_person(&mut self, key: &str) -> Result<(), AppError> {
        remove(&mut self.doc.people, key, |p| &p.key)?;
        for s in &mut self.doc.sessions {
            s.people.retain(|sp| sp.person != key);
        }
        Ok(())
    }

    pub fn put_session(
        &mut self,
        original: Option<&str>,
        session: SessionDoc,
    ) -> Result<(), AppError> {
        let new_key = session.key.clone();
        put(&mut self.doc.sessions, original, session, |s| &s.key)?;
        note(&mut self.renames.sessions, original, &new_key);
        Ok(())
    }

    pub fn remove_session(&mut self, key: &str) -> Result<(), AppError> {
        remove(&mut self.doc.sessions, key, |s| &s.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Draft {
        Draft::new(serde_json::from_value(serde_json::json!({
            "edition": {"slug": "e-1", "number": 1, "year": 2024, "title": "t", "days": ["2024-10-07"]},
            "rooms": [{"key": "a", "name": "A", "capacity": 10}, {"key": "b", "name": "B", "capacity": 10}],
            "people": [{"key": "ana", "name": "Ana", "country": "AR"}],
            "sessions": [{"key": "s1", "kind": "workshop", "title": "S1", "day": "2024-10-07", "start": "09:00",
                          "end": "10:00", "room": "a", "people": [{"person": "ana", "role": "speaker"}]}]
        }))
        .unwrap())
    }

    #[test]
    fn a_changed_object_is_stale() {
        let d = doc();
        let seen = fingerprint(&d.rooms[0]);
        assert!(ensure_unchanged(Some(&d.rooms[0]), &seen).is_ok());
        assert!(matches!(
            ensure_unchanged(Some(&d.rooms[1]), &seen),
            Err(AppError::Stale)
        ));
        assert!(ensure_unchanged(Some(&d.rooms[1]), "").is_ok());
        assert!(matches!(
            ensure_unchanged::<RoomDoc>(None, &seen),
            Err(AppError::NotFound)
        ));
    }

    #[test]
    fn renaming_a_room_moves_its_sessions() {
        let mut d = doc();
        d.put_room(
            Some("a"),
            RoomDoc {
                key: "alpha".into(),
                name: "Alpha".into(),
                capacity: 20,
            },
        )
        .unwrap();
        assert_eq!(d.sessions[0].room.as_deref(), Some("alpha"));
        assert_eq!(
            d.renames.rooms,
            vec![("a".to_string(), "alpha".to_string())]
        );
        assert!(matches!(
            d.put_room(Some("zz"), d.rooms[0].clone()),
            Err(AppError::NotFound)
        ));
    }

    #[test]
    fn a_room_in_use_stays() {
        let mut d = doc();
        assert!(
            matches!(d.remove_room("a"), Err(AppError::InUse(m)) if m.to_string().contains("s1"))
        );
        d.remove_room("b").unwrap();
        assert_eq!(d.rooms.len(), 1);
    }

    #[test]
    fn people_carry_their_roles_along() {
        let mut d = doc();
        let mut ana = d.people[0].clone();
        ana.key = "ana-ruiz".into();
        d.put_person(Some("ana"), ana).unwrap();
        assert_eq!(d.sessions[0].people[0].person, "ana-ruiz");
        d.remove_person("ana-ruiz").unwrap();
        assert!(d.sessions[0].people.is_empty());
        assert!(matches!(d.remove_session("nope"), Err(AppError::NotFound)));
    }
}
