//! Public pages: the registration form, and each registrant's own page behind their
//! personal link (see, change, cancel, download the badge).

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::form::{self, RegistrationInput};
use super::model::{RegistrationRow, SettingsRow, Status};
use super::view::{input_from_pairs, input_from_row, FormView, HONEYPOT};
use super::{links, Origin, Registered, Window, WindowState};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::badges::{self, BadgeText};
use crate::error::{blocking, AppError};
use crate::i18n::Lang;
use crate::mail::registration::{self as compose, SessionLine};
use crate::programme::Programme;
use crate::web::{render, OrPage, PageCtx, PageError};

type Pairs = Vec<(String, String)>;

/// Counts a public form submission against the client address's allowance.
pub fn count_submission(state: &AppState, req: &HttpRequest) -> Result<(), AppError> {
    let who = crate::auth::web::client_address(req, &state.settings.security.trusted_proxies);
    if state.form_limiter.blocked(&who) {
        return Err(AppError::RateLimited);
    }
    state.form_limiter.fail(&who);
    Ok(())
}

/// The paragraphs of a plain text (blank lines separate them).
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

#[derive(Template)]
#[template(path = "pages/public/register.html")]
struct RegisterPage<'a> {
    ctx: PageCtx,
    p: &'a Programme,
    f: FormView,
    window: WindowState,
    opens: String,
    closes: String,
    full: bool,
    privacy: Vec<String>,
    notice: String,
}

struct Loaded {
    p: Arc<Programme>,
    settings: SettingsRow,
    seats: std::collections::HashMap<String, (i32, Option<i32>)>,
}

async fn load(state: &web::Data<AppState>, slug: String) -> Result<Loaded, AppError> {
    let p = crate::app::programme(state, slug).await?;
    let st = state.clone();
    let eid = p.edition.id.clone();
    let (settings, seats) = blocking(move || {
        let mut conn = st.pool.get()?;
        Ok((
            super::settings(&mut conn, &eid)?,
            super::seat_map(&mut conn, &eid)?,
        ))
    })
    .await?;
    Ok(Loaded { p, settings, seats })
}

/// A UTC instant as the edition's local time, in words.
fn local(at: chrono::NaiveDateTime, p: &Programme, lang: Lang) -> String {
    use chrono::TimeZone;
    let t = p.v.tz.from_utc_datetime(&at);
    format!(
        "{} {}",
        crate::web::day_label(t.date_naive(), lang),
        t.format("%H:%M")
    )
}

fn register_page(
    ctx: PageCtx,
    l: &Loaded,
    input: RegistrationInput,
    errors: Vec<crate::error::FieldError>,
    notice: String,
) -> RegisterPage<'_> {
    let lang = ctx.lang;
    let window = Window::of(&l.settings, &l.p.edition, l.p.v.days.first().copied());
    RegisterPage {
        f: FormView::new(input, errors, &l.p, &l.seats, lang),
        window: window.state(super::now()),
        opens: local(window.opens, &l.p, lang),
        closes: if window.closes == chrono::NaiveDateTime::MAX {
            String::new()
        } else {
            local(window.closes, &l.p, lang)
        },
        full: l
            .settings
            .capacity
            .is_some_and(|c| l.settings.confirmed >= c),
        privacy: paragraphs(&l.settings.privacy_notice),
        notice,
        p: &l.p,
        ctx,
    }
}

/// `GET /editions/{slug}/register`
pub async fn form_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    let l = load(&state, slug.into_inner()).await.or_page(lang)?;
    let input = RegistrationInput {
        lang: lang.code().into(),
        ..Default::default()
    };
    let page = register_page(ctx, &l, input, Vec::new(), String::new());
    render(&page.ctx, &page)
}

/// `POST /editions/{slug}/register`
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    form: CsrfForm<Pairs>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    count_submission(&state, &req).or_page(lang)?;
    let l = load(&state, slug.into_inner()).await.or_page(lang)?;
    let pairs = form.0;
    let input = input_from_pairs(&pairs);
    // A robot fills every field it finds; a person never sees this one.
    if pairs
        .iter()
        .any(|(k, v)| k == HONEYPOT && !v.trim().is_empty())
    {
        tracing::info!("registration refused by the honeypot");
        let page = register_page(
            ctx,
            &l,
            RegistrationInput::default(),
            Vec::new(),
            lang.t("reg_received").into(),
        );
        return render(&page.ctx, &page);
    }
    let registrant = match form::validate(&input, &l.p, lang) {
        Ok(r) => r,
        Err(errors) => {
            let page = register_page(ctx, &l, input, errors, String::new());
            return render(&page.ctx, &page).map(|mut r| {
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                r
            });
        }
    };
    let origin = Origin::public(super::model::source::ONLINE);
    let outcome = state
        .registrar
        .register(l.p.clone(), registrant, origin)
        .await;
    state.mail_signal.notify();
    match outcome {
        Ok(Registered::New { registration, .. }) => Ok(crate::web::redirect(&format!(
            "{}?welcome=1",
            links::path(&state.secret, &registration)
        ))),
        Ok(Registered::Already(_)) => {
            let page = register_page(ctx, &l, input, Vec::new(), lang.t("reg_already").into());
            render(&page.ctx, &page).map(|mut r| {
                *r.status_mut() = StatusCode::CONFLICT;
                r
            })
        }
        Err(e @ (AppError::RegistrationClosed | AppError::RegistrationNotOpen)) => {
            let page = register_page(ctx, &l, input, Vec::new(), String::new());
            render(&page.ctx, &page).map(|mut r| {
                *r.status_mut() = actix_web::ResponseError::status_code(&e);
                r
            })
        }
        Err(e) => Err(PageError::new(e, lang)),
    }
}

