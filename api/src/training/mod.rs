//! i-TLS: courses, enrolment, progress, quizzes and certificates.

pub mod certificate;
pub mod report;
pub mod routes;
pub mod service;
pub mod store;
