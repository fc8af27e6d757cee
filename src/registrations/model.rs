//! Rows of the registration tables and the closed lists a registration is made of.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{registration_sessions, registration_settings, registrations};
use crate::i18n::Lang;
use crate::programme::model::labelled_enum;

labelled_enum! {
    /// How to address the participant.
    Civility("civility") {
        Mme = "mme";
        M = "m";
        Unstated = "none";
    }
}

labelled_enum! {
    /// What the participant does.
    Function("function") {
        Elected = "elected";
        Staff = "staff";
        Diplomat = "diplomat";
        StateAgency = "state_agency";
        Network = "network";
        Ngo = "ngo";
        Researcher = "researcher";
        Student = "student";
        Press = "press";
        Company = "company";
        Other = "other";
    }
}

labelled_enum! {
    /// The kind of organisation the participant comes from.
    OrganisationType("organisation_type") {
        FrenchLocalGovernment = "french_local_government";
        ForeignLocalGovernment = "foreign_local_government";
        State = "state";
        Embassy = "embassy";
        Network = "network";
        Ngo = "ngo";
        Company = "company";
        Research = "research";
        Press = "press";
        Other = "other";
    }
}

labelled_enum! {
    /// What the badge says, and its colour band.
    Category("category") {
        Participant = "participant";
        Speaker = "speaker";
        Organiser = "organiser";
        Press = "press";
    }
}

labelled_enum! {
    /// Where a registration stands for the edition.
    Status("status") {
        Confirmed = "confirmed";
        Waitlisted = "waitlisted";
        Cancelled = "cancelled";
    }
}

labelled_enum! {
    /// Where one session choice stands. `pending` while the registration itself waits for a
    /// seat at the edition: the choice takes a session seat only once that one is given.
    ChoiceStatus("choice_status") {
        Confirmed = "confirmed";
        Waitlisted = "waitlisted";
        Pending = "pending";
    }
}

impl Category {
    /// The colour band printed on the badge.
    pub fn band(self) -> (u8, u8, u8) {
        match self {
            Category::Participant => (27, 79, 138),
            Category::Speaker => (176, 46, 38),
            Category::Organiser => (30, 107, 82),
            Category::Press => (242, 184, 0),
        }
    }

    /// The category a new registration gets: press cards say press, the rest participate.
    pub fn default_for(function: Function) -> Category {
        match function {
            Function::Press => Category::Press,
            _ => Category::Participant,
        }
    }
}

/// How a registration arrived.
pub mod source {
    pub const ONLINE: &str = "online";
    pub const API: &str = "api";
    pub const ORGANISER: &str = "organiser";
    /// A walk-in registered at the welcome desk.
    pub const DESK: &str = "desk";
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = registration_settings, treat_none_as_null = true)]
pub struct SettingsRow {
    pub edition_id: String,
    pub opens_at: Option<NaiveDateTime>,
    pub closes_at: Option<NaiveDateTime>,
    pub capacity: Option<i32>,
    pub confirmed: i32,
    pub privacy_notice: String,
    pub retention_days: i32,
    pub badge_key_id: String,
    pub badge_public_key: String,
    pub badge_secret_key: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = registrations)]
pub struct RegistrationRow {
    pub id: String,
    pub edition_id: String,
    #[serde(skip)]
    pub public_ref: String,
    pub status: String,
    pub category: String,
    #[serde(skip)]
    pub person_id: Option<String>,
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    #[serde(skip)]
    pub email_key: Option<String>,
    pub function: String,
    pub organisation: String,
    pub organisation_type: String,
    pub country: String,
    pub cuf_member: bool,
    #[serde(skip)]
    pub days: String,
    pub lunch: bool,
    pub accessibility: String,
    pub lang: String,
    pub consent_photo: bool,
    #[serde(serialize_with = "crate::rfc3339::utc")]
    pub consented_at: NaiveDateTime,
    pub source: String,
    pub invited: bool,
    pub badge_version: i32,
    #[serde(skip)]
    pub manage_version: i32,
    #[serde(serialize_with = "crate::rfc3339::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::rfc3339::utc")]
    pub updated_at: NaiveDateTime,
    #[serde(serialize_with = "crate::rfc3339::utc_opt")]
    pub cancelled_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::rfc3339::utc_opt")]
    pub erased_at: Option<NaiveDateTime>,
}

impl RegistrationRow {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Cancelled)
    }

    pub fn category(&self) -> Category {
        Category::parse(&self.category).unwrap_or(Category::Participant)
    }

    pub fn lang(&self) -> Lang {
        Lang::parse(&self.lang).unwrap_or(Lang::Fr)
    }

    pub fn days(&self) -> Vec<NaiveDate> {
        serde_json::from_str(&self.days).unwrap_or_default()
    }

    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub fn is_erased(&self) -> bool {
        self.erased_at.is_some()
    }

    /// A confirmed registration with plain values, for unit tests to adjust.
    #[cfg(test)]
    pub fn sample() -> RegistrationRow {
        let t = NaiveDate::from_ymd_opt(2030, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default();
        RegistrationRow {
            id: "r1".into(),
            edition_id: "e1".into(),
            public_ref: "00".repeat(12),
            status: "confirmed".into(),
            category: "participant".into(),
            person_id: None,
            civility: "none".into(),
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            email: "ada@example.org".into(),
            email_key: Some("ada@example.org".into()),
            function: "other".into(),
            organisation: "Org".into(),
            organisation_type: "other".into(),
            country: "FR".into(),
            cuf_member: false,
            days: "[]".into(),
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
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = registration_sessions)]
pub struct ChoiceRow {
    pub registration_id: String,
    pub session_id: String,
    pub status: String,
    pub created_at: NaiveDateTime,
}
