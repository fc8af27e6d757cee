//! The figures as rows (section, key, label, value, previous edition's value), for the
//! CSV and XLSX downloads and the page's tables.

use rust_xlsxwriter::{Format, Workbook};

use super::{int, percent, Stats, Tally};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::registrations::export::defuse;
use crate::registrations::model::{Category, Function, OrganisationType};

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Int(i64),
    /// Between 0 and 1.
    Rate(f64),
    Text(String),
    Empty,
}

impl Cell {
    fn rate(r: Option<f64>) -> Cell {
        r.map(Cell::Rate).unwrap_or(Cell::Empty)
    }

    /// For a file: plain numbers, rates as decimals.
    pub fn raw(&self) -> String {
        match self {
            Cell::Int(n) => n.to_string(),
            Cell::Rate(r) => r.to_string(),
            Cell::Text(t) => t.clone(),
            Cell::Empty => String::new(),
        }
    }

    /// For people: separators and percentages in the page's language.
    pub fn show(&self, lang: Lang) -> String {
        match self {
            Cell::Int(n) => int(*n, lang),
            Cell::Rate(r) => percent(*r, lang),
            Cell::Text(t) => t.clone(),
            Cell::Empty => "—".into(),
        }
    }

    /// The change from `previous`: "+12", "−3", "+4 pts", or "" when not comparable.
    pub fn diff(&self, previous: &Cell, lang: Lang) -> String {
        let sign = |d: i64| match d.cmp(&0) {
            std::cmp::Ordering::Greater => format!("+{}", int(d, lang)),
            std::cmp::Ordering::Less => format!("−{}", int(-d, lang)),
            std::cmp::Ordering::Equal => "=".into(),
        };
        match (self, previous) {
            (Cell::Int(a), Cell::Int(b)) => sign(a - b),
            (Cell::Rate(a), Cell::Rate(b)) => {
                let points = ((a - b) * 100.0).round() as i64;
                match points {
                    0 => "=".into(),
                    1 | -1 => format!("{} {}", sign(points), lang.t("stats_point")),
                    _ => format!("{} {}", sign(points), lang.t("stats_points")),
                }
            }
            _ => String::new(),
        }
    }
}

/// One figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Stable, for grouping: `overview`, `countries`, …
    pub section: &'static str,
    pub key: String,
    pub label: String,
    pub value: Cell,
    pub previous: Cell,
}

/// Section codes and their interface text, in order.
pub const SECTIONS: &[(&str, &str)] = &[
    ("overview", "stats_overview"),
    ("present_by_day", "stats_present_by_day"),
    ("countries", "stats_countries"),
    ("organisation_types", "stats_organisation_types"),
    ("functions", "stats_functions"),
    ("categories", "stats_categories"),
    ("sessions", "stats_sessions"),
    ("arrivals", "stats_arrivals"),
    ("registrations_by_day", "stats_registrations_by_day"),
];

pub fn section_label(code: &str, lang: Lang) -> &'static str {
    SECTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, key)| lang.t(key))
        .unwrap_or("")
}

/// Counts by code with their labels, beside the previous edition's.
fn tally_rows(
    out: &mut Vec<Row>,
    section: &'static str,
    now: &Tally,
    before: Option<&Tally>,
    label: impl Fn(&str) -> String,
) {
    for (code, n) in &now.0 {
        out.push(Row {
            section,
            key: code.clone(),
            label: label(code),
            value: Cell::Int(*n),
            previous: before
                .map(|b| Cell::Int(b.get(code).unwrap_or(0)))
                .unwrap_or(Cell::Empty),
        });
    }
}

