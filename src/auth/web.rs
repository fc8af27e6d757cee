//! Login, logout and the admin's staff page.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::guard::{Staff, SESSION_COOKIE};
use super::{Role, StaffRow};
use crate::app::AppState;
use crate::error::{blocking, AppError};
use crate::web::{redirect, render, OrPage, PageCtx, PageError};

#[derive(Template)]
#[template(path = "pages/login.html")]
struct LoginPage<'a> {
    ctx: &'a PageCtx,
    next: String,
    email: String,
    failed: bool,
}

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// Only local paths, so the login page cannot be used to send people elsewhere.
fn safe_next(next: &str) -> String {
    // Browsers drop tabs and newlines inside URLs, so "/\t/evil" would become "//evil".
    let clean = !next
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if clean && next.starts_with('/') && !next.starts_with("//") {
        next.to_string()
    } else {
        "/admin".to_string()
    }
}

/// Where a login lands: the `next` it asked for, else the home of the role. Desk volunteers
/// cannot use the organisers' pages, so theirs is the desk.
fn landing(next: &str, role: Role) -> String {
    if role == Role::Desk && (next.is_empty() || next == "/admin") {
        "/desk".to_string()
    } else {
        safe_next(next)
    }
}

/// The `next` a login form carries: empty when none was asked for, so that the role decides.
fn form_next(next: &str) -> String {
    if next.is_empty() {
        String::new()
    } else {
        safe_next(next)
    }
}

pub async fn login_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    render(
        &ctx,
        &LoginPage {
            ctx: &ctx,
            next: form_next(&q.next),
            email: String::new(),
            failed: false,
        },
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// The client's address: the peer, or, when the peer is a trusted reverse proxy, the last
/// address it added to X-Forwarded-For that is not itself a trusted proxy.
pub fn client_address(req: &HttpRequest, trusted_proxies: &[String]) -> String {
    let peer = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    req.headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.rsplit(',')
                .map(str::trim)
                .find(|a| !a.is_empty() && !trusted_proxies.iter().any(|t| t == a))
                .map(str::to_string)
        })
        .unwrap_or(peer)
}

pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<LoginForm>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let form = form.0;
    // Failures count per address and per account; successful logins do not count, so a
    // team behind one office address is not locked out by its own work.
    let keys = [
        format!(
            "ip:{}",
            client_address(&req, &state.settings.security.trusted_proxies)
        ),
        format!("account:{}", form.email.trim().to_lowercase()),
    ];
    if keys.iter().any(|k| state.login_limiter.blocked(k)) {
        return Err(PageError::new(AppError::RateLimited, ctx.lang));
    }
    let st = state.clone();
    let (email, password) = (form.email.clone(), form.password);
    let hours = state.settings.security.session_hours;
    let session = blocking(move || {
        let mut conn = st.pool.get()?;
        match super::authenticate(&mut conn, &email, &password)? {
            Some(user) => Ok(Some((
                super::open_session(&mut conn, &user.id, hours)?,
                user.role,
            ))),
            None => Ok(None),
        }
    })
    .await
    .or_page(ctx.lang)?;
    match session {
        Some((token, role)) => {
            let cookie = Cookie::build(SESSION_COOKIE, token)
                .path("/")
                .http_only(true)
                .secure(state.settings.server.cookie_secure)
                .same_site(SameSite::Lax)
                .max_age(actix_web::cookie::time::Duration::hours(hours))
                .finish();
            let mut res = redirect(&landing(&form.next, role));
            res.add_cookie(&cookie)
                .map_err(|e| PageError::new(AppError::internal(e), ctx.lang))?;
            Ok(res)
        }
        None => {
            for k in &keys {
                state.login_limiter.fail(k);
            }
            tracing::warn!(client = %keys[0], "failed login");
            let mut res = render(
                &ctx,
                &LoginPage {
                    ctx: &ctx,
                    next: form_next(&form.next),
                    email: form.email,
                    failed: true,
                },
            )?;
            *res.status_mut() = actix_web::http::StatusCode::UNAUTHORIZED;
            Ok(res)
        }
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let lang = crate::i18n::Lang::of(&req);
    if let Some(c) = req.cookie(SESSION_COOKIE) {
        let token = c.value().to_string();
        let st = state.clone();
        blocking(move || super::close_session(&mut *st.pool.get()?, &token))
            .await
            .or_page(lang)?;
        state.identities.forget_all();
    }
    let mut res = redirect("/");
    let mut gone = Cookie::build(SESSION_COOKIE, "").path("/").finish();
    gone.make_removal();
    res.add_cookie(&gone)
        .map_err(|e| PageError::new(AppError::internal(e), lang))?;
    Ok(res)
}

