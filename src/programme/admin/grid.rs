//! The schedule grid: rooms side by side, five-minute rows, conflicts outlined.

use std::collections::HashSet;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::{load, FormState, Saved};
use crate::app::AppState;
use crate::programme::model::SessionKind;
use crate::web::{day_label, render, PageCtx, PageError};

/// One box on the grid, placed with CSS grid lines.
pub struct GridItem {
    pub key: String,
    pub title: String,
    pub time: String,
    pub kind: &'static str,
    pub row: String,
    pub column: String,
    pub is_break: bool,
    pub conflict: bool,
}

#[derive(Template)]
#[template(path = "pages/admin/grid.html")]
struct GridPage<'a> {
    ctx: &'a PageCtx,
    slug: String,
    tab: &'static str,
    days: Vec<(String, String, bool)>,
    rooms: Vec<String>,
    columns: String,
    rows: String,
    ticks: Vec<(String, String)>,
    items: Vec<GridItem>,
    conflicts: Vec<String>,
    state: FormState,
}

/// Five-minute rows; row 1 is the room header.
const STEP_MINUTES: u32 = 5;

pub async fn grid(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    q: web::Query<Saved>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    let p = load(&state, slug.into_inner(), lang).await?;
    let mut all_days: Vec<chrono::NaiveDate> = p.v.days.clone();
    for s in &p.v.sessions {
        if !all_days.contains(&s.day) {
            all_days.push(s.day);
        }
    }
    all_days.sort();
    let day = all_days
        .iter()
        .find(|d| d.to_string() == q.day)
        .or(all_days.first())
        .copied();
    let today: Vec<usize> = (0..p.v.sessions.len())
        .filter(|&i| Some(p.v.sessions[i].day) == day)
        .collect();
    let minutes = |t: chrono::NaiveTime| {
        use chrono::Timelike;
        t.hour() * 60 + t.minute()
    };
    let first = today
        .iter()
        .map(|&i| minutes(p.v.sessions[i].start))
        .min()
        .unwrap_or(9 * 60)
        / 30
        * 30;
    let last = today
        .iter()
        .map(|&i| minutes(p.v.sessions[i].end))
        .max()
        .unwrap_or(18 * 60)
        .div_ceil(30)
        * 30;
    let row_of = |m: u32| (m - first) / STEP_MINUTES + 2;
    let in_conflict: HashSet<&str> = p
        .conflicts
        .iter()
        .flat_map(|c| c.sessions.iter().map(String::as_str))
        .collect();
    let n_rooms = p.doc().rooms.len().max(1);
    let items = today
        .iter()
        .map(|&i| {
            let (s, vs) = (&p.doc().sessions[i], &p.v.sessions[i]);
            let is_break = vs.kind == SessionKind::Break || vs.room.is_none();
            GridItem {
                key: s.key.clone(),
                title: s.title.clone(),
                time: format!("{}–{}", s.start, s.end),
                kind: vs.kind.code(),
                row: format!(
                    "{} / {}",
                    row_of(minutes(vs.start)),
                    row_of(minutes(vs.end))
                ),
                column: match vs.room {
                    Some(r) if !is_break || vs.kind != SessionKind::Break => {
                        format!("{} / {}", r + 2, r + 3)
                    }
                    _ => format!("2 / {}", n_rooms + 2),
                },
                is_break: vs.kind == SessionKind::Break,
                conflict: in_conflict.contains(s.key.as_str()),
            }
        })
        .collect();
    let ticks = (first..last)
        .step_by(30)
        .map(|m| {
            (
                format!("{:02}:{:02}", m / 60, m % 60),
                format!("{} / span {}", row_of(m), 30 / STEP_MINUTES),
            )
        })
        .collect();
    let page = GridPage {
        ctx: &ctx,
        slug: p.doc().edition.slug.clone(),
        tab: "grid",
        days: all_days
            .iter()
            .map(|d| (d.to_string(), day_label(*d, lang), Some(*d) == day))
            .collect(),
        rooms: p
            .doc()
            .rooms
            .iter()
            .map(|r| format!("{} ({})", r.name, r.capacity))
            .collect(),
        columns: format!("4.5rem repeat({n_rooms}, minmax(150px, 1fr))"),
        rows: format!("auto repeat({}, 0.7rem)", (last - first) / STEP_MINUTES),
        ticks,
        items,
        conflicts: p
            .conflicts
            .iter()
            .filter(|c| {
                c.sessions
                    .iter()
                    .any(|k| today.iter().any(|&i| &p.doc().sessions[i].key == k))
            })
            .map(|c| c.message(lang).to_string())
            .collect(),
        state: FormState::default(),
    };
    render(&ctx, &page)
}
