//! i-Connect client records: the searchable list, one form for register and edit,
//! and the detail page.

mod detail;
mod form;
mod list;

pub use detail::ClientDetailPage;
pub use form::{ClientFormView, NewClientPage};
pub use list::ClientList;
