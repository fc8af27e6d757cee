use rencontres::auth::Role;
use reqwest::Method;

use crate::helpers::{demo_document, small_document, spawn_app, spawn_empty_app};

#[tokio::test]
async fn the_demo_edition_round_trips_identically() {
    let app = spawn_app().await;
    let exported = app.programme("raict-2023").await;
    assert_eq!(
        exported,
        demo_document(),
        "the demo is stored exactly as shipped"
    );

    let token = app.token(Role::Organiser).await;
    let res = app
        .api(Method::POST, "/api/v1/programme", Some(&token))
        .json(&exported)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "an existing edition is replaced");
    let outcome: serde_json::Value = res.json().await.unwrap();
    assert_eq!(outcome["created"], false);
    assert_eq!(outcome["sessions"], 20);
    assert_eq!(app.programme("raict-2023").await, exported);
}

#[tokio::test]
async fn an_import_creates_an_edition_and_keeps_ids_on_reimport() {
    let app = spawn_empty_app().await;
    let token = app.token(Role::Organiser).await;
    let doc = small_document("raict-2024");
    let res = app
        .api(Method::POST, "/api/v1/programme", Some(&token))
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(app.programme("raict-2024").await, doc);

    // Change one title, remove one session, add a room: replaced by key.
    let mut changed = doc.clone();
    changed["sessions"][0]["title"] = "Ouverture officielle".into();
    changed["sessions"].as_array_mut().unwrap().remove(2);
    changed["rooms"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"key": "salle-b", "name": "Salle B", "capacity": 25}));
    let res = app
        .api(Method::POST, "/api/v1/programme", Some(&token))
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(app.programme("raict-2024").await, changed);
}

#[tokio::test]
async fn a_bad_import_reports_every_problem_and_changes_nothing() {
    let app = spawn_app().await;
    let token = app.token(Role::Organiser).await;
    let before = app.programme("raict-2023").await;
    let mut doc = before.clone();
    doc["sessions"][3]["start"] = "16:30".into();
    doc["sessions"][3]["end"] = "16:00".into();
    doc["sessions"][4]["kind"] = "party".into();
    doc["sessions"][5]["room"] = "cellar".into();
    doc["people"][0]["country"] = "XX".into();
    doc["rooms"][1]["capacity"] = (-5).into();
    let res = app
        .api(Method::POST, "/api/v1/programme", Some(&token))
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "validation_failed");
    let errors: Vec<(String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        ("rooms[1].capacity", "invalid_capacity"),
        ("people[0].country", "invalid_country"),
        ("sessions[3].end", "end_before_start"),
        ("sessions[4].kind", "invalid_kind"),
        ("sessions[5].room", "unknown_room"),
    ] {
        assert!(
            errors.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} in {errors:?}"
        );
    }
    let end = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "sessions[3].end")
        .unwrap();
    assert_eq!(end["message"], "16:00 is before start 16:30");
    assert_eq!(
        app.programme("raict-2023").await,
        before,
        "nothing was written"
    );

    // Messages in French when asked.
    let res = app
        .api(Method::POST, "/api/v1/programme", Some(&token))
        .header("Accept-Language", "fr-FR")
        .json(&doc)
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = res.json().await.unwrap();
    let end = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "sessions[3].end")
        .unwrap();
    assert_eq!(end["message"], "16:00 est avant le début 16:30");
}

#[tokio::test]
async fn malformed_json_unknown_fields_and_kinds_are_refused() {
    let app = spawn_empty_app().await;
    let token = app.token(Role::Organiser).await;
    let post = |body: String| {
        app.api(Method::POST, "/api/v1/programme", Some(&token))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let res = post("{\"edition\": ".into()).await.unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["code"],
        "malformed_json"
    );

    let mut doc = small_document("x-2024");
    doc["sessions"][1]["colour"] = "red".into();
    let res = post(doc.to_string()).await.unwrap();
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "sessions[1].colour");

    let mut doc = small_document("x-2024");
    doc["sessions"][0]["kind"] = "cocktail".into();
    let res = post(doc.to_string()).await.unwrap();
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "sessions[0].kind");
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("micro_atelier"));
    assert_eq!(
        app.api(Method::GET, "/api/v1/editions", None)
            .send()
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap(),
        serde_json::json!([])
    );
}

#[tokio::test]
async fn conflicts_fail_an_import_unless_allowed() {
    let app = spawn_empty_app().await;
    let token = app.token(Role::Organiser).await;
    let mut doc = small_document("c-2024");
    doc["sessions"][2]["room"] = "salle-a".into(); // s3 now shares Salle A with s2 at 11:30
    let res = app
        .api(Method::POST, "/api/v1/programme", Some(&token))
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "conflicts");
    assert_eq!(body["conflicts"][0]["kind"], "room_double_booked");
    assert_eq!(
        body["conflicts"][0]["sessions"],
        serde_json::json!(["s2", "s3"])
    );
    assert_eq!(app.get("/api/v1/editions/c-2024").await.status(), 404);

    let res = app
        .api(
            Method::POST,
            "/api/v1/programme?allow_conflicts=true",
            Some(&token),
        )
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["conflicts"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_large_programme_imports_whole() {
    let app = spawn_empty_app().await;
    let token = app.token(Role::Organiser).await;
    let mut doc = demo_document();
    doc["edition"]["slug"] = "big-2023".into();
    for s in doc["sessions"].as_array_mut().unwrap() {
        s["abstract"] = "Une coopération décentralisée au long cours. "
            .repeat(500)
            .trim()
            .into();
    }
    let body = serde_json::to_vec(&doc).unwrap();
    assert!(body.len() > 400_000, "{} bytes", body.len());
    let res = app
        .api(Method::POST, "/api/v1/programme", Some(&token))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(app.programme("big-2023").await, doc);
}

#[tokio::test]
async fn conflicts_are_listed_for_organisers_only_and_keys_named_new_are_refused() {
    let app = spawn_empty_app().await;
    let token = app.token(Role::Organiser).await;
    let mut doc = small_document("c-2024");
    doc["sessions"][2]["room"] = "salle-a".into();
    let res = app
        .api(
            Method::POST,
            "/api/v1/programme?allow_conflicts=true",
            Some(&token),
        )
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let public: serde_json::Value = app
        .get("/api/v1/editions/c-2024/sessions/s2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["conflicts"], serde_json::json!([]));
    let staff: serde_json::Value = app
        .api(
            Method::GET,
            "/api/v1/editions/c-2024/sessions/s2",
            Some(&token),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(staff["conflicts"][0]["kind"], "room_double_booked");

    let res = app
        .api(Method::POST, "/api/v1/editions/c-2024/people", Some(&token))
        .json(&serde_json::json!({"key": "new", "name": "Nouvelle", "country": "FR"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let res = app
        .api(
            Method::GET,
            "/api/v1/editions/c-2024/sessions?force=maybe",
            None,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "unknown query parameters are ignored");
    let res = app
        .api(
            Method::POST,
            "/api/v1/editions/c-2024/sessions?force=maybe",
            Some(&token),
        )
        .json(&doc["sessions"][0])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["code"],
        "bad_request"
    );
}
