//! The organisers' statistics page and its downloads (CSV, XLSX, JSON).

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::export::{self, Cell, Row};
use super::{svg, Basis, ConflictLine, SeriesLimit, Stats};
use crate::app::AppState;
use crate::error::blocking;
use crate::i18n::Lang;
use crate::programme::admin::FormState;
use crate::registrations::model::OrganisationType;
use crate::registrations::web::private_file;
use crate::web::{day_label, render, OrPage, PageCtx, PageError};

/// A figure as shown, beside the previous edition's.
pub struct Shown {
    pub label: String,
    pub value: String,
    pub previous: String,
    pub diff: String,
    /// `better`, `worse` or empty, for the difference's colour.
    pub trend: &'static str,
}

/// One table of figures.
pub struct Table {
    pub id: &'static str,
    pub caption: &'static str,
    /// When a heading above already says it.
    pub hidden_caption: bool,
    pub rows: Vec<Shown>,
}

/// One morning's arrivals.
pub struct Morning {
    pub label: String,
    pub svg: String,
    pub rows: Vec<(String, i64)>,
}

/// One session's line.
pub struct SessionLine {
    pub title: String,
    pub capacity: String,
    pub intended: String,
    pub attended: String,
    pub fill: String,
}

#[derive(Template)]
#[template(path = "pages/admin/stats.html")]
struct StatsPage<'a> {
    ctx: &'a PageCtx,
    slug: String,
    tab: &'static str,
    state: FormState,
    s: Stats,
    headline: String,
    basis_note: &'static str,
    /// "2029 · 15e Rencontres", or empty without a previous edition.
    previous_name: String,
    previous_year: String,
    previous_headline: String,
    overview: Table,
    present_by_day: Table,
    countries: Table,
    categories: Table,
    tables: Vec<Table>,
    mornings: Vec<Morning>,
    /// Says that only part of a series is shown, when it is cut; else empty.
    arrivals_note: String,
    curve: String,
    curve_note: String,
    types_chart: String,
    sessions_chart: String,
    sessions: Vec<SessionLine>,
    conflicts: Vec<ConflictLine>,
}

/// Keeps numbers with their unit on one line.
fn unbreakable(s: &str) -> String {
    s.replace(" %", "\u{a0}%")
}

fn table(id: &'static str, caption: &'static str, rows: &[&Row], lang: Lang) -> Table {
    Table {
        id,
        caption,
        hidden_caption: false,
        rows: rows
            .iter()
            .map(|r| {
                // More no-shows or cancellations is not good news.
                let worse_when_higher = matches!(r.key.as_str(), "no_show_rate" | "cancelled");
                let trend = match (&r.value, &r.previous) {
                    (Cell::Int(a), Cell::Int(b)) if a > b => "up",
                    (Cell::Int(a), Cell::Int(b)) if a < b => "down",
                    (Cell::Rate(a), Cell::Rate(b)) if (a - b) * 100.0 >= 0.5 => "up",
                    (Cell::Rate(a), Cell::Rate(b)) if (b - a) * 100.0 >= 0.5 => "down",
                    _ => "",
                };
                let trend = match (trend, worse_when_higher) {
                    ("up", false) | ("down", true) => "better",
                    ("down", false) | ("up", true) => "worse",
                    _ => "",
                };
                Shown {
                    label: r.label.clone(),
                    value: unbreakable(&r.value.show(lang)),
                    previous: unbreakable(&r.previous.show(lang)),
                    diff: r.value.diff(&r.previous, lang),
                    trend,
                }
            })
            .collect(),
    }
}

/// "Only the latest 500 days are shown…", when the series was cut.
fn cut_note(limit: &SeriesLimit, before: &str, after: &str, lang: Lang) -> String {
    if limit.capped {
        format!("{before} {} {after}", super::int(limit.max, lang))
    } else {
        String::new()
    }
}

