//! The registration API: registering is public; reading and changing registrations is for
//! organisers; checking a badge is for the desk.

use std::sync::Arc;

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::form::{self, RegistrationInput};
use super::model::{Category, RegistrationRow, SettingsRow};
use super::search::{self, Filter};
use super::{links, Amendment, Choice, Origin, Registered, SettingsChange};
use crate::app::AppState;
use crate::badges::{self, Verdict};
use crate::error::{blocking, AppError, ErrorBody};
use crate::mail::MailKind;
use crate::programme::api::{api_lang, parse_body};
use crate::programme::Programme;

/// The answer to a registration.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Created {
    pub id: String,
    /// `confirmed` or `waitlisted`.
    pub status: String,
    pub sessions: Vec<Choice>,
    /// The registrant's personal page (also sent by email).
    pub manage_url: String,
}

/// A registration as organisers read it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationOut {
    pub id: String,
    pub status: String,
    pub category: String,
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub function: String,
    pub organisation: String,
    pub organisation_type: String,
    pub country: String,
    pub cuf_member: bool,
    pub days: Vec<NaiveDate>,
    pub lunch: bool,
    pub accessibility: String,
    pub lang: String,
    pub consent_photo: bool,
    pub source: String,
    pub invited: bool,
    pub badge_version: i32,
    /// Key of the programme person this registration is linked to.
    pub person: Option<String>,
    pub sessions: Vec<Choice>,
    #[serde(serialize_with = "crate::rfc3339::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::rfc3339::utc")]
    pub updated_at: NaiveDateTime,
    #[serde(serialize_with = "crate::rfc3339::utc_opt")]
    pub cancelled_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::rfc3339::utc_opt")]
    pub erased_at: Option<NaiveDateTime>,
}

impl RegistrationOut {
    pub fn new(
        r: RegistrationRow,
        sessions: Vec<Choice>,
        people: &std::collections::HashMap<String, String>,
    ) -> Self {
        let person = r.person_id.as_ref().and_then(|id| people.get(id).cloned());
        RegistrationOut {
            days: r.days(),
            id: r.id,
            status: r.status,
            category: r.category,
            civility: r.civility,
            first_name: r.first_name,
            last_name: r.last_name,
            email: r.email,
            function: r.function,
            organisation: r.organisation,
            organisation_type: r.organisation_type,
            country: r.country,
            cuf_member: r.cuf_member,
            lunch: r.lunch,
            accessibility: r.accessibility,
            lang: r.lang,
            consent_photo: r.consent_photo,
            source: r.source,
            invited: r.invited,
            badge_version: r.badge_version,
            person,
            sessions,
            created_at: r.created_at,
            updated_at: r.updated_at,
            cancelled_at: r.cancelled_at,
            erased_at: r.erased_at,
        }
    }
}

/// 201 with the new registration, or 409 when the address was already registered.
fn created(state: &AppState, outcome: Registered) -> Result<HttpResponse, AppError> {
    match outcome {
        Registered::New {
            registration,
            choices,
        } => Ok(HttpResponse::Created().json(Created {
            manage_url: manage_url(state, &registration),
            id: registration.id,
            status: registration.status,
            sessions: choices,
        })),
        Registered::Already(_) => Err(AppError::AlreadyRegistered),
    }
}

fn manage_url(state: &AppState, reg: &RegistrationRow) -> String {
    format!(
        "{}{}",
        state.settings.link_base(),
        links::path(&state.secret, reg)
    )
}

#[utoipa::path(post, path = "/api/v1/editions/{slug}/registrations", tag = "registration",
    request_body = RegistrationInput,
    params(("slug" = String, Path, description = "Edition")),
    responses(
        (status = 201, description = "Registered (confirmed or on the waiting list); the confirmation email is queued", body = Created),
        (status = 409, description = "`already_registered` (the manage link is emailed again), `registration_closed`, `registration_not_open`", body = ErrorBody),
        (status = 422, description = "`validation_failed` with one entry per field", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody)))]
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let lang = api_lang(&req);
    super::web::count_submission(&state, &req)?;
    let input: RegistrationInput = parse_body(&body)?;
    let p = crate::app::programme(&state, slug.into_inner()).await?;
    let registrant = form::validate(&input, &p, lang).map_err(AppError::Validation)?;
    let origin = Origin::public(super::model::source::API);
    let outcome = state.registrar.register(p, registrant, origin).await;
    state.mail_signal.notify();
    created(&state, outcome?)
}

