//! Builds an outbox row into an email: HTML and text in the participant's language, and,
//! for a confirmed registration, the QR code inline, the badge as a PDF and their personal
//! programme as an `.ics`.
//!
//! Messages are composed when they are sent, not when they are queued: registering stays a
//! few inserts, and an email always shows the registration as it stands.

use askama::Template;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;

use super::MailKind;
use crate::app::AppState;
use crate::badges::{self, BadgeText};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::programme::Programme;
use crate::registrations::model::{Civility, OutboxRow, RegistrationRow, Status};
use crate::registrations::{self as regs, links, Choice};

/// One chosen session, as the email lists it.
pub struct SessionLine {
    pub title: String,
    pub when: String,
    pub room: String,
    pub status: String,
    pub confirmed: bool,
}

/// Everything the two templates show.
pub struct Mail {
    pub lang: Lang,
    pub subject: String,
    pub greeting: String,
    pub intro: Vec<String>,
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
}

#[derive(Template)]
#[template(path = "emails/registration.html")]
struct HtmlBody<'a> {
    m: &'a Mail,
}

#[derive(Template)]
#[template(path = "emails/registration.txt")]
struct TextBody<'a> {
    m: &'a Mail,
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

/// The subject and opening paragraphs for each kind of message: `mail_<kind>_subject`
/// and `mail_<kind>_1`, `_2`… in the catalogue.
fn wording(
    kind: MailKind,
    reg: &RegistrationRow,
    title: &str,
    lang: Lang,
) -> (String, Vec<String>) {
    let confirmed = reg.status() == Status::Confirmed;
    let (name, paragraphs): (&str, &[&str]) = match kind {
        MailKind::Confirmation if confirmed => (
            "mail_confirmed_subject",
            &["mail_confirmed_1", "mail_confirmed_2"],
        ),
        MailKind::Confirmation => (
            "mail_waitlisted_subject",
            &["mail_waitlisted_1", "mail_waitlisted_2"],
        ),
        MailKind::Promoted => (
            "mail_promoted_subject",
            &["mail_promoted_1", "mail_promoted_2"],
        ),
        MailKind::SessionPromoted => (
            "mail_session_promoted_subject",
            &["mail_session_promoted_1"],
        ),
        MailKind::ManageLink => ("mail_manage_link_subject", &["mail_manage_link_1"]),
        MailKind::Cancelled => ("mail_cancelled_subject", &["mail_cancelled_1"]),
        MailKind::Badge => ("mail_badge_subject", &["mail_badge_1"]),
        MailKind::Changed if confirmed => ("mail_changed_subject", &["mail_changed_confirmed_1"]),
        MailKind::Changed => ("mail_changed_subject", &["mail_changed_waitlisted_1"]),
    };
    (
        lang.tf(name, &[("title", title.into())]),
        paragraphs.iter().map(|k| lang.t(k).to_string()).collect(),
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

/// Builds the message for an outbox row; `None` when there is no one to write to any more.
pub fn compose(
    state: &AppState,
    conn: &mut DbConnection,
    row: &OutboxRow,
) -> Result<Option<Message>, AppError> {
    let Some(reg_id) = &row.registration_id else {
        return Ok(None);
    };
    let reg = regs::get(conn, reg_id)?;
    if reg.is_erased() || row.recipient.is_empty() {
        return Ok(None);
    }
    let kind = MailKind::parse(&row.kind)
        .ok_or_else(|| AppError::Internal(format!("unknown email kind {}", row.kind)))?;
    // A registration cancelled before its news left: only the cancellation (and the link,
    // which leads back to the form) still make sense.
    if reg.status() == Status::Cancelled
        && !matches!(kind, MailKind::Cancelled | MailKind::ManageLink)
    {
        return Ok(None);
    }
    let slug = crate::programme::edition_slug(conn, &reg.edition_id)?;
    let p = state.programmes.get(conn, &slug)?;
    let settings = regs::settings(conn, &reg.edition_id)?;
    let choices = regs::choices(conn, &reg.id)?;
    let lang = reg.lang();
    let edition = &p.doc().edition;
    let (subject, intro) = wording(kind, &reg, &edition.title, lang);
    let confirmed = reg.status() == Status::Confirmed;
    let with_badge = confirmed && kind != MailKind::Cancelled;
    let domain = message_domain(&state.settings.mail.from);
    let mut dates = crate::web::days_span(&p.v.days, lang);
    if !edition.venue.is_empty() {
        dates = format!("{dates} · {}", edition.venue);
    }
    let mail = Mail {
        lang,
        subject,
        greeting: greeting(&reg, lang),
        intro,
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
        qr_cid: format!("qr-{}@{domain}", row.id),
    };
    let html = HtmlBody { m: &mail }.render().map_err(AppError::internal)?;
    let text = TextBody { m: &mail }.render().map_err(AppError::internal)?;

    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(text))
        .singlepart(SinglePart::html(html));
    let body = if with_badge {
        let badge = BadgeText::new(&p, &settings, &reg, lang)?;
        let qr = badges::qr::png(&badge.token, 6);
        let pdf = badges::pdf::badge(&badge.face());
        let ics = crate::programme::ics::calendar(
            &p,
            &personal_sessions(&p, &reg, &choices),
            lang,
            state.settings.public_url(),
        );
        let related = related().multipart(alternative).singlepart(
            Attachment::new_inline(format!("qr-{}@{domain}", row.id)).body(
                qr,
                ContentType::parse("image/png").map_err(AppError::internal)?,
            ),
        );
        MultiPart::mixed()
            .multipart(related)
            .singlepart(Attachment::new("badge.pdf".to_string()).body(
                pdf,
                ContentType::parse("application/pdf").map_err(AppError::internal)?,
            ))
            .singlepart(
                Attachment::new(format!("{}.ics", edition.slug)).body(
                    ics,
                    ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                        .map_err(AppError::internal)?,
                ),
            )
    } else {
        alternative
    };

    let from: Mailbox = state
        .settings
        .mail
        .from
        .parse()
        .map_err(|e| AppError::Internal(format!("mail.from is not an address: {e}")))?;
    let to: Mailbox = row
        .recipient
        .parse()
        .map_err(|e| AppError::Internal(format!("the recipient is not a valid address: {e}")))?;
    let mut builder = Message::builder()
        .message_id(Some(format!("<{}@{domain}>", row.id)))
        .from(from)
        .to(Mailbox::new(Some(reg.full_name()), to.email))
        .subject(mail.subject.clone());
    if !state.settings.mail.reply_to.is_empty() {
        if let Ok(reply) = state.settings.mail.reply_to.parse::<Mailbox>() {
            builder = builder.reply_to(reply);
        }
    }
    builder
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Content-Language"),
            lang.code().to_string(),
        ))
        .multipart(body)
        .map(Some)
        .map_err(AppError::internal)
}

/// `multipart/related` with its `type` parameter, the media type of its root part (RFC
/// 2387), which lettre's own builder leaves out.
fn related() -> lettre::message::MultiPartBuilder {
    let boundary = uuid::Uuid::new_v4().simple().to_string();
    let value =
        format!("multipart/related; boundary=\"{boundary}\"; type=\"multipart/alternative\"");
    match ContentType::parse(&value) {
        Ok(ct) => MultiPart::builder().header(ct),
        Err(_) => MultiPart::related(),
    }
}

/// The domain of the sender's address, for Message-IDs.
fn message_domain(from: &str) -> String {
    from.rsplit('@')
        .next()
        .map(|d| d.trim_end_matches('>').trim().to_string())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_use_the_sender_domain() {
        assert_eq!(
            message_domain("Rencontres <inscriptions@cites-unies-france.org>"),
            "cites-unies-france.org"
        );
        assert_eq!(message_domain("a@b.fr"), "b.fr");
        assert_eq!(message_domain("nobody"), "nobody");
    }
}
