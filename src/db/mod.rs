//! Database access: one connection type over SQLite and PostgreSQL, chosen from the URL.
//!
//! SQLite connections get WAL, `synchronous=FULL`, foreign keys and a busy timeout when
//! they are opened, and writes go through [`write_tx`], which opens SQLite transactions with
//! `BEGIN IMMEDIATE` so that concurrent writers queue on the lock instead of failing.

pub mod batch;
pub mod retry;
pub mod schema;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, ConnectionError};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either database; queries are written once for both.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

/// Evaluates `$body` with `$c` bound to the concrete connection inside a [`DbConnection`],
/// so the expression is compiled once per database. Diesel finds a query's prepared
/// statement by its type on a concrete connection, but through the wrapper it renders the
/// SQL again on each execution to find it: on the check-in path that costs as much as
/// running the statement.
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $body,
            $crate::db::DbConnection::Pg($c) => $body,
        }
    };
}
pub(crate) use on_backend;

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// Which database a URL names: `postgres://` and `postgresql://` are PostgreSQL, anything
/// else is a SQLite path (an optional `sqlite://` prefix is dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Sqlite(String),
    Postgres(String),
}

impl Target {
    pub fn parse(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Target::Postgres(url.to_string())
        } else {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url);
            Target::Sqlite(path.to_string())
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Target::Sqlite(_))
    }
}

/// Opens connections for the pool, dispatching on the URL scheme.
#[derive(Debug, Clone)]
pub struct Manager {
    target: Target,
    /// Whether SQLite checkpoints its WAL in the committing connection (its default) or
    /// leaves it to [`Checkpointer`].
    autocheckpoint: bool,
}

/// `mmap_size`: pages are read from the operating system's cache in place, shared by every
/// connection, instead of being copied into each connection's own cache of 2 MB, which an
/// edition's statistics (ten megabytes of rows and indexes) would overflow on every report.
///
/// `synchronous = FULL`: a commit is on disk before it is acknowledged, so a power cut
/// loses no registration or check-in that was answered; the batched writers pay one sync
/// per batch. `secure_delete`: what an erasure removes is overwritten, not left in free
/// space.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA temp_store = MEMORY; \
     PRAGMA secure_delete = ON;";

/// The memory map of a SQLite connection (see above), also restored after a statistics
/// report, which reads without it.
pub const SQLITE_MMAP: &str = "PRAGMA mmap_size = 268435456";

impl Manager {
    pub fn new(url: &str) -> Self {
        Manager {
            target: Target::parse(url),
            autocheckpoint: true,
        }
    }

