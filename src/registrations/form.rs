//! What a registrant sends, and the rules it must pass before anything is written.
//!
//! The public form, the API and the organiser's form all fill a `RegistrationInput` and call
//! `validate`, so they refuse the same things with the same messages.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{Civility, Function, OrganisationType};
use crate::countries;
use crate::error::FieldError;
use crate::i18n::{Arg, Lang};
use crate::programme::model::SessionKind;
use crate::programme::Programme;

/// A registration as typed by the participant. Every field has a default, so a missing field
/// is reported like an empty one: by name, in the participant's language.
#[derive(Debug, Default, Clone, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct RegistrationInput {
    /// `mme`, `m` or `none`.
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// One of `elected, staff, diplomat, state_agency, network, ngo, researcher, student,
    /// press, company, other`.
    pub function: String,
    pub organisation: String,
    /// One of `french_local_government, foreign_local_government, state, embassy, network,
    /// ngo, company, research, press, other`.
    pub organisation_type: String,
    /// ISO 3166-1 alpha-2 code (the form also takes the country's name).
    pub country: String,
    /// Member of Cités Unies France.
    pub cuf_member: bool,
    /// Days attended, `YYYY-MM-DD`, among the edition's days.
    pub days: Vec<String>,
    /// Lunch on site.
    pub lunch: bool,
    /// Needs the venue should know about (free text).
    pub accessibility: String,
    /// Keys of the parallel sessions the participant means to follow, one per time slot.
    pub sessions: Vec<String>,
    /// `fr` or `en`: the language of the emails.
    pub lang: String,
    /// Must be true: the participant accepts the privacy notice.
    pub consent_privacy: bool,
    /// The participant accepts to appear in photographs.
    pub consent_photo: bool,
    /// A walk-in registered at the desk may give no email.
    #[serde(skip)]
    pub email_optional: bool,
}

/// A registration that passed every rule, with its values parsed.
#[derive(Debug, Clone)]
pub struct Registrant {
    pub civility: Civility,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub function: Function,
    pub organisation: String,
    pub organisation_type: OrganisationType,
    pub country: &'static str,
    pub cuf_member: bool,
    pub days: Vec<NaiveDate>,
    pub lunch: bool,
    pub accessibility: String,
    /// Session keys, in programme order.
    pub sessions: Vec<String>,
    pub lang: Lang,
    pub consent_photo: bool,
}

/// The key under which an email is registered once per edition.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Sessions a participant can sign up for: not the plenaries everyone attends, not breaks.
pub fn choosable(kind: SessionKind) -> bool {
    !matches!(kind, SessionKind::Plenary | SessionKind::Break)
}

const NAME_MAX: usize = 100;
const ORGANISATION_MAX: usize = 200;
const NOTE_MAX: usize = 2000;

struct Errors {
    lang: Lang,
    list: Vec<FieldError>,
}

impl Errors {
    fn add(&mut self, field: &str, code: &str, key: &str) {
        self.add_with(field, code, key, &[]);
    }

    fn add_with(&mut self, field: &str, code: &str, key: &str, args: &[(&str, Arg)]) {
        // One message per field is enough to act on.
        if self.list.iter().any(|e| e.field == field) {
            return;
        }
        self.list.push(FieldError {
            field: field.to_string(),
            code: code.to_string(),
            message: self.lang.tf(key, args),
        });
    }

    fn text(&mut self, field: &str, value: &str, max: usize, required: bool) -> String {
        self.text_lines(field, value, max, required, false)
    }

    /// `lines`: whether line breaks are allowed (a note), or not (a name).
    fn text_lines(
        &mut self,
        field: &str,
        value: &str,
        max: usize,
        required: bool,
        lines: bool,
    ) -> String {
        let value = value.trim();
        if required && value.is_empty() {
            self.add(field, "required", "form_required");
        } else if value.chars().count() > max {
            self.add_with(field, "too_long", "form_too_long", &[("max", max.into())]);
        } else if value
            .chars()
            .any(|c| c.is_control() && !(lines && matches!(c, '\n' | '\r' | '\t')))
        {
            self.add(field, "invalid_characters", "form_invalid_characters");
        }
        value.to_string()
    }

