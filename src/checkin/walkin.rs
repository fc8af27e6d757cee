//! Someone who never registered arrives at the desk: a short form, the same rules as
//! online (capacity included, unless an organiser gives a seat beyond it), then checked in
//! at once, in the same transaction.

use serde::Deserialize;
use utoipa::ToSchema;

use super::{record, Outcome, Scan};
use crate::db::{write_tx, DbConnection};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::programme::Programme;
use crate::registrations::form::{validate, RegistrationInput};
use crate::registrations::model::{source, RegistrationRow, Status};
use crate::registrations::{register_within, Origin, Registered};

/// The desk's short form.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(default)]
pub struct WalkInInput {
    /// `mme`, `m` or `none` (the default).
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
    /// Optional: without it, no email is sent.
    pub email: String,
    pub organisation: String,
    pub organisation_type: String,
    pub function: String,
    /// ISO code or name.
    pub country: String,
    pub lunch: bool,
    pub accessibility: String,
    /// `fr` or `en`.
    pub lang: String,
    pub desk: String,
    pub nonce: String,
    /// RFC 3339; the time of the arrival when the desk was offline.
    pub scanned_at: Option<String>,
    /// Organisers only: a seat even when the edition is full.
    #[serde(rename = "override")]
    pub override_capacity: bool,
}

impl WalkInInput {
    /// The registration form's input: the day of arrival, privacy told at the desk.
    pub fn registration(&self, day: chrono::NaiveDate) -> RegistrationInput {
        RegistrationInput {
            civility: if self.civility.trim().is_empty() {
                "none".into()
            } else {
                self.civility.clone()
            },
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            function: self.function.clone(),
            organisation: self.organisation.clone(),
            organisation_type: self.organisation_type.clone(),
            country: self.country.clone(),
            days: vec![day.to_string()],
            lunch: self.lunch,
            accessibility: self.accessibility.clone(),
            lang: self.lang.clone(),
            consent_privacy: true,
            email_optional: true,
            ..RegistrationInput::default()
        }
    }
}

/// Registers a walk-in and checks them in. Refuses with `edition_full` (nothing written)
/// when no seat is left and no override was given; an email already registered is
/// `already_registered`, so the desk finds that registration by search instead.
pub fn register_and_check_in(
    conn: &mut DbConnection,
    programme: &Programme,
    input: &WalkInInput,
    scan: Scan,
    lang: Lang,
) -> Result<(RegistrationRow, Outcome), AppError> {
    let registrant =
        validate(&input.registration(scan.day), programme, lang).map_err(AppError::Validation)?;
    let origin = Origin {
        source: source::DESK,
        invited: input.override_capacity,
        category: None,
        person_key: None,
        ignore_window: true,
    };
    write_tx(conn, |conn| {
        let reg = match register_within(conn, programme, registrant.clone(), &origin)? {
            Registered::New { registration, .. } => *registration,
            Registered::Already(_) => return Err(AppError::AlreadyRegistered),
        };
        if reg.status() != Status::Confirmed {
            return Err(AppError::EditionFull);
        }
        let scan = Scan {
            subject_key: super::subject_key(None, Some(&reg.id)),
            subject: super::Subject::Registration(reg.id.clone()),
            ..scan.clone()
        };
        let outcome = record(conn, &scan)?;
        super::log(
            conn,
            &reg.edition_id,
            Some(&reg.id),
            scan.staff_id.as_deref(),
            &scan.desk,
            "walk_in",
            if input.override_capacity {
                "beyond capacity"
            } else {
                ""
            },
        )?;
        Ok((reg, outcome))
    })
}
