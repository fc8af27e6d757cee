//! Transactions that lost a race on PostgreSQL are run again.
//!
//! With several servers on one PostgreSQL, two transactions may wait on each other's rows
//! (SQLSTATE 40P01, a deadlock: PostgreSQL aborts one of them) or fail to serialise
//! (40001). Neither is the caller's fault and both succeed when run again, so
//! [`super::write_tx`] retries them a few times after a short random pause before any
//! error reaches a person.

use std::time::Duration;

use diesel::result::{DatabaseErrorKind, Error};

use crate::error::AppError;

/// Attempts in all, the first included.
pub const ATTEMPTS: u32 = 6;

/// An error that may carry a database failure worth retrying.
pub trait Transient {
    fn is_transient(&self) -> bool;
}

impl Transient for Error {
    fn is_transient(&self) -> bool {
        match self {
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
            // Diesel has no kind for 40P01; PostgreSQL's message is stable across versions.
            Error::DatabaseError(_, info) => info.message().contains("deadlock detected"),
            _ => false,
        }
    }
}

impl Transient for AppError {
    fn is_transient(&self) -> bool {
        matches!(self, AppError::Database(e) if e.is_transient())
    }
}

/// The pause before attempt `attempt` (1 for the first retry): 1–2 ms, doubling up to
/// 16–32 ms, with jitter so that the two losers of a deadlock do not meet again.
pub fn pause(attempt: u32) -> Duration {
    let base = 1u64 << attempt.saturating_sub(1).min(4);
    let mut byte = [0u8; 1];
    let jitter = match getrandom::fill(&mut byte) {
        Ok(()) => u64::from(byte[0]) * base / 255,
        Err(_) => base / 2,
    };
    Duration::from_micros((base + jitter) * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Info(&'static str);
    impl diesel::result::DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn db(kind: DatabaseErrorKind, message: &'static str) -> Error {
        Error::DatabaseError(kind, Box::new(Info(message)))
    }

    #[test]
    fn deadlocks_and_serialisation_failures_are_retried_others_not() {
        assert!(db(
            DatabaseErrorKind::SerializationFailure,
            "could not serialize"
        )
        .is_transient());
        assert!(db(DatabaseErrorKind::Unknown, "deadlock detected").is_transient());
        assert!(
            AppError::Database(db(DatabaseErrorKind::Unknown, "deadlock detected")).is_transient()
        );
        assert!(!db(DatabaseErrorKind::UniqueViolation, "duplicate key").is_transient());
        assert!(!Error::NotFound.is_transient());
        assert!(!AppError::NotFound.is_transient());
    }

    #[test]
    fn pauses_grow_and_stay_short() {
        for attempt in 1..ATTEMPTS {
            let p = pause(attempt);
            let base = 1u64 << (attempt - 1).min(4);
            assert!(p >= Duration::from_millis(base), "{attempt}: {p:?}");
            assert!(p <= Duration::from_millis(2 * base), "{attempt}: {p:?}");
        }
    }
}
