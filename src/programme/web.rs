//! Public pages of the programme: the programme itself, a session, a speaker, calendars.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::model::{PersonRole, SessionKind};
use super::{ics, Programme};
use crate::app::AppState;
use crate::error::{blocking, AppError};
use crate::i18n::Lang;
use crate::web::{day_label, days_span, render, OrPage, PageCtx, PageError};

/// The filters of the programme page; empty means all.
#[derive(Debug, Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub room: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct Card {
    pub key: String,
    pub title: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub time: String,
    pub room: String,
    pub languages: String,
    pub moderators: String,
    pub speakers: usize,
}

pub struct Slot {
    pub time: String,
    pub breaks: Vec<Card>,
    pub cards: Vec<Card>,
}

pub struct Day {
    pub anchor: String,
    pub label: String,
    pub slots: Vec<Slot>,
}

fn time_span(p: &Programme, i: usize) -> String {
    let s = &p.v.sessions[i];
    format!("{} – {}", s.start.format("%H:%M"), s.end.format("%H:%M"))
}

fn languages(codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| c.to_uppercase())
        .collect::<Vec<_>>()
        .join(" · ")
}

fn card(p: &Programme, i: usize, lang: Lang) -> Card {
    let (s, vs) = (&p.doc().sessions[i], &p.v.sessions[i]);
    let names = |role: PersonRole| -> Vec<&str> {
        vs.people
            .iter()
            .filter(|(_, r)| *r == role)
            .map(|(x, _)| p.doc().people[*x].name.as_str())
            .collect()
    };
    Card {
        key: s.key.clone(),
        title: s.title.clone(),
        kind: vs.kind.code(),
        kind_label: vs.kind.label(lang),
        time: time_span(p, i),
        room: vs
            .room
            .map(|r| p.doc().rooms[r].name.clone())
            .unwrap_or_default(),
        languages: languages(&s.languages),
        moderators: names(PersonRole::Moderator).join(", "),
        speakers: names(PersonRole::Speaker).len(),
    }
}

/// Sessions passing the filters, grouped by day, then by start time.
pub fn days(p: &Programme, f: &Filters, lang: Lang) -> Vec<Day> {
    let mut order: Vec<usize> = (0..p.v.sessions.len())
        .filter(|&i| {
            let (s, vs) = (&p.doc().sessions[i], &p.v.sessions[i]);
            let is_break = vs.kind == SessionKind::Break;
            (f.day.is_empty() || s.day == f.day)
                && (f.kind.is_empty() || s.kind == f.kind || (is_break && f.room.is_empty()))
                && (f.room.is_empty() || s.room.as_deref() == Some(f.room.as_str()))
        })
        .collect();
    order.sort_by_key(|&i| (p.v.sessions[i].starts_at, p.v.sessions[i].ends_at, i));
    let mut out: Vec<Day> = Vec::new();
    for i in order {
        let vs = &p.v.sessions[i];
        if out.last().is_none_or(|d| d.anchor != vs.day.to_string()) {
            out.push(Day {
                anchor: vs.day.to_string(),
                label: day_label(vs.day, lang),
                slots: vec![],
            });
        }
        let day = out.last_mut().expect("just pushed");
        let c = card(p, i, lang);
        // A break is a row of its own; sessions starting together share a slot, whose
        // label is the first one's span (cards show their own time when it differs).
        let is_break = vs.kind == SessionKind::Break;
        let start = vs.start.format("%H:%M").to_string();
        let joins = !is_break
            && day
                .slots
                .last()
                .is_some_and(|s| s.breaks.is_empty() && s.time.starts_with(&start));
        if !joins {
            day.slots.push(Slot {
                time: c.time.clone(),
                breaks: vec![],
                cards: vec![],
            });
        }
        let slot = day.slots.last_mut().expect("just pushed");
        if is_break {
            slot.breaks.push(c);
        } else {
            slot.cards.push(c);
        }
    }
    // Hide days whose only entries are breaks when filtering on kind or room.
    if !f.kind.is_empty() || !f.room.is_empty() {
        out.retain(|d| d.slots.iter().any(|s| !s.cards.is_empty()));
    }
    out
}

