//! The desk's JSON endpoints: check-ins, undo, roster, search, walk-ins, re-printed badges,
//! conflicts. The desk page calls them with its login cookie, API clients with a token.

use std::sync::Arc;

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::roster::{self, local, PersonOut, RosterEdition, RosterOut, RosterSession};
use super::walkin::{self, WalkInInput};
use super::{method, CheckResult, Outcome, Reason, Scan, Subject};
use crate::app::AppState;
use crate::auth::guard::Staff;
use crate::auth::Role;
use crate::badges::{self, BadgeText};
use crate::error::{blocking, AppError, ErrorBody, FieldError, Text};
use crate::i18n::Lang;
use crate::programme::api::{api_lang, parse_body};
use crate::programme::Programme;
use crate::registrations::model::{RegistrationRow, Status};

/// One scan, as the desk sends it.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CheckinInput {
    /// What the badge's QR code holds.
    pub token: Option<String>,
    /// Instead of a token: a registration found by search.
    pub registration: Option<String>,
    /// Made by the desk for this scan (8–64 of `A–Z a–z 0–9 _ -`), the same on every retry.
    pub nonce: String,
    /// Which desk or door (1–40 characters).
    pub desk: String,
    /// The desk's edition (slug). Without it, the badge's own edition.
    pub edition: Option<String>,
    /// RFC 3339: when the scan was made, for scans sent late by an offline desk.
    pub scanned_at: Option<String>,
    /// Session mode: the key of the session whose door this is.
    pub session: Option<String>,
    /// Check in someone registered for another day of the edition.
    #[serde(rename = "override")]
    pub override_day: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FirstOut {
    /// RFC 3339 with the edition's offset.
    #[schema(format = DateTime)]
    pub at: String,
    pub desk: String,
    /// Who made it: the staff member's display name, never their address.
    pub by: Option<String>,
}

/// What the desk shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckinOut {
    pub result: CheckResult,
    pub reason: Reason,
    /// The verdict in words, in the request's language.
    pub message: String,
    pub day: NaiveDate,
    pub edition: String,
    pub session: Option<String>,
    /// The check-in made by this scan (day mode), to undo it.
    pub checkin_id: Option<String>,
    pub first_checkin: Option<FirstOut>,
    /// A late scan of a badge already used at another desk.
    pub conflict: bool,
    /// This nonce was seen before: the answer given then.
    pub replayed: bool,
    pub registration: Option<PersonOut>,
}

fn field(name: &str, code: &str, message: &str) -> FieldError {
    FieldError {
        field: name.into(),
        code: code.into(),
        message: message.into(),
    }
}

/// Nonce and desk name, checked before anything else.
fn check_scan_fields(nonce: &str, desk: &str, lang: Lang) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let nonce_ok = (8..=64).contains(&nonce.len())
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !nonce_ok {
        errors.push(field(
            "nonce",
            "invalid_nonce",
            lang.t("checkin_invalid_nonce"),
        ));
    }
    let desk = desk.trim();
    if desk.is_empty() || desk.chars().count() > 40 || desk.chars().any(char::is_control) {
        errors.push(field(
            "desk",
            "invalid_desk",
            lang.t("checkin_invalid_desk"),
        ));
    }
    errors
}

/// When a scan was made: its own time if given (never in the future), else now.
fn scan_time(
    given: Option<&str>,
    now: NaiveDateTime,
    lang: Lang,
) -> Result<NaiveDateTime, AppError> {
    let Some(s) = given.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(now);
    };
    let at = DateTime::parse_from_rfc3339(s).map_err(|_| {
        AppError::Validation(vec![field(
            "scanned_at",
            "invalid_time",
            lang.t("checkin_invalid_time"),
        )])
    })?;
    Ok(at.naive_utc().min(now))
}

fn timezone(p: &Programme) -> chrono_tz::Tz {
    p.edition
        .timezone
        .parse()
        .unwrap_or(chrono_tz::Europe::Paris)
}

/// The day of a UTC time in the edition's time zone.
pub fn local_day(p: &Programme, at: NaiveDateTime) -> NaiveDate {
    at.and_utc().with_timezone(&timezone(p)).date_naive()
}

async fn programme_by_id(
    state: &web::Data<AppState>,
    edition_id: String,
) -> Result<Arc<Programme>, AppError> {
    let st = state.clone();
    let slug =
        blocking(move || crate::programme::edition_slug(&mut *st.pool.get()?, &edition_id)).await?;
    crate::app::programme(state, slug).await
}

