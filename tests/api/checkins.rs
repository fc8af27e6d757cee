//! The welcome desk over HTTP: check-ins once a day, retries counted once, two desks at
//! once, refusals in words, undo, offline scans and their conflicts, session doors,
//! search, walk-ins and re-printed badges.

use rencontres::auth::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{
    a_year_ahead, desk_document, paris_day, registrant, spawn_empty_app, TestApp,
};

/// An edition held the day before yesterday and yesterday, registration kept open; returns
/// the organiser's token and a desk token.
async fn desk_edition(app: &TestApp, slug: &str) -> (String, String) {
    let organiser = app.import(&desk_document(slug)).await;
    app.set_registration(slug, &organiser, json!({"closes_at": a_year_ahead()}))
        .await;
    (organiser, app.token(Role::Desk).await)
}

/// A time of the day `days_ago` in Paris (summer or winter offset alike).
fn at(days_ago: i64, hhmm: &str) -> String {
    let day = chrono::NaiveDate::parse_from_str(&paris_day(days_ago), "%Y-%m-%d").unwrap();
    let time = chrono::NaiveTime::parse_from_str(hhmm, "%H:%M").unwrap();
    let local = day
        .and_time(time)
        .and_local_timezone(chrono_tz::Europe::Paris)
        .earliest()
        .unwrap();
    local.to_rfc3339()
}

fn nonce() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn scan(token: &str, desk: &str, when: &str) -> Value {
    json!({"token": token, "nonce": nonce(), "desk": desk, "scanned_at": when})
}

async fn active_checkins(app: &TestApp, registration: &str) -> i64 {
    let rid = registration.to_string();
    app.with_db(move |c| {
        use diesel::prelude::*;
        use rencontres::db::schema::checkins::dsl::*;
        checkins
            .filter(registration_id.eq(&rid))
            .filter(undone_at.is_null())
            .count()
            .get_result::<i64>(c)
            .unwrap()
    })
    .await
}

#[tokio::test]
async fn a_badge_checks_in_once_a_day_and_a_retried_scan_counts_once() {
    let app = spawn_empty_app().await;
    let (organiser, desk) = desk_edition(&app, "d1").await;
    let (id, badge) = app.desk_registrant("d1", registrant("a@d1.fr")).await;

    let first = scan(&badge, "Accueil 1", &at(2, "09:14"));
    let (status, v) = app.checkin(&desk, first.clone()).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["result"], "checked_in");
    assert_eq!(v["message"], "Bienvenue, Aminata !");
    assert_eq!(v["registration"]["last_name"], "Diallo");
    assert_eq!(v["registration"]["organisation"], "Ville de Dakar");
    assert_eq!(v["registration"]["lunch"], true);
    assert_eq!(v["day"], paris_day(2));
    assert_eq!(v["edition"], "d1");
    let checkin_id = v["checkin_id"].as_str().unwrap().to_string();

    // The same request again (a retry after a lost answer): the same answer, nothing new.
    let (_, again) = app.checkin(&desk, first).await;
    assert_eq!(again["result"], "checked_in");
    assert_eq!(again["replayed"], true);
    assert_eq!(again["checkin_id"], checkin_id.as_str());
    assert_eq!(active_checkins(&app, &id).await, 1);

    // A new scan the same day at the same desk: already, with when and where.
    let (_, repeat) = app
        .checkin(&desk, scan(&badge, "Accueil 1", &at(2, "09:40")))
        .await;
    assert_eq!(repeat["result"], "already");
    assert_eq!(repeat["first_checkin"]["at"], at(2, "09:14").as_str());
    assert_eq!(repeat["first_checkin"]["desk"], "Accueil 1");
    assert!(repeat["first_checkin"]["by"]
        .as_str()
        .unwrap()
        .starts_with("desk-"));
    assert_eq!(repeat["conflict"], false);
    assert!(repeat["message"].as_str().unwrap().contains("09:14"));
    assert!(repeat["checkin_id"].is_null(), "nothing to undo");

    // The desk undoes the check-in; the log keeps it; a new scan checks in again.
    let undo = |id: String| {
        app.api(
            Method::POST,
            &format!("/api/v1/checkins/{id}/undo"),
            Some(&desk),
        )
        .json(&json!({"desk": "Accueil 1"}))
        .send()
    };
    assert_eq!(undo(checkin_id.clone()).await.unwrap().status(), 200);
    assert_eq!(undo(checkin_id.clone()).await.unwrap().status(), 409);
    assert_eq!(active_checkins(&app, &id).await, 0);
    let logged = app
        .with_db(|c| {
            use diesel::prelude::*;
            use rencontres::db::schema::desk_log::dsl::*;
            desk_log
                .filter(action.eq("undo_checkin"))
                .count()
                .get_result::<i64>(c)
                .unwrap()
        })
        .await;
    assert_eq!(logged, 1);
    let (_, back) = app
        .checkin(&desk, scan(&badge, "Accueil 1", &at(2, "09:50")))
        .await;
    assert_eq!(back["result"], "checked_in");
    assert_eq!(active_checkins(&app, &id).await, 1);

    // The person's data export tells where and when they were welcomed.
    let data: Value = app
        .api(
            Method::GET,
            &format!("/api/v1/editions/d1/registrations/{id}/personal-data"),
            Some(&organiser),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(data["checkins"].as_array().unwrap().len(), 1, "{data}");
    assert_eq!(data["checkins"][0]["desk"], "Accueil 1");
}

