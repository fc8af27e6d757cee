//! The `rencontres` command line: the server and the operator's tasks.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::app::Application;
use crate::auth::{self, Role};
use crate::config::Settings;
use crate::db;
use crate::i18n::Lang;
use crate::ops::backup;
use crate::programme::{self, Refusal};

#[derive(Parser, Debug)]
#[command(
    name = "rencontres",
    version,
    about = "Runs a conference: programme, registration, welcome desk, statistics.",
    long_about = "Runs a conference: programme, registration, welcome desk, statistics.\n\n\
        Settings come from config/default.toml and config/$RENCONTRES_ENV.toml in the working directory \
        when present (built-in defaults otherwise), then RENCONTRES__SECTION__KEY variables. \
        DATABASE_URL=postgres://... selects PostgreSQL; without it a SQLite file under the data directory is used."
)]
pub struct Cli {
    /// Where the SQLite database and generated files live.
    #[arg(long, global = true, env = "RENCONTRES_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Start the web server (the default when no command is given).
    Serve {
        /// Address and port to listen on.
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create or replace an edition from a programme document (JSON), all or nothing.
    ImportProgramme {
        /// The programme document; "-" reads standard input.
        file: PathBuf,
        /// Accept a programme whose sessions conflict (room or person double-booked, ...).
        #[arg(long)]
        allow_conflicts: bool,
    },
    /// Print an edition's programme document (JSON).
    ExportProgramme {
        /// The edition's slug, e.g. raict-2023.
        slug: String,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Print an edition's attendance statistics: a readable report, or the JSON document
    /// of GET /api/v1/editions/{slug}/stats with --json.
    Stats {
        /// The edition's slug, e.g. raict-2023.
        slug: String,
        /// Print the JSON document instead of the report.
        #[arg(long)]
        json: bool,
        /// Language of the headline, country names and labels: en, fr or es.
        #[arg(long, default_value = "en", value_parser = ["en", "fr", "es"])]
        lang: String,
    },
    /// Erase the personal data of every edition whose retention period (set per edition,
    /// counted from its last day) has ended. Anonymous counts remain.
    Purge {
        /// Show what would be erased, erase nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Manage API tokens for machine clients.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Copy the database into FILE while the server keeps serving. SQLite: a consistent
    /// snapshot with the personal links' key, readable by its owner only. PostgreSQL: runs
    /// pg_dump (custom format) when installed, else prints the command to run.
    Backup {
        /// The backup file to create.
        file: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
        /// PostgreSQL: only print the pg_dump command.
        #[arg(long)]
        print: bool,
    },
    /// Restore a backup made by `rencontres backup` into an empty data directory (SQLite)
    /// or an empty database (DATABASE_URL=postgres://...).
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Replace the existing database (stop the servers first). SQLite keeps the old
        /// file beside the new one, renamed.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserAction {
    /// Create an account; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        /// admin, organiser or desk.
        #[arg(long, value_parser = ["admin", "organiser", "desk"])]
        role: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenAction {
    /// Print a new API token for an account (send it as "Authorization: Bearer <token>").
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long, default_value = "")]
        label: String,
        /// The token stops working after this many days (1 to 3650); without it, never.
        #[arg(long, value_name = "DAYS")]
        expires_in: Option<i64>,
    },
    /// List API tokens (never their secret): id, label, owner, created, expires, last used.
    List {
        /// Only the tokens of this account.
        #[arg(long)]
        email: Option<String>,
    },
    /// Revoke one token by its id (see `token list`).
    Revoke { id: String },
}

type CliResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// Runs the command; the exit code is 1 on any failure.
pub fn run(cli: Cli) -> CliResult {
    let mut settings = Settings::load(&std::env::current_dir()?)?;
    if let Some(dir) = cli.data_dir {
        settings.data_dir = dir;
    }
    init_logging(&settings);
    match cli.command.unwrap_or(Command::Serve { bind: None }) {
        Command::Serve { bind } => {
            if let Some(bind) = bind {
                settings.server.bind = bind;
            }
            let rt = actix_web::rt::System::new();
            rt.block_on(async move {
                let app = Application::build(settings)?;
                tracing::info!(port = app.port(), "listening");
                app.run_until_stopped().await?;
                Ok(())
            })
        }
        Command::Migrate => {
            db::connect(&settings.database_url(), 1)?;
            eprintln!("migrations applied");
            Ok(())
        }
        Command::Purge { dry_run } => {
            let pool = db::connect(&settings.database_url(), 1)?;
            let mut conn = pool.get()?;
            let at = crate::registrations::now();
            if dry_run {
                let due = crate::registrations::purge_due(&mut conn, at)?;
                println!("people to erase: {due}");
            } else {
                let erased = crate::registrations::purge(&mut conn, at)?;
                for id in &erased {
                    crate::mail::erase_copies(&mut conn, &settings, id)?;
                }
                println!("people erased: {}", erased.len());
            }
            Ok(())
        }
        Command::ImportProgramme {
            file,
            allow_conflicts,
        } => import(&settings, &file, allow_conflicts),
        Command::ExportProgramme { slug, output } => {
            let pool = db::connect(&settings.database_url(), 1)?;
            let mut conn = pool.get()?;
            let edition = programme::find_edition(&mut conn, &slug)
                .map_err(|_| format!("no edition {slug}"))?;
            let doc = programme::export(&mut conn, &edition)?;
            let json = serde_json::to_string_pretty(&doc)? + "\n";
            match output {
                Some(path) => std::fs::write(path, json)?,
                None => std::io::stdout().write_all(json.as_bytes())?,
            }
            Ok(())
        }
        Command::Stats { slug, json, lang } => {
            let lang = Lang::parse(&lang).unwrap_or(Lang::En);
            let pool = db::connect(&settings.database_url(), 1)?;
            let stats =
                crate::stats::report(&mut *pool.get()?, &slug, lang).map_err(|e| match e {
                    crate::error::AppError::NotFound => format!("no edition {slug}"),
                    other => other.to_string(),
                })?;
            let out = if json {
                serde_json::to_string_pretty(&stats)? + "\n"
            } else {
                crate::stats::export::text(&stats, lang)
            };
            std::io::stdout().write_all(out.as_bytes())?;
            Ok(())
        }
        Command::User {
            action: UserAction::Add { email, role },
        } => {
            let role = Role::parse(&role).ok_or("role must be admin, organiser or desk")?;
            let password = read_password()?;
            let pool = db::connect(&settings.database_url(), 1)?;
            let user =
                auth::create_user(&mut *pool.get()?, &email, &password, role).map_err(describe)?;
            eprintln!("created {} ({})", user.email, user.role.code());
            Ok(())
        }
        Command::Token { action } => token(&settings, action),
        Command::Backup { file, force, print } => take_backup(&settings, &file, force, print),
        Command::Restore { file, force } => restore(&settings, &file, force),
    }
}

fn token(settings: &Settings, action: TokenAction) -> CliResult {
    let pool = db::connect(&settings.database_url(), 1)?;
    let mut conn = pool.get()?;
    match action {
        TokenAction::Create {
            email,
            label,
            expires_in,
        } => {
            let (token, _) = auth::tokens::issue(&mut conn, &email, &label, expires_in).map_err(
                |e| match e {
                    crate::error::AppError::NotFound => format!("no active account {email}"),
                    other => describe(other),
                },
            )?;
            println!("{token}");
        }
        TokenAction::List { email } => {
            let when = |t: Option<chrono::NaiveDateTime>| {
                t.map_or("never".to_string(), |t| {
                    t.format("%Y-%m-%d %H:%M").to_string()
                })
            };
            let now = crate::registrations::now();
            let mut rows = vec![[
                "ID".to_string(),
                "LABEL".into(),
                "OWNER".into(),
                "CREATED (UTC)".into(),
                "EXPIRES".into(),
                "LAST USED".into(),
            ]];
            for t in auth::tokens::list(&mut conn, email.as_deref())? {
                let expired = t.expires_at.is_some_and(|at| at <= now);
                rows.push([
                    t.id,
                    t.label,
                    format!("{} ({})", t.owner, t.role),
                    when(Some(t.created_at)),
                    format!(
                        "{}{}",
                        if expired { "expired " } else { "" },
                        when(t.expires_at)
                    ),
                    when(t.last_used_at),
                ]);
            }
            print!("{}", columns(&rows));
        }
        TokenAction::Revoke { id } => {
            auth::tokens::revoke(&mut conn, id.trim()).map_err(|_| format!("no token {id}"))?;
            eprintln!("revoked {id}; servers stop accepting it within 5 seconds");
        }
    }
    Ok(())
}

/// Rows as aligned columns.
fn columns<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0usize; N];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn take_backup(settings: &Settings, file: &Path, force: bool, print: bool) -> CliResult {
    let url = settings.database_url();
    match db::Target::parse(&url) {
        db::Target::Sqlite(path) => {
            backup::check_destination(file, Some(Path::new(&path)), force)?;
            if force {
                let _ = std::fs::remove_file(file);
            }
            let secret = file_secret(settings);
            backup::backup_sqlite(Path::new(&path), file, secret.as_deref())?;
            eprintln!("backed up {path} to {}", file.display());
        }
        db::Target::Postgres(url) => {
            let program = backup::pg_program("pg_dump");
            let (_, shown) = backup::pg_dump_command(
                program.as_deref().unwrap_or(Path::new("pg_dump")),
                &url,
                file,
            );
            if print {
                println!("{shown}");
                return Ok(());
            }
            let Some(program) = program else {
                println!("{shown}");
                return Err("pg_dump is not installed (Debian: apt-get install postgresql-client); run the command above where it is".into());
            };
            backup::check_destination(file, None, force)?;
            if force {
                let _ = std::fs::remove_file(file);
            }
            backup::backup_postgres(&program, &url, file)?;
            eprintln!("backed up the PostgreSQL database to {}", file.display());
            if file_secret(settings).is_some() {
                eprintln!(
                    "keep {} with it: it signs the personal links (or set security.secret_key)",
                    settings.data_dir.join("secret.key").display()
                );
            }
        }
    }
    Ok(())
}