/// Every figure as a row, the previous edition's value beside it where the two compare.
pub fn rows(s: &Stats, lang: Lang) -> Vec<Row> {
    let p = s.previous.as_deref();
    let mut out = Vec::new();
    let mut overview = |key: &str, label: &str, value: Cell, previous: Option<Cell>| {
        out.push(Row {
            section: "overview",
            key: key.into(),
            label: label.into(),
            value,
            previous: previous.unwrap_or(Cell::Empty),
        })
    };
    overview(
        "headline",
        lang.t("stats_headline"),
        Cell::Text(s.headline.clone()),
        p.map(|p| Cell::Text(p.headline.clone())),
    );
    overview(
        "registered",
        lang.t("stats_registered"),
        Cell::Int(s.registered),
        p.map(|p| Cell::Int(p.registered)),
    );
    overview(
        "waitlisted",
        lang.t("stats_waitlisted"),
        Cell::Int(s.waitlisted),
        p.map(|p| Cell::Int(p.waitlisted)),
    );
    overview(
        "cancelled",
        lang.t("stats_cancelled"),
        Cell::Int(s.cancelled),
        p.map(|p| Cell::Int(p.cancelled)),
    );
    overview(
        "present",
        lang.t("stats_present"),
        Cell::Int(s.present),
        p.map(|p| Cell::Int(p.present)),
    );
    overview(
        "no_show_rate",
        lang.t("stats_no_show_rate"),
        Cell::rate(s.no_show_rate),
        p.map(|p| Cell::rate(p.no_show_rate)),
    );
    overview(
        "participants",
        lang.t("stats_participants"),
        Cell::Int(s.participants),
        p.map(|p| Cell::Int(p.participants)),
    );
    overview(
        "foreign_share",
        lang.t("stats_foreign_share"),
        Cell::rate(s.foreign_share),
        p.map(|p| Cell::rate(p.foreign_share)),
    );
    overview(
        "countries_count",
        lang.t("stats_countries_count"),
        Cell::Int(s.countries.count),
        p.map(|p| Cell::Int(p.countries.count)),
    );
    overview(
        "french_local_governments",
        lang.t("stats_french_local_governments"),
        Cell::Int(s.french_local_governments),
        p.map(|p| Cell::Int(p.french_local_governments)),
    );
    overview(
        "sessions_count",
        lang.t("stats_sessions_count"),
        Cell::Int(s.sessions_count),
        p.map(|p| Cell::Int(p.sessions_count)),
    );

    // Days compare by rank: the first day with the previous edition's first day.
    for (i, (day, n)) in s.present_by_day.0.iter().enumerate() {
        out.push(Row {
            section: "present_by_day",
            key: day.clone(),
            label: chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map(|d| crate::web::day_label(d, lang))
                .unwrap_or_else(|_| day.clone()),
            value: Cell::Int(*n),
            previous: p
                .and_then(|p| p.present_by_day.0.get(i))
                .map(|(_, n)| Cell::Int(*n))
                .unwrap_or(Cell::Empty),
        });
    }

    for c in &s.countries.list {
        out.push(Row {
            section: "countries",
            key: c.code.clone(),
            label: c.name.clone(),
            value: Cell::Int(c.count),
            previous: p
                .map(|p| {
                    Cell::Int(
                        p.countries
                            .list
                            .iter()
                            .find(|x| x.code == c.code)
                            .map(|x| x.count)
                            .unwrap_or(0),
                    )
                })
                .unwrap_or(Cell::Empty),
        });
    }
    // Countries that came last time and not this time.
    if let Some(p) = p {
        for c in &p.countries.list {
            if !s.countries.list.iter().any(|x| x.code == c.code) {
                out.push(Row {
                    section: "countries",
                    key: c.code.clone(),
                    label: c.name.clone(),
                    value: Cell::Int(0),
                    previous: Cell::Int(c.count),
                });
            }
        }
    }

    tally_rows(
        &mut out,
        "organisation_types",
        &s.by_organisation_type,
        p.map(|p| &p.by_organisation_type),
        |c| label_or_code(OrganisationType::parse(c).map(|t| t.label(lang)), c),
    );
    tally_rows(
        &mut out,
        "functions",
        &s.by_function,
        p.map(|p| &p.by_function),
        |c| label_or_code(Function::parse(c).map(|t| t.label(lang)), c),
    );
    tally_rows(
        &mut out,
        "categories",
        &s.by_category,
        p.map(|p| &p.by_category),
        |c| label_or_code(Category::parse(c).map(|t| t.label(lang)), c),
    );

    // Sessions, arrivals and registration days belong to one edition: nothing to compare.
    for x in &s.sessions {
        for (what, value) in [
            (
                "capacity",
                x.capacity
                    .map(|c| Cell::Int(c as i64))
                    .unwrap_or(Cell::Empty),
            ),
            ("intended", Cell::Int(x.intended)),
            ("attended", Cell::Int(x.attended)),
            ("fill_rate", Cell::rate(x.fill_rate)),
        ] {
            let measure = match what {
                "capacity" => lang.t("capacity"),
                "intended" => lang.t("stats_intended"),
                "attended" => lang.t("stats_attended"),
                _ => lang.t("stats_fill_rate"),
            };
            out.push(Row {
                section: "sessions",
                key: format!("{}.{what}", x.key),
                label: format!("{} — {measure}", x.title),
                value,
                previous: Cell::Empty,
            });
        }
    }
    for a in &s.arrivals {
        out.push(Row {
            section: "arrivals",
            key: format!("{} {}", a.day, a.from),
            label: format!("{} {}", a.day, a.from),
            value: Cell::Int(a.count),
            previous: Cell::Empty,
        });
    }
    for d in &s.registrations_by_day {
        out.push(Row {
            section: "registrations_by_day",
            key: d.date.clone(),
            label: format!(
                "{} ({} {})",
                d.date,
                lang.t("stats_cumulative"),
                d.cumulative
            ),
            value: Cell::Int(d.count),
            previous: Cell::Empty,
        });
    }
    out
}

