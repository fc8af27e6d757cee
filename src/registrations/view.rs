//! The registration form as pages show it: what was typed, the messages per field, and
//! the choices offered. The public form, the participant's own page and the organisers'
//! form share it (and the `registration_fields.html` template).

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::form::{choosable, RegistrationInput};
use super::model::{Civility, Function, OrganisationType, RegistrationRow};
use crate::error::FieldError;
use crate::i18n::Lang;
use crate::programme::Programme;

/// One session offered in a time slot.
pub struct SlotOption {
    pub key: String,
    pub title: String,
    pub meta: String,
    pub full: bool,
}

/// Sessions running at the same time: the registrant picks one at most.
pub struct Slot {
    pub name: String,
    pub label: String,
    pub options: Vec<SlotOption>,
}

pub struct FormView {
    pub v: RegistrationInput,
    pub errors: Vec<FieldError>,
    pub days: Vec<(String, String)>,
    pub slots: Vec<Slot>,
    pub civilities: Vec<(&'static str, &'static str)>,
    pub functions: Vec<(&'static str, &'static str)>,
    pub organisation_types: Vec<(&'static str, &'static str)>,
    pub countries: Vec<&'static str>,
}

impl FormView {
    /// `taken` maps session keys to (seats taken, seat limit).
    pub fn new(
        v: RegistrationInput,
        errors: Vec<FieldError>,
        p: &Programme,
        taken: &HashMap<String, (i32, Option<i32>)>,
        lang: Lang,
    ) -> Self {
        let mut v = v;
        // Show the country by name, as the registrant typed or will recognise it.
        if let Some(c) = super::form::find_country(&v.country) {
            v.country = c.name(lang).to_string();
        }
        FormView {
            v,
            errors,
            days: p
                .v
                .days
                .iter()
                .map(|d| (d.to_string(), crate::web::day_label(*d, lang)))
                .collect(),
            slots: slots(p, taken, lang),
            civilities: Civility::ALL
                .iter()
                .map(|c| (c.code(), c.label(lang)))
                .collect(),
            functions: Function::ALL
                .iter()
                .map(|c| (c.code(), c.label(lang)))
                .collect(),
            organisation_types: OrganisationType::ALL
                .iter()
                .map(|c| (c.code(), c.label(lang)))
                .collect(),
            countries: {
                let mut names: Vec<&'static str> = crate::countries::COUNTRIES
                    .iter()
                    .map(|c| c.name(lang))
                    .collect();
                names.sort_by_key(|n| super::form::fold(n));
                names
            },
        }
    }

    /// The message for a field, or "".
    pub fn e(&self, field: &str) -> &str {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
            .unwrap_or("")
    }

    pub fn day_checked(&self, day: &str) -> bool {
        self.v.days.iter().any(|d| d == day)
    }

    pub fn session_checked(&self, key: &str) -> bool {
        self.v.sessions.iter().any(|s| s == key)
    }

    pub fn slot_empty(&self, slot: &Slot) -> bool {
        !slot.options.iter().any(|o| self.session_checked(&o.key))
    }

    /// The languages emails can be written in: (code, the language's own name).
    pub fn languages(&self) -> Vec<(&'static str, &'static str)> {
        Lang::ALL
            .iter()
            .map(|l| (l.code(), l.native_name()))
            .collect()
    }

    /// The language ticked: the one asked for, else French.
    pub fn lang_checked(&self, code: &str) -> bool {
        match Lang::parse(&self.v.lang) {
            Some(l) => l.code() == code,
            None => code == "fr",
        }
    }
}

