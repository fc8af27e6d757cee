//! The one route table: every path, the role it needs, and its handler.
//!
//! | guard     | who passes                          | how they authenticate       |
//! |-----------|-------------------------------------|-----------------------------|
//! | public    | everyone                            | —                           |
//! | staff     | desk, organiser, admin              | cookie (pages), bearer (API)|
//! | organiser | organiser, admin                    | cookie (pages), bearer (API)|
//! | admin     | admin                               | cookie (pages), bearer (API)|

use actix_web::middleware::from_fn;
use actix_web::web;

use crate::auth::account;
use crate::auth::guard::{
    admin_pages, organiser_api, organiser_pages, personal, public_api, staff_api, staff_pages,
};
use crate::auth::web as auth_pages;
use crate::checkin::api as desk_api;
use crate::desk;
use crate::mail::web as mail_web;
use crate::programme::{admin as pages, api, web as public};
use crate::registrations::{admin as reg_pages, api as reg_api, web as reg_public};
use crate::stats::{api as stats_api, web as stats_pages};
// Method guards that remember the path's methods, for 405 answers with `Allow`.
use crate::fallback::{delete, get, post, put, read};
use crate::{openapi, web as site};

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Public pages.
    cfg.route("/", read().to(public::index))
        .route("/healthz", read().to(openapi::healthz))
        // Staff or the configured scraper token; checked by the handler (401, never a page).
        .route("/metrics", read().to(crate::ops::figures::serve))
        .route("/static/app.css", read().to(site::stylesheet))
        .route("/static/desk.js", read().to(desk::script))
        .route("/static/desk.css", read().to(desk::stylesheet))
        .route("/static/vendor/jsqr.js", read().to(desk::jsqr))
        .route("/static/vendor/nacl.js", read().to(desk::nacl))
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
        .route("/editions/{slug}/people/{key}", read().to(public::person))
        .route(
            "/editions/{slug}/register",
            read().to(reg_public::form_page),
        )
        .route("/editions/{slug}/register", post().to(reg_public::submit));

    // A registrant's own pages, opened by their personal link.
    cfg.service(
        web::scope("/r/{token}")
            .wrap(from_fn(personal))
            .route("", read().to(reg_public::manage))
            .route("", post().to(reg_public::manage_update))
            .route("/cancel", post().to(reg_public::manage_cancel))
            .route("/badge.pdf", read().to(reg_public::manage_badge))
            .route("/programme.ics", read().to(reg_public::manage_ics))
            .route("/data.json", read().to(reg_public::manage_data)),
    );

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
        )
        .service(
            // Only POST is public: GET falls through to the organisers' scope below.
            web::resource("/api/v1/editions/{slug}/registrations")
                .guard(crate::fallback::post_guard())
                .wrap(from_fn(public_api))
                .route(post().to(reg_api::register)),
        )
        .route(
            "/api/v1/editions/{slug}/badge-key",
            read().to(reg_api::badge_key),
        );

    // Staff API.
    cfg.service(
        web::scope("/api/v1/me")
            .wrap(from_fn(staff_api))
            .route("", get().to(openapi::me)),
    );
    cfg.service(
        web::scope("/api/v1/badges")
            .wrap(from_fn(staff_api))
            .route("/verify", post().to(reg_api::verify)),
    );
    cfg.service(
        web::scope("/api/v1/checkins")
            .wrap(from_fn(staff_api))
            .route("", post().to(desk_api::checkin))
            .route("/{id}/undo", post().to(desk_api::undo)),
    );
    cfg.service(
        web::scope("/api/v1/desk/{slug}")
            .wrap(from_fn(staff_api))
            .route("/roster", get().to(desk_api::get_roster))
            .route("/search", get().to(desk_api::search))
            .route("/walk-ins", post().to(desk_api::walk_in))
            .route("/conflicts", get().to(desk_api::conflicts))
            .route("/registrations/{id}/reprint", post().to(desk_api::reprint))
            .route(
                "/registrations/{id}/badge.pdf",
                get().to(desk_api::badge_pdf),
            ),
    );

    // Organiser API.
    cfg.service(
        web::scope("/api/v1")
            .wrap(from_fn(organiser_api))
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
            )
            .route("/editions/{slug}/registrations", get().to(reg_api::list))
            .route(
                "/editions/{slug}/registrations/manual",
                post().to(reg_api::register_manual),
            )
            // Ids are UUIDs: `manual` above is not one, so its path answers for POST alone.
            .route(
                "/editions/{slug}/registrations/{id:[0-9a-fA-F-]+}",
                get().to(reg_api::get),
            )
            .route(
                "/editions/{slug}/registrations/{id:[0-9a-fA-F-]+}",
                put().to(reg_api::update),
            )
            .route(
                "/editions/{slug}/registrations/{id}/cancel",
                post().to(reg_api::cancel),
            )
            .route(
                "/editions/{slug}/registrations/{id}/badge",
                post().to(reg_api::reissue),
            )
            .route(
                "/editions/{slug}/registrations/{id}/resend",
                post().to(reg_api::resend),
            )
            .route(
                "/editions/{slug}/registrations/{id}/personal-data",
                get().to(reg_api::personal_data),
            )
            .route(
                "/editions/{slug}/registrations/{id}/personal-data",
                delete().to(reg_api::erase),
            )
            .route(
                "/editions/{slug}/registration-settings",
                get().to(reg_api::get_settings),
            )
            .route(
                "/editions/{slug}/registration-settings",
                put().to(reg_api::put_settings),
            )
            .route("/editions/{slug}/outbox", get().to(mail_web::outbox))
            .route("/editions/{slug}/stats", get().to(stats_api::stats))
            .route(
                "/editions/{slug}/outbox/{id}/retry",
                post().to(mail_web::retry),
            )
            .route(
                "/editions/{slug}/outbox/{id}/cancel",
                post().to(mail_web::cancel),
            ),
    );

    // Welcome desk pages.
    cfg.service(
        web::scope("/desk")
            .wrap(from_fn(staff_pages))
            .route("", get().to(desk::index))
            .route("/sw.js", get().to(desk::service_worker))
            .route("/{slug}", get().to(desk::page)),
    );

    // Every staff member's own account.
    cfg.service(
        web::scope("/account")
            .wrap(from_fn(staff_pages))
            .route("/password", get().to(account::password_page))
            .route("/password", post().to(account::change)),
    );

    // Admin pages (staff accounts).
    cfg.service(
        web::scope("/admin/staff")
            .wrap(from_fn(admin_pages))
            .route("", get().to(auth_pages::staff_list))
            .route("", post().to(auth_pages::staff_create))
            .route("/{id}", post().to(auth_pages::staff_update)),
    );

    // Organiser pages.
    cfg.service(
        web::scope("/admin")
            .wrap(from_fn(organiser_pages))
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
            )
            .route("/editions/{slug}/registrations", get().to(reg_pages::list))
            .route(
                "/editions/{slug}/registrations",
                post().to(reg_pages::create),
            )
            .route(
                "/editions/{slug}/registrations.csv",
                get().to(reg_pages::export_csv),
            )
            .route(
                "/editions/{slug}/registrations.xlsx",
                get().to(reg_pages::export_xlsx),
            )
            .route(
                "/editions/{slug}/registrations/new",
                get().to(reg_pages::new_page),
            )
            .route(
                "/editions/{slug}/registrations/{id}",
                get().to(reg_pages::detail),
            )
            .route(
                "/editions/{slug}/registrations/{id}",
                post().to(reg_pages::update),
            )
            .route(
                "/editions/{slug}/registrations/{id}/badge.pdf",
                get().to(reg_pages::badge_pdf),
            )
            .route(
                "/editions/{slug}/registrations/{id}/data.json",
                get().to(reg_pages::data_json),
            )
            .route(
                "/editions/{slug}/registrations/{id}/{action}",
                post().to(reg_pages::action),
            )
            .route(
                "/editions/{slug}/badges.pdf",
                get().to(reg_pages::badges_pdf),
            )
            .route(
                "/editions/{slug}/registration-settings",
                get().to(reg_pages::settings),
            )
            .route(
                "/editions/{slug}/registration-settings",
                post().to(reg_pages::settings_save),
            )
            .route("/editions/{slug}/emails", get().to(mail_web::emails))
            .route("/editions/{slug}/stats", get().to(stats_pages::stats_page))
            .route(
                "/editions/{slug}/stats.csv",
                get().to(stats_pages::stats_csv),
            )
            .route(
                "/editions/{slug}/stats.xlsx",
                get().to(stats_pages::stats_xlsx),
            )
            .route(
                "/editions/{slug}/emails/{id}/retry",
                post().to(mail_web::email_retry),
            )
            .route(
                "/editions/{slug}/emails/{id}/cancel",
                post().to(mail_web::email_cancel),
            ),
    );
}
