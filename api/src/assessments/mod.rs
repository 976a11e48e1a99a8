//! Assessments: standardised instruments answered by a client within a case or a group.
//! The instruments and their scoring are `common::assessments`, the same code the web app
//! previews with; here they are administered, kept and read back. An assessment is as
//! private as a case's narrative (`Records::Assessments`): who reaches its case or the
//! group's roster for that record kind reaches it (`service::reached`, the one decision).
//! A family may also answer for themselves through a one-time link (`links`). Which
//! instruments are in use, built in or an agency's own, is `catalogue`.

pub mod catalogue;
pub mod links;
pub mod outcomes;
pub mod routes;
pub mod service;
pub mod store;
