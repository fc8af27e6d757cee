//! Organiser pages: editions, rooms, people, sessions and the schedule grid. Each form
//! change goes through `programme::edit`, so the pages apply exactly the API's rules.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::conflicts::Conflict;
use super::document::{EditionDoc, PersonDoc, RoomDoc, SessionDoc, SessionPersonDoc};
use super::model::{PersonRole, SessionKind};
use super::{Programme, Refusal};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::error::{blocking, AppError};
use crate::i18n::Lang;
use crate::web::{day_label, redirect, render, OrPage, PageCtx, PageError};

/// What a form shows after a refused save: messages per field, and conflicts to confirm.
#[derive(Default)]
pub struct FormState {
    pub errors: Vec<(String, String)>,
    pub conflicts: Vec<String>,
    pub saved: bool,
}

impl FormState {
    /// The message for a field (the last segment of a document path), or "".
    pub fn e(&self, field: &str) -> &str {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .unwrap_or("")
    }

    fn from_refusal(r: Refusal, lang: Lang) -> Result<Self, PageError> {
        match r {
            Refusal::Problems(problems) => Ok(FormState {
                errors: problems
                    .iter()
                    .map(|p| {
                        let field = p.path.rsplit('.').next().unwrap_or(&p.path);
                        let field = field.split('[').next().unwrap_or(field);
                        (field.to_string(), p.message(lang).to_string())
                    })
                    .collect(),
                ..Default::default()
            }),
            Refusal::Conflicts(c) => Ok(FormState {
                conflicts: c.iter().map(|x| x.message(lang).to_string()).collect(),
                ..Default::default()
            }),
            Refusal::Other(AppError::Stale) => Ok(FormState {
                errors: vec![(String::new(), lang.t("stale").to_string())],
                ..Default::default()
            }),
            Refusal::Other(AppError::InUse(m)) => Ok(FormState {
                errors: vec![(String::new(), m)],
                ..Default::default()
            }),
            Refusal::Other(e) => Err(PageError::new(e, lang)),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    day: String,
}

async fn load(
    state: &web::Data<AppState>,
    slug: String,
    lang: Lang,
) -> Result<Arc<Programme>, PageError> {
    crate::app::programme(state, slug).await.or_page(lang)
}

/// Applies a change to an edition's document; `Ok(Err(state))` when the form must be shown
/// again with its problems.
async fn change<F>(
    state: &web::Data<AppState>,
    slug: &str,
    force: bool,
    lang: Lang,
    f: F,
) -> Result<Result<String, FormState>, PageError>
where
    F: FnOnce(&mut super::edits::Draft) -> Result<(), AppError> + Send + 'static,
{
    let st = state.clone();
    let slug = slug.to_string();
    let result = web::block(move || -> Result<super::Outcome, Refusal> {
        let mut conn = st.pool.get().map_err(AppError::from)?;
        super::edit(&mut conn, &slug, force, f)
    })
    .await
    .map_err(|e| PageError::new(AppError::internal(e), lang))?;
    match result {
        Ok(outcome) => {
            state.programmes.changed();
            Ok(Ok(outcome.slug))
        }
        Err(r) => Ok(Err(FormState::from_refusal(r, lang)?)),
    }
}

// ---- Dashboard and editions ----

pub struct EditionLine {
    pub slug: String,
    pub number: i32,
    pub year: i32,
    pub title: String,
}

#[derive(Template)]
#[template(path = "pages/admin/dashboard.html")]
struct Dashboard<'a> {
    ctx: &'a PageCtx,
    editions: Vec<EditionLine>,
}

pub async fn dashboard(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let st = state.clone();
    let rows = blocking(move || super::list_editions(&mut *st.pool.get()?))
        .await
        .or_page(ctx.lang)?;
    let editions = rows
        .into_iter()
        .map(|e| EditionLine {
            slug: e.slug,
            number: e.number,
            year: e.year,
            title: e.title,
        })
        .collect();
    render(
        &ctx,
        &Dashboard {
            ctx: &ctx,
            editions,
        },
    )
}

#[derive(Deserialize, Default, Clone)]
pub struct EditionForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    venue: String,
    #[serde(default)]
    timezone: String,
    #[serde(default)]
    days: String,
    /// Fingerprint of the edition as the form showed it.
    #[serde(default)]
    seen: String,
    #[serde(default)]
    force: Option<String>,
}