    fn choice<T: Copy>(
        &mut self,
        field: &str,
        value: &str,
        parse: impl Fn(&str) -> Option<T>,
        codes: String,
    ) -> Option<T> {
        if value.trim().is_empty() {
            self.add(field, "required", "form_choose");
            return None;
        }
        let parsed = parse(value.trim());
        if parsed.is_none() {
            self.add_with(
                field,
                "invalid_choice",
                "form_invalid_choice",
                &[("codes", codes.into())],
            );
        }
        parsed
    }
}

/// A plausible address: something before and after one `@`, a dot in the domain, no spaces.
/// Whether it receives mail is learnt by sending the confirmation.
pub fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && email.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && !email.contains(['<', '>', ',', ';', '"'])
        // What the mailer will accept, so that a confirmation never fails on the address.
        && email.parse::<lettre::Address>().is_ok()
}

/// A country by code (`SN`) or by its name in any language spoken here, ignoring case and accents.
pub fn find_country(value: &str) -> Option<&'static countries::Country> {
    let value = value.trim();
    if let Some(c) = countries::find(&value.to_uppercase()) {
        return Some(c);
    }
    let wanted = fold(value);
    countries::COUNTRIES
        .iter()
        .find(|c| Lang::ALL.iter().any(|l| fold(c.name(*l)) == wanted))
}

/// Lower case without accents, for matching what people type.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(|c| c.to_lowercase())
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            '’' => '\'',
            other => other,
        })
        .collect()
}

/// Checks every field against the edition's programme. `lang` is the language of the
/// messages (the page's, or the one the registrant asked for).
pub fn validate(
    input: &RegistrationInput,
    programme: &Programme,
    lang: Lang,
) -> Result<Registrant, Vec<FieldError>> {
    let mut e = Errors {
        lang,
        list: Vec::new(),
    };
    let civility = e.choice(
        "civility",
        &input.civility,
        Civility::parse,
        Civility::codes(),
    );
    let first_name = e.text("first_name", &input.first_name, NAME_MAX, true);
    let last_name = e.text("last_name", &input.last_name, NAME_MAX, true);
    let email = input.email.trim().to_string();
    if email.is_empty() && !input.email_optional {
        e.add("email", "required", "form_required");
    } else if !email.is_empty() && !plausible_email(&email) {
        e.add("email", "invalid_email", "form_invalid_email");
    }
    let function = e.choice(
        "function",
        &input.function,
        Function::parse,
        Function::codes(),
    );
    let organisation = e.text("organisation", &input.organisation, ORGANISATION_MAX, true);
    let organisation_type = e.choice(
        "organisation_type",
        &input.organisation_type,
        OrganisationType::parse,
        OrganisationType::codes(),
    );
    let country = if input.country.trim().is_empty() {
        e.add("country", "required", "form_choose_country");
        None
    } else {
        let found = find_country(&input.country);
        if found.is_none() {
            e.add("country", "unknown_country", "form_unknown_country");
        }
        found
    };
    let accessibility = e.text_lines("accessibility", &input.accessibility, NOTE_MAX, false, true);

    let edition_days = &programme.v.days;
    let mut days = Vec::new();
    for d in &input.days {
        match NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d") {
            Ok(day) if edition_days.contains(&day) => {
                if !days.contains(&day) {
                    days.push(day);
                }
            }
            _ => e.add_with(
                "days",
                "unknown_day",
                "form_unknown_day",
                &[("day", d.as_str().into())],
            ),
        }
    }
    days.sort();
    if input.days.is_empty() {
        e.add("days", "required", "form_days_required");
    }

    let sessions = check_sessions(&mut e, &input.sessions, programme, &days);

    let lang_wanted = match input.lang.trim() {
        "" => lang,
        code => Lang::parse(code).unwrap_or_else(|| {
            e.add("lang", "invalid_choice", "form_unknown_language");
            lang
        }),
    };
    if !input.consent_privacy {
        e.add(
            "consent_privacy",
            "consent_required",
            "form_consent_required",
        );
    }

    match (civility, function, organisation_type, country) {
        (Some(civility), Some(function), Some(organisation_type), Some(country))
            if e.list.is_empty() =>
        {
            Ok(Registrant {
                civility,
                first_name,
                last_name,
                email,
                function,
                organisation,
                organisation_type,
                country: country.code,
                cuf_member: input.cuf_member,
                days,
                lunch: input.lunch,
                accessibility,
                sessions,
                lang: lang_wanted,
                consent_photo: input.consent_photo,
            })
        }
        _ => Err(e.list),
    }
}

