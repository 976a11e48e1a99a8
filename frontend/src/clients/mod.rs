//! i-Connect client records: the searchable list, one form for register and edit,
//! and the detail page.

mod candidates;
mod detail;
mod form;
mod list;
mod merge;

pub use candidates::ClientCandidates;
pub use detail::ClientDetailPage;
pub use form::{ClientFormView, NewClientPage};
pub use list::ClientList;

use chrono::{NaiveDate, TimeDelta, Utc};
use common::clients::Client;
use common::person::age_on;

use crate::i18n::I18n;

/// The phone as the user may see it: withheld on a sensitive case they are not assigned
/// to, which the page says rather than showing an empty cell.
pub fn shown_phone(i18n: I18n, client: &Client) -> String {
    if client.contact_withheld {
        i18n.t("client.contact_withheld").to_owned()
    } else {
        client.phone.clone()
    }
}

/// Hong Kong has no daylight saving: its date is UTC+8's. The API judges dates the same.
pub fn hong_kong_today() -> NaiveDate {
    (Utc::now() + TimeDelta::hours(8)).date_naive()
}

/// The date of birth, or, for one estimated from an age, the age it stands for.
pub fn shown_birth(i18n: I18n, client: &Client) -> String {
    if client.date_of_birth_estimated {
        let age = age_on(client.date_of_birth, hong_kong_today()).to_string();
        i18n.tf("client.age_estimated", &[("age", &age)])
    } else {
        client.date_of_birth.to_string()
    }
}

/// A district, or that none is recorded.
pub fn shown_district(i18n: I18n, client: &Client) -> String {
    client.district.map_or_else(
        || i18n.t("client.not_recorded").to_owned(),
        |d| i18n.district(d).to_owned(),
    )
}
