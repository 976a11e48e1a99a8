//! Programmes, groups and community events: what a centre's Family Resource and Family
//! Support Units run, their sessions on the calendar, enrolment with a waiting list, the
//! roll call and a community event's reach. The centre's staff reach its activities
//! (`Records::Activities`); who takes part is seen by those who run each activity and
//! the centre's supervisors (`Records::Participants`), and on a client's record by
//! whoever reaches the client.

pub mod calendars;
pub mod routes;
pub mod service;
pub mod store;