/// An organiser's registration: the form's fields, and what only organisers decide.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ManualInput {
    #[serde(flatten)]
    pub registration: RegistrationInput,
    /// Takes a seat even when the edition is full.
    pub invited: bool,
    /// `participant`, `speaker`, `organiser` or `press`; derived when absent.
    pub category: Option<String>,
    /// Key of a person of the programme (makes the badge say speaker).
    pub person: Option<String>,
}

fn category(value: &Option<String>) -> Result<Option<Category>, AppError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(code) => Category::parse(code).map(Some).ok_or_else(|| {
            AppError::Validation(vec![crate::error::FieldError {
                field: "category".into(),
                code: "invalid_choice".into(),
                message: format!("choose one of: {}", Category::codes()),
            }])
        }),
    }
}

#[utoipa::path(post, path = "/api/v1/editions/{slug}/registrations/manual", tag = "registration",
    request_body = ManualInput, security(("bearer" = [])),
    params(("slug" = String, Path, description = "Edition")),
    responses((status = 201, body = Created), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn register_manual(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let lang = api_lang(&req);
    let input: ManualInput = parse_body(&body)?;
    let p = crate::app::programme(&state, slug.into_inner()).await?;
    let mut reg_input = input.registration;
    // Organisers register people who agreed by other means (an invitation, a phone call).
    reg_input.consent_privacy = true;
    let registrant = form::validate(&reg_input, &p, lang).map_err(AppError::Validation)?;
    let origin = Origin {
        source: super::model::source::ORGANISER,
        invited: input.invited,
        category: category(&input.category)?,
        person_key: input.person.filter(|k| !k.trim().is_empty()),
        ignore_window: true,
    };
    let st = state.clone();
    let outcome =
        blocking(move || super::register(&mut *st.pool.get()?, &p, registrant, &origin)).await;
    state.mail_signal.notify();
    created(&state, outcome?)
}

/// The registrations of an edition with their choices, filtered.
pub async fn filtered(
    state: &web::Data<AppState>,
    p: Arc<Programme>,
    filter: Filter,
) -> Result<Vec<RegistrationOut>, AppError> {
    let st = state.clone();
    blocking(move || {
        let mut conn = st.pool.get()?;
        let rows = super::list(&mut conn, &p.edition.id)?;
        let chosen = search::chosen(super::all_choices(&mut conn, &p.edition.id)?);
        let people = super::person_keys(&mut conn, &p.edition.id)?;
        Ok(rows
            .into_iter()
            .filter(|r| search::matches(r, &chosen, &filter))
            .map(|r| {
                let sessions = ordered_choices(&p, chosen.get(&r.id));
                RegistrationOut::new(r, sessions, &people)
            })
            .collect())
    })
    .await
}

/// Choices in programme order.
pub fn ordered_choices(p: &Programme, chosen: Option<&Vec<(String, String)>>) -> Vec<Choice> {
    let mut out: Vec<(usize, Choice)> = chosen
        .into_iter()
        .flatten()
        .filter_map(|(key, status)| {
            Some((
                p.session_index(key)?,
                Choice {
                    key: key.clone(),
                    status: super::model::ChoiceStatus::parse(status)?,
                },
            ))
        })
        .collect();
    out.sort_by_key(|(i, _)| (p.v.sessions[*i].starts_at, *i));
    out.into_iter().map(|(_, c)| c).collect()
}

#[utoipa::path(get, path = "/api/v1/editions/{slug}/registrations", tag = "registration",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "Edition"), Filter),
    responses((status = 200, body = [RegistrationOut]), (status = 404, body = ErrorBody)))]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    filter: web::Query<Filter>,
) -> Result<HttpResponse, AppError> {
    crate::fallback::only_parameters(&req, Filter::FIELDS)?;
    let p = crate::app::programme(&state, slug.into_inner()).await?;
    Ok(HttpResponse::Ok().json(filtered(&state, p, filter.into_inner()).await?))
}

