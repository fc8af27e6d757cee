//! Any email through one outbox: a row nobody can compose is held for a person, never
//! dropped; a scheduled row waits for its time; an organiser cancels one not yet sent.

use std::time::Duration;

use chrono::Utc;
use diesel::prelude::*;
use rencontres::auth::Role;
use rencontres::mail::registration::RegistrationPayload;
use rencontres::mail::{enqueue, Enqueue, MailKind};
use reqwest::Method;
use serde_json::Value;

use crate::helpers::{csrf_in, future_document, registrant, spawn_with, Options, TestApp};
use crate::smtp::SmtpSink;

const WAIT: Duration = Duration::from_secs(20);

/// An app sending to `sink`, with edition `slug` and one registration (whose confirmation
/// has left). Returns the app, an organiser's token, and the registration's id.
async fn app_with_one(slug: &str, sink: &SmtpSink) -> (TestApp, String, String) {
    let app = spawn_with(Options {
        demo: false,
        smtp_url: sink.url(),
        ..Options::default()
    })
    .await;
    let token = app.import(&future_document(slug)).await;
    let created: Value = app
        .register(slug, &registrant(&format!("first@{slug}.fr")))
        .await
        .json()
        .await
        .unwrap();
    sink.wait_for(1, WAIT).await;
    (app, token, created["id"].as_str().unwrap().to_string())
}

