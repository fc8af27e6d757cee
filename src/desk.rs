//! The welcome desk's page: volunteers scan badges with a handheld scanner or a phone's
//! camera, find people without a badge, and register walk-ins. The page talks to the
//! check-in API from the browser, and keeps working offline from a downloaded roster.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Serialize;

use crate::app::AppState;
use crate::auth::guard::Staff;
use crate::auth::Role;
use crate::error::blocking;
use crate::i18n::Lang;
use crate::programme::model::SessionKind;
use crate::registrations::model::{Civility, Function, OrganisationType, Status};
use crate::web::{render, OrPage, PageCtx, PageError};

const SCRIPT: &str = include_str!("../templates/static/desk.js");
const STYLESHEET: &str = include_str!("../templates/static/desk.css");
const JSQR: &str = include_str!("../templates/static/vendor/jsqr.js");
const NACL: &str = include_str!("../templates/static/vendor/nacl.js");
const SERVICE_WORKER: &str = include_str!("../templates/static/desk-sw.js");

/// Changes whenever the page's script or stylesheet does, so that browsers holding an
/// hour-long cached copy fetch the new one at once.
static ASSET_VERSION: LazyLock<String> = LazyLock::new(|| {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    hash.update(SCRIPT);
    hash.update(STYLESHEET);
    hash.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
});

/// Interface text the script shows; sent with the page in its language.
const SCRIPT_TEXT: &[&str] = &[
    "desk_online",
    "desk_offline",
    "desk_logged_out",
    "desk_queue_none",
    "desk_queue_one",
    "desk_queue_many",
    "desk_roster_info",
    "desk_roster_none",
    "desk_checking",
    "desk_welcome",
    "desk_reentry",
    "desk_reentry_detail",
    "desk_already",
    "desk_first_checkin",
    "desk_by",
    "desk_today",
    "desk_lunch_yes",
    "desk_lunch_no",
    "desk_undo",
    "desk_undone",
    "desk_ask_organiser",
    "desk_invalid",
    "desk_invalid_detail",
    "desk_unknown",
    "desk_unknown_detail",
    "desk_unknown_offline",
    "desk_revoked",
    "desk_revoked_detail",
    "desk_cancelled",
    "desk_cancelled_detail",
    "desk_waitlisted",
    "desk_waitlisted_detail",
    "desk_wrong_edition",
    "desk_wrong_edition_detail",
    "desk_wrong_day",
    "desk_wrong_day_detail",
    "desk_not_event_day",
    "desk_not_event_day_detail",
    "desk_unverified",
    "desk_unverified_detail",
    "desk_error",
    "desk_station_first",
    "desk_need_session",
    "desk_sync_title",
    "desk_sync_failed",
    "desk_conflict",
    "desk_dismiss",
    "desk_search_none",
    "desk_search_offline",
    "desk_checked_in_at",
    "desk_check_in",
    "desk_reprint",
    "desk_reprint_confirm",
    "desk_printing",
    "desk_badge_link",
    "desk_needs_connection",
    "desk_no_answer",
    "desk_edition_full",
    "desk_edition_full_organiser",
    "desk_check_fields",
    "desk_walkin_done",
    "desk_camera_denied",
    "desk_recent_empty",
    "desk_offline_mark",
    "desk_offline_kept",
];

fn script_text(lang: Lang) -> String {
    let mut text: BTreeMap<&str, &str> = SCRIPT_TEXT.iter().map(|k| (*k, lang.t(k))).collect();
    let statuses: Vec<(String, &str)> = Status::ALL
        .iter()
        .map(|s| (format!("status_{}", s.code()), s.label(lang)))
        .collect();
    text.extend(statuses.iter().map(|(k, v)| (k.as_str(), *v)));
    serde_json::to_string(&text).unwrap_or_else(|_| "{}".into())
}

fn asset(body: &'static str, content_type: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(body)
}

/// `GET /static/desk.js`
pub async fn script() -> HttpResponse {
    asset(SCRIPT, "text/javascript; charset=utf-8")
}

/// `GET /static/desk.css`
pub async fn stylesheet() -> HttpResponse {
    asset(STYLESHEET, "text/css; charset=utf-8")
}

/// `GET /static/vendor/jsqr.js`: decodes QR codes where the browser has no `BarcodeDetector`.
pub async fn jsqr() -> HttpResponse {
    asset(JSQR, "text/javascript; charset=utf-8")
}

/// `GET /static/vendor/nacl.js`: checks badge signatures offline.
pub async fn nacl() -> HttpResponse {
    asset(NACL, "text/javascript; charset=utf-8")
}

/// `GET /desk/sw.js`: keeps a copy of the desk pages for a reload while offline. Served
/// from `/desk/` so that it may look after the pages there, and never cached, so that a
/// new version reaches the desks at their next visit.
pub async fn service_worker() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(SERVICE_WORKER)
}

pub struct EditionLine {
    pub slug: String,
    pub title: String,
    pub year: i32,
    pub venue: String,
}

#[derive(Template)]
#[template(path = "pages/desk/index.html")]
struct IndexPage<'a> {
    ctx: &'a PageCtx,
    editions: Vec<EditionLine>,
}

