//! CPD records: hours from courses completed here, and learning elsewhere each worker
//! records, totalled under the deployment's policy (`FAMILYLINK_CPD_*`).

pub mod routes;
pub mod service;
pub mod store;
pub mod transcript;
