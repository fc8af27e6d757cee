//! Builds the application: pool, migrations, demo data, and the HTTP server.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress, Next};
use actix_web::{web, App, HttpServer};

use crate::auth::RateLimiter;
use crate::config::Settings;
use crate::db::{self, Pool};
use crate::programme::{self, ProgrammeCache};

/// Shared by every request.
pub struct AppState {
    pub pool: Pool,
    pub settings: Settings,
    pub programmes: ProgrammeCache,
    pub login_limiter: RateLimiter,
    /// Submissions of public forms per client address.
    pub form_limiter: RateLimiter,
    /// Signs manage links (see `registrations::links`).
    pub secret: Vec<u8>,
    /// Wakes the outbox worker after a commit that queued mail.
    pub mail_signal: std::sync::Arc<crate::mail::Signal>,
    /// Writes public registrations in batches.
    pub registrar: crate::registrations::registrar::Registrar,
    /// Writes check-ins in batches; knows the badge keys.
    pub desk: crate::checkin::Desk,
    /// Who recent tokens and session cookies belong to.
    pub identities: crate::auth::Identities,
    /// Checkpoints the SQLite WAL off the write path (none on PostgreSQL).
    pub checkpointer: Option<db::Checkpointer>,
    /// Requests counted for `/metrics`.
    pub requests: std::sync::Arc<crate::ops::metrics::Requests>,
}

/// The key that signs manage links: from the settings, else from `<data_dir>/secret.key`,
/// made on first start (readable by its owner only).
pub fn load_secret(settings: &Settings) -> std::io::Result<Vec<u8>> {
    if !settings.security.secret_key.is_empty() {
        return Ok(settings.security.secret_key.as_bytes().to_vec());
    }
    let path = settings.data_dir.join("secret.key");
    match std::fs::read(&path) {
        Ok(bytes) if bytes.len() >= 32 => Ok(bytes),
        _ => {
            let mut key = [0u8; 32];
            getrandom::fill(&mut key).map_err(|e| std::io::Error::other(e.to_string()))?;
            let text = key.iter().map(|b| format!("{b:02x}")).collect::<String>();
            crate::owner_only::write(&path, text.as_bytes())?;
            Ok(text.into_bytes())
        }
    }
}

/// An edition's programme for display: from memory when fresh, else checked against the
/// database on a blocking thread.
pub async fn programme(
    state: &web::Data<AppState>,
    slug: String,
) -> Result<std::sync::Arc<programme::Programme>, crate::error::AppError> {
    if let Some(p) = state.programmes.fresh(&slug) {
        return Ok(p);
    }
    let st = state.clone();
    crate::error::blocking(move || st.programmes.get(&mut *st.pool.get()?, &slug)).await
}

/// The demo: the 14th edition as it really ran (Paris, 18–19 September 2023).
pub const DEMO_PROGRAMME: &str = include_str!("../data/demo/raict-2023.json");

const DEMO_PRIVACY_NOTICE: &str = "Cités Unies France traite vos données pour organiser les Rencontres : inscription, badge, accueil, statistiques anonymes. Elles ne sont ni vendues ni cédées. Vous pouvez les consulter, les corriger ou les faire effacer à tout moment depuis votre lien personnel ou en écrivant aux organisateurs. Elles sont effacées un an après l'événement.";

/// Loads the demo edition when the database holds no edition at all.
pub fn seed_demo_if_empty(pool: &Pool) -> Result<bool, Box<dyn std::error::Error + Send + Sync>> {
    let mut conn = pool.get()?;
    if !programme::list_editions(&mut conn)?.is_empty() {
        return Ok(false);
    }
    let doc = programme::document::parse(DEMO_PROGRAMME).map_err(|p| p.to_string())?;
    let outcome = programme::import(&mut conn, doc, false).map_err(|r| format!("{r:?}"))?;
    let edition = programme::find_edition(&mut conn, &outcome.slug)?;
    // The demo edition is in the past; its registration is opened for a year so that the
    // form can be tried.
    let opens = crate::registrations::now();
    crate::registrations::update_settings(
        &mut conn,
        &edition.id,
        &crate::registrations::SettingsChange {
            opens_at: Some(opens),
            closes_at: Some(opens + chrono::Duration::days(365)),
            capacity: Some(600),
            privacy_notice: DEMO_PRIVACY_NOTICE.into(),
            retention_days: 365,
        },
        crate::i18n::Lang::Fr,
    )?;
    Ok(true)
}

