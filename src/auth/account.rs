//! A staff member's own account: changing their password.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::guard::{Staff, SESSION_COOKIE};
use super::{digest, hash_password, verify_password, MIN_PASSWORD_CHARS};
use crate::app::AppState;
use crate::db::schema::{staff_sessions, staff_users};
use crate::db::DbConnection;
use crate::error::{blocking, AppError, FieldError};
use crate::web::{redirect, render, PageCtx, PageError};

/// Longer passphrases are fine; beyond this it is not a password any more, and Argon2 would
/// hash whatever it is given.
pub const MAX_PASSWORD_CHARS: usize = 256;

fn problem(field: &str, code: &str, message: String) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
        message,
    }
}

/// What is wrong with a new password typed twice (the current one is checked apart).
pub fn check_new_password(new: &str, again: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let n = new.chars().count();
    if n < MIN_PASSWORD_CHARS {
        errors.push(problem(
            "new_password",
            "password_too_short",
            format!("at least {MIN_PASSWORD_CHARS} characters"),
        ));
    } else if n > MAX_PASSWORD_CHARS {
        errors.push(problem(
            "new_password",
            "password_too_long",
            format!("at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    if new != again {
        errors.push(problem(
            "new_password_again",
            "password_mismatch",
            "the two new passwords differ".into(),
        ));
    }
    errors
}

/// Changes an account's password after checking the current one, and ends every other
/// session of the account (`keep` is the digest of the session making the change).
/// Returns how many sessions were ended.
pub fn change_password(
    conn: &mut DbConnection,
    user_id: &str,
    keep: Option<&str>,
    current: &str,
    new: &str,
    again: &str,
) -> Result<usize, AppError> {
    let old_hash: String = staff_users::table
        .find(user_id)
        .select(staff_users::password_hash)
        .first(conn)?;
    let mut errors = Vec::new();
    if current.chars().count() > MAX_PASSWORD_CHARS || !verify_password(&old_hash, current) {
        errors.push(problem(
            "current_password",
            "password_wrong",
            "this is not the current password".into(),
        ));
    }
    errors.extend(check_new_password(new, again));
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    // Argon2 takes tens of milliseconds: hash before taking the write lock.
    let new_hash = hash_password(new)?;
    crate::db::write_tx(conn, |c| {
        // Only over the hash that was checked: a change made meanwhile wins.
        let n = diesel::update(
            staff_users::table
                .find(user_id)
                .filter(staff_users::password_hash.eq(&old_hash)),
        )
        .set(staff_users::password_hash.eq(&new_hash))
        .execute(c)?;
        if n == 0 {
            return Err(AppError::Stale);
        }
        let others = staff_sessions::table
            .filter(staff_sessions::user_id.eq(user_id))
            .filter(staff_sessions::token_hash.ne(keep.unwrap_or("")));
        Ok(diesel::delete(others).execute(c)?)
    })
}

#[derive(Template)]
#[template(path = "pages/account/password.html")]
struct PasswordPage<'a> {
    ctx: &'a PageCtx,
    email: String,
    changed: bool,
    errors: Vec<FieldError>,
}

impl PasswordPage<'_> {
    /// The message for a field's problem, in the page's language.
    fn e(&self, field: &str) -> &'static str {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| self.ctx.t(&e.code))
            .unwrap_or("")
    }
}

#[derive(Deserialize)]
pub struct Changed {
    #[serde(default)]
    changed: Option<String>,
}

fn page(
    req: &HttpRequest,
    state: &AppState,
    me: &Staff,
    changed: bool,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(req, state.settings.server.cookie_secure);
    render(
        &ctx,
        &PasswordPage {
            ctx: &ctx,
            email: me.0.email.clone(),
            changed,
            errors,
        },
    )
}

pub async fn password_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: Staff,
    q: web::Query<Changed>,
) -> Result<HttpResponse, PageError> {
    page(&req, &state, &me, q.changed.is_some(), vec![])
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    new_password_again: String,
}

pub async fn change(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: Staff,
    form: CsrfForm<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    let lang = crate::i18n::Lang::of(&req);
    // Wrong current passwords count like failed logins: a session left open on a shared
    // computer must not become a way to guess the password.
    let key = format!("account:{}", me.0.email);
    if state.login_limiter.blocked(&key) {
        return Err(PageError::new(AppError::RateLimited, lang));
    }
    let f = form.0;
    let keep = req.cookie(SESSION_COOKIE).map(|c| digest(c.value()));
    let (st, id) = (state.clone(), me.0.id.clone());
    let result = blocking(move || {
        change_password(
            &mut *st.pool.get()?,
            &id,
            keep.as_deref(),
            &f.current_password,
            &f.new_password,
            &f.new_password_again,
        )
    })
    .await;
    match result {
        Ok(ended) => {
            state.identities.forget_all();
            tracing::info!(account = %me.0.email, sessions_ended = ended, "password changed");
            Ok(redirect("/account/password?changed=1"))
        }
        Err(AppError::Validation(errors)) => {
            if errors.iter().any(|e| e.code == "password_wrong") {
                state.login_limiter.fail(&key);
            }
            let mut res = page(&req, &state, &me, false, errors)?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(PageError::new(e, lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.code.as_str()).collect()
    }

    #[test]
    fn a_new_password_is_long_enough_bounded_and_typed_twice_alike() {
        assert!(check_new_password("a long enough one", "a long enough one").is_empty());
        assert_eq!(
            codes(&check_new_password("short", "short")),
            ["password_too_short"]
        );
        let long = "x".repeat(MAX_PASSWORD_CHARS + 1);
        assert_eq!(
            codes(&check_new_password(&long, &long)),
            ["password_too_long"]
        );
        assert_eq!(
            codes(&check_new_password(
                "a long enough one",
                "a long enough 0ne"
            )),
            ["password_mismatch"]
        );
        // Characters, not bytes: ten accented letters are enough.
        assert!(check_new_password("éééééééééé", "éééééééééé").is_empty());
    }
}
