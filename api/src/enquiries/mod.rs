//! The enquiry log: enquiries and drop-in contacts at a centre's front desk, recorded
//! even when the person stays anonymous, and promoted in one step to a registered client
//! and a case. Who reaches the log is decided by the reach policy (`Records::Enquiries`).

pub mod routes;
pub mod service;
pub mod store;
