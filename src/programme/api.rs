//! The programme's JSON API. Reads are public (the programme is published); writes need an
//! organiser's bearer token. Bodies use the programme document's shapes.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::conflicts::Conflict;
use super::document::{self, EditionDoc, PersonDoc, ProgrammeDocument, RoomDoc, SessionDoc};
use super::{Outcome, Refusal};
use crate::app::AppState;
use crate::error::{blocking, AppError, ErrorBody, FieldError};
use crate::i18n::Lang;

/// API messages are English unless the caller asks for another language.
pub fn api_lang(req: &HttpRequest) -> Lang {
    Lang::of_api(req)
}

/// Parses a JSON body: a syntax error is `malformed_json` (400), a wrong shape or an unknown
/// field is `validation_failed` (422) naming its path.
pub fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => AppError::Validation(vec![FieldError {
                field: path,
                code: "invalid_value".into(),
                message: inner.to_string(),
            }]),
            _ => AppError::MalformedJson(inner.to_string()),
        }
    })
}

async fn run<T, F>(state: &web::Data<AppState>, lang: Lang, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut crate::db::DbConnection) -> Result<T, Refusal> + Send + 'static,
    T: Send + 'static,
{
    let st = state.clone();
    web::block(move || -> Result<T, Refusal> {
        let mut conn = st.pool.get().map_err(AppError::from)?;
        f(&mut conn)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(|r| r.into_app_error(lang))
    .inspect(|_| state.programmes.changed())
}

/// An edition as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct EditionSummary {
    pub slug: String,
    pub number: i32,
    pub year: i32,
    pub title: String,
}

#[utoipa::path(get, path = "/api/v1/editions", tag = "programme",
    responses((status = 200, description = "Every edition, newest first", body = [EditionSummary])))]
pub async fn list_editions(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let st = state.clone();
    let rows = blocking(move || super::list_editions(&mut *st.pool.get()?)).await?;
    let out: Vec<EditionSummary> = rows
        .into_iter()
        .map(|e| EditionSummary {
            slug: e.slug,
            number: e.number,
            year: e.year,
            title: e.title,
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(get, path = "/api/v1/editions/{slug}", tag = "programme",
    params(("slug" = String, Path, description = "Edition slug")),
    responses((status = 200, body = EditionDoc), (status = 404, body = ErrorBody)))]
pub async fn get_edition(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let p = crate::app::programme(&state, slug.into_inner()).await?;
    Ok(HttpResponse::Ok().json(&p.doc().edition))
}

#[utoipa::path(get, path = "/api/v1/editions/{slug}/programme", tag = "programme",
    params(("slug" = String, Path, description = "Edition slug")),
    responses((status = 200, description = "The whole programme document", body = ProgrammeDocument), (status = 404, body = ErrorBody)))]
pub async fn get_programme(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let p = crate::app::programme(&state, slug.into_inner()).await?;
    // Serialised once per revision, then served as is.
    let body = p
        .json
        .get_or_init(|| crate::web::Encoded::new(serde_json::to_vec(p.doc()).unwrap_or_default()));
    Ok(body.respond(&req, "application/json", "Accept-Encoding"))
}

/// A session with the conflicts it is part of (listed for organisers' tokens only).
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionOut {
    #[serde(flatten)]
    pub session: SessionDoc,
    pub conflicts: Vec<Conflict>,
}

fn session_out(p: &super::Programme, i: usize, with_conflicts: bool) -> SessionOut {
    let s = &p.doc().sessions[i];
    SessionOut {
        session: s.clone(),
        conflicts: if with_conflicts {
            p.conflicts
                .iter()
                .filter(|c| c.involves(&s.key))
                .cloned()
                .collect()
        } else {
            vec![]
        },
    }
}

/// Conflicts are the organisers' working notes: listed only for a caller whose bearer token
/// belongs to one.
async fn shows_conflicts(req: &HttpRequest, state: &web::Data<AppState>) -> bool {
    let Some(token) = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
    else {
        return false;
    };
    let st = state.clone();
    blocking(move || crate::auth::token_user(&mut *st.pool.get()?, &token))
        .await
        .ok()
        .flatten()
        .is_some_and(|u| u.role.allows(crate::auth::Role::Organiser))
}

#[utoipa::path(get, path = "/api/v1/editions/{slug}/sessions", tag = "programme",
    params(("slug" = String, Path, description = "Edition slug")),
    responses((status = 200, body = [SessionOut]), (status = 404, body = ErrorBody)))]
