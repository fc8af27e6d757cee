//! The statistics' series stay bounded whatever the data, and say when they were cut; the
//! figures counted by the database are those of a small edition counted by hand.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rencontres::db::schema::checkins;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{
    a_year_ahead, desk_document, paris_day, registrant, spawn_empty_app, TestApp,
};

async fn stats(app: &TestApp, slug: &str, token: &str) -> Value {
    let res = app
        .api(
            Method::GET,
            &format!("/api/v1/editions/{slug}/stats"),
            Some(token),
        )
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Registers someone with these answers changed; returns their id.
async fn register(app: &TestApp, slug: &str, email: &str, changes: Value) -> String {
    let mut body = registrant(email);
    body["days"] = json!([paris_day(2)]);
    for (k, v) in changes.as_object().unwrap() {
        body[k] = v.clone();
    }
    let res = app.register(slug, &body).await;
    assert_eq!(res.status(), 201, "registration of {email}");
    let created: Value = res.json().await.unwrap();
    created["id"].as_str().unwrap().to_string()
}

/// A Paris time on a day given as `YYYY-MM-DD`, in UTC as the database keeps it.
fn utc(day: &str, hhmm: &str) -> NaiveDateTime {
    let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    let time = chrono::NaiveTime::parse_from_str(hhmm, "%H:%M").unwrap();
    day.and_time(time)
        .and_local_timezone(chrono_tz::Europe::Paris)
        .earliest()
        .unwrap()
        .naive_utc()
}

/// Writes check-ins as the desk would (`undone`: undone since).
async fn check_in(app: &TestApp, slug: &str, visits: Vec<(String, NaiveDateTime, bool)>) {
    let slug = slug.to_string();
    app.with_db(move |conn| {
        let edition = rencontres::programme::find_edition(conn, &slug).unwrap();
        for (registration, at, undone) in visits {
            diesel::insert_into(checkins::table)
                .values((
                    checkins::id.eq(uuid::Uuid::new_v4().to_string()),
                    checkins::edition_id.eq(&edition.id),
                    checkins::registration_id.eq(registration),
                    checkins::day.eq(at.date()),
                    checkins::at.eq(at),
                    checkins::desk.eq("Accueil"),
                    checkins::method.eq("badge"),
                    checkins::undone_at.eq(undone.then_some(at)),
                ))
                .execute(conn)
                .unwrap();
        }
    })
    .await;
}

#[tokio::test]
async fn series_stay_bounded_and_say_so() {
    let app = spawn_empty_app().await;
    let organiser = app.import(&desk_document("s-long")).await;
    // Registration opened 700 days ago: the curve would have 701 days.
    app.set_registration(
        "s-long",
        &organiser,
        json!({"opens_at": format!("{}T12:00:00", paris_day(700)), "closes_at": a_year_ahead()}),
    )
    .await;
    let a = register(&app, "s-long", "a@long.fr", json!({})).await;
    let b = register(&app, "s-long", "b@long.fr", json!({})).await;
    // One person scanned on forty mornings (a desk left running, clocks gone wrong), then
    // both on a forty-first, the busiest.
    let mut visits: Vec<(String, NaiveDateTime, bool)> = (0..40)
        .map(|d| (a.clone(), utc(&paris_day(300 - d), "08:00"), false))
        .collect();
    visits.push((a.clone(), utc(&paris_day(2), "08:20"), false));
    visits.push((b.clone(), utc(&paris_day(2), "08:40"), false));
    visits.push((b, utc(&paris_day(2), "08:10"), true));
    check_in(&app, "s-long", visits).await;

    let s = stats(&app, "s-long", &organiser).await;
    let days = s["registrations_by_day"].as_array().unwrap();
    assert_eq!(days.len(), 500);
    assert_eq!(
        days.last().unwrap(),
        &json!({"date": paris_day(0), "count": 2, "cumulative": 2})
    );
    assert_eq!(days[0]["date"], paris_day(499));
    assert_eq!(
        s["series_limits"],
        json!({
            "registrations_by_day": {"max": 500, "capped": true, "omitted": 201},
            "arrivals": {"max": 31, "capped": true, "omitted": 10}
        })
    );
    let mut mornings: Vec<&str> = s["arrivals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["day"].as_str().unwrap())
        .collect();
    mornings.dedup();
    assert_eq!(mornings.len(), 31);
    assert_eq!(
        mornings.last().unwrap(),
        &paris_day(2),
        "the busiest morning stays"
    );
    assert!(mornings.windows(2).all(|w| w[0] < w[1]), "in date order");
    assert_eq!(s["present"], 2);

    // The page and the downloads are made from the same bounded series.
    app.login_as(rencontres::auth::Role::Organiser).await;
    let res = app.get("/admin/editions/s-long/stats.csv?lang=en").await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    let curve = csv
        .lines()
        .filter(|l| l.starts_with("Registrations per day,"))
        .count();
    assert_eq!(curve, 500);
    let (status, html) = app.get_text("/admin/editions/s-long/stats?lang=en").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("the latest 500 days"),
        "the page says the curve is cut"
    );

    // A series within its bounds says it was not cut.
    let fresh = spawn_empty_app().await;
    let organiser = fresh.import(&desk_document("s-short")).await;
    fresh
        .set_registration("s-short", &organiser, json!({"closes_at": a_year_ahead()}))
        .await;
    register(&fresh, "s-short", "c@short.fr", json!({})).await;
    let s = stats(&fresh, "s-short", &organiser).await;
    assert_eq!(
        s["series_limits"],
        json!({
            "registrations_by_day": {"max": 500, "capped": false, "omitted": 0},
            "arrivals": {"max": 31, "capped": false, "omitted": 0}
        })
    );
    assert_eq!(s["registrations_by_day"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_database_counts_what_a_hand_counts() {
    let app = spawn_empty_app().await;
    let organiser = app.import(&desk_document("s-hand")).await;
    app.set_registration("s-hand", &organiser, json!({"closes_at": a_year_ahead()}))
        .await;
    let (d1, d2) = (paris_day(2), paris_day(1));
    let flg = |org: &str, function: &str| {
        json!({"country": "FR", "organisation": org, "function": function,
               "organisation_type": "french_local_government"})
    };
    let a = register(
        &app,
        "s-hand",
        "a@hand.fr",
        flg("Ville de Besançon", "elected"),
    )
    .await;
    let b = register(
        &app,
        "s-hand",
        "b@hand.fr",
        flg("VILLE DE BESANCON", "staff"),
    )
    .await;
    let c = register(&app, "s-hand", "c@hand.fr", json!({})).await; // Dakar, SN, elected
    register(
        &app,
        "s-hand",
        "d@hand.fr",
        json!({"country": "BR", "organisation": "Instituto Pólis", "organisation_type": "ngo",
               "function": "ngo"}),
    )
    .await;
    let e = register(
        &app,
        "s-hand",
        "e@hand.fr",
        flg("Métropole de Lyon", "elected"),
    )
    .await;
    let res = app
        .api(
            Method::POST,
            &format!("/api/v1/editions/s-hand/registrations/{e}/cancel"),
            Some(&organiser),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    check_in(
        &app,
        "s-hand",
        vec![
            (a.clone(), utc(&d1, "08:50"), false),
            (a, utc(&d2, "09:05"), false),
            // Undone: B never came.
            (b, utc(&d1, "08:10"), true),
            (c, utc(&d1, "09:10"), false),
            // Cancelled, and came all the same: present, not a no-show's opposite.
            (e, utc(&d1, "08:55"), false),
        ],
    )
    .await;

    let s = stats(&app, "s-hand", &organiser).await;
    // By hand: confirmed A, B, C, D; E cancelled; present A, C, E (B's check-in undone).
    assert_eq!(
        (&s["registered"], &s["waitlisted"], &s["cancelled"]),
        (&json!(4), &json!(0), &json!(1))
    );
    assert_eq!(s["present"], 3);
    assert_eq!(s["present_by_day"], json!({&d1: 3, &d2: 1}));
    assert_eq!(s["no_show_rate"], 0.5, "B and D of four confirmed");
    assert_eq!(s["participants_basis"], "present");
    assert_eq!(s["participants"], 3);
    assert_eq!(s["foreign_share"], 0.3333);
    assert_eq!(
        s["countries"],
        json!({"count": 2, "list": [{"code": "FR", "name": "France", "count": 2},
                                    {"code": "SN", "name": "Senegal", "count": 1}]})
    );
    assert_eq!(s["french_local_governments"], 2, "Besançon (A), Lyon (E)");
    assert_eq!(s["by_organisation_type"]["french_local_government"], 2);
    assert_eq!(s["by_organisation_type"]["foreign_local_government"], 1);
    assert_eq!(s["by_organisation_type"]["ngo"], 0);
    assert_eq!(s["by_function"]["elected"], 3);
    assert_eq!(s["by_function"]["staff"], 0);
    assert_eq!(s["by_category"]["participant"], 3);
    assert_eq!(
        s["arrivals"],
        json!([
            {"day": &d1, "from": "08:45", "count": 2},
            {"day": &d1, "from": "09:00", "count": 1},
            {"day": &d2, "from": "09:00", "count": 1}
        ])
    );
    assert_eq!(
        s["registrations_by_day"],
        json!([{"date": paris_day(0), "count": 5, "cumulative": 5}])
    );
    assert_eq!(
        s["headline"],
        "3 participants, 33% from abroad, 2 countries, 2 French local governments, 3 sessions"
    );
}
