//! Registering through the API and the pages: validation, the window, one registration per
//! email, capacity and the waiting list under concurrency, the manage link.

use std::time::Duration;

use rencontres::auth::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{
    csrf_in, future_document, paris_day, registrant, spawn_empty_app, spawn_with, Options, TestApp,
};

async fn app_with_edition() -> (TestApp, String) {
    let app = spawn_empty_app().await;
    let token = app.import(&future_document("r30")).await;
    (app, token)
}

async fn wait_for_emails(app: &TestApp, n: usize) -> Vec<String> {
    for _ in 0..200 {
        let files = app.eml_files();
        if files.len() >= n {
            return files;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("expected {n} emails, found {}", app.eml_files().len());
}

#[tokio::test]
async fn a_registration_is_confirmed_with_its_sessions_and_a_manage_link() {
    let (app, _) = app_with_edition().await;
    let res = app.register("r30", &registrant("aminata@dakar.sn")).await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "confirmed");
    assert_eq!(
        body["sessions"],
        json!([{"key": "s2", "status": "confirmed"}])
    );
    let manage = body["manage_url"].as_str().unwrap();
    let path = &manage[manage.find("/r/").unwrap()..];
    let (status, html) = app.get_text(path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Aminata Diallo"));
    assert!(html.contains("Atelier climat"));
    // The confirmation is queued with the registration and written out by the worker.
    let emails = wait_for_emails(&app, 1).await;
    assert!(emails[0].contains("aminata@dakar.sn"));
    // A changed or truncated link shows nothing.
    let broken = format!("{}x", &path[..path.len() - 1]);
    assert_eq!(app.get(&broken).await.status(), 404);
    assert_eq!(app.get("/r/nothing").await.status(), 404);
}

#[tokio::test]
async fn invalid_fields_are_named_in_the_callers_language() {
    let (app, _) = app_with_edition().await;
    let mut bad = registrant("not-an-email");
    bad["country"] = json!("Atlantis");
    bad["sessions"] = json!(["s2", "s3"]);
    bad["consent_privacy"] = json!(false);
    let res = app
        .api(Method::POST, "/api/v1/editions/r30/registrations", None)
        .header("Accept-Language", "fr-FR")
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "validation_failed");
    let fields: Vec<(&str, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    for expected in [
        ("email", "invalid_email"),
        ("country", "unknown_country"),
        ("sessions", "same_slot"),
        ("consent_privacy", "consent_required"),
    ] {
        assert!(fields.contains(&expected), "{expected:?} in {fields:?}");
    }
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("adresse"));
    // Nothing was written.
    let token = app.token(Role::Organiser).await;
    let list: Value = app
        .api(
            Method::GET,
            "/api/v1/editions/r30/registrations",
            Some(&token),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 0);
    // Malformed JSON is its own error.
    let res = app
        .api(Method::POST, "/api/v1/editions/r30/registrations", None)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn one_email_registers_once_and_gets_its_link_again() {
    let (app, _) = app_with_edition().await;
    assert_eq!(
        app.register("r30", &registrant("a@b.fr")).await.status(),
        201
    );
    wait_for_emails(&app, 1).await;
    let again = app.register("r30", &registrant("A@B.fr ")).await;
    assert_eq!(again.status(), 409);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["code"], "already_registered");
    let emails = wait_for_emails(&app, 2).await;
    assert_eq!(emails.len(), 2);
    assert!(emails
        .iter()
        .any(|e| e.contains("Votre inscription") && e.contains("/r/")));
    // Trying again and again does not flood the owner's inbox.
    for _ in 0..5 {
        assert_eq!(
            app.register("r30", &registrant("a@b.fr")).await.status(),
            409
        );
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.eml_files().len(), 2);
}

#[tokio::test]
async fn registration_opens_and_closes_on_its_dates() {
    let (app, token) = app_with_edition().await;
    app.set_registration(
        "r30",
        &token,
        json!({"closes_at": format!("{}T00:00:00", paris_day(1))}),
    )
    .await;
    let res = app.register("r30", &registrant("late@b.fr")).await;
    assert_eq!(res.status(), 409);
    assert_eq!(
        res.json::<Value>().await.unwrap()["code"],
        "registration_closed"
    );
    let (_, html) = app.get_text("/editions/r30/register").await;
    assert!(html.contains("Les inscriptions sont closes"));
    assert!(!html.contains("name=\"first_name\""));

    app.set_registration("r30", &token, json!({"opens_at": "2029-12-01T09:00:00"}))
        .await;
    let res = app.register("r30", &registrant("early@b.fr")).await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["code"],
        "registration_not_open"
    );

    // By default an edition in the past is closed: its first day has begun.
    let app2 = spawn_empty_app().await;
    app2.import(&crate::helpers::small_document("old")).await;
    let mut r = registrant("x@y.fr");
    r["days"] = json!(["2024-10-07"]);
    let res = app2.register("old", &r).await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["code"],
        "registration_closed"
    );
}