impl EditionForm {
    fn from_doc(e: &EditionDoc) -> Self {
        EditionForm {
            seen: super::edits::fingerprint(e),
            force: None,
            slug: e.slug.clone(),
            number: e.number.to_string(),
            year: e.year.to_string(),
            title: e.title.clone(),
            theme: e.theme.clone(),
            venue: e.venue.clone(),
            timezone: e.timezone.clone(),
            days: e.days.join(", "),
        }
    }

    fn to_doc(&self) -> EditionDoc {
        EditionDoc {
            slug: self.slug.trim().to_string(),
            // An unreadable number becomes 0, which validation reports in words.
            number: self.number.trim().parse().unwrap_or(0),
            year: self.year.trim().parse().unwrap_or(0),
            title: self.title.clone(),
            theme: self.theme.clone(),
            venue: self.venue.clone(),
            timezone: if self.timezone.trim().is_empty() {
                "Europe/Paris".into()
            } else {
                self.timezone.trim().to_string()
            },
            days: split_list(&self.days, &[',', ' ', '\n']),
        }
    }
}

fn split_list(s: &str, separators: &[char]) -> Vec<String> {
    s.split(|c| separators.contains(&c))
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

#[derive(Template)]
#[template(path = "pages/admin/edition.html")]
struct EditionPage<'a> {
    ctx: &'a PageCtx,
    slug: String,
    tab: &'static str,
    is_new: bool,
    f: EditionForm,
    state: FormState,
}

pub async fn new_edition(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let f = EditionForm {
        timezone: "Europe/Paris".into(),
        ..Default::default()
    };
    render(
        &ctx,
        &EditionPage {
            ctx: &ctx,
            slug: String::new(),
            tab: "edition",
            is_new: true,
            f,
            state: FormState::default(),
        },
    )
}

pub async fn create_edition(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<EditionForm>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let f = form.0;
    let doc = f.to_doc();
    let st = state.clone();
    let result = web::block(move || -> Result<super::Outcome, Refusal> {
        super::create_edition(&mut *st.pool.get().map_err(AppError::from)?, doc)
    })
    .await
    .map_err(|e| PageError::new(AppError::internal(e), ctx.lang))?;
    match result {
        Ok(o) => {
            state.programmes.changed();
            Ok(redirect(&format!("/admin/editions/{}?saved=1", o.slug)))
        }
        Err(Refusal::Other(AppError::AlreadyExists(m))) => {
            let state = FormState {
                errors: vec![("slug".into(), m)],
                ..Default::default()
            };
            render(
                &ctx,
                &EditionPage {
                    ctx: &ctx,
                    slug: String::new(),
                    tab: "edition",
                    is_new: true,
                    f,
                    state,
                },
            )
        }
        Err(r) => {
            let state = FormState::from_refusal(r, ctx.lang)?;
            render(
                &ctx,
                &EditionPage {
                    ctx: &ctx,
                    slug: String::new(),
                    tab: "edition",
                    is_new: true,
                    f,
                    state,
                },
            )
        }
    }
}

pub async fn edition(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    q: web::Query<Saved>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let p = load(&state, slug.into_inner(), ctx.lang).await?;
    let page = EditionPage {
        ctx: &ctx,
        slug: p.doc().edition.slug.clone(),
        tab: "edition",
        is_new: false,
        f: EditionForm::from_doc(&p.doc().edition),
        state: FormState {
            saved: q.saved.is_some(),
            ..Default::default()
        },
    };
    render(&ctx, &page)
}

pub async fn update_edition(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    form: CsrfForm<EditionForm>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let slug = slug.into_inner();
    let f = form.0;
    let new = f.to_doc();
    let seen = f.seen.clone();
    match change(&state, &slug, f.force.is_some(), ctx.lang, move |doc| {
        super::edits::ensure_unchanged(Some(&doc.edition), &seen)?;
        doc.edition = new;
        Ok(())
    })
    .await?
    {
        Ok(new_slug) => Ok(redirect(&format!("/admin/editions/{new_slug}?saved=1"))),
        Err(st) => render(
            &ctx,
            &EditionPage {
                ctx: &ctx,
                slug,
                tab: "edition",
                is_new: false,
                f,
                state: st,
            },
        ),
    }
}

