//! Types shared by the API and the single-page app: requests, responses, enums and the
//! validation rules that turn raw input into domain values. Compiles to wasm; server-only
//! derives sit behind the `server` feature.

pub mod activities;
pub mod analytics;
pub mod assessments;
pub mod case_notes;
pub mod case_plans;
pub mod cases;
pub mod child_protection;
pub mod circle;
pub mod clients;
pub mod codes;
pub mod contact;
pub mod cpd;
pub mod districts;
pub mod enquiries;
pub mod error;
pub mod hkid;
pub mod households;
pub mod hub;
pub mod identity;
pub mod language;
pub mod outcomes;
pub mod paging;
pub mod person;
pub mod population;
pub mod referrals;
pub mod risk;
pub mod statistics;
pub mod taxonomy;
pub mod text;
pub mod training;
