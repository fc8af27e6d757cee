//! Numbers and the headline sentence, in the reader's language.

use super::model::Stats;
use crate::i18n::Lang;

/// A whole number with the language's thousands separator.
pub fn int(n: i64, lang: Lang) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::Fr | Lang::Es => "\u{202f}",
        Lang::En => ",",
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A rate as a whole percentage: "50 %" in French and Spanish, "50%" in English.
pub fn percent(rate: f64, lang: Lang) -> String {
    let n = (rate * 100.0).round() as i64;
    match lang {
        Lang::Fr | Lang::Es => format!("{} %", int(n, lang)),
        Lang::En => format!("{}%", int(n, lang)),
    }
}

/// "509 participants, 50 % venus de l'étranger, 28 pays, 130 collectivités territoriales
/// françaises, 26 sessions", in the language asked.
pub fn headline(s: &Stats, lang: Lang) -> String {
    // Each count picks its plural form from its number; it is shown with the thousands
    // separator of the language.
    let n = |v: i64| -> [(&str, crate::i18n::Arg); 2] {
        [("count", v.into()), ("shown", int(v, lang).into())]
    };
    lang.tf(
        "stats_headline_sentence",
        &[
            (
                "participants",
                lang.tf("stats_headline_participants", &n(s.participants))
                    .into(),
            ),
            (
                "abroad",
                percent(s.foreign_share.unwrap_or(0.0), lang).into(),
            ),
            (
                "countries",
                lang.tf("stats_headline_countries", &n(s.countries.count))
                    .into(),
            ),
            (
                "local_governments",
                lang.tf(
                    "stats_headline_local_governments",
                    &n(s.french_local_governments),
                )
                .into(),
            ),
            (
                "sessions",
                lang.tf("stats_headline_sessions", &n(s.sessions_count))
                    .into(),
            ),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(int(1509, Lang::Fr), "1\u{202f}509");
        assert_eq!(int(1509, Lang::En), "1,509");
        assert_eq!(int(509, Lang::En), "509");
        assert_eq!(percent(0.505, Lang::Fr), "51 %");
        assert_eq!(percent(0.5, Lang::En), "50%");
    }
}
