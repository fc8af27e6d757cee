//! Spawns the real application on a random port with its own database: a SQLite file in a
//! temporary folder, or, when TEST_DATABASE_URL names a PostgreSQL server, a fresh database
//! on it. Either is removed when the test's `TestApp` is dropped.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use diesel::{Connection, PgConnection, RunQueryDsl};
use rencontres::app::Application;
use rencontres::auth::{self, Role};
use rencontres::config::Settings;
use reqwest::header::{HeaderMap, COOKIE, SET_COOKIE};
use reqwest::{Response, StatusCode};

pub enum TestDb {
    Sqlite { dir: PathBuf },
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    fn new() -> (Self, String, PathBuf) {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let dir = std::env::temp_dir().join(format!("rencontres-test-{id}"));
        std::fs::create_dir_all(&dir).unwrap();
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if admin_url.starts_with("postgres") => {
                let name = format!("rencontres_test_{id}");
                let mut admin =
                    PgConnection::establish(&admin_url).expect("TEST_DATABASE_URL is reachable");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .unwrap();
                let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
                let url = format!("{base}/{name}");
                (TestDb::Postgres { admin_url, name }, url, dir)
            }
            _ => {
                let url = dir.join("test.db").to_string_lossy().into_owned();
                (TestDb::Sqlite { dir: dir.clone() }, url, dir)
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self {
            TestDb::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            TestDb::Postgres { admin_url, name } => {
                if let Ok(mut admin) = PgConnection::establish(admin_url) {
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut admin);
                }
            }
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub client: reqwest::Client,
    jar: Mutex<HashMap<String, String>>,
    /// Kept for its `Drop`, which removes the database.
    _db: TestDb,
}

/// How to start the app.
pub struct Options {
    pub demo: bool,
    pub login_attempts: u32,
    /// Empty: emails are written as .eml files in the data directory.
    pub smtp_url: String,
    pub forms_per_minute: u32,
    pub mail_attempts: i32,
    pub mail_retry_seconds: i64,
    /// Addresses whose X-Forwarded-For is believed.
    pub trusted_proxies: Vec<String>,
    /// The scraper's token for /metrics (empty: staff only).
    pub metrics_token: String,
    /// Whether this process sends the outbox.
    pub mail_worker: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            demo: true,
            login_attempts: 1000,
            smtp_url: String::new(),
            forms_per_minute: 10_000,
            mail_attempts: 8,
            mail_retry_seconds: 0,
            trusted_proxies: Vec::new(),
            metrics_token: String::new(),
            mail_worker: true,
        }
    }
}

/// The app with the demo edition (raict-2023) loaded.
pub async fn spawn_app() -> TestApp {
    spawn_with(Options::default()).await
}

/// The app with an empty database.
pub async fn spawn_empty_app() -> TestApp {
    spawn_with(Options {
        demo: false,
        ..Options::default()
    })
    .await
}

pub async fn spawn_with(options: Options) -> TestApp {
    let (db, database_url, data_dir) = TestDb::new();
    let mut settings = Settings::builtin();
    settings.server.bind = "127.0.0.1:0".into();
    settings.server.workers = 2;
    // Every read checks the database, so changes made by the command line show at once.
    settings.server.cache_trust_ms = 0;
    settings.database.url = database_url.clone();
    settings.database.pool_size = 4;
    settings.data_dir = data_dir.clone();
    settings.demo.seed_when_empty = options.demo;
    settings.security.login_attempts = options.login_attempts;
    settings.security.public_forms_per_minute = options.forms_per_minute;
    settings.mail.smtp_url = options.smtp_url;
    settings.mail.max_attempts = options.mail_attempts;
    settings.mail.retry_seconds = options.mail_retry_seconds;
    settings.mail.poll_ms = 50;
    settings.mail.worker = options.mail_worker;
    settings.security.trusted_proxies = options.trusted_proxies;
    settings.metrics.token = options.metrics_token;
    settings.mail.from = "Rencontres <inscriptions@rencontres.test>".into();
    let app = tokio::task::spawn_blocking(move || Application::build(settings))
        .await
        .unwrap()
        .expect("the application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        database_url,
        data_dir,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        jar: Mutex::new(HashMap::new()),
        _db: db,
    }
}

