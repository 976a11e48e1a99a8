//! Statutory statistics: the figures a centre reports to SWD and its agency, counted from
//! the casework, enquiry and activity records, the levels agreed for each year, the cases
//! behind each figure, and the workbook built in the background.

pub mod jobs;
pub mod routes;
pub mod service;
pub mod store;
pub mod workbook;