/// The registration `id` of edition `slug`, or 404.
pub async fn one(
    state: &web::Data<AppState>,
    slug: String,
    id: String,
) -> Result<(Arc<Programme>, RegistrationRow), AppError> {
    let p = crate::app::programme(state, slug).await?;
    let st = state.clone();
    let eid = p.edition.id.clone();
    let reg = blocking(move || super::get(&mut *st.pool.get()?, &id)).await?;
    if reg.edition_id != eid {
        return Err(AppError::NotFound);
    }
    Ok((p, reg))
}

async fn out(
    state: &web::Data<AppState>,
    p: &Programme,
    reg: RegistrationRow,
) -> Result<RegistrationOut, AppError> {
    let st = state.clone();
    let rid = reg.id.clone();
    let eid = p.edition.id.clone();
    let (choices, people) = blocking(move || {
        let mut conn = st.pool.get()?;
        Ok((
            super::choices(&mut conn, &rid)?,
            super::person_keys(&mut conn, &eid)?,
        ))
    })
    .await?;
    Ok(RegistrationOut::new(reg, choices, &people))
}

#[utoipa::path(get, path = "/api/v1/editions/{slug}/registrations/{id}", tag = "registration",
    security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = RegistrationOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (p, reg) = one(&state, slug, id).await?;
    Ok(HttpResponse::Ok().json(out(&state, &p, reg).await?))
}

#[utoipa::path(put, path = "/api/v1/editions/{slug}/registrations/{id}", tag = "registration",
    request_body = ManualInput, security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = RegistrationOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let lang = api_lang(&req);
    let (slug, id) = path.into_inner();
    let input: ManualInput = parse_body(&body)?;
    let (p, reg) = one(&state, slug, id).await?;
    let mut reg_input = input.registration;
    reg_input.consent_privacy = true;
    let registrant = form::validate(&reg_input, &p, lang).map_err(AppError::Validation)?;
    let amend = Amendment {
        category: category(&input.category)?,
        person_key: input
            .person
            .map(|k| Some(k.trim().to_string()).filter(|k| !k.is_empty())),
    };
    let st = state.clone();
    let (reg, _) =
        blocking(move || super::update(&mut *st.pool.get()?, &reg.id, registrant, &amend)).await?;
    state.mail_signal.notify();
    Ok(HttpResponse::Ok().json(out(&state, &p, reg).await?))
}

#[utoipa::path(post, path = "/api/v1/editions/{slug}/registrations/{id}/cancel", tag = "registration",
    security(("bearer" = [])), params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, description = "Cancelled; the next people waiting are promoted and emailed", body = RegistrationOut), (status = 404, body = ErrorBody)))]
pub async fn cancel(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    change(&state, path.into_inner(), super::cancel).await
}

/// Applies one of the service's changes to registration `id` of edition `slug`, wakes the
/// outbox for the emails it queued, and answers the registration as it now stands.
async fn change(
    state: &web::Data<AppState>,
    (slug, id): (String, String),
    f: fn(&mut crate::db::DbConnection, &str) -> Result<RegistrationRow, AppError>,
) -> Result<HttpResponse, AppError> {
    let (p, reg) = one(state, slug, id).await?;
    let st = state.clone();
    let reg = blocking(move || f(&mut *st.pool.get()?, &reg.id)).await?;
    state.mail_signal.notify();
    Ok(HttpResponse::Ok().json(out(state, &p, reg).await?))
}

#[utoipa::path(post, path = "/api/v1/editions/{slug}/registrations/{id}/badge", tag = "registration",
    security(("bearer" = [])), params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, description = "A new badge: the old QR code is revoked, the new badge is emailed", body = RegistrationOut), (status = 404, body = ErrorBody)))]
