//! Emails over a real SMTP conversation: what a confirmation carries, and what happens when
//! the server is down, refuses for a while, or refuses for good.

use std::time::Duration;

use rencontres::auth::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{future_document, registrant, spawn_with, Options, TestApp};
use crate::smtp::SmtpSink;

const WAIT: Duration = Duration::from_secs(20);

async fn app_sending_to(url: String, attempts: i32) -> (TestApp, String) {
    let app = spawn_with(Options {
        demo: false,
        smtp_url: url,
        mail_attempts: attempts,
        ..Options::default()
    })
    .await;
    let token = app.import(&future_document("m30")).await;
    (app, token)
}

async fn outbox(app: &TestApp, token: &str) -> Value {
    app.api(Method::GET, "/api/v1/editions/m30/outbox", Some(token))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Waits until the outbox shows a message that failed at least once with this status.
async fn wait_for_trouble(app: &TestApp, token: &str, status: &str) -> Value {
    for _ in 0..400 {
        let o = outbox(app, token).await;
        if let Some(m) = o["troubles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["status"] == status)
        {
            return m.clone();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no {status} message in the outbox");
}

#[tokio::test]
async fn a_confirmation_carries_the_badge_the_qr_code_the_calendar_and_the_link() {
    let sink = SmtpSink::start().await;
    let (app, _) = app_sending_to(sink.url(), 8).await;
    let created: Value = app
        .register("m30", &registrant("aminata@dakar.sn"))
        .await
        .json()
        .await
        .unwrap();
    let received = sink.wait_for(1, WAIT).await;
    assert_eq!(received[0].rcpt_to, vec!["aminata@dakar.sn"]);
    let mail = received[0].mail();
    assert!(
        mail.subject.starts_with("Inscription confirmée"),
        "{}",
        mail.subject
    );
    assert_eq!(mail.from.as_deref(), Some("inscriptions@rencontres.test"));
    let message_id = mail.header("Message-ID").unwrap().to_string();
    assert!(message_id.ends_with("@rencontres.test>"), "{message_id}");

    let manage = created["manage_url"].as_str().unwrap();
    let text = mail.text.as_deref().unwrap();
    assert!(text.contains("Madame Diallo,"));
    assert!(text.contains(manage));
    assert!(text.contains("Atelier climat"));
    let html = mail.html.as_deref().unwrap();
    assert!(html.contains(manage));
    // The QR code is an inline image the HTML points at.
    let qr = mail
        .attachments
        .iter()
        .find(|a| a.content_type == "image/png")
        .expect("an inline QR code");
    assert!(qr.data.starts_with(b"\x89PNG"));
    let cid = qr.content_id.as_deref().unwrap();
    assert!(html.contains(&format!("cid:{cid}")));
    let badge = mail.attachment("badge.pdf");
    assert!(badge.data.starts_with(b"%PDF-"));
    let ics = mail.attachment("m30.ics").text().to_string();
    assert!(ics.contains("BEGIN:VCALENDAR"));
    assert!(ics.contains("Atelier climat"), "the chosen session");
    assert!(ics.contains("Ouverture"), "the plenary of a day attended");
    assert!(!ics.contains("Amérique latine"), "not a session left out");

    // In English when the registrant asks for it.
    let mut en = registrant("ana@rosario.ar");
    en["lang"] = json!("en");
    en["civility"] = json!("none");
    app.register("m30", &en).await;
    let received = sink.wait_for(2, WAIT).await;
    let mail = received[1].mail();
    assert!(
        mail.subject.starts_with("Registration confirmed"),
        "{}",
        mail.subject
    );
    assert!(mail.text.unwrap().contains("Dear Aminata Diallo,"));
}

#[tokio::test]
async fn with_the_smtp_server_down_nothing_is_lost_and_nothing_is_sent_twice() {
    let sink = SmtpSink::start().await;
    let port = sink.port();
    let url = sink.url();
    sink.stop();
    let (app, token) = app_sending_to(url, 1000).await;
    assert_eq!(
        app.register("m30", &registrant("down@b.fr")).await.status(),
        201,
        "registering does not wait for the mail server"
    );
    let waiting = wait_for_trouble(&app, &token, "pending").await;
    assert!(waiting["attempts"].as_i64().unwrap() >= 1);
    assert!(!waiting["last_error"].as_str().unwrap().is_empty());

    let sink = SmtpSink::start_on(port).await;
    let received = sink.wait_for(1, WAIT).await;
    assert_eq!(received[0].rcpt_to, vec!["down@b.fr"]);
    let id = waiting["id"].as_str().unwrap();
    assert_eq!(
        received[0].mail().header("Message-ID").unwrap(),
        format!("<{id}@rencontres.test>"),
        "the Message-ID is the outbox row's, the same on every attempt"
    );
    // Later rounds find nothing more to send.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(sink.messages().len(), 1);
    let o = outbox(&app, &token).await;
    assert_eq!(o["counts"]["sent"], 1);
    assert!(o["troubles"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_temporary_refusal_is_retried_and_a_permanent_one_waits_for_an_organiser() {
    let sink = SmtpSink::start().await;
    sink.set_reply_to_data(Some((451, "4.3.0 try again later")));
    let (app, token) = app_sending_to(sink.url(), 50).await;
    app.register("m30", &registrant("later@b.fr")).await;
    let waiting = wait_for_trouble(&app, &token, "pending").await;
    assert!(waiting["last_error"].as_str().unwrap().contains("451"));
    sink.set_reply_to_data(None);
    let received = sink.wait_for(1, WAIT).await;
    assert_eq!(received[0].rcpt_to, vec!["later@b.fr"]);

    // 550: permanent, marked dead at once, shown to organisers.
    sink.set_reply_to_data(Some((550, "5.1.1 no such mailbox")));
    app.register("m30", &registrant("nobody@b.fr")).await;
    let dead = wait_for_trouble(&app, &token, "dead").await;
    assert_eq!(dead["recipient"], "nobody@b.fr");
    app.login_as(Role::Organiser).await;
    let (_, page) = app.get_text("/admin/editions/m30/emails").await;
    assert!(page.contains("nobody@b.fr"));
    assert!(page.contains("5.1.1"));

    // The organiser retries once the address is fixed on the server's side.
    sink.set_reply_to_data(None);
    let res = app
        .api(
            Method::POST,
            &format!(
                "/api/v1/editions/m30/outbox/{}/retry",
                dead["id"].as_str().unwrap()
            ),
            Some(&token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let received = sink.wait_for(2, WAIT).await;
    assert_eq!(received[1].rcpt_to, vec!["nobody@b.fr"]);
    // Only dead messages can be retried.
    let res = app
        .api(
            Method::POST,
            &format!(
                "/api/v1/editions/m30/outbox/{}/retry",
                dead["id"].as_str().unwrap()
            ),
            Some(&token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn after_the_last_attempt_a_message_is_dead() {
    let sink = SmtpSink::start().await;
    sink.set_reply_to_data(Some((421, "4.7.0 busy")));
    let (app, token) = app_sending_to(sink.url(), 2).await;
    app.register("m30", &registrant("busy@b.fr")).await;
    let dead = wait_for_trouble(&app, &token, "dead").await;
    assert_eq!(dead["attempts"], 2);
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn a_change_of_days_or_sessions_sends_the_updated_calendar_and_nothing_else_does() {
    let sink = SmtpSink::start().await;
    let (app, token) = app_sending_to(sink.url(), 8).await;
    let created: Value = app
        .register("m30", &registrant("aminata@dakar.sn"))
        .await
        .json()
        .await
        .unwrap();
    sink.wait_for(1, WAIT).await;
    let id = created["id"].as_str().unwrap();
    let put = |body: Value| {
        app.api(
            Method::PUT,
            &format!("/api/v1/editions/m30/registrations/{id}"),
            Some(&token),
        )
        .json(&body)
        .send()
    };

    // The organiser moves her from the workshop to the conference.
    let mut moved = registrant("aminata@dakar.sn");
    moved["sessions"] = json!(["s3"]);
    assert_eq!(put(moved.clone()).await.unwrap().status(), 200);
    let received = sink.wait_for(2, WAIT).await;
    let mail = received[1].mail();
    assert_eq!(received[1].rcpt_to, vec!["aminata@dakar.sn"]);
    assert!(
        mail.subject.starts_with("Votre inscription a été modifiée"),
        "{}",
        mail.subject
    );
    assert!(mail.text.as_deref().unwrap().contains("Amérique latine"));
    let ics = mail.attachment("m30.ics").text().to_string();
    assert!(ics.contains("Amérique latine"), "the new session");
    assert!(!ics.contains("Atelier climat"), "not the one she left");
    assert!(mail.attachment("badge.pdf").data.starts_with(b"%PDF-"));

    // Lunch alone changes nothing she carries: no email.
    moved["lunch"] = json!(false);
    assert_eq!(put(moved.clone()).await.unwrap().status(), 200);
    // A second day does, in English when she now asks for it.
    moved["days"] = json!(["2030-10-07", "2030-10-08"]);
    moved["lang"] = json!("en");
    assert_eq!(put(moved).await.unwrap().status(), 200);
    let received = sink.wait_for(3, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), 3, "one email per change worth one");
    let mail = received[2].mail();
    assert!(
        mail.subject.starts_with("Your registration was changed"),
        "{}",
        mail.subject
    );
}
