use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;

use super::catalogue::{variables, SOURCES};
use super::*;

/// Message id → its attribute names, for one language's files.
fn ids(files: &[(&str, &str)]) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (name, source) in files {
        let resource = fluent_syntax::parser::parse(*source)
            .unwrap_or_else(|(_, e)| panic!("{name}.ftl does not parse: {e:?}"));
        for entry in resource.body {
            match entry {
                ast::Entry::Message(m) => {
                    let attrs = m.attributes.iter().map(|a| a.id.name.to_string()).collect();
                    let previous = out.insert(m.id.name.to_string(), attrs);
                    assert!(previous.is_none(), "{} is defined twice", m.id.name);
                }
                ast::Entry::Junk { content } => panic!("{name}.ftl: cannot read {content:?}"),
                _ => {}
            }
        }
    }
    out
}

#[test]
fn every_language_has_the_same_messages() {
    let french = ids(SOURCES[0].1);
    for (lang, files) in &SOURCES[1..] {
        let other = ids(files);
        let missing: Vec<_> = french.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !french.contains_key(*k)).collect();
        assert!(
            missing.is_empty(),
            "missing in {}: {missing:?}",
            lang.code()
        );
        assert!(extra.is_empty(), "only in {}: {extra:?}", lang.code());
        for (id, attrs) in &french {
            assert_eq!(attrs, &other[id], "attributes of {id} in {}", lang.code());
        }
    }
}

#[test]
fn every_message_formats_without_errors() {
    use fluent_bundle::{FluentArgs, FluentResource};
    for (lang, files) in SOURCES {
        let mut bundle = fluent_bundle::FluentBundle::new(vec![lang.code().parse().unwrap()]);
        for (_, source) in files {
            let resource = FluentResource::try_new(source.to_string())
                .unwrap_or_else(|_| panic!("a catalogue of {} does not parse", lang.code()));
            bundle
                .add_resource(resource)
                .unwrap_or_else(|e| panic!("{}: {e:?}", lang.code()));
        }
        for (id, _) in ids(files) {
            let message = bundle.get_message(&id).unwrap();
            let patterns = message
                .value()
                .into_iter()
                .chain(message.attributes().map(|a| a.value()));
            for pattern in patterns {
                let mut names = Vec::new();
                variables(pattern, &mut names);
                // Each argument as a number (plural selectors) and as a text.
                for as_number in [true, false] {
                    let mut args = FluentArgs::new();
                    for n in &names {
                        if as_number {
                            args.set(*n, 2);
                        } else {
                            args.set(*n, "x");
                        }
                    }
                    let mut errors = Vec::new();
                    bundle.format_pattern(pattern, Some(&args), &mut errors);
                    assert!(errors.is_empty(), "{id} in {}: {errors:?}", lang.code());
                }
            }
        }
    }
}

/// Keys named in code and templates: `t("key")`, `tf("key", …)`, `count("key", n)`,
/// `Text::new("key")`, and the desk script's `tr('key')`.
#[test]
fn every_key_used_in_templates_and_code_is_translated() {
    let pattern =
        regex::Regex::new(r#"(?:\b(?:t|tf|tr|count|with)|Text::new)\(\s*["']([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_-]*)?)["']"#)
            .unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let known: Vec<_> = SOURCES.iter().map(|(_, files)| ids(files)).collect();
    let mut missing = Vec::new();
    let mut seen = 0;
    let mut stack = vec![root.join("templates"), root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            // This file names a missing key on purpose.
            if path.ends_with("i18n/tests.rs") {
                continue;
            }
            let mut text = std::fs::read_to_string(&path).unwrap_or_default();
            // Keys in unit tests are not shown to anyone.
            if let Some(at) = text.find("#[cfg(test)]") {
                text.truncate(at);
            }
            for c in pattern.captures_iter(&text) {
                let key = &c[1];
                // `status_…` texts of the desk script come from `Status::label`.
                if key.starts_with("status_") && path.extension().is_some_and(|e| e == "js") {
                    continue;
                }
                seen += 1;
                let (id, attr) = key.split_once('.').unwrap_or((key, ""));
                for ((lang, _), ids) in SOURCES.iter().zip(&known) {
                    let found = ids
                        .get(id)
                        .is_some_and(|attrs| attr.is_empty() || attrs.contains(attr));
                    if !found {
                        missing.push(format!("{}: {key} ({})", path.display(), lang.code()));
                    }
                }
            }
        }
    }
    assert!(seen > 400, "the scan found only {seen} keys");
    assert!(missing.is_empty(), "untranslated keys: {missing:?}");
}

#[test]
fn the_query_wins() {
    assert_eq!(query_lang("day=1&lang=en"), Some(Lang::En));
    assert_eq!(query_lang("lang=es"), Some(Lang::Es));
    assert_eq!(query_lang("lang=de"), None);
    assert_eq!(Lang::Fr.t("login"), "Se connecter");
    assert_eq!(Lang::En.t("login"), "Log in");
    assert_eq!(Lang::Es.t("login"), "Iniciar sesión");
}

#[test]
fn arguments_show_as_placeholders_without_them_and_select_plurals_with_them() {
    assert_eq!(Lang::En.t("desk_by"), "by {by}");
    assert_eq!(Lang::Fr.t("colon"), " : ");
    assert_eq!(
        Lang::Fr.tf("reg_shown", &[("count", 1.into())]),
        "1 inscription affichée"
    );
    assert_eq!(
        Lang::Fr.tf("reg_shown", &[("count", 3.into())]),
        "3 inscriptions affichées"
    );
    assert_eq!(
        Lang::Es.tf("reg_shown", &[("count", 1.into())]),
        "1 inscripción mostrada"
    );
    assert_eq!(
        Lang::Es.tf("reg_shown", &[("count", 3.into())]),
        "3 inscripciones mostradas"
    );
    assert_eq!(Lang::Es.t("no_such_key"), "??");
}
