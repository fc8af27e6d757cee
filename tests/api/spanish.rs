//! The interface in Spanish: chosen by the query, the cookie, the browser or the registrant,
//! on the public pages, the registration form and its checks, emails, API errors and the
//! desk's verdicts.

use std::time::Duration;

use rencontres::auth::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{
    a_year_ahead, csrf_in, desk_document, future_document, paris_day, registrant, spawn_app,
    spawn_empty_app, spawn_with, Options,
};
use crate::smtp::SmtpSink;

#[tokio::test]
async fn the_programme_speaks_spanish_on_request_and_offers_the_two_other_languages() {
    let app = spawn_app().await;
    let res = app.get("/editions/raict-2023/programme?lang=es").await;
    assert!(res
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("lang=es")));
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"es\">"));
    assert!(
        html.contains("lunes 18 de septiembre de 2023"),
        "dates in Spanish"
    );
    assert!(html.contains("Todas las salas"));
    assert!(
        html.contains("hreflang=\"fr\">Français</a>"),
        "switch to French"
    );
    assert!(
        html.contains("hreflang=\"en\">English</a>"),
        "switch to English"
    );
    assert!(!html.contains("hreflang=\"es\""), "not to itself");
    // Remembered by the cookie on the next page.
    let (_, html) = app.get_text("/editions/raict-2023/sessions/s02").await;
    assert!(html.contains("Agregar a mi calendario"));

    // A browser that prefers Spanish gets it without asking.
    app.forget_cookies();
    let html = app
        .api(Method::GET, "/editions/raict-2023/programme", None)
        .header("Accept-Language", "es-MX,es;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"es\">"));
}

#[tokio::test]
async fn the_registration_form_and_its_checks_speak_spanish() {
    let app = spawn_empty_app().await;
    app.import(&future_document("e30")).await;
    let (status, html) = app.get_text("/editions/e30/register?lang=es").await;
    assert_eq!(status, 200);
    assert!(html.contains("Sesiones paralelas"));
    assert!(html.contains("Enviar mi inscripción"));
    assert!(
        html.contains("value=\"es\" checked> Español"),
        "emails in Spanish by default on the Spanish form"
    );
    let csrf = csrf_in(&html);
    let res = app
        .post_form(
            "/editions/e30/register",
            &[
                ("csrf_token", &csrf),
                ("first_name", "Ana"),
                ("last_name", "Ruiz"),
                ("email", "ana@rosario"),
                ("organisation", "Municipalidad de Rosario"),
                ("country", "Argentina"),
                ("days", "2030-10-07"),
                ("lang", "es"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Esta dirección no es válida"), "field error");
    assert!(html.contains("Elija una respuesta."), "civility is missing");

    // The API answers in Spanish too when asked.
    let mut bad = registrant("nadie");
    bad["country"] = json!("Atlántida");
    let res = app
        .api(Method::POST, "/api/v1/editions/e30/registrations", None)
        .header("Accept-Language", "es")
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "validation_failed");
    assert_eq!(body["message"], "algunos campos no son válidos");
    let messages: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&"País desconocido; elíjalo en la lista."),
        "{messages:?}"
    );
    // A country typed by its Spanish name is found.
    let mut ok = registrant("ana@rosario.ar");
    ok["country"] = json!("Alemania");
    ok["lang"] = json!("es");
    let res = app.register("e30", &ok).await;
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn api_errors_read_in_the_language_asked() {
    let app = spawn_empty_app().await;
    let ask = |lang: &'static str| {
        app.api(Method::GET, "/api/v1/editions/no-such-edition", None)
            .header("Accept-Language", lang)
            .send()
    };
    let es: Value = ask("es").await.unwrap().json().await.unwrap();
    assert_eq!(es["code"], "not_found");
    assert_eq!(es["message"], "no encontrado");
    let fr: Value = ask("fr").await.unwrap().json().await.unwrap();
    assert_eq!(fr["message"], "introuvable");
    // Without a preference, English as before.
    let en: Value = app
        .api(Method::GET, "/api/v1/editions/no-such-edition", None)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(en["message"], "not found");
    // A refusal raised deep in a service is put into words when answered.
    let res = app
        .api(Method::GET, "/api/v1/me?lang=es", None)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["message"], "se requiere autenticación");
}

#[tokio::test]
async fn a_registrant_who_asks_for_spanish_gets_spanish_emails() {
    let sink = SmtpSink::start().await;
    let app = spawn_with(Options {
        demo: false,
        smtp_url: sink.url(),
        mail_attempts: 8,
        ..Options::default()
    })
    .await;
    app.import(&future_document("m31")).await;
    let mut body = registrant("lucia@bogota.co");
    body["lang"] = json!("es");
    body["country"] = json!("CO");
    let res = app.register("m31", &body).await;
    assert_eq!(res.status(), 201);
    let received = sink.wait_for(1, Duration::from_secs(20)).await;
    let mail = received[0].mail();
    assert!(
        mail.subject.starts_with("Inscripción confirmada"),
        "{}",
        mail.subject
    );
    let text = mail.text.as_deref().unwrap();
    assert!(text.contains("Estimada Sra. Diallo:"), "{text}");
    assert!(text.contains("Nos complace confirmar su inscripción."));
    assert!(text.contains("Sus sesiones"));
    assert!(text.contains("Colombia"));
    assert!(text.contains("lunes 7 de octubre de 2030"));
    assert!(text.contains("Plaza reservada"));
    let html = mail.html.as_deref().unwrap();
    assert!(html.contains("<html lang=\"es\">"));
    assert!(html.contains("Gestionar mi inscripción"));
}

#[tokio::test]
async fn the_desk_reads_its_verdicts_in_spanish() {
    let app = spawn_empty_app().await;
    let organiser = app.import(&desk_document("d9")).await;
    app.set_registration("d9", &organiser, json!({"closes_at": a_year_ahead()}))
        .await;
    let desk = app.token(Role::Desk).await;
    let (_, badge) = app.desk_registrant("d9", registrant("a@d9.fr")).await;
    let res = app
        .api(Method::POST, "/api/v1/checkins", Some(&desk))
        .header("Accept-Language", "es")
        .json(&json!({
            "token": badge, "nonce": uuid::Uuid::new_v4().simple().to_string(),
            "desk": "Recepción 1", "scanned_at": format!("{}T09:14:00+02:00", paris_day(2)),
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["message"], "¡Bienvenido/a, Aminata!");

    // The desk page carries the script's texts in Spanish.
    app.login_as(Role::Desk).await;
    let (status, html) = app.get_text("/desk/d9?lang=es").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Gafete no reconocido"), "a verdict title");
    assert!(html.contains("Escanear un gafete"));
}
