//! The catalogue is complete, and the query names the language.

use super::*;

#[test]
fn every_key_used_in_templates_and_code_is_translated() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    let mut stack = vec![root.join("templates"), root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            // Lookups read `.t("key")`, or `{{ t("key") }}` in the error page.
            let text = std::fs::read_to_string(&path)
                .unwrap_or_default()
                .replace("{{ t(\"", ".t(\"");
            for part in text.split(".t(\"").skip(1) {
                let key = part.split('"').next().unwrap();
                if key.chars().all(|c| c.is_ascii_lowercase() || c == '_') && lookup(key).is_none()
                {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
    }
    assert!(missing.is_empty(), "untranslated keys: {missing:?}");
}

#[test]
fn the_query_wins() {
    assert_eq!(query_lang("day=1&lang=en"), Some(Lang::En));
    assert_eq!(query_lang("lang=de"), None);
    assert_eq!(Lang::Fr.t("login"), "Se connecter");
    assert_eq!(Lang::En.t("login"), "Log in");
}
