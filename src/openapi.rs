//! The OpenAPI document of the JSON API, health check and the caller's identity.

use actix_web::{HttpResponse, Responder};
use serde_json::{json, Value};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::auth::guard::Staff;
use crate::auth::{Role, StaffUser};
use crate::badges::Verdict;
use crate::checkin::api as desk_api;
use crate::checkin::roster::{Arrival, PersonOut};
use crate::checkin::roster::{RosterEdition, RosterOut, RosterSession};
use crate::checkin::walkin::WalkInInput;
use crate::checkin::{CheckResult, Reason};
use crate::error::{ErrorBody, FieldError};
use crate::mail::web as mail_web;
use crate::programme::api;
use crate::programme::conflicts::{Conflict, ConflictKind};
use crate::programme::document::{
    EditionDoc, PersonDoc, ProgrammeDocument, RoomDoc, SessionDoc, SessionPersonDoc,
};
use crate::programme::model::{PersonRole, SessionKind};
use crate::programme::Outcome;
use crate::registrations::api as reg_api;
use crate::registrations::form::RegistrationInput;
use crate::registrations::model::ChoiceStatus;
use crate::registrations::{Choice, SettingsChange};
use crate::stats::api as stats_api;
use crate::stats::{
    Basis, Countries, CountryCount, EditionInfo, Quarter, RegistrationDay, SeriesLimit,
    SeriesLimits, SessionFigures, Stats,
};

/// `Reason`: its empty code (`None`) is beyond the derive.
impl utoipa::PartialSchema for Reason {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let codes = [
            Reason::None,
            Reason::Malformed,
            Reason::Forged,
            Reason::Unknown,
            Reason::Waitlisted,
            Reason::NotEventDay,
            Reason::NotRegisteredDay,
        ]
        .map(|r| serde_json::to_value(r).unwrap_or_default());
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "Why a scan was refused: `malformed`, `forged`, `unknown` or `waitlisted` for \
                 `invalid`, `not_event_day` or `not_registered_day` for `wrong_day`; empty otherwise.",
            ))
            .enum_values(Some(codes))
            .into()
    }
}

impl utoipa::ToSchema for Reason {}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A token from `rencontres token create`"))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "rencontres", description = "Programme, registration and welcome desk of a conference. Errors are `{code, message, errors?, conflicts?}` with a stable `code`."),
    paths(
        healthz_doc, me_doc,
        api::list_editions, api::get_edition, api::get_programme, api::list_sessions, api::get_session,
        api::list_conflicts, api::import, api::create_edition, api::update_edition, api::delete_edition,
        api::add_room, api::update_room, api::delete_room,
        api::add_person, api::update_person, api::delete_person,
        api::add_session, api::update_session, api::delete_session,
        reg_api::register, reg_api::register_manual, reg_api::list, reg_api::get, reg_api::update,
        reg_api::cancel, reg_api::reissue, reg_api::resend, reg_api::personal_data, reg_api::erase,
        reg_api::get_settings, reg_api::put_settings, reg_api::badge_key, reg_api::verify,
        mail_web::outbox, mail_web::retry, mail_web::cancel,
        desk_api::checkin, desk_api::undo, desk_api::get_roster, desk_api::search,
        desk_api::walk_in, desk_api::reprint, desk_api::badge_pdf, desk_api::conflicts,
        stats_api::stats,
    ),
    components(schemas(
        ErrorBody, FieldError, Conflict, ConflictKind, Outcome, ProgrammeDocument, EditionDoc, RoomDoc,
        PersonDoc, SessionDoc, SessionPersonDoc, SessionKind, PersonRole, api::EditionSummary, api::SessionOut,
        StaffUser, Role,
        RegistrationInput, Choice, ChoiceStatus, reg_api::Created, reg_api::ManualInput, reg_api::RegistrationOut,
        reg_api::ResendInput, reg_api::SettingsOut, SettingsChange, reg_api::BadgeKey, reg_api::VerifyInput,
        reg_api::VerifyOut, Verdict, mail_web::OutboxOut, mail_web::OutboxLine,
        desk_api::CheckinInput, desk_api::CheckinOut, desk_api::FirstOut, CheckResult, Reason,
        desk_api::DeskInput, RosterOut, RosterEdition, RosterSession, desk_api::SearchOut, PersonOut, Arrival,
        WalkInInput, desk_api::WalkInOut, desk_api::ReprintOut, desk_api::ConflictOut,
        desk_api::ConflictsOut,
        Stats, EditionInfo, Basis, Countries, CountryCount, SessionFigures, Quarter, RegistrationDay,
        SeriesLimits, SeriesLimit,
    )),
    modifiers(&BearerAuth),
    tags((name = "programme", description = "Editions, rooms, people and sessions"), (name = "registration", description = "Registrations, their settings and emails"), (name = "badges", description = "Badge keys and checks"), (name = "desk", description = "Welcome desk: check-ins, roster, search, walk-ins"), (name = "statistics", description = "Attendance figures for the organisers' report"), (name = "system", description = "Health and identity"))
)]
pub struct ApiDoc;

static DOCUMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    finish(&mut doc);
    serde_json::to_string_pretty(&doc).unwrap_or_default()
});

