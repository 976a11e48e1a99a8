//! i-Connect client records: the searchable list, one form for register and edit,
//! and the detail page.

mod detail;
mod form;
mod list;

pub use detail::ClientDetailPage;
pub use form::{ClientFormView, NewClientPage};
pub use list::ClientList;

use common::clients::Client;

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
