//! Backups and restores.
//!
//! SQLite: `VACUUM INTO` copies a consistent snapshot while the server keeps serving (it
//! reads in one transaction; WAL writers are not held up). The copy is marked as ours
//! (`application_id`, a `rencontres_backup` table) and carries the key of the personal
//! links when it lives in the data directory, so one file restores everything.
//! PostgreSQL: `pg_dump --format=custom` and `pg_restore`, run for the operator, the
//! password passed in `PGPASSWORD` rather than on a command line others can read.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use diesel::sqlite::{Sqlite, SqliteConnection};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// `PRAGMA application_id` of our backups: "RNCT".
pub const APPLICATION_ID: i32 = 0x524E_4354;
const FORMAT: &str = "1";
const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";
const PG_CUSTOM_HEADER: &[u8] = b"PGDMP";

/// What a restore found in the backup.
#[derive(Debug)]
pub struct Restored {
    pub made_at: String,
    /// The personal links' key the backup carried, if any.
    pub secret: Option<String>,
    /// Where the database replaced by `--force` was kept.
    pub kept_aside: Option<PathBuf>,
}

/// Creates `path` for writing, readable by its owner only; refuses to replace a file.
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// A sibling of `path` for work in progress, renamed over `path` once complete.
fn partial(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".partial-{}", std::process::id()));
    path.with_file_name(name)
}

/// Refuses an existing backup file unless asked to replace it, and never the database.
pub fn check_destination(out: &Path, database: Option<&Path>, force: bool) -> Result<(), Error> {
    if let Some(db) = database {
        if let (Ok(a), Ok(b)) = (std::fs::canonicalize(out), std::fs::canonicalize(db)) {
            if a == b {
                return Err(format!("{} is the database itself", out.display()).into());
            }
        }
    }
    if out.exists() && !force {
        return Err(format!(
            "{} already exists; choose another name or add --force to replace it",
            out.display()
        )
        .into());
    }
    Ok(())
}

/// Copies the SQLite database at `db` into `out` (mode 0600), with `secret` inside.
pub fn backup_sqlite(db: &Path, out: &Path, secret: Option<&str>) -> Result<(), Error> {
    if !db.is_file() {
        return Err(format!("no database at {}", db.display()).into());
    }
    let work = partial(out);
    create_private(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let done = (|| -> Result<(), Error> {
        let mut conn = SqliteConnection::establish(&db.to_string_lossy())?;
        conn.batch_execute("PRAGMA busy_timeout = 10000")?;
        diesel::sql_query("VACUUM INTO ?")
            .bind::<Text, _>(work.to_string_lossy().into_owned())
            .execute(&mut conn)?;
        drop(conn);
        let mut copy = SqliteConnection::establish(&work.to_string_lossy())?;
        // One self-contained file: no WAL beside it.
        copy.batch_execute(&format!(
            "PRAGMA journal_mode = DELETE; PRAGMA application_id = {APPLICATION_ID};
             CREATE TABLE rencontres_backup (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);"
        ))?;
        let made_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut rows = vec![
            ("format", FORMAT.to_string()),
            ("made_at", made_at),
            ("version", env!("CARGO_PKG_VERSION").to_string()),
        ];
        if let Some(secret) = secret {
            rows.push(("secret_key", secret.to_string()));
        }
        for (key, value) in rows {
            diesel::sql_query("INSERT INTO rencontres_backup (key, value) VALUES (?, ?)")
                .bind::<Text, _>(key)
                .bind::<Text, _>(value)
                .execute(&mut copy)?;
        }
        drop(copy);
        std::fs::File::open(&work)?.sync_all()?;
        std::fs::rename(&work, out)?;
        Ok(())
    })();
    if done.is_err() {
        let _ = std::fs::remove_file(&work);
    }
    done
}

#[derive(QueryableByName)]
struct Value {
    #[diesel(sql_type = Text)]
    value: String,
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = Integer)]
    n: i32,
}

fn not_ours(file: &Path) -> Error {
    format!(
        "{} is not a rencontres backup (make one with: rencontres backup FILE)",
        file.display()
    )
    .into()
}

