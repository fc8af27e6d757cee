//! Timing of badge PDFs: `cargo bench --bench badges`.
//!
//! Prints the median and 99th percentile time of one A6 badge, the time to
//! lay out 600 badges on A4 sheets, and the output sizes.

use std::hint::black_box;
use std::time::{Duration, Instant};

use rencontres::badges::pdf::{badge, sheets, Face};

const EVENT: &str = "14es Rencontres de l'action internationale des collectivités territoriales";
const DATES: &str = "18–19 septembre 2023 · Paris";

/// (first name, last name, organisation, country)
const PEOPLE: &[(&str, &str, &str, &str)] = &[
    ("Hélène", "Ouédraogo", "Ville de Ouagadougou", "Burkina Faso"),
    ("François", "N’Diaye", "Région de Dakar – Direction de la coopération décentralisée", "Sénégal"),
    ("Jérôme", "Garçon-Côté", "Cités Unies France", "France"),
    ("Zoë", "Łukasiewicz-Brzęczyszczykiewicz", "Association internationale des maires francophones et des collectivités partenaires pour la solidarité et la coopération décentralisée", "Pologne"),
    ("Marie-Christine Alexandrine", "de La Rochefoucauld-Montmorency d'Escarpit", "Ministère de l'Europe et des Affaires étrangères", "France"),
    ("Nguyễn", "Thị Minh Khai", "Comité populaire de Hô Chi Minh-Ville", "Viêt Nam"),
    ("Ștefan", "Țărănescu", "Consiliul Județean Cluj", "Roumanie"),
    ("Ayşe", "Yıldırım", "İstanbul Büyükşehir Belediyesi", "Turquie"),
    ("José Luis", "Rodríguez Zapatero", "Ayuntamiento de Barcelona", "Espagne"),
    ("Aminata", "Touré", "Agence française de développement", "Mali"),
    ("Jean-Baptiste", "Rakotoarimanana", "Commune urbaine d'Antananarivo", "Madagascar"),
    ("Chloé", "Dupont", "Conseil départemental de Seine-Saint-Denis", "France"),
];

const CATEGORIES: &[(&str, (u8, u8, u8))] = &[
    ("PARTICIPANT", (27, 79, 138)),
    ("INTERVENANT·E", (176, 46, 38)),
    ("ORGANISATION", (30, 107, 82)),
    ("PRESSE", (242, 184, 0)),
];

/// A badge token as issued: "RC1" then 135 base32 characters.
fn token(seed: u64) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = String::from("RC1");
    for _ in 0..135 {
        // xorshift64: deterministic, good enough to vary the QR codes.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.push(char::from(ALPHABET[(state % 32) as usize]));
    }
    out
}

fn faces<'a>(tokens: &'a [String]) -> Vec<Face<'a>> {
    tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let (first, last, organisation, country) = PEOPLE[i % PEOPLE.len()];
            let (category, band) = CATEGORIES[i % CATEGORIES.len()];
            Face {
                first_name: first,
                last_name: last,
                organisation,
                country,
                category,
                band,
                event: EVENT,
                dates: DATES,
                token,
            }
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let tokens: Vec<String> = (0..600).map(token).collect();
    let all = faces(&tokens);

    // Warm up caches and the allocator.
    for face in all.iter().take(50) {
        black_box(badge(face));
    }

    let rounds = 5;
    let mut times = Vec::with_capacity(all.len() * rounds);
    let (mut smallest, mut largest) = (usize::MAX, 0);
    for _ in 0..rounds {
        for face in &all {
            let start = Instant::now();
            let pdf = black_box(badge(black_box(face)));
            times.push(start.elapsed());
            smallest = smallest.min(pdf.len());
            largest = largest.max(pdf.len());
        }
    }
    times.sort();
    println!(
        "badge (A6, {} runs): median {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap()),
    );
    println!("badge size: {smallest}–{largest} bytes");

    let mut sheet_times = Vec::new();
    let mut size = 0;
    for _ in 0..15 {
        let start = Instant::now();
        let pdf = black_box(sheets(black_box(&all)));
        sheet_times.push(start.elapsed());
        size = pdf.len();
    }
    sheet_times.sort();
    let median = percentile(&sheet_times, 0.5);
    println!(
        "sheets (600 badges, 150 A4 pages, {} runs): median {:.1} ms ({:.3} ms per badge), max {:.1} ms",
        sheet_times.len(),
        ms(median),
        ms(median) / all.len() as f64,
        ms(*sheet_times.last().unwrap()),
    );
    println!(
        "sheets size: {size} bytes ({:.0} bytes per badge)",
        size as f64 / all.len() as f64
    );
}