#[tokio::test]
async fn a_full_edition_waitlists_and_a_cancellation_promotes_the_next() {
    let (app, token) = app_with_edition().await;
    app.set_registration("r30", &token, json!({"capacity": 1}))
        .await;
    let first: Value = app
        .register("r30", &registrant("first@b.fr"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["status"], "confirmed");
    let second: Value = app
        .register("r30", &registrant("second@b.fr"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["status"], "waitlisted");
    assert_eq!(second["sessions"][0]["status"], "pending");
    let third: Value = app
        .register("r30", &registrant("third@b.fr"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(third["status"], "waitlisted");

    let res = app
        .api(
            Method::POST,
            &format!(
                "/api/v1/editions/r30/registrations/{}/cancel",
                first["id"].as_str().unwrap()
            ),
            Some(&token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let get = |id: &str| {
        app.api(
            Method::GET,
            &format!("/api/v1/editions/r30/registrations/{id}"),
            Some(&token),
        )
        .send()
    };
    let second_now: Value = get(second["id"].as_str().unwrap())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(second_now["status"], "confirmed");
    assert_eq!(second_now["sessions"][0]["status"], "confirmed");
    let third_now: Value = get(third["id"].as_str().unwrap())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(third_now["status"], "waitlisted");
    // The promotion is announced, with the badge. (The first registrant's confirmation
    // may never leave: news of a registration cancelled before it was sent is dropped.)
    let mut promoted = false;
    for _ in 0..200 {
        promoted = app.eml_files().iter().any(|e| {
            e.contains("second@b.fr") && e.contains("Une place s") && e.contains("badge.pdf")
        });
        if promoted {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(promoted, "the promotion email");
    // The cancelled address may register again.
    assert_eq!(
        app.register("r30", &registrant("first@b.fr"))
            .await
            .status(),
        201
    );
}

/// Many registrants at once for the last seats: never one more than the capacity, on the
/// edition and in a session.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_last_seats_are_never_oversold() {
    let (app, token) = app_with_edition().await;
    app.set_registration("r30", &token, json!({"capacity": 12}))
        .await;
    let app = std::sync::Arc::new(app);
    let mut tasks = Vec::new();
    for i in 0..60 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let mut r = registrant(&format!("p{i}@rush.org"));
            // The workshop holds 30 in its room; ask for the conference too, which has none.
            r["sessions"] = json!([if i % 2 == 0 { "s2" } else { "s3" }]);
            let res = app.register("r30", &r).await;
            assert_eq!(res.status(), 201);
            res.json::<Value>().await.unwrap()["status"]
                .as_str()
                .unwrap()
                .to_string()
        }));
    }
    let mut confirmed = 0;
    for t in tasks {
        if t.await.unwrap() == "confirmed" {
            confirmed += 1;
        }
    }
    assert_eq!(confirmed, 12);
    let settings: Value = app
        .api(
            Method::GET,
            "/api/v1/editions/r30/registration-settings",
            Some(&token),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(settings["confirmed"], 12);

    // Now a session with 3 seats, 20 registrants asking for it at once.
    let mut doc = future_document("r31");
    doc["sessions"][1]["capacity"] = json!(3);
    app.import(&doc).await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let r = registrant(&format!("s{i}@rush.org"));
            let res = app.register("r31", &r).await;
            assert_eq!(res.status(), 201);
            res.json::<Value>().await.unwrap()["sessions"][0]["status"]
                .as_str()
                .unwrap()
                .to_string()
        }));
    }
    let mut seated = 0;
    for t in tasks {
        if t.await.unwrap() == "confirmed" {
            seated += 1;
        }
    }
    assert_eq!(seated, 3);
}

