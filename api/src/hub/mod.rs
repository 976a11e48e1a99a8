//! i-Hub: the sector's shelf of practice tools, research and evidence-based programmes.

pub mod files;
pub mod index;
pub mod routes;
pub mod service;
pub mod store;