pub async fn export(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let p = load(&state, slug.into_inner(), lang).await?;
    let body = serde_json::to_string_pretty(p.doc())
        .map_err(|e| PageError::new(AppError::internal(e), lang))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.json\"", p.doc().edition.slug),
        ))
        .body(body))
}

// ---- Rooms ----

pub struct RoomLine {
    pub key: String,
    pub name: String,
    pub capacity: i32,
    pub sessions: usize,
    pub seen: String,
}

#[derive(Template)]
#[template(path = "pages/admin/rooms.html")]
struct RoomsPage<'a> {
    ctx: &'a PageCtx,
    slug: String,
    tab: &'static str,
    rooms: Vec<RoomLine>,
    f: RoomForm,
    /// Where the lower form posts: a new room, or the room whose change was refused.
    target: String,
    editing: String,
    state: FormState,
}

#[derive(Deserialize, Default, Clone)]
pub struct RoomForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    seen: String,
    #[serde(default)]
    force: Option<String>,
}

impl RoomForm {
    fn to_doc(&self) -> RoomDoc {
        RoomDoc {
            key: self.key.trim().to_string(),
            name: self.name.clone(),
            capacity: self.capacity.trim().parse().unwrap_or(-1),
        }
    }
}

fn room_lines(p: &Programme) -> Vec<RoomLine> {
    p.doc()
        .rooms
        .iter()
        .enumerate()
        .map(|(i, r)| RoomLine {
            key: r.key.clone(),
            name: r.name.clone(),
            capacity: r.capacity,
            seen: super::edits::fingerprint(r),
            sessions: p.v.sessions.iter().filter(|s| s.room == Some(i)).count(),
        })
        .collect()
}

async fn rooms_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    slug: String,
    editing: Option<String>,
    f: RoomForm,
    form_state: FormState,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(req, state.settings.server.cookie_secure);
    let p = load(state, slug, ctx.lang).await?;
    let target = match &editing {
        Some(key) => format!("/admin/editions/{}/rooms/{key}", p.doc().edition.slug),
        None => format!("/admin/editions/{}/rooms", p.doc().edition.slug),
    };
    render(
        &ctx,
        &RoomsPage {
            ctx: &ctx,
            slug: p.doc().edition.slug.clone(),
            tab: "rooms",
            rooms: room_lines(&p),
            f,
            target,
            editing: editing.unwrap_or_default(),
            state: form_state,
        },
    )
}

pub async fn rooms(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    q: web::Query<Saved>,
) -> Result<HttpResponse, PageError> {
    let st = FormState {
        saved: q.saved.is_some(),
        ..Default::default()
    };
    rooms_page(
        &req,
        &state,
        slug.into_inner(),
        None,
        RoomForm::default(),
        st,
    )
    .await
}

/// Adds a room (`key` None) or changes one.
async fn save_room(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: String,
    key: Option<String>,
    f: RoomForm,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let room = f.to_doc();
    let force = f.force.is_some();
    let (original, seen) = (key.clone(), f.seen.clone());
    let result = change(&state, &slug, force, lang, move |doc| {
        if let Some(key) = &original {
            super::edits::ensure_unchanged(doc.rooms.iter().find(|r| &r.key == key), &seen)?;
        }
        doc.put_room(original.as_deref(), room)
    })
    .await?;
    match result {
        Ok(slug) => Ok(redirect(&format!("/admin/editions/{slug}/rooms?saved=1"))),
        Err(st) => rooms_page(&req, &state, slug, key, f, st).await,
    }
}

pub async fn add_room(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    form: CsrfForm<RoomForm>,
) -> Result<HttpResponse, PageError> {
    save_room(req, state, slug.into_inner(), None, form.0).await
}

pub async fn update_room(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CsrfForm<RoomForm>,
) -> Result<HttpResponse, PageError> {
    let (slug, key) = path.into_inner();
    save_room(req, state, slug, Some(key), form.0).await
}

pub async fn delete_room(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: CsrfForm<crate::auth::web::Empty>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let (slug, key) = path.into_inner();
    let result = change(&state, &slug, false, lang, move |doc| {
        doc.remove_room(&key, lang)
    })
    .await?;
    match result {
        Ok(slug) => Ok(redirect(&format!("/admin/editions/{slug}/rooms?saved=1"))),
        Err(st) => rooms_page(&req, &state, slug, None, RoomForm::default(), st).await,
    }
}