/// Session choices: known, open to sign-up, on a day attended, and never two at once.
fn check_sessions(
    e: &mut Errors,
    keys: &[String],
    programme: &Programme,
    days: &[NaiveDate],
) -> Vec<String> {
    let mut chosen: Vec<usize> = Vec::new();
    for key in keys.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        let Some(i) = programme.session_index(key) else {
            e.add_with(
                "sessions",
                "unknown_session",
                "form_unknown_session",
                &[("key", key.into())],
            );
            continue;
        };
        let (doc, v) = (&programme.doc().sessions[i], &programme.v.sessions[i]);
        if chosen.contains(&i) {
            continue;
        }
        if !choosable(v.kind) {
            e.add_with(
                "sessions",
                "not_choosable",
                "form_not_choosable",
                &[("title", doc.title.as_str().into())],
            );
        } else if !days.is_empty() && !days.contains(&v.day) {
            e.add_with(
                "sessions",
                "day_not_attended",
                "form_day_not_attended",
                &[("title", doc.title.as_str().into())],
            );
        } else if let Some(&other) = chosen.iter().find(|&&j| {
            let o = &programme.v.sessions[j];
            o.starts_at < v.ends_at && v.starts_at < o.ends_at
        }) {
            let other = &programme.doc().sessions[other].title;
            e.add_with(
                "sessions",
                "same_slot",
                "form_same_slot",
                &[
                    ("title", doc.title.as_str().into()),
                    ("other", other.as_str().into()),
                ],
            );
        } else {
            chosen.push(i);
        }
    }
    chosen.sort();
    chosen
        .into_iter()
        .map(|i| programme.doc().sessions[i].key.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn programme() -> Programme {
        let doc = crate::programme::document::parse(
            r#"{"edition": {"slug": "test", "number": 1, "year": 2030, "title": "T", "timezone": "Europe/Paris",
                 "days": ["2030-10-07", "2030-10-08"]},
                "rooms": [{"key": "a", "name": "A", "capacity": 100}, {"key": "b", "name": "B", "capacity": 20}],
                "people": [],
                "sessions": [
                  {"key": "open", "kind": "plenary", "title": "Ouverture", "day": "2030-10-07", "start": "09:00", "end": "10:00", "room": "a"},
                  {"key": "w1", "kind": "workshop", "title": "Eau", "day": "2030-10-07", "start": "10:30", "end": "12:00", "room": "a"},
                  {"key": "w2", "kind": "workshop", "title": "Climat", "day": "2030-10-07", "start": "11:00", "end": "12:30", "room": "b"},
                  {"key": "w3", "kind": "workshop", "title": "Culture", "day": "2030-10-08", "start": "10:30", "end": "12:00", "room": "b"}
                ]}"#,
        )
        .unwrap();
        let v = crate::programme::document::validate(doc).unwrap();
        Programme {
            edition: crate::programme::model::EditionRow {
                id: "e".into(),
                slug: "t".into(),
                number: 1,
                year: 2030,
                title: "T".into(),
                theme: String::new(),
                venue: String::new(),
                timezone: "Europe/Paris".into(),
                revision: 1,
                created_at: chrono::Utc::now().naive_utc(),
                updated_at: chrono::Utc::now().naive_utc(),
            },
            v,
            conflicts: Vec::new(),
            json: Default::default(),
            pages: Default::default(),
        }
    }

    fn input() -> RegistrationInput {
        RegistrationInput {
            civility: "mme".into(),
            first_name: " Aminata ".into(),
            last_name: "Diallo".into(),
            email: "a.diallo@ville-dakar.sn".into(),
            function: "elected".into(),
            organisation: "Ville de Dakar".into(),
            organisation_type: "foreign_local_government".into(),
            country: "SN".into(),
            days: vec!["2030-10-07".into()],
            sessions: vec!["w1".into()],
            consent_privacy: true,
            ..Default::default()
        }
    }

    fn codes(r: Result<Registrant, Vec<FieldError>>) -> Vec<(String, String)> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_complete_registration_passes_trimmed() {
        let r = validate(&input(), &programme(), Lang::Fr).unwrap();
        assert_eq!(r.first_name, "Aminata");
        assert_eq!(r.country, "SN");
        assert_eq!(r.sessions, vec!["w1"]);
        assert_eq!(r.lang, Lang::Fr);
    }

    #[test]
    fn an_empty_form_names_every_required_field() {
        let fields: Vec<String> = codes(validate(
            &RegistrationInput::default(),
            &programme(),
            Lang::En,
        ))
        .into_iter()
        .map(|(f, _)| f)
        .collect();
        for f in [
            "civility",
            "first_name",
            "last_name",
            "email",
            "function",
            "organisation",
            "organisation_type",
            "country",
            "days",
            "consent_privacy",
        ] {
            assert!(fields.contains(&f.to_string()), "{f} missing in {fields:?}");
        }
    }

    #[test]
    fn messages_follow_the_language() {
        let mut i = input();
        i.email = "not an email".into();
        let fr = validate(&i, &programme(), Lang::Fr).unwrap_err();
        let en = validate(&i, &programme(), Lang::En).unwrap_err();
        assert!(fr[0].message.contains("adresse"));
        assert!(en[0].message.contains("address"));
        assert_eq!(fr[0].code, "invalid_email");
    }

    #[test]
    fn two_sessions_at_once_are_refused() {
        let mut i = input();
        i.sessions = vec!["w1".into(), "w2".into()];
        assert_eq!(
            codes(validate(&i, &programme(), Lang::Fr)),
            vec![("sessions".into(), "same_slot".into())]
        );
    }

    #[test]
    fn sessions_must_be_choosable_and_on_a_day_attended() {
        let mut i = input();
        i.sessions = vec!["open".into()];
        assert_eq!(
            codes(validate(&i, &programme(), Lang::Fr))[0].1,
            "not_choosable"
        );
        i.sessions = vec!["w3".into()];
        assert_eq!(
            codes(validate(&i, &programme(), Lang::Fr))[0].1,
            "day_not_attended"
        );
        i.sessions = vec!["nope".into()];
        assert_eq!(
            codes(validate(&i, &programme(), Lang::Fr))[0].1,
            "unknown_session"
        );
    }

    #[test]
    fn countries_by_code_or_name() {
        assert_eq!(find_country("sn").unwrap().code, "SN");
        assert_eq!(find_country("Sénégal").unwrap().code, "SN");
        assert_eq!(find_country("senegal").unwrap().code, "SN");
        assert_eq!(find_country("Germany").unwrap().code, "DE");
        assert!(find_country("Atlantis").is_none());
    }

    #[test]
    fn emails_are_checked_loosely() {
        assert!(plausible_email("a@b.fr"));
        assert!(plausible_email("prénom.nom@mairie-évry.fr"));
        for bad in [
            "a@b", "@b.fr", "a b@c.fr", "a@@b.fr", "a@b..fr", "<a@b.fr>", "a:b@c.fr",
        ] {
            assert!(!plausible_email(bad), "{bad}");
        }
    }

    #[test]
    fn consent_and_days_are_required() {
        let mut i = input();
        i.consent_privacy = false;
        i.days = vec!["2031-01-01".into()];
        let c = codes(validate(&i, &programme(), Lang::Fr));
        assert!(c.contains(&("consent_privacy".into(), "consent_required".into())));
        assert!(c.contains(&("days".into(), "unknown_day".into())));
    }
}
