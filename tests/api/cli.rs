//! The operator's command line, run as a real process against the test's database.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Method;

use crate::helpers::{small_document, spawn_empty_app, TestApp};

fn rencontres(app: &TestApp, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rencontres"))
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("RENCONTRES_DATA_DIR", &app.data_dir)
        .env("RENCONTRES__LOG__FILTER", "warn")
        .current_dir(&app.data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn import_and_export_from_the_command_line() {
    let app = spawn_empty_app().await;
    let file = app.data_dir.join("programme.json");
    std::fs::write(
        &file,
        serde_json::to_string_pretty(&small_document("cli-2024")).unwrap(),
    )
    .unwrap();
    let out = rencontres(&app, &["import-programme", file.to_str().unwrap()], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("created cli-2024: 2 rooms, 2 people, 3 sessions"));

    let out = rencontres(&app, &["export-programme", "cli-2024"], "");
    assert!(out.status.success());
    let exported: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(exported, small_document("cli-2024"));

    // A broken file: every problem with its path, exit code 1, nothing changed.
    let mut bad = small_document("cli-2024");
    bad["sessions"][1]["start"] = "16:30".into();
    bad["sessions"][1]["end"] = "16:00".into();
    bad["sessions"][2]["kind"] = "party".into();
    bad["sessions"][0]["title"] = "Changed".into();
    std::fs::write(&file, bad.to_string()).unwrap();
    let out = rencontres(&app, &["import-programme", file.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sessions[1].end: 16:00 is before start 16:30"),
        "{err}"
    );
    assert!(err.contains("sessions[2].kind:"), "{err}");
    assert!(err.contains("nothing was imported"));
    assert_eq!(app.programme("cli-2024").await, small_document("cli-2024"));

    // Conflicts need --allow-conflicts.
    let mut conflicting = small_document("cli-2024");
    conflicting["sessions"][2]["room"] = "salle-a".into();
    std::fs::write(&file, conflicting.to_string()).unwrap();
    let out = rencontres(&app, &["import-programme", file.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-conflicts"));
    let out = rencontres(
        &app,
        &[
            "import-programme",
            "--allow-conflicts",
            file.to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success());
    assert_eq!(app.programme("cli-2024").await, conflicting);
}

#[tokio::test]
async fn accounts_and_tokens_from_the_command_line() {
    let app = spawn_empty_app().await;
    let out = rencontres(
        &app,
        &[
            "user",
            "add",
            "--email",
            "Lead@Example.org",
            "--role",
            "organiser",
        ],
        "a long enough password\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = rencontres(
        &app,
        &[
            "user",
            "add",
            "--email",
            "x@example.org",
            "--role",
            "organiser",
        ],
        "short\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 10 characters"));
    let out = rencontres(
        &app,
        &["user", "add", "--email", "x@example.org", "--role", "boss"],
        "a long enough password\n",
    );
    assert!(!out.status.success());

    let out = rencontres(
        &app,
        &["token", "create", "--email", "lead@example.org"],
        "",
    );
    assert!(out.status.success());
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("rct_"));
    let res = app
        .api(Method::GET, "/api/v1/me", Some(&token))
        .send()
        .await
        .unwrap();
    let me: serde_json::Value = res.json().await.unwrap();
    assert_eq!(me["email"], "lead@example.org");
    assert_eq!(me["role"], "organiser");

    assert_eq!(
        app.login("lead@example.org", "a long enough password")
            .await
            .status(),
        303
    );
}

#[test]
fn every_command_explains_itself() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["import-programme", "--help"],
        vec!["user", "add", "--help"],
        vec!["token", "create", "--help"],
        vec!["token", "list", "--help"],
        vec!["token", "revoke", "--help"],
        vec!["backup", "--help"],
        vec!["restore", "--help"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_rencontres"))
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage:"),
            "{args:?}"
        );
    }
}

/// The command line with only these settings: no database or data directory of a test
/// app unless given.
fn command(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rencontres"));
    cmd.args(args)
        .env_remove("DATABASE_URL")
        .env("RENCONTRES__LOG__FILTER", "warn")
        .current_dir(std::env::temp_dir());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh empty database beside the test's: a new PostgreSQL database on the same
/// server, or a SQLite file in a new data directory. Returns its URL ("" for SQLite)
/// and the data directory.
fn empty_database(app: &TestApp, name: &str) -> (String, std::path::PathBuf) {
    let dir = app.data_dir.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    if !app.database_url.starts_with("postgres") {
        return (String::new(), dir);
    }
    use diesel::{Connection, RunQueryDsl};
    let (base, db) = app.database_url.rsplit_once('/').unwrap();
    let db = format!("{db}_{name}");
    let mut admin = diesel::PgConnection::establish(&app.database_url).unwrap();
    diesel::sql_query(format!("CREATE DATABASE {db}"))
        .execute(&mut admin)
        .unwrap();
    (format!("{base}/{db}"), dir)
}

fn drop_database(app: &TestApp, url: &str) {
    if let Some((_, db)) = url.rsplit_once('/').filter(|_| url.starts_with("postgres")) {
        use diesel::{Connection, RunQueryDsl};
        let mut admin = diesel::PgConnection::establish(&app.database_url).unwrap();
        let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
            .execute(&mut admin);
    }
}

/// The emails registered in the database at `url` (or the data directory's SQLite file).
fn emails_in(url: &str, dir: &std::path::Path) -> Vec<String> {
    use diesel::prelude::*;
    use rencontres::db::schema::registrations::dsl::*;
    let url = if url.is_empty() {
        dir.join("rencontres.db").to_string_lossy().into_owned()
    } else {
        url.to_string()
    };
    let mut conn = rencontres::db::Manager::new(&url).open().unwrap();
    registrations
        .select(email)
        .load::<String>(&mut conn)
        .unwrap()
}

/// A backup taken while registrations pour in holds every one acknowledged before it
/// began; it restores into an empty place only, or over a database with --force, and a
/// file that is not a backup is refused in words.
#[tokio::test]
async fn a_backup_taken_during_a_registration_burst_restores_every_acknowledged_one() {
    let app = spawn_empty_app().await;
    app.import(&crate::helpers::future_document("backup-2030"))
        .await;
    // Each acknowledged registration: its email, its manage link, when the 201 came.
    let acked: Arc<Mutex<Vec<(String, String, Instant)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let app = Arc::new(app);
    let mut tasks = Vec::new();
    for worker in 0..6 {
        let (app, acked, stop) = (app.clone(), acked.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let email = format!("b{worker}-{i}@example.org");
                let res = app
                    .register("backup-2030", &crate::helpers::registrant(&email))
                    .await;
                assert_eq!(res.status(), 201);
                let at = Instant::now();
                let body: serde_json::Value = res.json().await.unwrap();
                let link = body["manage_url"].as_str().unwrap().to_string();
                acked.lock().unwrap().push((email, link, at));
                i += 1;
            }
        }));
    }
    while acked.lock().unwrap().len() < 40 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let file = app.data_dir.join("backup.rencontres");
    let began = Instant::now();
    let out = {
        let (app, file) = (app.clone(), file.clone());
        tokio::task::spawn_blocking(move || {
            rencontres(&app, &["backup", file.to_str().unwrap()], "")
        })
        .await
        .unwrap()
    };
    let ended = Instant::now();
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    assert!(out.status.success(), "{}", stderr(&out));
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the backup is its owner's only");
    }
    let acked = acked.lock().unwrap().clone();
    let before: Vec<&String> = acked
        .iter()
        .filter(|(_, _, at)| *at < began)
        .map(|(e, _, _)| e)
        .collect();
    let during = acked
        .iter()
        .filter(|(_, _, at)| *at >= began && *at <= ended)
        .count();
    assert!(during > 0, "registrations went on during the backup");

    let (url, dir) = empty_database(&app, "restored");
    let env = |url: &str, dir: &std::path::Path| {
        let mut env = vec![(
            "RENCONTRES_DATA_DIR".to_string(),
            dir.to_string_lossy().into_owned(),
        )];
        if !url.is_empty() {
            env.push(("DATABASE_URL".to_string(), url.to_string()));
        }
        env
    };
    let run = |args: &[&str], url: &str, dir: &std::path::Path| {
        let env = env(url, dir);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        command(args, &env)
    };
    let restore = ["restore", file.to_str().unwrap()];
    let out = run(&restore, &url, &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let restored = emails_in(&url, &dir);
    for email in &before {
        assert!(
            restored.contains(email),
            "{email} acknowledged before the backup"
        );
    }
    assert!(restored.len() >= before.len() && restored.len() <= acked.len());

    // Not over a database without --force; with it, yes.
    let out = run(&restore, &url, &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    let out = run(&["restore", "--force", file.to_str().unwrap()], &url, &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(emails_in(&url, &dir).len(), restored.len());

    // Files that are not backups: random bytes, and a database that is not one.
    let junk = app.data_dir.join("junk.bin");
    std::fs::write(&junk, b"PK\x03\x04 this is a zip file, or so it says").unwrap();
    let (url2, dir2) = empty_database(&app, "refused");
    for stranger in [junk.to_str().unwrap(), app.database_url.as_str()] {
        if stranger.starts_with("postgres") {
            continue;
        }
        let out = run(&["restore", stranger], &url2, &dir2);
        assert_eq!(out.status.code(), Some(1), "{stranger}");
        assert!(
            stderr(&out).contains("is not a rencontres backup"),
            "{}",
            stderr(&out)
        );
    }
    drop_database(&app, &url);
    drop_database(&app, &url2);

    // On SQLite the backup carries the key of the personal links: a server started on
    // the restored data directory opens a link sent before the backup.
    if url.is_empty() {
        let mut settings = rencontres::config::Settings::builtin();
        settings.data_dir = dir.clone();
        settings.server.bind = "127.0.0.1:0".into();
        settings.server.workers = 1;
        settings.demo.seed_when_empty = false;
        settings.mail.worker = false;
        let server = tokio::task::spawn_blocking(move || {
            rencontres::app::Application::build(settings).unwrap()
        })
        .await
        .unwrap();
        let base = format!("http://127.0.0.1:{}", server.port());
        tokio::spawn(server.run_until_stopped());
        let link = &acked[0].1;
        let path = &link[link.find("/r/").unwrap()..];
        let res = app
            .client
            .get(format!("{base}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn tokens_expire_are_listed_revoked_and_record_their_last_use() {
    let app = spawn_empty_app().await;
    let (email, _) = app.user(rencontres::auth::Role::Organiser).await;
    let create = |extra: &[&str]| {
        let mut args = vec!["token", "create", "--email", email.as_str()];
        args.extend_from_slice(extra);
        rencontres(&app, &args, "")
    };
    let out = create(&["--label", "scanner", "--expires-in", "30"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let scanner = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let out = create(&["--label", "forever"]);
    let forever = String::from_utf8(out.stdout).unwrap().trim().to_string();
    for bad in ["0", "3651", "-2"] {
        let out = create(&[&format!("--expires-in={bad}")]);
        assert_eq!(out.status.code(), Some(1), "{bad}: {}", stderr(&out));
    }
    assert!(stderr(&create(&["--expires-in", "0"])).contains("1 to 3650"));

    let list = |args: &[&str]| {
        let mut all = vec!["token", "list"];
        all.extend_from_slice(args);
        let out = rencontres(&app, &all, "");
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    let text = list(&[]);
    let line = |text: &str, label: &str| {
        text.lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("{label} in {text}"))
            .to_string()
    };
    let in_30_days = (chrono::Utc::now() + chrono::Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    assert!(text.starts_with("ID"), "{text}");
    let scanner_line = line(&text, "scanner");
    assert!(scanner_line.contains(&format!("{email} (organiser)")));
    assert!(scanner_line.contains(&in_30_days), "{scanner_line}");
    assert!(scanner_line.trim_end().ends_with("never"), "not used yet");
    assert!(line(&text, "forever").contains("never"));
    assert!(
        list(&["--email", "someone-else@example.org"])
            .lines()
            .count()
            == 1
    );
    let scanner_id = scanner_line.split_whitespace().next().unwrap().to_string();

    // A use is written down, once: more uses in the same minute change nothing.
    let me = |token: String| {
        let req = app.api(Method::GET, "/api/v1/me", Some(&token));
        async move { req.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(me(scanner.clone()).await, 200);
    let last_used = || {
        let token_id = scanner_id.clone();
        app.with_db(move |c| {
            use diesel::prelude::*;
            use rencontres::db::schema::api_tokens::dsl::*;
            api_tokens
                .find(token_id)
                .select(last_used_at)
                .first::<Option<chrono::NaiveDateTime>>(c)
                .unwrap()
        })
    };
    let first = last_used().await.expect("the first use is recorded");
    assert!(!line(&list(&[]), "scanner").trim_end().ends_with("never"));
    tokio::time::sleep(Duration::from_millis(5_200)).await; // past the 5 s memory of owners
    for _ in 0..20 {
        assert_eq!(me(scanner.clone()).await, 200);
    }
    assert_eq!(last_used().await, Some(first), "at most once a minute");

    // An expired token is refused.
    app.with_db(|c| {
        use diesel::prelude::*;
        use rencontres::db::schema::api_tokens::dsl::*;
        diesel::update(api_tokens.filter(label.eq("forever")))
            .set(expires_at.eq(Some(
                chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1),
            )))
            .execute(c)
            .unwrap();
    })
    .await;
    assert_eq!(me(forever).await, 401);
    assert!(line(&list(&[]), "forever").contains("expired"));

    // Revoked by id: refused within the servers' 5 s memory of owners.
    let out = rencontres(&app, &["token", "revoke", &scanner_id], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!list(&[]).contains("scanner"));
    let deadline = Instant::now() + Duration::from_secs(8);
    while me(scanner.clone()).await != 401 {
        assert!(Instant::now() < deadline, "still accepted after revocation");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let out = rencontres(&app, &["token", "revoke", &scanner_id], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no token"));
}
