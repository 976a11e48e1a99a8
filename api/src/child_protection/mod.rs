//! Mandatory reporting of child abuse (Cap. 650): concerns about children on cases, the
//! decisions on them, and those waiting too long for one.

pub mod routes;
pub mod service;
pub mod store;
