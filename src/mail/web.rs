//! The outbox as organisers see it: its API (counts, troubles, scheduled messages, retry,
//! cancel) and the emails page of an edition.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::OutboxRow;
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::error::{blocking, AppError, ErrorBody};
use crate::i18n::Lang;
use crate::programme::admin::FormState;
use crate::registrations::now;
use crate::web::{redirect, render, OrPage, PageCtx, PageError};

/// What the API and the page show of an edition's outbox.
struct View {
    counts: Vec<(String, i64)>,
    troubles: Vec<OutboxRow>,
    scheduled: Vec<OutboxRow>,
}

async fn view(state: &web::Data<AppState>, edition_id: String) -> Result<View, AppError> {
    let st = state.clone();
    blocking(move || {
        let mut conn = st.pool.get()?;
        Ok(View {
            counts: super::counts(&mut conn, &edition_id)?,
            troubles: super::troubles(&mut conn, &edition_id)?,
            scheduled: super::scheduled(&mut conn, &edition_id, now())?,
        })
    })
    .await
}

/// The outbox of an edition: counts per status, the messages that need a person, and
/// those waiting for their time.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxOut {
    /// Messages per status (`pending`, `sending`, `sent`, `dead`, `dropped`, `cancelled`).
    #[schema(value_type = std::collections::BTreeMap<String, i64>)]
    pub counts: std::collections::BTreeMap<String, i64>,
    pub troubles: Vec<OutboxLine>,
    /// Pending messages not to be sent before their `send_after`, the soonest first.
    pub scheduled: Vec<OutboxLine>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxLine {
    pub id: String,
    pub kind: String,
    pub recipient: String,
    pub status: String,
    pub attempts: i32,
    /// Why it failed, or why it is held (`dead`): an unknown kind, a payload that does not
    /// fit its kind, a refusal by the mail server.
    pub last_error: String,
    #[serde(serialize_with = "crate::rfc3339::utc")]
    pub next_attempt_at: NaiveDateTime,
    /// Not sent before this time, if scheduled.
    #[serde(serialize_with = "crate::rfc3339::utc_opt")]
    pub send_after: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::rfc3339::utc")]
    pub created_at: NaiveDateTime,
}

impl From<OutboxRow> for OutboxLine {
    fn from(m: OutboxRow) -> OutboxLine {
        OutboxLine {
            id: m.id,
            kind: m.kind,
            recipient: m.recipient,
            status: m.status,
            attempts: m.attempts,
            last_error: m.last_error,
            next_attempt_at: m.next_attempt_at,
            send_after: m.send_after,
            created_at: m.created_at,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/editions/{slug}/outbox", tag = "registration",
    security(("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = OutboxOut), (status = 404, body = ErrorBody)))]
pub async fn outbox(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let p = crate::app::programme(&state, slug.into_inner()).await?;
    let v = view(&state, p.edition.id.clone()).await?;
    Ok(HttpResponse::Ok().json(OutboxOut {
        counts: v.counts.into_iter().collect(),
        troubles: v.troubles.into_iter().map(Into::into).collect(),
        scheduled: v.scheduled.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/editions/{slug}/outbox/{id}/retry", tag = "registration",
    security(("bearer" = [])), params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 202, description = "Queued again"), (status = 404, description = "No dead message with this id", body = ErrorBody)))]
pub async fn retry(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = crate::app::programme(&state, slug).await?;
    let st = state.clone();
    blocking(move || super::retry(&mut *st.pool.get()?, &p.edition.id, &id)).await?;
    state.mail_signal.notify();
    Ok(HttpResponse::Accepted().finish())
}

#[utoipa::path(post, path = "/api/v1/editions/{slug}/outbox/{id}/cancel", tag = "registration",
    operation_id = "cancel_email",
    security(("bearer" = [])), params(("slug" = String, Path), ("id" = String, Path)),
    responses((status = 202, description = "Cancelled: it will not be sent"), (status = 404, description = "No pending message with this id", body = ErrorBody)))]
pub async fn cancel(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let p = crate::app::programme(&state, slug).await?;
    let st = state.clone();
    blocking(move || super::cancel(&mut *st.pool.get()?, &p.edition.id, &id)).await?;
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Template)]
#[template(path = "pages/admin/emails.html")]
struct EmailsPage<'a> {
    ctx: &'a PageCtx,
    slug: String,
    tab: &'static str,
    state: FormState,
    counts: Vec<(String, i64)>,
    troubles: Vec<OutboxRow>,
    scheduled: Vec<OutboxRow>,
    smtp: bool,
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// `GET /admin/editions/{slug}/emails`
pub async fn emails(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    q: web::Query<SavedQuery>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    let p = crate::app::programme(&state, slug.into_inner())
        .await
        .or_page(lang)?;
    let v = view(&state, p.edition.id.clone()).await.or_page(lang)?;
    let page = EmailsPage {
        ctx: &ctx,
        slug: p.doc().edition.slug.clone(),
        tab: "emails",
        state: FormState {
            saved: q.saved.is_some(),
            ..FormState::default()
        },
        counts: v.counts,
        troubles: v.troubles,
        scheduled: v.scheduled,
        smtp: !state.settings.mail.smtp_url.trim().is_empty(),
    };
    render(&ctx, &page)
}

/// What an organiser does to one message from the page.
async fn act(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    path: (String, String),
    f: fn(&mut crate::db::DbConnection, &str, &str) -> Result<(), AppError>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(req);
    let (slug, id) = path;
    let p = crate::app::programme(state, slug.clone())
        .await
        .or_page(lang)?;
    let st = state.clone();
    blocking(move || f(&mut *st.pool.get()?, &p.edition.id, &id))
        .await
        .or_page(lang)?;
    state.mail_signal.notify();
    Ok(redirect(&format!("/admin/editions/{slug}/emails?saved=1")))
}

/// `POST /admin/editions/{slug}/emails/{id}/retry`
pub async fn email_retry(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: CsrfForm<crate::auth::web::Empty>,
) -> Result<HttpResponse, PageError> {
    act(&req, &state, path.into_inner(), super::retry).await
}

/// `POST /admin/editions/{slug}/emails/{id}/cancel`
pub async fn email_cancel(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _form: CsrfForm<crate::auth::web::Empty>,
) -> Result<HttpResponse, PageError> {
    act(&req, &state, path.into_inner(), super::cancel).await
}