pub const MAX_BODY_BYTES: usize = 16 << 20;
const MAX_FORM_BYTES: usize = 1 << 20;

pub struct Application {
    port: u16,
    server: Server,
    mail: Option<crate::mail::worker::Worker>,
}

impl Application {
    /// Opens the database (migrating it), seeds the demo when configured, binds the
    /// listener (port 0 picks a free one) and builds the server.
    pub fn build(settings: Settings) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        crate::owner_only::create_dir(&settings.data_dir)?;
        let (pool, checkpointer) =
            db::connect_server(&settings.database_url(), settings.database.pool_size)?;
        if settings.demo.seed_when_empty && seed_demo_if_empty(&pool)? {
            tracing::info!("loaded the demo edition raict-2023");
        }
        let listener = TcpListener::bind(&settings.server.bind)?;
        let port = listener.local_addr()?.port();
        let workers = match settings.server.workers {
            0 => std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            n => n,
        };
        let programmes = ProgrammeCache::new(Duration::from_millis(settings.server.cache_trust_ms));
        let state = std::sync::Arc::new(AppState {
            login_limiter: RateLimiter::new(
                settings.security.login_attempts,
                Duration::from_secs(settings.security.login_window_seconds),
            ),
            form_limiter: RateLimiter::new(
                settings.security.public_forms_per_minute,
                Duration::from_secs(60),
            ),
            secret: load_secret(&settings)?,
            mail_signal: Default::default(),
            registrar: crate::registrations::registrar::Registrar::start(pool.clone())?,
            desk: crate::checkin::Desk::start(pool.clone())?,
            identities: crate::auth::Identities::new(std::time::Duration::from_secs(5)),
            checkpointer,
            requests: Default::default(),
            pool,
            settings,
            programmes,
        });
        let mail = if state.settings.mail.worker {
            Some(crate::mail::worker::spawn(&state)?)
        } else {
            None
        };
        let shutdown_seconds = state.settings.server.shutdown_seconds;
        let state = web::Data::from(state);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                // A whole programme document is a few hundred kilobytes; allow room to grow.
                .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
                .app_data(crate::fallback::form_config(MAX_FORM_BYTES))
                .app_data(crate::fallback::query_config())
                .app_data(crate::fallback::path_config())
                .app_data(crate::fallback::json_config())
                .wrap(from_fn(crate::fallback::shape_errors))
                .wrap(crate::web::security_headers())
                .wrap(from_fn(remember_language))
                .wrap(Compress::default())
                .wrap(from_fn(log_request))
                .wrap(crate::ops::metrics::Track(state.requests.clone()))
                .configure(crate::routes::configure)
                .default_service(web::to(crate::fallback::no_route))
        })
        // Without TCP_NODELAY a large body written after its headers can wait for the
        // client's delayed ACK (40 ms on Linux) before its last segment leaves.
        .on_connect(|conn, _| {
            if let Some(tcp) = conn.downcast_ref::<actix_web::rt::net::TcpStream>() {
                let _ = tcp.set_nodelay(true);
            }
        })
        .workers(workers)
        .shutdown_timeout(shutdown_seconds)
        .listen(listener)?
        .run();
        Ok(Application { port, server, mail })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until a stop signal; then the requests in flight finish, and so do the
    /// emails being sent, before this returns.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        if let Some(mail) = self.mail {
            let _ = actix_web::rt::task::spawn_blocking(move || mail.stop()).await;
        }
        served
    }
}

/// `?lang=en` on any page is remembered in a cookie for the next pages.
async fn remember_language(
    req: actix_web::dev::ServiceRequest,
    next: Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let asked = crate::i18n::query_lang(req.query_string());
    let mut res = next.call(req).await?;
    if let Some(lang) = asked {
        let cookie = actix_web::cookie::Cookie::build(crate::i18n::LANG_COOKIE, lang.code())
            .path("/")
            .same_site(actix_web::cookie::SameSite::Lax)
            .max_age(actix_web::cookie::time::Duration::days(365))
            .finish();
        res.response_mut().add_cookie(&cookie)?;
    }
    Ok(res)
}

/// One line per request: method, path (secrets left out), status, duration.
async fn log_request(
    req: actix_web::dev::ServiceRequest,
    next: Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let started = std::time::Instant::now();
    let method = req.method().clone();
    let res = next.call(req).await?;
    let path = crate::web::loggable_path(res.request());
    tracing::info!(
        method = %method,
        path = %path,
        status = res.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    Ok(res)
}
