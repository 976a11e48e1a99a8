//! Early identification of cases at risk: the indicator, its flags and their review.

pub mod routes;
pub mod service;
pub mod store;
pub mod worker;