#[derive(Template)]
#[template(path = "pages/public/index.html")]
struct IndexPage<'a> {
    ctx: &'a PageCtx,
    editions: Vec<(String, String, String)>,
}

pub async fn index(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::public(&req);
    let st = state.clone();
    let rows = blocking(move || super::list_editions(&mut *st.pool.get()?))
        .await
        .or_page(ctx.lang)?;
    let editions = rows
        .into_iter()
        .map(|e| (e.slug, e.title, e.year.to_string()))
        .collect();
    render(
        &ctx,
        &IndexPage {
            ctx: &ctx,
            editions,
        },
    )
}

#[derive(Template)]
#[template(path = "pages/public/programme.html")]
struct ProgrammePage<'a> {
    ctx: &'a PageCtx,
    p: &'a Programme,
    dates: String,
    days: Vec<Day>,
    day_choices: Vec<Choice>,
    kind_choices: Vec<Choice>,
    room_choices: Vec<Choice>,
    filtered: bool,
}

pub async fn programme(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    filters: web::Query<Filters>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::public(&req);
    let p = crate::app::programme(&state, slug.into_inner())
        .await
        .or_page(ctx.lang)?;
    let f = filters.into_inner();
    let filtered = !(f.day.is_empty() && f.kind.is_empty() && f.room.is_empty());
    if filtered {
        return render(&ctx, &programme_page(&ctx, &p, &f));
    }
    // The unfiltered page is the one everybody opens: render it once per revision.
    let slot = &p.pages[ctx.lang as usize];
    if slot.get().is_none() {
        let html = programme_page(&ctx, &p, &f)
            .render()
            .map_err(|e| PageError::new(AppError::internal(e), ctx.lang))?;
        let _ = slot.set(crate::web::Encoded::new(html.into_bytes()));
    }
    Ok(slot.get().expect("set above").respond(
        &req,
        "text/html; charset=utf-8",
        "Accept-Encoding, Accept-Language, Cookie",
    ))
}

fn programme_page<'a>(ctx: &'a PageCtx, p: &'a Programme, f: &Filters) -> ProgrammePage<'a> {
    let lang = ctx.lang;
    let day_choices =
        p.v.days
            .iter()
            .map(|d| Choice {
                value: d.to_string(),
                label: day_label(*d, lang),
                selected: f.day == d.to_string(),
            })
            .collect();
    let mut kinds: Vec<SessionKind> =
        p.v.sessions
            .iter()
            .map(|s| s.kind)
            .filter(|k| *k != SessionKind::Break)
            .collect();
    kinds.sort_by_key(|k| SessionKind::ALL.iter().position(|x| x == k));
    kinds.dedup();
    let kind_choices = kinds
        .into_iter()
        .map(|k| Choice {
            value: k.code().into(),
            label: k.label(lang).into(),
            selected: f.kind == k.code(),
        })
        .collect();
    let room_choices = p
        .doc()
        .rooms
        .iter()
        .map(|r| Choice {
            value: r.key.clone(),
            label: r.name.clone(),
            selected: f.room == r.key,
        })
        .collect();
    ProgrammePage {
        ctx,
        p,
        dates: days_span(&p.v.days, lang),
        days: days(p, f, lang),
        day_choices,
        kind_choices,
        room_choices,
        filtered: !(f.day.is_empty() && f.kind.is_empty() && f.room.is_empty()),
    }
}

pub struct PersonLink {
    pub key: String,
    pub name: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "pages/public/session.html")]
struct SessionPage<'a> {
    ctx: &'a PageCtx,
    p: &'a Programme,
    key: String,
    title: String,
    kind: &'static str,
    kind_label: &'static str,
    when: String,
    room: String,
    languages: String,
    partners: String,
    paragraphs: Vec<String>,
    roles: Vec<(&'static str, Vec<PersonLink>)>,
}

