//! Layered settings: the built-in `config/default.toml`, then `config/default.toml` and
//! `config/<RENCONTRES_ENV>.toml` from the working directory when present, then
//! `RENCONTRES__SECTION__KEY` variables, then `DATABASE_URL` and `RENCONTRES_DATA_DIR`.
//! Command-line flags are applied last by `main`.

use std::path::{Path, PathBuf};

use config::{Config, Environment, File, FileFormat};
use serde::Deserialize;

const BUILTIN: &str = include_str!("../config/default.toml");

/// Everything the service reads at start.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub security: SecuritySettings,
    pub log: LogSettings,
    pub demo: DemoSettings,
    pub mail: MailSettings,
    pub metrics: MetricsSettings,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    pub bind: String,
    pub workers: usize,
    pub cookie_secure: bool,
    pub public_url: String,
    /// How long a programme held in memory is served without asking the database.
    pub cache_trust_ms: u64,
    /// On SIGTERM, how long requests in flight may take to finish.
    pub shutdown_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SecuritySettings {
    pub login_attempts: u32,
    pub login_window_seconds: u64,
    /// Addresses of reverse proxies whose X-Forwarded-For is believed.
    pub trusted_proxies: Vec<String>,
    pub session_hours: i64,
    /// Signs the registrants' manage links. Empty: a random key kept in
    /// `<data_dir>/secret.key`, made on first start.
    pub secret_key: String,
    /// Submissions of public forms allowed per client address and minute.
    pub public_forms_per_minute: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MailSettings {
    /// Empty: messages are written as `.eml` files under `<data_dir>/outbox`.
    pub smtp_url: String,
    pub from: String,
    pub reply_to: String,
    /// Sends tried before a message is marked dead.
    pub max_attempts: i32,
    /// Wait before the first retry; it doubles at each attempt.
    pub retry_seconds: i64,
    /// Messages taken per round.
    pub batch: i64,
    /// Messages sent at the same time, each over its own SMTP connection.
    pub senders: usize,
    /// How often the worker looks for due messages when nothing wakes it.
    pub poll_ms: u64,
    /// Whether this process sends the outbox (several may, on one database).
    pub worker: bool,
    /// How long a message being sent stays claimed by its process. Past it, a message
    /// still marked as being sent was interrupted (its process died) and is held.
    pub lease_seconds: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MetricsSettings {
    /// A bearer token that may read `/metrics` without a staff account; empty: staff only.
    pub token: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    pub format: String,
    pub filter: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DemoSettings {
    pub seed_when_empty: bool,
}

impl Settings {
    /// The built-in defaults alone, ignoring files and environment (tests start from this).
    pub fn builtin() -> Self {
        Config::builder()
            .add_source(File::from_str(BUILTIN, FileFormat::Toml))
            .build()
            .and_then(Config::try_deserialize)
            .expect("the built-in configuration is valid")
    }

    /// Every layer, read from `dir` (normally the working directory) and the environment.
    pub fn load(dir: &Path) -> Result<Self, config::ConfigError> {
        let env_name = std::env::var("RENCONTRES_ENV").unwrap_or_else(|_| "local".into());
        let mut settings: Settings = Config::builder()
            .add_source(File::from_str(BUILTIN, FileFormat::Toml))
            .add_source(File::from(dir.join("config/default.toml")).required(false))
            .add_source(File::from(dir.join(format!("config/{env_name}.toml"))).required(false))
            .add_source(
                Environment::with_prefix("RENCONTRES")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true),
            )
            .build()?
            .try_deserialize()?;
        if let Ok(url) = std::env::var("DATABASE_URL") {
            settings.database.url = url;
        }
        if let Ok(dir) = std::env::var("RENCONTRES_DATA_DIR") {
            settings.data_dir = dir.into();
        }
        Ok(settings)
    }

    /// The database URL in force: the configured one, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.database.url.trim().is_empty() {
            self.data_dir
                .join("rencontres.db")
                .to_string_lossy()
                .into_owned()
        } else {
            self.database.url.clone()
        }
    }

    /// Public base URL without a trailing slash ("" when unset).
    pub fn public_url(&self) -> &str {
        self.server.public_url.trim_end_matches('/')
    }

    /// The address links in emails start with: the public URL, or the bound address.
    pub fn link_base(&self) -> String {
        match self.public_url() {
            "" => format!("http://{}", self.server.bind),
            url => url.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_defaults_serve_locally_on_sqlite() {
        let s = Settings::builtin();
        assert_eq!(s.server.bind, "127.0.0.1:8080");
        assert!(s.server.cookie_secure);
        assert!(s.database_url().ends_with("rencontres.db"));
        assert!(s.demo.seed_when_empty);
    }
}
