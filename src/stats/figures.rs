//! The figures from what the database gives, by plain functions: rows are added to
//! running counts as they are read and dropped, so that an edition of any size takes the
//! memory of its distinct codes, names and days, never of its rows.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Timelike};
use chrono_tz::Tz;
use foldhash::{HashMap, HashSet};

use super::decode::Code;
use super::format::headline;
use super::model::{
    Basis, Countries, CountryCount, EditionInfo, SeriesLimits, SessionFigures, Stats, Tally,
};
use super::series::{arrivals, registrations_by_day};
use crate::i18n::Lang;
use crate::programme::model::SessionKind;
use crate::registrations::form::fold;
use crate::registrations::model::{Category, Function, OrganisationType, Status};

/// What is counted of one registration (erasure keeps all of it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Person {
    pub status: Code,
    pub country: Code,
    pub organisation_type: Code,
    pub function: Code,
    pub category: Code,
    /// Read for French local governments only, the others are not compared.
    pub organisation: String,
    /// UTC.
    pub created_at: NaiveDateTime,
    /// Checked in at least once (undone check-ins left out).
    pub present: bool,
}

/// An active check-in.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub day: NaiveDate,
    /// UTC.
    pub at: NaiveDateTime,
    /// The registration's id as 16 bytes, `None` when it is not a UUID.
    pub who: Option<u128>,
}

/// Who the participant figures count, tallied.
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub count: i64,
    pub foreign: i64,
    pub by_country: HashMap<Code, i64>,
    pub by_type: HashMap<Code, i64>,
    pub by_function: HashMap<Code, i64>,
    pub by_category: HashMap<Code, i64>,
    /// French local governments' names as written: few, folded once at the end.
    pub french_names: HashSet<String>,
}

/// An edition's registrations, counted as they are read.
#[derive(Debug, Clone)]
pub struct People {
    /// Decided before reading: by the check-ins.
    pub basis: Basis,
    pub statuses: HashMap<Code, i64>,
    pub present: i64,
    pub present_confirmed: i64,
    pub participants: Group,
    /// Registrations per local day, whatever their status.
    pub created: BTreeMap<NaiveDate, i64>,
    tz: Tz,
}

fn bump(map: &mut HashMap<Code, i64>, code: &Code) {
    match map.get_mut(code.as_ref()) {
        Some(n) => *n += 1,
        None => {
            map.insert(code.clone(), 1);
        }
    }
}

impl People {
    pub fn new(basis: Basis, tz: Tz) -> Self {
        People {
            basis,
            statuses: HashMap::default(),
            present: 0,
            present_confirmed: 0,
            participants: Group::default(),
            created: BTreeMap::new(),
            tz,
        }
    }

    pub fn add(&mut self, p: Person) {
        let confirmed = p.status == Status::Confirmed.code();
        bump(&mut self.statuses, &p.status);
        self.present += i64::from(p.present);
        self.present_confirmed += i64::from(p.present && confirmed);
        *self
            .created
            .entry(self.tz.from_utc_datetime(&p.created_at).date_naive())
            .or_default() += 1;
        let counted = match self.basis {
            Basis::Present => p.present,
            Basis::Registered => confirmed,
        };
        if !counted {
            return;
        }
        let g = &mut self.participants;
        g.count += 1;
        g.foreign += i64::from(p.country != "FR");
        bump(&mut g.by_country, &p.country);
        bump(&mut g.by_type, &p.organisation_type);
        bump(&mut g.by_function, &p.function);
        bump(&mut g.by_category, &p.category);
        if p.organisation_type == OrganisationType::FrenchLocalGovernment.code() {
            g.french_names.insert(p.organisation);
        }
    }

    fn status(&self, s: Status) -> i64 {
        self.statuses.get(s.code()).copied().unwrap_or(0)
    }
}

/// An edition's active check-ins, counted as they are read.
#[derive(Debug, Clone)]
pub struct Desk {
    pub total: i64,
    pub by_day: HashMap<NaiveDate, i64>,
    /// Local day → quarter of an hour of the morning → check-ins.
    pub mornings: BTreeMap<NaiveDate, BTreeMap<u32, i64>>,
    tz: Tz,
    /// Who came, 16 bytes a check-in (6 MiB for 400,000), until the registrations are
    /// counted; `None` once an id was not a UUID.
    who: Option<Vec<u128>>,
    sorted: bool,
}