/// Choosable sessions grouped into slots of sessions that overlap, in time order.
pub fn slots(p: &Programme, taken: &HashMap<String, (i32, Option<i32>)>, lang: Lang) -> Vec<Slot> {
    let mut idx: Vec<usize> = (0..p.v.sessions.len())
        .filter(|&i| choosable(p.v.sessions[i].kind))
        .collect();
    idx.sort_by_key(|&i| (p.v.sessions[i].starts_at, i));
    let mut groups: Vec<(NaiveDateTime, Vec<usize>)> = Vec::new();
    for i in idx {
        let v = &p.v.sessions[i];
        match groups.last_mut() {
            Some((end, members)) if v.starts_at < *end => {
                members.push(i);
                *end = (*end).max(v.ends_at);
            }
            _ => groups.push((v.ends_at, vec![i])),
        }
    }
    groups
        .into_iter()
        .enumerate()
        .map(|(n, (_, members))| {
            let first = &p.v.sessions[members[0]];
            let end = members
                .iter()
                .map(|&i| p.v.sessions[i].end)
                .max()
                .unwrap_or(first.end);
            Slot {
                name: format!("slot_{n}"),
                label: format!(
                    "{}, {}–{}",
                    crate::web::day_label(first.day, lang),
                    first.start.format("%H:%M"),
                    end.format("%H:%M")
                ),
                options: members
                    .iter()
                    .map(|&i| {
                        let (s, v) = (&p.doc().sessions[i], &p.v.sessions[i]);
                        let room = v
                            .room
                            .map(|r| p.doc().rooms[r].name.clone())
                            .unwrap_or_default();
                        let kind = v.kind.label(lang);
                        SlotOption {
                            key: s.key.clone(),
                            title: s.title.clone(),
                            meta: [kind.to_string(), room]
                                .into_iter()
                                .filter(|x| !x.is_empty())
                                .collect::<Vec<_>>()
                                .join(" · "),
                            full: taken
                                .get(&s.key)
                                .is_some_and(|(t, limit)| limit.is_some_and(|l| *t >= l)),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Reads the form's fields: repeated `days`, one `slot_N` per time slot (or repeated
/// `sessions`), and checkboxes that are present only when ticked.
pub fn input_from_pairs(pairs: &[(String, String)]) -> RegistrationInput {
    let mut i = RegistrationInput::default();
    let on = |v: &str| matches!(v, "on" | "true" | "1" | "yes");
    for (k, v) in pairs {
        match k.as_str() {
            "civility" => i.civility = v.clone(),
            "first_name" => i.first_name = v.clone(),
            "last_name" => i.last_name = v.clone(),
            "email" => i.email = v.clone(),
            "function" => i.function = v.clone(),
            "organisation" => i.organisation = v.clone(),
            "organisation_type" => i.organisation_type = v.clone(),
            "country" => i.country = v.clone(),
            "cuf_member" => i.cuf_member = on(v),
            "days" => i.days.push(v.clone()),
            "lunch" => i.lunch = on(v),
            "accessibility" => i.accessibility = v.clone(),
            "sessions" if !v.is_empty() => i.sessions.push(v.clone()),
            s if s.starts_with("slot_") && !v.is_empty() => i.sessions.push(v.clone()),
            "lang" => i.lang = v.clone(),
            "consent_privacy" => i.consent_privacy = on(v),
            "consent_photo" => i.consent_photo = on(v),
            _ => {}
        }
    }
    i
}

/// The form filled with a stored registration.
pub fn input_from_row(r: &RegistrationRow, sessions: Vec<String>) -> RegistrationInput {
    RegistrationInput {
        civility: r.civility.clone(),
        first_name: r.first_name.clone(),
        last_name: r.last_name.clone(),
        email: r.email.clone(),
        function: r.function.clone(),
        organisation: r.organisation.clone(),
        organisation_type: r.organisation_type.clone(),
        country: r.country.clone(),
        cuf_member: r.cuf_member,
        days: r.days().iter().map(|d| d.to_string()).collect(),
        lunch: r.lunch,
        accessibility: r.accessibility.clone(),
        sessions,
        lang: r.lang.clone(),
        consent_privacy: true,
        consent_photo: r.consent_photo,
        // A walk-in registered without email stays valid when edited.
        email_optional: r.email.is_empty(),
    }
}

/// Whether a field name from a pair is the honeypot, which people never see nor fill.
pub const HONEYPOT: &str = "website";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_pairs_become_an_input() {
        let pairs: Vec<(String, String)> = [
            ("first_name", "Ana"),
            ("days", "2030-10-07"),
            ("days", "2030-10-08"),
            ("slot_0", "w1"),
            ("slot_1", ""),
            ("lunch", "on"),
            ("consent_privacy", "on"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let i = input_from_pairs(&pairs);
        assert_eq!(i.first_name, "Ana");
        assert_eq!(i.days.len(), 2);
        assert_eq!(i.sessions, vec!["w1"]);
        assert!(i.lunch && i.consent_privacy && !i.consent_photo);
    }
}
