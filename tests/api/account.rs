//! A staff member changes their own password: the current one first, the new one twice,
//! and every other session of the account ends.

use rencontres::auth::Role;

use crate::helpers::{csrf_in, spawn_empty_app, spawn_with, Options, TestApp};

/// Logs in from "another browser": returns that browser's session cookie.
async fn other_browser(app: &TestApp, email: &str, password: &str) -> String {
    let page = app.client.get(app.url("/login")).send().await.unwrap();
    let csrf_cookie = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.contains("csrf"))
        .unwrap();
    let csrf = csrf_in(&page.text().await.unwrap());
    let res = app
        .client
        .post(app.url("/login"))
        .header("cookie", &csrf_cookie)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    res.headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("rencontres_session="))
        .unwrap()
}

async fn admin_status(app: &TestApp, cookie: &str) -> u16 {
    app.client
        .get(app.url("/admin"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn change(app: &TestApp, current: &str, new: &str, again: &str) -> (u16, String) {
    let csrf = app.csrf("/account/password").await;
    let res = app
        .post_form(
            "/account/password",
            &[
                ("csrf_token", &csrf),
                ("current_password", current),
                ("new_password", new),
                ("new_password_again", again),
            ],
        )
        .await;
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    (status, location.unwrap_or(res.text().await.unwrap()))
}

#[tokio::test]
async fn a_new_password_needs_the_current_one_and_ends_the_other_sessions() {
    let app = spawn_empty_app().await;
    let (email, password) = app.user(Role::Organiser).await;
    let elsewhere = other_browser(&app, &email, &password).await;
    assert_eq!(admin_status(&app, &elsewhere).await, 200);
    assert_eq!(app.login(&email, &password).await.status(), 303);

    let new = "correct horse battery staple";
    let (status, html) = change(&app, "not my password", new, new).await;
    assert_eq!(status, 422);
    assert!(html.contains("pas le mot de passe actuel."), "{html}");
    let (status, html) = change(&app, &password, "short", "short").await;
    assert_eq!(status, 422);
    assert!(html.contains("10 caractères au moins."));
    let (status, html) = change(&app, &password, new, "correct horse battery stapler").await;
    assert_eq!(status, 422);
    assert!(html.contains("Les deux nouveaux mots de passe diffèrent."));
    // Nothing changed so far.
    assert_eq!(admin_status(&app, &elsewhere).await, 200);

    let (status, location) = change(&app, &password, new, new).await;
    assert_eq!(status, 303);
    assert_eq!(location, "/account/password?changed=1");
    let (status, html) = app.get_text(&location).await;
    assert_eq!(status, 200, "this session goes on");
    assert!(html.contains("Mot de passe changé."));
    assert_eq!(
        admin_status(&app, &elsewhere).await,
        303,
        "the other browser is logged out"
    );

    app.forget_cookies();
    assert_eq!(app.login(&email, &password).await.status(), 401);
    assert_eq!(app.login(&email, new).await.status(), 303);
    let account = email.to_lowercase();
    let hash = app
        .with_db(move |c| {
            use diesel::prelude::*;
            use rencontres::db::schema::staff_users::dsl::*;
            staff_users
                .filter(email.eq(account))
                .select(password_hash)
                .first::<String>(c)
                .unwrap()
        })
        .await;
    assert!(hash.starts_with("$argon2id$"));
}

#[tokio::test]
async fn guessing_the_current_password_is_limited_like_logins() {
    let app = spawn_with(Options {
        demo: false,
        login_attempts: 2,
        ..Options::default()
    })
    .await;
    let (email, password) = app.user(Role::Desk).await;
    assert_eq!(app.login(&email, &password).await.status(), 303);
    let new = "correct horse battery staple";
    assert_eq!(change(&app, "guess one", new, new).await.0, 422);
    assert_eq!(change(&app, "guess two", new, new).await.0, 422);
    assert_eq!(change(&app, &password, new, new).await.0, 429);
}

#[tokio::test]
async fn the_form_needs_its_csrf_token() {
    let app = spawn_empty_app().await;
    let (email, password) = app.user(Role::Admin).await;
    assert_eq!(app.login(&email, &password).await.status(), 303);
    let new = "correct horse battery staple";
    let res = app
        .post_form(
            "/account/password",
            &[
                ("current_password", password.as_str()),
                ("new_password", new),
                ("new_password_again", new),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    app.forget_cookies();
    assert_eq!(app.login(&email, &password).await.status(), 303);
}
