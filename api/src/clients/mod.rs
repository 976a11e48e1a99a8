//! Client records: registration, search, viewing, editing and export, scoped to the
//! user's centre, every view and change audited.

pub mod export;
pub mod names;
pub mod routes;
pub mod service;
pub mod store;