impl Desk {
    pub fn new(tz: Tz) -> Self {
        Desk {
            total: 0,
            by_day: HashMap::default(),
            mornings: BTreeMap::new(),
            tz,
            who: Some(Vec::new()),
            sorted: true,
        }
    }

    /// The ids of the people checked in, sorted, for a binary search; `None` when one was
    /// not a UUID.
    pub fn present_ids(&mut self) -> Option<&[u128]> {
        let who = self.who.as_mut()?;
        if !self.sorted {
            who.sort_unstable();
            who.dedup();
            self.sorted = true;
        }
        Some(who)
    }

    /// Drops the ids once the registrations are counted.
    pub fn forget_ids(&mut self) {
        self.who = None;
    }

    pub fn add(&mut self, v: Visit) {
        self.total += 1;
        match (v.who, self.who.as_mut()) {
            (Some(id), Some(who)) => {
                who.push(id);
                self.sorted = false;
            }
            _ => self.who = None,
        }
        // One active check-in per person and day (a unique index says so): rows are people.
        *self.by_day.entry(v.day).or_default() += 1;
        let local = self.tz.from_utc_datetime(&v.at).naive_local();
        if local.hour() < 13 {
            let quarter = (local.hour() * 60 + local.minute()) / 15;
            *self
                .mornings
                .entry(local.date())
                .or_default()
                .entry(quarter)
                .or_default() += 1;
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SessionRaw {
    pub id: String,
    pub key: String,
    pub title: String,
    pub kind: String,
    pub capacity: Option<i32>,
    pub room_capacity: Option<i32>,
}

/// What the database gives, counted: the inputs of [`build`].
#[derive(Debug, Clone)]
pub struct Raw {
    pub edition: EditionInfo,
    pub tz: Tz,
    pub days: Vec<NaiveDate>,
    pub people: People,
    pub desk: Desk,
    pub sessions: Vec<SessionRaw>,
    /// Session id → count.
    pub intended: HashMap<String, i64>,
    pub attended: HashMap<String, i64>,
    pub opens_at: Option<NaiveDateTime>,
}

/// `num / den` rounded to 4 decimals, or None when `den` is 0.
pub fn rate(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| (num as f64 / den as f64 * 10_000.0).round() / 10_000.0)
}

/// The figures from what the database gave.
pub fn build(raw: Raw, lang: Lang) -> Stats {
    let (people, desk) = (&raw.people, &raw.desk);
    let any_checkin = desk.total > 0;
    let g = &people.participants;
    let registered = people.status(Status::Confirmed);

    let sessions: Vec<SessionFigures> = raw
        .sessions
        .iter()
        .filter(|s| SessionKind::parse(&s.kind) != Some(SessionKind::Break))
        .map(|s| {
            let capacity = s.capacity.or(s.room_capacity);
            let attended = raw.attended.get(&s.id).copied().unwrap_or(0);
            SessionFigures {
                key: s.key.clone(),
                title: s.title.clone(),
                capacity,
                intended: raw.intended.get(&s.id).copied().unwrap_or(0),
                attended,
                fill_rate: capacity.and_then(|c| rate(attended, c as i64)),
            }
        })
        .collect();
    let opens = raw
        .opens_at
        .map(|o| raw.tz.from_utc_datetime(&o).date_naive());
    let (registrations_by_day, days_limit) = registrations_by_day(&people.created, opens);
    let (arrivals, mornings_limit) = arrivals(&desk.mornings);

    let mut stats = Stats {
        edition: raw.edition.clone(),
        registered,
        waitlisted: people.status(Status::Waitlisted),
        cancelled: people.status(Status::Cancelled),
        present: people.present,
        present_by_day: Tally(
            raw.days
                .iter()
                .map(|d| (d.to_string(), desk.by_day.get(d).copied().unwrap_or(0)))
                .collect(),
        ),
        no_show_rate: if any_checkin {
            rate(registered - people.present_confirmed, registered)
        } else {
            None
        },
        participants: g.count,
        participants_basis: people.basis,
        foreign_share: rate(g.foreign, g.count),
        french_local_governments: distinct_organisations(g.french_names.iter().map(String::as_str)),
        by_organisation_type: Tally::over(
            OrganisationType::ALL.iter().map(|t| t.code()),
            &g.by_type,
        ),
        by_function: Tally::over(Function::ALL.iter().map(|t| t.code()), &g.by_function),
        by_category: Tally::over(Category::ALL.iter().map(|t| t.code()), &g.by_category),
        sessions_count: sessions.len() as i64,
        sessions,
        countries: countries(&g.by_country, lang),
        arrivals,
        registrations_by_day,
        series_limits: SeriesLimits {
            registrations_by_day: days_limit,
            arrivals: mornings_limit,
        },
        headline: String::new(),
        previous: None,
    };
    stats.headline = headline(&stats, lang);
    stats
}

/// Countries by participants, most first, then by name.
pub fn countries(by_code: &HashMap<Code, i64>, lang: Lang) -> Countries {
    let mut list: Vec<CountryCount> = by_code
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(code, n)| CountryCount {
            code: code.to_string(),
            name: crate::countries::find(code)
                .map(|c| c.name(lang).to_string())
                .unwrap_or_else(|| code.to_string()),
            count: *n,
        })
        .collect();
    list.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| fold(&a.name).cmp(&fold(&b.name)))
            .then_with(|| a.code.cmp(&b.code))
    });
    Countries {
        count: list.len() as i64,
        list,
    }
}

