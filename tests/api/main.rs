//! HTTP tests against the real application. Each test gets its own database: SQLite by
//! default, PostgreSQL when TEST_DATABASE_URL is set (scripts/test runs both).

mod helpers;

mod account;
mod auth;
mod badges;
mod checkins;
mod cli;
mod cluster;
mod conflicts;
mod emails;
mod errors;
mod hardening;
mod import_export;
mod openapi;
mod ops;
mod organiser_pages;
mod outbox_claims;
mod outbox_kinds;
mod privacy;
mod public_pages;
mod registration_admin;
mod registrations;
mod roles;
mod servers;
mod smtp;
mod spanish;
mod stats;
mod stats_series;
