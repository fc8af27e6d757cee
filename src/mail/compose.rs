//! From a composed email (subject, text, HTML, inline images, attachments) to the MIME
//! message, the same shape for every kind: `multipart/alternative`, inside
//! `multipart/related` when the HTML shows inline images, inside `multipart/mixed` when
//! files are attached.
//!
//! Messages are composed when they are sent, not when they are queued: queueing stays one
//! insert, and an email always shows things as they stand.

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;

use super::kinds::{self, Failure, Outcome};
use super::model::OutboxRow;
use crate::app::AppState;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::i18n::Lang;

/// What a composer works with: the application, a connection, and the row being sent.
pub struct Cx<'a> {
    pub state: &'a AppState,
    pub conn: &'a mut DbConnection,
    pub row: &'a OutboxRow,
}

impl Cx<'_> {
    /// The Content-ID of an inline part of this message, for `cid:` links in its HTML.
    pub fn cid(&self, name: &str) -> String {
        format!(
            "{name}-{}@{}",
            self.row.id,
            message_domain(&self.state.settings.mail.from)
        )
    }
}

/// A file carried by a message.
pub struct Part {
    /// The file name, or the Content-ID of an inline part.
    pub name: String,
    pub content_type: &'static str,
    pub data: Vec<u8>,
}

/// An email as its composer wrote it.
pub struct Composed {
    pub lang: Lang,
    /// The recipient's name, shown beside their address.
    pub to_name: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Images the HTML shows (`cid:` + [`Part::name`]).
    pub inline: Vec<Part>,
    pub attachments: Vec<Part>,
}

/// What the worker does with a row.
pub enum Built {
    Send(Box<Message>),
    Drop(&'static str),
}

/// Composes a row with its kind's composer and builds the message.
pub fn build(state: &AppState, conn: &mut DbConnection, row: &OutboxRow) -> Result<Built, Failure> {
    if row.recipient.is_empty() {
        return Ok(Built::Drop(ERASED));
    }
    let mut cx = Cx { state, conn, row };
    match kinds::compose(&mut cx)? {
        Outcome::Drop(note) => Ok(Built::Drop(note)),
        Outcome::Send(c) => Ok(Built::Send(Box::new(message(state, row, *c)?))),
    }
}

/// The note of a message nobody is left to receive.
pub const ERASED: &str = "nobody to write to any more (erased, or cancelled since)";

fn content_type(s: &str) -> Result<ContentType, AppError> {
    ContentType::parse(s).map_err(AppError::internal)
}

/// The MIME message for a composed email.
pub fn message(state: &AppState, row: &OutboxRow, c: Composed) -> Result<Message, AppError> {
    let mut body = MultiPart::alternative()
        .singlepart(SinglePart::plain(c.text))
        .singlepart(SinglePart::html(c.html));
    if !c.inline.is_empty() {
        let mut related = related().multipart(body);
        for p in c.inline {
            related = related.singlepart(
                Attachment::new_inline(p.name).body(p.data, content_type(p.content_type)?),
            );
        }
        body = related;
    }
    if !c.attachments.is_empty() {
        let mut mixed = MultiPart::mixed().multipart(body);
        for p in c.attachments {
            mixed = mixed
                .singlepart(Attachment::new(p.name).body(p.data, content_type(p.content_type)?));
        }
        body = mixed;
    }

    let domain = message_domain(&state.settings.mail.from);
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
        .to(Mailbox::new(c.to_name.or(to.name), to.email))
        .subject(c.subject);
    if !state.settings.mail.reply_to.is_empty() {
        if let Ok(reply) = state.settings.mail.reply_to.parse::<Mailbox>() {
            builder = builder.reply_to(reply);
        }
    }
    builder
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Content-Language"),
            c.lang.code().to_string(),
        ))
        .multipart(body)
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