fn label_or_code(label: Option<&'static str>, code: &str) -> String {
    label
        .map(str::to_string)
        .unwrap_or_else(|| code.to_string())
}

fn header(lang: Lang) -> [&'static str; 5] {
    [
        lang.t("stats_section"),
        lang.t("key"),
        lang.t("stats_label"),
        lang.t("stats_value"),
        lang.t("stats_previous_value"),
    ]
}

fn csv_field(out: &mut String, cell: &str) {
    let cell = defuse(cell);
    if cell.contains([',', ';', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&cell);
    }
}

/// CSV in UTF-8 with a byte-order mark, so that spreadsheet programs read the accents.
pub fn csv(rows: &[Row], lang: Lang) -> String {
    let mut out = String::from("\u{feff}");
    let mut line = |cells: [&str; 5]| {
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_field(&mut out, c);
        }
        out.push_str("\r\n");
    };
    line(header(lang));
    for r in rows {
        line([
            section_label(r.section, lang),
            &r.key,
            &r.label,
            &r.value.raw(),
            &r.previous.raw(),
        ]);
    }
    out
}

/// An XLSX workbook: one sheet, a bold frozen header, numbers as numbers and rates as
/// percentages.
pub fn xlsx(rows: &[Row], lang: Lang) -> Result<Vec<u8>, AppError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .set_name(lang.t("stats"))
        .map_err(AppError::internal)?;
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");
    for (c, title) in header(lang).iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *title, &bold)
            .map_err(AppError::internal)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let at = i as u32 + 1;
        for (c, text) in [section_label(r.section, lang), &r.key, &r.label]
            .iter()
            .enumerate()
        {
            sheet
                .write_string(at, c as u16, *text)
                .map_err(AppError::internal)?;
        }
        for (c, cell) in [(3u16, &r.value), (4u16, &r.previous)] {
            match cell {
                Cell::Int(n) => sheet.write_number(at, c, *n as f64).map(|_| ()),
                Cell::Rate(x) => sheet.write_number_with_format(at, c, *x, &pct).map(|_| ()),
                Cell::Text(t) => sheet.write_string(at, c, t).map(|_| ()),
                Cell::Empty => Ok(()),
            }
            .map_err(AppError::internal)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(AppError::internal)?;
    sheet
        .autofilter(0, 0, rows.len() as u32, 4)
        .map_err(AppError::internal)?;
    for (c, width) in [22, 24, 48, 14, 16].iter().enumerate() {
        sheet
            .set_column_width(c as u16, *width)
            .map_err(AppError::internal)?;
    }
    book.save_to_buffer().map_err(AppError::internal)
}

