//! Badges: the signed token verifies offline with the published key and at the desk;
//! altered, forged, re-issued and erased badges are told apart; PDFs come out whole.

use base64::Engine;
use ed25519_dalek::Verifier;
use rencontres::auth::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{future_document, registrant, spawn_empty_app, TestApp};

async fn verify(app: &TestApp, desk: &str, token: &str) -> Value {
    let res = app
        .api(Method::POST, "/api/v1/badges/verify", Some(desk))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_badge_verifies_offline_and_at_the_desk_and_nothing_else_does() {
    let app = spawn_empty_app().await;
    let organiser = app.import(&future_document("b30")).await;
    let desk = app.token(Role::Desk).await;
    let created: Value = app
        .register("b30", &registrant("badge@b.fr"))
        .await
        .json()
        .await
        .unwrap();
    let token = app
        .badge_token(created["manage_url"].as_str().unwrap())
        .await;
    assert!(token.starts_with("RC1"));
    assert!(
        !token.to_lowercase().contains("diallo"),
        "no personal data in the token"
    );

    // Offline: the published key checks the signature.
    let key: Value = app
        .api(Method::GET, "/api/v1/editions/b30/badge-key", None)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(key["algorithm"], "Ed25519");
    let public: [u8; 32] = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(key["public_key"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let public = ed25519_dalek::VerifyingKey::from_bytes(&public).unwrap();
    let bytes = data_encoding::BASE32_NOPAD
        .decode(&token.as_bytes()[3..])
        .unwrap();
    let mut signed = b"rencontres-badge-v1".to_vec();
    signed.extend_from_slice(&bytes[..18]);
    let signature = ed25519_dalek::Signature::from_slice(&bytes[18..]).unwrap();
    assert!(public.verify(&signed, &signature).is_ok());
    assert_eq!(
        key["key_id"].as_str().unwrap(),
        bytes[..4]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );

    // At the desk.
    let v = verify(&app, &desk, &token).await;
    assert_eq!(v["status"], "valid");
    assert_eq!(v["name"], "Aminata Diallo");
    assert_eq!(v["category"], "participant");
    assert_eq!(v["edition"], "b30");
    // A scanner typing in lower case is forgiven.
    assert_eq!(
        verify(&app, &desk, &token.to_lowercase()).await["status"],
        "valid"
    );

    // One changed byte in the payload: the signature no longer matches.
    let mut altered = bytes.clone();
    altered[10] ^= 1;
    let altered = format!("RC1{}", data_encoding::BASE32_NOPAD.encode(&altered));
    let v = verify(&app, &desk, &altered).await;
    assert_eq!(v["status"], "forged");
    assert!(v["name"].is_null());
    // Not a token at all.
    assert_eq!(verify(&app, &desk, "hello").await["status"], "forged");
    // Signed with a key no edition has.
    let stranger = rencontres::badges::token::generate();
    let forged = rencontres::badges::token::sign(
        &rencontres::badges::token::signing_key(&stranger.secret_key).unwrap(),
        [1; 12],
        1,
    );
    assert_eq!(verify(&app, &desk, &forged).await["status"], "unknown");

    // A re-issued badge: the old token is revoked, the new one valid.
    let id = created["id"].as_str().unwrap();
    let res = app
        .api(
            Method::POST,
            &format!("/api/v1/editions/b30/registrations/{id}/badge"),
            Some(&organiser),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(verify(&app, &desk, &token).await["status"], "revoked");
    let new_token = app
        .badge_token(created["manage_url"].as_str().unwrap())
        .await;
    assert_ne!(new_token, token);
    assert_eq!(verify(&app, &desk, &new_token).await["status"], "valid");

    // Cancelled: revoked. Erased: unknown, and it names no one.
    app.api(
        Method::POST,
        &format!("/api/v1/editions/b30/registrations/{id}/cancel"),
        Some(&organiser),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(verify(&app, &desk, &new_token).await["status"], "revoked");
    app.api(
        Method::DELETE,
        &format!("/api/v1/editions/b30/registrations/{id}/personal-data"),
        Some(&organiser),
    )
    .send()
    .await
    .unwrap();
    let v = verify(&app, &desk, &new_token).await;
    assert_eq!(v["status"], "unknown");
    assert!(v["name"].is_null());
}

#[tokio::test]
async fn badge_pdfs_for_one_and_for_a_print_run() {
    let app = spawn_empty_app().await;
    app.import(&future_document("b30")).await;
    let mut ids = Vec::new();
    for i in 0..6 {
        let created: Value = app
            .register("b30", &registrant(&format!("p{i}@b.fr")))
            .await
            .json()
            .await
            .unwrap();
        ids.push(created["id"].as_str().unwrap().to_string());
    }
    app.login_as(Role::Organiser).await;
    let res = app
        .get(&format!(
            "/admin/editions/b30/registrations/{}/badge.pdf",
            ids[0]
        ))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let one = res.bytes().await.unwrap();
    assert!(one.starts_with(b"%PDF-"));
    assert_eq!(count_pages(&one), 1);

    let all = app
        .get("/admin/editions/b30/badges.pdf")
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(count_pages(&all), 2, "six badges, four to a sheet");
    let picked = app
        .get(&format!(
            "/admin/editions/b30/badges.pdf?id={}&id={}",
            ids[1], ids[2]
        ))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(count_pages(&picked), 1);
}

/// Pages of a PDF: its `/Type /Page` objects (not `/Pages`).
fn count_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}
