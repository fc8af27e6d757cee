//! Organiser pages for registrations: the list with search and filters, one registration
//! (edit, cancel, new badge, emails, personal data), registration settings, badges to print,
//! exports, and the emails that need a person.

use std::sync::Arc;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{NaiveDateTime, TimeZone};
use serde::Deserialize;

use super::api::{filtered, one, RegistrationOut};
use super::model::{Category, RegistrationRow, Status};
use super::search::Filter;
use super::view::{input_from_pairs, input_from_row, FormView};
use super::{export, form, links, Amendment, Counts, Origin, Registered, SettingsChange};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::badges::{self, BadgeText};
use crate::error::{blocking, AppError, Text};
use crate::i18n::Lang;
use crate::mail::registration::{self as compose, SessionLine};
use crate::mail::MailKind;
use crate::mail::OutboxRow;
use crate::programme::admin::FormState;
use crate::programme::Programme;
use crate::web::{redirect, render, OrPage, PageCtx, PageError};

type Pairs = Vec<(String, String)>;

/// One line of the list.
pub struct Line {
    pub id: String,
    pub name: String,
    pub organisation: String,
    pub country: String,
    pub status: String,
    pub status_label: &'static str,
    pub category: &'static str,
    pub days: String,
    pub sessions: usize,
    pub created: String,
}

#[derive(Template)]
#[template(path = "pages/admin/registrations.html")]
struct ListPage<'a> {
    ctx: &'a PageCtx,
    slug: String,
    tab: &'static str,
    state: FormState,
    f: Filter,
    counts: Counts,
    lines: Vec<Line>,
    total: usize,
    days: Vec<(String, String)>,
    sessions: Vec<(String, String)>,
    statuses: Vec<(&'static str, &'static str)>,
    organisation_types: Vec<(&'static str, &'static str)>,
    query: String,
}

async fn programme(
    state: &web::Data<AppState>,
    slug: String,
    lang: Lang,
) -> Result<Arc<Programme>, PageError> {
    crate::app::programme(state, slug).await.or_page(lang)
}

