//! Role checks for whole scopes of the route table. Pages authenticate with the session
//! cookie, the JSON API with `Authorization: Bearer`. An anonymous page visitor is sent to
//! the login page; everyone else who lacks the role gets 401 or 403.
//!
//! Whether a request is an API call is the scope's word (each guard below exists for API
//! scopes and for page scopes), never a reading of the raw path: `/%61pi/v1/…` reaches the
//! same handlers as `/api/v1/…` and must meet the same checks.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError};

use super::{Credential, Owner, Role, StaffUser};
use crate::app::AppState;
use crate::db::DbConnection;
use crate::error::{blocking, AppError};
use crate::i18n::Lang;
use crate::web::PageError;

pub const SESSION_COOKIE: &str = "rencontres_session";

/// How a request proved who it is.
enum Proof {
    Bearer,
    Cookie,
}

async fn identify(req: &HttpRequest, api: bool) -> Result<Option<(StaffUser, Proof)>, AppError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::internal("no application state"))?
        .clone();
    if let (true, Some(token)) = (api, bearer(req)) {
        let user = known(
            state,
            Credential::Bearer,
            token,
            super::tokens::bearer_owner,
        )
        .await?;
        return Ok(user.map(|u| (u, Proof::Bearer)));
    }
    // Without a token, the API also accepts the login cookie: the desk page calls it.
    let Some(cookie) = req.cookie(SESSION_COOKIE) else {
        return Ok(None);
    };
    let token = cookie.value().to_string();
    let user = known(state, Credential::Session, token, super::session_owner).await?;
    Ok(user.map(|u| (u, Proof::Cookie)))
}

/// The secret of an `Authorization: Bearer` header.
pub fn bearer(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
}

/// The staff member behind a request to a route outside the guarded scopes: a bearer
/// token, else the login cookie.
pub async fn staff_member(req: &HttpRequest) -> Result<Option<StaffUser>, AppError> {
    Ok(identify(req, true).await?.map(|(user, _)| user))
}

/// The owner of a secret: remembered from a moment ago, else read by `lookup`. Reading a
/// token also writes down its use when the last one recorded is a minute old.
async fn known(
    state: web::Data<AppState>,
    kind: Credential,
    secret: String,
    lookup: fn(&mut DbConnection, &str) -> Result<Option<Owner>, AppError>,
) -> Result<Option<StaffUser>, AppError> {
    if let Some(user) = state.identities.get(kind, &secret) {
        return Ok(Some(user));
    }
    let st = state.clone();
    let generation = state.identities.generation();
    let user = blocking(move || {
        let mut conn = st.pool.get()?;
        let Some(owner) = lookup(&mut conn, &secret)? else {
            return Ok(None);
        };
        st.identities
            .remember(kind, &secret, &owner.user, owner.expires_at, generation);
        if let Some((id, last_used)) = &owner.token {
            let now = chrono::Utc::now().naive_utc();
            if super::tokens::use_is_news(*last_used, now)
                && st
                    .identities
                    .claim_use(id, super::tokens::USE_RECORDED_EVERY)
            {
                // Bookkeeping: a failure here must not refuse the request.
                if let Err(e) =
                    crate::db::write_tx(&mut conn, |c| super::tokens::record_use(c, id, now))
                {
                    tracing::warn!(error = %e, "could not record a token's use");
                }
            }
        }
        Ok(Some(owner.user))
    })
    .await?;
    Ok(user)
}

/// Which kind of scope a guard protects.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Api,
    Pages,
}

async fn require<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
    role: Role,
    kind: Kind,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let api = kind == Kind::Api;
    let refuse = |req: ServiceRequest, e: AppError| {
        let res = if api {
            e.response_in(Lang::of_api(req.request()))
        } else {
            PageError::new(e, Lang::of(req.request())).error_response()
        };
        Ok(req.into_response(res).map_into_right_body())
    };
    match identify(req.request(), api).await {
        // A browser sends the cookie on its own, even for another site's page; a JSON
        // call made with it must echo the CSRF token the page was given.
        Ok(Some((_, Proof::Cookie)))
            if api
                && !req.method().is_safe()
                && super::csrf::check_header(req.request()).is_err() =>
        {
            refuse(req, AppError::Csrf)
        }
        Ok(Some((user, _))) if user.role.allows(role) => {
            if api {
                if let Err(e) = json_body(req.request()) {
                    return refuse(req, e);
                }
            }
            req.extensions_mut().insert(user);
            let mut res = next.call(req).await?;
            private(&mut res);
            Ok(res.map_into_left_body())
        }
        Ok(Some(_)) => refuse(req, AppError::Forbidden),
        Ok(None) if !api => {
            let target = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into());
            let location = format!("/login?next={}", urlencode(&target));
            let res = HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location))
                .finish();
            Ok(req.into_response(res).map_into_right_body())
        }
        Ok(None) => refuse(req, AppError::Unauthenticated),
        Err(e) => refuse(req, e),
    }
}

/// Whatever staff see is about people: no cache, the browser's or a proxy's, keeps it,
/// unless the handler chose otherwise (the desk's scripts).
fn private<B>(res: &mut ServiceResponse<B>) {
    let headers = res.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
}

/// Personal pages reached by a link (a registrant's `/r/…`): never cached.
pub async fn personal<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let mut res = next.call(req).await?;
    private(&mut res);
    Ok(res)
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|x| x.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

/// A JSON endpoint takes a JSON body or none: a form or `text/plain` body, which a
/// browser may send to another site without asking, is refused before anything reads it.
pub fn json_body(req: &HttpRequest) -> Result<(), AppError> {
    if req.method().is_safe() {
        return Ok(());
    }
    let empty = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == "0")
        || (!req.headers().contains_key(header::CONTENT_LENGTH)
            && !req.headers().contains_key(header::TRANSFER_ENCODING));
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_json_media_type);
    if empty || json {
        Ok(())
    } else {
        Err(AppError::UnsupportedMediaType)
    }
}

/// `application/json`, `application/problem+json` and the like, with or without
/// parameters.
fn is_json_media_type(value: &str) -> bool {
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

macro_rules! guards {
    ($($(#[$doc:meta])* $name:ident => $role:expr, $kind:expr;)*) => {$(
        $(#[$doc])*
        pub async fn $name(
            req: ServiceRequest,
            next: Next<impl MessageBody + 'static>,
        ) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
            require(req, next, $role, $kind).await
        }
    )*};
}

guards! {
    /// Admin pages (staff management).
    admin_pages => Role::Admin, Kind::Pages;
    /// Organiser pages: the programme, registrations, statistics.
    organiser_pages => Role::Organiser, Kind::Pages;
    /// Desk pages, for any staff member.
    staff_pages => Role::Desk, Kind::Pages;
    /// The organisers' API.
    organiser_api => Role::Organiser, Kind::Api;
    /// The API any staff member uses (the desk's).
    staff_api => Role::Desk, Kind::Api;
}

/// Public JSON endpoints that take a body: only the media-type check.
pub async fn public_api<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    match json_body(req.request()) {
        Ok(()) => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
        Err(e) => {
            let res = e.response_in(Lang::of_api(req.request()));
            Ok(req.into_response(res).map_into_right_body())
        }
    }
}

/// The staff member a guard let through; only usable behind one of the guards above.
pub struct Staff(pub StaffUser);

impl FromRequest for Staff {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(
            req.extensions()
                .get::<StaffUser>()
                .cloned()
                .map(Staff)
                .ok_or(AppError::Unauthenticated),
        )
    }
}
