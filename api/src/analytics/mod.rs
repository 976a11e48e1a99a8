//! DAS: aggregate views over i-Connect data for supervisors, workers and analysts.

pub mod corpus;
pub mod effectiveness;
pub mod facts;
pub mod forecast;
pub mod outcomes;
pub mod population;
pub mod regression;
pub mod risk_factors;
pub mod routes;
pub mod service;
pub mod store;

pub use routes::{configure, AnalyticsApi};
