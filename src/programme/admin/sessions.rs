//! Sessions: list with their conflicts, and the form with people and roles.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::{change, load, remove_then_list, split_list, FormState, Saved};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::programme::conflicts::Conflict;
use crate::programme::document::{SessionDoc, SessionPersonDoc};
use crate::programme::model::{PersonRole, SessionKind};
use crate::programme::Programme;
use crate::web::{day_label, redirect, render, OrPage, PageCtx, PageError};

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
            seen: crate::programme::edits::fingerprint(s),
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
            let label = crate::programme::document::parse_day(&f.day)
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
            crate::programme::edits::ensure_unchanged(
                doc.sessions.iter().find(|s| &s.key == key),
                &seen,
            )?;
        }
        doc.put_session(key.as_deref(), session.clone())
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
    let (slug, key) = path.into_inner();
    remove_then_list(&req, &state, slug, "sessions", move |doc| {
        doc.remove_session(&key)
    })
    .await
}