#[derive(Template)]
#[template(path = "pages/public/manage.html")]
struct ManagePage<'a> {
    ctx: PageCtx,
    p: &'a Programme,
    r: &'a RegistrationRow,
    token: String,
    f: FormView,
    sessions: Vec<SessionLine>,
    details: Vec<(&'static str, String)>,
    qr_svg: String,
    badge_token: String,
    welcome: bool,
    saved: bool,
    can_edit: bool,
    can_cancel: bool,
}

impl ManagePage<'_> {
    fn confirmed(&self) -> bool {
        self.r.status() == Status::Confirmed
    }

    fn waitlisted(&self) -> bool {
        self.r.status() == Status::Waitlisted
    }

    fn cancelled(&self) -> bool {
        self.r.status() == Status::Cancelled
    }

    fn status_label(&self) -> &'static str {
        self.r.status().label(self.ctx.lang)
    }
}

/// The registration behind a manage token, or 404 (a wrong, old or revoked link).
async fn by_token(
    state: &web::Data<AppState>,
    token: String,
) -> Result<(RegistrationRow, Loaded), AppError> {
    let public_ref = links::public_ref(&token)
        .ok_or(AppError::NotFound)?
        .to_string();
    let st = state.clone();
    let (reg, slug) = blocking(move || {
        let mut conn = st.pool.get()?;
        let reg = super::by_public_ref(&mut conn, &public_ref)?.ok_or(AppError::NotFound)?;
        if reg.is_erased() || !links::check(&st.secret, &reg, &token) {
            return Err(AppError::NotFound);
        }
        let slug = crate::programme::edition_slug(&mut conn, &reg.edition_id)?;
        Ok((reg, slug))
    })
    .await?;
    let l = load(state, slug).await?;
    Ok((reg, l))
}

async fn manage_view<'a>(
    state: &web::Data<AppState>,
    ctx: PageCtx,
    reg: &'a RegistrationRow,
    l: &'a Loaded,
    edit: Option<(RegistrationInput, Vec<crate::error::FieldError>)>,
    flags: (bool, bool),
) -> Result<ManagePage<'a>, AppError> {
    let lang = ctx.lang;
    let st = state.clone();
    let rid = reg.id.clone();
    let choices = blocking(move || super::choices(&mut *st.pool.get()?, &rid)).await?;
    let (input, errors) = edit.unwrap_or_else(|| {
        (
            input_from_row(reg, choices.iter().map(|c| c.key.clone()).collect()),
            Vec::new(),
        )
    });
    let badge_token = if reg.status() == Status::Confirmed {
        badges::token_for(&l.settings, reg)?
    } else {
        String::new()
    };
    let qr_svg = if badge_token.is_empty() {
        String::new()
    } else {
        badges::qr::svg(&badge_token, lang.t("mail_qr_alt"))
    };
    let window = Window::of(&l.settings, &l.p.edition, l.p.v.days.first().copied());
    Ok(ManagePage {
        token: links::token(&state.secret, reg),
        f: FormView::new(input, errors, &l.p, &l.seats, lang),
        sessions: compose::session_lines(&l.p, &choices, lang),
        details: compose::details(reg, lang),
        qr_svg,
        badge_token,
        welcome: flags.0,
        saved: flags.1,
        // Changes stay possible while registration is open; after that the organisers
        // help. Cancelling stays possible, so that a seat is never held by someone who
        // knows they will not come.
        can_edit: window.state(super::now()) != WindowState::Closed
            && reg.status() != Status::Cancelled,
        can_cancel: reg.status() != Status::Cancelled,
        p: &l.p,
        r: reg,
        ctx,
    })
}

#[derive(serde::Deserialize)]
pub struct ManageQuery {
    #[serde(default)]
    welcome: Option<String>,
}

/// `GET /r/{token}`
pub async fn manage(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    q: web::Query<ManageQuery>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    let (reg, l) = by_token(&state, token.into_inner()).await.or_page(lang)?;
    let page = manage_view(&state, ctx, &reg, &l, None, (q.welcome.is_some(), false))
        .await
        .or_page(lang)?;
    render(&page.ctx, &page).map(no_store)
}

