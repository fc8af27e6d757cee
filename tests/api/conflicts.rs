use rencontres::auth::Role;
use reqwest::Method;
use serde_json::json;

use crate::helpers::{small_document, spawn_empty_app, TestApp};

async fn with_small(app: &TestApp) -> String {
    let token = app.token(Role::Organiser).await;
    let res = app
        .api(Method::POST, "/api/v1/programme", Some(&token))
        .json(&small_document("e-2024"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    token
}

fn session(
    key: &str,
    start: &str,
    end: &str,
    room: &str,
    people: serde_json::Value,
) -> serde_json::Value {
    json!({"key": key, "kind": "workshop", "title": format!("Session {key}"), "abstract": "", "day": "2024-10-07",
           "start": start, "end": end, "room": room, "languages": ["fr"], "partners": [], "capacity": null, "people": people})
}

#[tokio::test]
async fn a_double_booked_room_needs_an_explicit_decision() {
    let app = spawn_empty_app().await;
    let token = with_small(&app).await;
    let s4 = session("s4", "12:00", "12:45", "salle-a", json!([]));
    let res = app
        .api(
            Method::POST,
            "/api/v1/editions/e-2024/sessions",
            Some(&token),
        )
        .json(&s4)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["conflicts"][0]["kind"], "room_double_booked");
    assert_eq!(body["conflicts"][0]["room"], "salle-a");
    let sessions: serde_json::Value = app
        .api(
            Method::GET,
            "/api/v1/editions/e-2024/sessions",
            Some(&token),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sessions.as_array().unwrap().len(), 3, "not saved");

    let res = app
        .api(
            Method::POST,
            "/api/v1/editions/e-2024/sessions?force=true",
            Some(&token),
        )
        .json(&s4)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let sessions: serde_json::Value = app
        .api(
            Method::GET,
            "/api/v1/editions/e-2024/sessions",
            Some(&token),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let s2 = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "s2")
        .unwrap();
    assert_eq!(
        s2["conflicts"][0]["sessions"],
        json!(["s2", "s4"]),
        "returned with each session"
    );

    // An unrelated later change is not blocked by the conflict already accepted.
    let res = app
        .api(Method::PUT, "/api/v1/editions/e-2024/people/jean", Some(&token))
        .json(&json!({"key": "jean", "name": "Jean Martin", "function": "Délégué", "organisation": "CUF", "country": "FR"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn one_person_in_two_overlapping_sessions_is_a_conflict() {
    let app = spawn_empty_app().await;
    let token = with_small(&app).await;
    // Ana speaks in s2 (11:30–13:00, Salle A); moderating s3 at the same time is a conflict.
    let mut s3 = small_document("e-2024")["sessions"][2].clone();
    s3["people"] =
        json!([{"person": "jean", "role": "moderator"}, {"person": "ana", "role": "moderator"}]);
    let res = app
        .api(
            Method::PUT,
            "/api/v1/editions/e-2024/sessions/s3",
            Some(&token),
        )
        .json(&s3)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["conflicts"][0]["kind"], "person_double_booked");
    assert_eq!(body["conflicts"][0]["person"], "ana");
    assert!(body["conflicts"][0]["message"]
        .as_str()
        .unwrap()
        .contains("Ana Ruiz"));
}

#[tokio::test]
async fn day_outside_the_edition_and_capacity_above_the_room_are_conflicts() {
    let app = spawn_empty_app().await;
    let token = with_small(&app).await;
    let mut s5 = session("s5", "15:00", "16:00", "salle-a", json!([]));
    s5["day"] = "2024-10-09".into();
    s5["capacity"] = 80.into();
    let res = app
        .api(
            Method::POST,
            "/api/v1/editions/e-2024/sessions",
            Some(&token),
        )
        .json(&s5)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let body: serde_json::Value = res.json().await.unwrap();
    let kinds: Vec<&str> = body["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["outside_edition_days", "capacity_above_room"]);

    let conflicts = |app: &TestApp, token: String| {
        let r = app
            .api(
                Method::GET,
                "/api/v1/editions/e-2024/conflicts",
                Some(&token),
            )
            .send();
        async move { r.await.unwrap().json::<serde_json::Value>().await.unwrap() }
    };
    assert_eq!(conflicts(&app, token.clone()).await, json!([]));
    let res = app
        .api(
            Method::POST,
            "/api/v1/editions/e-2024/sessions?force=true",
            Some(&token),
        )
        .json(&s5)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(conflicts(&app, token).await.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn end_before_start_is_refused_outright() {
    let app = spawn_empty_app().await;
    let token = with_small(&app).await;
    let s6 = session("s6", "16:30", "16:00", "salle-a", json!([]));
    let res = app
        .api(
            Method::POST,
            "/api/v1/editions/e-2024/sessions?force=true",
            Some(&token),
        )
        .json(&s6)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "sessions[3].end");
    assert_eq!(body["errors"][0]["code"], "end_before_start");
}

#[tokio::test]
async fn rooms_people_and_sessions_are_managed_through_the_api() {
    let app = spawn_empty_app().await;
    let token = with_small(&app).await;
    let call = |method: Method, path: &str, body: Option<serde_json::Value>| {
        let mut r = app.api(method, path, Some(&token));
        if let Some(b) = body {
            r = r.json(&b);
        }
        async move { r.send().await.unwrap() }
    };
    assert_eq!(
        call(
            Method::POST,
            "/api/v1/editions/e-2024/rooms",
            Some(json!({"key": "salle-b", "name": "Salle B", "capacity": 60}))
        )
        .await
        .status(),
        200
    );
    // A room that holds sessions cannot go.
    let res = call(
        Method::DELETE,
        "/api/v1/editions/e-2024/rooms/salle-a",
        None,
    )
    .await;
    assert_eq!(res.status(), 409);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["code"],
        "in_use"
    );
    // Renaming a room key follows into its sessions.
    assert_eq!(
        call(
            Method::PUT,
            "/api/v1/editions/e-2024/rooms/salle-a",
            Some(json!({"key": "salle-alpha", "name": "Salle Alpha", "capacity": 45}))
        )
        .await
        .status(),
        200
    );
    let doc = app.programme("e-2024").await;
    assert_eq!(doc["sessions"][1]["room"], "salle-alpha");
    // A person removed leaves their sessions.
    assert_eq!(
        call(Method::DELETE, "/api/v1/editions/e-2024/people/ana", None)
            .await
            .status(),
        200
    );
    let doc = app.programme("e-2024").await;
    assert_eq!(doc["sessions"][1]["people"], json!([]));
    assert_eq!(
        call(Method::DELETE, "/api/v1/editions/e-2024/sessions/s2", None)
            .await
            .status(),
        200
    );
    assert_eq!(
        call(Method::DELETE, "/api/v1/editions/e-2024/sessions/s2", None)
            .await
            .status(),
        404
    );
    // The edition itself.
    let mut e = doc["edition"].clone();
    e["title"] = "15e Rencontres (Lyon)".into();
    assert_eq!(
        call(Method::PUT, "/api/v1/editions/e-2024", Some(e))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.programme("e-2024").await["edition"]["title"],
        "15e Rencontres (Lyon)"
    );
    let res = call(Method::POST, "/api/v1/editions", Some(json!({"slug": "e-2024", "number": 16, "year": 2025, "title": "x", "days": ["2025-10-01"]}))).await;
    assert_eq!(res.status(), 409);
    let res = call(Method::POST, "/api/v1/editions", Some(json!({"slug": "e-2025", "number": 16, "year": 2025, "title": "16e", "days": ["2025-10-01"]}))).await;
    assert_eq!(res.status(), 201);
    assert_eq!(
        call(Method::DELETE, "/api/v1/editions/e-2025", None)
            .await
            .status(),
        204
    );
}

#[tokio::test]
async fn concurrent_edits_never_lose_each_other() {
    let app = spawn_empty_app().await;
    let token = with_small(&app).await;
    let mut handles = Vec::new();
    for n in 0..12 {
        let req = app
            .api(Method::POST, "/api/v1/editions/e-2024/sessions", Some(&token))
            .json(&json!({"key": format!("p{n}"), "kind": "micro_atelier", "title": format!("Micro-atelier {n}"), "day": "2024-10-08",
                          "start": format!("{:02}:00", 8 + n), "end": format!("{:02}:30", 8 + n), "room": "salle-a"}));
        handles.push(tokio::spawn(async move {
            req.send().await.unwrap().status().as_u16()
        }));
    }
    for h in handles {
        assert_eq!(h.await.unwrap(), 200);
    }
    let doc = app.programme("e-2024").await;
    assert_eq!(doc["sessions"].as_array().unwrap().len(), 15);
}

#[tokio::test]
async fn renaming_keys_keeps_rows_and_accepted_conflicts() {
    use diesel::prelude::*;
    use rencontres::db::schema::{rooms, sessions};
    let app = spawn_empty_app().await;
    let token = with_small(&app).await;
    let s4 = session("s4", "12:00", "12:45", "salle-a", json!([]));
    let res = app
        .api(
            Method::POST,
            "/api/v1/editions/e-2024/sessions?force=true",
            Some(&token),
        )
        .json(&s4)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let id_of = |table: &'static str, key: &'static str| {
        app.with_db(move |c| match table {
            "sessions" => sessions::table
                .filter(sessions::key.eq(key))
                .select(sessions::id)
                .first::<String>(c)
                .ok(),
            _ => rooms::table
                .filter(rooms::key.eq(key))
                .select(rooms::id)
                .first::<String>(c)
                .ok(),
        })
    };
    let (session_id, room_id) = (
        id_of("sessions", "s4").await.unwrap(),
        id_of("rooms", "salle-a").await.unwrap(),
    );

    // Renaming the session: same row, and the conflict accepted before needs no new decision.
    let mut renamed = s4.clone();
    renamed["key"] = "s4-bis".into();
    let res = app
        .api(
            Method::PUT,
            "/api/v1/editions/e-2024/sessions/s4",
            Some(&token),
        )
        .json(&renamed)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(id_of("sessions", "s4-bis").await, Some(session_id));

    // Renaming the room: same row, its sessions follow, the conflict still stands.
    let res = app
        .api(
            Method::PUT,
            "/api/v1/editions/e-2024/rooms/salle-a",
            Some(&token),
        )
        .json(&json!({"key": "salle-alpha", "name": "Salle Alpha", "capacity": 40}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(id_of("rooms", "salle-alpha").await, Some(room_id));
    let conflicts: serde_json::Value = app
        .api(
            Method::GET,
            "/api/v1/editions/e-2024/conflicts",
            Some(&token),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(conflicts[0]["room"], "salle-alpha");
    assert_eq!(conflicts[0]["sessions"], json!(["s2", "s4-bis"]));
}
