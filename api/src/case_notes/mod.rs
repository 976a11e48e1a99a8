//! A case's contact log. Notes are read with their case; their narrative only by those
//! the reach policy lets read case notes (`Records::CaseNotes`). Each note carries the
//! themes its narrative raises (`crate::language`), tagged as it is saved.

pub mod routes;
pub mod service;
pub mod store;
pub mod tagger;
