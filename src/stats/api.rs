//! The statistics as JSON, for organisers' scripts and spreadsheets.

use actix_web::{web, HttpRequest, HttpResponse};

use super::Stats;
use crate::app::AppState;
use crate::error::{blocking, AppError, ErrorBody};
use crate::i18n::{query_lang, Lang};
use crate::programme::api::api_lang;

/// `?lang=` first, else the Accept-Language header.
pub fn lang_of(req: &HttpRequest) -> Lang {
    query_lang(req.query_string()).unwrap_or_else(|| api_lang(req))
}

/// The figures of edition `slug`, computed on a blocking thread.
pub async fn figures(
    state: &web::Data<AppState>,
    slug: String,
    lang: Lang,
) -> Result<Stats, AppError> {
    let st = state.clone();
    blocking(move || super::report(&mut *st.pool.get()?, &slug, lang)).await
}

#[utoipa::path(get, path = "/api/v1/editions/{slug}/stats", tag = "statistics",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "Edition"),
           ("lang" = Option<String>, Query, description = "`fr` or `en` for the headline and country names; else Accept-Language")),
    responses(
        (status = 200, description = "Every figure of the edition, and the previous edition's", body = Stats),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn stats(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    crate::fallback::only_parameters(&req, &["lang"])?;
    let s = figures(&state, slug.into_inner(), lang_of(&req)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(s))
}
