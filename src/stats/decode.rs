//! Reading the columns counted, fast: codes borrowed from the closed lists, SQLite's text
//! timestamps parsed by hand.

use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveDateTime};
// A report hashes some hundred thousand short keys: a fast hash rather than SipHash; the
// keys of one edition are few and bounded, randomly seeded all the same.
use foldhash::{HashSet, HashSetExt};

use crate::registrations::model::{Category, Function, OrganisationType, Status};

/// A code of one of the closed lists a registration is made of (status, organisation
/// type, function, category, country), borrowed from the list: the rows read allocate
/// nothing for them. A code no list knows (older data) is kept as read.
pub type Code = Cow<'static, str>;

static KNOWN_CODES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    let mut known = HashSet::new();
    known.extend(Status::ALL.iter().map(|s| s.code()));
    known.extend(OrganisationType::ALL.iter().map(|t| t.code()));
    known.extend(Function::ALL.iter().map(|f| f.code()));
    known.extend(Category::ALL.iter().map(|c| c.code()));
    known.extend(crate::countries::COUNTRIES.iter().map(|c| c.code));
    known
});

pub fn code(text: &str) -> Code {
    match KNOWN_CODES.get(text) {
        Some(known) => Cow::Borrowed(*known),
        None => Cow::Owned(text.to_owned()),
    }
}

/// `YYYY-MM-DD HH:MM:SS[.fraction]`, as SQLite keeps timestamps, read by hand: diesel's
/// general-purpose parsing (or SQLite's own) costs more than the rest of reading a row.
pub fn stamp(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    if b.len() < 19 || (b[10] != b' ' && b[10] != b'T') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let n = |from: usize, to: usize| text.get(from..to)?.parse::<u32>().ok();
    let nanos = match text.get(19..)? {
        "" => 0,
        f if f.starts_with('.') && f.len() > 1 => {
            let digits = &f[1..f.len().min(10)];
            digits.parse::<u32>().ok()? * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    date(text.get(..10)?)?.and_hms_nano_opt(n(11, 13)?, n(14, 16)?, n(17, 19)?, nanos)
}

/// A UUID's 16 bytes; `None` for an id of another shape.
pub fn uid(text: &str) -> Option<u128> {
    uuid::Uuid::try_parse(text).ok().map(|u| u.as_u128())
}

/// `YYYY-MM-DD`.
pub fn date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let n = |from: usize, to: usize| text.get(from..to)?.parse::<u32>().ok();
    NaiveDate::from_ymd_opt(n(0, 4)? as i32, n(5, 7)?, n(8, 10)?)
}

/// SQLite columns decoded from the text SQLite holds, without an intermediate `String`.
pub mod sqlite_text {
    use chrono::{NaiveDate, NaiveDateTime};
    use diesel::backend::Backend;
    use diesel::deserialize::{self, FromSql, FromSqlRow};
    use diesel::sql_types::Text;
    use diesel::sqlite::Sqlite;

    #[derive(FromSqlRow)]
    pub struct Code(pub super::Code);

    #[derive(FromSqlRow)]
    pub struct Stamp(pub NaiveDateTime);

    #[derive(FromSqlRow)]
    pub struct Day(pub NaiveDate);

    /// An id as 16 bytes when it is a UUID, read without copying the text.
    #[derive(FromSqlRow)]
    pub struct Uid(pub Option<u128>);

    fn unreadable(what: &str, text: &str) -> Box<dyn std::error::Error + Send + Sync> {
        format!("unreadable {what} {text:?}").into()
    }

    impl FromSql<Text, Sqlite> for Code {
        fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
            Ok(Code(super::code(value.read_text())))
        }
    }

    impl FromSql<Text, Sqlite> for Stamp {
        fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
            let text = value.read_text();
            super::stamp(text)
                .map(Stamp)
                .ok_or_else(|| unreadable("time", text))
        }
    }

    impl FromSql<Text, Sqlite> for Uid {
        fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
            Ok(Uid(super::uid(value.read_text())))
        }
    }

    impl FromSql<Text, Sqlite> for Day {
        fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
            let text = value.read_text();
            super::date(text)
                .map(Day)
                .ok_or_else(|| unreadable("date", text))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_read_as_stored() {
        let t = |s: &str| stamp(s).map(|x| x.format("%Y-%m-%d %H:%M:%S%.6f").to_string());
        assert_eq!(
            t("2030-09-16 08:50:00"),
            Some("2030-09-16 08:50:00.000000".into())
        );
        assert_eq!(
            t("2030-09-16 08:50:07.25"),
            Some("2030-09-16 08:50:07.250000".into())
        );
        assert_eq!(
            t("2030-09-16T08:50:07.123456789"),
            Some("2030-09-16 08:50:07.123456".into())
        );
        assert_eq!(t("2030-02-30 08:50:00"), None);
        assert_eq!(t("2030-09-16 08:50:00Z"), None);
        assert_eq!(t("yesterday"), None);
        assert_eq!(date("2030-09-16"), NaiveDate::from_ymd_opt(2030, 9, 16));
    }

    #[test]
    fn codes_of_the_closed_lists_are_borrowed_others_kept() {
        for known in [
            "confirmed",
            "french_local_government",
            "elected",
            "press",
            "SN",
        ] {
            assert!(
                matches!(code(known), Cow::Borrowed(c) if c == known),
                "{known}"
            );
        }
        assert!(matches!(code("retired"), Cow::Owned(c) if c == "retired"));
    }
}
