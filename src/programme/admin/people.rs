//! People of the programme: list and form.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{change, load, remove_then_list, FormState, Saved};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::programme::document::PersonDoc;
use crate::web::{redirect, render, OrPage, PageCtx, PageError};

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
        seen: crate::programme::edits::fingerprint(d),
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
            crate::programme::edits::ensure_unchanged(
                doc.people.iter().find(|x| &x.key == key),
                &seen,
            )?;
        }
        doc.put_person(key.as_deref(), person.clone())
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
    let (slug, key) = path.into_inner();
    remove_then_list(&req, &state, slug, "people", move |doc| {
        doc.remove_person(&key)
    })
    .await
}
