//! What every HTML page shares: the page context (language, CSRF token, staff member),
//! rendering, the error page, dates in words, the stylesheet and security headers.

use actix_web::cookie::Cookie;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use chrono::{Datelike, NaiveDate};

use crate::auth::StaffUser;
use crate::error::AppError;
use crate::i18n::Lang;

/// What the layout needs on every page.
pub struct PageCtx {
    pub lang: Lang,
    pub csrf: String,
    pub user: Option<StaffUser>,
    pub path: String,
    csrf_cookie: Option<Cookie<'static>>,
}

impl PageCtx {
    /// For pages with forms: ensures the visitor has a CSRF token.
    pub fn new(req: &HttpRequest, secure_cookies: bool) -> Self {
        let (csrf, csrf_cookie) = crate::auth::csrf::token(req, secure_cookies);
        PageCtx {
            lang: Lang::of(req),
            csrf,
            user: req.extensions().get::<StaffUser>().cloned(),
            path: req.path().to_string(),
            csrf_cookie,
        }
    }

    /// For public pages without forms: no cookie is set, so responses stay cacheable.
    pub fn public(req: &HttpRequest) -> Self {
        PageCtx {
            lang: Lang::of(req),
            csrf: String::new(),
            user: None,
            path: req.path().to_string(),
            csrf_cookie: None,
        }
    }

    /// Interface text in the page's language.
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The same page in each other language: (code, its own name, link).
    pub fn switches(&self) -> Vec<(&'static str, &'static str, String)> {
        self.lang
            .others()
            .map(|l| {
                (
                    l.code(),
                    l.t("language_native"),
                    format!("{}?lang={}", self.path, l.code()),
                )
            })
            .collect()
    }

    /// A count in words, the plural chosen by the catalogue (`count` argument).
    pub fn count(&self, key: &str, n: impl std::borrow::Borrow<usize>) -> String {
        self.lang.tf(key, &[("count", (*n.borrow()).into())])
    }

    /// Organisers and admins see the organisers' pages; the desk does not.
    pub fn is_organiser(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.role.allows(crate::auth::Role::Organiser))
    }

    pub fn is_admin(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.role == crate::auth::Role::Admin)
    }
}

/// Renders a page, setting the CSRF cookie when the visitor had none.
pub fn render(ctx: &PageCtx, page: &impl Template) -> Result<HttpResponse, PageError> {
    let html = page
        .render()
        .map_err(|e| PageError::new(AppError::internal(e), ctx.lang))?;
    let mut res = HttpResponse::Ok();
    res.content_type("text/html; charset=utf-8");
    if let Some(c) = &ctx.csrf_cookie {
        res.cookie(c.clone());
    }
    Ok(res.body(html))
}

pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    lang: Lang,
    status: u16,
    title: &'a str,
    detail: String,
}

impl ErrorPage<'_> {
    fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }
}

/// An error shown as an HTML page in the visitor's language.
#[derive(Debug)]
pub struct PageError {
    pub error: AppError,
    pub lang: Lang,
}

impl PageError {
    pub fn new(error: AppError, lang: Lang) -> Self {
        PageError { error, lang }
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.error.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = %self.error, "page failed");
        }
        let key = match self.error.code() {
            "not_found" => "error_not_found",
            "forbidden" => "error_forbidden",
            "csrf_failed" => "error_csrf",
            "rate_limited" => "error_rate_limited",
            "unauthenticated" => "error_unauthenticated",
            "bad_request" | "validation_failed" => "error_bad_request",
            "in_use" | "already_exists" | "conflicts" => "error_conflict",
            "registration_closed" => "reg_closed",
            "registration_not_open" => "error_reg_not_open",
            "already_registered" => "reg_already",
            "method_not_allowed" => "error_method_not_allowed",
            "payload_too_large" => "error_too_large",
            _ if status.is_client_error() => "error_bad_request",
            _ => "error_internal",
        };
        let detail = match &self.error {
            AppError::InUse(m) | AppError::AlreadyExists(m) => m.show(self.lang),
            _ => String::new(),
        };
        let page = ErrorPage {
            lang: self.lang,
            status: status.as_u16(),
            title: self.lang.t(key),
            detail,
        };
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(page.render().unwrap_or_else(|_| status.to_string()))
    }
}

