//! What the operator relies on: /metrics, client addresses behind a proxy, and a SIGTERM
//! that lets accepted requests finish.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rencontres::auth::Role;
use reqwest::Method;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{
    a_year_ahead, desk_document, future_document, paris_day, registrant, spawn_empty_app,
    spawn_with, Options, TestApp,
};

const SCRAPER: &str = "scraper-token-for-the-tests-0123456789";

/// The value of the series that starts with `series` (labels included), 0 when absent.
fn figure(text: &str, series: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .map(|v| v.parse().unwrap())
        .unwrap_or(0.0)
}

async fn scrape(app: &TestApp, token: &str) -> String {
    let res = app
        .api(Method::GET, "/metrics", Some(token))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

#[tokio::test]
async fn metrics_are_for_staff_and_the_scraper_only() {
    let app = spawn_with(Options {
        demo: false,
        metrics_token: SCRAPER.into(),
        ..Options::default()
    })
    .await;
    for token in [None, Some("rct_not-a-token"), Some("scraper-token")] {
        let res = app
            .api(Method::GET, "/metrics", token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "{token:?}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "unauthenticated");
    }
    let res = app
        .api(Method::GET, "/metrics", Some(SCRAPER))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    for role in [Role::Desk, Role::Organiser, Role::Admin] {
        let token = app.token(role).await;
        scrape(&app, &token).await;
    }
    // The login cookie of any staff member, as from a browser.
    app.login_as(Role::Desk).await;
    let (status, text) = app.get_text("/metrics").await;
    assert_eq!(status, 200);
    assert!(text.contains("# TYPE rencontres_http_requests_total counter"));
}

#[tokio::test]
async fn figures_move_with_registrations_check_ins_and_emails() {
    let app = spawn_with(Options {
        demo: false,
        metrics_token: SCRAPER.into(),
        ..Options::default()
    })
    .await;
    let organiser = app.import(&desk_document("metrics-desk")).await;
    app.set_registration(
        "metrics-desk",
        &organiser,
        json!({"closes_at": a_year_ahead()}),
    )
    .await;
    let route = "route=\"/api/v1/editions/{slug}/registrations\",method=\"POST\"";
    let created = format!("rencontres_http_requests_total{{{route},status=\"201\"}}");
    let timed = format!("rencontres_http_request_duration_seconds_count{{{route}}}");
    let confirmed = "rencontres_registrations{edition=\"metrics-desk\",status=\"confirmed\"}";
    let checked_in = "rencontres_checkins{edition=\"metrics-desk\"}";
    let queued = |t: &str| {
        ["pending", "sending", "sent", "dead"]
            .iter()
            .map(|s| figure(t, &format!("rencontres_outbox_messages{{state=\"{s}\"}}")))
            .sum::<f64>()
    };

    let before = scrape(&app, SCRAPER).await;
    let (id, badge) = app
        .desk_registrant("metrics-desk", registrant("metrics@example.org"))
        .await;
    let desk = app.token(Role::Desk).await;
    let (status, _) = app
        .checkin(
            &desk,
            json!({"token": badge, "nonce": "metrics-1", "desk": "A",
                   "scanned_at": format!("{}T10:00:00+02:00", paris_day(2))}),
        )
        .await;
    assert_eq!(status, 200);
    let after = scrape(&app, SCRAPER).await;

    assert_eq!(figure(&after, &created), figure(&before, &created) + 1.0);
    assert_eq!(figure(&after, &timed), figure(&before, &timed) + 1.0);
    assert_eq!(figure(&after, confirmed), figure(&before, confirmed) + 1.0);
    assert_eq!(figure(&after, checked_in), 1.0);
    assert_eq!(queued(&after), queued(&before) + 1.0, "{after}");
    assert!(after.contains(
        "rencontres_http_request_duration_seconds_bucket{route=\"/api/v1/checkins\",method=\"POST\",le=\"+Inf\"} 1"
    ));
    assert!(after.contains("rencontres_outbox_oldest_pending_age_seconds "));
    // Route templates only: no slug, registration id or personal token in a label.
    assert!(after.contains("route=\"/r/{token}\",method=\"GET\""));
    assert!(!after.contains("/editions/metrics-desk/"));
    assert!(!after.contains(&id));
    assert!(!after.contains(&badge));
    // A path no route matches is counted without its path.
    let res = app
        .api(Method::GET, "/no/such/secret-path", None)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let last = scrape(&app, SCRAPER).await;
    assert!(
        figure(
            &last,
            "rencontres_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"}"
        ) >= 1.0
    );
    assert!(!last.contains("secret-path"));
}

/// A failed login, as if from `forwarded` behind a proxy.
async fn failed_login(app: &TestApp, forwarded: &str, n: usize) -> u16 {
    let csrf = app.csrf("/login").await;
    let email = format!("nobody-{n}@example.org");
    app.client
        .post(app.url("/login"))
        .header(
            "cookie",
            format!("rencontres_csrf={csrf}; __Host-rencontres_csrf={csrf}"),
        )
        .header("x-forwarded-for", forwarded)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", email.as_str()),
            ("password", "wrong password"),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_trusted_proxies() {
    // The test client connects from 127.0.0.1: here, a trusted proxy.
    let behind = spawn_with(Options {
        login_attempts: 2,
        trusted_proxies: vec!["127.0.0.0/8".into()],
        ..Options::default()
    })
    .await;
    assert_eq!(failed_login(&behind, "203.0.113.5", 1).await, 401);
    assert_eq!(failed_login(&behind, "203.0.113.5", 2).await, 401);
    assert_eq!(failed_login(&behind, "203.0.113.5", 3).await, 429);
    // Another client behind the same proxy is not held back, whatever it forged.
    assert_eq!(
        failed_login(&behind, "203.0.113.5, 198.51.100.9", 4).await,
        401
    );
    assert_eq!(failed_login(&behind, "203.0.113.6", 5).await, 401);

    // Without trusting it, the header is ignored: every attempt is 127.0.0.1's.
    let direct = spawn_with(Options {
        login_attempts: 2,
        ..Options::default()
    })
    .await;
    assert_eq!(failed_login(&direct, "203.0.113.5", 1).await, 401);
    assert_eq!(failed_login(&direct, "203.0.113.6", 2).await, 401);
    assert_eq!(failed_login(&direct, "203.0.113.7", 3).await, 429);
}

/// What one request of the burst got: its email, and the status or the error.
type Outcome = (String, Result<u16, String>);

/// SIGTERM to the real binary while a registration's body is still arriving and a burst
/// of registrations runs: the slow request is answered, the process exits cleanly, and no
/// registration was committed without its answer reaching the client.
#[tokio::test]
async fn sigterm_lets_accepted_requests_finish() {
    let app = spawn_empty_app().await;
    app.import(&future_document("stop-2030")).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rencontres"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", &app.database_url)
        .env("RENCONTRES_DATA_DIR", &app.data_dir)
        .env("RENCONTRES__LOG__FORMAT", "json")
        .env("RENCONTRES__LOG__FILTER", "info")
        .env("RENCONTRES__SERVER__WORKERS", "2")
        .env("RENCONTRES__SERVER__SHUTDOWN_SECONDS", "20")
        .env("RENCONTRES__MAIL__WORKER", "false")
        .env("RENCONTRES__DEMO__SEED_WHEN_EMPTY", "false")
        .env("RENCONTRES__SECURITY__PUBLIC_FORMS_PER_MINUTE", "100000")
        .current_dir(&app.data_dir)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
                if v["fields"]["message"] == "listening" {
                    let _ = port_tx.send(v["fields"]["port"].as_u64().unwrap());
                }
            }
        }
    });
    let port = port_rx.recv_timeout(Duration::from_secs(30)).unwrap();
    let base = format!("http://127.0.0.1:{port}");

    // The slow request: headers and half of its body now, the rest after the SIGTERM.
    let body = registrant("slow@example.org").to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut slow = tokio::net::TcpStream::connect(("127.0.0.1", port as u16))
        .await
        .unwrap();
    slow.write_all(
        format!(
            "POST /api/v1/editions/stop-2030/registrations HTTP/1.1\r\nHost: 127.0.0.1\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first}",
            body.len()
        )
        .as_bytes(),
    )
    .await
    .unwrap();

    // The burst: a new connection per request, until the server stops answering.
    let outcomes: Arc<Mutex<Vec<Outcome>>> = Arc::default();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for worker in 0..6 {
        let (client, base, outcomes) = (client.clone(), base.clone(), outcomes.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0.. {
                let email = format!("burst-{worker}-{i}@example.org");
                let res = client
                    .post(format!("{base}/api/v1/editions/stop-2030/registrations"))
                    .json(&registrant(&email))
                    .send()
                    .await;
                let stop = res.is_err();
                outcomes.lock().unwrap().push((
                    email,
                    res.map(|r| r.status().as_u16()).map_err(|e| e.to_string()),
                ));
                if stop {
                    break;
                }
            }
        }));
    }
    let started = Instant::now();
    while outcomes.lock().unwrap().len() < 30 && started.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let at_sigterm = outcomes.lock().unwrap().len();

    // Longer than actix's first look at its connections after the signal (1 s): a server
    // that did not wait for them would have dropped this one by then.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    slow.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = String::new();
    slow.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");

    for t in tasks {
        tokio::time::timeout(Duration::from_secs(30), t)
            .await
            .unwrap()
            .unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let exit = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "{exit:?}");

    let outcomes = outcomes.lock().unwrap().clone();
    assert!(at_sigterm >= 30, "the burst ran before the signal");
    let answered: Vec<&str> = outcomes
        .iter()
        .filter(|(_, r)| r.as_ref().is_ok_and(|s| *s == 201))
        .map(|(e, _)| e.as_str())
        .collect();
    let odd: Vec<&Outcome> = outcomes
        .iter()
        .filter(|(_, r)| r.as_ref().is_ok_and(|s| *s != 201))
        .collect();
    assert!(odd.is_empty(), "answers other than 201: {odd:?}");
    let stored: Vec<String> = app
        .with_db(|c| {
            use diesel::prelude::*;
            use rencontres::db::schema::registrations::dsl::*;
            registrations.select(email).load::<String>(c).unwrap()
        })
        .await;
    assert!(stored.contains(&"slow@example.org".to_string()));
    for e in &answered {
        assert!(
            stored.iter().any(|s| s == e),
            "{e} answered 201, not stored"
        );
    }
    // Nothing was committed without its answer reaching the client.
    for s in stored.iter().filter(|s| s.starts_with("burst-")) {
        assert!(answered.contains(&s.as_str()), "{s} stored, never answered");
    }
}
