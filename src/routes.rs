//! The one route table: every path, the role it needs, and its handler.
//!
//! | guard     | who passes                          | how they authenticate       |
//! |-----------|-------------------------------------|-----------------------------|
//! | public    | everyone                            | —                           |
//! | staff     | desk, organiser, admin              | cookie (pages), bearer (API)|
//! | organiser | organiser, admin                    | cookie (pages), bearer (API)|
//! | admin     | admin                               | cookie (pages), bearer (API)|

use actix_web::guard;
use actix_web::middleware::from_fn;
use actix_web::web::{self, delete, get, post, put};
use actix_web::Route;

use crate::auth::guard::{admin, organiser, staff};
use crate::auth::web as auth_pages;
use crate::programme::{admin as pages, api, web as public};
use crate::{openapi, web as site};

/// GET, and HEAD for link checkers and caches (the server sends HEAD answers without body).
fn read() -> Route {
    web::route().guard(guard::Any(guard::Get()).or(guard::Head()))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Public pages.
    cfg.route("/", read().to(public::index))
        .route("/healthz", read().to(openapi::healthz))
        .route("/static/app.css", read().to(site::stylesheet))
        .route("/login", read().to(auth_pages::login_page))
        .route("/login", post().to(auth_pages::login))
        .route("/logout", post().to(auth_pages::logout))
        .route("/editions/{slug}/programme", read().to(public::programme))
        .route(
            "/editions/{slug}/programme.ics",
            read().to(public::programme_ics),
        )
        .route(
            "/editions/{slug}/sessions/{key}.ics",
            read().to(public::session_ics),
        )
        .route(
            "/editions/{slug}/sessions/{key}",
            read().to(public::session),
        )
        .route("/editions/{slug}/people/{key}", read().to(public::person));

    // Public API (the published programme) and its description.
    cfg.route("/api/openapi.json", read().to(openapi::document))
        .route("/api/v1/editions", read().to(api::list_editions))
        .route("/api/v1/editions/{slug}", read().to(api::get_edition))
        .route(
            "/api/v1/editions/{slug}/programme",
            read().to(api::get_programme),
        )
        .route(
            "/api/v1/editions/{slug}/sessions",
            read().to(api::list_sessions),
        )
        .route(
            "/api/v1/editions/{slug}/sessions/{key}",
            read().to(api::get_session),
        );

    // Staff API.
    cfg.service(
        web::scope("/api/v1/me")
            .wrap(from_fn(staff))
            .route("", get().to(openapi::me)),
    );

    // Organiser API.
    cfg.service(
        web::scope("/api/v1")
            .wrap(from_fn(organiser))
            .route("/programme", post().to(api::import))
            .route("/editions", post().to(api::create_edition))
            .route("/editions/{slug}", put().to(api::update_edition))
            .route("/editions/{slug}", delete().to(api::delete_edition))
            .route("/editions/{slug}/conflicts", get().to(api::list_conflicts))
            .route("/editions/{slug}/rooms", post().to(api::add_room))
            .route("/editions/{slug}/rooms/{key}", put().to(api::update_room))
            .route(
                "/editions/{slug}/rooms/{key}",
                delete().to(api::delete_room),
            )
            .route("/editions/{slug}/people", post().to(api::add_person))
            .route(
                "/editions/{slug}/people/{key}",
                put().to(api::update_person),
            )
            .route(
                "/editions/{slug}/people/{key}",
                delete().to(api::delete_person),
            )
            .route("/editions/{slug}/sessions", post().to(api::add_session))
            .route(
                "/editions/{slug}/sessions/{key}",
                put().to(api::update_session),
            )
            .route(
                "/editions/{slug}/sessions/{key}",
                delete().to(api::delete_session),
            ),
    );

    // Admin pages (staff accounts).
    cfg.service(
        web::scope("/admin/staff")
            .wrap(from_fn(admin))
            .route("", get().to(auth_pages::staff_list))
            .route("", post().to(auth_pages::staff_create))
            .route("/{id}", post().to(auth_pages::staff_update)),
    );

    // Organiser pages.
    cfg.service(
        web::scope("/admin")
            .wrap(from_fn(organiser))
            .route("", get().to(pages::dashboard))
            .route("/editions/new", get().to(pages::new_edition))
            .route("/import", get().to(pages::import_page))
            .route("/import", post().to(pages::import))
            .route("/editions", post().to(pages::create_edition))
            .route("/editions/{slug}", get().to(pages::edition))
            .route("/editions/{slug}", post().to(pages::update_edition))
            .route("/editions/{slug}/export", get().to(pages::export))
            .route("/editions/{slug}/grid", get().to(pages::grid))
            .route("/editions/{slug}/rooms", get().to(pages::rooms))
            .route("/editions/{slug}/rooms", post().to(pages::add_room))
            .route(
                "/editions/{slug}/rooms/{key}",
                post().to(pages::update_room),
            )
            .route(
                "/editions/{slug}/rooms/{key}/delete",
                post().to(pages::delete_room),
            )
            .route("/editions/{slug}/people", get().to(pages::people))
            .route("/editions/{slug}/people", post().to(pages::add_person))
            .route("/editions/{slug}/people/new", get().to(pages::new_person))
            .route("/editions/{slug}/people/{key}", get().to(pages::person))
            .route(
                "/editions/{slug}/people/{key}",
                post().to(pages::update_person),
            )
            .route(
                "/editions/{slug}/people/{key}/delete",
                post().to(pages::delete_person),
            )
            .route("/editions/{slug}/sessions", get().to(pages::sessions))
            .route("/editions/{slug}/sessions", post().to(pages::add_session))
            .route(
                "/editions/{slug}/sessions/new",
                get().to(pages::new_session),
            )
            .route("/editions/{slug}/sessions/{key}", get().to(pages::session))
            .route(
                "/editions/{slug}/sessions/{key}",
                post().to(pages::update_session),
            )
            .route(
                "/editions/{slug}/sessions/{key}/delete",
                post().to(pages::delete_session),
            ),
    );
}
