//! Casework: cases from enquiry to closure, with their history, closure approval and
//! transfers. Who may see and change which case is decided by the reach policy, applied
//! in `store::within`.

pub mod home;
pub mod routes;
pub mod service;
pub mod store;
