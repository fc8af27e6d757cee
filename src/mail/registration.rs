//! The emails about a registration (confirmation or waiting list, a seat come free, the
//! manage link, cancellation, a new badge, a change): one kind each, one template folder
//! each under `templates/emails/<kind>/`, all laid out by `emails/layouts/registration.*`.
//! A confirmed registration's messages carry the QR code inline, the badge as a PDF and
//! their personal programme as an `.ics`.

use askama::Template;
use serde::{Deserialize, Serialize};

use super::compose::{Composed, Cx, Part, ERASED};
use super::kinds::{Failure, Kind, Outcome};
use super::MailKind;
use crate::badges::{self, BadgeText};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::programme::Programme;
use crate::registrations::model::{Civility, RegistrationRow, Status};
use crate::registrations::{self as regs, links, Choice};

/// The payload of every registration email: which registration it is about. The message
/// shows the registration as it stands when it is sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegistrationPayload {
    pub registration_id: String,
}

/// One chosen session, as the email lists it.
pub struct SessionLine {
    pub title: String,
    pub when: String,
    pub room: String,
    pub status: String,
    pub confirmed: bool,
}

/// Everything the templates of a registration email show.
pub struct Mail {
    pub lang: Lang,
    /// Rendered first, from the kind's `subject` template (the HTML's title).
    pub subject: String,
    pub greeting: String,
    pub edition: String,
    pub theme: String,
    pub dates: String,
    pub status: String,
    pub confirmed: bool,
    pub details: Vec<(&'static str, String)>,
    pub sessions: Vec<SessionLine>,
    pub manage_url: String,
    pub with_badge: bool,
    pub qr_cid: String,
}

impl Mail {
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// A subject line: its catalogue message takes the edition's title.
    pub fn subject_line(&self, key: &str) -> String {
        self.lang
            .tf(key, &[("title", self.edition.as_str().into())])
    }
}

/// The three templates of one kind.
struct Templates {
    subject: fn(&Mail) -> askama::Result<String>,
    text: fn(&Mail) -> askama::Result<String>,
    html: fn(&Mail) -> askama::Result<String>,
}

/// A registration email kind: its type, its `MailKind`, and its template folder (the
/// paths must be written out for the template derive).
macro_rules! registration_kind {
    ($ty:ident, $kind:ident, $subject:literal, $text:literal, $html:literal) => {
        #[doc = concat!("The registration email `", $subject, "`.")]
        pub struct $ty;

        const _: () = {
            #[derive(Template)]
            #[template(path = $subject, escape = "none")]
            struct Subject<'a> {
                m: &'a Mail,
            }
            #[derive(Template)]
            #[template(path = $text)]
            struct Text<'a> {
                m: &'a Mail,
            }
            #[derive(Template)]
            #[template(path = $html)]
            struct Html<'a> {
                m: &'a Mail,
            }

            impl Kind for $ty {
                const CODE: &'static str = MailKind::$kind.code();
                type Payload = RegistrationPayload;
                fn compose(cx: &mut Cx<'_>, p: RegistrationPayload) -> Result<Outcome, Failure> {
                    compose(
                        cx,
                        MailKind::$kind,
                        &p,
                        &Templates {
                            subject: |m| Subject { m }.render(),
                            text: |m| Text { m }.render(),
                            html: |m| Html { m }.render(),
                        },
                    )
                }
            }
        };
    };
}

registration_kind!(
    Confirmation,
    Confirmation,
    "emails/confirmation/subject",
    "emails/confirmation/body.txt",
    "emails/confirmation/body.html"
);
registration_kind!(
    Promoted,
    Promoted,
    "emails/promoted/subject",
    "emails/promoted/body.txt",
    "emails/promoted/body.html"
);
registration_kind!(
    SessionPromoted,
    SessionPromoted,
    "emails/session_promoted/subject",
    "emails/session_promoted/body.txt",
    "emails/session_promoted/body.html"
);
registration_kind!(
    ManageLink,
    ManageLink,
    "emails/manage_link/subject",
    "emails/manage_link/body.txt",
    "emails/manage_link/body.html"
);
registration_kind!(
    Cancelled,
    Cancelled,
    "emails/cancelled/subject",
    "emails/cancelled/body.txt",
    "emails/cancelled/body.html"
);
registration_kind!(
    Badge,
    Badge,
    "emails/badge/subject",
    "emails/badge/body.txt",
    "emails/badge/body.html"
);
registration_kind!(
    Changed,
    Changed,
    "emails/changed/subject",
    "emails/changed/body.txt",
    "emails/changed/body.html"
);

