//! DAS: dashboards over i-Connect data, with one filter bar.

mod corpus;
mod das;
mod effectiveness;
mod figures;
mod forecast;
mod map;
mod network;
mod risk;

pub use das::{DasPage, EFFECTIVENESS, RISK_FACTORS};