pub async fn list_sessions(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let p = crate::app::programme(&state, slug.into_inner()).await?;
    let with_conflicts = shows_conflicts(&req, &state).await;
    let out: Vec<SessionOut> = (0..p.doc().sessions.len())
        .map(|i| session_out(&p, i, with_conflicts))
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(get, path = "/api/v1/editions/{slug}/sessions/{key}", tag = "programme",
    params(("slug" = String, Path, description = "Edition slug"), ("key" = String, Path, description = "Session key")),
    responses((status = 200, body = SessionOut), (status = 404, body = ErrorBody)))]
pub async fn get_session(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    let p = crate::app::programme(&state, slug).await?;
    let i = p.session_index(&key).ok_or(AppError::NotFound)?;
    let with_conflicts = shows_conflicts(&req, &state).await;
    Ok(HttpResponse::Ok().json(session_out(&p, i, with_conflicts)))
}

#[utoipa::path(get, path = "/api/v1/editions/{slug}/conflicts", tag = "programme",
    params(("slug" = String, Path, description = "Edition slug")),
    security(("bearer" = [])),
    responses((status = 200, body = [Conflict]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_conflicts(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let p = crate::app::programme(&state, slug.into_inner()).await?;
    Ok(HttpResponse::Ok().json(&p.conflicts))
}

/// Explicit decisions about conflicts, for an import.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Decision {
    /// Save even though the change introduces conflicts.
    #[serde(default)]
    pub force: bool,
    /// For imports: accept a programme that has conflicts.
    #[serde(default)]
    pub allow_conflicts: bool,
}

/// The explicit decision to save a change that creates conflicts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Force {
    /// Save even though the change introduces conflicts.
    #[serde(default)]
    pub force: bool,
}

fn outcome_response(o: Outcome) -> HttpResponse {
    let status = if o.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    HttpResponse::build(status).json(o)
}

#[utoipa::path(post, path = "/api/v1/programme", tag = "programme",
    request_body = ProgrammeDocument, params(Decision),
    security(("bearer" = [])),
    responses((status = 201, description = "Edition created", body = Outcome), (status = 200, description = "Edition replaced", body = Outcome),
        (status = 400, body = ErrorBody), (status = 409, description = "Conflicts (repeat with allow_conflicts=true)", body = ErrorBody),
        (status = 422, description = "Every problem with its JSON path", body = ErrorBody)))]
pub async fn import(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: web::Query<Decision>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let lang = api_lang(&req);
    let doc = match document::parse(
        std::str::from_utf8(&body).map_err(|e| AppError::MalformedJson(e.to_string()))?,
    ) {
        Ok(doc) => doc,
        Err(p) if p.code == "malformed_json" => return Err(AppError::MalformedJson(p.en)),
        Err(p) => return Err(AppError::Validation(vec![p.to_field_error(lang)])),
    };
    let allow = q.allow_conflicts || q.force;
    let o = run(&state, lang, move |c| super::import(c, doc, allow)).await?;
    Ok(outcome_response(o))
}

#[utoipa::path(post, path = "/api/v1/editions", tag = "programme", request_body = EditionDoc,
    security(("bearer" = [])),
    responses((status = 201, body = Outcome), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_edition(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let lang = api_lang(&req);
    let e: EditionDoc = parse_body(&body)?;
    let o = run(&state, lang, move |c| super::create_edition(c, e)).await?;
    Ok(outcome_response(o))
}

async fn edit<F>(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    slug: String,
    force: bool,
    f: F,
) -> Result<HttpResponse, AppError>
where
    F: FnMut(&mut super::edits::Draft) -> Result<(), AppError> + Send + 'static,
{
    let lang = api_lang(req);
    let o = run(state, lang, move |c| super::edit(c, &slug, force, f)).await?;
    Ok(outcome_response(o))
}

#[utoipa::path(put, path = "/api/v1/editions/{slug}", tag = "programme", request_body = EditionDoc,
    params(("slug" = String, Path, description = "Edition slug"), Force),
    security(("bearer" = [])),
    responses((status = 200, body = Outcome), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_edition(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    q: web::Query<Force>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let e: EditionDoc = parse_body(&body)?;
    edit(&req, &state, slug.into_inner(), q.force, move |doc| {
        doc.edition = e.clone();
        Ok(())
    })
    .await
}

#[utoipa::path(delete, path = "/api/v1/editions/{slug}", tag = "programme",
    params(("slug" = String, Path, description = "Edition slug")),
    security(("bearer" = [])),
    responses((status = 204, description = "Deleted with everything in it"), (status = 404, body = ErrorBody)))]
