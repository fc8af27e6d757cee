//! Charts drawn on the server as inline SVG: no script, printable, and readable in
//! greyscale (dark bars, light bars and black lines, with the numbers written beside them).
//! Each chart has a `<title>` and a `<desc>` for screen readers; the page also gives the
//! same figures as tables.

use std::fmt::Write;

use super::{int, percent, Quarter, RegistrationDay, SessionFigures};
use crate::i18n::Lang;

/// Natural width in pixels; the page scales charts down on narrow screens.
const WIDTH: f64 = 480.0;
const INK: &str = "#1b2330";
const DARK: &str = "#1d3a6e";
const LIGHT: &str = "#b8c4d8";
const GRID: &str = "#d9dee5";
const FONT: &str = "font-family=\"system-ui, sans-serif\" font-size=\"13\"";

/// Text for SVG content and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The opening tag, title and description.
fn open(id: &str, height: f64, title: &str, desc: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" {FONT}>\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc)
    )
}

/// A round upper bound for an axis in four steps, each step 1, 2, 2.5 or 5 times a power
/// of ten.
pub fn nice_max(max: i64) -> (i64, i64) {
    let max = max.max(1);
    let mut magnitude: i64 = 1;
    loop {
        let quarter = (magnitude >= 10).then_some(magnitude * 5 / 2);
        for step in [
            Some(magnitude),
            Some(2 * magnitude),
            quarter,
            Some(5 * magnitude),
        ]
        .into_iter()
        .flatten()
        {
            if step * 4 >= max {
                return (step * 4, step);
            }
        }
        magnitude *= 10;
    }
}

/// Horizontal grid lines with their values, for a vertical axis from `bottom` up to `top`
/// pixels mapping 0..`max`.
fn y_axis(
    out: &mut String,
    (left, right, top, bottom): (f64, f64, f64, f64),
    max: i64,
    step: i64,
    lang: Lang,
) {
    let mut v = 0;
    while v <= max {
        let y = bottom - (bottom - top) * v as f64 / max as f64;
        let _ = write!(
            out,
            "<line x1=\"{left}\" x2=\"{right}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>",
            left - 6.0,
            y + 4.0,
            int(v, lang)
        );
        v += step;
    }
}

/// Check-ins per quarter of an hour over one morning (bars).
pub fn arrivals(id: &str, day_label: &str, quarters: &[&Quarter], lang: Lang) -> String {
    let (height, top, bottom, left, right) = (220.0, 16.0, 184.0, 44.0, WIDTH - 8.0);
    let total: i64 = quarters.iter().map(|a| a.count).sum();
    let peak = quarters.iter().max_by_key(|a| a.count);
    let title = format!("{} {day_label}", lang.t("stats_arrivals_chart"));
    let desc = match peak {
        Some(p) => format!(
            "{} {} ; {} {} ({})",
            int(total, lang),
            lang.t("stats_checkins"),
            lang.t("stats_peak"),
            p.from,
            int(p.count, lang)
        ),
        None => lang.t("stats_no_arrivals").to_string(),
    };
    let mut out = open(id, height, &title, &desc);
    let (max, step) = nice_max(quarters.iter().map(|a| a.count).max().unwrap_or(0));
    y_axis(&mut out, (left, right, top, bottom), max, step, lang);
    let n = quarters.len().max(1) as f64;
    let slot = (right - left) / n;
    let bar = (slot * 0.8).max(1.0);
    // Every label fits when slots are wide; else only full hours.
    let all_labels = slot >= 44.0;
    for (i, a) in quarters.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar) / 2.0;
        let h = (bottom - top) * a.count as f64 / max as f64;
        let _ = write!(
            out,
            "<g><title>{} : {}</title><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" fill=\"{DARK}\"/>",
            a.from,
            int(a.count, lang),
            bottom - h
        );
        if a.count > 0 && bar >= 16.0 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{INK}\">{}</text>",
                x + bar / 2.0,
                bottom - h - 4.0,
                int(a.count, lang)
            );
        }
        out.push_str("</g>");
        if all_labels || a.from.ends_with(":00") || i == 0 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
                left + slot * i as f64 + slot / 2.0,
                bottom + 18.0,
                a.from
            );
        }
    }
    let _ = write!(
        out,
        "<line x1=\"{left}\" x2=\"{right}\" y1=\"{bottom}\" y2=\"{bottom}\" stroke=\"{INK}\"/>\
         <text x=\"{left}\" y=\"{:.1}\" fill=\"{INK}\">{}</text></svg>",
        bottom + 34.0,
        esc(lang.t("stats_quarter_axis"))
    );
    out
}

