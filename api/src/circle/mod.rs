//! The co-learning e-circle: cross-agency discussion threads by topic, with replies,
//! reactions, files and moderation.

pub mod routes;
pub mod service;
pub mod store;
