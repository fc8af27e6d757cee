//! The per-day series of the figures, bounded whatever the data: registrations by day
//! and arrivals by quarter of an hour, from the running counts of `figures`.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};

use super::model::{Quarter, RegistrationDay, SeriesLimit};

/// Days `registrations_by_day` holds at most: registration opens a few months ahead.
pub const MAX_REGISTRATION_DAYS: usize = 500;
/// Mornings `arrivals` holds at most: an edition lasts 31 days at most.
pub const MAX_MORNINGS: usize = crate::programme::document::MAX_EDITION_DAYS;

/// Morning check-ins per quarter of an hour, day by day, from each morning's first busy
/// quarter to its last, quiet quarters in between at 0 (52 quarters a morning at most).
/// Beyond [`MAX_MORNINGS`] mornings, the busiest are kept.
pub fn arrivals(mornings: &BTreeMap<NaiveDate, BTreeMap<u32, i64>>) -> (Vec<Quarter>, SeriesLimit) {
    let omitted = mornings.len().saturating_sub(MAX_MORNINGS);
    let mut kept: Vec<(&NaiveDate, &BTreeMap<u32, i64>)> = mornings.iter().collect();
    if omitted > 0 {
        let busy = |q: &BTreeMap<u32, i64>| q.values().sum::<i64>();
        // Stable: of equally busy mornings, the earlier ones stay.
        kept.sort_by_key(|(_, q)| std::cmp::Reverse(busy(q)));
        kept.truncate(MAX_MORNINGS);
        kept.sort_by_key(|(day, _)| **day);
    }
    let mut out = Vec::new();
    for (day, quarters) in kept {
        let (Some(first), Some(last)) = (quarters.keys().next(), quarters.keys().last()) else {
            continue;
        };
        for q in *first..=*last {
            out.push(Quarter {
                day: day.to_string(),
                from: format!("{:02}:{:02}", q * 15 / 60, q * 15 % 60),
                count: quarters.get(&q).copied().unwrap_or(0),
            });
        }
    }
    (out, SeriesLimit::of(MAX_MORNINGS, omitted))
}