fn person_detail(p: &Programme, i: usize, lang: Lang) -> String {
    let person = &p.doc().people[i];
    let mut parts: Vec<String> = [&person.function, &person.organisation]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_string())
        .collect();
    if person.country != "FR" {
        if let Some(c) = crate::countries::find(&person.country) {
            parts.push(c.name(lang).to_string());
        }
    }
    parts.join(", ")
}

pub async fn session(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::public(&req);
    let lang = ctx.lang;
    let (slug, key) = path.into_inner();
    let p = crate::app::programme(&state, slug).await.or_page(lang)?;
    let i = p
        .session_index(&key)
        .ok_or(AppError::NotFound)
        .or_page(lang)?;
    let (s, vs) = (&p.doc().sessions[i], &p.v.sessions[i]);
    let room = match vs.room {
        Some(r) => {
            let room = &p.doc().rooms[r];
            let seats = s.capacity.unwrap_or(room.capacity);
            format!("{} · {} {}", room.name, seats, ctx.t("seats"))
        }
        None => String::new(),
    };
    let roles = PersonRole::ALL
        .iter()
        .filter_map(|role| {
            let people: Vec<PersonLink> = vs
                .people
                .iter()
                .filter(|(_, r)| r == role)
                .map(|(x, _)| PersonLink {
                    key: p.doc().people[*x].key.clone(),
                    name: p.doc().people[*x].name.clone(),
                    detail: person_detail(&p, *x, lang),
                })
                .collect();
            (!people.is_empty()).then(|| (role.label(lang), people))
        })
        .collect();
    let page = SessionPage {
        ctx: &ctx,
        p: &p,
        key: s.key.clone(),
        title: s.title.clone(),
        kind: vs.kind.code(),
        kind_label: vs.kind.label(lang),
        when: format!("{}, {}", day_label(vs.day, lang), time_span(&p, i)),
        room,
        languages: s
            .languages
            .iter()
            .map(|c| crate::i18n::language_name(c, lang))
            .collect::<Vec<_>>()
            .join(", "),
        partners: s.partners.join(", "),
        paragraphs: s
            .summary
            .split("\n\n")
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect(),
        roles,
    };
    render(&ctx, &page)
}

pub struct PersonSession {
    pub key: String,
    pub title: String,
    pub role: &'static str,
    pub when: String,
    pub room: String,
}

#[derive(Template)]
#[template(path = "pages/public/person.html")]
struct PersonPage<'a> {
    ctx: &'a PageCtx,
    p: &'a Programme,
    name: String,
    detail: String,
    sessions: Vec<PersonSession>,
}

pub async fn person(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::public(&req);
    let lang = ctx.lang;
    let (slug, key) = path.into_inner();
    let p = crate::app::programme(&state, slug).await.or_page(lang)?;
    let x = p
        .person_index(&key)
        .ok_or(AppError::NotFound)
        .or_page(lang)?;
    let mut order: Vec<usize> = (0..p.v.sessions.len()).collect();
    order.sort_by_key(|&i| p.v.sessions[i].starts_at);
    let sessions = order
        .into_iter()
        .flat_map(|i| {
            let vs = &p.v.sessions[i];
            let p = &p;
            vs.people
                .iter()
                .filter(move |(who, _)| *who == x)
                .map(move |(_, role)| PersonSession {
                    key: p.doc().sessions[i].key.clone(),
                    title: p.doc().sessions[i].title.clone(),
                    role: role.singular(lang),
                    when: format!("{}, {}", day_label(vs.day, lang), time_span(p, i)),
                    room: vs
                        .room
                        .map(|r| p.doc().rooms[r].name.clone())
                        .unwrap_or_default(),
                })
        })
        .collect();
    let page = PersonPage {
        ctx: &ctx,
        p: &p,
        name: p.doc().people[x].name.clone(),
        detail: person_detail(&p, x, lang),
        sessions,
    };
    render(&ctx, &page)
}

fn calendar_response(body: String, filename: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{filename}\""),
        ))
        .body(body)
}