fn line(r: &RegistrationOut, lang: Lang) -> Line {
    let status = Status::parse(&r.status).unwrap_or(Status::Cancelled);
    Line {
        id: r.id.clone(),
        name: if r.erased_at.is_some() {
            lang.t("erased_person").to_string()
        } else {
            format!("{} {}", r.last_name.to_uppercase(), r.first_name)
        },
        organisation: r.organisation.clone(),
        country: crate::countries::find(&r.country)
            .map(|c| c.name(lang).to_string())
            .unwrap_or_default(),
        status: r.status.clone(),
        status_label: status.label(lang),
        category: Category::parse(&r.category)
            .unwrap_or(Category::Participant)
            .label(lang),
        days: r
            .days
            .iter()
            .map(|d| crate::web::day_label(*d, lang))
            .map(|d| d.split(' ').take(2).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(", "),
        sessions: r.sessions.len(),
        created: r.created_at.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// `GET /admin/editions/{slug}/registrations`
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    f: web::Query<Filter>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    let p = programme(&state, slug.into_inner(), lang).await?;
    let f = f.into_inner();
    let rows = filtered(&state, p.clone(), f.clone()).await.or_page(lang)?;
    let st = state.clone();
    let eid = p.edition.id.clone();
    let counts = blocking(move || super::counts(&mut *st.pool.get()?, &eid))
        .await
        .or_page(lang)?;
    let page = ListPage {
        ctx: &ctx,
        slug: p.doc().edition.slug.clone(),
        tab: "registrations",
        state: FormState::default(),
        total: rows.len(),
        lines: rows.iter().map(|r| line(r, lang)).collect(),
        counts,
        days: p
            .v
            .days
            .iter()
            .map(|d| (d.to_string(), crate::web::day_label(*d, lang)))
            .collect(),
        sessions: (0..p.v.sessions.len())
            .filter(|&i| form::choosable(p.v.sessions[i].kind))
            .map(|i| {
                let s = &p.doc().sessions[i];
                (s.key.clone(), s.title.clone())
            })
            .collect(),
        statuses: Status::ALL
            .iter()
            .map(|s| (s.code(), s.label(lang)))
            .collect(),
        organisation_types: super::model::OrganisationType::ALL
            .iter()
            .map(|s| (s.code(), s.label(lang)))
            .collect(),
        query: req.query_string().to_string(),
        f,
    };
    render(&ctx, &page)
}

/// `GET /admin/editions/{slug}/registrations.csv`
pub async fn export_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    f: web::Query<Filter>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let slug = slug.into_inner();
    let p = programme(&state, slug.clone(), lang).await?;
    let rows = filtered(&state, p, f.into_inner()).await.or_page(lang)?;
    Ok(super::web::private_file(
        "text/csv; charset=utf-8",
        "attachment",
        &format!("{slug}-registrations.csv"),
        export::csv(&rows, lang),
    ))
}

/// `GET /admin/editions/{slug}/registrations.xlsx`
pub async fn export_xlsx(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    f: web::Query<Filter>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let slug = slug.into_inner();
    let p = programme(&state, slug.clone(), lang).await?;
    let rows = filtered(&state, p, f.into_inner()).await.or_page(lang)?;
    let body = blocking(move || export::xlsx(&rows, lang))
        .await
        .or_page(lang)?;
    Ok(super::web::private_file(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "attachment",
        &format!("{slug}-registrations.xlsx"),
        body,
    ))
}

/// `GET /admin/editions/{slug}/badges.pdf`: the badges of the registrations ticked in the
/// list (`id=…` repeated), or of every confirmed registration matching the filter, four to
/// an A4 sheet.
pub async fn badges_pdf(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let pairs: Pairs = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let ids: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "id")
        .map(|(_, v)| v.clone())
        .collect();
    let f: Filter = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let p = programme(&state, slug.into_inner(), lang).await?;
    let st = state.clone();
    let body = blocking(move || {
        let mut conn = st.pool.get()?;
        let settings = super::settings(&mut conn, &p.edition.id)?;
        let chosen = super::search::chosen(super::all_choices(&mut conn, &p.edition.id)?);
        let regs: Vec<RegistrationRow> = super::list(&mut conn, &p.edition.id)?
            .into_iter()
            .filter(|r| r.status() == Status::Confirmed)
            .filter(|r| {
                if ids.is_empty() {
                    super::search::matches(r, &chosen, &f)
                } else {
                    ids.contains(&r.id)
                }
            })
            .collect();
        let texts = regs
            .iter()
            .map(|r| BadgeText::new(&p, &settings, r, lang))
            .collect::<Result<Vec<_>, _>>()?;
        let faces: Vec<_> = texts.iter().map(|t| t.face()).collect();
        Ok(badges::pdf::sheets(&faces))
    })
    .await
    .or_page(lang)?;
    Ok(super::web::pdf_response(body, "badges.pdf"))
}

#[derive(Template)]
#[template(path = "pages/admin/registration.html")]
struct OnePage<'a> {
    ctx: &'a PageCtx,
    slug: String,
    tab: &'static str,
    state: FormState,
    /// None for a new registration.
    r: Option<RegistrationRow>,
    f: FormView,
    categories: Vec<(&'static str, &'static str)>,
    category: String,
    people: Vec<(String, String)>,
    person: String,
    invited: bool,
    sessions: Vec<SessionLine>,
    emails: Vec<OutboxRow>,
    manage_url: String,
    /// Before the event, erasing someone first cancels their registration.
    erase_cancels: bool,
}

impl OnePage<'_> {
    fn action(&self) -> String {
        match &self.r {
            Some(r) => format!("/admin/editions/{}/registrations/{}", self.slug, r.id),
            None => format!("/admin/editions/{}/registrations", self.slug),
        }
    }

    fn status_label(&self) -> &'static str {
        self.r
            .as_ref()
            .map(|r| r.status().label(self.ctx.lang))
            .unwrap_or("")
    }

    fn active(&self) -> bool {
        self.r
            .as_ref()
            .is_some_and(|r| r.status() != Status::Cancelled)
    }

    fn confirmed(&self) -> bool {
        self.r
            .as_ref()
            .is_some_and(|r| r.status() == Status::Confirmed)
    }

    fn erased(&self) -> bool {
        self.r.as_ref().is_some_and(|r| r.is_erased())
    }
}

