//! Errors and how they reach callers.
//!
//! Policy:
//! - Every failure a caller can act on has a variant with a stable `code` (snake_case, never
//!   renamed once published) and an HTTP status. API clients branch on `code`, people read
//!   `message`.
//! - Bad input is `Validation` (422) with one entry per problem, each naming the field or the
//!   JSON path; nothing is written when any problem is found.
//! - Conflicts in the programme are `Conflicts` (409): the caller can repeat the request with
//!   an explicit decision to save over them.
//! - Database and internal failures are logged with their detail and answered as a bare
//!   `internal` (500): no SQL or paths leak to callers.
//! - JSON routes answer `{"code", "message", "errors"?, "conflicts"?}`; page handlers turn the
//!   same errors into HTML pages (see `web::page_error`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::Lang;
use crate::programme::conflicts::Conflict;

/// A message raised where the reader's language is not known (deep in a service, on a
/// blocking thread): a catalogue key and its arguments, put into words when answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    key: &'static str,
    args: Vec<(&'static str, String)>,
}

impl Text {
    pub fn new(key: &'static str) -> Self {
        Text {
            key,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    pub fn show(&self, lang: Lang) -> String {
        let args: Vec<(&str, crate::i18n::Arg)> = self
            .args
            .iter()
            .map(|(k, v)| (*k, v.as_str().into()))
            .collect();
        lang.tf(self.key, &args)
    }
}

/// English, for the logs.
impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.show(Lang::En))
    }
}

/// One problem with the input: the field (or JSON path), a stable code and a message.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldError {
    /// Form field or JSON path, e.g. `sessions[3].end`.
    pub field: String,
    /// Stable machine-readable code, e.g. `end_before_start`.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("authentication required")]
    Unauthenticated,
    #[error("this role may not do that")]
    Forbidden,
    #[error("the form has expired or did not come from this site; reload the page and try again")]
    Csrf,
    #[error("too many attempts; wait a few minutes")]
    RateLimited,
    #[error("the request body is not valid: {0}")]
    BadRequest(String),
    #[error("the body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("this endpoint takes a JSON body: send it with Content-Type: application/json")]
    UnsupportedMediaType,
    #[error("this nonce was already used for another scan; make a new nonce for each scan")]
    NonceReused,
    #[error("some fields are invalid")]
    Validation(Vec<FieldError>),
    #[error("the change creates conflicts in the programme")]
    Conflicts(Vec<Conflict>),
    #[error("someone else changed this in the meantime; reload to see their version, then redo your change")]
    Stale,
    #[error("{0}")]
    InUse(Text),
    #[error("{0}")]
    AlreadyExists(Text),
    #[error("registration for this edition is not open yet")]
    RegistrationNotOpen,
    #[error("registration for this edition is closed")]
    RegistrationClosed,
    #[error("this email address is already registered for this edition; its manage link is emailed to it again (at most every ten minutes)")]
    AlreadyRegistered,
    #[error("no seat is left at this edition")]
    EditionFull,
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("database unavailable: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("internal error: {0}")]
    Internal(String),
    /// The path exists, with other methods (listed in `Allow`).
    #[error("this path does not take this method; it takes {}", .0.join(", "))]
    MethodNotAllowed(Vec<String>),
    #[error("the request body is larger than the limit of {0} bytes")]
    PayloadTooLarge(usize),
    /// Any other refusal raised by the HTTP layer itself, with its status.
    #[error("the request was refused: {1}")]
    Refused(StatusCode, String),
}

impl AppError {
    /// The stable code callers branch on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "csrf_failed",
            AppError::RateLimited => "rate_limited",
            AppError::BadRequest(_) => "bad_request",
            AppError::MalformedJson(_) => "malformed_json",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::NonceReused => "nonce_reused",
            AppError::Validation(_) => "validation_failed",
            AppError::Conflicts(_) => "conflicts",
            AppError::InUse(_) => "in_use",
            AppError::Stale => "stale",
            AppError::AlreadyExists(_) => "already_exists",
            AppError::RegistrationNotOpen => "registration_not_open",
            AppError::RegistrationClosed => "registration_closed",
            AppError::AlreadyRegistered => "already_registered",
            AppError::EditionFull => "edition_full",
            AppError::Database(diesel::result::Error::NotFound) => "not_found",
            AppError::Database(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => "already_exists",
            AppError::Database(_) | AppError::Pool(_) | AppError::Internal(_) => "internal",
            AppError::MethodNotAllowed(_) => "method_not_allowed",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::Refused(status, _) => refused_code(*status),
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        AppError::Internal(e.to_string())
    }

