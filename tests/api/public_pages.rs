use crate::helpers::spawn_app;

#[tokio::test]
async fn health_and_openapi_answer() {
    let app = spawn_app().await;
    let (status, body) = app.get_text("/healthz").await;
    assert_eq!((status.as_u16(), body.as_str()), (200, "ok"));

    let res = app.get("/api/openapi.json").await;
    assert_eq!(res.status(), 200);
    let doc: serde_json::Value = res.json().await.unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/editions",
        "/api/v1/editions/{slug}",
        "/api/v1/editions/{slug}/programme",
        "/api/v1/editions/{slug}/sessions",
        "/api/v1/editions/{slug}/sessions/{key}",
        "/api/v1/editions/{slug}/conflicts",
        "/api/v1/programme",
        "/api/v1/editions/{slug}/rooms",
        "/api/v1/editions/{slug}/rooms/{key}",
        "/api/v1/editions/{slug}/people",
        "/api/v1/editions/{slug}/people/{key}",
        "/api/v1/editions/{slug}/sessions",
        "/api/v1/me",
        "/healthz",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn the_demo_programme_is_public_day_by_day() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/editions/raict-2023/programme").await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("lundi 18 septembre 2023"));
    assert!(html.contains("mardi 19 septembre 2023"));
    assert!(html.contains("Les ODD : quel référentiel pour les coopérations décentralisées ?"));
    // Three sessions side by side at 14:30 on Monday, and the lunch break.
    assert!(
        html.contains("14:30 – 16:00 <span class=\"muted\">· 3 sessions en parallèle"),
        "parallel slot"
    );
    assert!(html.contains("Déjeuner"));
    // Every session of the seed is there.
    for n in 1..=15 {
        assert!(
            html.contains(&format!("/editions/raict-2023/sessions/s{n:02}\"")),
            "s{n:02}"
        );
    }
}

#[tokio::test]
async fn the_programme_speaks_english_on_request_and_remembers_it() {
    let app = spawn_app().await;
    let res = app.get("/editions/raict-2023/programme?lang=en").await;
    assert!(res
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("lang=en")));
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Monday 18 September 2023"));
    assert!(html.contains("All rooms"));
    // The next page, without the query, stays in English.
    let (_, html) = app.get_text("/editions/raict-2023/sessions/s02").await;
    assert!(html.contains("Add to my calendar"));
}

#[tokio::test]
async fn filters_narrow_the_programme() {
    let app = spawn_app().await;
    let (_, by_day) = app
        .get_text("/editions/raict-2023/programme?day=2023-09-19")
        .await;
    assert!(!by_day.contains("id=\"h-2023-09-18\""));
    assert!(by_day.contains("id=\"h-2023-09-19\""));

    let (_, by_kind) = app
        .get_text("/editions/raict-2023/programme?kind=country_group")
        .await;
    let cards = by_kind.matches("<article class=\"card").count();
    assert_eq!(cards, 3, "Israël, Palestine and Japon");

    let (_, by_room) = app
        .get_text("/editions/raict-2023/programme?room=auditorium")
        .await;
    assert!(by_room.matches("<article class=\"card").count() >= 4);
    assert!(by_room.contains("Tout afficher"));

    let (_, none) = app
        .get_text("/editions/raict-2023/programme?kind=bourse")
        .await;
    assert!(none.contains("Aucune session ne correspond"));
}

