//! API tokens for machine clients: issued for an account with an optional lifetime, listed,
//! revoked one by one, and their last use recorded (at most once a minute, not a write per
//! request: a desk sends hundreds a second with one token).

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;

use super::{digest, normalise_email, random_token, Owner, StaffRow, StaffUser};
use crate::db::schema::{api_tokens, staff_users};
use crate::db::DbConnection;
use crate::error::{AppError, FieldError};

/// The longest lifetime a token can be given (ten years).
pub const MAX_DAYS: i64 = 3650;
pub const MAX_LABEL_CHARS: usize = 100;
/// A token's use is written down at most this often.
pub const USE_RECORDED_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// A token as the operator sees it (never its secret).
#[derive(Debug, Clone, Queryable)]
pub struct TokenInfo {
    pub id: String,
    pub label: String,
    pub owner: String,
    pub role: String,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
}

/// When a token issued at `now` for `days` stops working; `None` never.
pub fn expiry(now: NaiveDateTime, days: Option<i64>) -> Result<Option<NaiveDateTime>, AppError> {
    match days {
        None => Ok(None),
        Some(d) if (1..=MAX_DAYS).contains(&d) => Ok(Some(now + chrono::Duration::days(d))),
        Some(_) => Err(AppError::Validation(vec![FieldError {
            field: "expires_in".into(),
            code: "out_of_range".into(),
            message: format!("a number of days from 1 to {MAX_DAYS}"),
        }])),
    }
}

/// Issues a token for an active account; returns the token (shown once, stored as a
/// digest) and its id.
pub fn issue(
    conn: &mut DbConnection,
    email: &str,
    label: &str,
    expires_in_days: Option<i64>,
) -> Result<(String, String), AppError> {
    if label.chars().count() > MAX_LABEL_CHARS {
        return Err(AppError::Validation(vec![FieldError {
            field: "label".into(),
            code: "too_long".into(),
            message: format!("at most {MAX_LABEL_CHARS} characters"),
        }]));
    }
    let now = Utc::now().naive_utc();
    let expires_at = expiry(now, expires_in_days)?;
    let user: StaffRow = staff_users::table
        .filter(staff_users::email.eq(normalise_email(email)))
        .filter(staff_users::active.eq(true))
        .select(StaffRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let token = random_token("rct_");
    let id = uuid::Uuid::now_v7().to_string();
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(&id),
            api_tokens::user_id.eq(&user.id),
            api_tokens::token_hash.eq(digest(&token)),
            api_tokens::label.eq(label),
            api_tokens::created_at.eq(now),
            api_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok((token, id))
}

/// Issues a token that never expires.
pub fn create_api_token(
    conn: &mut DbConnection,
    email: &str,
    label: &str,
) -> Result<String, AppError> {
    issue(conn, email, label, None).map(|(token, _)| token)
}

/// Every token, or those of one account, oldest first.
pub fn list(conn: &mut DbConnection, email: Option<&str>) -> Result<Vec<TokenInfo>, AppError> {
    let mut query = api_tokens::table
        .inner_join(staff_users::table)
        .select((
            api_tokens::id,
            api_tokens::label,
            staff_users::email,
            staff_users::role,
            api_tokens::created_at,
            api_tokens::expires_at,
            api_tokens::last_used_at,
        ))
        .order((api_tokens::created_at, api_tokens::id))
        .into_boxed();
    if let Some(email) = email {
        query = query.filter(staff_users::email.eq(normalise_email(email)));
    }
    Ok(query.load(conn)?)
}

/// Deletes one token; it stops working at once in this process, within seconds elsewhere.
pub fn revoke(conn: &mut DbConnection, id: &str) -> Result<(), AppError> {
    let n = diesel::delete(api_tokens::table.find(id)).execute(conn)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// The owner of a live token (not expired, account active).
pub fn bearer_owner(conn: &mut DbConnection, token: &str) -> Result<Option<Owner>, AppError> {
    let now = Utc::now().naive_utc();
    let row: Option<(
        StaffRow,
        String,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    )> = api_tokens::table
        .inner_join(staff_users::table)
        .filter(api_tokens::token_hash.eq(digest(token)))
        .filter(
            api_tokens::expires_at
                .is_null()
                .or(api_tokens::expires_at.gt(now)),
        )
        .filter(staff_users::active.eq(true))
        .select((
            StaffRow::as_select(),
            api_tokens::id,
            api_tokens::expires_at,
            api_tokens::last_used_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(r, id, expires_at, last_used_at)| {
        Some(Owner {
            user: r.user()?,
            expires_at,
            token: Some((id, last_used_at)),
        })
    }))
}

pub fn token_user(conn: &mut DbConnection, token: &str) -> Result<Option<StaffUser>, AppError> {
    Ok(bearer_owner(conn, token)?.map(|o| o.user))
}

/// Whether a use at `now` is worth writing down, given the last one written.
pub fn use_is_news(last_used: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    let every = chrono::Duration::from_std(USE_RECORDED_EVERY).unwrap_or_default();
    last_used.is_none_or(|at| now - at >= every)
}

/// Records a use; the condition keeps several servers from writing it more than once a
/// minute between them.
pub fn record_use(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> Result<(), AppError> {
    let every = chrono::Duration::from_std(USE_RECORDED_EVERY).unwrap_or_default();
    diesel::update(
        api_tokens::table.find(id).filter(
            api_tokens::last_used_at
                .is_null()
                .or(api_tokens::last_used_at.le(now - every)),
        ),
    )
    .set(api_tokens::last_used_at.eq(now))
    .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn lifetimes_are_bounded() {
        let now = at("2026-12-05 10:00:00");
        assert_eq!(expiry(now, None).unwrap(), None);
        assert_eq!(
            expiry(now, Some(30)).unwrap(),
            Some(at("2027-01-04 10:00:00"))
        );
        assert!(expiry(now, Some(0)).is_err());
        assert!(expiry(now, Some(-3)).is_err());
        assert!(expiry(now, Some(MAX_DAYS)).is_ok());
        assert!(expiry(now, Some(MAX_DAYS + 1)).is_err());
    }

    #[test]
    fn a_use_is_news_once_a_minute() {
        let now = at("2026-12-05 10:00:00");
        assert!(use_is_news(None, now));
        assert!(!use_is_news(Some(at("2026-12-05 09:59:30")), now));
        assert!(use_is_news(Some(at("2026-12-05 09:59:00")), now));
        assert!(use_is_news(Some(at("2026-12-04 10:00:00")), now));
    }
}