pub async fn programme_ics(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let p = crate::app::programme(&state, slug.into_inner())
        .await
        .or_page(lang)?;
    let all: Vec<usize> = (0..p.v.sessions.len()).collect();
    let body = ics::calendar(&p, &all, lang, state.settings.public_url());
    Ok(calendar_response(
        body,
        &format!("{}.ics", p.doc().edition.slug),
    ))
}

pub async fn session_ics(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let (slug, key) = path.into_inner();
    let p = crate::app::programme(&state, slug).await.or_page(lang)?;
    let i = p
        .session_index(&key)
        .ok_or(AppError::NotFound)
        .or_page(lang)?;
    let body = ics::calendar(&p, &[i], lang, state.settings.public_url());
    Ok(calendar_response(
        body,
        &format!("{}-{}.ics", p.doc().edition.slug, key),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programme::{conflicts, document, model::EditionRow};

    fn programme(sessions: serde_json::Value) -> Programme {
        let doc = serde_json::from_value(serde_json::json!({
            "edition": {"slug": "e-1", "number": 1, "year": 2023, "title": "t", "days": ["2023-09-18"]},
            "rooms": [{"key": "a", "name": "A", "capacity": 10}, {"key": "b", "name": "B", "capacity": 10}],
            "sessions": sessions
        }))
        .unwrap();
        let v = document::validate(doc).unwrap();
        let now = chrono::Utc::now().naive_utc();
        Programme {
            edition: EditionRow {
                id: "x".into(),
                slug: "e-1".into(),
                number: 1,
                year: 2023,
                title: "t".into(),
                theme: String::new(),
                venue: String::new(),
                timezone: "Europe/Paris".into(),
                revision: 1,
                created_at: now,
                updated_at: now,
            },
            conflicts: conflicts::detect(&v),
            v,
            json: Default::default(),
            pages: Default::default(),
        }
    }

    fn s(key: &str, kind: &str, start: &str, end: &str, room: Option<&str>) -> serde_json::Value {
        serde_json::json!({"key": key, "kind": kind, "title": key, "day": "2023-09-18", "start": start, "end": end, "room": room})
    }

    #[test]
    fn sessions_starting_together_share_a_slot_and_breaks_stand_alone() {
        let p = programme(serde_json::json!([
            s("lunch", "break", "14:30", "14:45", None),
            s("w1", "workshop", "14:30", "16:00", Some("a")),
            s("w2", "workshop", "14:30", "17:00", Some("b")),
            s("w3", "workshop", "16:30", "18:00", Some("a")),
        ]));
        let days = days(&p, &Filters::default(), Lang::Fr);
        let slots: Vec<(String, usize, usize)> = days[0]
            .slots
            .iter()
            .map(|s| (s.time.clone(), s.breaks.len(), s.cards.len()))
            .collect();
        assert_eq!(
            slots,
            vec![
                ("14:30 – 14:45".to_string(), 1, 0),
                ("14:30 – 16:00".to_string(), 0, 2),
                ("16:30 – 18:00".to_string(), 0, 1),
            ]
        );
        // The longer parallel session keeps its own end on its card.
        assert_eq!(days[0].slots[1].cards[1].time, "14:30 – 17:00");
    }

    #[test]
    fn filters_keep_breaks_only_when_they_help() {
        let p = programme(serde_json::json!([
            s("lunch", "break", "12:30", "14:00", None),
            s("w1", "workshop", "14:30", "16:00", Some("a")),
            s("c1", "conference", "14:30", "16:00", Some("b")),
        ]));
        let by_kind = Filters {
            kind: "conference".into(),
            ..Filters::default()
        };
        let cards: usize = days(&p, &by_kind, Lang::Fr)[0]
            .slots
            .iter()
            .map(|s| s.cards.len())
            .sum();
        assert_eq!(cards, 1);
        let by_room = Filters {
            room: "a".into(),
            ..Filters::default()
        };
        let slots = &days(&p, &by_room, Lang::Fr)[0].slots;
        assert_eq!(
            slots.len(),
            1,
            "no break without a room when filtering by room"
        );
        let nothing = Filters {
            kind: "bourse".into(),
            ..Filters::default()
        };
        assert!(days(&p, &nothing, Lang::Fr).is_empty());
    }
}
