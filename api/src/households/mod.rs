//! Households: who a client lives with and what the household is like. A household is
//! reached through its present members' client records (`Records::Clients`): whoever
//! reaches one of them sees the household, and whoever may change one may change it.

pub mod routes;
pub mod service;
pub mod store;
