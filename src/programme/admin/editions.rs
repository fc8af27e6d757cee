//! The organiser dashboard and the edition form.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{change, load, split_list, FormState, Saved};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::error::{blocking, AppError};
use crate::i18n::Lang;
use crate::programme::document::EditionDoc;
use crate::programme::Refusal;
use crate::web::{redirect, render, OrPage, PageCtx, PageError};

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
    let rows = blocking(move || crate::programme::list_editions(&mut *st.pool.get()?))
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
            seen: crate::programme::edits::fingerprint(e),
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

/// The form for a new edition, blank or with what was typed and why it was refused.
fn new_edition_page(
    ctx: &PageCtx,
    f: EditionForm,
    state: FormState,
) -> Result<HttpResponse, PageError> {
    render(
        ctx,
        &EditionPage {
            ctx,
            slug: String::new(),
            tab: "edition",
            is_new: true,
            f,
            state,
        },
    )
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
    new_edition_page(&ctx, f, FormState::default())
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
    let result = web::block(move || -> Result<crate::programme::Outcome, Refusal> {
        crate::programme::create_edition(&mut *st.pool.get().map_err(AppError::from)?, doc)
    })
    .await
    .map_err(|e| PageError::new(AppError::internal(e), ctx.lang))?;
    match result {
        Ok(o) => {
            state.programmes.changed();
            Ok(redirect(&format!("/admin/editions/{}?saved=1", o.slug)))
        }
        Err(r) => new_edition_page(&ctx, f, FormState::from_refusal(r, ctx.lang)?),
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
        crate::programme::edits::ensure_unchanged(Some(&doc.edition), &seen)?;
        doc.edition = new.clone();
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
