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
/// address added to X-Forwarded-For that is not itself a trusted proxy. Entries left of
/// that one were written by the client and are never believed.
pub fn client_address(req: &HttpRequest, trusted_proxies: &[String]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".into();
    };
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect();
    pick_client(peer, &forwarded, trusted_proxies).to_string()
}

/// The rule of [`client_address`], on plain values. `forwarded` holds the header's values
/// in the order received; each is a comma-separated list, the nearest hop last.
pub fn pick_client(
    peer: std::net::IpAddr,
    forwarded: &[&str],
    trusted: &[String],
) -> std::net::IpAddr {
    let mut client = peer.to_canonical();
    if !is_trusted(client, trusted) {
        return client;
    }
    let hops = forwarded.iter().rev().flat_map(|v| v.rsplit(','));
    for hop in hops.map(str::trim) {
        match hop.parse::<std::net::IpAddr>() {
            Ok(addr) => {
                client = addr.to_canonical();
                if !is_trusted(client, trusted) {
                    break;
                }
            }
            // A trusted proxy writes addresses; anything else ends what can be believed.
            Err(_) => break,
        }
    }
    client
}

/// Whether an address is one of the trusted proxies, each written as an address
/// (`10.0.0.5`, `::1`) or a range (`10.0.0.0/8`, `fd00::/8`).
pub fn is_trusted(addr: std::net::IpAddr, trusted: &[String]) -> bool {
    trusted.iter().any(|entry| in_range(addr, entry.trim()))
}

fn in_range(addr: std::net::IpAddr, entry: &str) -> bool {
    use std::net::IpAddr;
    let (base, bits) = match entry.split_once('/') {
        Some((base, bits)) => match bits.parse::<u32>() {
            Ok(bits) => (base, Some(bits)),
            Err(_) => return false,
        },
        None => (entry, None),
    };
    let Ok(base) = base.parse::<IpAddr>() else {
        return false;
    };
    match (addr.to_canonical(), base.to_canonical()) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let bits = bits.unwrap_or(32).min(32);
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let bits = bits.unwrap_or(128).min(128);
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
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
        Err(AppError::AlreadyExists(m)) => staff_page(&req, &state, &me.0.id, m.show(lang)).await,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> std::net::IpAddr {
        s.parse().unwrap()
    }

    fn list(entries: &[&str]) -> Vec<String> {
        entries.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let proxies = list(&["10.0.0.5"]);
        // Straight from the client: the header is the client's own writing.
        assert_eq!(
            pick_client(ip("198.51.100.7"), &["203.0.113.9"], &proxies),
            ip("198.51.100.7")
        );
        // Through the proxy: the address it added.
        assert_eq!(
            pick_client(ip("10.0.0.5"), &["203.0.113.9"], &proxies),
            ip("203.0.113.9")
        );
        // A client's forged entry sits left of the one the proxy added.
        assert_eq!(
            pick_client(ip("10.0.0.5"), &["1.2.3.4, 203.0.113.9"], &proxies),
            ip("203.0.113.9")
        );
        // Two header lines read as one list; garbage ends the walk.
        assert_eq!(
            pick_client(ip("10.0.0.5"), &["1.2.3.4", "203.0.113.9"], &proxies),
            ip("203.0.113.9")
        );
        assert_eq!(
            pick_client(ip("10.0.0.5"), &["not an address"], &proxies),
            ip("10.0.0.5")
        );
        // No header: the proxy itself.
        assert_eq!(pick_client(ip("10.0.0.5"), &[], &proxies), ip("10.0.0.5"));
    }

    #[test]
    fn chains_of_proxies_and_ranges() {
        let proxies = list(&["10.0.0.0/8", "fd00::/8"]);
        assert_eq!(
            pick_client(ip("10.1.2.3"), &["203.0.113.9, 10.9.9.9"], &proxies),
            ip("203.0.113.9")
        );
        assert!(is_trusted(ip("fd12::1"), &proxies));
        assert!(!is_trusted(ip("fe80::1"), &proxies));
        assert!(!is_trusted(ip("11.0.0.1"), &proxies));
        // An IPv4 peer seen through an IPv6 socket is the same address.
        assert!(is_trusted(ip("::ffff:10.0.0.1"), &proxies));
        assert!(is_trusted(ip("127.0.0.1"), &list(&["127.0.0.1"])));
        assert!(!is_trusted(
            ip("127.0.0.1"),
            &list(&["127.0.0.1/x", "nonsense"])
        ));
        assert!(is_trusted(ip("192.0.2.1"), &list(&["0.0.0.0/0"])));
    }
}
