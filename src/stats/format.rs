//! Numbers and the headline sentence, in the reader's language.

use super::model::Stats;
use crate::i18n::Lang;

/// A whole number with the language's thousands separator.
pub fn int(n: i64, lang: Lang) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::Fr => "\u{202f}",
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

/// A rate as a whole percentage: "50 %" in French, "50%" in English.
pub fn percent(rate: f64, lang: Lang) -> String {
    let n = (rate * 100.0).round() as i64;
    match lang {
        Lang::Fr => format!("{} %", int(n, lang)),
        Lang::En => format!("{}%", int(n, lang)),
    }
}

/// "509 participants, 50 % venus de l'étranger, 28 pays, 130 collectivités territoriales
/// françaises, 26 sessions", in the language asked.
pub fn headline(s: &Stats, lang: Lang) -> String {
    // French treats 0 and 1 as singular, English only 1.
    let one = |n: i64| match lang {
        Lang::Fr => n <= 1,
        Lang::En => n == 1,
    };
    let count = |n: i64, singular: &str, plural: &str| {
        format!(
            "{} {}",
            int(n, lang),
            if one(n) { singular } else { plural }
        )
    };
    let abroad = percent(s.foreign_share.unwrap_or(0.0), lang);
    match lang {
        Lang::Fr => format!(
            "{}, {abroad} venus de l'étranger, {}, {}, {}",
            count(s.participants, "participant", "participants"),
            count(s.countries.count, "pays", "pays"),
            count(
                s.french_local_governments,
                "collectivité territoriale française",
                "collectivités territoriales françaises"
            ),
            count(s.sessions_count, "session", "sessions"),
        ),
        Lang::En => format!(
            "{}, {abroad} from abroad, {}, {}, {}",
            count(s.participants, "participant", "participants"),
            count(s.countries.count, "country", "countries"),
            count(
                s.french_local_governments,
                "French local government",
                "French local governments"
            ),
            count(s.sessions_count, "session", "sessions"),
        ),
    }
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