/// Registrations per local day and their running total, from the opening day (or the
/// first registration, if earlier) to the last registration. Beyond
/// [`MAX_REGISTRATION_DAYS`] days, the latest are kept and the first kept day's running
/// total includes the days before it.
pub fn registrations_by_day(
    counts: &BTreeMap<NaiveDate, i64>,
    opens: Option<NaiveDate>,
) -> (Vec<RegistrationDay>, SeriesLimit) {
    let (Some(first), Some(last)) = (counts.keys().next().copied(), counts.keys().last().copied())
    else {
        return (Vec::new(), SeriesLimit::of(MAX_REGISTRATION_DAYS, 0));
    };
    let start = opens.map(|o| o.min(first)).unwrap_or(first);
    let span = (last - start).num_days() as usize + 1;
    let omitted = span.saturating_sub(MAX_REGISTRATION_DAYS);
    let from = start + Days::new(omitted as u64);
    let mut total: i64 = counts.range(..from).map(|(_, n)| n).sum();
    let mut out = Vec::with_capacity(span - omitted);
    for day in from.iter_days().take_while(|d| *d <= last) {
        let count = counts.get(&day).copied().unwrap_or(0);
        total += count;
        out.push(RegistrationDay {
            date: day.to_string(),
            count,
            cumulative: total,
        });
    }
    (out, SeriesLimit::of(MAX_REGISTRATION_DAYS, omitted))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;

    use super::super::figures::{Desk, People, Person, Visit};
    use super::super::model::Basis;
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn arrivals_at(times: &[NaiveDateTime]) -> (Vec<Quarter>, SeriesLimit) {
        let mut desk = Desk::new(chrono_tz::Europe::Paris);
        for t in times {
            desk.add(Visit {
                day: t.date(),
                at: *t,
                who: None,
            });
        }
        arrivals(&desk.mornings)
    }

    #[test]
    fn arrivals_are_local_quarters_of_each_morning() {
        // Paris is UTC+2 in October.
        let times = [
            at("2030-10-07 06:50"),
            at("2030-10-07 06:59"),
            at("2030-10-07 07:31"),
            at("2030-10-07 11:30"), // 13:30 local: afternoon
            at("2030-10-08 07:00"),
        ];
        let (a, limit) = arrivals_at(&times);
        let got: Vec<(&str, &str, i64)> = a
            .iter()
            .map(|x| (x.day.as_str(), x.from.as_str(), x.count))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2030-10-07", "08:45", 2),
                ("2030-10-07", "09:00", 0),
                ("2030-10-07", "09:15", 0),
                ("2030-10-07", "09:30", 1),
                ("2030-10-08", "09:00", 1),
            ]
        );
        assert_eq!(limit, SeriesLimit::of(MAX_MORNINGS, 0));
    }

    #[test]
    fn beyond_the_bound_the_busiest_mornings_stay() {
        // 40 mornings with one check-in each, and the 40th with two.
        let mut times: Vec<NaiveDateTime> = (0..40)
            .map(|d| at("2030-01-01 07:00") + chrono::Duration::days(d))
            .collect();
        times.push(at("2030-02-09 07:20"));
        let (a, limit) = arrivals_at(&times);
        assert_eq!(limit, SeriesLimit::of(MAX_MORNINGS, 9));
        assert!(limit.capped);
        let mut days: Vec<&str> = a.iter().map(|q| q.day.as_str()).collect();
        days.dedup();
        assert_eq!(days.len(), MAX_MORNINGS);
        assert_eq!(days[0], "2030-01-01");
        assert_eq!(days[MAX_MORNINGS - 1], "2030-02-09", "the busiest one");
        assert!(days.windows(2).all(|w| w[0] < w[1]));
    }

    fn local_days(created: &[NaiveDateTime]) -> BTreeMap<NaiveDate, i64> {
        let mut people = People::new(Basis::Registered, chrono_tz::Europe::Paris);
        for t in created {
            people.add(Person {
                created_at: *t,
                ..Person::default()
            });
        }
        people.created
    }

    #[test]
    fn the_registration_curve_starts_on_the_opening_day() {
        let created = [
            at("2030-06-02 22:30"), // 3 June in Paris
            at("2030-06-03 08:00"),
            at("2030-06-05 10:00"),
        ];
        let (days, limit) =
            registrations_by_day(&local_days(&created), NaiveDate::from_ymd_opt(2030, 6, 1));
        let got: Vec<(&str, i64, i64)> = days
            .iter()
            .map(|d| (d.date.as_str(), d.count, d.cumulative))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2030-06-01", 0, 0),
                ("2030-06-02", 0, 0),
                ("2030-06-03", 2, 2),
                ("2030-06-04", 0, 2),
                ("2030-06-05", 1, 3),
            ]
        );
        assert!(!limit.capped);
        assert!(registrations_by_day(&BTreeMap::new(), None).0.is_empty());
    }

    #[test]
    fn a_long_registration_curve_keeps_its_latest_days_and_its_total() {
        let created = [
            at("2020-01-01 10:00"),
            at("2020-01-02 10:00"),
            at("2030-06-05 10:00"),
        ];
        let (days, limit) =
            registrations_by_day(&local_days(&created), NaiveDate::from_ymd_opt(2019, 1, 1));
        assert_eq!(days.len(), MAX_REGISTRATION_DAYS);
        assert!(limit.capped);
        let span = (NaiveDate::from_ymd_opt(2030, 6, 5).unwrap()
            - NaiveDate::from_ymd_opt(2019, 1, 1).unwrap())
        .num_days()
            + 1;
        assert_eq!(limit.omitted, span - MAX_REGISTRATION_DAYS as i64);
        assert_eq!(days[0].cumulative, 2, "the days left out still count");
        let last = days.last().unwrap();
        assert_eq!(
            (last.date.as_str(), last.count, last.cumulative),
            ("2030-06-05", 1, 3)
        );
    }
}
