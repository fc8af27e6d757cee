use rencontres::auth::Role;
use reqwest::Method;

use crate::helpers::{spawn_app, spawn_with, Options};

#[tokio::test]
async fn staff_log_in_with_a_secure_session_cookie_and_log_out() {
    let app = spawn_app().await;
    let (email, password) = app.user(Role::Organiser).await;
    let res = app.login(&email.to_uppercase(), &password).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/admin");
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_string())
        .find(|c| c.starts_with("rencontres_session="))
        .expect("a session cookie");
    for flag in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
    let (status, html) = app.get_text("/admin").await;
    assert_eq!(status, 200);
    assert!(html.contains("14e Rencontres"));

    let token = crate::helpers::csrf_in(&html);
    let res = app.post_form("/logout", &[("csrf_token", &token)]).await;
    assert_eq!(res.status(), 303);
    // The old session is gone on the server too: replaying it fails.
    let res = app
        .client
        .get(app.url("/admin"))
        .header("cookie", cookie.split(';').next().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn a_wrong_password_is_refused_in_words() {
    let app = spawn_app().await;
    let (email, _) = app.user(Role::Organiser).await;
    let res = app.login(&email, "not the password").await;
    assert_eq!(res.status(), 401);
    let html = res.text().await.unwrap();
    assert!(html.contains("Adresse ou mot de passe incorrect."));
    assert!(
        html.contains(&format!("value=\"{email}\"")),
        "the email typed is kept"
    );
    let res = app.login("nobody@example.org", "whatever it is").await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn login_attempts_are_rate_limited() {
    let app = spawn_with(Options {
        login_attempts: 3,
        ..Options::default()
    })
    .await;
    let (email, password) = app.user(Role::Organiser).await;
    for _ in 0..3 {
        assert_eq!(app.login(&email, "wrong password!").await.status(), 401);
    }
    let res = app.login(&email, &password).await;
    assert_eq!(
        res.status(),
        429,
        "even the right password waits for the window"
    );
    assert!(res.text().await.unwrap().contains("Trop de tentatives"));
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let app = spawn_app().await;
    let (email, password) = app.user(Role::Organiser).await;
    let _ = app.csrf("/login").await;
    let res = app
        .post_form("/login", &[("email", &email), ("password", &password)])
        .await;
    assert_eq!(res.status(), 403);
    let res = app
        .post_form(
            "/login",
            &[
                ("csrf_token", "forged-token-forged-token-forged-token"),
                ("email", &email),
                ("password", &password),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("Le formulaire a expiré"));

    app.login_as(Role::Organiser).await;
    let res = app
        .post_form(
            "/admin/editions/raict-2023/rooms",
            &[("key", "salle-x"), ("name", "Salle X"), ("capacity", "20")],
        )
        .await;
    assert_eq!(res.status(), 403);
    let doc = app.programme("raict-2023").await;
    assert!(!doc["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["key"] == "salle-x"));
}

#[tokio::test]
async fn api_tokens_identify_their_owner() {
    let app = spawn_app().await;
    let token = app.token(Role::Desk).await;
    let res = app
        .api(Method::GET, "/api/v1/me", Some(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let me: serde_json::Value = res.json().await.unwrap();
    assert_eq!(me["role"], "desk");
    let res = app
        .api(Method::GET, "/api/v1/me", Some("rct_not-a-real-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
}

#[tokio::test]
async fn an_admin_manages_staff_accounts_from_the_page() {
    let app = spawn_app().await;
    app.login_as(Role::Admin).await;
    let token = app.csrf("/admin/staff").await;
    let res = app
        .post_form(
            "/admin/staff",
            &[
                ("csrf_token", &token),
                ("email", "desk1@example.org"),
                ("password", "short"),
                ("role", "desk"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("at least 10 characters"));
    let res = app
        .post_form(
            "/admin/staff",
            &[
                ("csrf_token", &token),
                ("email", "desk1@example.org"),
                ("password", "a long enough password"),
                ("role", "desk"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = app.get_text("/admin/staff").await;
    assert!(html.contains("desk1@example.org"));

    app.forget_cookies();
    assert_eq!(
        app.login("desk1@example.org", "a long enough password")
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn successful_logins_do_not_use_up_the_limit() {
    let app = spawn_with(Options {
        login_attempts: 2,
        ..Options::default()
    })
    .await;
    let (email, password) = app.user(Role::Organiser).await;
    for _ in 0..4 {
        app.forget_cookies();
        assert_eq!(app.login(&email, &password).await.status(), 303);
    }
}

#[tokio::test]
async fn login_redirects_only_to_local_paths() {
    let app = spawn_app().await;
    let (email, password) = app.user(Role::Organiser).await;
    let login = |next: &'static str| {
        let (app, email, password) = (&app, email.clone(), password.clone());
        async move {
            app.forget_cookies();
            let token = app.csrf("/login").await;
            let res = app
                .post_form(
                    "/login",
                    &[
                        ("csrf_token", &token),
                        ("email", &email),
                        ("password", &password),
                        ("next", next),
                    ],
                )
                .await;
            res.headers()["location"].to_str().unwrap().to_string()
        }
    };
    for next in [
        "//evil.example/",
        "/\t/evil.example",
        "/\\evil.example",
        "https://evil.example/",
    ] {
        assert_eq!(login(next).await, "/admin", "{next:?}");
    }
    assert_eq!(
        login("/admin/editions/raict-2023/grid").await,
        "/admin/editions/raict-2023/grid"
    );
}

#[tokio::test]
async fn a_disabled_account_or_a_lowered_role_takes_effect_at_once() {
    let app = spawn_app().await;
    let (email, _) = app.user(Role::Organiser).await;
    let e = email.clone();
    let (id, token) = app
        .with_db(move |c| {
            let token = rencontres::auth::create_api_token(c, &e, "test").unwrap();
            let id = rencontres::auth::list_users(c)
                .unwrap()
                .into_iter()
                .find(|u| u.email == e)
                .unwrap()
                .id;
            (id, token)
        })
        .await;
    let me = |token: String| {
        let app = &app;
        async move {
            app.api(
                Method::GET,
                "/api/v1/editions/raict-2023/registrations",
                Some(&token),
            )
            .send()
            .await
            .unwrap()
            .status()
        }
    };
    // Used a moment ago, so the server remembers who it belongs to.
    assert_eq!(me(token.clone()).await, 200);

    app.login_as(Role::Admin).await;
    let csrf = app.csrf("/admin/staff").await;
    let change = |role: &'static str, active: bool| {
        let mut form = vec![("csrf_token", csrf.clone()), ("role", role.to_string())];
        if active {
            form.push(("active", "on".to_string()));
        }
        form
    };
    let path = format!("/admin/staff/{id}");
    let form = change("desk", true);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.post_form(&path, &pairs).await.status(), 303);
    assert_eq!(me(token.clone()).await, 403, "a desk account now");

    let form = change("organiser", false);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.post_form(&path, &pairs).await.status(), 303);
    assert_eq!(me(token).await, 401, "disabled, its tokens gone");
}
