//! What the server answers when no route does, or when the framework itself refuses a
//! request (a body over the limit, a query or path that does not parse): the error policy's
//! `{code, message}` on the API, an error page elsewhere, never the framework's plain text.
//!
//! A wrong method on an existing path is `405` with `Allow`: the route table's method guards
//! (`get()`, `post()`, … below) note every method they were asked about, so the default
//! service knows which ones the path has.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse, ResponseError, Route};

use crate::error::AppError;
use crate::i18n::Lang;
use crate::web::PageError;

/// Callers of `/api/...` read JSON; everyone else reads pages.
pub fn is_api(req: &HttpRequest) -> bool {
    req.path().starts_with("/api/")
}

/// The error as this caller reads it.
pub fn respond(req: &HttpRequest, e: AppError) -> HttpResponse {
    if is_api(req) {
        e.response_in(Lang::of_api(req))
    } else {
        let allow = match &e {
            AppError::MethodNotAllowed(m) => Some(m.join(", ")),
            _ => None,
        };
        let mut res = PageError::new(e, Lang::of(req)).error_response();
        if let Some(allow) = allow.and_then(|a| header::HeaderValue::from_str(&a).ok()) {
            res.headers_mut().insert(header::ALLOW, allow);
        }
        res
    }
}

/// The same, as an `actix_web::Error` for the extractors' error handlers.
fn refuse(req: &HttpRequest, e: AppError) -> actix_web::Error {
    if is_api(req) {
        e.into()
    } else {
        PageError::new(e, Lang::of(req)).into()
    }
}

/// The methods the path's routes were asked about while the request was routed.
#[derive(Debug, Default, Clone)]
struct Allowed(Vec<Method>);

struct MethodGuard(&'static [Method]);

impl Guard for MethodGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let mut data = ctx.req_data_mut();
        if data.get::<Allowed>().is_none() {
            data.insert(Allowed::default());
        }
        if let Some(allowed) = data.get_mut::<Allowed>() {
            for m in self.0 {
                if !allowed.0.contains(m) {
                    allowed.0.push(m.clone());
                }
            }
        }
        self.0.contains(&ctx.head().method)
    }
}

/// A resource-level guard for POST that still names POST in a 405's `Allow`.
pub fn post_guard() -> impl Guard {
    MethodGuard(&[Method::POST])
}

fn route(methods: &'static [Method]) -> Route {
    web::route().guard(MethodGuard(methods))
}

pub fn get() -> Route {
    route(&[Method::GET])
}

pub fn post() -> Route {
    route(&[Method::POST])
}

pub fn put() -> Route {
    route(&[Method::PUT])
}

pub fn delete() -> Route {
    route(&[Method::DELETE])
}

/// GET, and HEAD for link checkers and caches (the server sends HEAD answers without body).
pub fn read() -> Route {
    route(&[Method::GET, Method::HEAD])
}

/// No route took the request: 405 when its path has routes for other methods, else 404.
pub async fn no_route(req: HttpRequest) -> HttpResponse {
    let allowed = req
        .extensions()
        .get::<Allowed>()
        .cloned()
        .unwrap_or_default();
    let e = if allowed.0.is_empty() {
        AppError::NotFound
    } else {
        AppError::MethodNotAllowed(allowed.0.iter().map(|m| m.to_string()).collect())
    };
    respond(&req, e)
}

/// What an error the framework raised (not one of ours) means under the error policy.
pub fn from_framework(status: StatusCode, detail: String) -> AppError {
    match status {
        StatusCode::NOT_FOUND => AppError::NotFound,
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge(crate::app::MAX_BODY_BYTES),
        StatusCode::BAD_REQUEST => AppError::BadRequest(detail),
        s => AppError::Refused(s, detail),
    }
}

/// Answers every framework error in the error policy's shape; our own errors pass untouched.
/// (Handlers' and extractors' errors arrive here inside responses; a middleware's `Err`
/// passes through as it is.)
pub async fn shape_errors<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    // Asked before the call: a guard's refusal comes back without its request.
    let lang = is_api(req.request()).then(|| Lang::of_api(req.request()));
    let res = match next.call(req).await {
        Ok(res) => res,
        Err(e) => match (e.as_error::<AppError>(), lang) {
            (Some(ours), Some(lang)) if lang != Lang::En => {
                let answer = ours.response_in(lang);
                return Err(
                    actix_web::error::InternalError::from_response(e.to_string(), answer).into(),
                );
            }
            _ => return Err(e),
        },
    };
    let answer = match res.response().error() {
        None => None,
        // Our own errors answer in English; a caller who asked for another language
        // reads the same answer in theirs.
        Some(e) => match e.as_error::<AppError>() {
            Some(ours) => Some(Lang::of_api(res.request()))
                .filter(|l| *l != Lang::En && is_api(res.request()))
                .map(|l| ours.response_in(l)),
            None if e.as_error::<PageError>().is_some() => None,
            None => Some(respond(
                res.request(),
                from_framework(e.as_response_error().status_code(), e.to_string()),
            )),
        },
    };
    match answer {
        None => Ok(res.map_into_left_body()),
        Some(answer) => {
            let (req, _) = res.into_parts();
            Ok(ServiceResponse::new(req, answer).map_into_right_body())
        }
    }
}

