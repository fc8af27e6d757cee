//! The interface speaks French first, English and Spanish too. Content (titles, abstracts)
//! is shown as the organiser wrote it; only the interface text is translated, from the
//! catalogues in `locales/<lang>/*.ftl` (see `catalogue`).

mod catalogue;

use actix_web::HttpRequest;

pub use catalogue::Arg;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Fr,
    En,
    Es,
}

pub const LANG_COOKIE: &str = "lang";

impl Lang {
    /// Every language the interface speaks, in the order the switcher lists them.
    pub const ALL: [Lang; 3] = [Lang::Fr, Lang::En, Lang::Es];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    /// The languages a page can switch to from this one.
    pub fn others(self) -> impl Iterator<Item = Lang> {
        Lang::ALL.into_iter().filter(move |l| *l != self)
    }

    /// The language's name in itself, for the switcher.
    pub fn native_name(self) -> &'static str {
        self.t("language_native")
    }

    /// The language of content written by the organiser in French and English only:
    /// French readers get French, everyone else English.
    pub fn content(self) -> Lang {
        match self {
            Lang::Fr => Lang::Fr,
            Lang::En | Lang::Es => Lang::En,
        }
    }

    /// The language asked for in the query (`?lang=en`), else the remembered one (cookie),
    /// else the browser's first preference among those spoken here, else French.
    pub fn of(req: &HttpRequest) -> Lang {
        if let Some(l) = query_lang(req.query_string()) {
            return l;
        }
        if let Some(l) = req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value())) {
            return l;
        }
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.split(',')
                    .map(|tag| tag.trim().get(..2).unwrap_or("").to_ascii_lowercase())
                    .find_map(|tag| Lang::parse(&tag))
            })
            .unwrap_or(Lang::Fr)
    }

    /// The language of API messages: the one the query (`?lang=`) or `Accept-Language`
    /// names first among those spoken here, else English.
    pub fn of_api(req: &HttpRequest) -> Lang {
        if let Some(l) = query_lang(req.query_string()) {
            return l;
        }
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.split(',')
                    .map(|tag| tag.trim().get(..2).unwrap_or("").to_ascii_lowercase())
                    .find_map(|tag| Lang::parse(&tag))
            })
            .unwrap_or(Lang::En)
    }

    /// Interface text for `key`, for messages without arguments; resolved once at start.
    /// A message with arguments comes back with `{name}` in their place. `??` when missing
    /// (a test keeps every key in every language).
    pub fn t(self, key: &str) -> &'static str {
        catalogue::text(self, key).unwrap_or("??")
    }

    /// Interface text for `key` with its arguments (names, counts for plurals).
    pub fn tf(self, key: &str, args: &[(&str, Arg)]) -> String {
        catalogue::format(self, key, args)
    }
}

/// The `lang` value of a query string, if it names a language we speak.
pub fn query_lang(query: &str) -> Option<Lang> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Lang::parse)
}

/// The name of an ISO 639-1 language, for the languages of a session.
pub fn language_name(code: &str, lang: Lang) -> String {
    let key = match code {
        "fr" => "language_fr",
        "en" => "language_en",
        "es" => "language_es",
        "pt" => "language_pt",
        "ar" => "language_ar",
        "de" => "language_de",
        "it" => "language_it",
        "ja" => "language_ja",
        "he" => "language_he",
        "zh" => "language_zh",
        "ru" => "language_ru",
        other => return other.to_uppercase(),
    };
    lang.t(key).to_string()
}

#[cfg(test)]
mod tests;