/// The token's subject and signing edition; the key is read from the database once.
async fn badge_subject(
    state: &web::Data<AppState>,
    token: String,
) -> Result<(Subject, Option<String>), AppError> {
    if let Some(found) = state.desk.subject_cached(&token) {
        return Ok(found);
    }
    let st = state.clone();
    blocking(move || st.desk.subject(&mut *st.pool.get()?, &token)).await
}

/// Turns the desk's request into a `Scan`, everything checked that can be before the write.
async fn prepare(
    state: &web::Data<AppState>,
    input: &CheckinInput,
    staff: &Staff,
    lang: Lang,
) -> Result<(Scan, Arc<Programme>), AppError> {
    let errors = check_scan_fields(&input.nonce, &input.desk, lang);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (subject, signed_by, how) = match (&input.token, &input.registration) {
        (Some(t), None) => {
            let (s, e) = badge_subject(state, t.clone()).await?;
            (s, e, method::SCAN)
        }
        (None, Some(id)) => (Subject::Registration(id.clone()), None, method::SEARCH),
        _ => {
            return Err(AppError::Validation(vec![field(
                "token",
                "required",
                lang.t("checkin_token_or_registration"),
            )]))
        }
    };
    let programme = match (&input.edition, signed_by) {
        (Some(slug), _) => crate::app::programme(state, slug.clone()).await?,
        (None, Some(edition_id)) => programme_by_id(state, edition_id).await?,
        (None, None) => {
            return Err(AppError::Validation(vec![field(
                "edition",
                "required",
                lang.t("checkin_edition_required"),
            )]))
        }
    };
    if let Some(key) = &input.session {
        if programme.session_index(key).is_none() {
            return Err(AppError::Validation(vec![field(
                "session",
                "unknown_session",
                &lang.tf("checkin_unknown_session", &[("key", key.as_str().into())]),
            )]));
        }
    }
    let received_at = crate::registrations::now();
    let scanned_at = scan_time(input.scanned_at.as_deref(), received_at, lang)?;
    // A scan's day falls near its edition, as the edition's own days do: a device clock
    // set to another century is refused rather than recorded.
    let day = local_day(&programme, scanned_at);
    if !crate::programme::document::day_in_year_window(day, programme.edition.year) {
        return Err(AppError::Validation(vec![field(
            "scanned_at",
            "date_out_of_range",
            lang.t("checkin_time_out_of_range"),
        )]));
    }
    let scan = Scan {
        nonce: input.nonce.clone(),
        subject_key: super::subject_key(input.token.as_deref(), input.registration.as_deref()),
        desk: input.desk.trim().to_string(),
        staff_id: Some(staff.0.id.clone()),
        edition_id: programme.edition.id.clone(),
        edition_days: Arc::new(programme.v.days.clone()),
        day,
        scanned_at,
        received_at,
        subject,
        session: input.session.clone(),
        override_day: input.override_day,
        method: how,
    };
    Ok((scan, programme))
}

fn hhmm(at: NaiveDateTime, p: &Programme) -> String {
    at.and_utc()
        .with_timezone(&timezone(p))
        .format("%H:%M")
        .to_string()
}

