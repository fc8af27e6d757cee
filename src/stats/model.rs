//! The figures as they are served (JSON, OpenAPI): what every other view is made from.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use utoipa::ToSchema;

use super::decode::Code;
use foldhash::HashMap;

/// Counts by code, in a fixed order (the order of the closed list, then any other code).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally(pub Vec<(String, i64)>);

impl Tally {
    /// Every code of `codes` at 0, then `counts` added (unknown codes at the end).
    pub fn over<'a>(codes: impl IntoIterator<Item = &'a str>, counts: &HashMap<Code, i64>) -> Self {
        let mut out: Vec<(String, i64)> = codes
            .into_iter()
            .map(|c| (c.to_string(), counts.get(c).copied().unwrap_or(0)))
            .collect();
        let mut others: Vec<(&str, i64)> = counts
            .iter()
            .filter(|(c, _)| !out.iter().any(|(k, _)| k == c.as_ref()))
            .map(|(c, n)| (c.as_ref(), *n))
            .collect();
        others.sort();
        out.extend(others.into_iter().map(|(c, n)| (c.to_string(), n)));
        Tally(out)
    }

    pub fn get(&self, code: &str) -> Option<i64> {
        self.0.iter().find(|(c, _)| c == code).map(|(_, n)| *n)
    }
}

impl Serialize for Tally {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Which people the participant figures count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// People checked in at least once (the desk has recorded check-ins).
    Present,
    /// Confirmed registrations (no check-in recorded yet).
    Registered,
}

/// Which edition the figures are about.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EditionInfo {
    pub slug: String,
    pub number: i32,
    pub year: i32,
    pub title: String,
    /// `YYYY-MM-DD`, in order.
    pub days: Vec<String>,
}

/// One country of the participants.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CountryCount {
    /// ISO 3166-1 alpha-2.
    pub code: String,
    /// In the request's language.
    pub name: String,
    pub count: i64,
}

/// The participants' countries, most represented first.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Countries {
    pub count: i64,
    pub list: Vec<CountryCount>,
}

/// One session of the programme (breaks left out).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SessionFigures {
    pub key: String,
    pub title: String,
    /// The session's own seats, else its room's; null without either.
    pub capacity: Option<i32>,
    /// Confirmed session choices of registrations that are not cancelled.
    pub intended: i64,
    /// People let in at the door.
    pub attended: i64,
    /// `attended / capacity` (above 1 when more came than seats); null without capacity.
    pub fill_rate: Option<f64>,
}

/// Check-ins in one quarter of an hour of a morning.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Quarter {
    /// `YYYY-MM-DD`, local.
    pub day: String,
    /// `HH:MM`, local start of the quarter.
    pub from: String,
    pub count: i64,
}

/// Registrations made on one day (local date), and all of them until then.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RegistrationDay {
    pub date: String,
    pub count: i64,
    pub cumulative: i64,
}

/// The bound of one series, and what it left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct SeriesLimit {
    /// The most entries the series holds: days for `registrations_by_day`, mornings for
    /// `arrivals`.
    pub max: i64,
    /// Whether entries were left out to keep within `max`.
    pub capped: bool,
    /// How many were left out (days, or mornings).
    pub omitted: i64,
}

impl SeriesLimit {
    pub fn of(max: usize, omitted: usize) -> Self {
        SeriesLimit {
            max: max as i64,
            capped: omitted > 0,
            omitted: omitted as i64,
        }
    }
}

/// Every series of the figures has a bound, whatever the data: these say where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct SeriesLimits {
    /// The latest days are kept; registrations of the days left out still count in the
    /// first kept day's `cumulative`.
    pub registrations_by_day: SeriesLimit,
    /// The busiest mornings are kept, in date order.
    pub arrivals: SeriesLimit,
}

/// Every figure of an edition. Rates are between 0 and 1 (rounded to 4 decimals), or null
/// when they cannot be computed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Stats {
    pub edition: EditionInfo,
    /// Confirmed registrations.
    pub registered: i64,
    pub waitlisted: i64,
    pub cancelled: i64,
    /// Distinct people checked in on any day.
    pub present: i64,
    /// People checked in, for every day of the edition (`YYYY-MM-DD` → count).
    #[schema(value_type = HashMap<String, i64>)]
    pub present_by_day: Tally,
    /// Share of confirmed registrations never checked in; null before any check-in.
    pub no_show_rate: Option<f64>,
    /// How many people the figures below count.
    pub participants: i64,
    pub participants_basis: Basis,
    /// Share of participants from a country other than France.
    pub foreign_share: Option<f64>,
    pub countries: Countries,
    /// Distinct French local governments among the participants (names compared without
    /// accents or case).
    pub french_local_governments: i64,
    /// Organisation type code → participants, every code present.
    #[schema(value_type = HashMap<String, i64>)]
    pub by_organisation_type: Tally,
    /// Function code → participants, every code present.
    #[schema(value_type = HashMap<String, i64>)]
    pub by_function: Tally,
    /// Badge category code → participants, every code present.
    #[schema(value_type = HashMap<String, i64>)]
    pub by_category: Tally,
    pub sessions_count: i64,
    /// In programme order.
    pub sessions: Vec<SessionFigures>,
    /// Morning check-ins (before 13:00 local) per quarter of an hour, day by day, from the
    /// first busy quarter to the last; 31 mornings at most (`series_limits.arrivals`).
    pub arrivals: Vec<Quarter>,
    /// From the day registration opened to the day of the last registration, empty days
    /// included; every registration whatever its status; 500 days at most
    /// (`series_limits.registrations_by_day`).
    pub registrations_by_day: Vec<RegistrationDay>,
    pub series_limits: SeriesLimits,
    /// The sentence of the annual report, in the request's language.
    pub headline: String,
    /// The same figures for the previous edition (the latest to start before this one).
    #[schema(no_recursion)]
    pub previous: Option<Box<Stats>>,
}
