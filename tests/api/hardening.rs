//! What an attacker tries first: another site posting with the visitor's cookie, a path
//! spelled differently, a check-in nonce replayed with another badge, dates from another
//! age, personal data left in a cache or on a desk that does not need it.

use rencontres::auth::Role;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, COOKIE, SET_COOKIE};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{
    a_year_ahead, csrf_in, desk_document, future_document, paris_day, registrant, spawn_empty_app,
    TestApp,
};

fn nonce() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// A time of the day before yesterday in Paris, when the desk editions are held.
fn day_before_yesterday(hhmm: &str) -> String {
    let day = chrono::NaiveDate::parse_from_str(&paris_day(2), "%Y-%m-%d").unwrap();
    let time = chrono::NaiveTime::parse_from_str(hhmm, "%H:%M").unwrap();
    day.and_time(time)
        .and_local_timezone(chrono_tz::Europe::Paris)
        .earliest()
        .unwrap()
        .to_rfc3339()
}

async fn code_of(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    (status, body["code"].as_str().unwrap_or("").to_string())
}

/// The login form, filled and posted by a bare browser with these extra headers; returns
/// the answer and the cookies the browser then holds.
async fn post_login(
    app: &TestApp,
    email: &str,
    password: &str,
    headers: &[(&'static str, String)],
) -> (u16, String) {
    let page = app.client.get(app.url("/login")).send().await.unwrap();
    let csrf_cookie = cookie_pairs(&page);
    let token = csrf_in(&page.text().await.unwrap());
    let mut req = app
        .client
        .post(app.url("/login"))
        .header(COOKIE, &csrf_cookie);
    for (name, value) in headers {
        req = req.header(*name, value);
    }
    let res = req
        .form(&[
            ("csrf_token", token),
            ("email", email.to_string()),
            ("password", password.to_string()),
            ("next", "/admin".to_string()),
        ])
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, format!("{csrf_cookie}; {}", cookie_pairs(&res)))
}

/// The cookies of an organiser logged in through the form, as a browser would hold them.
async fn organiser_cookie(app: &TestApp) -> String {
    let (email, password) = app.user(Role::Organiser).await;
    let (status, cookies) = post_login(app, &email, &password, &[]).await;
    assert_eq!(status, 303);
    cookies
}

fn cookie_pairs(res: &reqwest::Response) -> String {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

#[tokio::test]
async fn an_api_path_spelled_with_escapes_is_held_to_the_same_csrf_rule() {
    let app = spawn_empty_app().await;
    let token = app.import(&future_document("c30")).await;
    let res = app.register("c30", &registrant("ana@rosario.ar")).await;
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let cookie = organiser_cookie(&app).await;

    // What another site's page can make a browser send: the cookie, a text/plain body.
    for path in [
        format!("/api/v1/editions/c30/registrations/{id}/resend"),
        format!("/%61pi/v1/editions/c30/registrations/{id}/resend"),
        format!("/api/v1/editions/c30/registrations/{id}/%72esend"),
    ] {
        let res = app
            .client
            .post(app.url(&path))
            .header(COOKIE, &cookie)
            .header(CONTENT_TYPE, "text/plain")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(code_of(res).await, (403, "csrf_failed".into()), "{path}");
    }

    // A token-holding script must still say its body is JSON.
    let res = app
        .api(
            Method::PUT,
            "/api/v1/editions/c30/registration-settings",
            Some(&token),
        )
        .header(CONTENT_TYPE, "text/plain")
        .body(json!({"opens_at": null, "closes_at": null, "capacity": 1}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(res).await, (415, "unsupported_media_type".into()));
    let res = app
        .client
        .post(app.url("/api/v1/editions/c30/registrations"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("email=a%40b.fr")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(res).await,
        (415, "unsupported_media_type".into()),
        "the public form's API too"
    );
    // Nothing of it took effect: the capacity is still unset.
    let settings: Value = app
        .api(
            Method::GET,
            "/api/v1/editions/c30/registration-settings",
            Some(&token),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(settings["capacity"].is_null(), "{settings}");
}

#[tokio::test]
async fn a_form_posted_from_another_site_is_refused() {
    let app = spawn_empty_app().await;
    let (email, password) = app.user(Role::Organiser).await;
    let login = |headers: Vec<(&'static str, String)>| {
        let (app, email, password) = (&app, email.clone(), password.clone());
        async move { post_login(app, &email, &password, &headers).await.0 }
    };
    // The right token, but the browser says the form came from elsewhere.
    assert_eq!(
        login(vec![("Origin", "https://evil.example".into())]).await,
        403
    );
    assert_eq!(
        login(vec![("Sec-Fetch-Site", "cross-site".into())]).await,
        403
    );
    // Our own pages, with or without the headers, still log in.
    let own = app.address.clone();
    assert_eq!(
        login(vec![
            ("Origin", own),
            ("Sec-Fetch-Site", "same-origin".into())
        ])
        .await,
        303
    );
    assert_eq!(login(vec![]).await, 303);
}

#[tokio::test]
async fn a_used_check_in_nonce_answers_only_the_scan_that_made_it() {
    let app = spawn_empty_app().await;
    let organiser = app.import(&desk_document("n1")).await;
    app.set_registration("n1", &organiser, json!({"closes_at": a_year_ahead()}))
        .await;
    let mut person = registrant("a@n1.fr");
    person["accessibility"] = "Fauteuil roulant".into();
    let (id, badge) = app.desk_registrant("n1", person).await;
    let desk = app.token(Role::Desk).await;
    let other_desk = app.token(Role::Desk).await;

    let used = nonce();
    let when = day_before_yesterday("09:10");
    let first = json!({"token": badge, "nonce": used, "desk": "Accueil 1", "scanned_at": when});
    let (status, v) = app.checkin(&desk, first.clone()).await;
    assert_eq!((status, v["result"].as_str()), (200, Some("checked_in")));
    assert_eq!(v["registration"]["accessibility"], "Fauteuil roulant");

    // Under the used nonce: a forged code, the person's id, the same badge from another
    // desk account. None learns anything of the first answer.
    for (token, body) in [
        (
            &desk,
            json!({"token": "forged", "edition": "n1", "nonce": used, "desk": "Accueil 1", "scanned_at": when}),
        ),
        (
            &desk,
            json!({"registration": id, "edition": "n1", "nonce": used, "desk": "Accueil 1", "scanned_at": when}),
        ),
        (&other_desk, first.clone()),
    ] {
        let (status, v) = app.checkin(token, body).await;
        assert_eq!(status, 409, "{v}");
        assert_eq!(v["code"], "nonce_reused");
        let text = v.to_string();
        assert!(
            !text.contains("Diallo") && !text.contains("Fauteuil"),
            "{text}"
        );
    }
    // The genuine retry still gets its answer back.
    let (status, again) = app.checkin(&desk, first).await;
    assert_eq!(status, 200);
    assert_eq!(again["replayed"], true);
    assert_eq!(again["registration"]["last_name"], "Diallo");

    // Who checked someone in is told by name, never by address.
    let (_, repeat) = app
        .checkin(
            &other_desk,
            json!({"token": badge, "nonce": nonce(), "desk": "Accueil 2",
                   "scanned_at": day_before_yesterday("09:30")}),
        )
        .await;
    assert_eq!(repeat["result"], "already");
    let by = repeat["first_checkin"]["by"].as_str().unwrap();
    assert!(by.starts_with("desk-") && !by.contains('@'), "{by}");
}

#[tokio::test]
async fn dates_from_another_age_are_refused_where_they_come_in() {
    let app = spawn_empty_app().await;
    let organiser = app.token(Role::Organiser).await;
    for days in [
        json!(["0000-01-01"]),
        json!(["9999-12-31"]),
        json!(["2033-10-07"]),
    ] {
        let mut doc = future_document("d-2030");
        doc["edition"]["days"] = days.clone();
        for s in doc["sessions"].as_array_mut().unwrap() {
            s["day"] = days[0].clone();
        }
        let res = app
            .api(Method::POST, "/api/v1/programme", Some(&organiser))
            .json(&doc)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{days}");
        assert!(res.text().await.unwrap().contains("date_out_of_range"));
    }
    let mut doc = future_document("d-2030");
    doc["edition"]["year"] = 9999.into();
    let res = app
        .api(Method::POST, "/api/v1/programme", Some(&organiser))
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);

    // Registration settings stay near the edition and today.
    let organiser = app.import(&desk_document("d-now")).await;
    for (field, at) in [
        ("opens_at", "0001-01-01T00:00:00"),
        ("closes_at", "9999-12-31T00:00:00"),
    ] {
        let mut body = json!({"opens_at": null, "closes_at": null, "capacity": null,
                              "privacy_notice": "", "retention_days": 365});
        body[field] = at.into();
        let res = app
            .api(
                Method::PUT,
                "/api/v1/editions/d-now/registration-settings",
                Some(&organiser),
            )
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{field}");
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["errors"][0]["field"], field);
        assert_eq!(v["errors"][0]["code"], "date_out_of_range");
    }

    // A desk whose clock says 1970 is told to check it.
    app.set_registration("d-now", &organiser, json!({"closes_at": a_year_ahead()}))
        .await;
    let (_, badge) = app.desk_registrant("d-now", registrant("b@d.fr")).await;
    let desk = app.token(Role::Desk).await;
    let (status, v) = app
        .checkin(
            &desk,
            json!({"token": badge, "nonce": nonce(), "desk": "Accueil",
                   "scanned_at": "1970-01-01T09:00:00Z"}),
        )
        .await;
    assert_eq!(status, 422, "{v}");
    assert_eq!(v["errors"][0]["code"], "date_out_of_range");

    // And the statistics of the edition list a handful of days, not centuries.
    let stats: Value = app
        .api(
            Method::GET,
            "/api/v1/editions/d-now/stats",
            Some(&organiser),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(stats.to_string().len() < 200_000);
}

#[tokio::test]
async fn personal_data_is_never_cached_and_the_desk_holds_no_cancelled_names() {
    let app = spawn_empty_app().await;
    let organiser = app.import(&desk_document("p1")).await;
    app.set_registration("p1", &organiser, json!({"closes_at": a_year_ahead()}))
        .await;
    let (kept, _) = app.desk_registrant("p1", registrant("kept@p1.fr")).await;
    let mut gone = registrant("gone@p1.fr");
    gone["first_name"] = "Bertille".into();
    gone["last_name"] = "Annulée".into();
    let (gone_id, _) = app.desk_registrant("p1", gone).await;
    let res = app
        .api(
            Method::POST,
            &format!("/api/v1/editions/p1/registrations/{gone_id}/cancel"),
            Some(&organiser),
        )
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());

    let no_store = |res: &reqwest::Response| {
        res.headers()
            .get(CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("no-store"))
    };
    for path in [
        "/api/v1/editions/p1/registrations".to_string(),
        format!("/api/v1/editions/p1/registrations/{kept}"),
        "/api/v1/editions/p1/stats".to_string(),
    ] {
        let res = app
            .api(Method::GET, &path, Some(&organiser))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert!(no_store(&res), "{path}");
    }
    app.login_as(Role::Organiser).await;
    for path in [
        "/admin/editions/p1/registrations".to_string(),
        format!("/admin/editions/p1/registrations/{kept}"),
        "/admin/editions/p1/stats".to_string(),
    ] {
        let res = app.get(&path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(no_store(&res), "{path}");
    }
    // A registrant's own page, reached by its link.
    let created: Value = app
        .register("p1", &{
            let mut r = registrant("self@p1.fr");
            r["days"] = json!([paris_day(2)]);
            r
        })
        .await
        .json()
        .await
        .unwrap();
    let manage = created["manage_url"].as_str().unwrap();
    let res = app.get(&manage[manage.find("/r/").unwrap()..]).await;
    assert_eq!(res.status(), 200);
    assert!(no_store(&res));

    // The desk's roster: the cancelled person only by their badge's reference.
    let desk = app.token(Role::Desk).await;
    let roster = app
        .api(Method::GET, "/api/v1/desk/p1/roster", Some(&desk))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!roster.contains("Bertille") && !roster.contains("Annulée"));
    let roster: Value = serde_json::from_str(&roster).unwrap();
    let withheld = roster["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == gone_id.as_str())
        .unwrap();
    assert_eq!(withheld["status"], "cancelled");
    assert_eq!(withheld["ref"].as_str().unwrap().len(), 24);
}