    /// What callers read, in their language.
    pub fn message(&self, lang: Lang) -> String {
        let t = |key: &str| lang.t(key).to_string();
        let with = |key: &str, name: &str, value: String| lang.tf(key, &[(name, value.into())]);
        match self {
            AppError::NotFound | AppError::Database(diesel::result::Error::NotFound) => {
                t("api_not_found")
            }
            AppError::Unauthenticated => t("api_unauthenticated"),
            AppError::Forbidden => t("api_forbidden"),
            AppError::Csrf => t("api_csrf"),
            AppError::RateLimited => t("api_rate_limited"),
            AppError::BadRequest(d) => with("api_bad_request", "detail", d.clone()),
            AppError::MalformedJson(d) => with("api_malformed_json", "detail", d.clone()),
            AppError::UnsupportedMediaType => t("api_unsupported_media_type"),
            AppError::NonceReused => t("api_nonce_reused"),
            AppError::Validation(_) => t("api_validation"),
            AppError::Conflicts(_) => t("api_conflicts"),
            AppError::Stale => t("api_stale"),
            AppError::InUse(m) | AppError::AlreadyExists(m) => m.show(lang),
            AppError::RegistrationNotOpen => t("api_registration_not_open"),
            AppError::RegistrationClosed => t("api_registration_closed"),
            AppError::AlreadyRegistered => t("api_already_registered"),
            AppError::EditionFull => t("api_edition_full"),
            AppError::Database(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => t("api_already_exists"),
            AppError::Database(_) | AppError::Pool(_) | AppError::Internal(_) => t("api_internal"),
            AppError::Refused(status, _) if status.is_server_error() => t("api_internal"),
            AppError::Refused(_, d) => with("api_refused", "detail", d.clone()),
            AppError::MethodNotAllowed(m) => {
                with("api_method_not_allowed", "methods", m.join(", "))
            }
            AppError::PayloadTooLarge(n) => with("api_payload_too_large", "limit", n.to_string()),
        }
    }

    /// The JSON answer in the caller's language (`error_response` is the English one).
    pub fn response_in(&self, lang: Lang) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let body = ErrorBody {
            code: self.code().into(),
            message: self.message(lang),
            errors: match self {
                AppError::Validation(e) => e.clone(),
                _ => vec![],
            },
            conflicts: match self {
                AppError::Conflicts(c) => c.clone(),
                _ => vec![],
            },
        };
        let mut res = HttpResponse::build(status);
        if status == StatusCode::UNAUTHORIZED {
            res.insert_header(("WWW-Authenticate", "Bearer"));
        }
        if let AppError::MethodNotAllowed(methods) = self {
            res.insert_header((actix_web::http::header::ALLOW, methods.join(", ")));
        }
        res.json(body)
    }
}

/// The JSON body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
    /// Problems with the input, for `validation_failed`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The conflicts found, for `conflicts`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::Database(diesel::result::Error::NotFound) => {
                StatusCode::NOT_FOUND
            }
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadRequest(_) | AppError::MalformedJson(_) => StatusCode::BAD_REQUEST,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflicts(_)
            | AppError::RegistrationNotOpen
            | AppError::RegistrationClosed
            | AppError::AlreadyRegistered
            | AppError::EditionFull
            | AppError::NonceReused
            | AppError::Stale
            | AppError::InUse(_)
            | AppError::AlreadyExists(_)
            | AppError::Database(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => StatusCode::CONFLICT,
            AppError::Database(_) | AppError::Pool(_) | AppError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            AppError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Refused(status, _) => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        self.response_in(Lang::En)
    }
}

/// A stable code for a refusal of the HTTP layer, from its status.
fn refused_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "request_timeout",
        411 => "length_required",
        413 => "payload_too_large",
        414 => "uri_too_long",
        415 => "unsupported_media_type",
        431 => "headers_too_large",
        _ if status.is_client_error() => "refused",
        _ => "internal",
    }
}

/// Runs blocking database work off the async workers.
pub async fn blocking<T, F>(f: F) -> Result<T, AppError>
where
    F: FnOnce() -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    actix_web::web::block(f).await.map_err(AppError::internal)?
}
