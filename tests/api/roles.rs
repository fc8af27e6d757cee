//! Every non-public route refuses anonymous and wrong-role callers, route by route.

use rencontres::auth::Role;
use reqwest::Method;

use crate::helpers::spawn_app;

/// JSON routes an organiser (or admin) may call.
const ORGANISER_API: &[(&str, &str)] = &[
    ("POST", "/api/v1/programme"),
    ("POST", "/api/v1/editions"),
    ("PUT", "/api/v1/editions/raict-2023"),
    ("DELETE", "/api/v1/editions/raict-2023"),
    ("GET", "/api/v1/editions/raict-2023/conflicts"),
    ("POST", "/api/v1/editions/raict-2023/rooms"),
    ("PUT", "/api/v1/editions/raict-2023/rooms/auditorium"),
    ("DELETE", "/api/v1/editions/raict-2023/rooms/auditorium"),
    ("POST", "/api/v1/editions/raict-2023/people"),
    ("PUT", "/api/v1/editions/raict-2023/people/x"),
    ("DELETE", "/api/v1/editions/raict-2023/people/x"),
    ("POST", "/api/v1/editions/raict-2023/sessions"),
    ("PUT", "/api/v1/editions/raict-2023/sessions/s01"),
    ("DELETE", "/api/v1/editions/raict-2023/sessions/s01"),
    ("GET", "/api/v1/editions/raict-2023/registrations"),
    ("POST", "/api/v1/editions/raict-2023/registrations/manual"),
    ("GET", "/api/v1/editions/raict-2023/registrations/x"),
    ("PUT", "/api/v1/editions/raict-2023/registrations/x"),
    ("POST", "/api/v1/editions/raict-2023/registrations/x/cancel"),
    ("POST", "/api/v1/editions/raict-2023/registrations/x/badge"),
    ("POST", "/api/v1/editions/raict-2023/registrations/x/resend"),
    (
        "GET",
        "/api/v1/editions/raict-2023/registrations/x/personal-data",
    ),
    (
        "DELETE",
        "/api/v1/editions/raict-2023/registrations/x/personal-data",
    ),
    ("GET", "/api/v1/editions/raict-2023/registration-settings"),
    ("PUT", "/api/v1/editions/raict-2023/registration-settings"),
    ("GET", "/api/v1/editions/raict-2023/outbox"),
    ("POST", "/api/v1/editions/raict-2023/outbox/x/retry"),
    ("POST", "/api/v1/editions/raict-2023/outbox/x/cancel"),
];

/// Organiser pages (GET) and form targets (POST).
const ORGANISER_PAGES: &[(&str, &str)] = &[
    ("GET", "/admin"),
    ("GET", "/admin/editions/new"),
    ("GET", "/admin/import"),
    ("POST", "/admin/import"),
    ("POST", "/admin/editions"),
    ("GET", "/admin/editions/raict-2023"),
    ("POST", "/admin/editions/raict-2023"),
    ("GET", "/admin/editions/raict-2023/export"),
    ("GET", "/admin/editions/raict-2023/grid"),
    ("GET", "/admin/editions/raict-2023/rooms"),
    ("POST", "/admin/editions/raict-2023/rooms"),
    ("POST", "/admin/editions/raict-2023/rooms/auditorium"),
    ("POST", "/admin/editions/raict-2023/rooms/auditorium/delete"),
    ("GET", "/admin/editions/raict-2023/people"),
    ("POST", "/admin/editions/raict-2023/people"),
    ("GET", "/admin/editions/raict-2023/people/new"),
    (
        "GET",
        "/admin/editions/raict-2023/people/virginie-rouquette",
    ),
    (
        "POST",
        "/admin/editions/raict-2023/people/virginie-rouquette",
    ),
    (
        "POST",
        "/admin/editions/raict-2023/people/virginie-rouquette/delete",
    ),
    ("GET", "/admin/editions/raict-2023/sessions"),
    ("POST", "/admin/editions/raict-2023/sessions"),
    ("GET", "/admin/editions/raict-2023/sessions/new"),
    ("GET", "/admin/editions/raict-2023/sessions/s01"),
    ("POST", "/admin/editions/raict-2023/sessions/s01"),
    ("POST", "/admin/editions/raict-2023/sessions/s01/delete"),
    ("GET", "/admin/editions/raict-2023/registrations"),
    ("POST", "/admin/editions/raict-2023/registrations"),
    ("GET", "/admin/editions/raict-2023/registrations/new"),
    ("GET", "/admin/editions/raict-2023/registrations.csv"),
    ("GET", "/admin/editions/raict-2023/registrations.xlsx"),
    ("GET", "/admin/editions/raict-2023/badges.pdf"),
    ("POST", "/admin/editions/raict-2023/registrations/x"),
    ("POST", "/admin/editions/raict-2023/registrations/x/cancel"),
    ("POST", "/admin/editions/raict-2023/registrations/x/erase"),
    ("GET", "/admin/editions/raict-2023/registration-settings"),
    ("POST", "/admin/editions/raict-2023/registration-settings"),
    ("GET", "/admin/editions/raict-2023/emails"),
    ("POST", "/admin/editions/raict-2023/emails/x/retry"),
    ("POST", "/admin/editions/raict-2023/emails/x/cancel"),
];

