//! Timing of the attendance statistics: `cargo bench --bench stats`.
//!
//! Builds a SQLite database with the application's migrations, imports a two-day
//! programme of 40 sessions, writes 10,000 registrations with their session choices and
//! 50,000 scans (with their check-ins and session attendances) straight into the tables,
//! then prints the median and 99th percentile time of the whole statistics report.
//!
//! Environment: `STATS_BENCH_REGISTRATIONS` (default 10000; five scans each),
//! `STATS_BENCH_RUNS` (default 30; 0 only builds the database), `STATS_BENCH_DB` (a path:
//! the database is written and kept there, for `scripts/bench-stats-memory`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use diesel::prelude::*;
use diesel::SqliteConnection;
use rencontres::db::schema::{attendances, checkins, registration_sessions, scans, sessions};
use rencontres::db::DbConnection;
use rencontres::i18n::Lang;
use rencontres::registrations::model::RegistrationRow;

const SLUG: &str = "bench-2030";
const REGISTRATIONS: usize = 10_000;
const SCANS_PER_REGISTRATION: usize = 5;
/// Registrations written per transaction, with their choices, check-ins and scans: a large
/// edition is built a slice at a time.
const SLICE: usize = 10_000;
const DAYS: [&str; 2] = ["2030-09-16", "2030-09-17"];

const COUNTRIES: &[&str] = &[
    "FR", "FR", "FR", "FR", "FR", "SN", "MA", "BF", "ML", "TN", "CI", "CM", "BE", "DE", "ES", "IT",
    "CA", "BR", "VN", "JP", "MG", "LB", "PS", "HT", "AR", "CL", "MX", "US", "PL", "RO",
];
const TYPES: &[&str] = &[
    "french_local_government",
    "french_local_government",
    "french_local_government",
    "foreign_local_government",
    "foreign_local_government",
    "state",
    "embassy",
    "network",
    "ngo",
    "company",
    "research",
    "press",
    "other",
];
const FUNCTIONS: &[&str] = &[
    "elected",
    "elected",
    "staff",
    "staff",
    "diplomat",
    "state_agency",
    "network",
    "ngo",
    "researcher",
    "student",
    "press",
    "company",
    "other",
];
const ORGANISATIONS: &[&str] = &[
    "Ville de",
    "Région",
    "Département de",
    "Métropole de",
    "Communauté d'agglomération de",
];
const PLACES: &[&str] = &[
    "Besançon",
    "Lyon",
    "Rennes",
    "Nantes",
    "Lille",
    "Île-de-France",
    "Grenoble",
    "Nancy",
    "Metz",
    "Strasbourg",
    "Brest",
    "Limoges",
    "Poitiers",
    "Angers",
    "Tours",
];

/// Deterministic pseudo-random numbers (xorshift64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

/// Two days, ten rooms, twenty sessions a day in five slots, and the breaks.
fn programme() -> serde_json::Value {
    let rooms: Vec<serde_json::Value> = (0..10)
        .map(|r| {
            serde_json::json!({"key": format!("room-{r}"), "name": format!("Salle {r}"),
                               "capacity": if r == 0 { 900 } else { 40 + 20 * r }})
        })
        .collect();
    let slots = [
        ("09:30", "11:00"),
        ("11:30", "13:00"),
        ("14:30", "16:00"),
        ("16:30", "18:00"),
    ];
    let mut list = Vec::new();
    for day in DAYS {
        list.push(
            serde_json::json!({"key": format!("plenary-{day}"), "kind": "plenary",
            "title": "Plénière", "day": day, "start": "09:00", "end": "09:30", "room": "room-0"}),
        );
        list.push(
            serde_json::json!({"key": format!("lunch-{day}"), "kind": "break",
            "title": "Déjeuner", "day": day, "start": "13:00", "end": "14:30"}),
        );
        for (s, (start, end)) in slots.iter().enumerate() {
            for r in 1..6 {
                list.push(serde_json::json!({"key": format!("s-{day}-{s}-{r}"), "kind": "workshop",
                    "title": format!("Atelier {s}.{r} du {day}"), "day": day, "start": start,
                    "end": end, "room": format!("room-{r}"),
                    "capacity": if r % 2 == 0 { serde_json::json!(50) } else { serde_json::Value::Null }}));
            }
        }
    }
    serde_json::json!({
        "edition": {"slug": SLUG, "number": 21, "year": 2030, "title": "21es Rencontres",
                    "venue": "Paris", "timezone": "Europe/Paris", "days": DAYS},
        "rooms": rooms, "people": [], "sessions": list
    })
}