#[tokio::test]
async fn the_public_form_keeps_what_was_typed_and_leads_to_the_registrants_page() {
    let (app, _) = app_with_edition().await;
    let (status, html) = app.get_text("/editions/r30/register?lang=en").await;
    assert_eq!(status, 200);
    assert!(html.contains("Parallel sessions"));
    let csrf = csrf_in(&html);
    let res = app
        .post_form(
            "/editions/r30/register",
            &[
                ("csrf_token", &csrf),
                ("first_name", "Ana"),
                ("last_name", "Ruiz"),
                ("email", "ana@rosario"),
                ("organisation", "Municipalidad de Rosario"),
                ("country", "Argentine"),
                ("days", "2030-10-07"),
                ("slot_0", "s3"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("value=\"Municipalidad de Rosario\""));
    assert!(
        html.contains("value=\"Argentina\""),
        "the country is shown by name"
    );
    assert!(html.contains("This address is not valid"));
    assert!(
        html.contains("aria-invalid=\"true\" aria-describedby=\"err-civility\"")
            || html.contains("err-civility")
    );
    let res = app
        .post_form(
            "/editions/r30/register",
            &[
                ("csrf_token", &csrf),
                ("civility", "m"),
                ("first_name", "Ana"),
                ("last_name", "Ruiz"),
                ("email", "ana@rosario.gob.ar"),
                ("function", "elected"),
                ("organisation", "Municipalidad de Rosario"),
                ("organisation_type", "foreign_local_government"),
                ("country", "Argentina"),
                ("days", "2030-10-07"),
                ("slot_0", "s3"),
                ("lang", "en"),
                ("consent_privacy", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/r/"));
    let (status, page) = app.get_text(&to).await;
    assert_eq!(status, 200);
    assert!(page.contains("Your registration is confirmed"));
    assert!(page.contains("Amérique latine"));
    assert!(page.contains("<svg"), "the QR code is on the page");
    let badge = app
        .get(&format!("{}/badge.pdf", to.split('?').next().unwrap()))
        .await;
    assert_eq!(badge.status(), 200);
    assert_eq!(badge.headers()["content-type"], "application/pdf");

    // The registrant cancels from their page.
    let base = to.split('?').next().unwrap().to_string();
    let csrf = csrf_in(&page);
    let res = app
        .post_form(
            &format!("{base}/cancel"),
            &[("csrf_token", &csrf), ("confirm", "on")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, page) = app.get_text(&base).await;
    assert!(page.contains("cancelled"));
    assert_eq!(app.get(&format!("{base}/badge.pdf")).await.status(), 404);

    // Without the CSRF token nothing is registered.
    let res = app
        .post_form("/editions/r30/register", &[("first_name", "Bot")])
        .await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn the_registrant_changes_sessions_from_their_page() {
    let (app, token) = app_with_edition().await;
    let body: Value = app
        .register("r30", &registrant("change@b.fr"))
        .await
        .json()
        .await
        .unwrap();
    let manage = body["manage_url"].as_str().unwrap();
    let path = manage[manage.find("/r/").unwrap()..].to_string();
    let (_, html) = app.get_text(&path).await;
    let csrf = csrf_in(&html);
    let res = app
        .post_form(
            &path,
            &[
                ("csrf_token", &csrf),
                ("civility", "mme"),
                ("first_name", "Aminata"),
                ("last_name", "Diallo-Sow"),
                ("email", "change@b.fr"),
                ("function", "elected"),
                ("organisation", "Ville de Dakar"),
                ("organisation_type", "foreign_local_government"),
                ("country", "SN"),
                ("days", "2030-10-07"),
                ("days", "2030-10-08"),
                ("slot_0", "s3"),
                ("lang", "fr"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Vos modifications sont enregistrées"));
    let reg: Value = app
        .api(
            Method::GET,
            &format!(
                "/api/v1/editions/r30/registrations/{}",
                body["id"].as_str().unwrap()
            ),
            Some(&token),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(reg["last_name"], "Diallo-Sow");
    assert_eq!(
        reg["sessions"],
        json!([{"key": "s3", "status": "confirmed"}])
    );
    assert_eq!(reg["days"], json!(["2030-10-07", "2030-10-08"]));
    // A new name is a new badge.
    assert_eq!(reg["badge_version"], 2);
}

#[tokio::test]
async fn public_forms_are_rate_limited_and_robots_fill_the_honeypot_for_nothing() {
    let app = spawn_with(Options {
        demo: false,
        forms_per_minute: 3,
        ..Options::default()
    })
    .await;
    let token = app.import(&future_document("r30")).await;
    for i in 0..3 {
        let res = app
            .register("r30", &registrant(&format!("d{i}@b.fr")))
            .await;
        assert_eq!(res.status(), 201);
    }
    let res = app.register("r30", &registrant("d4@b.fr")).await;
    assert_eq!(res.status(), 429);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "rate_limited");

    let app = spawn_empty_app().await;
    app.import(&future_document("r30")).await;
    let csrf = app.csrf("/editions/r30/register").await;
    let res = app
        .post_form(
            "/editions/r30/register",
            &[
                ("csrf_token", &csrf),
                ("website", "http://spam.example"),
                ("civility", "m"),
                ("first_name", "Bot"),
                ("last_name", "Bot"),
                ("email", "bot@spam.example"),
                ("function", "other"),
                ("organisation", "Spam"),
                ("organisation_type", "other"),
                ("country", "FR"),
                ("days", "2030-10-07"),
                ("consent_privacy", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let list: Value = app
        .api(
            Method::GET,
            "/api/v1/editions/r30/registrations",
            Some(&token_of(&app).await),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 0);
    drop(token);
}

async fn token_of(app: &TestApp) -> String {
    app.token(Role::Organiser).await
}

/// Registrations and cancellations racing on the same seats: the counters always equal the
/// rows, no capacity is exceeded, and no request fails (no deadlock on PostgreSQL).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn registrations_and_cancellations_racing_keep_the_counters_true() {
    use diesel::prelude::*;
    use rencontres::db::schema::{registration_sessions, registrations, session_seats, sessions};

    let (app, token) = app_with_edition().await;
    app.set_registration("r30", &token, json!({"capacity": 8}))
        .await;
    let mut first = Vec::new();
    for i in 0..8 {
        let mut r = registrant(&format!("early{i}@b.fr"));
        r["sessions"] = json!([if i % 2 == 0 { "s2" } else { "s3" }]);
        let body: Value = app.register("r30", &r).await.json().await.unwrap();
        first.push(body["id"].as_str().unwrap().to_string());
    }
    let app = std::sync::Arc::new(app);
    let mut tasks = Vec::new();
    for i in 0..24 {
        let app = app.clone();
        let token = token.clone();
        let victim = first[i % 8].clone();
        tasks.push(tokio::spawn(async move {
            if i % 3 == 0 {
                let res = app
                    .api(
                        Method::POST,
                        &format!("/api/v1/editions/r30/registrations/{victim}/cancel"),
                        Some(&token),
                    )
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200);
            } else {
                let mut r = registrant(&format!("late{i}@b.fr"));
                r["sessions"] = json!([if i % 2 == 0 { "s2" } else { "s3" }]);
                assert_eq!(app.register("r30", &r).await.status(), 201);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let (confirmed_rows, counter, seats, seated_rows) = app
        .with_db(|c| {
            let confirmed_rows: i64 = registrations::table
                .filter(registrations::status.eq("confirmed"))
                .count()
                .get_result(c)
                .unwrap();
            let counter: i32 = rencontres::db::schema::registration_settings::table
                .select(rencontres::db::schema::registration_settings::confirmed)
                .first(c)
                .unwrap();
            let seats: Vec<(String, i32)> = session_seats::table
                .inner_join(sessions::table)
                .select((sessions::key, session_seats::taken))
                .order(sessions::key)
                .load(c)
                .unwrap();
            let seated_rows: Vec<(String, i64)> = registration_sessions::table
                .inner_join(sessions::table)
                .filter(registration_sessions::status.eq("confirmed"))
                .group_by(sessions::key)
                .select((sessions::key, diesel::dsl::count_star()))
                .order(sessions::key)
                .load(c)
                .unwrap();
            (confirmed_rows, counter, seats, seated_rows)
        })
        .await;
    assert_eq!(
        confirmed_rows, 8,
        "cancelled seats went to the waiting list"
    );
    assert_eq!(i64::from(counter), confirmed_rows);
    // A session whose seats were all given back has a counter at 0 and no row.
    let seats: Vec<(String, i64)> = seats
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| (k, i64::from(n)))
        .collect();
    assert_eq!(seats, seated_rows);
}

#[tokio::test]
async fn more_seats_in_a_session_go_to_those_waiting_for_it() {
    let app = spawn_empty_app().await;
    let mut doc = future_document("r31");
    doc["sessions"][1]["capacity"] = json!(1);
    let token = app.import(&doc).await;
    let mut ids = Vec::new();
    for i in 0..2 {
        let body: Value = app
            .register("r31", &registrant(&format!("w{i}@b.fr")))
            .await
            .json()
            .await
            .unwrap();
        ids.push(body["id"].as_str().unwrap().to_string());
    }
    let choice = |id: String| {
        let app = &app;
        let token = token.clone();
        async move {
            let r: Value = app
                .api(
                    Method::GET,
                    &format!("/api/v1/editions/r31/registrations/{id}"),
                    Some(&token),
                )
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            r["sessions"][0]["status"].as_str().unwrap().to_string()
        }
    };
    assert_eq!(choice(ids[1].clone()).await, "waitlisted");
    // The organiser moves the workshop to a bigger setting: two seats.
    doc["sessions"][1]["capacity"] = json!(2);
    app.import(&doc).await;
    assert_eq!(choice(ids[1].clone()).await, "confirmed");
    let emails = wait_for_emails(&app, 3).await;
    assert!(emails
        .iter()
        .any(|e| e.contains("w1@b.fr") && e.contains("dans une session")));
}
