//! What organisers do with registrations: search and filter, add someone by hand, edit,
//! export, change the settings, and handle personal data (export, erase, purge).

use rencontres::auth::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{csrf_in, future_document, registrant, spawn_empty_app, TestApp};

async fn three_registrants(app: &TestApp) -> Vec<Value> {
    let mut out = Vec::new();
    for (first, last, org, country, kind, email) in [
        (
            "Hélène",
            "Dupré",
            "Région Île-de-France",
            "FR",
            "french_local_government",
            "helene@idf.fr",
        ),
        (
            "Ana",
            "Ruiz",
            "Municipalidad de Rosario",
            "AR",
            "foreign_local_government",
            "ana@rosario.ar",
        ),
        (
            "Koffi",
            "Mensah",
            "Ville de Lomé",
            "TG",
            "foreign_local_government",
            "koffi@lome.tg",
        ),
    ] {
        let mut r = registrant(email);
        r["first_name"] = json!(first);
        r["last_name"] = json!(last);
        r["organisation"] = json!(org);
        r["country"] = json!(country);
        r["organisation_type"] = json!(kind);
        if country == "TG" {
            r["days"] = json!(["2030-10-08"]);
            r["sessions"] = json!([]);
        }
        let res = app.register("a30", &r).await;
        assert_eq!(res.status(), 201);
        out.push(res.json().await.unwrap());
    }
    out
}

