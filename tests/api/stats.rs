//! Attendance statistics over HTTP: exact figures for a small edition with check-ins,
//! session doors, a cancellation, an erasure and a waiting list; the previous edition's
//! figures beside them; who may read them; the downloads, the page and the command line.

use std::process::Command;

use rencontres::auth::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{
    a_year_ahead, desk_document, paris_day, registrant, small_document, spawn_empty_app, TestApp,
};

/// A local Paris time on a day given as `YYYY-MM-DD`, as RFC 3339.
fn at(day: &str, hhmm: &str) -> String {
    let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    let time = chrono::NaiveTime::parse_from_str(hhmm, "%H:%M").unwrap();
    day.and_time(time)
        .and_local_timezone(chrono_tz::Europe::Paris)
        .earliest()
        .unwrap()
        .to_rfc3339()
}

fn nonce() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Registers someone with these answers changed; returns their id and badge token.
async fn register(app: &TestApp, slug: &str, email: &str, changes: Value) -> (String, String) {
    let mut body = registrant(email);
    for (k, v) in changes.as_object().unwrap() {
        body[k] = v.clone();
    }
    let res = app.register(slug, &body).await;
    assert_eq!(res.status(), 201, "registration of {email}");
    let created: Value = res.json().await.unwrap();
    let token = app
        .badge_token(created["manage_url"].as_str().unwrap())
        .await;
    (created["id"].as_str().unwrap().to_string(), token)
}

/// Scans a badge at a desk (or a session door); asserts the answer.
async fn scan(
    app: &TestApp,
    desk: &str,
    badge: &str,
    where_: &str,
    when: String,
    session: Option<&str>,
    expect: &str,
) -> Value {
    let mut body = json!({"token": badge, "nonce": nonce(), "desk": where_, "scanned_at": when});
    if let Some(s) = session {
        body["session"] = json!(s);
    }
    let (status, v) = app.checkin(desk, body).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["result"], expect, "{v}");
    v
}