/// Personal pages must not stay in shared caches or the back-forward cache of a kiosk.
fn no_store(mut r: HttpResponse) -> HttpResponse {
    r.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    r.headers_mut().insert(
        actix_web::http::header::REFERRER_POLICY,
        actix_web::http::header::HeaderValue::from_static("no-referrer"),
    );
    r
}

/// `POST /r/{token}`: the registrant changes their answers.
pub async fn manage_update(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: CsrfForm<Pairs>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    count_submission(&state, &req).or_page(lang)?;
    let (reg, l) = by_token(&state, token.into_inner()).await.or_page(lang)?;
    let window = Window::of(&l.settings, &l.p.edition, l.p.v.days.first().copied());
    if window.state(super::now()) == WindowState::Closed {
        return Err(PageError::new(AppError::RegistrationClosed, lang));
    }
    let mut input = input_from_pairs(&form.0);
    input.consent_privacy = true;
    let registrant = match form::validate(&input, &l.p, lang) {
        Ok(r) => r,
        Err(errors) => {
            let page = manage_view(&state, ctx, &reg, &l, Some((input, errors)), (false, false))
                .await
                .or_page(lang)?;
            return render(&page.ctx, &page).map(|mut r| {
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                no_store(r)
            });
        }
    };
    let st = state.clone();
    let rid = reg.id.clone();
    let updated = blocking(move || {
        super::update(
            &mut *st.pool.get()?,
            &rid,
            registrant,
            &super::Amendment::default(),
        )
    })
    .await;
    state.mail_signal.notify();
    match updated {
        Ok((reg, _)) => {
            let page = manage_view(&state, ctx, &reg, &l, None, (false, true))
                .await
                .or_page(lang)?;
            render(&page.ctx, &page).map(no_store)
        }
        Err(AppError::Validation(errors)) => {
            let page = manage_view(&state, ctx, &reg, &l, Some((input, errors)), (false, false))
                .await
                .or_page(lang)?;
            render(&page.ctx, &page).map(|mut r| {
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                no_store(r)
            })
        }
        Err(e) => Err(PageError::new(e, lang)),
    }
}

#[derive(serde::Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    confirm: Option<String>,
}

/// `POST /r/{token}/cancel`
pub async fn manage_cancel(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: CsrfForm<CancelForm>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    let token = token.into_inner();
    let (reg, _) = by_token(&state, token.clone()).await.or_page(lang)?;
    if form.0.confirm.is_none() {
        return Ok(crate::web::redirect(&format!("/r/{token}#cancel")));
    }
    let st = state.clone();
    blocking(move || super::cancel(&mut *st.pool.get()?, &reg.id))
        .await
        .or_page(lang)?;
    state.mail_signal.notify();
    Ok(crate::web::redirect(&format!("/r/{token}")))
}

/// `GET /r/{token}/badge.pdf`
pub async fn manage_badge(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let (reg, l) = by_token(&state, token.into_inner()).await.or_page(lang)?;
    if reg.status() != Status::Confirmed {
        return Err(PageError::new(AppError::NotFound, lang));
    }
    let text = BadgeText::new(&l.p, &l.settings, &reg, reg.lang()).or_page(lang)?;
    Ok(pdf_response(badges::pdf::badge(&text.face()), "badge.pdf"))
}

pub fn pdf_response(body: Vec<u8>, name: &str) -> HttpResponse {
    private_file("application/pdf", "inline", name, body)
}

/// A file holding personal data (a badge, an export): named, and never kept by caches.
/// `disposition` is `inline` (shown) or `attachment` (saved).
pub fn private_file(
    content_type: &str,
    disposition: &str,
    name: &str,
    body: impl actix_web::body::MessageBody + 'static,
) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("{disposition}; filename=\"{name}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

/// Everything stored about a person, as a JSON file to save.
pub fn personal_data_file(data: &serde_json::Value, name: &str) -> HttpResponse {
    private_file(
        "application/json",
        "attachment",
        name,
        serde_json::to_vec_pretty(data).unwrap_or_default(),
    )
}

/// `GET /r/{token}/programme.ics`: the sessions open to all on the days attended, and the
/// sessions chosen.
pub async fn manage_ics(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let (reg, l) = by_token(&state, token.into_inner()).await.or_page(lang)?;
    let st = state.clone();
    let rid = reg.id.clone();
    let choices = blocking(move || super::choices(&mut *st.pool.get()?, &rid))
        .await
        .or_page(lang)?;
    let body = crate::programme::ics::calendar(
        &l.p,
        &compose::personal_sessions(&l.p, &reg, &choices),
        reg.lang(),
        state.settings.public_url(),
    );
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

/// `GET /r/{token}/data.json`: everything stored about the registrant.
pub async fn manage_data(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let (reg, _) = by_token(&state, token.into_inner()).await.or_page(lang)?;
    let st = state.clone();
    let data = blocking(move || super::personal_data(&mut *st.pool.get()?, &reg.id))
        .await
        .or_page(lang)?;
    Ok(personal_data_file(&data, "my-registration.json"))
}
