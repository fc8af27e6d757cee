//! iCalendar (RFC 5545) export of sessions, with times in the edition's time zone.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

use super::model::{PersonRole, SessionKind};
use super::Programme;
use crate::i18n::Lang;

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            // Other control characters are not allowed in TEXT (RFC 5545 §3.3.11).
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets without splitting a character (§3.1).
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn stamp(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

fn offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
}

/// A VTIMEZONE describing `tz` over the given years: the offset in force on 1 January and
/// every change within the years, found by walking the year hour by hour.
fn vtimezone(out: &mut String, tz: Tz, years: &[i32]) {
    line(out, "BEGIN:VTIMEZONE");
    line(out, &format!("TZID:{}", tz.name()));
    for &year in years {
        let Some(start) =
            NaiveDate::from_ymd_opt(year, 1, 1).map(|d| d.and_hms_opt(0, 0, 0).unwrap())
        else {
            continue;
        };
        let end = start + Duration::days(366);
        let at = |t: NaiveDateTime| tz.offset_from_utc_datetime(&t);
        let mut prev = at(start);
        let component = |out: &mut String,
                         when_local: NaiveDateTime,
                         from: i32,
                         o: <Tz as TimeZone>::Offset| {
            let daylight = !o.dst_offset().is_zero();
            let name = if daylight { "DAYLIGHT" } else { "STANDARD" };
            line(out, &format!("BEGIN:{name}"));
            line(out, &format!("DTSTART:{}", stamp(when_local)));
            line(out, &format!("TZOFFSETFROM:{}", offset(from)));
            line(
                out,
                &format!("TZOFFSETTO:{}", offset(o.fix().local_minus_utc())),
            );
            line(out, &format!("TZNAME:{}", o.abbreviation().unwrap_or("")));
            line(out, &format!("END:{name}"));
        };
        let first = prev.fix().local_minus_utc();
        component(out, start + Duration::seconds(first as i64), first, prev);
        let mut t = start;
        while t < end && t.year() == year {
            let next = t + Duration::hours(1);
            let o = at(next);
            if o.fix() != prev.fix() {
                let from = prev.fix().local_minus_utc();
                // Some zones change on the half hour: find the minute within this hour.
                let mut change = t + Duration::minutes(1);
                while at(change).fix() == prev.fix() {
                    change += Duration::minutes(1);
                }
                // DTSTART is the local time before the change (RFC 5545 §3.6.5).
                component(out, change + Duration::seconds(from as i64), from, o);
                prev = o;
            }
            t = next;
        }
    }
    line(out, "END:VTIMEZONE");
}

/// A calendar of the given sessions (indices into the programme), breaks excluded.
pub fn calendar(p: &Programme, sessions: &[usize], lang: Lang, public_url: &str) -> String {
    let doc = p.doc();
    let tz = p.v.tz;
    let mut out = String::with_capacity(1024 + sessions.len() * 600);
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//rencontres//programme//FR");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(
        &mut out,
        &format!("X-WR-CALNAME:{}", escape(&doc.edition.title)),
    );
    line(&mut out, &format!("X-WR-TIMEZONE:{}", tz.name()));

    let mut years: Vec<i32> = sessions
        .iter()
        .map(|&i| p.v.sessions[i].day.year())
        .collect();
    years.sort_unstable();
    years.dedup();
    if years.is_empty() {
        years.push(doc.edition.year);
    }
    vtimezone(&mut out, tz, &years);

    let dtstamp = format!("{}Z", stamp(p.edition.updated_at));
    for &i in sessions {
        let (s, vs) = (&doc.sessions[i], &p.v.sessions[i]);
        if vs.kind == SessionKind::Break {
            continue;
        }
        line(&mut out, "BEGIN:VEVENT");
        line(
            &mut out,
            &format!("UID:{}-{}@rencontres", doc.edition.slug, s.key),
        );
        line(&mut out, &format!("DTSTAMP:{dtstamp}"));
        line(
            &mut out,
            &format!(
                "DTSTART;TZID={}:{}",
                tz.name(),
                stamp(vs.day.and_time(vs.start))
            ),
        );
        line(
            &mut out,
            &format!(
                "DTEND;TZID={}:{}",
                tz.name(),
                stamp(vs.day.and_time(vs.end))
            ),
        );
        line(&mut out, &format!("SUMMARY:{}", escape(&s.title)));
        let mut description = s.summary.clone();
        for role in PersonRole::ALL {
            let names: Vec<&str> = vs
                .people
                .iter()
                .filter(|(_, r)| r == role)
                .map(|(person, _)| doc.people[*person].name.as_str())
                .collect();
            if !names.is_empty() {
                description.push_str(&format!("\n\n{} : {}", role.label(lang), names.join(", ")));
            }
        }
        line(
            &mut out,
            &format!("DESCRIPTION:{}", escape(description.trim())),
        );
        let place = match vs.room {
            Some(r) if doc.edition.venue.is_empty() => doc.rooms[r].name.clone(),
            Some(r) => format!("{}, {}", doc.rooms[r].name, doc.edition.venue),
            None => doc.edition.venue.clone(),
        };
        if !place.is_empty() {
            line(&mut out, &format!("LOCATION:{}", escape(&place)));
        }
        line(
            &mut out,
            &format!("CATEGORIES:{}", escape(vs.kind.label(lang))),
        );
        if !public_url.is_empty() {
            line(
                &mut out,
                &format!(
                    "URL:{public_url}/editions/{}/sessions/{}",
                    doc.edition.slug, s.key
                ),
            );
        }
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let mut out = String::new();
        let text = format!("SUMMARY:{}", "é".repeat(60));
        line(&mut out, &text);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), text);
    }

    #[test]
    fn half_hour_changes_are_placed_to_the_minute() {
        let mut out = String::new();
        vtimezone(&mut out, chrono_tz::Australia::Lord_Howe, &[2023]);
        // Lord Howe moves by 30 minutes at 02:00 local time.
        assert!(
            out.contains("DTSTART:20230402T020000\r\nTZOFFSETFROM:+1100\r\nTZOFFSETTO:+1030"),
            "{out}"
        );
    }

    #[test]
    fn paris_has_two_changes_a_year() {
        let mut out = String::new();
        vtimezone(&mut out, chrono_tz::Europe::Paris, &[2023]);
        assert!(out.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20230326T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"
        ));
        assert!(out.contains(
            "BEGIN:STANDARD\r\nDTSTART:20231029T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"
        ));
    }
}