/// The value of `name="csrf_token" value="…"` in a page.
pub fn csrf_in(html: &str) -> String {
    let at = html
        .find("name=\"csrf_token\" value=\"")
        .expect("the page has a CSRF field");
    let rest = &html[at + "name=\"csrf_token\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Runs blocking work on the app's database (to prepare accounts and tokens).
    pub async fn with_db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut rencontres::db::DbConnection) -> T + Send + 'static,
    ) -> T {
        let url = self.database_url.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = rencontres::db::Manager::new(&url).open().unwrap();
            f(&mut conn)
        })
        .await
        .unwrap()
    }

    /// Creates an account and returns its email and password.
    pub async fn user(&self, role: Role) -> (String, String) {
        let email = format!(
            "{}-{}@example.org",
            role.code(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        let password = "a long enough password".to_string();
        let (e, p) = (email.clone(), password.clone());
        self.with_db(move |c| auth::create_user(c, &e, &p, role).unwrap())
            .await;
        (email, password)
    }

    /// An API token for a new account with this role.
    pub async fn token(&self, role: Role) -> String {
        let (email, _) = self.user(role).await;
        self.with_db(move |c| auth::create_api_token(c, &email, "test").unwrap())
            .await
    }

    fn cookie_header(&self) -> String {
        self.jar
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&self, headers: &HeaderMap) {
        let mut jar = self.jar.lock().unwrap();
        for value in headers.get_all(SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || text.contains("Max-Age=0") {
                jar.remove(name);
            } else {
                jar.insert(name.to_string(), value.to_string());
            }
        }
    }

    pub fn forget_cookies(&self) {
        self.jar.lock().unwrap().clear();
    }

    /// A browser-like GET: sends and keeps cookies.
    pub async fn get(&self, path: &str) -> Response {
        let res = self
            .client
            .get(self.url(path))
            .header(COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.keep_cookies(res.headers());
        res
    }

    pub async fn get_text(&self, path: &str) -> (StatusCode, String) {
        let res = self.get(path).await;
        (res.status(), res.text().await.unwrap())
    }

    /// A browser-like form POST (the caller includes csrf_token when it wants one).
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Response {
        let res = self
            .client
            .post(self.url(path))
            .header(COOKIE, self.cookie_header())
            .form(form)
            .send()
            .await
            .unwrap();
        self.keep_cookies(res.headers());
        res
    }

    /// A script's JSON POST from a logged-in page: the cookies, and the page's CSRF token
    /// in `X-CSRF-Token` when given.
    pub async fn post_json_with_cookie(
        &self,
        path: &str,
        body: &serde_json::Value,
        csrf: Option<&str>,
    ) -> Response {
        let mut req = self
            .client
            .post(self.url(path))
            .header(COOKIE, self.cookie_header())
            .json(body);
        if let Some(token) = csrf {
            req = req.header("X-CSRF-Token", token);
        }
        req.send().await.unwrap()
    }

    /// The CSRF token of a page that has a form.
    pub async fn csrf(&self, path: &str) -> String {
        let (status, html) = self.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        csrf_in(&html)
    }

    /// Logs in through the login form; the session cookie stays in this app's jar.
    pub async fn login(&self, email: &str, password: &str) -> Response {
        let token = self.csrf("/login").await;
        self.post_form(
            "/login",
            &[
                ("csrf_token", &token),
                ("email", email),
                ("password", password),
                ("next", "/admin"),
            ],
        )
        .await
    }

    /// Creates an account with this role and logs in with it.
    pub async fn login_as(&self, role: Role) -> String {
        let (email, password) = self.user(role).await;
        let res = self.login(&email, &password).await;
        assert_eq!(res.status(), 303, "login as {role:?}");
        email
    }

    pub fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let mut r = self.client.request(method, self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r
    }

    pub async fn programme(&self, slug: &str) -> serde_json::Value {
        let res = self
            .api(
                reqwest::Method::GET,
                &format!("/api/v1/editions/{slug}/programme"),
                None,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }
}

/// The demo document, as shipped.
pub fn demo_document() -> serde_json::Value {
    serde_json::from_str(rencontres::app::DEMO_PROGRAMME).unwrap()
}

/// A small valid programme to change in tests.
pub fn small_document(slug: &str) -> serde_json::Value {
    serde_json::json!({
        "edition": {"slug": slug, "number": 15, "year": 2024, "title": "15e Rencontres", "theme": "Coopérer",
                    "venue": "Paris", "timezone": "Europe/Paris", "days": ["2024-10-07", "2024-10-08"]},
        "rooms": [{"key": "auditorium", "name": "Auditorium", "capacity": 300},
                  {"key": "salle-a", "name": "Salle A", "capacity": 40}],
        "people": [{"key": "ana", "name": "Ana Ruiz", "function": "Maire", "organisation": "Ville de Rosario", "country": "AR"},
                   {"key": "jean", "name": "Jean Martin", "function": "", "organisation": "CUF", "country": "FR"}],
        "sessions": [
            {"key": "s1", "kind": "plenary", "title": "Ouverture", "abstract": "", "day": "2024-10-07", "start": "09:30",
             "end": "11:00", "room": "auditorium", "languages": ["fr", "es"], "partners": [], "capacity": null,
             "people": [{"person": "jean", "role": "opening"}]},
            {"key": "s2", "kind": "workshop", "title": "Atelier climat", "abstract": "Un atelier.", "day": "2024-10-07",
             "start": "11:30", "end": "13:00", "room": "salle-a", "languages": ["fr"], "partners": ["AFD"], "capacity": 30,
             "people": [{"person": "ana", "role": "speaker"}]},
            {"key": "s3", "kind": "conference", "title": "Amérique latine", "abstract": "", "day": "2024-10-07",
             "start": "11:30", "end": "13:00", "room": "auditorium", "languages": ["es"], "partners": [], "capacity": null,
             "people": [{"person": "jean", "role": "moderator"}]}
        ]
    })
}

/// The small programme, in 2030, so that its registration window is open.
pub fn future_document(slug: &str) -> serde_json::Value {
    let text = small_document(slug)
        .to_string()
        .replace("2024-10-0", "2030-10-0");
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["edition"]["year"] = 2030.into();
    doc
}

/// A complete, valid registration for the small programme.
pub fn registrant(email: &str) -> serde_json::Value {
    serde_json::json!({
        "civility": "mme", "first_name": "Aminata", "last_name": "Diallo", "email": email,
        "function": "elected", "organisation": "Ville de Dakar",
        "organisation_type": "foreign_local_government", "country": "SN", "cuf_member": false,
        "days": ["2030-10-07"], "lunch": true, "accessibility": "", "sessions": ["s2"],
        "lang": "fr", "consent_privacy": true, "consent_photo": false
    })
}

/// The day `n` days before today in Paris, as `YYYY-MM-DD`.
pub fn paris_day(days_ago: i64) -> String {
    (chrono::Utc::now().with_timezone(&chrono_tz::Europe::Paris) - chrono::Duration::days(days_ago))
        .date_naive()
        .to_string()
}

/// Registration kept open for tests of past editions: a year from today (registration
/// dates stay within two years of the edition or of today).
pub fn a_year_ahead() -> String {
    format!("{}T00:00:00", paris_day(-365))
}

/// The small programme held the day before yesterday and yesterday: scans can then carry
/// any time of those days, all in the past.
pub fn desk_document(slug: &str) -> serde_json::Value {
    let text = small_document(slug)
        .to_string()
        .replace("2024-10-07", &paris_day(2))
        .replace("2024-10-08", &paris_day(1));
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["edition"]["year"] = paris_day(2)[..4].parse::<i32>().unwrap().into();
    doc
}

impl TestApp {
    /// Imports a programme through the API with an organiser token; returns the token.
    pub async fn import(&self, doc: &serde_json::Value) -> String {
        let token = self.token(Role::Organiser).await;
        let res = self
            .api(reqwest::Method::POST, "/api/v1/programme", Some(&token))
            .json(doc)
            .send()
            .await
            .unwrap();
        assert!(
            res.status().is_success(),
            "import: {}",
            res.text().await.unwrap()
        );
        token
    }

    /// Posts a registration to the public API.
    pub async fn register(&self, slug: &str, body: &serde_json::Value) -> Response {
        self.api(
            reqwest::Method::POST,
            &format!("/api/v1/editions/{slug}/registrations"),
            None,
        )
        .json(body)
        .send()
        .await
        .unwrap()
    }

    /// Sets registration settings through the API.
    pub async fn set_registration(&self, slug: &str, token: &str, settings: serde_json::Value) {
        let mut body = serde_json::json!({"opens_at": null, "closes_at": null, "capacity": null,
                                          "privacy_notice": "", "retention_days": 365});
        for (k, v) in settings.as_object().unwrap() {
            body[k] = v.clone();
        }
        let res = self
            .api(
                reqwest::Method::PUT,
                &format!("/api/v1/editions/{slug}/registration-settings"),
                Some(token),
            )
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }

    /// The token of a registration's current badge, read from the QR code of their page.
    pub async fn badge_token(&self, manage_url: &str) -> String {
        let path = &manage_url[manage_url.find("/r/").unwrap()..];
        let (_, html) = self.get_text(path).await;
        let at = html
            .find("data-token=\"")
            .expect("the QR code carries its token");
        let rest = &html[at + 12..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    /// Registers someone for a desk edition (its days in the past, the window kept open);
    /// returns the registration's id and badge token.
    pub async fn desk_registrant(&self, slug: &str, body: serde_json::Value) -> (String, String) {
        let mut body = body;
        body["days"] = serde_json::json!([paris_day(2)]);
        let res = self.register(slug, &body).await;
        assert_eq!(res.status(), 201, "registration");
        let created: serde_json::Value = res.json().await.unwrap();
        let token = self
            .badge_token(created["manage_url"].as_str().unwrap())
            .await;
        (created["id"].as_str().unwrap().to_string(), token)
    }

    /// Posts a check-in with a token; returns the status and the answer.
    pub async fn checkin(&self, token: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        let res = self
            .api(reqwest::Method::POST, "/api/v1/checkins", Some(token))
            .header("Accept-Language", "fr")
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// The `.eml` files written so far (no SMTP server configured).
    pub fn eml_files(&self) -> Vec<String> {
        let dir = self.data_dir.join("outbox");
        let mut out: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .map(|e| std::fs::read_to_string(e.path()).unwrap())
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }
}
