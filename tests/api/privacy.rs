//! A person's data, where it may linger: erased before the event (a cancellation that
//! frees the seat), gone from the database files, readable by the owner only, absent from
//! the logs; and the emails that carry it, well formed.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{future_document, registrant, spawn_empty_app, TestApp};

async fn erase(app: &TestApp, token: &str, slug: &str, id: &str) {
    let res = app
        .api(
            Method::DELETE,
            &format!("/api/v1/editions/{slug}/registrations/{id}/personal-data"),
            Some(token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
}

async fn registration(app: &TestApp, token: &str, slug: &str, id: &str) -> Value {
    app.api(
        Method::GET,
        &format!("/api/v1/editions/{slug}/registrations/{id}"),
        Some(token),
    )
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap()
}

async fn wait_for_emails(app: &TestApp, n: usize) {
    for _ in 0..400 {
        if app.eml_files().len() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{n} emails were not written");
}

#[tokio::test]
async fn erasing_someone_before_the_event_cancels_them_and_frees_their_seat() {
    let app = spawn_empty_app().await;
    let token = app.import(&future_document("e30")).await;
    app.set_registration("e30", &token, json!({"capacity": 1}))
        .await;
    let first: Value = app
        .register("e30", &registrant("first@e30.fr"))
        .await
        .json()
        .await
        .unwrap();
    let second: Value = app
        .register("e30", &registrant("second@e30.fr"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["status"], "confirmed");
    assert_eq!(second["status"], "waitlisted");
    let (first, second) = (
        first["id"].as_str().unwrap().to_string(),
        second["id"].as_str().unwrap().to_string(),
    );

    // The organiser's page says what erasing will do.
    app.login_as(rencontres::auth::Role::Organiser).await;
    let (_, page) = app
        .get_text(&format!("/admin/editions/e30/registrations/{first}"))
        .await;
    assert!(
        page.contains("annule d&#39;abord son inscription"),
        "{page}"
    );

    erase(&app, &token, "e30", &first).await;
    assert_eq!(
        registration(&app, &token, "e30", &first).await["status"],
        "cancelled"
    );
    assert_eq!(
        registration(&app, &token, "e30", &second).await["status"],
        "confirmed",
        "the seat went to the person waiting"
    );
    let stats: Value = app
        .api(Method::GET, "/api/v1/editions/e30/stats", Some(&token))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["cancelled"], 1, "the cancellation is counted");
    assert_eq!(stats["registered"], 1);
    assert_eq!(stats["waitlisted"], 0);
}

#[tokio::test]
async fn an_erased_address_is_gone_from_the_database_files_which_only_their_owner_reads() {
    let app = spawn_empty_app().await;
    let token = app.import(&future_document("f30")).await;
    let email = "quelquun.a.oublier@exemple-unique.fr";
    let created: Value = app
        .register("f30", &registrant(email))
        .await
        .json()
        .await
        .unwrap();
    wait_for_emails(&app, 1).await;
    let outbox = app.data_dir.join("outbox");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&outbox), 0o700);
    for entry in std::fs::read_dir(&outbox).unwrap() {
        assert_eq!(mode(&entry.unwrap().path()), 0o600, "an email on disk");
    }
    erase(&app, &token, "f30", created["id"].as_str().unwrap()).await;

    if app.database_url.starts_with("postgres") {
        return; // PostgreSQL's files are the server's business.
    }
    let db = std::path::PathBuf::from(&app.database_url);
    assert_eq!(mode(&db), 0o600, "the database");
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let file = format!("{}{suffix}", app.database_url);
        if let Ok(bytes) = std::fs::read(&file) {
            assert_eq!(mode(std::path::Path::new(&file)), 0o600, "{file}");
            let found = bytes
                .windows(email.len())
                .filter(|w| *w == email.as_bytes());
            assert_eq!(found.count(), 0, "the address is still in {file}");
        }
    }
}

/// The real binary, its log on stderr: a registrant's manage link is used, and what the
/// log kept of it opens nothing.
#[tokio::test]
async fn the_request_log_keeps_no_link_that_opens_a_registration() {
    let app = spawn_empty_app().await;
    app.import(&future_document("l30")).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rencontres"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", &app.database_url)
        .env("RENCONTRES_DATA_DIR", &app.data_dir)
        .env("RENCONTRES__LOG__FORMAT", "json")
        .env("RENCONTRES__LOG__FILTER", "debug")
        .env("RENCONTRES__MAIL__WORKER", "false")
        .env("RENCONTRES__DEMO__SEED_WHEN_EMPTY", "false")
        .current_dir(&app.data_dir)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let kept = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str::<Value>(&line) {
                if v["fields"]["message"] == "listening" {
                    let _ = port_tx.send(v["fields"]["port"].as_u64().unwrap());
                }
            }
            let mut log = kept.lock().unwrap();
            log.push_str(&line);
            log.push('\n');
        }
    });
    let port = port_rx.recv_timeout(Duration::from_secs(30)).unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let created: Value = client
        .post(format!("{base}/api/v1/editions/l30/registrations"))
        .json(&registrant("logged@l30.fr"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let manage = created["manage_url"].as_str().unwrap();
    let path = &manage[manage.find("/r/").unwrap()..];
    let secret = path.trim_start_matches("/r/");
    for suffix in ["", "/programme.ics", "/data.json", "/nothing-here"] {
        client
            .get(format!("{base}{path}{suffix}"))
            .send()
            .await
            .unwrap();
    }
    // A mistyped link is logged masked too.
    client
        .get(format!("{base}/r/{secret}x"))
        .send()
        .await
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let log = log.lock().unwrap().clone();
    assert!(log.contains("/r/"), "the requests were logged: {log}");
    let mac = secret.rsplit('.').next().unwrap();
    assert!(mac.len() >= 16, "{secret}");
    assert!(!log.contains(mac), "the log holds a manage link:\n{log}");
    assert!(!log.contains("logged@l30.fr"), "the log holds an address");
}

#[tokio::test]
async fn a_confirmation_declares_its_structure_and_its_language() {
    let app = spawn_empty_app().await;
    app.import(&future_document("m30")).await;
    let mut en = registrant("en@m30.fr");
    en["lang"] = "en".into();
    app.register("m30", &registrant("fr@m30.fr")).await;
    app.register("m30", &en).await;
    wait_for_emails(&app, 2).await;
    let emails = app.eml_files();
    for (who, lang) in [("fr@m30.fr", "fr"), ("en@m30.fr", "en")] {
        let eml = emails.iter().find(|e| e.contains(who)).unwrap();
        let head = &eml[..eml.find("\r\n\r\n").unwrap_or(eml.len())];
        assert!(
            head.contains(&format!("Content-Language: {lang}")),
            "{head}"
        );
        let related = eml
            .lines()
            .find(|l| l.to_ascii_lowercase().contains("multipart/related"))
            .expect("an HTML body with its images");
        // The header may fold: read the line and its continuation.
        let at = eml.find(related).unwrap();
        let header: String = eml[at..]
            .split("\r\n")
            .take_while(|l| !l.is_empty())
            .take(3)
            .collect();
        assert!(
            header.contains("type=\"multipart/alternative\""),
            "{header}"
        );
    }
}
