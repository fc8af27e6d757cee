//! rencontres: runs a professional conference, from its programme to its statistics.

pub mod app;
pub mod auth;
pub mod badges;
pub mod checkin;
pub mod cli;
pub mod config;
pub mod countries;
pub mod db;
pub mod desk;
pub mod error;
pub mod fallback;
pub mod i18n;
pub mod mail;
pub mod openapi;
pub mod ops;
pub mod owner_only;
pub mod programme;
pub mod registrations;
pub mod rfc3339;
pub mod routes;
pub mod stats;
pub mod web;