/// Builds a registration email, or drops it when there is no one to write to any more.
fn compose(
    cx: &mut Cx<'_>,
    kind: MailKind,
    p: &RegistrationPayload,
    templates: &Templates,
) -> Result<Outcome, Failure> {
    let reg = match regs::get(cx.conn, &p.registration_id) {
        Ok(r) => r,
        Err(AppError::NotFound) => {
            return Err(Failure::Hold(format!(
                "the registration {} does not exist",
                p.registration_id
            )))
        }
        Err(e) => return Err(e.into()),
    };
    if reg.is_erased() {
        return Ok(Outcome::Drop(ERASED));
    }
    // A registration cancelled before its news left: only the cancellation (and the link,
    // which leads back to the form) still make sense.
    if reg.status() == Status::Cancelled
        && !matches!(kind, MailKind::Cancelled | MailKind::ManageLink)
    {
        return Ok(Outcome::Drop(ERASED));
    }
    let state = cx.state;
    let slug = crate::programme::edition_slug(cx.conn, &reg.edition_id)?;
    let p = state.programmes.get(cx.conn, &slug)?;
    let settings = regs::settings(cx.conn, &reg.edition_id)?;
    let choices = regs::choices(cx.conn, &reg.id)?;
    let lang = reg.lang();
    let edition = &p.doc().edition;
    let confirmed = reg.status() == Status::Confirmed;
    let with_badge = confirmed && kind != MailKind::Cancelled;
    let mut dates = crate::web::days_span(&p.v.days, lang);
    if !edition.venue.is_empty() {
        dates = format!("{dates} · {}", edition.venue);
    }
    let mut mail = Mail {
        lang,
        subject: String::new(),
        greeting: greeting(&reg, lang),
        edition: edition.title.clone(),
        theme: edition.theme.clone(),
        dates,
        status: reg.status().label(lang).to_string(),
        confirmed,
        details: details(&reg, lang),
        sessions: session_lines(&p, &choices, lang),
        manage_url: format!(
            "{}{}",
            state.settings.link_base(),
            links::path(&state.secret, &reg)
        ),
        with_badge,
        qr_cid: cx.cid("qr"),
    };
    let rendered = |f: fn(&Mail) -> askama::Result<String>, m: &Mail| {
        f(m).map_err(|e| Failure::Hold(format!("the email template failed: {e}")))
    };
    mail.subject = rendered(templates.subject, &mail)?.trim().to_string();
    let text = rendered(templates.text, &mail)?;
    let html = rendered(templates.html, &mail)?;

    let (mut inline, mut attachments) = (Vec::new(), Vec::new());
    if with_badge {
        let badge = BadgeText::new(&p, &settings, &reg, lang)?;
        inline.push(Part {
            name: mail.qr_cid.clone(),
            content_type: "image/png",
            data: badges::qr::png(&badge.token, 6),
        });
        attachments.push(Part {
            name: "badge.pdf".into(),
            content_type: "application/pdf",
            data: badges::pdf::badge(&badge.face()),
        });
        let ics = crate::programme::ics::calendar(
            &p,
            &personal_sessions(&p, &reg, &choices),
            lang,
            state.settings.public_url(),
        );
        attachments.push(Part {
            name: format!("{}.ics", edition.slug),
            content_type: "text/calendar; charset=utf-8; method=PUBLISH",
            data: ics.into_bytes(),
        });
    }
    Ok(Outcome::Send(Box::new(Composed {
        lang,
        to_name: Some(reg.full_name()),
        subject: mail.subject,
        text,
        html,
        inline,
        attachments,
    })))
}

fn greeting(reg: &RegistrationRow, lang: Lang) -> String {
    let civility = match Civility::parse(&reg.civility) {
        Some(Civility::Mme) => "mme",
        Some(Civility::M) => "m",
        _ => "none",
    };
    lang.tf(
        "mail_greeting",
        &[
            ("civility", civility.into()),
            ("last_name", reg.last_name.as_str().into()),
            ("full_name", reg.full_name().into()),
        ],
    )
}

/// When and where a session takes place, in words.
pub fn session_lines(p: &Programme, choices: &[Choice], lang: Lang) -> Vec<SessionLine> {
    choices
        .iter()
        .filter_map(|c| {
            let i = p.session_index(&c.key)?;
            let (s, v) = (&p.doc().sessions[i], &p.v.sessions[i]);
            let room = v
                .room
                .map(|r| p.doc().rooms[r].name.clone())
                .unwrap_or_default();
            Some(SessionLine {
                title: s.title.clone(),
                when: format!(
                    "{}, {}–{}",
                    crate::web::day_label(v.day, lang),
                    v.start.format("%H:%M"),
                    v.end.format("%H:%M")
                ),
                room,
                status: c.status.label(lang).to_string(),
                confirmed: c.status == crate::registrations::model::ChoiceStatus::Confirmed,
            })
        })
        .collect()
}

/// The sessions of someone's personal calendar: those open to everyone on the days they
/// attend, and the ones they chose and hold a seat in.
pub fn personal_sessions(p: &Programme, reg: &RegistrationRow, choices: &[Choice]) -> Vec<usize> {
    let days = reg.days();
    (0..p.v.sessions.len())
        .filter(|&i| {
            let v = &p.v.sessions[i];
            let key = &p.doc().sessions[i].key;
            days.contains(&v.day)
                && (!crate::registrations::form::choosable(v.kind)
                    || choices.iter().any(|c| {
                        &c.key == key
                            && c.status == crate::registrations::model::ChoiceStatus::Confirmed
                    }))
        })
        .collect()
}

/// The details block shared by emails and the manage page.
pub fn details(reg: &RegistrationRow, lang: Lang) -> Vec<(&'static str, String)> {
    use crate::registrations::model::{Function, OrganisationType};
    let yes_no = |b: bool| lang.t(if b { "yes" } else { "no" }).to_string();
    vec![
        ("reg_name", reg.full_name()),
        ("reg_email", reg.email.clone()),
        (
            "reg_function",
            Function::parse(&reg.function)
                .map(|f| f.label(lang).to_string())
                .unwrap_or_default(),
        ),
        (
            "reg_organisation",
            format!(
                "{} ({})",
                reg.organisation,
                OrganisationType::parse(&reg.organisation_type)
                    .map(|t| t.label(lang))
                    .unwrap_or_default()
            ),
        ),
        (
            "reg_country",
            crate::countries::find(&reg.country)
                .map(|c| c.name(lang).to_string())
                .unwrap_or_default(),
        ),
        (
            "reg_days",
            reg.days()
                .iter()
                .map(|d| crate::web::day_label(*d, lang))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("reg_lunch", yes_no(reg.lunch)),
        (
            "reg_accessibility",
            if reg.accessibility.is_empty() {
                "—".into()
            } else {
                reg.accessibility.clone()
            },
        ),
    ]
}
