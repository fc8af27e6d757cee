use rencontres::auth::Role;

use crate::helpers::{csrf_in, spawn_app, spawn_empty_app};

#[tokio::test]
async fn an_organiser_builds_an_edition_through_the_pages() {
    let app = spawn_empty_app().await;
    app.login_as(Role::Organiser).await;
    let token = app.csrf("/admin/editions/new").await;

    // A bad form comes back with messages next to the fields and what was typed.
    let res = app
        .post_form(
            "/admin/editions",
            &[
                ("csrf_token", &token),
                ("slug", "Raict 2025"),
                ("number", "15"),
                ("year", "2025"),
                ("title", "15e Rencontres"),
                ("timezone", "Europe/Paris"),
                ("days", "2025-10-06, 2025-10-07"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("n&#39;est pas un identifiant valide")
            || html.contains("n'est pas un identifiant valide"),
        "{html}"
    );
    assert!(html.contains("value=\"15e Rencontres\""));

    let res = app
        .post_form(
            "/admin/editions",
            &[
                ("csrf_token", &token),
                ("slug", "raict-2025"),
                ("number", "15"),
                ("year", "2025"),
                ("title", "15e Rencontres"),
                ("theme", "Coopérer"),
                ("venue", "Paris"),
                ("timezone", "Europe/Paris"),
                ("days", "2025-10-06, 2025-10-07"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/admin/editions/raict-2025?saved=1"
    );

    let rooms = "/admin/editions/raict-2025/rooms";
    for (key, name, cap) in [
        ("auditorium", "Auditorium", "300"),
        ("salle-a", "Salle A", "40"),
    ] {
        let res = app
            .post_form(
                rooms,
                &[
                    ("csrf_token", &token),
                    ("key", key),
                    ("name", name),
                    ("capacity", cap),
                ],
            )
            .await;
        assert_eq!(res.status(), 303, "room {key}");
    }
    let res = app
        .post_form(
            rooms,
            &[
                ("csrf_token", &token),
                ("key", "salle-b"),
                ("name", "Salle B"),
                ("capacity", "beaucoup"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("doit être comprise entre 0 et 100000"));

    let people = "/admin/editions/raict-2025/people";
    for (key, name, country) in [("ana", "Ana Ruiz", "AR"), ("jean", "Jean Martin", "FR")] {
        let res = app
            .post_form(
                people,
                &[
                    ("csrf_token", &token),
                    ("key", key),
                    ("name", name),
                    ("function", "Maire"),
                    ("organisation", "Ville"),
                    ("country", country),
                ],
            )
            .await;
        assert_eq!(res.status(), 303, "person {key}");
    }

    let sessions = "/admin/editions/raict-2025/sessions";
    let session =
        |key: &'static str, room: &'static str, start: &'static str, end: &'static str| {
            vec![
                ("key", key),
                ("kind", "workshop"),
                ("title", "Atelier"),
                ("abstract", "Résumé.\r\n\r\nSuite."),
                ("day", "2025-10-06"),
                ("start", start),
                ("end", end),
                ("room", room),
                ("languages", "fr, es"),
                ("partners", "AFD\r\nCUF"),
                ("capacity", ""),
                ("person_0", "ana"),
                ("role_0", "speaker"),
                ("person_1", ""),
                ("role_1", "speaker"),
            ]
        };
    let mut form = session("s1", "salle-a", "09:30", "11:00");
    form.push(("csrf_token", &token));
    assert_eq!(app.post_form(sessions, &form).await.status(), 303);

    // Same room, same time: shown as a conflict with a box to tick, not saved.
    let mut form = session("s2", "salle-a", "10:00", "11:30");
    form.push(("csrf_token", &token));
    let res = app.post_form(sessions, &form).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Cette modification crée des conflits"));
    assert!(html.contains("Salle A accueille s1 (09:30–11:00) et s2 (10:00–11:30) en même temps"));
    assert!(html.contains("name=\"force\""));
    assert_eq!(
        app.programme("raict-2025").await["sessions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    form.push(("force", "on"));
    let res = app.post_form(sessions, &form).await;
    assert_eq!(res.status(), 303);
    let doc = app.programme("raict-2025").await;
    assert_eq!(
        doc["sessions"][1]["partners"],
        serde_json::json!(["AFD", "CUF"])
    );
    assert_eq!(
        doc["sessions"][1]["languages"],
        serde_json::json!(["fr", "es"])
    );
    assert_eq!(doc["sessions"][1]["abstract"], "Résumé.\n\nSuite.");

    // The grid marks both sessions; the list names the conflict.
    let (status, grid) = app
        .get_text("/admin/editions/raict-2025/grid?day=2025-10-06")
        .await;
    assert_eq!(status, 200);
    assert_eq!(grid.matches(" conflict\"").count(), 2);
    let (_, list) = app.get_text(sessions).await;
    assert!(list.contains("Conflits (2)"), "room and person");

    // Edit a session, then delete it.
    let (_, page) = app.get_text("/admin/editions/raict-2025/sessions/s2").await;
    assert!(page.contains("value=\"10:00\""));
    let mut form = session("s2", "auditorium", "10:00", "11:30");
    form.retain(|(k, _)| *k != "person_0");
    form.push(("person_0", "jean"));
    form.push(("csrf_token", &token));
    assert_eq!(
        app.post_form("/admin/editions/raict-2025/sessions/s2", &form)
            .await
            .status(),
        303
    );
    let (_, list) = app.get_text(sessions).await;
    assert!(list.contains("Aucun conflit."));
    let token2 = csrf_in(&page);
    assert_eq!(
        app.post_form(
            "/admin/editions/raict-2025/sessions/s2/delete",
            &[("csrf_token", &token2)]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        app.programme("raict-2025").await["sessions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // The public page shows what was built.
    let (_, public) = app.get_text("/editions/raict-2025/programme").await;
    assert!(public.contains("lundi 6 octobre 2025"));
    assert!(public.contains("Atelier"));
}

#[tokio::test]
async fn the_grid_shows_rooms_side_by_side() {
    let app = spawn_app().await;
    app.login_as(Role::Organiser).await;
    let (status, html) = app
        .get_text("/admin/editions/raict-2023/grid?day=2023-09-18")
        .await;
    assert_eq!(status, 200);
    for room in ["Auditorium", "Salle Seine", "Salle Concorde"] {
        assert!(html.contains(room), "{room}");
    }
    assert!(html.contains("grid-template-columns: 4.5rem repeat(4, minmax(150px, 1fr))"));
    assert!(!html.contains(" conflict\""), "the demo has no conflicts");
    let (_, export) = app.get_text("/admin/editions/raict-2023/export").await;
    let doc: serde_json::Value = serde_json::from_str(&export).unwrap();
    assert_eq!(doc, crate::helpers::demo_document());
}

#[tokio::test]
async fn a_form_built_before_someone_elses_save_is_refused_not_applied() {
    let app = spawn_app().await;
    app.login_as(Role::Organiser).await;
    let (_, page) = app
        .get_text("/admin/editions/raict-2023/people/virginie-rouquette")
        .await;
    let seen = page
        .split("name=\"seen\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let token = csrf_in(&page);
    let form = |function: &'static str| {
        vec![
            ("csrf_token", token.clone()),
            ("seen", seen.clone()),
            ("key", "virginie-rouquette".into()),
            ("name", "Virginie Rouquette".into()),
            ("function", function.into()),
            ("organisation", "Cités Unies France".into()),
            ("country", "FR".into()),
        ]
    };
    let post = |f: Vec<(&'static str, String)>| {
        let pairs: Vec<(&str, String)> = f;
        let app = &app;
        async move {
            let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(
                "/admin/editions/raict-2023/people/virginie-rouquette",
                &refs,
            )
            .await
        }
    };
    // A first organiser saves from the page...
    assert_eq!(post(form("Directrice")).await.status(), 303);
    // ...a second one, whose page was opened before, does not silently undo it.
    let res = post(form("Déléguée générale")).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("modifié cet élément entre-temps"), "{html}");
    let doc = app.programme("raict-2023").await;
    let virginie = doc["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "virginie-rouquette")
        .unwrap();
    assert_eq!(virginie["function"], "Directrice");
}

#[tokio::test]
async fn moving_the_edition_days_asks_before_leaving_sessions_outside() {
    let app = spawn_app().await;
    app.login_as(Role::Organiser).await;
    let (_, page) = app.get_text("/admin/editions/raict-2023").await;
    let seen = page
        .split("name=\"seen\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let token = csrf_in(&page);
    let mut form = vec![
        ("csrf_token", token.as_str()), ("seen", seen.as_str()), ("slug", "raict-2023"), ("number", "14"), ("year", "2023"),
        ("title", "14e Rencontres de l'action internationale des collectivités territoriales"),
        ("theme", "Quelle contribution des collectivités territoriales à la résolution des grands enjeux mondiaux ?"),
        ("venue", "Paris"), ("timezone", "Europe/Paris"), ("days", "2023-09-19, 2023-09-20"),
    ];
    let res = app.post_form("/admin/editions/raict-2023", &form).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Cette modification crée des conflits"),
        "the refusal is explained"
    );
    assert!(html.contains("name=\"force\""));
    assert_eq!(
        app.programme("raict-2023").await["edition"]["days"][0],
        "2023-09-18"
    );

    form.push(("force", "on"));
    assert_eq!(
        app.post_form("/admin/editions/raict-2023", &form)
            .await
            .status(),
        303
    );
    assert_eq!(
        app.programme("raict-2023").await["edition"]["days"][0],
        "2023-09-19"
    );
    // A session now outside the days keeps its day when it is saved again.
    let (_, page) = app
        .get_text("/admin/editions/raict-2023/sessions/s02")
        .await;
    assert!(page.contains("<option value=\"2023-09-18\" selected>"));
}

#[tokio::test]
async fn an_organiser_imports_a_programme_from_the_page() {
    let app = spawn_empty_app().await;
    app.login_as(Role::Organiser).await;
    let token = app.csrf("/admin/import").await;
    let mut doc = crate::helpers::small_document("page-2024");
    doc["sessions"][1]["end"] = "11:00".into();
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let res = app
        .post_form(
            "/admin/import",
            &[("csrf_token", &token), ("document", &text)],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("<code>sessions[1].end</code> : 11:00 est avant le début 11:30"),
        "{html}"
    );
    assert!(html.contains("page-2024"), "the text is kept");
    assert_eq!(app.get("/api/v1/editions/page-2024").await.status(), 404);

    doc["sessions"][1]["end"] = "13:00".into();
    doc["sessions"][2]["room"] = "salle-a".into();
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let res = app
        .post_form(
            "/admin/import",
            &[("csrf_token", &token), ("document", &text)],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Ce programme contient des conflits"));
    let res = app
        .post_form(
            "/admin/import",
            &[
                ("csrf_token", &token),
                ("document", &text),
                ("allow_conflicts", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.programme("page-2024").await, doc);
}

#[tokio::test]
async fn a_taken_slug_is_refused_beside_the_field_when_creating_or_renaming() {
    let app = spawn_app().await;
    app.login_as(Role::Organiser).await;
    let token = app.csrf("/admin/editions/new").await;
    let form = |slug: &'static str| {
        vec![
            ("csrf_token", token.clone()),
            ("slug", slug.to_string()),
            ("number", "15".into()),
            ("year", "2024".into()),
            ("title", "15e Rencontres".into()),
            ("timezone", "Europe/Paris".into()),
            ("days", "2024-10-07".into()),
        ]
    };
    let post = |path: &'static str, f: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(path, &refs).await
        }
    };
    let res = post("/admin/editions", form("raict-2023")).await;
    assert_eq!(res.status(), 200);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("id=\"err-slug\">une édition utilise déjà l&#39;identifiant raict-2023"));
    assert_eq!(
        post("/admin/editions", form("raict-2024")).await.status(),
        303
    );
    // Renaming raict-2024 to the slug of the 14th edition is refused on the form, not with an error page.
    let res = post("/admin/editions/raict-2024", form("raict-2023")).await;
    assert_eq!(res.status(), 200);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("id=\"err-slug\">une édition utilise déjà l&#39;identifiant raict-2023"));
    assert_eq!(
        app.programme("raict-2024").await["edition"]["slug"],
        "raict-2024"
    );
}
