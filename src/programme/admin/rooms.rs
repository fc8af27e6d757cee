//! Rooms of an edition: list with inline edits, and the add form.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{change, load, FormState, Saved};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::i18n::Lang;
use crate::programme::document::RoomDoc;
use crate::programme::Programme;
use crate::web::{redirect, render, PageCtx, PageError};

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
            seen: crate::programme::edits::fingerprint(r),
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
            crate::programme::edits::ensure_unchanged(
                doc.rooms.iter().find(|r| &r.key == key),
                &seen,
            )?;
        }
        doc.put_room(original.as_deref(), room.clone())
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
    let result = change(&state, &slug, false, lang, move |doc| doc.remove_room(&key)).await?;
    match result {
        Ok(slug) => Ok(redirect(&format!("/admin/editions/{slug}/rooms?saved=1"))),
        Err(st) => rooms_page(&req, &state, slug, None, RoomForm::default(), st).await,
    }
}