/// Lets page handlers use `?` on service results.
pub trait OrPage<T> {
    fn or_page(self, lang: Lang) -> Result<T, PageError>;
}

impl<T> OrPage<T> for Result<T, AppError> {
    fn or_page(self, lang: Lang) -> Result<T, PageError> {
        self.map_err(|e| PageError::new(e, lang))
    }
}

fn weekday_name(day: NaiveDate, lang: Lang) -> &'static str {
    const KEYS: [&str; 7] = [
        "weekday_1",
        "weekday_2",
        "weekday_3",
        "weekday_4",
        "weekday_5",
        "weekday_6",
        "weekday_7",
    ];
    lang.t(KEYS[day.weekday().num_days_from_monday() as usize])
}

fn month_name(day: NaiveDate, lang: Lang) -> &'static str {
    const KEYS: [&str; 12] = [
        "month_1", "month_2", "month_3", "month_4", "month_5", "month_6", "month_7", "month_8",
        "month_9", "month_10", "month_11", "month_12",
    ];
    lang.t(KEYS[day.month0() as usize])
}

/// "lundi 18 septembre 2023" / "Monday 18 September 2023" / "lunes 18 de septiembre de 2023".
pub fn day_label(day: NaiveDate, lang: Lang) -> String {
    lang.tf(
        "date_long",
        &[
            ("weekday", weekday_name(day, lang).into()),
            ("day", day.day().to_string().into()),
            ("month", month_name(day, lang).into()),
            ("year", day.year().to_string().into()),
        ],
    )
}

/// "18–19 septembre 2023" style span of an edition's days.
pub fn days_span(days: &[NaiveDate], lang: Lang) -> String {
    match (days.first(), days.last()) {
        (Some(a), Some(b)) if a == b => day_label(*a, lang),
        (Some(a), Some(b)) => {
            let key = if a.month() == b.month() && a.year() == b.year() {
                "date_span_one_month"
            } else {
                "date_span"
            };
            lang.tf(
                key,
                &[
                    ("from_day", a.day().to_string().into()),
                    ("from_month", month_name(*a, lang).into()),
                    ("to_day", b.day().to_string().into()),
                    ("to_month", month_name(*b, lang).into()),
                    ("year", b.year().to_string().into()),
                ],
            )
        }
        _ => String::new(),
    }
}

/// A response body kept ready in plain and gzip form, for pages and documents that many
/// visitors fetch unchanged: a request then costs a copy, not a render or a compression.
pub struct Encoded {
    plain: actix_web::web::Bytes,
    gzip: actix_web::web::Bytes,
    /// Strong validator of the content, so that a client holding it gets a 304.
    etag: String,
}

impl Encoded {
    pub fn new(body: Vec<u8>) -> Self {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(
            Vec::with_capacity(body.len() / 4),
            flate2::Compression::default(),
        );
        let gzip = encoder
            .write_all(&body)
            .and_then(|_| encoder.finish())
            .unwrap_or_default();
        let etag = {
            use sha2::Digest;
            let digest = sha2::Sha256::digest(&body);
            format!(
                "\"{}\"",
                digest[..12]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            )
        };
        Encoded {
            plain: body.into(),
            gzip: gzip.into(),
            etag,
        }
    }