/// The personal links' key when it lives in the data directory (not set in the settings).
fn file_secret(settings: &Settings) -> Option<String> {
    if !settings.security.secret_key.is_empty() {
        return None;
    }
    std::fs::read_to_string(settings.data_dir.join("secret.key"))
        .ok()
        .filter(|k| k.len() >= 32)
}

fn restore(settings: &Settings, file: &Path, force: bool) -> CliResult {
    let url = settings.database_url();
    match db::Target::parse(&url) {
        db::Target::Sqlite(path) => {
            let restored = backup::restore_sqlite(file, Path::new(&path), force)?;
            if let Some(aside) = &restored.kept_aside {
                eprintln!("the database replaced is kept as {}", aside.display());
            }
            if let (Some(secret), true) =
                (&restored.secret, settings.security.secret_key.is_empty())
            {
                restore_secret(&settings.data_dir, secret)?;
            }
            eprintln!("restored the backup of {} into {path}", restored.made_at);
        }
        db::Target::Postgres(url) => {
            let program = backup::pg_program("pg_restore")
                .ok_or("pg_restore is not installed (Debian: apt-get install postgresql-client)")?;
            backup::restore_postgres(&program, file, &url, force)?;
            eprintln!("restored {} into the PostgreSQL database", file.display());
        }
    }
    // A backup made by an older version is brought up to date here.
    let pool = db::connect(&url, 1)?;
    let mut conn = pool.get()?;
    use diesel::{QueryDsl, RunQueryDsl};
    let editions: i64 = crate::db::schema::editions::table
        .count()
        .get_result(&mut *conn)?;
    let people: i64 = crate::db::schema::registrations::table
        .count()
        .get_result(&mut *conn)?;
    eprintln!("{editions} editions, {people} registrations");
    Ok(())
}