// ---- People ----

pub struct PersonLine {
    pub key: String,
    pub name: String,
    pub detail: String,
    pub country: String,
    pub sessions: usize,
}

#[derive(Template)]
#[template(path = "pages/admin/people.html")]
struct PeoplePage<'a> {
    ctx: &'a PageCtx,
    slug: String,
    tab: &'static str,
    people: Vec<PersonLine>,
    state: FormState,
}

pub async fn people(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    q: web::Query<Saved>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let p = load(&state, slug.into_inner(), ctx.lang).await?;
    let people = p
        .doc()
        .people
        .iter()
        .enumerate()
        .map(|(i, x)| PersonLine {
            key: x.key.clone(),
            name: x.name.clone(),
            detail: [x.function.as_str(), x.organisation.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            country: x.country.clone(),
            sessions: p
                .v
                .sessions
                .iter()
                .filter(|s| s.people.iter().any(|(w, _)| *w == i))
                .count(),
        })
        .collect();
    let st = FormState {
        saved: q.saved.is_some(),
        ..Default::default()
    };
    render(
        &ctx,
        &PeoplePage {
            ctx: &ctx,
            slug: p.doc().edition.slug.clone(),
            tab: "people",
            people,
            state: st,
        },
    )
}

#[derive(Deserialize, Default, Clone)]
pub struct PersonForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    function: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    seen: String,
    #[serde(default)]
    force: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/admin/person.html")]
struct PersonPage<'a> {
    ctx: &'a PageCtx,
    slug: String,
    tab: &'static str,
    original: String,
    f: PersonForm,
    countries: &'static [crate::countries::Country],
    state: FormState,
}

fn person_page(
    ctx: &PageCtx,
    slug: String,
    original: String,
    f: PersonForm,
    state: FormState,
) -> Result<HttpResponse, PageError> {
    render(
        ctx,
        &PersonPage {
            ctx,
            slug,
            tab: "people",
            original,
            f,
            countries: crate::countries::COUNTRIES,
            state,
        },
    )
}

pub async fn new_person(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let f = PersonForm {
        country: "FR".into(),
        ..Default::default()
    };
    person_page(
        &ctx,
        slug.into_inner(),
        String::new(),
        f,
        FormState::default(),
    )
}

pub async fn person(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let (slug, key) = path.into_inner();
    let p = load(&state, slug.clone(), ctx.lang).await?;
    let x = p
        .person_index(&key)
        .ok_or(AppError::NotFound)
        .or_page(ctx.lang)?;
    let d = &p.doc().people[x];
    let f = PersonForm {
        key: d.key.clone(),
        name: d.name.clone(),
        function: d.function.clone(),
        organisation: d.organisation.clone(),
        country: d.country.clone(),
        seen: super::edits::fingerprint(d),
        force: None,
    };
    person_page(&ctx, slug, key, f, FormState::default())
}

async fn save_person(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: String,
    original: Option<String>,
    f: PersonForm,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let person = PersonDoc {
        key: f.key.trim().to_string(),
        name: f.name.clone(),
        function: f.function.clone(),
        organisation: f.organisation.clone(),
        country: f.country.trim().to_uppercase(),
    };
    let key = original.clone();
    let seen = f.seen.clone();
    let result = change(&state, &slug, f.force.is_some(), ctx.lang, move |doc| {
        if let Some(key) = &key {
            super::edits::ensure_unchanged(doc.people.iter().find(|x| &x.key == key), &seen)?;
        }
        doc.put_person(key.as_deref(), person)
    })
    .await?;
    match result {
        Ok(slug) => Ok(redirect(&format!("/admin/editions/{slug}/people?saved=1"))),
        Err(st) => person_page(&ctx, slug, original.unwrap_or_default(), f, st),
    }
}

pub async fn add_person(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    form: CsrfForm<PersonForm>,
) -> Result<HttpResponse, PageError> {
    save_person(req, state, slug.into_inner(), None, form.0).await
}

pub async fn update_person(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CsrfForm<PersonForm>,
) -> Result<HttpResponse, PageError> {
    let (slug, key) = path.into_inner();
    save_person(req, state, slug, Some(key), form.0).await
}