/// Reads the first bytes of a file.
fn header(file: &Path) -> Result<Vec<u8>, Error> {
    let mut head = vec![0u8; 16];
    let mut f = std::fs::File::open(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let n = f.read(&mut head)?;
    head.truncate(n);
    Ok(head)
}

/// Checks that `copy` is one of our backups that this version can open, and takes its
/// marks out. Returns (made_at, secret).
fn adopt(copy: &Path, file: &Path) -> Result<(String, Option<String>), Error> {
    let mut conn = SqliteConnection::establish(&copy.to_string_lossy())?;
    let id = diesel::sql_query("SELECT application_id AS n FROM pragma_application_id")
        .get_result::<Number>(&mut conn)
        .map_err(|_| not_ours(file))?;
    let marks: Vec<(String, String)> =
        diesel::sql_query("SELECT key || char(31) || value AS value FROM rencontres_backup")
            .load::<Value>(&mut conn)
            .map_err(|_| not_ours(file))?
            .into_iter()
            .filter_map(|v| {
                v.value
                    .split_once('\u{1f}')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect();
    let mark = |key: &str| marks.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    if id.n != APPLICATION_ID || mark("format").as_deref() != Some(FORMAT) {
        return Err(not_ours(file));
    }
    let known: Vec<String> = MigrationSource::<Sqlite>::migrations(&crate::db::SQLITE_MIGRATIONS)?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    let applied: Vec<Value> =
        diesel::sql_query("SELECT version AS value FROM __diesel_schema_migrations")
            .load(&mut conn)
            .map_err(|_| not_ours(file))?;
    if let Some(newer) = applied.iter().find(|v| !known.contains(&v.value)) {
        return Err(format!(
            "{} was made by a newer rencontres (migration {}, version {}); restore it with that version",
            file.display(),
            newer.value,
            mark("version").unwrap_or_default()
        )
        .into());
    }
    let check = diesel::sql_query("PRAGMA integrity_check")
        .load::<IntegrityRow>(&mut conn)?
        .into_iter()
        .map(|r| r.integrity_check)
        .collect::<Vec<_>>();
    if check != ["ok"] {
        return Err(format!("{} is damaged: {}", file.display(), check.join("; ")).into());
    }
    conn.batch_execute("DROP TABLE rencontres_backup; PRAGMA application_id = 0;")?;
    Ok((mark("made_at").unwrap_or_default(), mark("secret_key")))
}

#[derive(QueryableByName)]
struct IntegrityRow {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

/// A database file and the WAL files that go with it.
fn with_wal(db: &Path) -> [PathBuf; 3] {
    let name = db.as_os_str();
    let mut wal = name.to_os_string();
    wal.push("-wal");
    let mut shm = name.to_os_string();
    shm.push("-shm");
    [db.to_path_buf(), wal.into(), shm.into()]
}

/// Puts a backup in place of the SQLite database at `db`. Without `force`, only where no
/// database exists yet; with it, the current one (stop the server first) is renamed
/// `<name>.replaced-<time>`, its WAL with it.
pub fn restore_sqlite(file: &Path, db: &Path, force: bool) -> Result<Restored, Error> {
    let head = header(file)?;
    if head.starts_with(PG_CUSTOM_HEADER) {
        return Err(format!(
            "{} is a PostgreSQL backup; set DATABASE_URL to the PostgreSQL database to restore it into",
            file.display()
        )
        .into());
    }
    if head != SQLITE_HEADER {
        return Err(not_ours(file));
    }
    let occupied = std::fs::metadata(db).is_ok_and(|m| m.len() > 0);
    if occupied && !force {
        return Err(format!(
            "a database already exists at {}; restore into an empty data directory, or stop the server and add --force to replace it (it is kept beside, renamed)",
            db.display()
        )
        .into());
    }
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let work = partial(db);
    let _ = std::fs::remove_file(&work);
    let mut target = create_private(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    std::io::copy(&mut std::fs::File::open(file)?, &mut target)?;
    target.sync_all()?;
    drop(target);
    let (made_at, secret) = match adopt(&work, file) {
        Ok(found) => found,
        Err(e) => {
            for p in with_wal(&work) {
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
    };
    let mut kept_aside = None;
    if occupied || with_wal(db).iter().any(|p| p.exists()) {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
        let mut aside = db.as_os_str().to_os_string();
        aside.push(format!(".replaced-{stamp}"));
        let aside = PathBuf::from(aside);
        // A WAL left beside the restored file would be replayed into it: move it too.
        for (from, to) in with_wal(db).iter().zip(with_wal(&aside)) {
            if from.exists() {
                std::fs::rename(from, to)?;
            }
        }
        kept_aside = Some(aside);
    }
    std::fs::rename(&work, db)?;
    Ok(Restored {
        made_at,
        secret,
        kept_aside,
    })
}

/// A PostgreSQL URL without its password, and the password (percent-decoded).
pub fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), None);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return (url.to_string(), None);
    };
    match userinfo.split_once(':') {
        Some((user, password)) => (
            format!("{scheme}://{user}@{host}{tail}"),
            Some(percent_decode(password)),
        ),
        None => (url.to_string(), None),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A PostgreSQL client program (`pg_dump`, `pg_restore`): on the PATH, else the newest
/// under Debian's /usr/lib/postgresql.
pub fn pg_program(name: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    on_path.or_else(|| {
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("bin").join(name))
            .filter(|p| p.is_file())
            .collect();
        found.sort_by_key(|p| {
            p.components()
                .nth(4)
                .and_then(|c| c.as_os_str().to_str()?.parse::<u32>().ok())
        });
        found.pop()
    })
}

/// The pg_dump command line for `url` into `out`, and how it reads for a person (the
/// password left out).
pub fn pg_dump_command(program: &Path, url: &str, out: &Path) -> (Command, String) {
    let (bare, password) = split_password(url);
    let args = [
        "--format=custom".to_string(),
        "--no-owner".to_string(),
        "--no-privileges".to_string(),
        format!("--file={}", out.display()),
        format!("--dbname={bare}"),
    ];
    let mut cmd = Command::new(program);
    cmd.args(&args);
    let mut shown = String::new();
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
        shown.push_str("PGPASSWORD=… ");
    }
    shown.push_str("pg_dump");
    for a in &args {
        shown.push(' ');
        shown.push_str(&shell_quote(a));
    }
    (cmd, shown)
}

fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_=./:@%+,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Runs pg_dump into `out` (mode 0600, written whole or not at all).
pub fn backup_postgres(program: &Path, url: &str, out: &Path) -> Result<(), Error> {
    let work = partial(out);
    create_private(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let (mut cmd, shown) = pg_dump_command(program, url, &work);
    let status = cmd.status();
    match status {
        Ok(s) if s.success() => {
            std::fs::rename(&work, out)?;
            Ok(())
        }
        other => {
            let _ = std::fs::remove_file(&work);
            Err(format!("pg_dump failed ({other:?}): {shown}").into())
        }
    }
}

/// Restores a pg_dump archive into the database at `url`: only into an empty database,
/// or over ours with `force` (the dump's objects are dropped and recreated).
pub fn restore_postgres(program: &Path, file: &Path, url: &str, force: bool) -> Result<(), Error> {
    if !header(file)?.starts_with(PG_CUSTOM_HEADER) {
        let hint = if header(file)? == SQLITE_HEADER {
            " (it is a SQLite file; restore it without DATABASE_URL pointing at PostgreSQL)"
        } else {
            ""
        };
        return Err(format!("{}{hint}", not_ours(file)).into());
    }
    let (bare, password) = split_password(url);
    let mut list = Command::new(program);
    list.arg("--list").arg(file);
    let listing = list.output()?;
    let listing = String::from_utf8_lossy(&listing.stdout);
    let has = |table: &str| {
        listing
            .lines()
            .any(|l| l.contains(&format!(" TABLE public {table} ")))
    };
    if !has("__diesel_schema_migrations") || !has("registrations") {
        return Err(not_ours(file));
    }
    let mut conn = diesel::pg::PgConnection::establish(url)?;
    let tables: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public')",
    ))
    .get_result(&mut conn)?;
    drop(conn);
    if tables > 0 && !force {
        return Err(format!(
            "the database {bare} is not empty ({tables} tables); restore into an empty database, or stop the servers and add --force to replace its contents"
        )
        .into());
    }
    let mut cmd = Command::new(program);
    cmd.args([
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
    ]);
    if tables > 0 {
        cmd.args(["--clean", "--if-exists"]);
    }
    cmd.arg(format!("--dbname={bare}")).arg(file);
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd.output()?;
    if !out.status.success() {
        return Err(format!(
            "pg_restore failed; nothing was changed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_stay_off_the_command_line() {
        assert_eq!(
            split_password("postgres://app:s3cr%40t@db.internal:5432/rencontres?sslmode=require"),
            (
                "postgres://app@db.internal:5432/rencontres?sslmode=require".to_string(),
                Some("s3cr@t".to_string())
            )
        );
        assert_eq!(
            split_password("postgres://postgres@127.0.0.1:5432/x"),
            ("postgres://postgres@127.0.0.1:5432/x".to_string(), None)
        );
        // An @ inside the password, written raw.
        assert_eq!(
            split_password("postgresql://u:p@ss@h/db").1.as_deref(),
            Some("p@ss")
        );
        let (_, shown) = pg_dump_command(
            Path::new("/usr/bin/pg_dump"),
            "postgres://app:hunter2@db/r",
            Path::new("/backups/r 1.dump"),
        );
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("'--file=/backups/r 1.dump'"), "{shown}");
        assert!(shown.contains("--dbname=postgres://app@db/r"), "{shown}");
    }

    #[test]
    fn a_backup_restores_with_its_key_and_refuses_strangers() {
        let dir = std::env::temp_dir().join(format!("rencontres-backup-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("live.db");
        let pool = crate::db::connect(db.to_str().unwrap(), 1).unwrap();
        pool.get()
            .unwrap()
            .batch_execute("INSERT INTO staff_users (id, email, password_hash, role, active, created_at) VALUES ('u1', 'a@b.c', 'x', 'admin', TRUE, '2026-12-05 10:00:00')")
            .unwrap();
        let out = dir.join("b.sqlite");
        backup_sqlite(&db, &out, Some("abc123")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(check_destination(&out, Some(&db), false).is_err());
        assert!(check_destination(&db, Some(&db), true).is_err());

        let restored = dir.join("new/rencontres.db");
        let r = restore_sqlite(&out, &restored, false).unwrap();
        assert_eq!(r.secret.as_deref(), Some("abc123"));
        assert!(r.kept_aside.is_none());
        let mut conn = SqliteConnection::establish(restored.to_str().unwrap()).unwrap();
        let n: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT count(*) FROM staff_users)",
        ))
        .get_result(&mut conn)
        .unwrap();
        assert_eq!(n, 1);
        drop(conn);
        // Not over a database without --force; with it, the old one is kept aside.
        let e = restore_sqlite(&out, &restored, false).unwrap_err();
        assert!(e.to_string().contains("--force"), "{e}");
        let r = restore_sqlite(&out, &restored, true).unwrap();
        assert!(r.kept_aside.unwrap().exists());
        // The live database is SQLite but not a backup; random bytes are not either.
        let e = restore_sqlite(&db, &dir.join("other/x.db"), false).unwrap_err();
        assert!(e.to_string().contains("not a rencontres backup"), "{e}");
        std::fs::write(dir.join("junk"), b"hello, world, not a database").unwrap();
        let e = restore_sqlite(&dir.join("junk"), &dir.join("other/x.db"), false).unwrap_err();
        assert!(e.to_string().contains("not a rencontres backup"), "{e}");
        assert!(!dir.join("other/x.db").exists());
        drop(pool);
        let _ = std::fs::remove_dir_all(dir);
    }
}