/// The verdict in words.
pub fn message(o: &Outcome, p: &Programme, lang: Lang) -> String {
    let name = o
        .registration
        .as_ref()
        .map(|r| r.first_name.clone())
        .unwrap_or_default();
    let first = o.first.as_ref();
    let session_title = o
        .session
        .as_ref()
        .and_then(|k| p.session_index(k))
        .map(|i| p.doc().sessions[i].title.clone())
        .unwrap_or_default();
    let first_time = first.map(|f| hhmm(f.at, p)).unwrap_or_default();
    let first_desk = first.map(|f| f.desk.clone()).unwrap_or_default();
    match (o.result, o.reason) {
        (CheckResult::CheckedIn, _) if o.session.is_some() => {
            lang.tf("verdict_entry", &[("session", session_title.into())])
        }
        (CheckResult::CheckedIn, _) => lang.tf("verdict_welcome", &[("name", name.into())]),
        (CheckResult::Already, _) if o.session.is_some() => lang.tf(
            "verdict_reentry",
            &[("time", first_time.into()), ("desk", first_desk.into())],
        ),
        (CheckResult::Already, _) => {
            let text = lang.tf(
                "verdict_already",
                &[("time", first_time.into()), ("desk", first_desk.into())],
            );
            if o.conflict {
                format!("{text} {}", lang.t("verdict_conflict"))
            } else {
                text
            }
        }
        (CheckResult::Invalid, Reason::Malformed) => lang.t("verdict_malformed").into(),
        (CheckResult::Invalid, Reason::Forged) => lang.t("verdict_forged").into(),
        (CheckResult::Invalid, Reason::Waitlisted) => lang.t("verdict_waitlisted").into(),
        (CheckResult::Invalid, _) => lang.t("verdict_unknown").into(),
        (CheckResult::Revoked, _) => lang.t("verdict_revoked").into(),
        (CheckResult::Cancelled, _) => lang.t("verdict_cancelled").into(),
        (CheckResult::WrongDay, Reason::NotRegisteredDay) => {
            let days: Vec<String> = o
                .registration
                .as_ref()
                .map(|r| r.days())
                .unwrap_or_default()
                .into_iter()
                .map(|d| crate::web::day_label(d, lang))
                .collect();
            lang.tf("verdict_wrong_day", &[("days", days.join(", ").into())])
        }
        (CheckResult::WrongDay, _) => lang.t("verdict_not_event_day").into(),
        (CheckResult::WrongEdition, _) => lang.t("verdict_wrong_edition").into(),
    }
}

pub fn outcome_out(o: Outcome, p: &Programme, lang: Lang) -> CheckinOut {
    let tz = timezone(p);
    CheckinOut {
        message: message(&o, p, lang),
        result: o.result,
        reason: o.reason,
        day: o.day,
        edition: p.edition.slug.clone(),
        session: o.session,
        checkin_id: o.checkin_id.filter(|_| o.result == CheckResult::CheckedIn),
        first_checkin: o.first.map(|f| FirstOut {
            at: local(f.at, tz),
            desk: f.desk,
            by: f.by,
        }),
        conflict: o.conflict,
        replayed: o.replayed,
        registration: o
            .registration
            .as_ref()
            .map(|r| roster::person(r, lang, Default::default())),
    }
}

#[utoipa::path(post, path = "/api/v1/checkins", tag = "desk", request_body = CheckinInput,
    security(("bearer" = [])),
    responses((status = 200, body = CheckinOut), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
/// Records a scan (or a person found by search). Idempotent per nonce.
pub async fn checkin(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: Staff,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let lang = api_lang(&req);
    let input: CheckinInput = parse_body(&body)?;
    let (scan, programme) = prepare(&state, &input, &staff, lang).await?;
    let outcome = state.desk.record(scan).await?;
    Ok(HttpResponse::Ok().json(outcome_out(outcome, &programme, lang)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct DeskInput {
    /// Which desk does it.
    pub desk: String,
}

#[utoipa::path(post, path = "/api/v1/checkins/{id}/undo", tag = "desk", request_body = DeskInput,
    security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, description = "Undone: `{\"undone\": true}`", body = Object, example = json!({"undone": true})), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
/// Undoes a mistaken check-in (logged with who and where).
pub async fn undo(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let input: DeskInput = if body.is_empty() {
        DeskInput::default()
    } else {
        parse_body(&body)?
    };
    let id = path.into_inner();
    let st = state.clone();
    blocking(move || {
        super::undo(
            &mut *st.pool.get()?,
            &id,
            Some(&staff.0.id),
            input.desk.trim(),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"undone": true})))
}

#[utoipa::path(get, path = "/api/v1/desk/{slug}/roster", tag = "desk", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = RosterOut)))]
/// Everyone registered, with the badge key: what a desk needs to keep working offline.
pub async fn get_roster(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let lang = api_lang(&req);
    let p = crate::app::programme(&state, path.into_inner()).await?;
    let st = state.clone();
    let (eid, tz) = (p.edition.id.clone(), timezone(&p));
    let (settings, people) = blocking(move || {
        let mut conn = st.pool.get()?;
        let s = crate::registrations::settings(&mut conn, &eid)?;
        Ok((s, roster::roster(&mut conn, &eid, tz, lang)?))
    })
    .await?;
    let sessions = p
        .doc()
        .sessions
        .iter()
        .zip(&p.v.sessions)
        .filter(|(_, v)| v.kind != crate::programme::model::SessionKind::Break)
        .map(|(s, v)| RosterSession {
            key: s.key.clone(),
            title: s.title.clone(),
            day: v.day,
            starts_at: s.start.clone(),
            ends_at: s.end.clone(),
            room: s.room.clone(),
        })
        .collect();
    let out = RosterOut {
        edition: RosterEdition {
            slug: p.edition.slug.clone(),
            title: p.edition.title.clone(),
            timezone: p.edition.timezone.clone(),
            days: p.v.days.clone(),
        },
        key: crate::registrations::api::BadgeKey::of(settings),
        sessions,
        generated_at: local(crate::registrations::now(), tz),
        people,
    };
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(out))
}

/// The search's query string; anything else in it is refused.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words of the name or organisation, in any order; accents and case ignored.
    #[serde(default)]
    pub q: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchOut {
    pub results: Vec<PersonOut>,
}

#[utoipa::path(get, path = "/api/v1/desk/{slug}/search", tag = "desk", security(("bearer" = [])),
    params(("slug" = String, Path), SearchQuery), responses((status = 200, body = SearchOut)))]
