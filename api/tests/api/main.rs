//! API integration tests: every test runs against the real server, once on SQLite and
//! once on PostgreSQL. One test binary for the crate keeps linking cheap.

mod helpers;

mod activities;
mod analytics;
mod assessments;
mod case_notes;
mod case_plans;
mod cases;
mod child_protection;
mod circle;
mod cli;
mod clients;
mod cpd;
mod db;
mod enquiries;
mod export;
mod extraction;
mod file_store;
mod households;
mod hub;
mod identity;
mod matching;
mod merges;
mod operations;
mod outcomes;
mod plans;
mod referrals;
mod regression;
mod risk;
mod schema;
mod statistics;
mod taxonomy;
mod training;