pub async fn reissue(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    change(&state, path.into_inner(), super::reissue_badge).await
}

/// Which email to send again.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResendInput {
    /// `confirmation` (with the badge) or `manage_link`.
    pub kind: String,
}

#[utoipa::path(post, path = "/api/v1/editions/{slug}/registrations/{id}/resend", tag = "registration",
    request_body = ResendInput, security(("bearer" = [])), params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 202, description = "Queued: `{\"queued\": kind}`", body = Object, example = json!({"queued": "confirmation"})), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn resend(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let input: ResendInput = parse_body(&body)?;
    let kind = match MailKind::parse(&input.kind) {
        Some(k @ (MailKind::Confirmation | MailKind::ManageLink)) => k,
        _ => {
            return Err(AppError::Validation(vec![crate::error::FieldError {
                field: "kind".into(),
                code: "invalid_choice".into(),
                message: "choose confirmation or manage_link".into(),
            }]))
        }
    };
    let (_, reg) = one(&state, slug, id).await?;
    let st = state.clone();
    blocking(move || super::resend(&mut *st.pool.get()?, &reg.id, kind)).await?;
    state.mail_signal.notify();
    Ok(HttpResponse::Accepted().json(serde_json::json!({"queued": input.kind})))
}

#[utoipa::path(get, path = "/api/v1/editions/{slug}/registrations/{id}/personal-data", tag = "registration",
    security(("bearer" = [])), params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, description = "Everything stored about the person (JSON)", body = Object), (status = 404, body = ErrorBody)))]
pub async fn personal_data(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (_, reg) = one(&state, slug, id).await?;
    let st = state.clone();
    let data = blocking(move || super::personal_data(&mut *st.pool.get()?, &reg.id)).await?;
    Ok(HttpResponse::Ok().json(data))
}

#[utoipa::path(delete, path = "/api/v1/editions/{slug}/registrations/{id}/personal-data", tag = "registration",
    security(("bearer" = [])), params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 204, description = "Erased: identity removed, anonymous counts kept, seats given to the waiting list"), (status = 404, body = ErrorBody)))]
pub async fn erase(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (_, reg) = one(&state, slug, id).await?;
    let st = state.clone();
    blocking(move || {
        let mut conn = st.pool.get()?;
        super::erase(&mut conn, &reg.id)?;
        crate::mail::erase_copies(&mut conn, &st.settings, &reg.id)
    })
    .await?;
    state.mail_signal.notify();
    Ok(HttpResponse::NoContent().finish())
}

/// Registration settings as organisers see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingsOut {
    #[serde(serialize_with = "crate::rfc3339::utc_opt")]
    pub opens_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::rfc3339::utc_opt")]
    pub closes_at: Option<NaiveDateTime>,
    /// The window in force (defaults applied).
    #[serde(serialize_with = "crate::rfc3339::utc")]
    pub effective_opens_at: NaiveDateTime,
    #[serde(serialize_with = "crate::rfc3339::utc_opt")]
    pub effective_closes_at: Option<NaiveDateTime>,
    pub capacity: Option<i32>,
    pub confirmed: i32,
    pub privacy_notice: String,
    pub retention_days: i32,
}

fn settings_out(s: SettingsRow, p: &Programme) -> SettingsOut {
    let w = super::Window::of(&s, &p.edition, p.v.days.first().copied());
    SettingsOut {
        opens_at: s.opens_at,
        closes_at: s.closes_at,
        effective_opens_at: w.opens,
        effective_closes_at: (w.closes != NaiveDateTime::MAX).then_some(w.closes),
        capacity: s.capacity,
        confirmed: s.confirmed,
        privacy_notice: s.privacy_notice,
        retention_days: s.retention_days,
    }
}