/// `GET /desk`: the editions a desk can welcome.
pub async fn index(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let st = state.clone();
    let rows = blocking(move || crate::programme::list_editions(&mut *st.pool.get()?))
        .await
        .or_page(ctx.lang)?;
    let editions = rows
        .into_iter()
        .map(|e| EditionLine {
            slug: e.slug,
            title: e.title,
            year: e.year,
            venue: e.venue,
        })
        .collect();
    render(
        &ctx,
        &IndexPage {
            ctx: &ctx,
            editions,
        },
    )
}

/// A session a door can be scanning for.
#[derive(Serialize)]
pub struct SessionChoice {
    pub key: String,
    pub title: String,
    pub day: String,
    pub start: String,
    pub end: String,
    pub room: String,
}

/// The sessions of one day, for the session picker.
pub struct SessionDay {
    pub label: String,
    pub sessions: Vec<SessionChoice>,
}

#[derive(Template)]
#[template(path = "pages/desk/desk.html")]
struct DeskPage<'a> {
    ctx: &'a PageCtx,
    slug: String,
    title: String,
    timezone: String,
    dates: String,
    days_json: String,
    day_labels_json: String,
    sessions_json: String,
    session_days: Vec<SessionDay>,
    may_override: bool,
    strings_json: String,
    version: &'static str,
    civilities: Vec<(&'static str, &'static str)>,
    functions: Vec<(&'static str, &'static str)>,
    organisation_types: Vec<(&'static str, &'static str)>,
    /// Country names in the page's language, with their ISO code.
    countries: Vec<(&'static str, &'static str)>,
}

fn choices<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| (code(*v), label(*v))).collect()
}

/// `GET /desk/{slug}`: the desk itself.
pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Staff,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    let p = crate::app::programme(&state, slug.into_inner())
        .await
        .or_page(lang)?;
    let doc = p.doc();
    let days: Vec<String> = p.v.days.iter().map(|d| d.to_string()).collect();
    let day_labels: BTreeMap<String, String> =
        p.v.days
            .iter()
            .map(|d| (d.to_string(), crate::web::day_label(*d, lang)))
            .collect();
    let mut order: Vec<usize> = (0..p.v.sessions.len())
        .filter(|&i| p.v.sessions[i].kind != SessionKind::Break)
        .collect();
    order.sort_by_key(|&i| {
        (
            p.v.sessions[i].day,
            p.v.sessions[i].start,
            p.v.sessions[i].end,
        )
    });
    let mut session_days: Vec<SessionDay> = Vec::new();
    let mut all_sessions: Vec<&SessionChoice> = Vec::new();
    for i in order {
        let (s, v) = (&doc.sessions[i], &p.v.sessions[i]);
        let day = v.day.to_string();
        let choice = SessionChoice {
            key: s.key.clone(),
            title: s.title.clone(),
            day: day.clone(),
            start: v.start.format("%H:%M").to_string(),
            end: v.end.format("%H:%M").to_string(),
            room: v
                .room
                .map(|r| doc.rooms[r].name.clone())
                .unwrap_or_default(),
        };
        let label = day_labels.get(&day).cloned().unwrap_or(day);
        match session_days.last_mut() {
            Some(d) if d.label == label => d.sessions.push(choice),
            _ => session_days.push(SessionDay {
                label,
                sessions: vec![choice],
            }),
        }
    }
    for d in &session_days {
        all_sessions.extend(d.sessions.iter());
    }
    let mut countries: Vec<(&'static str, &'static str)> = crate::countries::COUNTRIES
        .iter()
        .map(|c| (c.name(lang), c.code))
        .collect();
    countries.sort_by_key(|(name, _)| crate::registrations::form::fold(name));
    let page = DeskPage {
        ctx: &ctx,
        slug: doc.edition.slug.clone(),
        title: doc.edition.title.clone(),
        timezone: p.edition.timezone.clone(),
        dates: crate::web::days_span(&p.v.days, lang),
        days_json: serde_json::to_string(&days).unwrap_or_default(),
        day_labels_json: serde_json::to_string(&day_labels).unwrap_or_default(),
        sessions_json: serde_json::to_string(&all_sessions).unwrap_or_default(),
        session_days,
        may_override: user.0.role.allows(Role::Organiser),
        strings_json: script_text(lang),
        version: ASSET_VERSION.as_str(),
        civilities: choices(Civility::ALL, Civility::code, |c| c.label(lang)),
        functions: choices(Function::ALL, Function::code, |c| c.label(lang)),
        organisation_types: choices(OrganisationType::ALL, OrganisationType::code, |c| {
            c.label(lang)
        }),
        countries,
    };
    let mut res = render(&ctx, &page)?;
    // The page carries the CSRF token; it must not be served from a shared cache.
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_has_all_its_text_in_both_languages() {
        for lang in Lang::ALL {
            for key in SCRIPT_TEXT {
                assert_ne!(lang.t(key), "??", "{key} in {lang:?}");
            }
        }
        // Every key the script looks up is sent to it.
        let sent: Vec<&str> = SCRIPT_TEXT.to_vec();
        for part in SCRIPT.split("tr('").skip(1) {
            let key = part.split('\'').next().unwrap_or_default();
            if !key.starts_with("status_") {
                assert!(sent.contains(&key), "desk.js uses {key} but it is not sent");
            }
        }
    }

    #[test]
    fn the_page_text_is_valid_json() {
        let v: serde_json::Value = serde_json::from_str(&script_text(Lang::En)).unwrap();
        assert_eq!(v["desk_welcome"], "Welcome");
        assert_eq!(v["status_waitlisted"], "Waiting list");
    }
}