pub async fn delete_person(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: CsrfForm<crate::auth::web::Empty>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let (slug, key) = path.into_inner();
    let result = change(&state, &slug, false, lang, move |doc| {
        doc.remove_person(&key)
    })
    .await?;
    match result {
        Ok(slug) => Ok(redirect(&format!("/admin/editions/{slug}/people?saved=1"))),
        Err(_) => Err(PageError::new(
            AppError::BadRequest("person could not be removed".into()),
            lang,
        )),
    }
}

// ---- Sessions ----

pub struct SessionLine {
    pub key: String,
    pub title: String,
    pub day: String,
    pub time: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub room: String,
    pub people: usize,
    pub conflicts: Vec<String>,
}

#[derive(Template)]
#[template(path = "pages/admin/sessions.html")]
struct SessionsPage<'a> {
    ctx: &'a PageCtx,
    slug: String,
    tab: &'static str,
    sessions: Vec<SessionLine>,
    conflicts: Vec<String>,
    state: FormState,
}

fn conflicts_of<'a>(
    all: &'a [Conflict],
    key: &'a str,
    lang: Lang,
) -> impl Iterator<Item = String> + 'a {
    all.iter()
        .filter(move |c| c.involves(key))
        .map(move |c| c.message(lang).to_string())
}

pub async fn sessions(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    q: web::Query<Saved>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    let p = load(&state, slug.into_inner(), lang).await?;
    let mut order: Vec<usize> = (0..p.v.sessions.len()).collect();
    order.sort_by_key(|&i| (p.v.sessions[i].starts_at, i));
    let sessions = order
        .into_iter()
        .map(|i| {
            let (s, vs) = (&p.doc().sessions[i], &p.v.sessions[i]);
            SessionLine {
                key: s.key.clone(),
                title: s.title.clone(),
                day: day_label(vs.day, lang),
                time: format!("{}–{}", s.start, s.end),
                kind: vs.kind.code(),
                kind_label: vs.kind.label(lang),
                room: vs
                    .room
                    .map(|r| p.doc().rooms[r].name.clone())
                    .unwrap_or_default(),
                people: vs.people.len(),
                conflicts: conflicts_of(&p.conflicts, &s.key, lang).collect(),
            }
        })
        .collect();
    let page = SessionsPage {
        ctx: &ctx,
        slug: p.doc().edition.slug.clone(),
        tab: "sessions",
        sessions,
        conflicts: p
            .conflicts
            .iter()
            .map(|c| c.message(lang).to_string())
            .collect(),
        state: FormState {
            saved: q.saved.is_some(),
            ..Default::default()
        },
    };
    render(&ctx, &page)
}

/// The session form, flat: people rows are `person_N` / `role_N`.
#[derive(Default, Clone)]
pub struct SessionForm {
    pub key: String,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub day: String,
    pub start: String,
    pub end: String,
    pub room: String,
    pub languages: String,
    pub partners: String,
    pub capacity: String,
    pub people: Vec<(String, String)>,
    pub seen: String,
}

const EMPTY_PEOPLE_ROWS: usize = 3;

impl SessionForm {
    fn from_doc(s: &SessionDoc) -> Self {
        SessionForm {
            key: s.key.clone(),
            kind: s.kind.clone(),
            title: s.title.clone(),
            summary: s.summary.clone(),
            day: s.day.clone(),
            start: s.start.clone(),
            end: s.end.clone(),
            room: s.room.clone().unwrap_or_default(),
            languages: s.languages.join(", "),
            partners: s.partners.join("\n"),
            capacity: s.capacity.map(|c| c.to_string()).unwrap_or_default(),
            people: s
                .people
                .iter()
                .map(|p| (p.person.clone(), p.role.clone()))
                .collect(),
            seen: super::edits::fingerprint(s),
        }
    }

    fn from_fields(f: &HashMap<String, String>) -> Self {
        let get = |k: &str| f.get(k).cloned().unwrap_or_default();
        let mut people = Vec::new();
        for n in 0..200 {
            let (Some(person), Some(role)) =
                (f.get(&format!("person_{n}")), f.get(&format!("role_{n}")))
            else {
                break;
            };
            if !person.is_empty() {
                people.push((person.clone(), role.clone()));
            }
        }
        SessionForm {
            key: get("key"),
            kind: get("kind"),
            title: get("title"),
            summary: get("abstract"),
            day: get("day"),
            start: get("start"),
            end: get("end"),
            room: get("room"),
            languages: get("languages"),
            partners: get("partners"),
            capacity: get("capacity"),
            people,
            seen: get("seen"),
        }
    }