#[tokio::test]
async fn organisers_search_filter_and_export() {
    let app = spawn_empty_app().await;
    let token = app.import(&future_document("a30")).await;
    three_registrants(&app).await;
    let list = |q: &'static str| {
        let app = &app;
        let token = token.clone();
        async move {
            let v: Value = app
                .api(
                    Method::GET,
                    &format!("/api/v1/editions/a30/registrations{q}"),
                    Some(&token),
                )
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            v.as_array()
                .unwrap()
                .iter()
                .map(|r| r["last_name"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(list("?q=helene").await, vec!["Dupré"]);
    assert_eq!(list("?q=ILE%20de").await, vec!["Dupré"]);
    assert_eq!(list("?q=argentine").await, vec!["Ruiz"]);
    assert_eq!(
        list("?organisation_type=foreign_local_government")
            .await
            .len(),
        2
    );
    assert_eq!(list("?day=2030-10-08").await, vec!["Mensah"]);
    assert_eq!(list("?session=s2").await.len(), 2);
    assert_eq!(list("?status=cancelled").await.len(), 0);

    app.login_as(Role::Organiser).await;
    let (status, html) = app
        .get_text("/admin/editions/a30/registrations?q=lome")
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("MENSAH Koffi"));
    assert!(!html.contains("DUPRÉ"));

    let res = app
        .get("/admin/editions/a30/registrations.csv?lang=fr")
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 4, "a header and three registrations");
    assert!(lines[0].contains("Prénom"));
    assert!(csv.contains("Municipalidad de Rosario"));
    assert!(csv.contains("Collectivité étrangère"));

    let res = app
        .get("/admin/editions/a30/registrations.xlsx?status=confirmed")
        .await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an XLSX is a zip");
}

#[tokio::test]
async fn an_organiser_adds_an_invited_speaker_beyond_capacity() {
    let app = spawn_empty_app().await;
    let token = app.import(&future_document("a30")).await;
    app.set_registration("a30", &token, json!({"capacity": 0}))
        .await;
    app.login_as(Role::Organiser).await;
    let csrf = app.csrf("/admin/editions/a30/registrations/new").await;
    let res = app
        .post_form(
            "/admin/editions/a30/registrations",
            &[
                ("csrf_token", &csrf),
                ("invited", "on"),
                ("person", "ana"),
                ("civility", "mme"),
                ("first_name", "Ana"),
                ("last_name", "Ruiz"),
                ("email", "ana@rosario.ar"),
                ("function", "elected"),
                ("organisation", "Municipalidad de Rosario"),
                ("organisation_type", "foreign_local_government"),
                ("country", "AR"),
                ("days", "2030-10-07"),
                ("lang", "fr"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let to = res.headers()["location"].to_str().unwrap().to_string();
    let (_, html) = app.get_text(&to).await;
    assert!(html.contains("Ana Ruiz"));
    let list: Value = app
        .api(
            Method::GET,
            "/api/v1/editions/a30/registrations",
            Some(&token),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["status"], "confirmed");
    assert_eq!(list[0]["category"], "speaker");
    assert_eq!(list[0]["person"], "ana");
    assert_eq!(list[0]["invited"], true);
    // The public, meanwhile, goes on the waiting list.
    let r: Value = app
        .register("a30", &registrant("public@b.fr"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["status"], "waitlisted");

    // The organiser edits: press category; the form keeps errors beside fields.
    let csrf = csrf_in(&html);
    let res = app
        .post_form(
            to.split('?').next().unwrap(),
            &[("csrf_token", &csrf), ("first_name", "")],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("err-first_name"));
}

#[tokio::test]
async fn settings_pages_set_the_window_and_capacity_in_local_time() {
    let app = spawn_empty_app().await;
    let token = app.import(&future_document("a30")).await;
    app.login_as(Role::Organiser).await;
    let csrf = app.csrf("/admin/editions/a30/registration-settings").await;
    let res = app
        .post_form(
            "/admin/editions/a30/registration-settings",
            &[
                ("csrf_token", &csrf),
                ("opens_at", "2030-06-01T09:00"),
                ("closes_at", "2030-10-01T18:00"),
                ("capacity", "550"),
                (
                    "privacy_notice",
                    "Vos données restent chez nous.\n\nElles sont effacées après un an.",
                ),
                ("retention_days", "365"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let s: Value = app
        .api(
            Method::GET,
            "/api/v1/editions/a30/registration-settings",
            Some(&token),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Paris is UTC+2 in summer.
    assert_eq!(s["opens_at"], "2030-06-01T07:00:00Z");
    assert_eq!(s["closes_at"], "2030-10-01T16:00:00Z");
    assert_eq!(s["capacity"], 550);
    let (_, form) = app.get_text("/editions/a30/register").await;
    assert!(form.contains("Les inscriptions ouvriront le"));
    assert!(!form.contains("name=\"first_name\""));
    app.set_registration(
        "a30",
        &token,
        json!({"privacy_notice": s["privacy_notice"]}),
    )
    .await;
    let (_, form) = app.get_text("/editions/a30/register").await;
    assert!(form.contains("<p>Elles sont effacées après un an.</p>"));

    let res = app
        .post_form(
            "/admin/editions/a30/registration-settings",
            &[
                ("csrf_token", &csrf),
                ("opens_at", "2030-10-01T09:00"),
                ("closes_at", "2030-06-01T09:00"),
                ("capacity", "-3"),
                ("retention_days", "365"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("capacity"));
}

#[tokio::test]
async fn personal_data_is_exported_then_erased_and_the_counts_remain() {
    let app = spawn_empty_app().await;
    let token = app.import(&future_document("a30")).await;
    let regs = three_registrants(&app).await;
    let id = regs[1]["id"].as_str().unwrap();
    let data: Value = app
        .api(
            Method::GET,
            &format!("/api/v1/editions/a30/registrations/{id}/personal-data"),
            Some(&token),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(data["registration"]["email"], "ana@rosario.ar");
    assert_eq!(data["sessions"][0]["key"], "s2");
    // The registrant can download the same from their page.
    let manage = regs[1]["manage_url"].as_str().unwrap();
    let path = &manage[manage.find("/r/").unwrap()..];
    let own: Value = app
        .get(&format!("{path}/data.json"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["registration"]["last_name"], "Ruiz");

    // The confirmations were written as .eml files (no SMTP server configured).
    for _ in 0..200 {
        if app.eml_files().len() == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(app.eml_files().iter().any(|e| e.contains("ana@rosario.ar")));
    let res = app
        .api(
            Method::DELETE,
            &format!("/api/v1/editions/a30/registrations/{id}/personal-data"),
            Some(&token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let after: Value = app
        .api(
            Method::GET,
            &format!("/api/v1/editions/a30/registrations/{id}"),
            Some(&token),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after["first_name"], "");
    assert_eq!(after["email"], "");
    assert_eq!(after["status"], "cancelled");
    assert!(after["erased_at"].is_string());
    assert_eq!(after["country"], "AR", "anonymous figures stay");
    assert_eq!(after["organisation_type"], "foreign_local_government");
    assert_eq!(app.get(path).await.status(), 404, "the manage link is dead");
    assert!(
        !app.eml_files().iter().any(|e| e.contains("ana@rosario.ar")),
        "copies of the emails sent to them are gone"
    );
    let csv = {
        app.login_as(Role::Organiser).await;
        app.get_text("/admin/editions/a30/registrations.csv")
            .await
            .1
    };
    assert!(!csv.contains("ana@rosario.ar"));
    assert!(!csv.contains("Ruiz"));
    // No email of theirs is left to send.
    let outbox: Value = app
        .api(Method::GET, "/api/v1/editions/a30/outbox", Some(&token))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!outbox.to_string().contains("ana@rosario.ar"));
    // The address is free again.
    assert_eq!(
        app.register("a30", &registrant("ana@rosario.ar"))
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn purge_erases_editions_past_their_retention() {
    let app = spawn_empty_app().await;
    let token = app.import(&future_document("a30")).await;
    three_registrants(&app).await;
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rencontres"))
            .args(args)
            .env("DATABASE_URL", &app.database_url)
            .env("RENCONTRES_DATA_DIR", &app.data_dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    // 2030 is in the future: nothing is due.
    assert_eq!(run(&["purge"]).trim(), "people erased: 0");
    // An edition that ended long ago with a retention of 30 days.
    let mut old = crate::helpers::small_document("a19");
    old["edition"]["year"] = json!(2019);
    let old: Value =
        serde_json::from_str(&old.to_string().replace("2024-10-0", "2019-10-0")).unwrap();
    app.import(&old).await;
    let mut body = registrant("old@b.fr");
    body["days"] = json!(["2019-10-07"]);
    body["invited"] = json!(true);
    let res = app
        .api(
            Method::POST,
            "/api/v1/editions/a19/registrations/manual",
            Some(&token),
        )
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    app.set_registration("a19", &token, json!({"retention_days": 30}))
        .await;
    assert_eq!(run(&["purge", "--dry-run"]).trim(), "people to erase: 1");
    assert_eq!(run(&["purge"]).trim(), "people erased: 1");
    let list: Value = app
        .api(
            Method::GET,
            "/api/v1/editions/a19/registrations",
            Some(&token),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["email"], "");
    assert_eq!(list[0]["country"], "SN");
    let recent: Value = app
        .api(
            Method::GET,
            "/api/v1/editions/a30/registrations",
            Some(&token),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(recent.as_array().unwrap().iter().all(|r| r["email"] != ""));
}
