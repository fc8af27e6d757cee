//! Finding registrations: the organisers' search and filters, shared by the page, the API
//! and the exports. An edition holds hundreds of registrations, so they are filtered in
//! memory, accent- and case-insensitively.

use std::collections::HashMap;

use serde::Deserialize;
use utoipa::IntoParams;

use super::form::fold;
use super::model::RegistrationRow;

/// Search and filters; empty fields filter nothing.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    /// Words found in the name, email, organisation or country (code or name).
    pub q: String,
    /// `confirmed`, `waitlisted` or `cancelled`.
    pub status: String,
    /// An organisation type code.
    pub organisation_type: String,
    /// A day attended, `YYYY-MM-DD`.
    pub day: String,
    /// A session key chosen.
    pub session: String,
}

impl Filter {
    /// The query parameters it reads.
    pub const FIELDS: &[&str] = &["q", "status", "organisation_type", "day", "session"];

    pub fn is_empty(&self) -> bool {
        self.q.trim().is_empty()
            && self.status.is_empty()
            && self.organisation_type.is_empty()
            && self.day.is_empty()
            && self.session.is_empty()
    }
}

/// Session keys chosen per registration id.
pub type Chosen = HashMap<String, Vec<(String, String)>>;

pub fn chosen(all: Vec<(String, String, String)>) -> Chosen {
    let mut map: Chosen = HashMap::new();
    for (rid, key, status) in all {
        map.entry(rid).or_default().push((key, status));
    }
    map
}

fn haystack(r: &RegistrationRow) -> String {
    let country = crate::countries::find(&r.country);
    fold(&format!(
        "{} {} {} {} {} {} {} {}",
        r.first_name,
        r.last_name,
        r.email,
        r.organisation,
        r.country,
        country.map(|c| c.fr).unwrap_or_default(),
        country.map(|c| c.en).unwrap_or_default(),
        country.map(|c| c.es).unwrap_or_default(),
    ))
}

/// Whether a registration passes the filter.
pub fn matches(r: &RegistrationRow, chosen: &Chosen, f: &Filter) -> bool {
    if !f.status.is_empty() && r.status != f.status {
        return false;
    }
    if !f.organisation_type.is_empty() && r.organisation_type != f.organisation_type {
        return false;
    }
    if !f.day.is_empty() && !r.days().iter().any(|d| d.to_string() == f.day) {
        return false;
    }
    if !f.session.is_empty()
        && !chosen
            .get(&r.id)
            .is_some_and(|c| c.iter().any(|(k, _)| *k == f.session))
    {
        return false;
    }
    let q = fold(f.q.trim());
    if q.is_empty() {
        return true;
    }
    let hay = haystack(r);
    q.split_whitespace().all(|word| hay.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(first: &str, last: &str, org: &str, country: &str) -> RegistrationRow {
        let t = chrono::Utc::now().naive_utc();
        RegistrationRow {
            id: format!("{first}-{last}"),
            edition_id: "e".into(),
            public_ref: String::new(),
            status: "confirmed".into(),
            category: "participant".into(),
            person_id: None,
            civility: "mme".into(),
            first_name: first.into(),
            last_name: last.into(),
            email: format!("{first}@example.org"),
            email_key: None,
            function: "elected".into(),
            organisation: org.into(),
            organisation_type: "french_local_government".into(),
            country: country.into(),
            cuf_member: false,
            days: "[\"2030-10-07\"]".into(),
            lunch: false,
            accessibility: String::new(),
            lang: "fr".into(),
            consent_photo: false,
            consented_at: t,
            source: "online".into(),
            invited: false,
            badge_version: 1,
            manage_version: 1,
            created_at: t,
            updated_at: t,
            cancelled_at: None,
            erased_at: None,
        }
    }

    #[test]
    fn search_ignores_accents_and_case_and_knows_country_names() {
        let r = reg("Hélène", "Dupré", "Région Île-de-France", "FR");
        let none = Chosen::new();
        let q = |q: &str| Filter {
            q: q.into(),
            ..Default::default()
        };
        assert!(matches(&r, &none, &q("helene")));
        assert!(matches(&r, &none, &q("DUPRE ile")));
        assert!(matches(&r, &none, &q("france")));
        assert!(!matches(&r, &none, &q("senegal")));
        let s = reg("Awa", "Ba", "Ville de Dakar", "SN");
        assert!(matches(&s, &none, &q("sénégal")));
    }

    #[test]
    fn filters_combine() {
        let r = reg("Ana", "Ruiz", "Rosario", "AR");
        let mut chosen = Chosen::new();
        chosen.insert(r.id.clone(), vec![("w1".into(), "confirmed".into())]);
        let f = Filter {
            status: "confirmed".into(),
            day: "2030-10-07".into(),
            session: "w1".into(),
            ..Default::default()
        };
        assert!(matches(&r, &chosen, &f));
        assert!(!matches(
            &r,
            &chosen,
            &Filter {
                session: "w2".into(),
                ..f.clone()
            }
        ));
        assert!(!matches(
            &r,
            &chosen,
            &Filter {
                status: "waitlisted".into(),
                ..f
            }
        ));
    }
}