    fn to_doc(&self) -> SessionDoc {
        let capacity = self.capacity.trim();
        SessionDoc {
            key: self.key.trim().to_string(),
            kind: self.kind.clone(),
            title: self.title.clone(),
            summary: self.summary.replace("\r\n", "\n"),
            day: self.day.trim().to_string(),
            start: self.start.trim().to_string(),
            end: self.end.trim().to_string(),
            room: (!self.room.is_empty()).then(|| self.room.clone()),
            languages: split_list(&self.languages.to_lowercase(), &[',', ' ']),
            partners: split_list(&self.partners, &['\n', '\r']),
            capacity: (!capacity.is_empty()).then(|| capacity.parse().unwrap_or(-1)),
            people: self
                .people
                .iter()
                .map(|(person, role)| SessionPersonDoc {
                    person: person.clone(),
                    role: role.clone(),
                })
                .collect(),
        }
    }

    /// People rows to show: the current ones and a few empty ones to add more.
    pub fn rows(&self) -> Vec<(usize, String, String)> {
        let mut rows: Vec<_> = self
            .people
            .iter()
            .enumerate()
            .map(|(i, (p, r))| (i, p.clone(), r.clone()))
            .collect();
        for n in 0..EMPTY_PEOPLE_ROWS {
            rows.push((self.people.len() + n, String::new(), "speaker".into()));
        }
        rows
    }
}

#[derive(Template)]
#[template(path = "pages/admin/session.html")]
struct SessionPage<'a> {
    ctx: &'a PageCtx,
    slug: String,
    tab: &'static str,
    original: String,
    f: SessionForm,
    kinds: &'static [SessionKind],
    roles: &'static [PersonRole],
    days: Vec<(String, String)>,
    rooms: Vec<(String, String)>,
    people: Vec<(String, String)>,
    conflicts: Vec<String>,
    state: FormState,
}

fn session_page(
    ctx: &PageCtx,
    p: &Programme,
    original: String,
    f: SessionForm,
    state: FormState,
) -> Result<HttpResponse, PageError> {
    let lang = ctx.lang;
    let days = {
        let mut days: Vec<(String, String)> =
            p.v.days
                .iter()
                .map(|d| (d.to_string(), day_label(*d, lang)))
                .collect();
        // A session kept outside the edition's days must not move on its next save.
        if !f.day.is_empty() && !days.iter().any(|(d, _)| *d == f.day) {
            let label = super::document::parse_day(&f.day)
                .map(|d| day_label(d, lang))
                .unwrap_or_else(|| f.day.clone());
            days.push((f.day.clone(), label));
        }
        days
    };
    let page = SessionPage {
        ctx,
        slug: p.doc().edition.slug.clone(),
        tab: "sessions",
        conflicts: if original.is_empty() {
            vec![]
        } else {
            conflicts_of(&p.conflicts, &original, lang).collect()
        },
        original,
        f,
        kinds: SessionKind::ALL,
        roles: PersonRole::ALL,
        days,
        rooms: p
            .doc()
            .rooms
            .iter()
            .map(|r| (r.key.clone(), format!("{} ({})", r.name, r.capacity)))
            .collect(),
        people: p
            .doc()
            .people
            .iter()
            .map(|x| (x.key.clone(), x.name.clone()))
            .collect(),
        state,
    };
    render(ctx, &page)
}

pub async fn new_session(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let p = load(&state, slug.into_inner(), ctx.lang).await?;
    let f = SessionForm {
        kind: "workshop".into(),
        day: p.v.days.first().map(|d| d.to_string()).unwrap_or_default(),
        languages: "fr".into(),
        ..Default::default()
    };
    session_page(&ctx, &p, String::new(), f, FormState::default())
}

pub async fn session(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    q: web::Query<Saved>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let (slug, key) = path.into_inner();
    let p = load(&state, slug, ctx.lang).await?;
    let i = p
        .session_index(&key)
        .ok_or(AppError::NotFound)
        .or_page(ctx.lang)?;
    let f = SessionForm::from_doc(&p.doc().sessions[i]);
    session_page(
        &ctx,
        &p,
        key,
        f,
        FormState {
            saved: q.saved.is_some(),
            ..Default::default()
        },
    )
}