struct OneExtras {
    category: String,
    person: String,
    invited: bool,
    saved: bool,
    already: bool,
}

#[allow(clippy::too_many_arguments)]
async fn one_page(
    ctx: &PageCtx,
    state: &web::Data<AppState>,
    p: &Programme,
    r: Option<RegistrationRow>,
    input: form::RegistrationInput,
    errors: Vec<crate::error::FieldError>,
    extras: OneExtras,
) -> Result<HttpResponse, PageError> {
    let lang = ctx.lang;
    let st = state.clone();
    let rid = r.as_ref().map(|r| r.id.clone());
    let eid = p.edition.id.clone();
    let (seats, choices, emails) = blocking(move || {
        let mut conn = st.pool.get()?;
        let seats = super::seat_map(&mut conn, &eid)?;
        let (choices, emails) = match &rid {
            Some(id) => (
                super::choices(&mut conn, id)?,
                super::emails(&mut conn, id)?,
            ),
            None => (Vec::new(), Vec::new()),
        };
        Ok((seats, choices, emails))
    })
    .await
    .or_page(lang)?;
    let mut state_view = FormState {
        saved: extras.saved,
        ..FormState::default()
    };
    if extras.already {
        state_view
            .errors
            .push((String::new(), lang.t("reg_exists").to_string()));
    }
    // Errors without a field of the form (person, category) are listed at the top.
    for e in &errors {
        if matches!(e.field.as_str(), "person" | "category") {
            state_view.errors.push((e.field.clone(), e.message.clone()));
        }
    }
    let page = OnePage {
        ctx,
        slug: p.doc().edition.slug.clone(),
        tab: "registrations",
        state: state_view,
        f: FormView::new(input, errors, p, &seats, lang),
        categories: Category::ALL
            .iter()
            .map(|c| (c.code(), c.label(lang)))
            .collect(),
        category: extras.category,
        people: p
            .doc()
            .people
            .iter()
            .map(|x| (x.key.clone(), x.name.clone()))
            .collect(),
        person: extras.person,
        invited: extras.invited,
        sessions: compose::session_lines(p, &choices, lang),
        erase_cancels: !super::event_begun(
            &p.edition.timezone,
            p.v.days.first().copied(),
            super::now(),
        ),
        manage_url: r
            .as_ref()
            .filter(|r| !r.is_erased())
            .map(|r| links::path(&state.secret, r))
            .unwrap_or_default(),
        emails,
        r,
    };
    render(ctx, &page)
}

/// `GET /admin/editions/{slug}/registrations/new`
pub async fn new_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let p = programme(&state, slug.into_inner(), ctx.lang).await?;
    let input = form::RegistrationInput {
        lang: ctx.lang.code().into(),
        days: p.v.days.iter().map(|d| d.to_string()).collect(),
        ..Default::default()
    };
    let extras = OneExtras {
        category: String::new(),
        person: String::new(),
        invited: false,
        saved: false,
        already: false,
    };
    one_page(&ctx, &state, &p, None, input, Vec::new(), extras).await
}

fn extras_from(pairs: &Pairs) -> OneExtras {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    OneExtras {
        category: get("category"),
        person: get("person"),
        invited: get("invited") == "on",
        saved: false,
        already: false,
    }
}

fn category_of(code: &str) -> Option<Category> {
    Category::parse(code)
}