/// Pads or clips `s` to `width` characters.
fn column(s: &str, width: usize, right: bool) -> String {
    let n = s.chars().count();
    if n > width {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    } else if right {
        format!("{}{s}", " ".repeat(width - n))
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

/// The figures as a plain-text report for a terminal.
pub fn text(s: &Stats, lang: Lang) -> String {
    let mut out = format!(
        "{} {} · {} ({})\n\n{}\n{}\n",
        s.edition.year,
        s.edition.title,
        s.edition.days.join(", "),
        s.edition.slug,
        s.headline,
        match s.participants_basis {
            super::Basis::Present => lang.t("stats_basis_present"),
            super::Basis::Registered => lang.t("stats_basis_registered"),
        }
    );
    let previous = s.previous.as_deref();
    if let Some(p) = previous {
        out.push_str(&format!(
            "{} ({} {}){}{}\n",
            lang.t("stats_previous"),
            p.edition.year,
            p.edition.title,
            lang.t("colon"),
            p.headline
        ));
    }
    let rows = rows(s, lang);
    for (code, _) in SECTIONS {
        let mine: Vec<&Row> = rows
            .iter()
            .filter(|r| r.section == *code && r.key != "headline")
            // A registration curve of empty days says nothing in a terminal.
            .filter(|r| !(r.section == "registrations_by_day" && r.value == Cell::Int(0)))
            .collect();
        if mine.is_empty() {
            continue;
        }
        out.push('\n');
        out.push_str(&column(section_label(code, lang), 48, false));
        out.push_str(&column(&s.edition.year.to_string(), 10, true));
        if let Some(p) = previous {
            out.push_str(&column(&p.edition.year.to_string(), 10, true));
            out.push_str(&column(lang.t("stats_difference"), 9, true));
        }
        out.push('\n');
        for r in mine {
            let mut line = format!(
                "  {}{}",
                column(&r.label, 46, false),
                column(&r.value.show(lang), 10, true)
            );
            if previous.is_some() && r.previous != Cell::Empty {
                line.push_str(&column(&r.previous.show(lang), 10, true));
                line.push_str(&column(&r.value.diff(&r.previous, lang), 9, true));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_read_as_changes() {
        assert_eq!(Cell::Int(12).diff(&Cell::Int(10), Lang::En), "+2");
        assert_eq!(Cell::Int(8).diff(&Cell::Int(10), Lang::Fr), "−2");
        assert_eq!(Cell::Int(8).diff(&Cell::Int(8), Lang::Fr), "=");
        assert_eq!(Cell::Rate(0.5).diff(&Cell::Rate(0.46), Lang::Fr), "+4 pts");
        assert_eq!(Cell::Rate(0.5).diff(&Cell::Rate(0.49), Lang::En), "+1 pt");
        assert_eq!(Cell::Int(8).diff(&Cell::Empty, Lang::Fr), "");
        assert_eq!(Cell::Rate(0.125).show(Lang::En), "13%");
        assert_eq!(Cell::Empty.show(Lang::En), "—");
    }

    #[test]
    fn the_csv_has_a_bom_and_defused_cells() {
        let rows = vec![Row {
            section: "countries",
            key: "FR".into(),
            label: "=France, \"métropole\"".into(),
            value: Cell::Int(3),
            previous: Cell::Empty,
        }];
        let text = csv(&rows, Lang::Fr);
        assert!(text.starts_with('\u{feff}'));
        assert!(
            text.contains("Pays,FR,\"'=France, \"\"métropole\"\"\",3,\r\n"),
            "{text}"
        );
    }
}