#[tokio::test]
async fn the_wrong_day_is_refused_unless_the_desk_overrides() {
    let app = spawn_empty_app().await;
    let (_, desk) = desk_edition(&app, "d2").await;
    let (_, badge) = app.desk_registrant("d2", registrant("a@d2.fr")).await;

    // Registered for the first day only.
    let (_, v) = app
        .checkin(&desk, scan(&badge, "Accueil 1", &at(1, "09:00")))
        .await;
    assert_eq!(v["result"], "wrong_day");
    assert_eq!(v["reason"], "not_registered_day");
    assert_eq!(v["registration"]["first_name"], "Aminata");
    assert!(v["message"].as_str().unwrap().starts_with("Inscrit·e pour"));
    let mut anyway = scan(&badge, "Accueil 1", &at(1, "09:01"));
    anyway["override"] = json!(true);
    assert_eq!(app.checkin(&desk, anyway).await.1["result"], "checked_in");

    // A day the event does not take place.
    let (_, v) = app
        .checkin(&desk, scan(&badge, "Accueil 1", &at(3, "09:00")))
        .await;
    assert_eq!(v["result"], "wrong_day");
    assert_eq!(v["reason"], "not_event_day");
    assert_eq!(v["message"], "Ce n'est pas un jour des Rencontres.");
}

