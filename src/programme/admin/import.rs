//! Importing a pasted programme document.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::programme::Refusal;
use crate::web::{redirect, render, PageCtx, PageError};

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
    let doc = match crate::programme::document::parse(&f.document) {
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
    let result = web::block(move || -> Result<crate::programme::Outcome, Refusal> {
        crate::programme::import(&mut *st.pool.get().map_err(AppError::from)?, doc, allow)
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