/// `POST /admin/editions/{slug}/registrations`
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    form: CsrfForm<Pairs>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    let p = programme(&state, slug.into_inner(), lang).await?;
    let mut input = input_from_pairs(&form.0);
    input.consent_privacy = true;
    let extras = extras_from(&form.0);
    let registrant = match form::validate(&input, &p, lang) {
        Ok(r) => r,
        Err(errors) => return one_page(&ctx, &state, &p, None, input, errors, extras).await,
    };
    let origin = Origin {
        source: super::model::source::ORGANISER,
        invited: extras.invited,
        category: category_of(&extras.category),
        person_key: Some(extras.person.clone()).filter(|k| !k.is_empty()),
        ignore_window: true,
    };
    let st = state.clone();
    let pp = p.clone();
    let outcome =
        blocking(move || super::register(&mut *st.pool.get()?, &pp, registrant, &origin)).await;
    state.mail_signal.notify();
    let slug = &p.doc().edition.slug;
    match outcome {
        Ok(Registered::New { registration, .. }) => Ok(redirect(&format!(
            "/admin/editions/{slug}/registrations/{}?saved=1",
            registration.id
        ))),
        Ok(Registered::Already(existing)) => Ok(redirect(&format!(
            "/admin/editions/{slug}/registrations/{}?already=1",
            existing.id
        ))),
        Err(AppError::Validation(errors)) => {
            one_page(&ctx, &state, &p, None, input, errors, extras).await
        }
        Err(e) => Err(PageError::new(e, lang)),
    }
}

#[derive(Deserialize)]
pub struct OneQuery {
    #[serde(default)]
    saved: Option<String>,
    /// Set when a new registration turned out to exist already.
    #[serde(default)]
    already: Option<String>,
}

fn extras_of(r: &RegistrationRow, people: &std::collections::HashMap<String, String>) -> OneExtras {
    OneExtras {
        category: r.category.clone(),
        person: r
            .person_id
            .as_ref()
            .and_then(|id| people.get(id).cloned())
            .unwrap_or_default(),
        invited: r.invited,
        saved: false,
        already: false,
    }
}

/// `GET /admin/editions/{slug}/registrations/{id}`
pub async fn detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    q: web::Query<OneQuery>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    let (slug, id) = path.into_inner();
    let (p, reg) = one(&state, slug, id).await.or_page(lang)?;
    let st = state.clone();
    let (rid, eid) = (reg.id.clone(), p.edition.id.clone());
    let (choices, people) = blocking(move || {
        let mut conn = st.pool.get()?;
        Ok((
            super::choices(&mut conn, &rid)?,
            super::person_keys(&mut conn, &eid)?,
        ))
    })
    .await
    .or_page(lang)?;
    let input = input_from_row(&reg, choices.into_iter().map(|c| c.key).collect());
    let mut extras = extras_of(&reg, &people);
    extras.saved = q.saved.is_some();
    extras.already = q.already.is_some();
    one_page(&ctx, &state, &p, Some(reg), input, Vec::new(), extras).await
}

/// `POST /admin/editions/{slug}/registrations/{id}`
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CsrfForm<Pairs>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    let (slug, id) = path.into_inner();
    let (p, reg) = one(&state, slug, id).await.or_page(lang)?;
    let mut input = input_from_pairs(&form.0);
    input.consent_privacy = true;
    let extras = extras_from(&form.0);
    let registrant = match form::validate(&input, &p, lang) {
        Ok(r) => r,
        Err(errors) => return one_page(&ctx, &state, &p, Some(reg), input, errors, extras).await,
    };
    let amend = Amendment {
        category: category_of(&extras.category),
        person_key: Some(Some(extras.person.clone()).filter(|k| !k.is_empty())),
    };
    let st = state.clone();
    let rid = reg.id.clone();
    let result =
        blocking(move || super::update(&mut *st.pool.get()?, &rid, registrant, &amend)).await;
    state.mail_signal.notify();
    match result {
        Ok(_) => Ok(redirect(&format!(
            "/admin/editions/{}/registrations/{}?saved=1",
            p.doc().edition.slug,
            reg.id
        ))),
        Err(AppError::Validation(errors)) => {
            one_page(&ctx, &state, &p, Some(reg), input, errors, extras).await
        }
        Err(e) => Err(PageError::new(e, lang)),
    }
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    confirm: Option<String>,
}

