//! Badges: what is printed on them, the signed token their QR code holds, and checking a
//! token scanned at the desk.

pub mod helvetica;
pub mod pdf;
pub mod qr;
pub mod token;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::registration_settings;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::programme::Programme;
use crate::registrations::model::{RegistrationRow, SettingsRow, Status};

/// The token for a registration's current badge.
pub fn token_for(settings: &SettingsRow, reg: &RegistrationRow) -> Result<String, AppError> {
    let key = token::signing_key(&settings.badge_secret_key)
        .ok_or_else(|| AppError::Internal("stored badge key is unreadable".into()))?;
    let public_ref = token::unhex::<12>(&reg.public_ref)
        .ok_or_else(|| AppError::Internal("stored public reference is unreadable".into()))?;
    Ok(token::sign(
        &key,
        public_ref,
        u16::try_from(reg.badge_version).unwrap_or(u16::MAX),
    ))
}

/// What one badge shows, owned, in the participant's language.
pub struct BadgeText {
    pub first_name: String,
    pub last_name: String,
    pub organisation: String,
    pub country: String,
    pub category: String,
    pub band: (u8, u8, u8),
    pub event: String,
    pub dates: String,
    pub token: String,
}

impl BadgeText {
    pub fn new(
        programme: &Programme,
        settings: &SettingsRow,
        reg: &RegistrationRow,
        lang: Lang,
    ) -> Result<Self, AppError> {
        let category = reg.category();
        let edition = &programme.doc().edition;
        let mut dates = crate::web::days_span(&programme.v.days, lang);
        if !edition.venue.is_empty() {
            dates = format!("{dates} · {}", edition.venue);
        }
        Ok(BadgeText {
            first_name: reg.first_name.clone(),
            last_name: reg.last_name.clone(),
            organisation: reg.organisation.clone(),
            country: crate::countries::find(&reg.country)
                .map(|c| c.name(lang).to_string())
                .unwrap_or_default(),
            category: category.label(lang).to_uppercase(),
            band: category.band(),
            event: edition.title.clone(),
            dates,
            token: token_for(settings, reg)?,
        })
    }

    pub fn face(&self) -> pdf::Face<'_> {
        pdf::Face {
            first_name: &self.first_name,
            last_name: &self.last_name,
            organisation: &self.organisation,
            country: &self.country,
            category: &self.category,
            band: self.band,
            event: &self.event,
            dates: &self.dates,
            token: &self.token,
        }
    }
}

/// What the desk learns from a scanned token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Signed by an edition's key, for the current badge of an active registration.
    Valid,
    /// Genuine, but replaced by a newer badge, or the registration was cancelled.
    Revoked,
    /// Not a badge token, or its signature does not match.
    Forged,
    /// Signed by no key this server knows, or for a registration that no longer exists.
    Unknown,
}

/// The outcome of checking a token, with the registration when one was found.
pub struct Checked {
    pub verdict: Verdict,
    pub registration: Option<RegistrationRow>,
    pub edition_id: Option<String>,
}

/// Checks a scanned token against the keys and registrations in the database.
pub fn verify(conn: &mut DbConnection, scanned: &str) -> Result<Checked, AppError> {
    let none = |verdict| Checked {
        verdict,
        registration: None,
        edition_id: None,
    };
    let Some(decoded) = token::decode(scanned) else {
        return Ok(none(Verdict::Forged));
    };
    let settings: Option<SettingsRow> = registration_settings::table
        .filter(registration_settings::badge_key_id.eq(token::hex(&decoded.claims.key_id)))
        .select(SettingsRow::as_select())
        .first(conn)
        .optional()?;
    let Some(settings) = settings else {
        return Ok(none(Verdict::Unknown));
    };
    let Some(public) = token::verifying_key(&settings.badge_public_key) else {
        return Err(AppError::Internal("stored badge key is unreadable".into()));
    };
    if !decoded.verify(&public) {
        return Ok(none(Verdict::Forged));
    }
    let reg = crate::registrations::by_public_ref(conn, &token::hex(&decoded.claims.public_ref))?;
    let Some(reg) = reg.filter(|r| r.edition_id == settings.edition_id && !r.is_erased()) else {
        return Ok(none(Verdict::Unknown));
    };
    let verdict = if i32::from(decoded.claims.version) != reg.badge_version
        || reg.status() == Status::Cancelled
    {
        Verdict::Revoked
    } else {
        Verdict::Valid
    };
    Ok(Checked {
        verdict,
        edition_id: Some(settings.edition_id.clone()),
        registration: Some(reg),
    })
}