pub async fn delete_edition(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let st = state.clone();
    let slug = slug.into_inner();
    blocking(move || super::delete_edition(&mut *st.pool.get()?, &slug)).await?;
    state.programmes.changed();
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/editions/{slug}/rooms", tag = "programme", request_body = RoomDoc,
    params(("slug" = String, Path, description = "Edition slug"), Force), security(("bearer" = [])),
    responses((status = 200, body = Outcome), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_room(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    q: web::Query<Force>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let room: RoomDoc = parse_body(&body)?;
    edit(&req, &state, slug.into_inner(), q.force, move |doc| {
        doc.put_room(None, room.clone())
    })
    .await
}

#[utoipa::path(put, path = "/api/v1/editions/{slug}/rooms/{key}", tag = "programme", request_body = RoomDoc,
    params(("slug" = String, Path, description = "Edition slug"), ("key" = String, Path, description = "Room key"), Force), security(("bearer" = [])),
    responses((status = 200, body = Outcome), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_room(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    q: web::Query<Force>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    let room: RoomDoc = parse_body(&body)?;
    edit(&req, &state, slug, q.force, move |doc| {
        doc.put_room(Some(&key), room.clone())
    })
    .await
}

#[utoipa::path(delete, path = "/api/v1/editions/{slug}/rooms/{key}", tag = "programme",
    params(("slug" = String, Path, description = "Edition slug"), ("key" = String, Path, description = "Room key")), security(("bearer" = [])),
    responses((status = 200, body = Outcome), (status = 404, body = ErrorBody), (status = 409, description = "The room still holds sessions", body = ErrorBody)))]
pub async fn delete_room(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    edit(&req, &state, slug, false, move |doc| doc.remove_room(&key)).await
}

#[utoipa::path(post, path = "/api/v1/editions/{slug}/people", tag = "programme", request_body = PersonDoc,
    params(("slug" = String, Path, description = "Edition slug"), Force), security(("bearer" = [])),
    responses((status = 200, body = Outcome), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_person(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    q: web::Query<Force>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let person: PersonDoc = parse_body(&body)?;
    edit(&req, &state, slug.into_inner(), q.force, move |doc| {
        doc.put_person(None, person.clone())
    })
    .await
}

#[utoipa::path(put, path = "/api/v1/editions/{slug}/people/{key}", tag = "programme", request_body = PersonDoc,
    params(("slug" = String, Path, description = "Edition slug"), ("key" = String, Path, description = "Person key"), Force), security(("bearer" = [])),
    responses((status = 200, body = Outcome), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_person(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    q: web::Query<Force>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    let person: PersonDoc = parse_body(&body)?;
    edit(&req, &state, slug, q.force, move |doc| {
        doc.put_person(Some(&key), person.clone())
    })
    .await
}

#[utoipa::path(delete, path = "/api/v1/editions/{slug}/people/{key}", tag = "programme",
    params(("slug" = String, Path, description = "Edition slug"), ("key" = String, Path, description = "Person key")), security(("bearer" = [])),
    responses((status = 200, description = "Removed, with their roles", body = Outcome), (status = 404, body = ErrorBody)))]
pub async fn delete_person(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    edit(&req, &state, slug, false, move |doc| {
        doc.remove_person(&key)
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/editions/{slug}/sessions", tag = "programme", request_body = SessionDoc,
    params(("slug" = String, Path, description = "Edition slug"), Force), security(("bearer" = [])),
    responses((status = 200, body = Outcome), (status = 409, description = "Conflicts (repeat with force=true)", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_session(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    q: web::Query<Force>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let session: SessionDoc = parse_body(&body)?;
    edit(&req, &state, slug.into_inner(), q.force, move |doc| {
        doc.put_session(None, session.clone())
    })
    .await
}

#[utoipa::path(put, path = "/api/v1/editions/{slug}/sessions/{key}", tag = "programme", request_body = SessionDoc,
    params(("slug" = String, Path, description = "Edition slug"), ("key" = String, Path, description = "Session key"), Force), security(("bearer" = [])),
    responses((status = 200, body = Outcome), (status = 404, body = ErrorBody), (status = 409, description = "Conflicts (repeat with force=true)", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_session(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    q: web::Query<Force>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    let session: SessionDoc = parse_body(&body)?;
    edit(&req, &state, slug, q.force, move |doc| {
        doc.put_session(Some(&key), session.clone())
    })
    .await
}

#[utoipa::path(delete, path = "/api/v1/editions/{slug}/sessions/{key}", tag = "programme",
    params(("slug" = String, Path, description = "Edition slug"), ("key" = String, Path, description = "Session key")), security(("bearer" = [])),
    responses((status = 200, body = Outcome), (status = 404, body = ErrorBody)))]
pub async fn delete_session(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    edit(&req, &state, slug, false, move |doc| {
        doc.remove_session(&key)
    })
    .await
}
