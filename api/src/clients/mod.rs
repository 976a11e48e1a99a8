//! Client records: registration (with a search for the same person registered before),
//! search, viewing, editing, export and the merge of two records of one person, scoped to
//! the user's centre, every view and change audited.

pub mod export;
pub mod matching;
pub mod merge;
pub mod names;
pub mod routes;
pub mod service;
pub mod store;