#[tokio::test]
async fn a_session_page_shows_its_abstract_room_and_people_by_role() {
    let app = spawn_app().await;
    let doc = crate::helpers::demo_document();
    let s = doc["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "s15")
        .unwrap();
    let (status, html) = app.get_text("/editions/raict-2023/sessions/s15").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(s["title"].as_str().unwrap().replace('\'', "&#39;").as_str())
            || html.contains("Les ODD")
    );
    assert!(html.contains("Résumé"));
    assert!(html.contains("Animation"));
    assert!(html.contains("Auditorium"));
    assert!(html.contains("mardi 19 septembre 2023, 14:30 – 16:00"));
    let moderator = &s["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["role"] == "moderator")
        .unwrap()["person"];
    assert!(html.contains(&format!(
        "/editions/raict-2023/people/{}\"",
        moderator.as_str().unwrap()
    )));

    let (status, html) = app.get_text("/editions/raict-2023/sessions/nope").await;
    assert_eq!(status, 404);
    assert!(
        html.contains("Cette page n&#39;existe pas") || html.contains("Cette page n'existe pas")
    );
}

#[tokio::test]
async fn a_speaker_page_lists_their_sessions() {
    let app = spawn_app().await;
    let doc = crate::helpers::demo_document();
    // Someone who speaks in two sessions.
    let mut count = std::collections::HashMap::new();
    for s in doc["sessions"].as_array().unwrap() {
        for p in s["people"].as_array().unwrap() {
            *count
                .entry(p["person"].as_str().unwrap().to_string())
                .or_insert(0) += 1;
        }
    }
    let (key, n) = count.iter().max_by_key(|(_, n)| **n).unwrap();
    assert!(*n >= 2);
    let (status, html) = app
        .get_text(&format!("/editions/raict-2023/people/{key}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        html.matches("<li>\n    <p class=\"meta\">").count(),
        *n,
        "{key}"
    );
}

#[tokio::test]
async fn the_programme_exports_to_icalendar() {
    let app = spawn_app().await;
    let res = app.get("/editions/raict-2023/programme.ics").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let body = res.text().await.unwrap();
    assert!(body.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(body.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(
        body.matches("BEGIN:VEVENT").count(),
        15,
        "breaks are left out"
    );
    assert!(body.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris"));
    assert!(body.contains("DTSTART;TZID=Europe/Paris:20230919T143000"));
    for line in body.split("\r\n") {
        assert!(line.len() <= 75, "folded: {line}");
        assert!(!line.contains('\n'));
    }
    assert_eq!(body.matches("BEGIN:").count(), body.matches("END:").count());

    let one = app
        .get("/editions/raict-2023/sessions/s15.ics")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(one.matches("BEGIN:VEVENT").count(), 1);
    assert!(one.contains("UID:raict-2023-s15@rencontres"));
    assert_eq!(
        app.get("/editions/raict-2023/sessions/zz.ics")
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn unknown_editions_are_404_in_html_and_json() {
    let app = spawn_app().await;
    assert_eq!(app.get("/editions/nope/programme").await.status(), 404);
    let res = app.get("/api/v1/editions/nope/programme").await;
    assert_eq!(res.status(), 404);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "not_found");
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = spawn_app().await;
    let res = app.get("/editions/raict-2023/programme").await;
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert!(
        res.headers().get("set-cookie").is_none(),
        "public pages set no cookie"
    );
}

#[tokio::test]
async fn the_programme_is_served_gzipped_to_browsers_that_accept_it() {
    let app = spawn_app().await;
    let plain = app
        .get("/editions/raict-2023/programme")
        .await
        .text()
        .await
        .unwrap();
    let res = app
        .client
        .get(app.url("/editions/raict-2023/programme"))
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    assert_eq!(
        res.headers()["vary"],
        "Accept-Encoding, Accept-Language, Cookie"
    );
    let body = res.bytes().await.unwrap();
    assert!(
        body.len() * 3 < plain.len(),
        "{} vs {}",
        body.len(),
        plain.len()
    );
    let mut unzipped = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut unzipped)
        .unwrap();
    assert_eq!(unzipped, plain);
}

#[tokio::test]
async fn a_change_shows_at_once_on_the_cached_page() {
    use reqwest::Method;
    let app = spawn_app().await;
    let (_, before) = app.get_text("/editions/raict-2023/programme").await;
    assert!(!before.contains("Atelier ajouté"));
    let token = app.token(rencontres::auth::Role::Organiser).await;
    let mut s = crate::helpers::demo_document()["sessions"][1].clone();
    s["title"] = "Atelier ajouté".into();
    let res = app
        .api(
            Method::PUT,
            "/api/v1/editions/raict-2023/sessions/s01",
            Some(&token),
        )
        .json(&s)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (_, after) = app.get_text("/editions/raict-2023/programme").await;
    assert!(after.contains("Atelier ajouté"));
    assert_eq!(
        app.programme("raict-2023").await["sessions"][1]["title"],
        "Atelier ajouté"
    );
}

#[tokio::test]
async fn public_pages_answer_head_requests() {
    let app = spawn_app().await;
    for path in [
        "/healthz",
        "/editions/raict-2023/programme",
        "/api/v1/editions/raict-2023/programme",
        "/editions/raict-2023/programme.ics",
    ] {
        let res = app.client.head(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "HEAD {path}");
        assert!(res.bytes().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_client_holding_the_programme_gets_a_304_until_it_changes() {
    use reqwest::Method;
    let app = spawn_app().await;
    for path in [
        "/editions/raict-2023/programme",
        "/api/v1/editions/raict-2023/programme",
    ] {
        let res = app.get(path).await;
        let etag = res.headers()["etag"].to_str().unwrap().to_string();
        let again = app
            .client
            .get(app.url(path))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert!(again.bytes().await.unwrap().is_empty());
    }
    let etag = app.get("/editions/raict-2023/programme").await.headers()["etag"]
        .to_str()
        .unwrap()
        .to_string();
    let token = app.token(rencontres::auth::Role::Organiser).await;
    let mut e = crate::helpers::demo_document()["edition"].clone();
    e["venue"] = "Cité des Sciences, Paris".into();
    let res = app
        .api(Method::PUT, "/api/v1/editions/raict-2023", Some(&token))
        .json(&e)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = app
        .client
        .get(app.url("/editions/raict-2023/programme"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "changed content, new validator");
    assert!(res.text().await.unwrap().contains("Cité des Sciences"));
}

#[tokio::test]
async fn the_calendar_parses_with_an_independent_icalendar_reader() {
    let app = spawn_app().await;
    let body = app
        .get("/editions/raict-2023/programme.ics")
        .await
        .text()
        .await
        .unwrap();
    let unfolded = icalendar::parser::unfold(&body);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
    let names: Vec<&str> = calendar
        .components
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names.iter().filter(|n| **n == "VTIMEZONE").count(), 1);
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    assert_eq!(events.len(), 15);

    let doc = crate::helpers::demo_document();
    let s15 = doc["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "s15")
        .unwrap();
    let event = events
        .iter()
        .find(|e| {
            e.properties
                .iter()
                .any(|p| p.name == "UID" && p.val == "raict-2023-s15@rencontres")
        })
        .unwrap();
    let prop = |name: &str| event.properties.iter().find(|p| p.name == name).unwrap();
    assert_eq!(
        prop("SUMMARY").val.clone().unescape_text().as_str(),
        s15["title"].as_str().unwrap()
    );
    assert_eq!(prop("DTSTART").val.as_str(), "20230919T143000");
    assert!(prop("DTSTART")
        .params
        .iter()
        .any(|p| p.key == "TZID" && p.val.as_ref().is_some_and(|v| *v == "Europe/Paris")));
    assert_eq!(prop("DTEND").val.as_str(), "20230919T160000");
    assert!(prop("LOCATION")
        .val
        .clone()
        .unescape_text()
        .as_str()
        .starts_with("Auditorium"));
}