fn page(ctx: &PageCtx, s: Stats, conflicts: Vec<ConflictLine>) -> StatsPage<'_> {
    let lang = ctx.lang;
    let rows = export::rows(&s, lang);
    let of = |section: &str| -> Vec<&Row> {
        rows.iter()
            .filter(|r| r.section == section && r.key != "headline")
            .collect()
    };
    let mut mornings: Vec<Morning> = Vec::new();
    let mut days: Vec<&str> = s.arrivals.iter().map(|a| a.day.as_str()).collect();
    days.dedup();
    for (i, day) in days.iter().enumerate() {
        let quarters: Vec<&super::Quarter> = s.arrivals.iter().filter(|a| a.day == *day).collect();
        let label = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map(|d| day_label(d, lang))
            .unwrap_or_else(|_| day.to_string());
        mornings.push(Morning {
            svg: svg::arrivals(&format!("arrivals-{i}"), &label, &quarters, lang),
            rows: quarters.iter().map(|a| (a.from.clone(), a.count)).collect(),
            label,
        });
    }
    let types: Vec<(String, i64)> = s
        .by_organisation_type
        .0
        .iter()
        .map(|(code, n)| {
            (
                OrganisationType::parse(code)
                    .map(|t| t.label(lang).to_string())
                    .unwrap_or_else(|| code.clone()),
                *n,
            )
        })
        .collect();
    let previous_name = s
        .previous
        .as_ref()
        .map(|p| format!("{} · {}", p.edition.year, p.edition.title))
        .unwrap_or_default();
    StatsPage {
        ctx,
        slug: s.edition.slug.clone(),
        tab: "stats",
        state: FormState::default(),
        headline: unbreakable(&s.headline),
        basis_note: match s.participants_basis {
            Basis::Present => lang.t("stats_basis_present"),
            Basis::Registered => lang.t("stats_basis_registered"),
        },
        previous_headline: s
            .previous
            .as_ref()
            .map(|p| unbreakable(&p.headline))
            .unwrap_or_default(),
        previous_year: s
            .previous
            .as_ref()
            .map(|p| p.edition.year.to_string())
            .unwrap_or_default(),
        previous_name,
        overview: Table {
            hidden_caption: true,
            ..table("overview", lang.t("stats_overview"), &of("overview"), lang)
        },
        present_by_day: table(
            "present-by-day",
            lang.t("stats_present_by_day"),
            &of("present_by_day"),
            lang,
        ),
        countries: table(
            "countries",
            lang.t("stats_countries"),
            &of("countries"),
            lang,
        ),
        tables: vec![
            table(
                "organisation-types",
                lang.t("stats_organisation_types"),
                &of("organisation_types"),
                lang,
            ),
            table(
                "functions",
                lang.t("stats_functions"),
                &of("functions"),
                lang,
            ),
        ],
        categories: table(
            "categories",
            lang.t("stats_categories"),
            &of("categories"),
            lang,
        ),
        mornings,
        arrivals_note: cut_note(
            &s.series_limits.arrivals,
            lang.t("stats_arrivals_capped"),
            lang.t("stats_arrivals_capped_rest"),
            lang,
        ),
        curve: svg::cumulative("curve", &s.registrations_by_day, lang),
        curve_note: cut_note(
            &s.series_limits.registrations_by_day,
            lang.t("stats_curve_capped"),
            lang.t("stats_curve_capped_rest"),
            lang,
        ),
        types_chart: svg::bars(
            "types-chart",
            lang.t("stats_organisation_types"),
            &types,
            lang,
        ),
        sessions_chart: svg::sessions("sessions-chart", &s.sessions, lang),
        sessions: s
            .sessions
            .iter()
            .map(|x| SessionLine {
                title: x.title.clone(),
                capacity: x
                    .capacity
                    .map(|c| super::int(c as i64, lang))
                    .unwrap_or_else(|| "—".into()),
                intended: super::int(x.intended, lang),
                attended: super::int(x.attended, lang),
                fill: x
                    .fill_rate
                    .map(|r| unbreakable(&super::percent(r, lang)))
                    .unwrap_or_else(|| "—".into()),
            })
            .collect(),
        conflicts,
        s,
    }
}

/// `GET /admin/editions/{slug}/stats`
pub async fn stats_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    let slug = slug.into_inner();
    let st = state.clone();
    let (s, conflicts) = blocking(move || {
        let mut conn = st.pool.get()?;
        let s = super::report(&mut conn, &slug, lang)?;
        let edition = crate::programme::find_edition(&mut conn, &slug)?;
        let tz = edition.timezone.parse().unwrap_or(chrono_tz::Europe::Paris);
        let conflicts = super::unmapped(&mut conn, |c| super::conflicts(c, &edition.id, tz))?;
        Ok((s, conflicts))
    })
    .await
    .or_page(lang)?;
    render(&ctx, &page(&ctx, s, conflicts))
}

/// `GET /admin/editions/{slug}/stats.csv`
pub async fn stats_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let slug = slug.into_inner();
    let s = super::api::figures(&state, slug.clone(), lang)
        .await
        .or_page(lang)?;
    Ok(private_file(
        "text/csv; charset=utf-8",
        "attachment",
        &format!("{slug}-stats.csv"),
        export::csv(&export::rows(&s, lang), lang),
    ))
}

/// `GET /admin/editions/{slug}/stats.xlsx`
pub async fn stats_xlsx(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let slug = slug.into_inner();
    let s = super::api::figures(&state, slug.clone(), lang)
        .await
        .or_page(lang)?;
    let body = blocking(move || export::xlsx(&export::rows(&s, lang), lang))
        .await
        .or_page(lang)?;
    Ok(private_file(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "attachment",
        &format!("{slug}-stats.xlsx"),
        body,
    ))
}
