//! Rows of the programme tables and the domain types stored in them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{edition_days, editions, people, rooms, session_people, sessions};
use crate::i18n::Lang;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = editions)]
pub struct EditionRow {
    pub id: String,
    pub slug: String,
    pub number: i32,
    pub year: i32,
    pub title: String,
    pub theme: String,
    pub venue: String,
    pub timezone: String,
    pub revision: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = edition_days)]
pub struct EditionDayRow {
    pub edition_id: String,
    pub day: NaiveDate,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = rooms)]
pub struct RoomRow {
    pub id: String,
    pub edition_id: String,
    pub key: String,
    pub name: String,
    pub capacity: i32,
    pub position: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = people)]
pub struct PersonRow {
    pub id: String,
    pub edition_id: String,
    pub key: String,
    pub name: String,
    pub function: String,
    pub organisation: String,
    pub country: String,
    pub position: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sessions, treat_none_as_null = true)]
pub struct SessionRow {
    pub id: String,
    pub edition_id: String,
    pub key: String,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub room_id: Option<String>,
    pub languages: String,
    pub partners: String,
    pub capacity: Option<i32>,
    pub position: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = session_people)]
pub struct SessionPersonRow {
    pub session_id: String,
    pub person_id: String,
    pub role: String,
    pub position: i32,
}

macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident($prefix:literal) { $($variant:ident = $code:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable code used in documents, URLs and the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)* _ => None }
            }

            /// The name shown to people, from the catalogue (`<prefix>_<code>`).
            pub fn label(self, lang: Lang) -> &'static str {
                match self { $($name::$variant => lang.t(concat!($prefix, "_", $code)),)* }
            }

            /// Every code, comma-separated, for error messages.
            pub fn codes() -> String {
                Self::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

pub(crate) use labelled_enum;

labelled_enum! {
    /// What kind of session this is; drives the colour and the grouping on the programme.
    SessionKind("session_kind") {
        Plenary = "plenary";
        RegionalMeeting = "regional_meeting";
        CountryGroup = "country_group";
        Dynamic = "dynamic";
        ThematicGroup = "thematic_group";
        Workshop = "workshop";
        Conference = "conference";
        MicroAtelier = "micro_atelier";
        Bourse = "bourse";
        Break = "break";
        Other = "other";
    }
}

labelled_enum! {
    /// A person's part in a session, in the order the programme lists them.
    PersonRole("person_role") {
        Opening = "opening";
        Moderator = "moderator";
        Speaker = "speaker";
        Rapporteur = "rapporteur";
    }
}

impl PersonRole {
    /// The role of one person, singular (for a speaker's own page).
    pub fn singular(self, lang: Lang) -> &'static str {
        match self {
            PersonRole::Speaker => lang.t("person_role_speaker_one"),
            other => other.label(lang),
        }
    }
}