async fn save_session(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: String,
    original: Option<String>,
    fields: HashMap<String, String>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let force = fields.contains_key("force");
    let f = SessionForm::from_fields(&fields);
    let session = f.to_doc();
    let key = original.clone();
    let seen = f.seen.clone();
    let result = change(&state, &slug, force, ctx.lang, move |doc| {
        if let Some(key) = &key {
            super::edits::ensure_unchanged(doc.sessions.iter().find(|s| &s.key == key), &seen)?;
        }
        doc.put_session(key.as_deref(), session)
    })
    .await?;
    match result {
        Ok(slug) => Ok(redirect(&format!(
            "/admin/editions/{slug}/sessions/{}?saved=1",
            f.key.trim()
        ))),
        Err(st) => {
            let p = load(&state, slug, ctx.lang).await?;
            let mut res = session_page(&ctx, &p, original.unwrap_or_default(), f, st)?;
            *res.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
    }
}

pub async fn add_session(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    form: CsrfForm<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    save_session(req, state, slug.into_inner(), None, form.0).await
}

pub async fn update_session(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CsrfForm<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let (slug, key) = path.into_inner();
    save_session(req, state, slug, Some(key), form.0).await
}

pub async fn delete_session(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: CsrfForm<crate::auth::web::Empty>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let (slug, key) = path.into_inner();
    let result = change(&state, &slug, false, lang, move |doc| {
        doc.remove_session(&key)
    })
    .await?;
    match result {
        Ok(slug) => Ok(redirect(&format!(
            "/admin/editions/{slug}/sessions?saved=1"
        ))),
        Err(_) => Err(PageError::new(
            AppError::BadRequest("session could not be removed".into()),
            lang,
        )),
    }
}

// ---- Grid ----

/// One box on the grid, placed with CSS grid lines.
pub struct GridItem {
    pub key: String,
    pub title: String,
    pub time: String,
    pub kind: &'static str,
    pub row: String,
    pub column: String,
    pub is_break: bool,
    pub conflict: bool,
}

#[derive(Template)]
#[template(path = "pages/admin/grid.html")]
struct GridPage<'a> {
    ctx: &'a PageCtx,
    slug: String,
    tab: &'static str,
    days: Vec<(String, String, bool)>,
    rooms: Vec<String>,
    columns: String,
    rows: String,
    ticks: Vec<(String, String)>,
    items: Vec<GridItem>,
    conflicts: Vec<String>,
    state: FormState,
}

/// Five-minute rows; row 1 is the room header.
const STEP_MINUTES: u32 = 5;