/// A short date for an axis: "07/10" in French and Spanish, "7 Oct" in English.
fn short_date(iso: &str, lang: Lang) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) => match lang {
            Lang::Fr | Lang::Es => d.format("%d/%m").to_string(),
            Lang::En => d.format("%-d %b").to_string(),
        },
        Err(_) => iso.to_string(),
    }
}

/// Registrations so far, day by day (a line over a shaded area).
pub fn cumulative(id: &str, days: &[RegistrationDay], lang: Lang) -> String {
    let (height, top, bottom, left, right) = (220.0, 16.0, 184.0, 52.0, WIDTH - 16.0);
    let last = days.last().map(|d| d.cumulative).unwrap_or(0);
    let desc = match (days.first(), days.last()) {
        (Some(a), Some(b)) => format!(
            "{} → {} : {} {}",
            a.date,
            b.date,
            int(last, lang),
            lang.t("stats_registrations_word")
        ),
        _ => lang.t("stats_no_registrations").to_string(),
    };
    let mut out = open(id, height, lang.t("stats_curve"), &desc);
    let (max, step) = nice_max(last);
    y_axis(&mut out, (left, right, top, bottom), max, step, lang);
    let n = days.len();
    let x_of = |i: usize| {
        if n <= 1 {
            (left + right) / 2.0
        } else {
            left + (right - left) * i as f64 / (n - 1) as f64
        }
    };
    let y_of = |v: i64| bottom - (bottom - top) * v as f64 / max as f64;
    if n > 0 {
        let mut line = String::new();
        for (i, d) in days.iter().enumerate() {
            let _ = write!(
                line,
                "{}{:.1},{:.1}",
                if i == 0 { "M" } else { " L" },
                x_of(i),
                y_of(d.cumulative)
            );
        }
        let _ = write!(
            out,
            "<path d=\"{line} L{:.1},{bottom} L{:.1},{bottom} Z\" fill=\"{LIGHT}\" stroke=\"none\"/>\
             <path d=\"{line}\" fill=\"none\" stroke=\"{DARK}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>",
            x_of(n - 1),
            x_of(0)
        );
        let _ = write!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{DARK}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-weight=\"700\" fill=\"{INK}\">{}</text>",
            x_of(n - 1),
            y_of(last),
            x_of(n - 1) - 6.0,
            (y_of(last) - 8.0).max(12.0),
            int(last, lang)
        );
        // At most six dates on the axis, first and last included.
        let labels = 6.min(n);
        let mut shown: Vec<usize> = (0..labels)
            .map(|k| {
                if labels <= 1 {
                    0
                } else {
                    k * (n - 1) / (labels - 1)
                }
            })
            .collect();
        shown.dedup();
        for (k, i) in shown.iter().enumerate() {
            let anchor = if shown.len() > 1 && k == 0 {
                "start"
            } else if shown.len() > 1 && k == shown.len() - 1 {
                "end"
            } else {
                "middle"
            };
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" fill=\"{INK}\">{}</text>",
                x_of(*i),
                bottom + 18.0,
                short_date(&days[*i].date, lang)
            );
        }
    }
    let _ = write!(
        out,
        "<line x1=\"{left}\" x2=\"{right}\" y1=\"{bottom}\" y2=\"{bottom}\" stroke=\"{INK}\"/></svg>"
    );
    out
}

/// Shortens a label to `max` characters, with an ellipsis.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// One horizontal bar per line, its label above it and its value after it.
pub fn bars(id: &str, title: &str, rows: &[(String, i64)], lang: Lang) -> String {
    let (left, right, row) = (4.0, WIDTH - 96.0, 40.0);
    let height = 8.0 + row * rows.len().max(1) as f64;
    let total: i64 = rows.iter().map(|(_, n)| n).sum();
    let desc = rows
        .iter()
        .map(|(label, n)| format!("{label} : {}", int(*n, lang)))
        .collect::<Vec<_>>()
        .join(" ; ");
    let mut out = open(id, height, title, &desc);
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = 4.0 + row * i as f64;
        let w = (right - left) * *n as f64 / max as f64;
        let share = if total > 0 {
            format!(" ({})", percent(*n as f64 / total as f64, lang))
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "<g><text x=\"{left}\" y=\"{:.1}\" fill=\"{INK}\">{}</text>\
             <rect x=\"{left}\" y=\"{:.1}\" width=\"{:.1}\" height=\"14\" fill=\"#eef1f5\"/>\
             <rect x=\"{left}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"14\" fill=\"{DARK}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"{INK}\" font-weight=\"700\">{}</text></g>",
            y + 12.0,
            esc(&clip(label, 60)),
            y + 17.0,
            right - left,
            y + 17.0,
            (left + w + 6.0).min(right + 6.0),
            y + 29.0,
            esc(&format!("{}{share}", int(*n, lang))),
        );
    }
    out.push_str("</svg>");
    out
}