#[utoipa::path(get, path = "/api/v1/editions/{slug}/registration-settings", tag = "registration",
    security(("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = SettingsOut), (status = 404, body = ErrorBody)))]
pub async fn get_settings(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let p = crate::app::programme(&state, slug.into_inner()).await?;
    let st = state.clone();
    let eid = p.edition.id.clone();
    let s = blocking(move || super::settings(&mut *st.pool.get()?, &eid)).await?;
    Ok(HttpResponse::Ok().json(settings_out(s, &p)))
}

#[utoipa::path(put, path = "/api/v1/editions/{slug}/registration-settings", tag = "registration",
    request_body = SettingsChange, security(("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = SettingsOut), (status = 422, body = ErrorBody)))]
pub async fn put_settings(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let change: SettingsChange = parse_body(&body)?;
    let p = crate::app::programme(&state, slug.into_inner()).await?;
    let st = state.clone();
    let eid = p.edition.id.clone();
    let lang = api_lang(&req);
    let s =
        blocking(move || super::update_settings(&mut *st.pool.get()?, &eid, &change, lang)).await?;
    state.mail_signal.notify();
    Ok(HttpResponse::Ok().json(settings_out(s, &p)))
}

/// The public key desks use to check badges offline.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BadgeKey {
    /// Always `Ed25519`.
    pub algorithm: String,
    /// Hex of the first 4 bytes of SHA-256 of the public key; the token's first 4 bytes.
    pub key_id: String,
    /// The 32-byte public key, base64url without padding.
    pub public_key: String,
    /// How a token is laid out.
    pub token_format: String,
}

#[utoipa::path(get, path = "/api/v1/editions/{slug}/badge-key", tag = "badges",
    params(("slug" = String, Path)),
    responses((status = 200, body = BadgeKey), (status = 404, body = ErrorBody)))]
pub async fn badge_key(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let p = crate::app::programme(&state, slug.into_inner()).await?;
    let st = state.clone();
    let eid = p.edition.id.clone();
    let s = blocking(move || super::settings(&mut *st.pool.get()?, &eid)).await?;
    Ok(HttpResponse::Ok().json(BadgeKey::of(s)))
}

impl BadgeKey {
    pub fn of(s: SettingsRow) -> BadgeKey {
        BadgeKey {
            algorithm: "Ed25519".into(),
            key_id: s.badge_key_id,
            public_key: s.badge_public_key,
            token_format: "\"RC1\" + base32 (RFC 4648, no padding) of 82 bytes: key id (4), registration reference (12), badge version (2, big-endian), Ed25519 signature (64) of \"rencontres-badge-v1\" followed by the first 18 bytes".into(),
        }
    }
}

/// A token as scanned.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VerifyInput {
    pub token: String,
}

/// What the desk learns.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VerifyOut {
    pub status: Verdict,
    /// The badge's name, for a genuine badge.
    pub name: Option<String>,
    pub category: Option<String>,
    pub organisation: Option<String>,
    /// The registration's status (`confirmed`, `waitlisted`, `cancelled`).
    pub registration_status: Option<String>,
    /// Slug of the edition the badge belongs to.
    pub edition: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/badges/verify", tag = "badges", request_body = VerifyInput,
    security(("bearer" = [])),
    responses((status = 200, body = VerifyOut), (status = 401, body = ErrorBody)))]
pub async fn verify(
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let input: VerifyInput = parse_body(&body)?;
    let st = state.clone();
    let (checked, slug) = blocking(move || {
        let mut conn = st.pool.get()?;
        let checked = badges::verify(&mut conn, &input.token)?;
        let slug = match &checked.edition_id {
            Some(id) => Some(crate::programme::edition_slug(&mut conn, id)?),
            None => None,
        };
        Ok((checked, slug))
    })
    .await?;
    let genuine = matches!(checked.verdict, Verdict::Valid | Verdict::Revoked);
    let reg = checked.registration.filter(|_| genuine);
    Ok(HttpResponse::Ok().json(VerifyOut {
        status: checked.verdict,
        name: reg.as_ref().map(|r| r.full_name()),
        category: reg.as_ref().map(|r| r.category.clone()),
        organisation: reg.as_ref().map(|r| r.organisation.clone()),
        registration_status: reg.as_ref().map(|r| r.status.clone()),
        edition: slug.filter(|_| genuine),
    }))
}