/// People whose name or organisation matches, accents and case ignored.
pub async fn search(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = api_lang(&req);
    let p = crate::app::programme(&state, path.into_inner()).await?;
    let st = state.clone();
    let (eid, tz, q) = (p.edition.id.clone(), timezone(&p), query.into_inner().q);
    let results =
        blocking(move || roster::search(&mut *st.pool.get()?, &eid, &q, tz, lang)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(SearchOut { results }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WalkInOut {
    pub registration: PersonOut,
    pub checkin: CheckinOut,
    /// The badge to print.
    pub badge_url: String,
}

fn badge_url(slug: &str, reg: &RegistrationRow) -> String {
    format!(
        "/api/v1/desk/{slug}/registrations/{}/badge.pdf?v={}",
        reg.id, reg.badge_version
    )
}

#[utoipa::path(post, path = "/api/v1/desk/{slug}/walk-ins", tag = "desk", request_body = WalkInInput,
    security(("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 201, body = WalkInOut), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
/// Registers someone on the spot and checks them in.
pub async fn walk_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let lang = api_lang(&req);
    let input: WalkInInput = parse_body(&body)?;
    if input.override_capacity && !staff.0.role.allows(Role::Organiser) {
        return Err(AppError::Forbidden);
    }
    let slug = path.into_inner();
    let probe = CheckinInput {
        registration: Some(String::new()),
        nonce: input.nonce.clone(),
        desk: input.desk.clone(),
        edition: Some(slug.clone()),
        scanned_at: input.scanned_at.clone(),
        ..CheckinInput::default()
    };
    let (mut scan, p) = prepare(&state, &probe, &staff, lang).await?;
    scan.method = method::WALK_IN;
    let st = state.clone();
    let p2 = p.clone();
    let (reg, outcome) = blocking(move || {
        walkin::register_and_check_in(&mut *st.pool.get()?, &p2, &input, scan, lang)
    })
    .await?;
    state.mail_signal.notify();
    Ok(HttpResponse::Created().json(WalkInOut {
        registration: roster::person(&reg, lang, Default::default()),
        badge_url: badge_url(&slug, &reg),
        checkin: outcome_out(outcome, &p, lang),
    }))
}

/// A registration of this edition.
async fn registration_of(
    state: &web::Data<AppState>,
    slug: String,
    id: String,
) -> Result<(Arc<Programme>, RegistrationRow), AppError> {
    let p = crate::app::programme(state, slug).await?;
    let st = state.clone();
    let reg = blocking(move || crate::registrations::get(&mut *st.pool.get()?, &id)).await?;
    if reg.edition_id != p.edition.id || reg.is_erased() {
        return Err(AppError::NotFound);
    }
    Ok((p, reg))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReprintOut {
    pub badge_url: String,
    pub version: i32,
}

#[utoipa::path(post, path = "/api/v1/desk/{slug}/registrations/{id}/reprint", tag = "desk",
    request_body = DeskInput, security(("bearer" = [])), params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = ReprintOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
/// Re-issues a lost badge: the old QR code becomes `revoked`.
pub async fn reprint(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let input: DeskInput = if body.is_empty() {
        DeskInput::default()
    } else {
        parse_body(&body)?
    };
    let (slug, id) = path.into_inner();
    let (_, reg) = registration_of(&state, slug.clone(), id).await?;
    let st = state.clone();
    let reg = blocking(move || {
        let mut conn = st.pool.get()?;
        let reg = crate::registrations::reissue_badge(&mut conn, &reg.id)?;
        super::log(
            &mut conn,
            &reg.edition_id,
            Some(&reg.id),
            Some(&staff.0.id),
            input.desk.trim(),
            "reprint",
            &format!("badge version {}", reg.badge_version),
        )?;
        Ok(reg)
    })
    .await?;
    state.mail_signal.notify();
    Ok(HttpResponse::Ok().json(ReprintOut {
        badge_url: badge_url(&slug, &reg),
        version: reg.badge_version,
    }))
}

#[utoipa::path(get, path = "/api/v1/desk/{slug}/registrations/{id}/badge.pdf", tag = "desk",
    security(("bearer" = [])), params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 200, description = "The A6 badge", content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
/// The badge to print at the desk. It may be framed by the desk page, to print it there.
pub async fn badge_pdf(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (p, reg) = registration_of(&state, slug, id).await?;
    if reg.status() != Status::Confirmed {
        return Err(AppError::InUse(Text::new("in_use_badge_needs_confirmed")));
    }
    let st = state.clone();
    let eid = p.edition.id.clone();
    let settings =
        blocking(move || crate::registrations::settings(&mut *st.pool.get()?, &eid)).await?;
    let text = BadgeText::new(&p, &settings, &reg, reg.lang())?;
    let mut res =
        crate::registrations::web::pdf_response(badges::pdf::badge(&text.face()), "badge.pdf");
    res.headers_mut().insert(
        actix_web::http::header::X_FRAME_OPTIONS,
        actix_web::http::header::HeaderValue::from_static("SAMEORIGIN"),
    );
    res.headers_mut().insert(
        actix_web::http::header::CONTENT_SECURITY_POLICY,
        actix_web::http::header::HeaderValue::from_static("frame-ancestors 'self'"),
    );
    Ok(res)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictOut {
    /// When the late scan was made (RFC 3339 with the edition's offset).
    #[schema(format = DateTime)]
    pub at: String,
    pub desk: String,
    pub name: Option<String>,
    pub registration: Option<String>,
    pub first_checkin: Option<FirstOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictsOut {
    pub conflicts: Vec<ConflictOut>,
}

#[utoipa::path(get, path = "/api/v1/desk/{slug}/conflicts", tag = "desk", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = ConflictsOut)))]
/// Badges used at two desks while offline.
pub async fn conflicts(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let p = crate::app::programme(&state, path.into_inner()).await?;
    let st = state.clone();
    let eid = p.edition.id.clone();
    let list = blocking(move || super::conflicts(&mut *st.pool.get()?, &eid)).await?;
    let tz = timezone(&p);
    Ok(HttpResponse::Ok().json(ConflictsOut {
        conflicts: list
            .into_iter()
            .map(|c| ConflictOut {
                at: local(c.scanned_at, tz),
                desk: c.desk,
                name: c.registration.as_ref().map(|r| r.full_name()),
                registration: c.registration.map(|r| r.id),
                first_checkin: c.first.map(|f| FirstOut {
                    at: local(f.at, tz),
                    desk: f.desk,
                    by: None,
                }),
            })
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_fields_are_checked_in_words() {
        assert!(check_scan_fields("0123456789abcdef", "Accueil 1", Lang::Fr).is_empty());
        let e = check_scan_fields("short", " ", Lang::En);
        let codes: Vec<&str> = e.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["invalid_nonce", "invalid_desk"]);
        assert_eq!(check_scan_fields("abc$defgh", "A", Lang::Fr).len(), 1);
    }

    #[test]
    fn a_scan_time_is_never_in_the_future() {
        let now = NaiveDate::from_ymd_opt(2030, 9, 16)
            .unwrap()
            .and_hms_opt(7, 0, 0)
            .unwrap();
        let past = scan_time(Some("2030-09-16T08:14:00+02:00"), now, Lang::Fr).unwrap();
        assert_eq!(past.format("%H:%M").to_string(), "06:14");
        let future = scan_time(Some("2030-09-16T12:00:00+02:00"), now, Lang::Fr).unwrap();
        assert_eq!(future, now);
        assert_eq!(scan_time(None, now, Lang::Fr).unwrap(), now);
        assert!(scan_time(Some("tomorrow"), now, Lang::Fr).is_err());
    }
}