    pub fn open(&self) -> Result<DbConnection, ConnectionError> {
        match &self.target {
            Target::Postgres(url) => PgConnection::establish(url).map(DbConnection::Pg),
            Target::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .and_then(|()| conn.batch_execute(SQLITE_MMAP))
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                if !self.autocheckpoint {
                    conn.batch_execute("PRAGMA wal_autocheckpoint = 0")
                        .map_err(ConnectionError::CouldntSetupConfiguration)?;
                }
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        self.open().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking()
            || <DbConnection as Connection>::TransactionManager::is_broken_transaction_manager(conn)
    }
}

/// Builds the pool, creating the SQLite file's folder when needed, and applies migrations.
pub fn connect(url: &str, size: u32) -> Result<Pool, Box<dyn std::error::Error + Send + Sync>> {
    open_pool(Manager::new(url), size)
}

/// The server's pool: like [`connect`], but on SQLite commits never checkpoint the WAL
/// themselves; the returned [`Checkpointer`] does it on its own thread. A checkpoint copies
/// a thousand pages into the database file and syncs it: done by the committing
/// connection, it stalls every writer queued behind that commit for milliseconds.
pub fn connect_server(
    url: &str,
    size: u32,
) -> Result<(Pool, Option<Checkpointer>), Box<dyn std::error::Error + Send + Sync>> {
    let mut manager = Manager::new(url);
    let sqlite = matches!(manager.target, Target::Sqlite(_));
    manager.autocheckpoint = !sqlite;
    let pool = open_pool(manager, size)?;
    let checkpointer = if sqlite {
        Some(Checkpointer::start(pool.clone(), CHECKPOINT_EVERY)?)
    } else {
        None
    };
    Ok((pool, checkpointer))
}

/// How often the server checkpoints its SQLite WAL.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// Checkpoints the SQLite WAL of a pool in the background, without blocking writers or
/// readers (`PASSIVE`), until dropped.
pub struct Checkpointer {
    _stop: std::sync::mpsc::Sender<()>,
}

impl Checkpointer {
    fn start(pool: Pool, every: std::time::Duration) -> std::io::Result<Checkpointer> {
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("checkpoint".into())
            .spawn(move || {
                // Ends when the sender is dropped with the application.
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(every)
                {
                    let done = pool.get().map_err(|e| e.to_string()).and_then(|mut c| {
                        c.batch_execute("PRAGMA wal_checkpoint(PASSIVE)")
                            .map_err(|e| e.to_string())
                    });
                    if let Err(e) = done {
                        tracing::warn!(error = %e, "WAL checkpoint failed");
                    }
                }
            })?;
        Ok(Checkpointer { _stop: stop })
    }
}

fn open_pool(
    manager: Manager,
    size: u32,
) -> Result<Pool, Box<dyn std::error::Error + Send + Sync>> {
    if let Target::Sqlite(path) = &manager.target {
        let path = std::path::Path::new(path);
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                crate::owner_only::create_dir(dir)?;
            }
        }
        // SQLite creates its files with the umask's mode (often world-readable) and gives
        // the WAL and shared-memory files the database file's own: make that one first.
        if !path.exists() && path.as_os_str() != ":memory:" {
            crate::owner_only::write(path, b"")?;
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            crate::owner_only::restrict(std::path::Path::new(&file))?;
        }
    }
    // Migrate on one connection before the pool opens others.
    let mut first = manager.open()?;
    run_migrations(&mut first)?;
    drop(first);
    let pool = r2d2::Pool::builder()
        .max_size(size.max(1))
        .connection_timeout(std::time::Duration::from_secs(10))
        .build(manager)?;
    Ok(pool)
}

/// After an erasure, leaves no copy of what was erased in SQLite's write-ahead log: the log
/// is copied into the database file (where `secure_delete` zeroed the old cells) and
/// truncated. A reader still holding an old snapshot makes the checkpoint wait a moment
/// and retry. Nothing to do on PostgreSQL, whose own vacuum reclaims dead rows.
pub fn scrub(conn: &mut DbConnection) -> Result<(), diesel::result::Error> {
    use diesel::sql_types::Integer;
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Checkpoint {
        #[diesel(sql_type = Integer)]
        busy: i32,
    }
    let DbConnection::Sqlite(c) = conn else {
        return Ok(());
    };
    for attempt in 0..50 {
        let done: Vec<Checkpoint> = diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").load(c)?;
        if done.first().is_none_or(|r| r.busy == 0) {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(20 + attempt * 10));
    }
    tracing::warn!(
        "the WAL could not be truncated after an erasure; it will be at the next checkpoint"
    );
    Ok(())
}

/// Applies the pending migrations of the connection's database.
pub fn run_migrations(
    conn: &mut DbConnection,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConnection::Pg(c) => {
            // Servers started together would each apply the same migration; the first
            // takes this lock, the others wait and then find nothing pending.
            c.batch_execute("SELECT pg_advisory_lock(7261707)")?;
            let done = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
            let unlocked = c.batch_execute("SELECT pg_advisory_unlock(7261707)");
            done?;
            unlocked?;
            Ok(())
        }
    }
}