#[tokio::test]
async fn refused_badges_say_why() {
    let app = spawn_empty_app().await;
    let (organiser, desk) = desk_edition(&app, "d3").await;
    let (_, other_desk) = desk_edition(&app, "d3-other").await;
    let (id, badge) = app.desk_registrant("d3", registrant("a@d3.fr")).await;
    let when = at(2, "10:00");

    let refuse = |token: String, edition: Option<&'static str>| {
        let mut body = scan(&token, "Accueil 1", &when);
        if let Some(e) = edition {
            body["edition"] = json!(e);
        }
        app.checkin(&desk, body)
    };
    let v = refuse("hello".into(), Some("d3")).await.1;
    assert_eq!(
        (v["result"].as_str(), v["reason"].as_str()),
        (Some("invalid"), Some("malformed"))
    );
    assert!(v["registration"].is_null());

    // One letter changed: the signature no longer matches.
    let mut chars: Vec<char> = badge.chars().collect();
    let i = chars.len() - 5;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    let v = refuse(chars.into_iter().collect(), Some("d3")).await.1;
    assert_eq!(
        (v["result"].as_str(), v["reason"].as_str()),
        (Some("invalid"), Some("forged"))
    );

    // Signed by a key this server never made.
    let stranger = rencontres::badges::token::generate();
    let foreign = rencontres::badges::token::sign(
        &rencontres::badges::token::signing_key(&stranger.secret_key).unwrap(),
        [7; 12],
        1,
    );
    let v = refuse(foreign, Some("d3")).await.1;
    assert_eq!(
        (v["result"].as_str(), v["reason"].as_str()),
        (Some("invalid"), Some("unknown"))
    );

    // A genuine badge at the desk of another edition.
    let v = refuse(badge.clone(), Some("d3-other")).await.1;
    assert_eq!(v["result"], "wrong_edition");
    let _ = other_desk;

    // A re-printed badge: the old one is revoked (though the server remembers its
    // signature as checked, from the scan above), the new one welcomed.
    let res = app
        .api(
            Method::POST,
            &format!("/api/v1/desk/d3/registrations/{id}/reprint"),
            Some(&desk),
        )
        .json(&json!({"desk": "Accueil 1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let reprint: Value = res.json().await.unwrap();
    assert_eq!(reprint["version"], 2);
    let v = refuse(badge.clone(), None).await.1;
    assert_eq!(v["result"], "revoked");
    assert_eq!(
        v["message"],
        "Badge remplacé : un nouveau badge a été imprimé depuis."
    );
    let pdf = app
        .api(
            Method::GET,
            reprint["badge_url"].as_str().unwrap(),
            Some(&desk),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert_eq!(pdf.headers()["x-frame-options"], "SAMEORIGIN");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));

    // Cancelled.
    let res = app
        .api(
            Method::POST,
            &format!("/api/v1/editions/d3/registrations/{id}/cancel"),
            Some(&organiser),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let latest = current_token(&app, &desk, "d3", &id).await;
    let v = refuse(latest, Some("d3")).await.1;
    assert_eq!(v["result"], "cancelled");
    assert_eq!(v["message"], "Inscription annulée.");

    // On the waiting list.
    app.set_registration(
        "d3",
        &organiser,
        json!({"closes_at": a_year_ahead(), "capacity": 0}),
    )
    .await;
    let mut body = registrant("w@d3.fr");
    body["days"] = json!([paris_day(2)]);
    let res = app.register("d3", &body).await;
    let waiting: Value = res.json().await.unwrap();
    assert_eq!(waiting["status"], "waitlisted");
    let token = current_token(&app, &desk, "d3", waiting["id"].as_str().unwrap()).await;
    let v = refuse(token, None).await.1;
    assert_eq!(
        (v["result"].as_str(), v["reason"].as_str()),
        (Some("invalid"), Some("waitlisted"))
    );
}

/// The token of someone's current badge, signed with the edition's key as the server does
/// (their page shows no QR code once cancelled or while waiting).
async fn current_token(app: &TestApp, desk: &str, slug: &str, id: &str) -> String {
    let roster: Value = app
        .api(
            Method::GET,
            &format!("/api/v1/desk/{slug}/roster"),
            Some(desk),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let person = roster["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
        .clone();
    let key_id = roster["key"]["key_id"].as_str().unwrap().to_string();
    let secret = app
        .with_db(move |c| {
            use diesel::prelude::*;
            use rencontres::db::schema::registration_settings::dsl::*;
            registration_settings
                .filter(badge_key_id.eq(&key_id))
                .select(badge_secret_key)
                .first::<String>(c)
                .unwrap()
        })
        .await;
    rencontres::badges::token::sign(
        &rencontres::badges::token::signing_key(&secret).unwrap(),
        rencontres::badges::token::unhex::<12>(person["ref"].as_str().unwrap()).unwrap(),
        person["version"].as_u64().unwrap() as u16,
    )
}

#[tokio::test]
async fn two_desks_scanning_the_same_badges_at_once_make_one_check_in_each() {
    let app = spawn_empty_app().await;
    let (_, desk) = desk_edition(&app, "d4").await;
    let mut badges = Vec::new();
    for i in 0..6 {
        badges.push(
            app.desk_registrant("d4", registrant(&format!("p{i}@d4.fr")))
                .await,
        );
    }
    let when = at(2, "09:30");
    let mut calls = Vec::new();
    for (_, badge) in &badges {
        for d in ["Accueil 1", "Accueil 2", "Accueil 3"] {
            calls.push(app.checkin(&desk, scan(badge, d, &when)));
        }
    }
    let answers = futures_join(calls).await;
    for (i, (id, _)) in badges.iter().enumerate() {
        let mine = &answers[i * 3..i * 3 + 3];
        let results: Vec<&str> = mine
            .iter()
            .map(|(_, v)| v["result"].as_str().unwrap())
            .collect();
        assert_eq!(
            results.iter().filter(|r| **r == "checked_in").count(),
            1,
            "{results:?}"
        );
        assert_eq!(
            results.iter().filter(|r| **r == "already").count(),
            2,
            "{results:?}"
        );
        assert_eq!(active_checkins(&app, id).await, 1);
    }
}

/// Runs the futures concurrently, answers in order.
async fn futures_join<F: std::future::Future>(calls: Vec<F>) -> Vec<F::Output> {
    let mut handles = Vec::new();
    for f in calls {
        handles.push(Box::pin(f));
    }
    let mut out = Vec::new();
    // Polling them together: all requests are in flight before any answer is read.
    let joined = futures_all(handles);
    for v in joined.await {
        out.push(v);
    }
    out
}

async fn futures_all<F: std::future::Future + Unpin>(mut fs: Vec<F>) -> Vec<F::Output> {
    use std::task::Poll;
    let mut done: Vec<Option<F::Output>> = fs.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in fs.iter_mut().enumerate() {
            if done[i].is_none() {
                match std::pin::Pin::new(f).poll(cx) {
                    Poll::Ready(v) => done[i] = Some(v),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    done.into_iter().map(|v| v.unwrap()).collect()
}

#[tokio::test]
async fn late_offline_scans_keep_their_time_and_report_conflicts() {
    let app = spawn_empty_app().await;
    let (_, desk) = desk_edition(&app, "d5").await;
    let (_, badge) = app.desk_registrant("d5", registrant("a@d5.fr")).await;
    let (_, other) = app.desk_registrant("d5", registrant("b@d5.fr")).await;

    // Two desks were offline; each welcomed the same badge. Their queues arrive later.
    let (_, a) = app
        .checkin(&desk, scan(&badge, "Accueil 1", &at(2, "09:05")))
        .await;
    assert_eq!(a["result"], "checked_in");
    let (_, b) = app
        .checkin(&desk, scan(&badge, "Accueil 2", &at(2, "09:12")))
        .await;
    assert_eq!(b["result"], "already");
    assert_eq!(b["conflict"], true);
    assert!(b["message"].as_str().unwrap().contains("Conflit"));
    // The same desk scanning twice offline is no conflict.
    app.checkin(&desk, scan(&other, "Accueil 1", &at(2, "09:06")))
        .await;
    let (_, same) = app
        .checkin(&desk, scan(&other, "Accueil 1", &at(2, "09:07")))
        .await;
    assert_eq!(
        (same["result"].as_str(), same["conflict"].as_bool()),
        (Some("already"), Some(false))
    );

    let list: Value = app
        .api(Method::GET, "/api/v1/desk/d5/conflicts", Some(&desk))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let conflicts = list["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{list}");
    assert_eq!(conflicts[0]["desk"], "Accueil 2");
    assert_eq!(conflicts[0]["at"], at(2, "09:12").as_str());
    assert_eq!(conflicts[0]["name"], "Aminata Diallo");
    assert_eq!(conflicts[0]["first_checkin"]["desk"], "Accueil 1");
    assert_eq!(conflicts[0]["first_checkin"]["at"], at(2, "09:05").as_str());

    // The check-in keeps the time it was made, not the time it arrived.
    let stored = app
        .with_db(|c| {
            use diesel::prelude::*;
            use rencontres::db::schema::checkins::dsl::*;
            checkins
                .filter(desk.eq("Accueil 1"))
                .select(at)
                .order(at)
                .first::<chrono::NaiveDateTime>(c)
                .unwrap()
        })
        .await;
    let expected = chrono::DateTime::parse_from_rfc3339(&at(2, "09:05"))
        .unwrap()
        .naive_utc();
    assert_eq!(stored, expected);
}

#[tokio::test]
async fn room_doors_count_each_person_once_per_session() {
    let app = spawn_empty_app().await;
    let (_, desk) = desk_edition(&app, "d6").await;
    let (id, badge) = app.desk_registrant("d6", registrant("a@d6.fr")).await;
    let door = |when: &str| {
        let mut body = scan(&badge, "Porte salle A", when);
        body["session"] = json!("s2");
        body
    };
    let (_, v) = app.checkin(&desk, door(&at(2, "11:31"))).await;
    assert_eq!(v["result"], "checked_in");
    assert_eq!(v["session"], "s2");
    assert_eq!(v["message"], "Entrée enregistrée : Atelier climat");
    let (_, v) = app.checkin(&desk, door(&at(2, "12:10"))).await;
    assert_eq!(v["result"], "already");
    assert_eq!(v["first_checkin"]["at"], at(2, "11:31").as_str());
    assert!(v["message"].as_str().unwrap().starts_with("Re-entrée"));
    let (rows, entries) = app
        .with_db(|c| {
            use diesel::prelude::*;
            use rencontres::db::schema::attendances::dsl::*;
            let rows = attendances.count().get_result::<i64>(c).unwrap();
            let e = attendances.select(entries).first::<i32>(c).unwrap();
            (rows, e)
        })
        .await;
    assert_eq!((rows, entries), (1, 2));
    // The door counted them present for the day.
    assert_eq!(active_checkins(&app, &id).await, 1);
    let (_, v) = app
        .checkin(&desk, scan(&badge, "Accueil 1", &at(2, "12:30")))
        .await;
    assert_eq!(v["result"], "already");

    let mut unknown = door(&at(2, "11:40"));
    unknown["session"] = json!("nope");
    let (status, v) = app.checkin(&desk, unknown).await;
    assert_eq!(status, 422);
    assert_eq!(v["errors"][0]["field"], "session");
}

#[tokio::test]
async fn a_person_without_badge_is_found_by_name_and_checked_in() {
    let app = spawn_empty_app().await;
    let (_, desk) = desk_edition(&app, "d7").await;
    let mut helene = registrant("h@d7.fr");
    helene["first_name"] = json!("Hélène");
    helene["last_name"] = json!("Lefèvre");
    helene["organisation"] = json!("Ville de Besançon");
    helene["country"] = json!("FR");
    app.desk_registrant("d7", helene).await;
    app.desk_registrant("d7", registrant("other@d7.fr")).await;

    let search = |q: &str| {
        app.api(
            Method::GET,
            &format!("/api/v1/desk/d7/search?q={}", urlencode(q)),
            Some(&desk),
        )
        .send()
    };
    for q in ["helene", "LEFEVRE", "besancon", "lef hél"] {
        let v: Value = search(q).await.unwrap().json().await.unwrap();
        let names: Vec<&str> = v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["last_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Lefèvre"], "query {q}");
    }
    let none: Value = search("zzz").await.unwrap().json().await.unwrap();
    assert!(none["results"].as_array().unwrap().is_empty());

    let found: Value = search("besancon").await.unwrap().json().await.unwrap();
    let id = found["results"][0]["id"].as_str().unwrap().to_string();
    let (_, v) = app
        .checkin(
            &desk,
            json!({"registration": id, "nonce": nonce(), "desk": "Accueil 1",
                   "edition": "d7", "scanned_at": at(2, "09:20")}),
        )
        .await;
    assert_eq!(v["result"], "checked_in");
    let found: Value = search("besancon").await.unwrap().json().await.unwrap();
    assert_eq!(
        found["results"][0]["checked_in"][paris_day(2)]["desk"],
        "Accueil 1"
    );
    // A search result without the edition is refused in words.
    let (status, v) = app
        .checkin(
            &desk,
            json!({"registration": id, "nonce": nonce(), "desk": "A"}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(v["errors"][0]["field"], "edition");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn walk_in(first: &str, email: &str, when: &str) -> Value {
    json!({"first_name": first, "last_name": "Nouveau", "email": email,
           "organisation": "Mairie de Lille", "organisation_type": "french_local_government",
           "function": "staff", "country": "France", "lunch": true,
           "desk": "Accueil 1", "nonce": nonce(), "scanned_at": when})
}

#[tokio::test]
async fn a_walk_in_registers_gets_a_badge_and_capacity_holds() {
    let app = spawn_empty_app().await;
    let (organiser, desk) = desk_edition(&app, "d8").await;
    let post = |token: &str, body: Value| {
        app.api(Method::POST, "/api/v1/desk/d8/walk-ins", Some(token))
            .header("Accept-Language", "fr")
            .json(&body)
            .send()
    };
    // Without email: registered, checked in, badge ready to print.
    let res = post(&desk, walk_in("Paul", "", &at(2, "10:02")))
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["registration"]["status"], "confirmed");
    assert_eq!(v["registration"]["country"], "FR");
    assert_eq!(v["checkin"]["result"], "checked_in");
    let pdf = app
        .api(Method::GET, v["badge_url"].as_str().unwrap(), Some(&desk))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    assert!(app.eml_files().is_empty(), "no email without an address");

    // Missing fields: said in French, nothing written.
    let mut bad = walk_in("", "", &at(2, "10:03"));
    bad["organisation_type"] = json!("");
    let res = post(&desk, bad).await.unwrap();
    assert_eq!(res.status(), 422);
    let v: Value = res.json().await.unwrap();
    let fields: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"first_name") && fields.contains(&"organisation_type"),
        "{v}"
    );
    assert_eq!(v["errors"][0]["message"], "Ce champ est obligatoire.");

    // The edition is full: refused in words; only an organiser gives a seat beyond.
    app.set_registration(
        "d8",
        &organiser,
        json!({"closes_at": a_year_ahead(), "capacity": 1}),
    )
    .await;
    let res = post(&desk, walk_in("Luc", "luc@d8.fr", &at(2, "10:05")))
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "edition_full");
    let mut beyond = walk_in("Luc", "luc@d8.fr", &at(2, "10:06"));
    beyond["override"] = json!(true);
    assert_eq!(post(&desk, beyond.clone()).await.unwrap().status(), 403);
    let res = post(&organiser, beyond).await.unwrap();
    assert_eq!(res.status(), 201);
    let count = app
        .with_db(|c| {
            use diesel::prelude::*;
            use rencontres::db::schema::registrations::dsl::*;
            registrations.count().get_result::<i64>(c).unwrap()
        })
        .await;
    assert_eq!(count, 2, "the refused walk-in wrote nothing");
}

#[tokio::test]
async fn the_roster_carries_the_key_and_everyone_expected() {
    let app = spawn_empty_app().await;
    let (_, desk) = desk_edition(&app, "d9").await;
    let (id, badge) = app.desk_registrant("d9", registrant("a@d9.fr")).await;
    app.checkin(&desk, scan(&badge, "Accueil 1", &at(2, "08:59")))
        .await;
    let res = app
        .api(Method::GET, "/api/v1/desk/d9/roster", Some(&desk))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["edition"]["days"], json!([paris_day(2), paris_day(1)]));
    assert_eq!(v["key"]["algorithm"], "Ed25519");
    let person = &v["people"][0];
    assert_eq!(person["id"], id.as_str());
    assert_eq!(person["version"], 1);
    assert_eq!(person["ref"].as_str().unwrap().len(), 24);
    assert_eq!(person["checked_in"][paris_day(2)]["desk"], "Accueil 1");
    assert!(v["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["key"] == "s2"));
    // The key and reference in the roster verify the badge offline.
    use base64::Engine;
    let public: [u8; 32] = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(v["key"]["public_key"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let decoded = rencontres::badges::token::decode(&badge).unwrap();
    assert!(decoded.verify(&ed25519_dalek::VerifyingKey::from_bytes(&public).unwrap()));
    assert_eq!(
        rencontres::badges::token::hex(&decoded.claims.public_ref),
        person["ref"].as_str().unwrap()
    );
}

#[tokio::test]
async fn the_desk_page_calls_the_api_with_its_cookie_and_csrf_token() {
    let app = spawn_empty_app().await;
    desk_edition(&app, "d10").await;
    let (_, badge) = app.desk_registrant("d10", registrant("a@d10.fr")).await;
    app.login_as(Role::Desk).await;
    let (status, html) = app.get_text("/desk/d10").await;
    assert_eq!(status, 200);
    let csrf = {
        let marker = "name=\"csrf-token\" content=\"";
        let at = html.find(marker).unwrap() + marker.len();
        html[at..at + html[at..].find('"').unwrap()].to_string()
    };
    let body = scan(&badge, "Accueil 1", &at(2, "09:00"));
    let without = app
        .post_json_with_cookie("/api/v1/checkins", &body, None)
        .await;
    assert_eq!(without.status(), 403);
    assert_eq!(
        without.json::<Value>().await.unwrap()["code"],
        "csrf_failed"
    );
    let with = app
        .post_json_with_cookie("/api/v1/checkins", &body, Some(&csrf))
        .await;
    let status = with.status();
    let v: Value = with.json().await.unwrap();
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["result"], "checked_in");
    let roster = app.get("/api/v1/desk/d10/roster").await;
    assert_eq!(roster.status(), 200);
}
