//! Every refusal follows the error policy: `{code, message}` JSON on `/api/...`, an HTML
//! error page elsewhere, whatever refused the request (a handler, an extractor, the router).

use reqwest::Method;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::spawn_app;
use rencontres::auth::Role;

/// Sends a request that announces a body over the limit (and sends only its first bytes),
/// then reads the whole answer: status line, headers and body.
async fn oversized(address: &str, head: &str) -> (u16, String, String) {
    let host = address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let request = format!(
        "{head}\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{{\"a\":",
        17 << 20
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut raw),
    )
    .await;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (headers, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = headers[9..12].parse().unwrap();
    (status, headers.to_ascii_lowercase(), body.to_string())
}

fn json_error(body: &str) -> Value {
    let v: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("JSON body: {body}"));
    assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    v
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_in_the_callers_shape() {
    let app = spawn_app().await;
    let token = app.token(Role::Desk).await;

    let (status, headers, body) = oversized(
        &app.address,
        "POST /api/v1/editions/raict-2023/registrations HTTP/1.1\r\nContent-Type: application/json",
    )
    .await;
    assert_eq!(status, 413);
    assert!(
        headers.contains("content-type: application/json"),
        "{headers}"
    );
    assert_eq!(json_error(&body)["code"], "payload_too_large");

    let head = format!(
        "POST /api/v1/checkins HTTP/1.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json"
    );
    let (status, _, body) = oversized(&app.address, &head).await;
    assert_eq!(status, 413);
    assert_eq!(json_error(&body)["code"], "payload_too_large");

    let (status, headers, body) = oversized(
        &app.address,
        "POST /editions/raict-2023/register HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded",
    )
    .await;
    assert_eq!(status, 413);
    assert!(headers.contains("content-type: text/html"), "{headers}");
    assert!(body.contains("<html"), "{body}");
}

#[tokio::test]
async fn a_wrong_method_is_405_with_allow() {
    let app = spawn_app().await;
    let organiser = app.token(Role::Organiser).await;

    let res = app
        .api(Method::PATCH, "/api/v1/editions", Some(&organiser))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "GET, HEAD, POST");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "method_not_allowed");

    // A public path and the organisers' methods on the same pattern.
    let res = app
        .api(
            Method::POST,
            "/api/v1/editions/raict-2023",
            Some(&organiser),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "GET, HEAD, PUT, DELETE");
    assert_eq!(
        res.json::<Value>().await.unwrap()["code"],
        "method_not_allowed"
    );

    // Pages answer with a page.
    let res = app.client.delete(app.url("/login")).send().await.unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "GET, HEAD, POST");
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(res.text().await.unwrap().contains("<html"));
}

#[tokio::test]
async fn unknown_paths_and_unreadable_parameters_follow_the_policy() {
    let app = spawn_app().await;
    let organiser = app.token(Role::Organiser).await;

    let res = app
        .api(Method::GET, "/api/v1/nothing-here", Some(&organiser))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "not_found");
    let res = app.api(Method::GET, "/api/v2", None).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "not_found");
    let (status, html) = app.get_text("/nothing-here").await;
    assert_eq!(status, 404);
    assert!(html.contains("<html"));

    // A path segment that is not UTF-8 names nothing.
    let res = app
        .api(Method::GET, "/api/v1/editions/%FF/programme", None)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "not_found");
    let (status, html) = app.get_text("/editions/%FF/programme").await;
    assert_eq!(status, 404);
    assert!(html.contains("<html"));

    // A query that does not parse.
    let res = app
        .api(
            Method::PUT,
            "/api/v1/editions/raict-2023/rooms/salle-a?force=maybe",
            Some(&organiser),
        )
        .json(&serde_json::json!({"key": "salle-a", "name": "A", "capacity": 10}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "bad_request", "{body}");
    let (status, html) = app.get_text("/login?next=/a&next=/b").await;
    assert_eq!(status, 400);
    assert!(html.contains("<html"));
}