pub struct StaffLine {
    pub id: String,
    pub email: String,
    pub role: &'static str,
    pub active: bool,
    pub me: bool,
}

#[derive(Template)]
#[template(path = "pages/admin/staff.html")]
struct StaffPage<'a> {
    ctx: &'a PageCtx,
    staff: Vec<StaffLine>,
    roles: [Role; 3],
    error: String,
}

fn lines(rows: Vec<StaffRow>, me: &str) -> Vec<StaffLine> {
    rows.into_iter()
        .map(|r| StaffLine {
            me: r.id == me,
            role: Role::parse(&r.role).unwrap_or(Role::Desk).code(),
            id: r.id,
            email: r.email,
            active: r.active,
        })
        .collect()
}

async fn staff_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    me: &str,
    error: String,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(req, state.settings.server.cookie_secure);
    let st = state.clone();
    let rows = blocking(move || super::list_users(&mut *st.pool.get()?))
        .await
        .or_page(ctx.lang)?;
    render(
        &ctx,
        &StaffPage {
            ctx: &ctx,
            staff: lines(rows, me),
            roles: Role::ALL,
            error,
        },
    )
}

pub async fn staff_list(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: Staff,
) -> Result<HttpResponse, PageError> {
    staff_page(&req, &state, &me.0.id, String::new()).await
}

#[derive(Deserialize)]
pub struct NewStaff {
    email: String,
    password: String,
    role: String,
}

pub async fn staff_create(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: Staff,
    form: CsrfForm<NewStaff>,
) -> Result<HttpResponse, PageError> {
    let lang = crate::i18n::Lang::of(&req);
    let f = form.0;
    let role = Role::parse(&f.role)
        .ok_or_else(|| AppError::BadRequest("unknown role".into()))
        .or_page(lang)?;
    let st = state.clone();
    let result =
        blocking(move || super::create_user(&mut *st.pool.get()?, &f.email, &f.password, role))
            .await;
    match result {
        Ok(_) => Ok(redirect("/admin/staff")),
        Err(AppError::Validation(errors)) => {
            let text = errors
                .iter()
                .map(|e| format!("{} : {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join(" ; ");
            staff_page(&req, &state, &me.0.id, text).await
        }
        Err(AppError::AlreadyExists(m)) => staff_page(&req, &state, &me.0.id, m).await,
        Err(e) => Err(PageError::new(e, lang)),
    }
}

#[derive(Deserialize)]
pub struct StaffUpdate {
    role: String,
    #[serde(default)]
    active: Option<String>,
}

pub async fn staff_update(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: Staff,
    id: web::Path<String>,
    form: CsrfForm<StaffUpdate>,
) -> Result<HttpResponse, PageError> {
    let lang = crate::i18n::Lang::of(&req);
    let id = id.into_inner();
    let role = Role::parse(&form.0.role)
        .ok_or_else(|| AppError::BadRequest("unknown role".into()))
        .or_page(lang)?;
    let active = form.0.active.is_some();
    if id == me.0.id && (role != Role::Admin || !active) {
        // An admin cannot lock themselves out; another admin must do it.
        return staff_page(
            &req,
            &state,
            &me.0.id,
            "You cannot remove your own admin access.".into(),
        )
        .await;
    }
    let st = state.clone();
    blocking(move || super::update_user(&mut *st.pool.get()?, &id, role, active))
        .await
        .or_page(lang)?;
    state.identities.forget_all();
    Ok(redirect("/admin/staff"))
}