async fn outbox(app: &TestApp, slug: &str, token: &str) -> Value {
    let res = app
        .api(
            Method::GET,
            &format!("/api/v1/editions/{slug}/outbox"),
            Some(token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn edition_id(app: &TestApp, slug: &str) -> String {
    let slug = slug.to_string();
    app.with_db(move |c| {
        use rencontres::db::schema::editions;
        editions::table
            .filter(editions::slug.eq(slug))
            .select(editions::id)
            .first::<String>(c)
            .unwrap()
    })
    .await
}

/// Queues a row as a producer would, in its own transaction.
async fn queue(app: &TestApp, e: Enqueue) -> String {
    app.with_db(move |c| enqueue(c, e).unwrap()).await
}

/// Waits until the outbox lists this message among its troubles with `status`.
async fn wait_for_status(app: &TestApp, slug: &str, token: &str, id: &str, status: &str) -> Value {
    for _ in 0..400 {
        let o = outbox(app, slug, token).await;
        if let Some(m) = o["troubles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id && m["status"] == status)
        {
            return m.clone();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("message {id} never became {status}");
}

#[tokio::test]
async fn a_row_nobody_can_compose_is_held_dead_with_the_reason_and_nothing_is_sent() {
    let sink = SmtpSink::start().await;
    let (app, token, reg) = app_with_one("k1", &sink).await;
    let eid = edition_id(&app, "k1").await;

    // A kind no composer knows (written by a newer server, say), inserted as it stands.
    let unknown = {
        let eid = eid.clone();
        app.with_db(move |c| {
            use rencontres::db::schema::outbox;
            let now = Utc::now().naive_utc();
            diesel::insert_into(outbox::table)
                .values(rencontres::mail::OutboxRow {
                    id: "unknown-kind-row".into(),
                    edition_id: eid,
                    registration_id: None,
                    kind: "proceedings_report".into(),
                    recipient: "someone@k1.fr".into(),
                    status: "pending".into(),
                    attempts: 0,
                    next_attempt_at: now,
                    last_error: String::new(),
                    created_at: now,
                    sent_at: None,
                    payload: r#"{"session": "s1"}"#.into(),
                    send_after: None,
                })
                .execute(c)
                .unwrap();
            "unknown-kind-row".to_string()
        })
        .await
    };
    // A known kind whose payload does not fit it.
    let misfit = queue(
        &app,
        Enqueue::new(
            MailKind::Confirmation.code(),
            &eid,
            "first@k1.fr",
            &serde_json::json!({"proposal": 12}),
        )
        .about(&reg),
    )
    .await;

    let dead = wait_for_status(&app, "k1", &token, &unknown, "dead").await;
    assert!(
        dead["last_error"]
            .as_str()
            .unwrap()
            .contains("unknown email kind \"proceedings_report\""),
        "{dead}"
    );
    assert_eq!(dead["kind"], "proceedings_report");
    let dead = wait_for_status(&app, "k1", &token, &misfit, "dead").await;
    let error = dead["last_error"].as_str().unwrap();
    assert!(
        error.contains("does not fit the email kind \"confirmation\"")
            && error.contains("registration_id"),
        "{error}"
    );
    assert_eq!(dead["attempts"], 1, "held at once, not retried");

    // Nothing left beyond the first confirmation, and the page shows why.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), 1);
    let o = outbox(&app, "k1", &token).await;
    assert_eq!(o["counts"]["dead"], 2);
    assert_eq!(o["counts"]["sent"], 1);
    app.login_as(Role::Organiser).await;
    let (_, page) = app.get_text("/admin/editions/k1/emails").await;
    assert!(page.contains("unknown email kind"), "{page}");
    assert!(page.contains("does not fit the email kind"));
}

#[tokio::test]
async fn a_scheduled_message_waits_for_its_time_and_an_organiser_may_cancel_it() {
    let sink = SmtpSink::start().await;
    let (app, token, reg) = app_with_one("k2", &sink).await;
    let eid = edition_id(&app, "k2").await;
    let payload = RegistrationPayload {
        registration_id: reg.clone(),
    };
    let in_an_hour = Utc::now().naive_utc() + chrono::Duration::hours(1);
    let later = queue(
        &app,
        Enqueue::new(MailKind::ManageLink.code(), &eid, "first@k2.fr", &payload)
            .about(&reg)
            .after(in_an_hour),
    )
    .await;
    let soon_at = Utc::now().naive_utc() + chrono::Duration::milliseconds(1500);
    let soon = queue(
        &app,
        Enqueue::new(MailKind::ManageLink.code(), &eid, "first@k2.fr", &payload)
            .about(&reg)
            .after(soon_at),
    )
    .await;

    // Both are listed with the time they will leave, the soonest first.
    let o = outbox(&app, "k2", &token).await;
    let scheduled = o["scheduled"].as_array().unwrap();
    let ids: Vec<_> = scheduled
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![soon.as_str(), later.as_str()], "{o}");
    assert!(scheduled[1]["send_after"].as_str().unwrap().ends_with('Z'));
    assert_eq!(o["counts"]["pending"], 2);

    // Nothing leaves before its time; the near one leaves once it has come.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(sink.messages().len(), 1, "sent before its time");
    let received = sink.wait_for(2, WAIT).await;
    assert!(Utc::now().naive_utc() >= soon_at);
    assert!(received[1].mail().subject.starts_with("Votre inscription"));

    // The organiser sees the other on the page, with its time and a cancel button.
    app.login_as(Role::Organiser).await;
    let (_, page) = app.get_text("/admin/editions/k2/emails").await;
    assert!(
        page.contains(&in_an_hour.format("%Y-%m-%d %H:%M").to_string()),
        "{page}"
    );
    let action = format!("/admin/editions/k2/emails/{later}/cancel");
    assert!(page.contains(&action));

    // Cancelling needs the page's CSRF token.
    let res = app.post_form(&action, &[]).await;
    assert_eq!(res.status(), 403);
    let res = app
        .post_form(&action, &[("csrf_token", &csrf_in(&page))])
        .await;
    assert_eq!(res.status(), 303);
    let o = outbox(&app, "k2", &token).await;
    assert_eq!(o["counts"]["cancelled"], 1, "{o}");
    assert!(o["scheduled"].as_array().unwrap().is_empty());
    assert_eq!(o["counts"]["sent"], 2);

    // Only a pending message can be cancelled: not twice, not one sent, not another
    // edition's.
    for id in [&later, &soon, &"nope".to_string()] {
        let res = app
            .api(
                Method::POST,
                &format!("/api/v1/editions/k2/outbox/{id}/cancel"),
                Some(&token),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{id}");
        assert_eq!(res.json::<Value>().await.unwrap()["code"], "not_found");
    }
}

#[tokio::test]
async fn the_api_cancels_a_pending_message_before_it_leaves() {
    let app = spawn_with(Options {
        demo: false,
        mail_worker: false,
        ..Options::default()
    })
    .await;
    let token = app.import(&future_document("k3")).await;
    app.register("k3", &registrant("one@k3.fr")).await;
    let id = app
        .with_db(|c| {
            use rencontres::db::schema::outbox;
            outbox::table.select(outbox::id).first::<String>(c).unwrap()
        })
        .await;
    let res = app
        .api(
            Method::POST,
            &format!("/api/v1/editions/k3/outbox/{id}/cancel"),
            Some(&token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let o = outbox(&app, "k3", &token).await;
    assert_eq!(o["counts"]["cancelled"], 1, "{o}");
    assert_eq!(o["counts"].get("pending"), None, "{o}");
    // A cancelled message is not dead: there is nothing to retry.
    let res = app
        .api(
            Method::POST,
            &format!("/api/v1/editions/k3/outbox/{id}/retry"),
            Some(&token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}