/// `POST /admin/editions/{slug}/registrations/{id}/{action}`: cancel, badge, resend,
/// erase, revoke-link.
pub async fn action(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    form: CsrfForm<ActionForm>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let (slug, id, action) = path.into_inner();
    let (_, reg) = one(&state, slug.clone(), id).await.or_page(lang)?;
    let form = form.0;
    let rid = reg.id.clone();
    let st = state.clone();
    let back = format!("/admin/editions/{slug}/registrations/{}", reg.id);
    let needs_confirm = matches!(action.as_str(), "cancel" | "erase");
    if needs_confirm && form.confirm.is_none() {
        return Ok(redirect(&format!("{back}#{action}")));
    }
    blocking(move || {
        let mut conn = st.pool.get()?;
        match action.as_str() {
            "cancel" => super::cancel(&mut conn, &rid).map(|_| ()),
            "badge" => super::reissue_badge(&mut conn, &rid).map(|_| ()),
            "revoke-link" => super::revoke_manage_link(&mut conn, &rid).map(|_| ()),
            "erase" => super::erase(&mut conn, &rid)
                .and_then(|()| crate::mail::erase_copies(&mut conn, &st.settings, &rid)),
            "resend" => match MailKind::parse(&form.kind) {
                Some(k @ (MailKind::Confirmation | MailKind::ManageLink)) => {
                    super::resend(&mut conn, &rid, k)
                }
                _ => Err(AppError::BadRequest("unknown email".into())),
            },
            _ => Err(AppError::NotFound),
        }
    })
    .await
    .or_page(lang)?;
    state.mail_signal.notify();
    Ok(redirect(&format!("{back}?saved=1")))
}

/// `GET /admin/editions/{slug}/registrations/{id}/badge.pdf`
pub async fn badge_pdf(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let (slug, id) = path.into_inner();
    let (p, reg) = one(&state, slug, id).await.or_page(lang)?;
    if reg.status() != Status::Confirmed {
        return Err(PageError::new(
            AppError::InUse(Text::new("badge_needs_confirmed")),
            lang,
        ));
    }
    let st = state.clone();
    let eid = p.edition.id.clone();
    let settings = blocking(move || super::settings(&mut *st.pool.get()?, &eid))
        .await
        .or_page(lang)?;
    let text = BadgeText::new(&p, &settings, &reg, reg.lang()).or_page(lang)?;
    Ok(super::web::pdf_response(
        badges::pdf::badge(&text.face()),
        "badge.pdf",
    ))
}

/// `GET /admin/editions/{slug}/registrations/{id}/data.json`
pub async fn data_json(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let (slug, id) = path.into_inner();
    let (_, reg) = one(&state, slug, id).await.or_page(lang)?;
    let st = state.clone();
    let data = blocking(move || super::personal_data(&mut *st.pool.get()?, &reg.id))
        .await
        .or_page(lang)?;
    Ok(super::web::personal_data_file(&data, "personal-data.json"))
}

#[derive(Template)]
#[template(path = "pages/admin/registration_settings.html")]
struct SettingsPage<'a> {
    ctx: &'a PageCtx,
    slug: String,
    tab: &'static str,
    state: FormState,
    opens_at: String,
    closes_at: String,
    capacity: String,
    confirmed: i32,
    privacy_notice: String,
    retention_days: String,
    opens_effective: String,
    closes_effective: String,
    timezone: String,
}

fn to_local_input(at: Option<NaiveDateTime>, p: &Programme) -> String {
    at.map(|t| {
        p.v.tz
            .from_utc_datetime(&t)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    })
    .unwrap_or_default()
}

fn from_local_input(s: &str, p: &Programme) -> Result<Option<NaiveDateTime>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let local = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").map_err(|_| ())?;
    p.v.tz
        .from_local_datetime(&local)
        .earliest()
        .map(|t| Some(t.naive_utc()))
        .ok_or(())
}

fn effective(at: NaiveDateTime, p: &Programme, lang: Lang) -> String {
    if at == NaiveDateTime::MAX {
        return "—".into();
    }
    let t = p.v.tz.from_utc_datetime(&at);
    format!(
        "{} {}",
        crate::web::day_label(t.date_naive(), lang),
        t.format("%H:%M")
    )
}

