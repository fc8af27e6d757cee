//! The welcome desk without HTTP, for `scripts/bench-checkin`.
//!
//! ```text
//! desk seed <database> <count> <tokens-file> [slug]
//!     an edition held today and tomorrow (Europe/Paris), <count> confirmed
//!     registrations, the badge token of each written one per line
//! desk raw <database> <tokens-file> <seconds> [slug]
//!     scans the tokens in turn, one write transaction per scan, as the server does
//!     each one (signature checked first), and prints transactions per second
//! ```
//!
//! Run through `cargo bench --bench desk -- seed …` or the built binary. Figures go to
//! standard output as `name value` lines for the script; the rest goes to standard error.

use std::io::{BufWriter, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Days, Utc};
use diesel::prelude::*;

use rencontres::badges::token_for;
use rencontres::checkin::api::local_day;
use rencontres::checkin::{method, record, CheckResult, Desk, Scan};
use rencontres::db::schema::staff_users;
use rencontres::db::{connect, connect_server, write_tx, DbConnection};
use rencontres::error::AppError;
use rencontres::i18n::Lang;
use rencontres::programme::document::ProgrammeDocument;
use rencontres::registrations::form::{validate, RegistrationInput};
use rencontres::registrations::model::source;
use rencontres::registrations::{now, register_within, settings, Origin, Registered};

type Failure = Box<dyn std::error::Error + Send + Sync>;

const DEFAULT_SLUG: &str = "desk-bench";
const DESKS: [&str; 4] = ["Accueil 1", "Accueil 2", "Accueil 3", "Accueil 4"];
/// Registrations per write transaction while seeding.
const SEED_BATCH: usize = 500;

fn main() {
    // `cargo bench` adds `--bench`; the harness is ours, so it is ignored.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if let Err(e) = run(&args) {
        eprintln!("desk: {e}");
        std::process::exit(1);
    }
}

fn run(args: &[String]) -> Result<(), Failure> {
    let slug = args.get(4).map_or(DEFAULT_SLUG, String::as_str);
    match args.first().map(String::as_str) {
        Some("seed") if args.len() >= 4 => seed(&args[1], args[2].parse()?, &args[3], slug),
        Some("raw") if args.len() >= 4 => raw(&args[1], &args[2], args[3].parse()?, slug),
        // No arguments (`cargo bench` running every bench): nothing to do.
        None => Ok(()),
        _ => Err(
            "usage: desk seed <database> <count> <tokens-file> [slug] | \
                  desk raw <database> <tokens-file> <seconds> [slug]"
                .into(),
        ),
    }
}

/// A programme of two days, today and tomorrow in Paris, with a few sessions for room doors.
fn programme_document(slug: &str) -> Result<ProgrammeDocument, Failure> {
    let today = Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive();
    let tomorrow = today + Days::new(1);
    let session = |key: &str, kind: &str, day: &str, start: &str, end: &str, room: &str| {
        serde_json::json!({
            "key": key, "kind": kind, "title": format!("Session {key}"), "abstract": "",
            "day": day, "start": start, "end": end, "room": room, "languages": ["fr"],
            "partners": [], "capacity": null, "people": []
        })
    };
    let (d1, d2) = (today.to_string(), tomorrow.to_string());
    let doc = serde_json::json!({
        "edition": {"slug": slug, "number": 99, "year": chrono::Datelike::year(&today),
                    "title": "Rencontres du banc d'essai", "theme": "", "venue": "Paris",
                    "timezone": "Europe/Paris", "days": [d1, d2]},
        "rooms": [
            {"key": "auditorium", "name": "Auditorium", "capacity": 12000},
            {"key": "salle-a", "name": "Salle A", "capacity": 4000},
            {"key": "salle-b", "name": "Salle B", "capacity": 4000},
            {"key": "salle-c", "name": "Salle C", "capacity": 4000}
        ],
        "people": [],
        "sessions": [
            session("ouverture", "plenary", &d1, "09:00", "10:30", "auditorium"),
            session("atelier-1", "workshop", &d1, "11:00", "12:30", "salle-a"),
            session("atelier-2", "workshop", &d1, "11:00", "12:30", "salle-b"),
            session("atelier-3", "workshop", &d1, "11:00", "12:30", "salle-c"),
            session("cloture", "plenary", &d2, "09:00", "10:30", "auditorium")
        ]
    });
    Ok(serde_json::from_value(doc)?)
}

fn registration_input(i: usize, days: &[String]) -> RegistrationInput {
    const PEOPLE: [(&str, &str, &str, &str); 6] = [
        ("Awa", "Ndiaye", "Ville de Thiès", "SN"),
        ("Jean", "Martin", "Ville de Lyon", "FR"),
        ("Lucía", "Pérez", "Municipalidad de Rosario", "AR"),
        ("Karim", "Benali", "Commune de Chefchaouen", "MA"),
        ("Lan", "Nguyen", "Ville de Hué", "VN"),
        ("Marie", "Dubois", "Région Occitanie", "FR"),
    ];
    let (first, last, organisation, country) = PEOPLE[i % PEOPLE.len()];
    RegistrationInput {
        civility: "none".into(),
        first_name: first.into(),
        last_name: format!("{last}-{i}"),
        email: format!("p{i}@desk-bench.example"),
        function: "elected".into(),
        organisation: organisation.into(),
        organisation_type: "foreign_local_government".into(),
        country: country.into(),
        cuf_member: i % 3 == 0,
        days: days.to_vec(),
        lunch: i % 4 != 0,
        accessibility: String::new(),
        sessions: Vec::new(),
        lang: if i % 2 == 0 { "fr" } else { "en" }.into(),
        consent_privacy: true,
        consent_photo: false,
        email_optional: false,
    }
}

