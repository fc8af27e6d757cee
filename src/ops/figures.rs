//! `GET /metrics`: the request figures kept in memory, and what the database holds now
//! (registrations, check-ins, the outbox), read at each scrape with a few grouped counts.

use std::collections::HashMap;
use std::fmt::Write;

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::metrics::escape;
use crate::app::AppState;
use crate::db::schema::{checkins, editions, outbox, registrations};
use crate::db::DbConnection;
use crate::error::{blocking, AppError};

/// What the database holds at the time of a scrape.
#[derive(Debug, Default)]
pub struct Stock {
    /// (edition slug, status) → registrations.
    pub registrations: Vec<(String, String, i64)>,
    /// Edition slug → check-ins not undone.
    pub checkins: Vec<(String, i64)>,
    /// Outbox status → messages.
    pub outbox: Vec<(String, i64)>,
    /// Age of the oldest message still waiting to be sent, in seconds (0: none waits).
    pub oldest_pending_seconds: i64,
}

pub fn stock(conn: &mut DbConnection, now: NaiveDateTime) -> Result<Stock, AppError> {
    let slugs: HashMap<String, String> = editions::table
        .select((editions::id, editions::slug))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let slug = |id: &str| slugs.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut regs: Vec<(String, String, i64)> = registrations::table
        .group_by((registrations::edition_id, registrations::status))
        .select((
            registrations::edition_id,
            registrations::status,
            diesel::dsl::count_star(),
        ))
        .load::<(String, String, i64)>(conn)?
        .into_iter()
        .map(|(id, status, n)| (slug(&id), status, n))
        .collect();
    regs.sort();
    let mut checks: Vec<(String, i64)> = checkins::table
        .filter(checkins::undone_at.is_null())
        .group_by(checkins::edition_id)
        .select((checkins::edition_id, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .map(|(id, n)| (slug(&id), n))
        .collect();
    checks.sort();
    let mut mail: Vec<(String, i64)> = outbox::table
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)?;
    mail.sort();
    let oldest: Option<NaiveDateTime> = outbox::table
        .filter(outbox::status.eq(crate::mail::PENDING))
        .select(diesel::dsl::min(outbox::created_at))
        .get_result(conn)?;
    Ok(Stock {
        registrations: regs,
        checkins: checks,
        outbox: mail,
        oldest_pending_seconds: oldest.map_or(0, |at| (now - at).num_seconds().max(0)),
    })
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// The database figures in the text exposition format.
pub fn render_stock(s: &Stock, out: &mut String) {
    family(
        out,
        "rencontres_registrations",
        "gauge",
        "Registrations, by edition and status.",
    );
    for (edition, status, n) in &s.registrations {
        let _ = writeln!(
            out,
            "rencontres_registrations{{edition=\"{}\",status=\"{}\"}} {n}",
            escape(edition),
            escape(status)
        );
    }
    family(
        out,
        "rencontres_checkins",
        "gauge",
        "Check-ins (one per person and day, undone ones left out), by edition.",
    );
    for (edition, n) in &s.checkins {
        let _ = writeln!(
            out,
            "rencontres_checkins{{edition=\"{}\"}} {n}",
            escape(edition)
        );
    }
    family(
        out,
        "rencontres_outbox_messages",
        "gauge",
        "Emails in the outbox, by state.",
    );
    // Every state is listed, zero included, so alerts can watch a series that exists.
    for state in [
        crate::mail::PENDING,
        crate::mail::SENDING,
        crate::mail::SENT,
        crate::mail::DEAD,
        crate::mail::DROPPED,
        crate::mail::CANCELLED,
    ] {
        let n = s
            .outbox
            .iter()
            .find(|(st, _)| st == state)
            .map_or(0, |(_, n)| *n);
        let _ = writeln!(out, "rencontres_outbox_messages{{state=\"{state}\"}} {n}");
    }
    family(
        out,
        "rencontres_outbox_oldest_pending_age_seconds",
        "gauge",
        "Age of the oldest email waiting to be sent (0 when none waits).",
    );
    let _ = writeln!(
        out,
        "rencontres_outbox_oldest_pending_age_seconds {}",
        s.oldest_pending_seconds
    );
}

/// Resident memory of this process, from Linux's `/proc`.
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Whether the request carries the configured scraper token (compared in constant time,
/// through digests so the length does not show either).
fn scraper(req: &HttpRequest, configured: &str) -> bool {
    if configured.is_empty() {
        return false;
    }
    let Some(given) = crate::auth::guard::bearer(req) else {
        return false;
    };
    let (a, b) = (Sha256::digest(given.as_bytes()), Sha256::digest(configured));
    bool::from(a.as_slice().ct_eq(b.as_slice()))
}

/// `GET /metrics`: for the scraper token or any staff member; 401 for anyone else.
pub async fn serve(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if !scraper(&req, &state.settings.metrics.token) {
        match crate::auth::guard::staff_member(&req).await {
            Ok(Some(_)) => {}
            Ok(None) => return AppError::Unauthenticated.error_response(),
            Err(e) => return e.error_response(),
        }
    }
    let st = state.clone();
    let stock =
        match blocking(move || stock(&mut *st.pool.get()?, crate::registrations::now())).await {
            Ok(s) => s,
            Err(e) => return e.error_response(),
        };
    let mut out = String::with_capacity(16 * 1024);
    state.requests.render(&mut out);
    render_stock(&stock, &mut out);
    family(
        &mut out,
        "rencontres_build_info",
        "gauge",
        "The running version.",
    );
    let _ = writeln!(
        out,
        "rencontres_build_info{{version=\"{}\"}} 1",
        env!("CARGO_PKG_VERSION")
    );
    family(
        &mut out,
        "rencontres_uptime_seconds",
        "gauge",
        "Seconds since this server started.",
    );
    let _ = writeln!(
        out,
        "rencontres_uptime_seconds {}",
        state.requests.started.elapsed().as_secs()
    );
    if let Some(rss) = resident_bytes() {
        family(
            &mut out,
            "process_resident_memory_bytes",
            "gauge",
            "Resident memory size in bytes.",
        );
        let _ = writeln!(out, "process_resident_memory_bytes {rss}");
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_figures_in_the_text_format() {
        let s = Stock {
            registrations: vec![
                ("raict-2023".into(), "confirmed".into(), 509),
                ("raict-2023".into(), "waitlisted".into(), 3),
            ],
            checkins: vec![("raict-2023".into(), 420)],
            outbox: vec![("sent".into(), 500), ("pending".into(), 12)],
            oldest_pending_seconds: 95,
        };
        let mut out = String::new();
        render_stock(&s, &mut out);
        for expected in [
            "rencontres_registrations{edition=\"raict-2023\",status=\"confirmed\"} 509",
            "rencontres_registrations{edition=\"raict-2023\",status=\"waitlisted\"} 3",
            "rencontres_checkins{edition=\"raict-2023\"} 420",
            "rencontres_outbox_messages{state=\"pending\"} 12",
            "rencontres_outbox_messages{state=\"dead\"} 0",
            "rencontres_outbox_oldest_pending_age_seconds 95",
            "# TYPE rencontres_registrations gauge",
        ] {
            assert!(out.lines().any(|l| l == expected), "{expected}\n{out}");
        }
    }
}