/// How many different organisations these names are, ignoring accents, case and spacing.
pub fn distinct_organisations<'a>(names: impl IntoIterator<Item = &'a str>) -> i64 {
    names
        .into_iter()
        .map(|n| fold(n).split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|n| !n.is_empty())
        .collect::<HashSet<_>>()
        .len() as i64
}

#[cfg(test)]
mod tests {
    use super::super::decode::code;
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn person(
        id: &'static str,
        status: &str,
        country: &str,
        kind: &str,
        organisation: &str,
    ) -> (&'static str, Person) {
        (
            id,
            Person {
                status: code(status),
                country: code(country),
                organisation_type: code(kind),
                function: "elected".into(),
                category: "participant".into(),
                organisation: organisation.into(),
                created_at: at("2030-06-01 10:00"),
                present: false,
            },
        )
    }

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2030, 10, n).unwrap()
    }

    fn visit(id: &'static str, d: u32) -> (&'static str, Visit) {
        (
            id,
            Visit {
                day: day(d),
                at: at(&format!("2030-10-{d:02} 07:00")),
                who: None,
            },
        )
    }

    #[test]
    fn the_people_present_are_each_found_once_and_only_with_uuid_ids() {
        let mut desk = Desk::new(chrono_tz::Europe::Paris);
        for (who, d) in [(7u128, 1), (3, 1), (7, 2)] {
            desk.add(Visit {
                day: day(d),
                at: at(&format!("2030-10-{d:02} 08:00")),
                who: Some(who),
            });
        }
        assert_eq!(desk.present_ids(), Some(&[3u128, 7][..]));
        assert_eq!(desk.total, 3);
        desk.add(Visit {
            day: day(2),
            at: at("2030-10-02 09:00"),
            who: None,
        });
        assert_eq!(desk.present_ids(), None);
    }

    fn edition() -> EditionInfo {
        EditionInfo {
            slug: String::new(),
            number: 0,
            year: 0,
            title: String::new(),
            days: Vec::new(),
        }
    }

    /// The counts the database would give for these rows.
    fn raw(visits: Vec<(&'static str, Visit)>) -> Raw {
        let flg = "french_local_government";
        let tz = chrono_tz::Europe::Paris;
        let mut desk = Desk::new(tz);
        for (_, v) in &visits {
            desk.add(v.clone());
        }
        let basis = if desk.total > 0 {
            Basis::Present
        } else {
            Basis::Registered
        };
        let mut people = People::new(basis, tz);
        for (id, mut p) in [
            person("p1", "confirmed", "FR", flg, "Ville de Besançon"),
            person("p2", "confirmed", "FR", flg, "VILLE DE BESANCON "),
            person("p3", "confirmed", "SN", "foreign_local_government", "Dakar"),
            person("p4", "confirmed", "BR", "ngo", "Pólis"),
            person("p5", "waitlisted", "FR", flg, "Lyon"),
            person("p6", "cancelled", "FR", flg, "Nantes"),
            person("p7", "cancelled", "FR", flg, "Rennes"),
        ] {
            p.present = visits.iter().any(|(who, _)| *who == id);
            people.add(p);
        }
        Raw {
            edition: edition(),
            tz,
            days: vec![day(7), day(8)],
            people,
            desk,
            sessions: vec![
                SessionRaw {
                    id: "a".into(),
                    key: "s1".into(),
                    title: "Ouverture".into(),
                    kind: "plenary".into(),
                    capacity: None,
                    room_capacity: Some(300),
                },
                SessionRaw {
                    id: "b".into(),
                    key: "lunch".into(),
                    title: "Déjeuner".into(),
                    kind: "break".into(),
                    capacity: None,
                    room_capacity: None,
                },
                SessionRaw {
                    id: "c".into(),
                    key: "s2".into(),
                    title: "Atelier".into(),
                    kind: "workshop".into(),
                    capacity: None,
                    room_capacity: None,
                },
            ],
            attended: [("a".to_string(), 3)].into_iter().collect(),
            intended: [("c".to_string(), 2)].into_iter().collect(),
            opens_at: None,
        }
    }

    #[test]
    fn before_any_checkin_the_confirmed_registrations_are_the_base() {
        let s = build(raw(Vec::new()), Lang::Fr);
        assert_eq!((s.registered, s.waitlisted, s.cancelled), (4, 1, 2));
        assert_eq!(s.participants_basis, Basis::Registered);
        assert_eq!(s.no_show_rate, None);
        assert_eq!(s.participants, 4);
        assert_eq!(s.foreign_share, Some(0.5));
        assert_eq!(s.french_local_governments, 1);
        assert_eq!(s.countries.count, 3);
        assert_eq!(s.countries.list[0].code, "FR");
        // Equal counts: by name, accents ignored (Brésil before Sénégal).
        assert_eq!(s.countries.list[1].name, "Brésil");
        assert_eq!(
            s.present_by_day.0,
            vec![("2030-10-07".into(), 0), ("2030-10-08".into(), 0)]
        );
        assert_eq!(s.by_organisation_type.get("ngo"), Some(1));
        assert_eq!(s.by_organisation_type.get("press"), Some(0));
        assert_eq!(s.by_organisation_type.0.len(), OrganisationType::ALL.len());
        assert_eq!(s.by_category.get("participant"), Some(4));
        // Breaks are not sessions; capacity falls back to the room's.
        assert_eq!(s.sessions_count, 2);
        assert_eq!(s.sessions[0].capacity, Some(300));
        assert_eq!(s.sessions[0].fill_rate, Some(0.01));
        assert_eq!(s.sessions[1].fill_rate, None);
        assert_eq!(s.sessions[1].intended, 2);
        // Every registration, whatever its status, is on the curve.
        assert_eq!(s.registrations_by_day.len(), 1);
        assert_eq!(s.registrations_by_day[0].count, 7);
        assert!(!s.series_limits.registrations_by_day.capped);
        assert_eq!(
            s.headline,
            "4 participants, 50 % venus de l'étranger, 3 pays, 1 collectivité territoriale française, 2 sessions"
        );
    }

    #[test]
    fn once_the_desk_checks_in_the_present_people_are_the_base() {
        let r = raw(vec![
            visit("p1", 7),
            visit("p1", 8),
            visit("p2", 8),
            visit("p3", 8),
        ]);
        let s = build(r, Lang::En);
        assert_eq!(s.participants_basis, Basis::Present);
        assert_eq!(s.present, 3);
        assert_eq!(s.no_show_rate, Some(0.25));
        assert_eq!(s.participants, 3);
        assert_eq!(s.foreign_share, Some(0.3333));
        assert_eq!(
            s.present_by_day.0,
            vec![("2030-10-07".into(), 1), ("2030-10-08".into(), 3)]
        );
        assert_eq!(
            s.headline,
            "3 participants, 33% from abroad, 2 countries, 1 French local government, 2 sessions"
        );
        assert_eq!(
            serde_json::to_value(&s).unwrap()["present_by_day"],
            serde_json::json!({"2030-10-07": 1, "2030-10-08": 3})
        );
        let quarters: Vec<(&str, i64)> = s
            .arrivals
            .iter()
            .map(|q| (q.from.as_str(), q.count))
            .collect();
        assert_eq!(quarters, vec![("09:00", 1), ("09:00", 3)]);
    }

    #[test]
    fn rates_and_organisations() {
        assert_eq!(rate(1, 3), Some(0.3333));
        assert_eq!(rate(1, 0), None);
        assert_eq!(
            distinct_organisations(["Région Île-de-France", "region  ile-de-france", "Paris"]),
            2
        );
    }
}