const ADMIN_PAGES: &[(&str, &str)] = &[
    ("GET", "/admin/staff"),
    ("POST", "/admin/staff"),
    ("POST", "/admin/staff/some-id"),
];

fn method(m: &str) -> Method {
    Method::from_bytes(m.as_bytes()).unwrap()
}

#[tokio::test]
async fn the_organiser_api_refuses_anonymous_and_desk_callers() {
    let app = spawn_app().await;
    let desk = app.token(Role::Desk).await;
    for (m, path) in ORGANISER_API {
        let res = app.api(method(m), path, None).send().await.unwrap();
        assert_eq!(res.status(), 401, "anonymous {m} {path}");
        assert_eq!(
            res.json::<serde_json::Value>().await.unwrap()["code"],
            "unauthenticated"
        );
        let res = app.api(method(m), path, Some(&desk)).send().await.unwrap();
        assert_eq!(res.status(), 403, "desk {m} {path}");
        assert_eq!(
            res.json::<serde_json::Value>().await.unwrap()["code"],
            "forbidden"
        );
    }
}

#[tokio::test]
async fn the_organiser_api_lets_organisers_and_admins_through() {
    let app = spawn_app().await;
    for role in [Role::Organiser, Role::Admin] {
        let token = app.token(role).await;
        // Reads only, so that the edition stays for the next calls.
        let res = app
            .api(
                Method::GET,
                "/api/v1/editions/raict-2023/conflicts",
                Some(&token),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{role:?}");
        // Writes with an empty body reach the handler, which refuses the body, not the caller.
        for (m, path) in ORGANISER_API
            .iter()
            .filter(|(m, _)| *m == "POST" || *m == "PUT")
        {
            let status = app
                .api(method(m), path, Some(&token))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            assert!(
                status == 400 || status == 422 || status == 404,
                "{role:?} {m} {path}: {status}"
            );
        }
    }
}

#[tokio::test]
async fn organiser_pages_send_anonymous_visitors_to_login_and_refuse_the_desk() {
    let app = spawn_app().await;
    for (m, path) in ORGANISER_PAGES.iter().chain(ADMIN_PAGES) {
        let res = app.api(method(m), path, None).send().await.unwrap();
        assert_eq!(res.status(), 303, "anonymous {m} {path}");
        assert!(res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login?next="));
    }
    app.login_as(Role::Desk).await;
    for (m, path) in ORGANISER_PAGES.iter().chain(ADMIN_PAGES) {
        let res = if *m == "GET" {
            app.get(path).await
        } else {
            app.post_form(path, &[]).await
        };
        assert_eq!(res.status(), 403, "desk {m} {path}");
    }
}

#[tokio::test]
async fn organisers_see_every_page_but_not_staff_management() {
    let app = spawn_app().await;
    app.login_as(Role::Organiser).await;
    for (_, path) in ORGANISER_PAGES.iter().filter(|(m, _)| *m == "GET") {
        assert_eq!(app.get(path).await.status(), 200, "organiser GET {path}");
    }
    for (m, path) in ADMIN_PAGES {
        let res = if *m == "GET" {
            app.get(path).await
        } else {
            app.post_form(path, &[]).await
        };
        assert_eq!(res.status(), 403, "organiser {m} {path}");
    }
    app.forget_cookies();
    app.login_as(Role::Admin).await;
    assert_eq!(app.get("/admin/staff").await.status(), 200);
    assert_eq!(app.get("/admin").await.status(), 200);
}

#[tokio::test]
async fn checking_a_badge_needs_a_staff_member_and_the_desk_is_one() {
    let app = spawn_app().await;
    let body = serde_json::json!({"token": "RC1AAAA"});
    let res = app
        .api(Method::POST, "/api/v1/badges/verify", None)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    for role in [Role::Desk, Role::Organiser, Role::Admin] {
        let token = app.token(role).await;
        let res = app
            .api(Method::POST, "/api/v1/badges/verify", Some(&token))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{role:?}");
        assert_eq!(
            res.json::<serde_json::Value>().await.unwrap()["status"],
            "forged"
        );
    }
}

/// The desk's JSON routes: any staff member.
const DESK_API: &[(&str, &str)] = &[
    ("POST", "/api/v1/checkins"),
    ("POST", "/api/v1/checkins/x/undo"),
    ("GET", "/api/v1/desk/raict-2023/roster"),
    ("GET", "/api/v1/desk/raict-2023/search?q=a"),
    ("POST", "/api/v1/desk/raict-2023/walk-ins"),
    ("GET", "/api/v1/desk/raict-2023/conflicts"),
    ("POST", "/api/v1/desk/raict-2023/registrations/x/reprint"),
    ("GET", "/api/v1/desk/raict-2023/registrations/x/badge.pdf"),
];

#[tokio::test]
async fn the_desk_api_needs_a_staff_member_and_lets_every_role_through() {
    let app = spawn_app().await;
    for (m, path) in DESK_API {
        let res = app.api(method(m), path, None).send().await.unwrap();
        assert_eq!(res.status(), 401, "anonymous {m} {path}");
    }
    for role in [Role::Desk, Role::Organiser, Role::Admin] {
        let token = app.token(role).await;
        for (m, path) in DESK_API {
            let status = app
                .api(method(m), path, Some(&token))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            // Reads answer; writes without a body reach the handler, which refuses the
            // body (or finds nothing), never the caller.
            assert!(
                [200, 400, 404, 422].contains(&status),
                "{role:?} {m} {path}: {status}"
            );
        }
    }
}

#[tokio::test]
async fn the_desk_pages_send_anonymous_visitors_to_login_and_open_for_staff() {
    let app = spawn_app().await;
    let pages = ["/desk", "/desk/raict-2023", "/desk/sw.js"];
    for path in pages {
        let res = app.get(path).await;
        assert_eq!(res.status(), 303, "anonymous {path}");
    }
    for role in [Role::Desk, Role::Organiser, Role::Admin] {
        app.forget_cookies();
        app.login_as(role).await;
        for path in pages {
            assert_eq!(app.get(path).await.status(), 200, "{role:?} {path}");
        }
    }
    // A browser installs a service worker only when it is served as a script, and checks
    // for a new version only when no cache stands in between.
    let worker = app.get("/desk/sw.js").await;
    let header = |name: &str| {
        worker
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert!(header("content-type").starts_with("text/javascript"));
    assert_eq!(header("cache-control"), "no-cache");
}

#[tokio::test]
async fn every_staff_member_has_a_password_page_linked_from_the_header() {
    let app = spawn_app().await;
    for m in ["GET", "POST"] {
        let res = app
            .api(method(m), "/account/password", None)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "anonymous {m}");
        assert_eq!(
            res.headers()["location"],
            "/login?next=%2Faccount%2Fpassword"
        );
    }
    for (role, home) in [
        (Role::Desk, "/desk"),
        (Role::Organiser, "/admin"),
        (Role::Admin, "/admin/staff"),
    ] {
        app.forget_cookies();
        app.login_as(role).await;
        let (status, html) = app.get_text("/account/password").await;
        assert_eq!(status, 200, "{role:?}");
        assert!(html.contains("name=\"current_password\""), "{role:?}");
        assert!(html.contains("name=\"csrf_token\""), "{role:?}");
        let (status, html) = app.get_text(home).await;
        assert_eq!(status, 200, "{role:?} {home}");
        assert!(
            html.contains("href=\"/account/password\""),
            "{role:?}: the header links to it"
        );
    }
}