async fn settings_page(
    ctx: &PageCtx,
    state: &web::Data<AppState>,
    p: &Programme,
    values: Option<SettingsForm>,
    page_state: FormState,
) -> Result<HttpResponse, PageError> {
    let lang = ctx.lang;
    let st = state.clone();
    let eid = p.edition.id.clone();
    let s = blocking(move || super::settings(&mut *st.pool.get()?, &eid))
        .await
        .or_page(lang)?;
    let w = super::Window::of(&s, &p.edition, p.v.days.first().copied());
    let v = values.unwrap_or_else(|| SettingsForm {
        opens_at: to_local_input(s.opens_at, p),
        closes_at: to_local_input(s.closes_at, p),
        capacity: s.capacity.map(|c| c.to_string()).unwrap_or_default(),
        privacy_notice: s.privacy_notice.clone(),
        retention_days: s.retention_days.to_string(),
    });
    let page = SettingsPage {
        ctx,
        slug: p.doc().edition.slug.clone(),
        tab: "registration_settings",
        state: page_state,
        opens_at: v.opens_at,
        closes_at: v.closes_at,
        capacity: v.capacity,
        confirmed: s.confirmed,
        privacy_notice: v.privacy_notice,
        retention_days: v.retention_days,
        opens_effective: effective(w.opens, p, lang),
        closes_effective: effective(w.closes, p, lang),
        timezone: p.v.tz.name().to_string(),
    };
    render(ctx, &page)
}

/// `GET /admin/editions/{slug}/registration-settings`
pub async fn settings(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    q: web::Query<OneQuery>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let p = programme(&state, slug.into_inner(), ctx.lang).await?;
    let page_state = FormState {
        saved: q.saved.is_some(),
        ..FormState::default()
    };
    settings_page(&ctx, &state, &p, None, page_state).await
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    opens_at: String,
    #[serde(default)]
    closes_at: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    privacy_notice: String,
    #[serde(default)]
    retention_days: String,
}

/// `POST /admin/editions/{slug}/registration-settings`
pub async fn settings_save(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    form: CsrfForm<SettingsForm>,
) -> Result<HttpResponse, PageError> {
    let ctx = PageCtx::new(&req, state.settings.server.cookie_secure);
    let lang = ctx.lang;
    let p = programme(&state, slug.into_inner(), lang).await?;
    let v = form.0;
    let mut errors = Vec::new();
    let mut date = |field: &str, s: &str| {
        from_local_input(s, &p).unwrap_or_else(|()| {
            errors.push((field.to_string(), lang.t("invalid_datetime").to_string()));
            None
        })
    };
    let opens_at = date("opens_at", &v.opens_at);
    let closes_at = date("closes_at", &v.closes_at);
    let capacity = match v.capacity.trim() {
        "" => None,
        n => match n.parse::<i32>() {
            Ok(n) if n >= 0 => Some(n),
            _ => {
                errors.push(("capacity".into(), lang.t("invalid_number").into()));
                None
            }
        },
    };
    let retention_days = v.retention_days.trim().parse::<i32>().unwrap_or_else(|_| {
        errors.push(("retention_days".into(), lang.t("invalid_number").into()));
        365
    });
    if errors.is_empty() {
        let change = SettingsChange {
            opens_at,
            closes_at,
            capacity,
            privacy_notice: v.privacy_notice.clone(),
            retention_days,
        };
        let st = state.clone();
        let eid = p.edition.id.clone();
        match blocking(move || super::update_settings(&mut *st.pool.get()?, &eid, &change, lang))
            .await
        {
            Ok(_) => {
                state.mail_signal.notify();
                return Ok(redirect(&format!(
                    "/admin/editions/{}/registration-settings?saved=1",
                    p.doc().edition.slug
                )));
            }
            Err(AppError::Validation(list)) => {
                errors.extend(list.into_iter().map(|e| (e.field, e.message)))
            }
            Err(e) => return Err(PageError::new(e, lang)),
        }
    }
    let page_state = FormState {
        errors,
        ..FormState::default()
    };
    settings_page(&ctx, &state, &p, Some(v), page_state).await
}