    /// Answers 304 when the client already holds this content, else the gzip form when the
    /// client accepts it (the compression middleware leaves responses that already carry a
    /// Content-Encoding alone). `vary` names the request headers the content depends on.
    pub fn respond(
        &self,
        req: &HttpRequest,
        content_type: &'static str,
        vary: &'static str,
    ) -> HttpResponse {
        let held = req
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .any(|t| t.trim().trim_start_matches("W/") == self.etag)
            });
        if held {
            return HttpResponse::NotModified()
                .insert_header((header::ETAG, self.etag.clone()))
                .insert_header((header::VARY, vary))
                .finish();
        }
        let gzip = !self.gzip.is_empty()
            && req
                .headers()
                .get(header::ACCEPT_ENCODING)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
        let mut res = HttpResponse::Ok();
        res.content_type(content_type)
            .insert_header((header::VARY, vary))
            .insert_header((header::ETAG, self.etag.clone()))
            // Caches must ask again: the programme changes while people plan their day.
            .insert_header((header::CACHE_CONTROL, "no-cache"));
        if gzip {
            res.insert_header((header::CONTENT_ENCODING, "gzip"))
                .body(self.gzip.clone())
        } else {
            res.body(self.plain.clone())
        }
    }
}

pub const STYLESHEET: &str = include_str!("../templates/static/app.css");

pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(STYLESHEET)
}

/// Headers every response carries.
/// Route parameters that open something by themselves (a registrant's personal link):
/// never written to a log.
const SECRET_PARAMS: &[&str] = &["token"];

/// The request's path as the log may keep it: the route it matched, with its parameters
/// filled in except the secret ones; for a path no route matched, with every segment that
/// looks like a token masked.
pub fn loggable_path(req: &HttpRequest) -> String {
    match req.match_pattern() {
        Some(pattern) => fill_pattern(&pattern, |name| {
            if SECRET_PARAMS.contains(&name) {
                None
            } else {
                req.match_info().get(name).map(str::to_string)
            }
        }),
        None => mask_tokens(req.path()),
    }
}

/// `/editions/{slug}/r/{token}` with `slug` known → `/editions/raict/r/{token}`.
fn fill_pattern(pattern: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        let name = inner.split(':').next().unwrap_or(inner);
        match value(name) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[open..=open + close]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Masks path segments long enough and random enough to be a secret (a manage link's
/// reference and signature, a badge code).
fn mask_tokens(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            // A slug or key reads as words joined by hyphens; a token does not.
            let slug = seg.contains('-')
                && seg
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if seg.len() >= 20 && !slug {
                "{redacted}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

pub fn security_headers() -> actix_web::middleware::DefaultHeaders {
    actix_web::middleware::DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
        .add((
            "Content-Security-Policy",
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                 script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            ),
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_paths_keep_no_secret() {
        let known = |name: &str| (name == "slug").then(|| "raict-2023".to_string());
        assert_eq!(
            fill_pattern("/editions/{slug}/register", known),
            "/editions/raict-2023/register"
        );
        assert_eq!(
            fill_pattern("/r/{token}/badge.pdf", known),
            "/r/{token}/badge.pdf"
        );
        let link = "/r/3f9a0c2b7d1e4a5b6c7d8e9f.AbCdEfGhIjKlMnOpQrStUvWxYz012345";
        assert_eq!(mask_tokens(link), "/r/{redacted}");
        assert_eq!(
            mask_tokens("/editions/raict-2023/sessions/s01"),
            "/editions/raict-2023/sessions/s01"
        );
    }

    #[test]
    fn days_read_naturally() {
        let d = NaiveDate::from_ymd_opt(2023, 9, 18).unwrap();
        assert_eq!(day_label(d, Lang::Fr), "lundi 18 septembre 2023");
        assert_eq!(day_label(d, Lang::En), "Monday 18 September 2023");
        let e = NaiveDate::from_ymd_opt(2023, 9, 19).unwrap();
        assert_eq!(days_span(&[d, e], Lang::Fr), "18–19 septembre 2023");
        assert_eq!(day_label(d, Lang::Es), "lunes 18 de septiembre de 2023");
        assert_eq!(days_span(&[d, e], Lang::Es), "18–19 de septiembre de 2023");
        let f = NaiveDate::from_ymd_opt(2023, 10, 2).unwrap();
        assert_eq!(
            days_span(&[d, f], Lang::En),
            "18 September – 2 October 2023"
        );
    }
}
