//! The catalogues: Fluent files compiled into the binary, one bundle per language.
//!
//! Pages look up hundreds of texts per render, so every message is formatted once, at the
//! first lookup, into a leaked `&'static str`; only messages with arguments are formatted
//! on each call (`Lang::tf`).

use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

use super::Lang;

/// An argument of a message: a number (selects the plural form) or a text.
pub type Arg<'a> = FluentValue<'a>;

macro_rules! files {
    ($lang:literal) => {
        &[
            (
                "interface",
                include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/locales/",
                    $lang,
                    "/interface.ftl"
                )),
            ),
            (
                "messages",
                include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/locales/",
                    $lang,
                    "/messages.ftl"
                )),
            ),
            (
                "mail",
                include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/locales/",
                    $lang,
                    "/mail.ftl"
                )),
            ),
            (
                "labels",
                include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/locales/",
                    $lang,
                    "/labels.ftl"
                )),
            ),
        ]
    };
}

/// Every catalogue file, by language, as compiled in.
pub(super) const SOURCES: [(Lang, &[(&str, &str)]); 3] = [
    (Lang::Fr, files!("fr")),
    (Lang::En, files!("en")),
    (Lang::Es, files!("es")),
];

struct Catalogue {
    bundle: FluentBundle<FluentResource>,
    /// Every message and attribute (`id.attr`) formatted once, arguments shown as `{name}`.
    texts: HashMap<&'static str, &'static str, foldhash::fast::RandomState>,
}

fn catalogues() -> &'static [Catalogue; 3] {
    static CATALOGUES: OnceLock<[Catalogue; 3]> = OnceLock::new();
    CATALOGUES.get_or_init(|| SOURCES.map(|(lang, files)| load(lang, files)))
}

fn catalogue(lang: Lang) -> &'static Catalogue {
    &catalogues()[lang as usize]
}

fn load(lang: Lang, files: &[(&str, &str)]) -> Catalogue {
    let id = lang
        .code()
        .parse()
        .expect("a language code is a language id");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks would show up in plain-text emails, CSV and PDF labels.
    bundle.set_use_isolating(false);
    let mut patterns = Vec::new();
    for (name, source) in files {
        let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(_, e)| {
            panic!("locales/{}/{name}.ftl does not parse: {e:?}", lang.code())
        });
        for entry in resource.entries() {
            if let ast::Entry::Message(m) = entry {
                patterns.push(m.id.name.to_string());
            }
        }
        bundle
            .add_resource(resource)
            .unwrap_or_else(|e| panic!("locales/{}/{name}.ftl: {e:?}", lang.code()));
    }
    let mut texts = HashMap::default();
    for id in patterns {
        let Some(message) = bundle.get_message(&id) else {
            continue;
        };
        let mut keys = Vec::new();
        if let Some(value) = message.value() {
            keys.push((id.clone(), value));
        }
        for attribute in message.attributes() {
            keys.push((format!("{id}.{}", attribute.id()), attribute.value()));
        }
        for (key, pattern) in keys {
            let mut names = Vec::new();
            variables(pattern, &mut names);
            let mut args = FluentArgs::new();
            for name in &names {
                args.set(*name, format!("{{{name}}}"));
            }
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
            let text: &'static str = Box::leak(text.into_owned().into_boxed_str());
            texts.insert(&*Box::leak(key.into_boxed_str()), text);
        }
    }
    Catalogue { bundle, texts }
}

/// The variables a pattern refers to, so that `Lang::t` can show them as `{name}`.
pub(super) fn variables<'s>(pattern: &ast::Pattern<&'s str>, out: &mut Vec<&'s str>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables<'s>(expression: &ast::Expression<&'s str>, out: &mut Vec<&'s str>) {
    match expression {
        ast::Expression::Inline(inline) => inline_variables(inline, out),
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for v in variants {
                variables(&v.value, out);
            }
        }
    }
}

fn inline_variables<'s>(inline: &ast::InlineExpression<&'s str>, out: &mut Vec<&'s str>) {
    match inline {
        ast::InlineExpression::VariableReference { id } if !out.contains(&id.name) => {
            out.push(id.name);
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_variables(a, out);
            }
            for a in &arguments.named {
                inline_variables(&a.value, out);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

pub(super) fn text(lang: Lang, key: &str) -> Option<&'static str> {
    catalogue(lang).texts.get(key).copied()
}

pub(super) fn format(lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
    let c = catalogue(lang);
    let (id, attribute) = match key.split_once('.') {
        Some((id, a)) => (id, Some(a)),
        None => (key, None),
    };
    let pattern = c.bundle.get_message(id).and_then(|m| match attribute {
        Some(a) => m.get_attribute(a).map(|a| a.value()),
        None => m.value(),
    });
    let Some(pattern) = pattern else {
        return "??".into();
    };
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    let text = c
        .bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors);
    if !errors.is_empty() {
        tracing::warn!(
            key,
            lang = lang.code(),
            ?errors,
            "message formatted with errors"
        );
    }
    text.into_owned()
}
