//! The case nature taxonomy: read by everyone signed in, kept by the platform's admins.

pub mod routes;
pub mod service;
pub mod store;
