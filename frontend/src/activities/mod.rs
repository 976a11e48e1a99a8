//! Groups, programmes and community events: the centre's list, planning one, its page
//! (sessions with double bookings flagged before saving, members and the waiting list,
//! how it went, an event's reach), the roll call at the door, and a client's groups and
//! attendance on their record and cases.

mod calendar;
mod detail;
mod form;
mod list;
mod participation;
mod roll_call;

pub use calendar::CalendarPage;
pub use detail::ActivityPage;
pub use form::NewActivityPage;
pub use list::ActivityList;
pub use participation::ClientActivities;
pub use roll_call::RollCallPage;

use common::activities::Activity;

use crate::i18n::I18n;

/// An activity's title in the current language.
fn title(i18n: I18n, activity: &Activity) -> String {
    i18n.pick(&activity.title_zh, &activity.title_en).to_owned()
}

/// Places taken of those there are, or only those taken when there is no limit.
fn places(activity: &Activity) -> String {
    match activity.capacity {
        Some(capacity) => format!("{} / {capacity}", activity.enrolled),
        None => activity.enrolled.to_string(),
    }
}