/// Refuses (400) a query string naming a parameter the operation does not take, for
/// operations whose parameters are read without a struct that refuses them itself.
pub fn only_parameters(req: &HttpRequest, known: &[&str]) -> Result<(), AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    match pairs.iter().find(|(k, _)| !known.contains(&k.as_str())) {
        None => Ok(()),
        Some((k, _)) => Err(AppError::BadRequest(format!(
            "unknown query parameter {k:?}; this operation takes: {}",
            known.join(", ")
        ))),
    }
}

/// Error handlers for the extractors, so their refusals follow the policy too.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|e, req| refuse(req, AppError::BadRequest(e.to_string())))
}

/// A path segment that does not decode names nothing here.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_, req| refuse(req, AppError::NotFound))
}

pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(crate::app::MAX_BODY_BYTES)
        .error_handler(|e, req| {
            use actix_web::error::JsonPayloadError as J;
            let status = e.status_code();
            let app = match e {
                J::Deserialize(inner) if inner.is_data() => {
                    AppError::Validation(vec![crate::error::FieldError {
                        field: "$".into(),
                        code: "invalid_value".into(),
                        message: inner.to_string(),
                    }])
                }
                J::Deserialize(inner) => AppError::MalformedJson(inner.to_string()),
                J::Overflow { .. } | J::OverflowKnownLength { .. } => {
                    AppError::PayloadTooLarge(crate::app::MAX_BODY_BYTES)
                }
                other => from_framework(status, other.to_string()),
            };
            refuse(req, app)
        })
}

pub fn form_config(limit: usize) -> web::FormConfig {
    web::FormConfig::default()
        .limit(limit)
        .error_handler(|e, req| {
            let app = match e {
                actix_web::error::UrlencodedError::Overflow { limit, .. } => {
                    AppError::PayloadTooLarge(limit)
                }
                other => from_framework(other.status_code(), other.to_string()),
            };
            refuse(req, app)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn framework_refusals_keep_their_meaning() {
        let too_big = from_framework(StatusCode::PAYLOAD_TOO_LARGE, "overflow".into());
        assert_eq!(too_big.code(), "payload_too_large");
        assert_eq!(too_big.status_code(), StatusCode::PAYLOAD_TOO_LARGE);
        let media = from_framework(StatusCode::UNSUPPORTED_MEDIA_TYPE, "text/plain".into());
        assert_eq!(media.code(), "unsupported_media_type");
        assert_eq!(media.status_code(), 415);
        assert_eq!(
            from_framework(StatusCode::NOT_FOUND, String::new()).code(),
            "not_found"
        );
        let broken = from_framework(StatusCode::BAD_GATEWAY, String::new());
        assert_eq!(
            (broken.code(), broken.status_code().as_u16()),
            ("internal", 502)
        );
    }

    #[test]
    fn unknown_query_parameters_are_named() {
        let req = TestRequest::with_uri("/api/v1/x?q=a&status=confirmed").to_http_request();
        assert!(only_parameters(&req, &["q", "status"]).is_ok());
        let req = TestRequest::with_uri("/api/v1/x?q=a&colour=red").to_http_request();
        let e = only_parameters(&req, &["q", "status"]).unwrap_err();
        assert_eq!(e.code(), "bad_request");
        assert!(e.to_string().contains("colour"), "{e}");
        let req = TestRequest::with_uri("/api/v1/x").to_http_request();
        assert!(only_parameters(&req, &[]).is_ok());
    }

    #[test]
    fn the_api_reads_json_and_pages_read_pages() {
        let api = TestRequest::with_uri("/api/v1/editions").to_http_request();
        let res = respond(
            &api,
            AppError::MethodNotAllowed(vec!["GET".into(), "HEAD".into()]),
        );
        assert_eq!(res.status(), 405);
        assert_eq!(res.headers().get("allow").unwrap(), "GET, HEAD");
        assert_eq!(
            res.headers().get("content-type").unwrap(),
            "application/json"
        );
        let page = TestRequest::with_uri("/login").to_http_request();
        let res = respond(&page, AppError::MethodNotAllowed(vec!["POST".into()]));
        assert_eq!(res.headers().get("allow").unwrap(), "POST");
        assert!(res
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/html"));
    }
}