fn utc(day: &str, minutes_after_midnight: i64) -> NaiveDateTime {
    let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    chrono_tz::Europe::Paris
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap())
        .earliest()
        .unwrap()
        .naive_utc()
        + chrono::Duration::minutes(minutes_after_midnight)
}

fn registration(
    rng: &mut Rng,
    i: usize,
    edition_id: &str,
    opens: NaiveDateTime,
) -> RegistrationRow {
    let status = match rng.below(100) {
        0..=2 => "cancelled",
        3..=5 => "waitlisted",
        _ => "confirmed",
    };
    let created = opens + chrono::Duration::minutes(rng.below(120 * 24 * 60) as i64);
    let kind = rng.pick(TYPES);
    let organisation = if kind == "french_local_government" {
        // Spellings vary: the statistics fold accents and case.
        let name = format!("{} {}", rng.pick(ORGANISATIONS), rng.pick(PLACES));
        if rng.below(4) == 0 {
            name.to_uppercase()
        } else {
            name
        }
    } else {
        format!("Organisation {}", rng.below(2000))
    };
    RegistrationRow {
        id: uuid::Uuid::new_v4().to_string(),
        edition_id: edition_id.into(),
        public_ref: format!("{i:024x}"),
        status: status.into(),
        category: if rng.below(20) == 0 {
            "speaker"
        } else {
            "participant"
        }
        .into(),
        person_id: None,
        civility: "none".into(),
        first_name: format!("Prénom{i}"),
        last_name: format!("Nom{i}"),
        email: format!("p{i}@example.org"),
        email_key: (status != "cancelled").then(|| format!("p{i}@example.org")),
        function: rng.pick(FUNCTIONS).into(),
        organisation,
        organisation_type: kind.into(),
        country: if kind == "french_local_government" {
            "FR".into()
        } else {
            rng.pick(COUNTRIES).into()
        },
        cuf_member: rng.below(2) == 0,
        days: serde_json::to_string(&DAYS).unwrap(),
        lunch: true,
        accessibility: String::new(),
        lang: "fr".into(),
        consent_photo: true,
        consented_at: created,
        source: "online".into(),
        invited: false,
        badge_version: 1,
        manage_version: 1,
        created_at: created,
        updated_at: created,
        cancelled_at: (status == "cancelled").then_some(created),
        erased_at: None,
    }
}

/// The test data, a slice of registrations per transaction.
fn fill(c: &mut SqliteConnection, edition_id: &str, count: usize) -> (usize, usize, usize) {
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let session_ids: Vec<(String, String)> = sessions::table
        .filter(sessions::edition_id.eq(edition_id))
        .filter(sessions::kind.ne("break"))
        .select((sessions::id, sessions::key))
        .load(c)
        .unwrap();
    let opens = utc("2030-05-01", 9 * 60);
    let mut totals = (0, 0, 0);
    for (slice, from) in (0..count).step_by(SLICE).enumerate() {
        let to = (from + SLICE).min(count);
        let (a, b, d) = fill_slice(
            c,
            &mut rng,
            &session_ids,
            edition_id,
            opens,
            slice,
            from..to,
        );
        totals = (totals.0 + a, totals.1 + b, totals.2 + d);
    }
    totals
}