/// Writers of this process queue here before SQLite's write lock. SQLite lets one writer
/// at a time in; the others wait in its busy handler, which sleeps 1, 2, 5, 10… up to
/// 100 ms between tries, so under a burst a waiting transaction can lose tens of
/// milliseconds after the lock was free. A mutex hands the turn over at once. (Writers in
/// other processes, the command line, still meet `busy_timeout`.) One lock for the
/// process: a server opens one database.
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `f` in a write transaction: `BEGIN IMMEDIATE` on SQLite (the write lock is taken
/// up front, after this process's other writers), a plain transaction on PostgreSQL.
/// Commits on `Ok`, rolls back on `Err`. On PostgreSQL a transaction that lost a deadlock
/// or a serialisation race is run again (see [`retry`]), so `f` may run more than once.
pub fn write_tx<T, E, F>(conn: &mut DbConnection, mut f: F) -> Result<T, E>
where
    F: FnMut(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error> + retry::Transient,
{
    let mut attempt = 1;
    loop {
        match write_tx_once(conn, &mut f) {
            Err(e) if e.is_transient() && attempt < retry::ATTEMPTS => {
                tracing::debug!(attempt, "transaction lost a race; running it again");
                std::thread::sleep(retry::pause(attempt));
                attempt += 1;
            }
            other => return other,
        }
    }
}

fn write_tx_once<T, E, F>(conn: &mut DbConnection, f: &mut F) -> Result<T, E>
where
    F: FnMut(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    type Tm = <DbConnection as Connection>::TransactionManager;
    let _turn = match conn {
        DbConnection::Sqlite(c) => {
            let turn = SQLITE_WRITER
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
            Some(turn)
        }
        DbConnection::Pg(_) => {
            Tm::begin_transaction(conn)?;
            None
        }
    };
    match f(conn) {
        Ok(value) => match Tm::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(e) => {
                let _ = Tm::rollback_transaction(conn);
                Err(e.into())
            }
        },
        Err(e) => {
            if let Err(rollback) = Tm::rollback_transaction(conn) {
                tracing::error!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_their_database() {
        assert!(matches!(
            Target::parse("postgres://u@h/db"),
            Target::Postgres(_)
        ));
        assert!(matches!(
            Target::parse("postgresql://u@h/db"),
            Target::Postgres(_)
        ));
        assert_eq!(
            Target::parse("sqlite://data/x.db"),
            Target::Sqlite("data/x.db".into())
        );
        assert_eq!(
            Target::parse("data/x.db"),
            Target::Sqlite("data/x.db".into())
        );
    }

    /// The server's commits leave the WAL alone and the checkpointer copies it into the
    /// database file soon after.
    #[test]
    fn the_server_checkpoints_its_wal_in_the_background() {
        let dir = std::env::temp_dir().join(format!("rencontres-wal-{}", uuid::Uuid::new_v4()));
        let path = dir.join("db.sqlite");
        let (pool, checkpointer) =
            connect_server(path.to_str().expect("utf-8 path"), 2).expect("pool");
        assert!(checkpointer.is_some());
        let size = || std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let mut conn = pool.get().expect("connection");
        conn.batch_execute("CREATE TABLE filler (x TEXT)")
            .expect("table");
        let before = size();
        for _ in 0..50 {
            conn.batch_execute("INSERT INTO filler SELECT hex(randomblob(1000)) FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4)")
                .expect("insert");
        }
        // 400 kB went to the WAL, below SQLite's own checkpoint threshold: only the
        // checkpointer can have copied them.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while size() < before + 300_000 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(size() >= before + 300_000, "{} → {}", before, size());
        drop((conn, pool, checkpointer));
        let _ = std::fs::remove_dir_all(dir);
    }

    /// `.cargo/config.toml` builds SQLite with the query planner stability guarantee;
    /// without it each `.first()` (a bound LIMIT) is parsed again on every run.
    #[test]
    fn sqlite_keeps_its_prepared_statements() {
        use diesel::sql_types::Integer;
        use diesel::RunQueryDsl;
        let mut conn = SqliteConnection::establish(":memory:").expect("in-memory SQLite");
        let on: i32 = diesel::select(diesel::dsl::sql::<Integer>(
            "sqlite_compileoption_used('ENABLE_QPSG')",
        ))
        .get_result(&mut conn)
        .expect("compile options");
        assert_eq!(on, 1);
    }
}