/// Writes the personal links' key of a restored backup, keeping a different one aside.
fn restore_secret(data_dir: &Path, secret: &str) -> CliResult {
    let path = data_dir.join("secret.key");
    match std::fs::read_to_string(&path) {
        Ok(current) if current == secret => return Ok(()),
        Ok(_) => {
            let aside = data_dir.join(format!(
                "secret.key.replaced-{}",
                chrono::Utc::now().format("%Y%m%dT%H%M%S")
            ));
            std::fs::rename(&path, &aside)?;
            eprintln!("the previous secret.key is kept as {}", aside.display());
        }
        Err(_) => {}
    }
    std::fs::create_dir_all(data_dir)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(&path)?.write_all(secret.as_bytes())?;
    Ok(())
}

fn describe(e: crate::error::AppError) -> String {
    match e {
        crate::error::AppError::Validation(errors) => errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

fn read_password() -> Result<String, std::io::Error> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!(
            "Password (at least {} characters): ",
            auth::MIN_PASSWORD_CHARS
        );
        std::io::stderr().flush()?;
        let mut line = String::new();
        stdin.read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    } else {
        let mut all = String::new();
        stdin.lock().read_to_string(&mut all)?;
        Ok(all.lines().next().unwrap_or("").to_string())
    }
}

fn import(settings: &Settings, file: &PathBuf, allow_conflicts: bool) -> CliResult {
    let text = if file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        s
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?
    };
    let doc = programme::document::parse(&text).map_err(|p| p.to_string())?;
    let pool = db::connect(&settings.database_url(), 1)?;
    match programme::import(&mut *pool.get()?, doc, allow_conflicts) {
        Ok(o) => {
            eprintln!(
                "{} {}: {} rooms, {} people, {} sessions{}",
                if o.created { "created" } else { "replaced" },
                o.slug,
                o.rooms,
                o.people,
                o.sessions,
                if o.conflicts.is_empty() {
                    String::new()
                } else {
                    format!(", {} conflicts kept", o.conflicts.len())
                }
            );
            Ok(())
        }
        Err(Refusal::Problems(problems)) => {
            for p in &problems {
                eprintln!("{p}");
            }
            Err(format!("{} problem(s); nothing was imported", problems.len()).into())
        }
        Err(Refusal::Conflicts(conflicts)) => {
            for c in &conflicts {
                eprintln!("conflict: {}", c.message(Lang::En));
            }
            Err(format!(
                "{} conflict(s); nothing was imported (use --allow-conflicts to keep them)",
                conflicts.len()
            )
            .into())
        }
        Err(Refusal::Other(e)) => Err(e.to_string().into()),
    }
}

fn init_logging(settings: &Settings) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("RUST_LOG")
        .unwrap_or_else(|_| EnvFilter::new(&settings.log.filter));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if settings.log.format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
