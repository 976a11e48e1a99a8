//! FamilyLink's server: the JSON API and the single-page app, on SQLite or PostgreSQL.

pub mod activities;
pub mod analytics;
pub mod app;
pub mod assessments;
pub mod audit;
pub mod case_notes;
pub mod case_plans;
pub mod cases;
pub mod child_protection;
pub mod clients;
pub mod config;
pub mod db;
pub mod enquiries;
pub mod error;
pub mod extract;
pub mod households;
pub mod identity;
pub mod openapi;
pub mod referrals;
pub mod risk;
pub mod search;
pub mod seed;
pub mod state;
pub mod statistics;
pub mod taxonomy;
pub mod web_app;