async fn stats(app: &TestApp, slug: &str, token: &str, lang: &str) -> Value {
    let res = app
        .api(
            Method::GET,
            &format!("/api/v1/editions/{slug}/stats"),
            Some(token),
        )
        .header("Accept-Language", lang)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Last year's edition (October 2024): two registrations, one checked in.
async fn previous_edition(app: &TestApp) {
    let organiser = app.import(&small_document("s-prev")).await;
    app.set_registration("s-prev", &organiser, json!({"closes_at": a_year_ahead()}))
        .await;
    let desk = app.token(Role::Desk).await;
    let day = ["2024-10-07"];
    let (_, badge) = register(
        app,
        "s-prev",
        "p1@prev.fr",
        json!({"country": "FR", "organisation": "Ville de Besançon",
               "organisation_type": "french_local_government", "days": day}),
    )
    .await;
    register(app, "s-prev", "p2@prev.fr", json!({"days": day})).await;
    scan(
        app,
        &desk,
        &badge,
        "Accueil",
        at("2024-10-07", "09:05"),
        None,
        "checked_in",
    )
    .await;
}

#[tokio::test]
async fn the_figures_of_an_edition_and_of_the_previous_one() {
    let app = spawn_empty_app().await;
    previous_edition(&app).await;
    let organiser = app.import(&desk_document("s-now")).await;
    app.set_registration("s-now", &organiser, json!({"closes_at": a_year_ahead()}))
        .await;
    let desk = app.token(Role::Desk).await;
    let (d1, d2) = (paris_day(2), paris_day(1));
    let both = json!([d1, d2]);
    let first = json!([d1]);

    let flg = |org: &str, function: &str, days: &Value, sessions: Value| {
        json!({"country": "FR", "organisation": org, "organisation_type": "french_local_government",
               "function": function, "days": days, "sessions": sessions})
    };
    let (_, a) = register(
        &app,
        "s-now",
        "a@now.fr",
        flg("Ville de Besançon", "elected", &both, json!(["s2"])),
    )
    .await;
    let (_, b) = register(
        &app,
        "s-now",
        "b@now.fr",
        flg("VILLE DE BESANCON", "staff", &first, json!(["s3"])),
    )
    .await;
    let (c_id, c) = register(
        &app,
        "s-now",
        "c@now.fr",
        flg("Région Île-de-France", "elected", &first, json!([])),
    )
    .await;
    let (_, d) = register(&app, "s-now", "d@now.fr", json!({"days": first})).await;
    register(
        &app,
        "s-now",
        "e@now.fr",
        json!({"country": "BR", "organisation": "Instituto Pólis", "organisation_type": "ngo",
               "function": "ngo", "days": first}),
    )
    .await;
    let (f_id, _) = register(
        &app,
        "s-now",
        "f@now.fr",
        flg("Métropole de Lyon", "elected", &first, json!(["s2"])),
    )
    .await;
    let res = app
        .api(
            Method::POST,
            &format!("/api/v1/editions/s-now/registrations/{f_id}/cancel"),
            Some(&organiser),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // Before anyone is checked in, the confirmed registrations are the participants.
    let s = stats(&app, "s-now", &organiser, "fr").await;
    assert_eq!(s["participants_basis"], "registered");
    assert_eq!(s["participants"], 5);
    assert_eq!(s["no_show_rate"], Value::Null);
    assert_eq!(s["present"], 0);
    assert_eq!(s["present_by_day"], json!({&d1: 0, &d2: 0}));
    assert_eq!(s["arrivals"], json!([]));
    assert_eq!(
        s["french_local_governments"], 2,
        "Besançon twice, Île-de-France"
    );

    // The desk opens: two arrivals in the same quarter, one later, one after 10:00.
    scan(
        &app,
        &desk,
        &a,
        "Accueil 1",
        at(&d1, "08:50"),
        None,
        "checked_in",
    )
    .await;
    scan(
        &app,
        &desk,
        &b,
        "Accueil 1",
        at(&d1, "08:55"),
        None,
        "checked_in",
    )
    .await;
    scan(
        &app,
        &desk,
        &c,
        "Accueil 2",
        at(&d1, "09:20"),
        None,
        "checked_in",
    )
    .await;
    scan(
        &app,
        &desk,
        &d,
        "Accueil 2",
        at(&d1, "10:00"),
        None,
        "checked_in",
    )
    .await;
    // An offline desk scanned B's badge after the first desk had: a conflict, counted once.
    let v = scan(
        &app,
        &desk,
        &b,
        "Accueil 2",
        at(&d1, "08:58"),
        None,
        "already",
    )
    .await;
    assert_eq!(v["conflict"], true);
    // Room doors.
    scan(
        &app,
        &desk,
        &a,
        "Auditorium",
        at(&d1, "09:35"),
        Some("s1"),
        "checked_in",
    )
    .await;
    scan(
        &app,
        &desk,
        &d,
        "Salle A",
        at(&d1, "11:35"),
        Some("s2"),
        "checked_in",
    )
    .await;
    scan(
        &app,
        &desk,
        &d,
        "Salle A",
        at(&d1, "12:10"),
        Some("s2"),
        "already",
    )
    .await;
    // Second day: A alone, and an afternoon arrival that is no morning's.
    scan(
        &app,
        &desk,
        &a,
        "Accueil 1",
        at(&d2, "09:05"),
        None,
        "checked_in",
    )
    .await;

    // C asks to be forgotten once the event has begun: no figure changes.
    let res = app
        .api(
            Method::DELETE,
            &format!("/api/v1/editions/s-now/registrations/{c_id}/personal-data"),
            Some(&organiser),
        )
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    // The edition is full (five confirmed, C still counted): the next one waits.
    app.set_registration(
        "s-now",
        &organiser,
        json!({"closes_at": a_year_ahead(), "capacity": 4}),
    )
    .await;
    let mut g = registrant("g@now.fr");
    g["days"] = first.clone();
    let res = app.register("s-now", &g).await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "waitlisted");

    let s = stats(&app, "s-now", &organiser, "fr").await;
    let edition = &s["edition"];
    assert_eq!(edition["slug"], "s-now");
    assert_eq!(edition["days"], json!([&d1, &d2]));
    assert_eq!(s["registered"], 5, "A, B, C (erased since), D, E");
    assert_eq!(s["waitlisted"], 1);
    assert_eq!(s["cancelled"], 1, "F");
    assert_eq!(s["present"], 4, "A, B, C (erased since), D");
    assert_eq!(s["present_by_day"], json!({&d1: 4, &d2: 1}));
    assert_eq!(s["no_show_rate"], 0.2, "E never came");
    assert_eq!(s["participants"], 4);
    assert_eq!(s["participants_basis"], "present");
    assert_eq!(s["foreign_share"], 0.25);
    assert_eq!(
        s["countries"],
        json!({"count": 2, "list": [{"code": "FR", "name": "France", "count": 3},
                                    {"code": "SN", "name": "Sénégal", "count": 1}]})
    );
    assert_eq!(s["french_local_governments"], 2);
    let types = s["by_organisation_type"].as_object().unwrap();
    assert_eq!(types.len(), 10, "every type, even at 0");
    assert_eq!(types["french_local_government"], 3);
    assert_eq!(types["foreign_local_government"], 1);
    assert_eq!(types["ngo"], 0, "E did not come");
    assert_eq!(s["by_function"]["elected"], 3);
    assert_eq!(s["by_function"]["staff"], 1);
    assert_eq!(s["by_function"]["press"], 0);
    assert_eq!(
        s["by_category"],
        json!({"participant": 4, "speaker": 0, "organiser": 0, "press": 0})
    );
    assert_eq!(s["sessions_count"], 3);
    assert_eq!(
        s["sessions"],
        json!([
            {"key": "s1", "title": "Ouverture", "capacity": 300, "intended": 0, "attended": 1, "fill_rate": 0.0033},
            {"key": "s2", "title": "Atelier climat", "capacity": 30, "intended": 3, "attended": 1, "fill_rate": 0.0333},
            {"key": "s3", "title": "Amérique latine", "capacity": 300, "intended": 1, "attended": 0, "fill_rate": 0.0}
        ])
    );
    assert_eq!(
        s["arrivals"],
        json!([
            {"day": &d1, "from": "08:45", "count": 2},
            {"day": &d1, "from": "09:00", "count": 0},
            {"day": &d1, "from": "09:15", "count": 1},
            {"day": &d1, "from": "09:30", "count": 0},
            {"day": &d1, "from": "09:45", "count": 0},
            {"day": &d1, "from": "10:00", "count": 1},
            {"day": &d2, "from": "09:00", "count": 1}
        ])
    );
    let today = paris_day(0);
    assert_eq!(
        s["registrations_by_day"],
        json!([{"date": &today, "count": 7, "cumulative": 7}])
    );
    assert_eq!(
        s["headline"],
        "4 participants, 25 % venus de l'étranger, 2 pays, 2 collectivités territoriales françaises, 3 sessions"
    );

    // Last year, beside.
    let p = &s["previous"];
    assert_eq!(p["edition"]["slug"], "s-prev");
    assert_eq!(
        (p["registered"].clone(), p["present"].clone()),
        (json!(2), json!(1))
    );
    assert_eq!(p["no_show_rate"], 0.5);
    assert_eq!(p["participants"], 1);
    assert_eq!(p["foreign_share"], 0.0);
    assert_eq!(p["french_local_governments"], 1);
    assert_eq!(
        p["present_by_day"],
        json!({"2024-10-07": 1, "2024-10-08": 0})
    );
    assert_eq!(
        p["arrivals"],
        json!([{"day": "2024-10-07", "from": "09:00", "count": 1}])
    );
    assert_eq!(
        p["headline"],
        "1 participant, 0 % venus de l'étranger, 1 pays, 1 collectivité territoriale française, 3 sessions"
    );
    assert_eq!(p["previous"], Value::Null);

    // In English.
    let en = stats(&app, "s-now", &organiser, "en").await;
    assert_eq!(
        en["headline"],
        "4 participants, 25% from abroad, 2 countries, 2 French local governments, 3 sessions"
    );
    assert_eq!(en["countries"]["list"][1]["name"], "Senegal");
    // The first edition has none before it.
    let first_one = stats(&app, "s-prev", &organiser, "en").await;
    assert_eq!(first_one["previous"], Value::Null);

    // The organiser's page, downloads and the command line.
    app.login_as(Role::Organiser).await;
    let (status, html) = app.get_text("/admin/editions/s-now/stats").await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(
        html.contains("4 participants, 25\u{a0}% venus de l&#39;étranger, 2 pays, 2 collectivités territoriales françaises, 3 sessions"),
        "the headline"
    );
    assert!(html.contains("<svg"));
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("aria-current=\"page\">Statistiques</a>"));
    assert!(html.contains("Accueil 2"), "the conflict's desk");
    assert!(html.contains("@media print"));
    let (status, html) = app.get_text("/admin/editions/s-now/stats?lang=en").await;
    assert_eq!(status, 200);
    assert!(html.contains("4 participants, 25% from abroad"));

    let res = app.get("/admin/editions/s-now/stats.csv?lang=fr").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("s-now-stats.csv"));
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(
        csv.starts_with("\u{feff}Section,Clé,Libellé,Valeur,Édition précédente\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\r\nVue d'ensemble,participants,Participants,4,1\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\r\nVue d'ensemble,foreign_share,Venus de l'étranger,0.25,0\r\n"),
        "{csv}"
    );
    assert!(csv.contains("\r\nPays,SN,Sénégal,1,0\r\n"), "{csv}");
    let res = app.get("/admin/editions/s-now/stats.xlsx").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));

    let cli = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_rencontres"))
            .args(args)
            .env("DATABASE_URL", &app.database_url)
            .env("RENCONTRES_DATA_DIR", &app.data_dir)
            .env("RENCONTRES__LOG__FILTER", "warn")
            .current_dir(&app.data_dir)
            .output()
            .unwrap()
    };
    let out = cli(&["stats", "s-now", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let from_cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(from_cli, en, "the command line prints the API's document");
    let out = cli(&["stats", "s-now", "--lang", "fr"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("4 participants, 25 % venus de l'étranger"),
        "{text}"
    );
    assert!(text.contains("Sénégal"), "{text}");
    let out = cli(&["stats", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no edition nope"));
}

#[tokio::test]
async fn only_organisers_read_the_statistics() {
    let app = spawn_empty_app().await;
    app.import(&small_document("s-roles")).await;
    let path = "/api/v1/editions/s-roles/stats";
    let status = |res: reqwest::Response| res.status().as_u16();
    assert_eq!(
        status(app.api(Method::GET, path, None).send().await.unwrap()),
        401
    );
    let desk = app.token(Role::Desk).await;
    assert_eq!(
        status(
            app.api(Method::GET, path, Some(&desk))
                .send()
                .await
                .unwrap()
        ),
        403
    );
    let organiser = app.token(Role::Organiser).await;
    let res = app
        .api(Method::GET, path, Some(&organiser))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let s: Value = res.json().await.unwrap();
    assert_eq!(s["registered"], 0);
    assert_eq!(s["participants"], 0);
    assert_eq!(s["foreign_share"], Value::Null);
    assert_eq!(s["registrations_by_day"], json!([]));
    assert_eq!(
        s["headline"],
        "0 participants, 0% from abroad, 0 countries, 0 French local governments, 3 sessions"
    );
    let res = app
        .api(Method::GET, "/api/v1/editions/nope/stats", Some(&organiser))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    for page in [
        "/admin/editions/s-roles/stats",
        "/admin/editions/s-roles/stats.csv",
        "/admin/editions/s-roles/stats.xlsx",
    ] {
        app.forget_cookies();
        let res = app.get(page).await;
        assert_eq!(res.status(), 303, "{page}");
        assert!(res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login?next="));
        app.login_as(Role::Desk).await;
        assert_eq!(app.get(page).await.status(), 403, "{page}");
        app.forget_cookies();
        app.login_as(Role::Organiser).await;
        assert_eq!(app.get(page).await.status(), 200, "{page}");
    }
    let (_, html) = app.get_text("/admin/editions/s-roles/stats").await;
    assert!(html.contains("Aucune inscription pour l&#39;instant."));

    // The route is in the API's description.
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    assert!(doc["paths"]["/api/v1/editions/{slug}/stats"]["get"].is_object());
    assert!(doc["components"]["schemas"]["Stats"].is_object());
}

#[test]
fn the_stats_command_explains_itself() {
    let out = Command::new(env!("CARGO_BIN_EXE_rencontres"))
        .args(["stats", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("Usage:"));
    assert!(help.contains("--json"));
}
