//! The operator's command line, run as a real process against the test's database.

use std::io::Write;
use std::process::{Command, Output, Stdio};
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

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
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
