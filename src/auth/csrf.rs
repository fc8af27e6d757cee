//! CSRF protection for HTML forms: a random token in a `SameSite=Strict` cookie that every
//! form must echo in its `csrf_token` field (double submit). JSON routes called with a bearer
//! token need none (a browser never sends one on its own); called with the login cookie (the
//! desk page), they need the token in an `X-CSRF-Token` header.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::error::AppError;
use crate::i18n::Lang;
use crate::web::PageError;

/// Over HTTPS the cookie takes the `__Host-` prefix: browsers then refuse it from a
/// sibling subdomain or without `Secure`, which closes the double-submit's known gap.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-rencontres_csrf"
    } else {
        "rencontres_csrf"
    }
}

/// The request's CSRF token, and the cookie to set when it had none.
pub fn token(req: &HttpRequest, secure: bool) -> (String, Option<Cookie<'static>>) {
    if let Some(c) = req.cookie(cookie_name(secure)) {
        if c.value().len() >= 32 {
            return (c.value().to_string(), None);
        }
    }
    let value = crate::auth::random_token("");
    let cookie = Cookie::build(cookie_name(secure), value.clone())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish();
    (value, Some(cookie))
}

/// Whether the browser says the request comes from another site: `Sec-Fetch-Site:
/// cross-site`, or an `Origin` whose host is not the one the request was sent to. Browsers
/// send both on every cross-site form post; a request without either (an old browser, a
/// script) is left to the token.
pub fn foreign_origin(req: &HttpRequest) -> bool {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if header("Sec-Fetch-Site").is_some_and(|v| v.eq_ignore_ascii_case("cross-site")) {
        return true;
    }
    match header("Origin") {
        None => false,
        Some(origin) => {
            let host = req.connection_info().host().to_ascii_lowercase();
            origin_host(origin).is_none_or(|o| o != host)
        }
    }
}

/// `https://example.org:8443` → `example.org:8443`; `null` and garbage → `None`.
fn origin_host(origin: &str) -> Option<String> {
    let (_, rest) = origin.split_once("://")?;
    let host = rest.split('/').next().unwrap_or("");
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

fn check(req: &HttpRequest, submitted: &str) -> Result<(), AppError> {
    if foreign_origin(req) {
        return Err(AppError::Csrf);
    }
    let secure = req
        .app_data::<web::Data<crate::app::AppState>>()
        .is_none_or(|s| s.settings.server.cookie_secure);
    match req.cookie(cookie_name(secure)) {
        Some(c)
            if !submitted.is_empty()
                && bool::from(c.value().as_bytes().ct_eq(submitted.as_bytes())) =>
        {
            Ok(())
        }
        _ => Err(AppError::Csrf),
    }
}

/// The `X-CSRF-Token` header of a script's request, checked against the cookie.
pub fn check_header(req: &HttpRequest) -> Result<(), AppError> {
    let submitted = req
        .headers()
        .get("X-CSRF-Token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    check(req, submitted)
}

/// A urlencoded form whose `csrf_token` matched the cookie; handlers of forms take this
/// instead of `web::Form`, so a missing or wrong token never reaches them.
pub struct CsrfForm<T>(pub T);

#[derive(Deserialize)]
struct TokenField {
    #[serde(default)]
    csrf_token: String,
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let lang = Lang::of(&req);
            let fail = |e: AppError| PageError::new(e, lang);
            // A body over the limit is 413, like everywhere else.
            let body = body.await.map_err(|e| {
                let status = e.as_response_error().status_code();
                fail(crate::fallback::from_framework(status, e.to_string()))
            })?;
            let token: TokenField = serde_urlencoded::from_bytes(&body)
                .map_err(|e| fail(AppError::BadRequest(e.to_string())))?;
            check(&req, &token.csrf_token).map_err(fail)?;
            serde_urlencoded::from_bytes::<T>(&body)
                .map(CsrfForm)
                .map_err(|e| fail(AppError::BadRequest(e.to_string())))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn with(headers: &[(&'static str, &'static str)]) -> HttpRequest {
        let mut req = TestRequest::post()
            .uri("/login")
            .insert_header(("Host", "rencontres.example:8080"));
        for h in headers {
            req = req.insert_header(*h);
        }
        req.to_http_request()
    }

    #[test]
    fn a_foreign_origin_is_refused_and_our_own_is_not() {
        assert!(!foreign_origin(&with(&[])));
        assert!(!foreign_origin(&with(&[(
            "Origin",
            "http://rencontres.example:8080"
        )])));
        assert!(!foreign_origin(&with(&[("Sec-Fetch-Site", "same-origin")])));
        assert!(foreign_origin(&with(&[("Origin", "https://evil.example")])));
        assert!(foreign_origin(&with(&[(
            "Origin",
            "http://rencontres.example"
        )])));
        assert!(foreign_origin(&with(&[("Origin", "null")])));
        assert!(foreign_origin(&with(&[("Sec-Fetch-Site", "cross-site")])));
    }
}