fn seed(database: &str, count: usize, tokens_path: &str, slug: &str) -> Result<(), Failure> {
    let started = Instant::now();
    let pool = connect(database, 1)?;
    let mut conn = pool.get()?;
    let conn: &mut DbConnection = &mut conn;
    rencontres::programme::import(conn, programme_document(slug)?, false)
        .map_err(|r| r.into_app_error(Lang::En).to_string())?;
    let programme = rencontres::programme::load(conn, slug)?;
    let badge_settings = settings(conn, &programme.edition.id)?;
    if badge_settings.capacity.is_some() {
        return Err("the edition has a capacity; the seed expects it unlimited".into());
    }
    let days: Vec<String> = programme.v.days.iter().map(|d| d.to_string()).collect();
    let origin = Origin {
        // The window closed when today began; an organiser registers anyway.
        ignore_window: true,
        ..Origin::public(source::API)
    };
    let mut out = BufWriter::new(std::fs::File::create(tokens_path)?);
    let mut confirmed = 0usize;
    for start in (0..count).step_by(SEED_BATCH) {
        let end = (start + SEED_BATCH).min(count);
        let rows = write_tx(conn, |c| {
            let mut rows = Vec::with_capacity(end - start);
            for i in start..end {
                let r = validate(&registration_input(i, &days), &programme, Lang::En)
                    .map_err(AppError::Validation)?;
                match register_within(c, &programme, r, &origin)? {
                    Registered::New { registration, .. } => rows.push(*registration),
                    Registered::Already(_) => {
                        return Err(AppError::Internal(format!("registration {i} repeated")))
                    }
                }
            }
            Ok::<_, AppError>(rows)
        })?;
        for row in rows {
            confirmed += usize::from(row.status == "confirmed");
            writeln!(out, "{}", token_for(&badge_settings, &row)?)?;
        }
    }
    out.flush()?;
    let took = started.elapsed().as_secs_f64();
    eprintln!(
        "seeded {slug} ({} to {}): {count} registrations, {confirmed} confirmed, in {took:.1} s",
        days[0], days[1]
    );
    println!("seed_registrations {count}");
    println!("seed_confirmed {confirmed}");
    println!("seed_seconds {took:.2}");
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1e6
}

fn raw(database: &str, tokens_path: &str, seconds: f64, slug: &str) -> Result<(), Failure> {
    let tokens: Vec<String> = std::fs::read_to_string(tokens_path)?
        .lines()
        .map(str::to_owned)
        .filter(|l| !l.is_empty())
        .collect();
    if tokens.is_empty() {
        return Err(format!("no token in {tokens_path}").into());
    }
    // The server's pool settings (checkpoints off the write path), and its desk state for
    // the badge keys.
    let (pool, _checkpointer) = connect_server(database, 2)?;
    let desk = Desk::start(pool.clone())?;
    let mut conn = pool.get()?;
    let conn: &mut DbConnection = &mut conn;
    let programme = rencontres::programme::load(conn, slug)?;
    let edition_days = Arc::new(programme.v.days.clone());
    // Scans are made by a desk account, as through the API.
    let staff_id: Option<String> = staff_users::table
        .filter(staff_users::role.eq("desk"))
        .filter(staff_users::active.eq(true))
        .select(staff_users::id)
        .first(conn)
        .optional()?;

    let limit = Duration::from_secs_f64(seconds);
    let mut latencies = Vec::with_capacity(1 << 20);
    let (mut checked_in, mut already, mut other) = (0u64, 0u64, 0u64);
    let started = Instant::now();
    let mut i = 0usize;
    while started.elapsed() < limit {
        let t0 = Instant::now();
        let (subject, _) = desk.subject(conn, &tokens[i % tokens.len()])?;
        let received_at = now();
        let scan = Scan {
            nonce: format!("raw-{i:010}"),
            subject_key: rencontres::checkin::subject_key(Some(&tokens[i % tokens.len()]), None),
            desk: DESKS[i % DESKS.len()].to_string(),
            staff_id: staff_id.clone(),
            edition_id: programme.edition.id.clone(),
            edition_days: edition_days.clone(),
            day: local_day(&programme, received_at),
            scanned_at: received_at,
            received_at,
            subject,
            session: None,
            override_day: false,
            method: method::SCAN,
        };
        let outcome = write_tx(conn, |c| record(c, &scan))?;
        latencies.push(t0.elapsed());
        match outcome.result {
            CheckResult::CheckedIn => checked_in += 1,
            CheckResult::Already => already += 1,
            _ => other += 1,
        }
        i += 1;
    }
    let took = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let rate = i as f64 / took;
    eprintln!(
        "raw: {i} scans in {took:.2} s, {rate:.0}/s (checked_in {checked_in}, already {already}, \
         other {other}); per scan p50 {:.0} µs, p99 {:.0} µs",
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0)
    );
    println!("raw_scans {i}");
    println!("raw_seconds {took:.3}");
    println!("raw_rate {rate:.1}");
    println!("raw_checked_in {checked_in}");
    println!("raw_already {already}");
    println!("raw_other {other}");
    println!("raw_p50_us {:.1}", percentile(&latencies, 50.0));
    println!("raw_p99_us {:.1}", percentile(&latencies, 99.0));
    Ok(())
}
