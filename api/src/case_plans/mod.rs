//! A case's plan: goals with target dates and where they stand, and reviews that set the
//! day of the next one. Read with the case; review summaries only by those who read its
//! narrative (`Records::CaseNotes`).

pub mod routes;
pub mod service;
pub mod store;
