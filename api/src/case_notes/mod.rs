//! A case's contact log. Notes are read with their case; their narrative only by those
//! the reach policy lets read case notes (`Records::CaseNotes`).

pub mod routes;
pub mod service;
pub mod store;
