//! The operator's command line, run as a real process against the test's database.

use std::io::Write;
use std::process::{Command, Output, Stdio};

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
