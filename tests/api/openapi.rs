//! The OpenAPI document says what the server does: parameters where they are read, every
//! error an operation can answer, bodies as they are served, timestamps with their offset.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{future_document, registrant, spawn_app, spawn_empty_app};
use rencontres::auth::Role;

fn refs_error_body(response: &Value) -> bool {
    response["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/ErrorBody"
}

#[tokio::test]
async fn parameters_and_errors_are_declared_where_they_happen() {
    let app = spawn_app().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let name = format!("{} {path}", method.to_uppercase());
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            for p in &params {
                let in_path = path.contains(&format!("{{{}}}", p["name"].as_str().unwrap()));
                assert_eq!(p["in"] == "path", in_path, "{name}: {}", p["name"]);
            }
            let responses = op["responses"].as_object().unwrap();
            let mut expected = vec!["500"];
            if op["security"].as_array().is_some_and(|s| !s.is_empty()) {
                expected.extend(["401", "403"]);
            }
            if op.get("requestBody").is_some() {
                expected.extend(["400", "413", "415", "422"]);
            }
            if params.iter().any(|p| p["in"] == "query") {
                expected.push("400");
            }
            if path.contains('{') {
                expected.push("404");
            }
            for status in expected.into_iter().filter(|_| path.starts_with("/api/")) {
                assert!(responses.contains_key(status), "{name} declares {status}");
            }
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(refs_error_body(response), "{name} {status} is an ErrorBody");
                }
            }
        }
    }
    assert!(operations > 40, "{operations} operations");

    let schemas = &doc["components"]["schemas"];
    assert!(schemas["Reason"]["enum"]
        .as_array()
        .unwrap()
        .contains(&json!("")));
    assert_eq!(
        schemas["RosterOut"]["properties"]["sessions"]["type"],
        "array"
    );
    let session = &schemas["SessionOut"];
    assert!(session["properties"]["conflicts"].is_object(), "{session}");
    assert!(session["properties"]["title"].is_object(), "{session}");
}

/// Every string in `v` that looks like a date and a time carries an offset.
fn assert_offsets(v: &Value, at: &str) {
    match v {
        Value::String(s) => {
            let b = s.as_bytes();
            let looks_like_time = b.len() >= 16
                && b[4] == b'-'
                && b[7] == b'-'
                && b[10] == b'T'
                && b[..4].iter().all(u8::is_ascii_digit);
            if looks_like_time {
                let offset = s.ends_with('Z') || s[s.len() - 6..].starts_with(['+', '-']);
                assert!(offset, "{at}: {s} has no offset");
            }
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| assert_offsets(x, &format!("{at}[{i}]"))),
        Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| assert_offsets(x, &format!("{at}.{k}"))),
        _ => {}
    }
}

#[tokio::test]
async fn timestamps_carry_their_offset_and_dates_stay_dates() {
    let app = spawn_empty_app().await;
    app.import(&future_document("r30")).await;
    let organiser = app.token(Role::Organiser).await;
    let res = app.register("r30", &registrant("aminata@dakar.sn")).await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // An opening time given with an offset is the same instant in UTC.
    let res = app
        .api(
            Method::PUT,
            "/api/v1/editions/r30/registration-settings",
            Some(&organiser),
        )
        .json(
            &json!({"opens_at": "2026-01-05T09:30:00+02:00", "closes_at": null,
                      "capacity": 100, "privacy_notice": "", "retention_days": 365}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let settings: Value = res.json().await.unwrap();
    assert_eq!(settings["opens_at"], "2026-01-05T07:30:00Z");
    assert_offsets(&settings, "settings");

    for path in [
        "/api/v1/editions/r30/registrations".to_string(),
        format!("/api/v1/editions/r30/registrations/{id}"),
        format!("/api/v1/editions/r30/registrations/{id}/personal-data"),
        "/api/v1/editions/r30/registration-settings".to_string(),
        "/api/v1/editions/r30/outbox".to_string(),
        "/api/v1/desk/r30/roster".to_string(),
    ] {
        let res = app
            .api(Method::GET, &path, Some(&organiser))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_offsets(&body, &path);
    }
    let one: Value = app
        .api(
            Method::GET,
            &format!("/api/v1/editions/r30/registrations/{id}"),
            Some(&organiser),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(one["created_at"].as_str().unwrap().ends_with('Z'), "{one}");
    assert_eq!(one["days"], json!(["2030-10-07"]));
}