pub async fn grid(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    q: web::Query<Saved>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    let p = load(&state, slug.into_inner(), lang).await?;
    let mut all_days: Vec<chrono::NaiveDate> = p.v.days.clone();
    for s in &p.v.sessions {
        if !all_days.contains(&s.day) {
            all_days.push(s.day);
        }
    }
    all_days.sort();
    let day = all_days
        .iter()
        .find(|d| d.to_string() == q.day)
        .or(all_days.first())
        .copied();
    let today: Vec<usize> = (0..p.v.sessions.len())
        .filter(|&i| Some(p.v.sessions[i].day) == day)
        .collect();
    let minutes = |t: chrono::NaiveTime| {
        use chrono::Timelike;
        t.hour() * 60 + t.minute()
    };
    let first = today
        .iter()
        .map(|&i| minutes(p.v.sessions[i].start))
        .min()
        .unwrap_or(9 * 60)
        / 30
        * 30;
    let last = today
        .iter()
        .map(|&i| minutes(p.v.sessions[i].end))
        .max()
        .unwrap_or(18 * 60)
        .div_ceil(30)
        * 30;
    let row_of = |m: u32| (m - first) / STEP_MINUTES + 2;
    let in_conflict: HashSet<&str> = p
        .conflicts
        .iter()
        .flat_map(|c| c.sessions.iter().map(String::as_str))
        .collect();
    let n_rooms = p.doc().rooms.len().max(1);
    let items = today
        .iter()
        .map(|&i| {
            let (s, vs) = (&p.doc().sessions[i], &p.v.sessions[i]);
            let is_break = vs.kind == SessionKind::Break || vs.room.is_none();
            GridItem {
                key: s.key.clone(),
                title: s.title.clone(),
                time: format!("{}–{}", s.start, s.end),
                kind: vs.kind.code(),
                row: format!(
                    "{} / {}",
                    row_of(minutes(vs.start)),
                    row_of(minutes(vs.end))
                ),
                column: match vs.room {
                    Some(r) if !is_break || vs.kind != SessionKind::Break => {
                        format!("{} / {}", r + 2, r + 3)
                    }
                    _ => format!("2 / {}", n_rooms + 2),
                },
                is_break: vs.kind == SessionKind::Break,
                conflict: in_conflict.contains(s.key.as_str()),
            }
        })
        .collect();
    let ticks = (first..last)
        .step_by(30)
        .map(|m| {
            (
                format!("{:02}:{:02}", m / 60, m % 60),
                format!("{} / span {}", row_of(m), 30 / STEP_MINUTES),
            )
        })
        .collect();
    let page = GridPage {
        ctx: &ctx,
        slug: p.doc().edition.slug.clone(),
        tab: "grid",
        days: all_days
            .iter()
            .map(|d| (d.to_string(), day_label(*d, lang), Some(*d) == day))
            .collect(),
        rooms: p
            .doc()
            .rooms
            .iter()
            .map(|r| format!("{} ({})", r.name, r.capacity))
            .collect(),
        columns: format!("4.5rem repeat({n_rooms}, minmax(150px, 1fr))"),
        rows: format!("auto repeat({}, 0.7rem)", (last - first) / STEP_MINUTES),
        ticks,
        items,
        conflicts: p
            .conflicts
            .iter()
            .filter(|c| {
                c.sessions
                    .iter()
                    .any(|k| today.iter().any(|&i| &p.doc().sessions[i].key == k))
            })
            .map(|c| c.message(lang).to_string())
            .collect(),
        state: FormState::default(),
    };
    render(&ctx, &page)
}

// ---- Import ----

#[derive(Template)]
#[template(path = "pages/admin/import.html")]
struct ImportPage<'a> {
    ctx: &'a PageCtx,
    document: String,
    problems: Vec<(String, String)>,
    conflicts: Vec<String>,
}

pub async fn import_page(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    render(
        &ctx,
        &ImportPage {
            ctx: &ctx,
            document: String::new(),
            problems: vec![],
            conflicts: vec![],
        },
    )
}

#[derive(Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    document: String,
    #[serde(default)]
    allow_conflicts: Option<String>,
}

/// Imports a pasted programme document, all or nothing; problems come back with their
/// JSON paths and the text stays in the form.
pub async fn import(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<ImportForm>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    let f = form.0;
    let refused = |problems: Vec<(String, String)>, conflicts: Vec<String>, document: String| {
        let page = ImportPage {
            ctx: &ctx,
            document,
            problems,
            conflicts,
        };
        render(&ctx, &page).map(|mut res| {
            *res.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
            res
        })
    };
    let doc = match super::document::parse(&f.document) {
        Ok(doc) => doc,
        Err(p) => {
            return refused(
                vec![(p.path.clone(), p.message(lang).to_string())],
                vec![],
                f.document,
            )
        }
    };
    let allow = f.allow_conflicts.is_some();
    let st = state.clone();
    let result = web::block(move || -> Result<super::Outcome, Refusal> {
        super::import(&mut *st.pool.get().map_err(AppError::from)?, doc, allow)
    })
    .await
    .map_err(|e| PageError::new(AppError::internal(e), lang))?;
    match result {
        Ok(o) => {
            state.programmes.changed();
            Ok(redirect(&format!(
                "/admin/editions/{}/sessions?saved=1",
                o.slug
            )))
        }
        Err(Refusal::Problems(p)) => refused(
            p.iter()
                .map(|x| (x.path.clone(), x.message(lang).to_string()))
                .collect(),
            vec![],
            f.document,
        ),
        Err(Refusal::Conflicts(c)) => refused(
            vec![],
            c.iter().map(|x| x.message(lang).to_string()).collect(),
            f.document,
        ),
        Err(Refusal::Other(e)) => Err(PageError::new(e, lang)),
    }
}
