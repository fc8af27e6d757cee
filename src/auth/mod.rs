//! Staff accounts, roles, login sessions, API tokens and login rate limits.

pub mod account;
pub mod csrf;
pub mod guard;
pub mod tokens;
pub mod web;

pub use tokens::{create_api_token, token_user};

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine;
use chrono::Utc;
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::db::schema::{api_tokens, staff_sessions, staff_users};
use crate::db::DbConnection;
use crate::error::{AppError, FieldError, Text};

/// What a staff member may do. Each role includes the ones below it:
/// `admin` > `organiser` > `desk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Desk,
    Organiser,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Organiser, Role::Desk];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Organiser => "organiser",
            Role::Desk => "desk",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Whether someone with this role may do what `required` may.
    pub fn allows(self, required: Role) -> bool {
        self >= required
    }
}

/// The staff member behind a request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffUser {
    pub id: String,
    pub email: String,
    pub role: Role,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff_users)]
pub struct StaffRow {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
}

impl StaffRow {
    fn user(&self) -> Option<StaffUser> {
        Some(StaffUser {
            id: self.id.clone(),
            email: self.email.clone(),
            role: Role::parse(&self.role)?,
        })
    }
}

pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    // Argon2::default() is Argon2id, version 0x13, m=19 MiB, t=2, p=1 (OWASP's baseline).
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AppError::internal)
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random secret, URL-safe, with a prefix that tells what it is.
pub fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// Secrets are stored as SHA-256 digests: they are long and random, so no salt is needed,
/// and a leaked database does not leak live sessions or tokens.
pub fn digest(token: &str) -> String {
    crate::badges::token::hex(&Sha256::digest(token.as_bytes()))
}

fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Creates a staff account.
pub fn create_user(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
    role: Role,
) -> Result<StaffUser, AppError> {
    let email = normalise_email(email);
    let mut errors = Vec::new();
    if !email.contains('@') || email.len() < 3 || email.len() > 254 {
        errors.push(FieldError {
            field: "email".into(),
            code: "invalid_email".into(),
            message: "not an email address".into(),
        });
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        errors.push(FieldError {
            field: "password".into(),
            code: "password_too_short".into(),
            message: format!("at least {MIN_PASSWORD_CHARS} characters"),
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let taken: i64 = staff_users::table
        .filter(staff_users::email.eq(&email))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(AppError::AlreadyExists(
            Text::new("in_use_account").arg("email", email),
        ));
    }
    let id = uuid::Uuid::now_v7().to_string();
    diesel::insert_into(staff_users::table)
        .values((
            staff_users::id.eq(&id),
            staff_users::email.eq(&email),
            staff_users::password_hash.eq(hash_password(password)?),
            staff_users::role.eq(role.code()),
            staff_users::active.eq(true),
            staff_users::created_at.eq(Utc::now().naive_utc()),
            staff_users::display_name.eq(display_name(&email)),
        ))
        .execute(conn)?;
    Ok(StaffUser { id, email, role })
}

/// The name the desk shows for a staff member: the address's local part, never the whole
/// address.
pub fn display_name(email: &str) -> String {
    email.split('@').next().unwrap_or("").to_string()
}

pub fn list_users(conn: &mut DbConnection) -> Result<Vec<StaffRow>, AppError> {
    Ok(staff_users::table
        .select(StaffRow::as_select())
        .order(staff_users::email)
        .load(conn)?)
}

/// Changes a role or disables an account; disabling also ends its sessions and tokens.
pub fn update_user(
    conn: &mut DbConnection,
    id: &str,
    role: Role,
    active: bool,
) -> Result<(), AppError> {
    let n = diesel::update(staff_users::table.find(id))
        .set((
            staff_users::role.eq(role.code()),
            staff_users::active.eq(active),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    if !active {
        diesel::delete(staff_sessions::table.filter(staff_sessions::user_id.eq(id)))
            .execute(conn)?;
        diesel::delete(api_tokens::table.filter(api_tokens::user_id.eq(id))).execute(conn)?;
    }
    Ok(())
}

// A valid hash to verify against when the email is unknown, so that the answer takes as
// long for a missing account as for a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("not-a-real-password").unwrap_or_default());

/// Checks an email and password; `None` for any mismatch or a disabled account.
pub fn authenticate(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
) -> Result<Option<StaffUser>, AppError> {
    let row: Option<StaffRow> = staff_users::table
        .filter(staff_users::email.eq(normalise_email(email)))
        .select(StaffRow::as_select())
        .first(conn)
        .optional()?;
    match row {
        Some(row) if verify_password(&row.password_hash, password) && row.active => Ok(row.user()),
        Some(_) => Ok(None),
        None => {
            verify_password(&DUMMY_HASH, password);
            Ok(None)
        }
    }
}

/// Opens a login session and returns its secret (for the cookie).
pub fn open_session(
    conn: &mut DbConnection,
    user_id: &str,
    hours: i64,
) -> Result<String, AppError> {
    let token = random_token("");
    let now = Utc::now().naive_utc();
    diesel::insert_into(staff_sessions::table)
        .values((
            staff_sessions::token_hash.eq(digest(&token)),
            staff_sessions::user_id.eq(user_id),
            staff_sessions::created_at.eq(now),
            staff_sessions::expires_at.eq(now + chrono::Duration::hours(hours)),
        ))
        .execute(conn)?;
    Ok(token)
}

pub fn close_session(conn: &mut DbConnection, token: &str) -> Result<(), AppError> {
    diesel::delete(staff_sessions::table.filter(staff_sessions::token_hash.eq(digest(token))))
        .execute(conn)?;
    Ok(())
}

/// Who a secret (a session cookie, an API token) belongs to, and until when.
#[derive(Debug, Clone)]
pub struct Owner {
    pub user: StaffUser,
    /// When the session or token stops working; `None`: never.
    pub expires_at: Option<chrono::NaiveDateTime>,
    /// For an API token: its id and when its use was last recorded.
    pub token: Option<(String, Option<chrono::NaiveDateTime>)>,
}

pub fn session_owner(conn: &mut DbConnection, token: &str) -> Result<Option<Owner>, AppError> {
    let row: Option<(StaffRow, chrono::NaiveDateTime)> = staff_sessions::table
        .inner_join(staff_users::table)
        .filter(staff_sessions::token_hash.eq(digest(token)))
        .filter(staff_sessions::expires_at.gt(Utc::now().naive_utc()))
        .filter(staff_users::active.eq(true))
        .select((StaffRow::as_select(), staff_sessions::expires_at))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(r, expires_at)| {
        Some(Owner {
            user: r.user()?,
            expires_at: Some(expires_at),
            token: None,
        })
    }))
}

pub fn session_user(conn: &mut DbConnection, token: &str) -> Result<Option<StaffUser>, AppError> {
    Ok(session_owner(conn, token)?.map(|o| o.user))
}

/// Counts failures per key (a client address, an account) in fixed windows.
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    hits: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: Duration) -> Self {
        RateLimiter {
            limit,
            window,
            hits: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the key has used up its window.
    pub fn blocked(&self, key: &str) -> bool {
        let hits = self.hits.lock().expect("rate limiter lock");
        hits.get(key)
            .is_some_and(|(start, n)| start.elapsed() < self.window && *n >= self.limit)
    }

    /// Records a failure.
    pub fn fail(&self, key: &str) {
        let now = Instant::now();
        let mut hits = self.hits.lock().expect("rate limiter lock");
        if hits.len() > 10_000 {
            hits.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = hits.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
    }
}

/// Which secret a remembered identity was proved with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Credential {
    Bearer,
    Session,
}

/// Who recent bearer tokens and session cookies belong to, for a few seconds. A desk sends
/// hundreds of requests a second with one token; without this each costs a database read
/// on a blocking thread. Logging out, changing a role or disabling an account in this
/// process forgets everything at once; a change made by another process shows within `ttl`.
/// Keys are digests: the cache holds no usable secret.
pub struct Identities {
    ttl: Duration,
    seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    /// Bumped by every `forget_all`: a lookup that started before cannot be remembered.
    generation: u64,
    /// Who, since when, and until when at most (the secret's own expiry).
    users: HashMap<(Credential, String), (Instant, Option<Instant>, StaffUser)>,
    /// When this process last recorded each API token's use (by token id).
    marked: HashMap<String, Instant>,
}

impl Identities {
    /// Entries kept at most; beyond, expired ones go, then everything.
    const MAX: usize = 10_000;

    pub fn new(ttl: Duration) -> Self {
        Identities {
            ttl,
            seen: Mutex::new(Seen::default()),
        }
    }

    pub fn get(&self, kind: Credential, secret: &str) -> Option<StaffUser> {
        let seen = self.seen.lock().expect("identities lock");
        let now = Instant::now();
        seen.users
            .get(&(kind, digest(secret)))
            .filter(|(at, until, _)| {
                now.duration_since(*at) < self.ttl && until.is_none_or(|u| now < u)
            })
            .map(|(_, _, user)| user.clone())
    }

    /// To be taken before reading who owns a secret, and given back to `remember`.
    pub fn generation(&self) -> u64 {
        self.seen.lock().expect("identities lock").generation
    }

    /// Remembers what was read, unless everything was forgotten since `generation`
    /// (a logout racing with the read). Never past the secret's own expiry.
    pub fn remember(
        &self,
        kind: Credential,
        secret: &str,
        user: &StaffUser,
        expires_at: Option<chrono::NaiveDateTime>,
        generation: u64,
    ) {
        let now = Instant::now();
        let until = expires_at.map(|at| {
            now + (at - Utc::now().naive_utc())
                .to_std()
                .unwrap_or(Duration::ZERO)
        });
        let mut seen = self.seen.lock().expect("identities lock");
        if seen.generation != generation {
            return;
        }
        if seen.users.len() >= Self::MAX {
            let ttl = self.ttl;
            seen.users
                .retain(|_, (at, _, _)| now.duration_since(*at) < ttl);
            if seen.users.len() >= Self::MAX {
                seen.users.clear();
            }
        }
        seen.users
            .insert((kind, digest(secret)), (now, until, user.clone()));
    }

    pub fn forget_all(&self) {
        let mut seen = self.seen.lock().expect("identities lock");
        seen.generation += 1;
        seen.users.clear();
    }

    /// Whether this process should record a use of the token now: not if it did so less
    /// than `every` ago. Readers of other processes are held back by the database's own
    /// `last_used_at`.
    pub fn claim_use(&self, token_id: &str, every: Duration) -> bool {
        let now = Instant::now();
        let mut seen = self.seen.lock().expect("identities lock");
        if seen.marked.len() >= Self::MAX {
            seen.marked.retain(|_, at| now.duration_since(*at) < every);
        }
        match seen.marked.get(token_id) {
            Some(at) if now.duration_since(*at) < every => false,
            _ => {
                seen.marked.insert(token_id.to_string(), now);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> StaffUser {
        StaffUser {
            id: "u1".into(),
            email: "desk@example.org".into(),
            role,
        }
    }

    #[test]
    fn identities_are_remembered_briefly_and_forgotten_on_demand() {
        let ids = Identities::new(Duration::from_millis(50));
        ids.remember(
            Credential::Bearer,
            "rct_secret",
            &user(Role::Desk),
            None,
            ids.generation(),
        );
        assert_eq!(
            ids.get(Credential::Bearer, "rct_secret").map(|u| u.role),
            Some(Role::Desk)
        );
        // Another kind of secret or another secret is not the same identity.
        assert!(ids.get(Credential::Session, "rct_secret").is_none());
        assert!(ids.get(Credential::Bearer, "rct_other").is_none());
        // A lookup begun before a logout is not remembered after it.
        let before = ids.generation();
        ids.forget_all();
        assert!(ids.get(Credential::Bearer, "rct_secret").is_none());
        ids.remember(
            Credential::Bearer,
            "rct_secret",
            &user(Role::Desk),
            None,
            before,
        );
        assert!(ids.get(Credential::Bearer, "rct_secret").is_none());
        ids.remember(
            Credential::Bearer,
            "rct_secret",
            &user(Role::Desk),
            None,
            ids.generation(),
        );
        assert!(ids.get(Credential::Bearer, "rct_secret").is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert!(ids.get(Credential::Bearer, "rct_secret").is_none());
    }

    #[test]
    fn identities_are_not_remembered_past_their_expiry() {
        let ids = Identities::new(Duration::from_secs(60));
        let soon = Utc::now().naive_utc() + chrono::Duration::milliseconds(30);
        ids.remember(
            Credential::Bearer,
            "rct_short",
            &user(Role::Desk),
            Some(soon),
            ids.generation(),
        );
        assert!(ids.get(Credential::Bearer, "rct_short").is_some());
        std::thread::sleep(Duration::from_millis(50));
        assert!(ids.get(Credential::Bearer, "rct_short").is_none());
        let past = Utc::now().naive_utc() - chrono::Duration::seconds(1);
        ids.remember(
            Credential::Bearer,
            "rct_old",
            &user(Role::Desk),
            Some(past),
            ids.generation(),
        );
        assert!(ids.get(Credential::Bearer, "rct_old").is_none());
    }

    #[test]
    fn a_token_use_is_recorded_once_per_interval() {
        let ids = Identities::new(Duration::from_secs(5));
        let every = Duration::from_millis(40);
        assert!(ids.claim_use("t1", every));
        assert!(!ids.claim_use("t1", every));
        assert!(ids.claim_use("t2", every), "each token on its own");
        std::thread::sleep(Duration::from_millis(50));
        assert!(ids.claim_use("t1", every));
    }

    #[test]
    fn roles_include_the_ones_below() {
        assert!(Role::Admin.allows(Role::Organiser));
        assert!(Role::Organiser.allows(Role::Desk));
        assert!(!Role::Desk.allows(Role::Organiser));
        assert!(!Role::Organiser.allows(Role::Admin));
    }

    #[test]
    fn passwords_hash_with_argon2id() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "correct horse battery"));
        assert!(!verify_password(&h, "correct horse battery!"));
    }

    #[test]
    fn the_limiter_blocks_after_its_limit_of_failures() {
        let l = RateLimiter::new(2, Duration::from_secs(60));
        l.fail("a");
        assert!(!l.blocked("a"));
        l.fail("a");
        assert!(l.blocked("a"));
        assert!(!l.blocked("b"));
        let short = RateLimiter::new(1, Duration::from_millis(1));
        short.fail("a");
        std::thread::sleep(Duration::from_millis(5));
        assert!(!short.blocked("a"), "the window passed");
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let (a, b) = (random_token("rct_"), random_token("rct_"));
        assert_ne!(a, b);
        assert!(a.len() > 40);
        assert_eq!(digest(&a).len(), 64);
    }
}
