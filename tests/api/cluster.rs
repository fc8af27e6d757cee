//! Several server processes on one database, as an operator runs them behind a load
//! balancer: registrations for two editions and check-ins for a third at once, spread over
//! three `rencontres serve` processes, every one of them also sending the outbox.
//! Nothing may fail, no capacity may be exceeded, the seat counters must equal the rows
//! and each email must leave once.

use std::time::Duration;

use diesel::prelude::*;
use rencontres::auth::Role;
use serde_json::{json, Value};

use crate::helpers::{a_year_ahead, desk_document, paris_day, registrant, spawn_with, Options};
use crate::servers::{serve, Server};
use crate::smtp::SmtpSink;

fn nonce() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// What one request came back with.
enum Answer {
    Registered(u16),
    Checkin(u16, String),
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_servers_on_one_database_lose_nothing_and_exceed_nothing() {
    let sink = SmtpSink::start().await;
    let app = spawn_with(Options {
        demo: false,
        smtp_url: sink.url(),
        ..Options::default()
    })
    .await;
    let organiser = app.import(&desk_document("k0")).await;
    app.set_registration("k0", &organiser, json!({"closes_at": a_year_ahead()}))
        .await;
    for slug in ["k1", "k2"] {
        app.import(&desk_document(slug)).await;
        app.set_registration(
            slug,
            &organiser,
            json!({"closes_at": a_year_ahead(), "capacity": 40}),
        )
        .await;
    }
    // Forty people of k0, registered beforehand, arrive at the desk during the burst.
    let mut badges = Vec::new();
    for i in 0..40 {
        let (_, token) = app
            .desk_registrant("k0", registrant(&format!("desk{i}@k0.fr")))
            .await;
        badges.push(token);
    }
    let desk = app.token(Role::Desk).await;
    // The scans are made on the edition's first day (held the day before yesterday).
    let scanned_at = paris_day(2)
        .parse::<chrono::NaiveDate>()
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
        .and_local_timezone(chrono_tz::Europe::Paris)
        .earliest()
        .unwrap()
        .to_rfc3339();

    let servers: Vec<Server> = std::thread::scope(|s| {
        let started: Vec<_> = (0..3)
            .map(|_| s.spawn(|| serve(&app.database_url, &app.data_dir, &sink.url(), &[])))
            .collect();
        started.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let bases: Vec<String> = servers.iter().map(|s| s.base.clone()).collect();

    // 2 × 200 registrations (40 seats each, 30 in workshop s2) and each badge scanned
    // twice, at two different servers, all interleaved.
    let mut requests = Vec::new();
    for i in 0..200 {
        for slug in ["k1", "k2"] {
            requests.push((i % 3, Some((slug, i)), None));
        }
        if i < 80 {
            requests.push(((i + 1) % 3, None, Some(i / 2)));
        }
    }
    let client = reqwest::Client::new();
    let in_flight = std::sync::Arc::new(tokio::sync::Semaphore::new(48));
    let mut tasks = tokio::task::JoinSet::new();
    for (server, registration, scan) in requests {
        let client = client.clone();
        let base = bases[server].clone();
        let desk = desk.clone();
        let badge = scan.map(|i: usize| badges[i].clone());
        let in_flight = in_flight.clone();
        let scanned_at = scanned_at.clone();
        tasks.spawn(async move {
            let _turn = in_flight.acquire_owned().await.unwrap();
            if let Some((slug, i)) = registration {
                let mut body = registrant(&format!("p{i}@{slug}.fr"));
                body["days"] = json!([paris_day(2)]);
                let res = client
                    .post(format!("{base}/api/v1/editions/{slug}/registrations"))
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                Answer::Registered(res.status().as_u16())
            } else {
                let res = client
                    .post(format!("{base}/api/v1/checkins"))
                    .bearer_auth(&desk)
                    .json(&json!({"token": badge.unwrap(), "nonce": nonce(),
                                  "desk": format!("Accueil {server}"), "scanned_at": scanned_at}))
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                let v: Value = res.json().await.unwrap_or(Value::Null);
                Answer::Checkin(status, v["result"].as_str().unwrap_or("").to_string())
            }
        });
    }
    let answers: Vec<Answer> = tasks.join_all().await;

    let mut created = 0;
    let mut results = std::collections::BTreeMap::<String, usize>::new();
    for answer in &answers {
        match answer {
            Answer::Registered(status) => {
                assert_eq!(*status, 201, "a registration failed");
                created += 1;
            }
            Answer::Checkin(status, result) => {
                assert_eq!(*status, 200, "a check-in failed");
                *results.entry(result.clone()).or_default() += 1;
            }
        }
    }
    assert_eq!(created, 400);
    // Each of the forty badges was scanned twice: once in, once "already".
    assert_eq!(results.get("checked_in"), Some(&40), "{results:?}");
    assert_eq!(results.get("already"), Some(&40), "{results:?}");

    let counts = app
        .with_db(|c| {
            use rencontres::db::schema::{
                checkins, editions, outbox, registration_sessions as rsess,
                registration_settings as rs, registrations, session_seats, sessions,
            };
            let mut out = Vec::new();
            for slug in ["k0", "k1", "k2"] {
                let edition: String = editions::table
                    .filter(editions::slug.eq(slug))
                    .select(editions::id)
                    .first(c)
                    .unwrap();
                let confirmed: i64 = registrations::table
                    .filter(registrations::edition_id.eq(&edition))
                    .filter(registrations::status.eq("confirmed"))
                    .count()
                    .get_result(c)
                    .unwrap();
                let counter: i32 = rs::table
                    .find(&edition)
                    .select(rs::confirmed)
                    .first(c)
                    .unwrap();
                let s2: String = sessions::table
                    .filter(sessions::edition_id.eq(&edition))
                    .filter(sessions::key.eq("s2"))
                    .select(sessions::id)
                    .first(c)
                    .unwrap();
                let seated: i64 = rsess::table
                    .filter(rsess::session_id.eq(&s2))
                    .filter(rsess::status.eq("confirmed"))
                    .count()
                    .get_result(c)
                    .unwrap();
                let taken: i32 = session_seats::table
                    .find(&s2)
                    .select(session_seats::taken)
                    .first(c)
                    .unwrap();
                let checked_in: i64 = checkins::table
                    .filter(checkins::edition_id.eq(&edition))
                    .filter(checkins::undone_at.is_null())
                    .count()
                    .get_result(c)
                    .unwrap();
                out.push((
                    slug,
                    confirmed,
                    i64::from(counter),
                    seated,
                    i64::from(taken),
                    checked_in,
                ));
            }
            let emails: i64 = outbox::table.count().get_result(c).unwrap();
            (out, emails)
        })
        .await;
    let (per_edition, emails) = counts;
    for (slug, confirmed, counter, seated, taken, checked_in) in per_edition {
        assert_eq!(counter, confirmed, "{slug}: seat counter vs rows");
        assert_eq!(taken, seated, "{slug}: workshop counter vs rows");
        if slug == "k0" {
            assert_eq!(checked_in, 40, "{slug}: check-ins");
        } else {
            assert_eq!(confirmed, 40, "{slug}: every seat taken, none more");
            assert_eq!(seated, 30, "{slug}: the workshop's limit");
        }
    }
    // One confirmation or waiting-list email per registration, sent by whichever of the
    // four workers took it, once.
    assert_eq!(emails, 440);
    let received = sink.wait_for(440, Duration::from_secs(90)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let received = if sink.messages().len() > received.len() {
        sink.messages()
    } else {
        received
    };
    let mut recipients: Vec<String> = received.iter().flat_map(|m| m.mail().to.clone()).collect();
    recipients.sort();
    let total = recipients.len();
    recipients.dedup();
    assert_eq!(total, 440, "messages received");
    assert_eq!(recipients.len(), 440, "someone got two emails");
    drop(servers);
}