/// Sessions: people signed up (light bar), people who came (dark bar) and the seats
/// (black line), on one scale; each session's title and figures above its bars.
pub fn sessions(id: &str, list: &[SessionFigures], lang: Lang) -> String {
    let (left, right, row) = (4.0, WIDTH - 4.0, 46.0);
    let height = 8.0 + row * list.len().max(1) as f64;
    let desc = list
        .iter()
        .map(|s| {
            format!(
                "{} : {} {}, {} {}{}",
                s.title,
                int(s.intended, lang),
                lang.t("stats_intended").to_lowercase(),
                int(s.attended, lang),
                lang.t("stats_attended").to_lowercase(),
                match s.capacity {
                    Some(c) => format!(", {} {}", int(c as i64, lang), lang.t("seats")),
                    None => String::new(),
                }
            )
        })
        .collect::<Vec<_>>()
        .join(" ; ");
    let mut out = open(id, height, lang.t("stats_sessions_chart"), &desc);
    let max = list
        .iter()
        .map(|s| {
            s.intended
                .max(s.attended)
                .max(s.capacity.unwrap_or(0) as i64)
        })
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let x = |v: i64| left + (right - left) * v as f64 / max;
    for (i, s) in list.iter().enumerate() {
        let y = 4.0 + row * i as f64;
        let value = match s.fill_rate {
            Some(r) => format!("{} · {}", int(s.attended, lang), percent(r, lang)),
            None => int(s.attended, lang),
        };
        let _ = write!(
            out,
            "<g><title>{}</title><text x=\"{left}\" y=\"{:.1}\" fill=\"{INK}\">{}</text>\
             <text x=\"{right}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{INK}\" font-weight=\"700\">{}</text>\
             <rect x=\"{left}\" y=\"{:.1}\" width=\"{:.1}\" height=\"10\" fill=\"{LIGHT}\"/>\
             <rect x=\"{left}\" y=\"{:.1}\" width=\"{:.1}\" height=\"12\" fill=\"{DARK}\"/>",
            esc(&s.title),
            y + 12.0,
            esc(&clip(&s.title, 44)),
            y + 12.0,
            esc(&value),
            y + 17.0,
            x(s.intended) - left,
            y + 28.0,
            x(s.attended) - left,
        );
        if let Some(c) = s.capacity {
            let _ = write!(
                out,
                "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{INK}\" stroke-width=\"2.5\"/>",
                x(c as i64),
                x(c as i64),
                y + 14.0,
                y + 43.0
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_max(0), (4, 1));
        assert_eq!(nice_max(3), (4, 1));
        assert_eq!(nice_max(7), (8, 2));
        assert_eq!(nice_max(37), (40, 10));
        assert_eq!(nice_max(509), (800, 200));
        assert_eq!(nice_max(180), (200, 50));
        assert_eq!(nice_max(10_000), (10_000, 2_500));
        assert_eq!(nice_max(1_400), (2_000, 500));
        assert_eq!(nice_max(95), (100, 25));
    }

    #[test]
    fn charts_are_accessible_and_escape_their_text() {
        let rows = vec![
            ("Ville <de> \"Paris\" & co".to_string(), 3),
            ("B".into(), 0),
        ];
        let svg = bars("x", "Types", &rows, Lang::Fr);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"x-t\">Types</title>"));
        assert!(svg.contains("Ville &lt;de&gt; &quot;Paris&quot; &amp; co"));
        assert!(!svg.contains("<de>"));
        let days = vec![RegistrationDay {
            date: "2030-06-01".into(),
            count: 2,
            cumulative: 2,
        }];
        let svg = cumulative("c", &days, Lang::En);
        assert!(svg.contains("1 Jun"), "{svg}");
        assert!(svg.ends_with("</svg>"));
    }
}
