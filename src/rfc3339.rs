//! Timestamps in JSON: RFC 3339 with an offset, always. The database keeps UTC instants as
//! naive date-times; written bare (`2023-09-18T07:30:00`) a reader cannot tell which zone
//! they are in, so every one leaves the server with its `Z`.
//!
//! Use `#[serde(serialize_with = "crate::rfc3339::utc")]` (or `utc_opt`) on a field, or wrap
//! a value in [`Utc`] inside `json!`. Incoming timestamps take any offset (`deserialize_opt`).

use chrono::{DateTime, NaiveDateTime, SecondsFormat};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A UTC instant as RFC 3339 with `Z`, e.g. `2023-09-18T07:30:00Z`.
pub fn format(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

pub fn utc<S: Serializer>(at: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format(*at))
}

pub fn utc_opt<S: Serializer>(at: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => utc(at, s),
        None => s.serialize_none(),
    }
}

/// A UTC instant that serialises as RFC 3339 with `Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utc(pub NaiveDateTime);

impl Serialize for Utc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        utc(&self.0, s)
    }
}

/// Reads an RFC 3339 timestamp with its offset, as UTC. A timestamp without an offset is
/// taken as UTC, as earlier versions of the API wrote them.
pub fn parse(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.naive_utc())
        .ok()
        .or_else(|| text.parse::<NaiveDateTime>().ok())
}

pub fn deserialize_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(text) => parse(&text).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "not an RFC 3339 timestamp (e.g. 2030-09-16T08:00:00Z): {text:?}"
            ))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        s.parse().unwrap()
    }

    #[test]
    fn instants_leave_with_their_offset() {
        assert_eq!(format(at("2023-09-18T07:30:00")), "2023-09-18T07:30:00Z");
        assert_eq!(
            format(at("2026-12-05T10:12:57.953964")),
            "2026-12-05T10:12:57.953964Z"
        );
        let json = serde_json::to_string(&Utc(at("2023-09-18T07:30:00"))).unwrap();
        assert_eq!(json, "\"2023-09-18T07:30:00Z\"");
    }

    #[test]
    fn incoming_offsets_become_utc() {
        assert_eq!(
            parse("2023-09-18T09:30:00+02:00"),
            Some(at("2023-09-18T07:30:00"))
        );
        assert_eq!(
            parse("2023-09-18T07:30:00Z"),
            Some(at("2023-09-18T07:30:00"))
        );
        assert_eq!(
            parse("2023-09-18T07:30:00"),
            Some(at("2023-09-18T07:30:00"))
        );
        assert_eq!(parse("18/09/2023"), None);
        assert_eq!(parse(""), None);
    }
}
