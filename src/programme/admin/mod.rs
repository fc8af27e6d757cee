//! Organiser pages: editions, rooms, people, sessions and the schedule grid. Each form
//! change goes through `programme::edit`, so the pages apply exactly the API's rules.

use std::sync::Arc;

use actix_web::web;
use serde::Deserialize;

use crate::app::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::programme::{Programme, Refusal};
use crate::web::{OrPage, PageError};

mod editions;
mod grid;
mod import;
mod people;
mod rooms;
mod sessions;

pub use editions::*;
pub use grid::*;
pub use import::*;
pub use people::*;
pub use rooms::*;
pub use sessions::*;

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

    pub(super) fn from_refusal(r: Refusal, lang: Lang) -> Result<Self, PageError> {
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
            // Only an edition's slug can be taken already.
            Refusal::Other(AppError::AlreadyExists(m)) => Ok(FormState {
                errors: vec![("slug".into(), m.show(lang))],
                ..Default::default()
            }),
            Refusal::Other(AppError::InUse(m)) => Ok(FormState {
                errors: vec![(String::new(), m.show(lang))],
                ..Default::default()
            }),
            Refusal::Other(e) => Err(PageError::new(e, lang)),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    pub saved: Option<String>,
    #[serde(default)]
    pub day: String,
}

pub(super) async fn load(
    state: &web::Data<AppState>,
    slug: String,
    lang: Lang,
) -> Result<Arc<Programme>, PageError> {
    crate::app::programme(state, slug).await.or_page(lang)
}

/// Applies a change to an edition's document; `Ok(Err(state))` when the form must be shown
/// again with its problems.
pub(super) async fn change<F>(
    state: &web::Data<AppState>,
    slug: &str,
    force: bool,
    lang: Lang,
    f: F,
) -> Result<Result<String, FormState>, PageError>
where
    F: FnMut(&mut crate::programme::edits::Draft) -> Result<(), AppError> + Send + 'static,
{
    let st = state.clone();
    let slug = slug.to_string();
    let result = web::block(move || -> Result<crate::programme::Outcome, Refusal> {
        let mut conn = st.pool.get().map_err(AppError::from)?;
        crate::programme::edit(&mut conn, &slug, force, f)
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

/// Items of a list typed in one field ("fr, es"; one partner per line).
pub(super) fn split_list(s: &str, separators: &[char]) -> Vec<String> {
    s.split(|c| separators.contains(&c))
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// Removes something from the programme and returns to the list it was removed from; a
/// removal that cannot be applied (the item is already gone) is a plain error page.
pub(super) async fn remove_then_list<F>(
    req: &actix_web::HttpRequest,
    state: &web::Data<AppState>,
    slug: String,
    list: &'static str,
    remove: F,
) -> Result<actix_web::HttpResponse, PageError>
where
    F: FnMut(&mut crate::programme::edits::Draft) -> Result<(), AppError> + Send + 'static,
{
    let lang = Lang::of(req);
    match change(state, &slug, false, lang, remove).await? {
        Ok(slug) => Ok(crate::web::redirect(&format!(
            "/admin/editions/{slug}/{list}?saved=1"
        ))),
        Err(_) => Err(PageError::new(AppError::NotFound, lang)),
    }
}