fn fill_slice(
    c: &mut SqliteConnection,
    rng: &mut Rng,
    session_ids: &[(String, String)],
    edition_id: &str,
    opens: NaiveDateTime,
    slice: usize,
    range: std::ops::Range<usize>,
) -> (usize, usize, usize) {
    let scans_wanted = range.len() * SCANS_PER_REGISTRATION;
    c.transaction::<_, diesel::result::Error, _>(|c| {
        let regs: Vec<RegistrationRow> = range
            .map(|i| registration(rng, i, edition_id, opens))
            .collect();
        for chunk in regs.chunks(500) {
            diesel::insert_into(rencontres::db::schema::registrations::table)
                .values(chunk)
                .execute(c)?;
        }
        let mut choices = Vec::new();
        let mut checkin_rows = Vec::new();
        let mut attendance_rows = Vec::new();
        let mut scan_rows = Vec::new();
        for r in &regs {
            for _ in 0..3 {
                let (sid, _) = &session_ids[rng.below(session_ids.len())];
                let status = if r.status == "confirmed" {
                    "confirmed"
                } else {
                    "pending"
                };
                choices.push((
                    registration_sessions::registration_id.eq(r.id.clone()),
                    registration_sessions::session_id.eq(sid.clone()),
                    registration_sessions::status.eq(status),
                    registration_sessions::created_at.eq(r.created_at),
                ));
            }
            if r.status != "confirmed" {
                continue;
            }
            for (d, day) in DAYS.iter().enumerate() {
                // Most come on the first day, fewer on the second.
                if rng.below(100) >= [88, 72][d] {
                    continue;
                }
                // Arrivals crowd around 9:00, some come in the afternoon.
                let minute = if rng.below(10) == 0 {
                    13 * 60 + rng.below(180) as i64
                } else {
                    8 * 60 + (rng.below(60) + rng.below(60) + rng.below(60)) as i64
                };
                let at = utc(day, minute);
                let checkin_id = uuid::Uuid::new_v4().to_string();
                checkin_rows.push((
                    checkins::id.eq(checkin_id.clone()),
                    checkins::edition_id.eq(edition_id.to_string()),
                    checkins::registration_id.eq(r.id.clone()),
                    checkins::day.eq(NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap()),
                    checkins::at.eq(at),
                    checkins::desk.eq(format!("Accueil {}", rng.below(4) + 1)),
                    checkins::method.eq("badge"),
                ));
                scan_rows.push((r.id.clone(), None, at, Some(checkin_id)));
                for _ in 0..2 {
                    let (sid, _) = &session_ids[rng.below(session_ids.len())];
                    if attendance_rows.iter().rev().take(4).any(
                        |(rid, s, _): &(String, String, NaiveDateTime)| rid == &r.id && s == sid,
                    ) {
                        continue;
                    }
                    let entry = at + chrono::Duration::minutes(30 + rng.below(300) as i64);
                    attendance_rows.push((r.id.clone(), sid.clone(), entry));
                    scan_rows.push((r.id.clone(), Some(sid.clone()), entry, None));
                }
            }
        }
        // Re-entries and repeated scans make up the rest of the scans.
        while scan_rows.len() < scans_wanted {
            let (rid, sid, at) = attendance_rows[rng.below(attendance_rows.len())].clone();
            scan_rows.push((rid, Some(sid), at + chrono::Duration::minutes(20), None));
        }
        scan_rows.truncate(scans_wanted);
        for chunk in choices.chunks(2000) {
            diesel::insert_or_ignore_into(registration_sessions::table)
                .values(chunk)
                .execute(c)?;
        }
        for chunk in checkin_rows.chunks(1000) {
            diesel::insert_into(checkins::table)
                .values(chunk)
                .execute(c)?;
        }
        for chunk in attendance_rows.chunks(1000) {
            let rows: Vec<_> = chunk
                .iter()
                .map(|(rid, sid, at)| {
                    (
                        attendances::registration_id.eq(rid.clone()),
                        attendances::session_id.eq(sid.clone()),
                        attendances::edition_id.eq(edition_id.to_string()),
                        attendances::first_at.eq(*at),
                        attendances::last_at.eq(*at),
                        attendances::desk.eq("Porte"),
                    )
                })
                .collect();
            diesel::insert_into(attendances::table)
                .values(&rows)
                .execute(c)?;
        }
        for (n, chunk) in scan_rows.chunks(1000).enumerate() {
            let rows: Vec<_> = chunk
                .iter()
                .enumerate()
                .map(|(k, (rid, sid, at, checkin))| {
                    (
                        scans::nonce.eq(format!("scan-{slice}-{n}-{k}")),
                        scans::edition_id.eq(Some(edition_id.to_string())),
                        scans::registration_id.eq(Some(rid.clone())),
                        scans::session_id.eq(sid.clone()),
                        scans::desk.eq("Accueil"),
                        scans::scanned_at.eq(*at),
                        scans::received_at.eq(*at),
                        scans::result.eq(if checkin.is_some() || sid.is_some() {
                            "checked_in"
                        } else {
                            "already"
                        }),
                        scans::checkin_id.eq(checkin.clone()),
                        // One scan in a thousand is a late one from another desk.
                        scans::conflict.eq(k == 0),
                    )
                })
                .collect();
            diesel::insert_into(scans::table).values(&rows).execute(c)?;
        }
        Ok((checkin_rows.len(), attendance_rows.len(), scan_rows.len()))
    })
    .unwrap()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Time this thread has spent on a CPU, where Linux tells it: on a busy machine it shows
/// the work apart from the wait for a core.
fn cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(
        text.split_whitespace().next()?.parse().ok()?,
    ))
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let count = env_number("STATS_BENCH_REGISTRATIONS", REGISTRATIONS);
    let kept = std::env::var_os("STATS_BENCH_DB").map(std::path::PathBuf::from);
    let dir = match &kept {
        Some(path) => path.parent().unwrap().to_path_buf(),
        None => std::env::temp_dir().join(format!(
            "rencontres-bench-{}",
            uuid::Uuid::new_v4().simple()
        )),
    };
    std::fs::create_dir_all(&dir).unwrap();
    let url = match &kept {
        Some(path) => path.to_string_lossy().into_owned(),
        None => dir.join("bench.db").to_string_lossy().into_owned(),
    };
    let pool = rencontres::db::connect(&url, 1).expect("the database opens");
    let mut conn = pool.get().unwrap();

    let doc = rencontres::programme::document::parse(&programme().to_string()).unwrap();
    rencontres::programme::import(&mut conn, doc, true).expect("the programme imports");
    let edition = rencontres::programme::find_edition(&mut conn, SLUG).unwrap();
    let started = Instant::now();
    let (checkin_count, attendance_count, scan_count) = match &mut *conn {
        DbConnection::Sqlite(c) => fill(c, &edition.id, count),
        DbConnection::Pg(_) => unreachable!("the benchmark runs on SQLite"),
    };
    println!(
        "data: {count} registrations, {checkin_count} check-ins, {attendance_count} session attendances, \
         {scan_count} scans (written in {:.1} s)",
        started.elapsed().as_secs_f64()
    );

    let runs = env_number("STATS_BENCH_RUNS", 30);
    if runs == 0 {
        println!("database: {url}");
        return;
    }

    // Warm up SQLite's page cache and the allocator.
    let first = rencontres::stats::report(&mut conn, SLUG, Lang::Fr).unwrap();
    println!("headline: {}", first.headline);
    for _ in 0..3 {
        black_box(rencontres::stats::report(&mut conn, SLUG, Lang::Fr).unwrap());
    }

    let mut times = Vec::new();
    let mut cpu = Vec::new();
    for _ in 0..runs {
        let (start, on_cpu) = (Instant::now(), cpu_time());
        black_box(rencontres::stats::report(&mut conn, black_box(SLUG), Lang::Fr).unwrap());
        times.push(start.elapsed());
        if let (Some(before), Some(after)) = (on_cpu, cpu_time()) {
            cpu.push(after - before);
        }
    }
    times.sort();
    cpu.sort();
    println!(
        "statistics report ({} runs): median {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap()),
    );
    if !cpu.is_empty() {
        println!(
            "  of which on a CPU: median {:.1} ms, p99 {:.1} ms",
            ms(percentile(&cpu, 0.5)),
            ms(percentile(&cpu, 0.99)),
        );
    }
    drop(conn);
    drop(pool);
    if kept.is_some() || std::env::var_os("KEEP_BENCH_DB").is_some() {
        println!("database kept: {url}");
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