/// What the annotations cannot say on their own: the errors every operation of a kind can
/// answer, and the sessions that carry their conflicts beside the document's fields.
pub fn finish(doc: &mut Value) {
    declare_common_errors(doc);
    session_out(doc);
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    })
}

/// The statuses an operation answers because of its shape, whatever it does: a token to
/// check, a body to read, a query to parse, a path naming something, the server failing.
fn declare_common_errors(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for op in item.values_mut().filter_map(Value::as_object_mut) {
            let secured = op
                .get("security")
                .and_then(Value::as_array)
                .is_some_and(|s| !s.is_empty());
            let has_body = op.contains_key("requestBody");
            let has_query = op
                .get("parameters")
                .and_then(Value::as_array)
                .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
            let names_something = path.contains('{');
            let json_api = path.starts_with("/api/");
            let mut common: Vec<(&str, &str)> = Vec::new();
            if has_body || has_query {
                common.push(("400", "`malformed_json`: the body is not JSON; `bad_request`: the query does not parse"));
            }
            if secured {
                common.push(("401", "`unauthenticated`: no valid bearer token or session"));
                common.push(("403", "`forbidden`: the role does not allow it; `csrf_failed`: a write with the desk page's session but without its CSRF token"));
            }
            if names_something {
                common.push(("404", "`not_found`: nothing by that name here"));
            }
            if has_body {
                common.push(("413", "`payload_too_large`: the body is over 16 MiB"));
                common.push((
                    "415",
                    "`unsupported_media_type`: the body is not `application/json`",
                ));
                common.push((
                    "422",
                    "`validation_failed`: one entry per problem, naming its field or JSON path",
                ));
            }
            if json_api {
                common.push((
                    "500",
                    "`internal`: the server failed; the detail is in its log",
                ));
            }
            let responses = op
                .entry("responses")
                .or_insert_with(|| json!({}))
                .as_object_mut();
            if let Some(responses) = responses {
                for (status, description) in common {
                    responses
                        .entry(status)
                        .or_insert_with(|| error_response(description));
                }
            }
        }
    }
}

/// `SessionOut` is a session document plus `conflicts`: one object with both sets of fields
/// (the document alone refuses unknown fields, so `allOf` would forbid `conflicts`).
fn session_out(doc: &mut Value) {
    let schemas = &mut doc["components"]["schemas"];
    let mut out = schemas["SessionDoc"].clone();
    if !out.is_object() {
        return;
    }
    out["description"] =
        json!("A session with the conflicts it is part of (listed for organisers' tokens only).");
    out["properties"]["conflicts"] =
        json!({"type": "array", "items": {"$ref": "#/components/schemas/Conflict"}});
    if let Some(required) = out["required"].as_array_mut() {
        required.push(json!("conflicts"));
    }
    schemas["SessionOut"] = out;
}

pub async fn document() -> impl Responder {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(DOCUMENT.as_str())
}

#[utoipa::path(get, path = "/healthz", tag = "system", responses((status = 200, description = "The service is up")))]
#[allow(dead_code)]
fn healthz_doc() {}

pub async fn healthz() -> impl Responder {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

#[utoipa::path(get, path = "/api/v1/me", tag = "system", security(("bearer" = [])),
    responses((status = 200, body = StaffUser), (status = 401, body = ErrorBody)))]
#[allow(dead_code)]
fn me_doc() {}

pub async fn me(staff: Staff) -> impl Responder {
    HttpResponse::Ok().json(staff.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_declare_the_errors_of_their_shape() {
        let mut doc = json!({"paths": {
            "/api/v1/things/{id}": {
                "put": {"security": [{"bearer": []}], "requestBody": {},
                        "parameters": [{"name": "force", "in": "query"}],
                        "responses": {"200": {"description": "ok"},
                                      "404": {"description": "no such thing"}}},
                "get": {"responses": {"200": {"description": "ok"}}}
            },
            "/healthz": {"get": {"responses": {"200": {"description": "ok"}}}}
        }});
        declare_common_errors(&mut doc);
        let put = doc["paths"]["/api/v1/things/{id}"]["put"]["responses"]
            .as_object()
            .unwrap();
        let codes: Vec<&str> = put.keys().map(String::as_str).collect();
        assert_eq!(
            codes,
            ["200", "400", "401", "403", "404", "413", "415", "422", "500"]
        );
        // What an operation says itself is kept.
        assert_eq!(put["404"]["description"], "no such thing");
        let get = doc["paths"]["/api/v1/things/{id}"]["get"]["responses"]
            .as_object()
            .unwrap();
        assert_eq!(get.keys().collect::<Vec<_>>(), ["200", "404", "500"]);
        let health = doc["paths"]["/healthz"]["get"]["responses"]
            .as_object()
            .unwrap();
        assert_eq!(health.len(), 1);
    }

    #[test]
    fn the_served_document_has_sessions_with_their_conflicts() {
        let doc: Value = serde_json::from_str(&DOCUMENT).unwrap();
        let out = &doc["components"]["schemas"]["SessionOut"];
        assert_eq!(out["additionalProperties"], false);
        assert!(out["required"]
            .as_array()
            .unwrap()
            .contains(&json!("conflicts")));
        assert!(out["properties"]["start"].is_object());
    }
}
