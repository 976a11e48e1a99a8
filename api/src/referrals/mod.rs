//! Referrals out to other agencies and services and in from them, with the consent that
//! must be recorded before anything leaves and a day to follow each one up. Read with the
//! case; their reason, the information shared and the scope of consent only by those who
//! read its narrative (`Records::CaseNotes`).

pub mod routes;
pub mod service;
pub mod store;
