//! i-Connect's enquiry log: the front desk's enquiries and drop-in contacts, a form to
//! record one (anonymous unless a name or phone is given), an enquiry's page, and its
//! promotion to a registered client and a case.

mod detail;
mod form;
mod list;
mod promote;

pub use detail::EnquiryDetailPage;
pub use form::NewEnquiryPage;
pub use list::EnquiryLog;
pub use promote::PromotePage;

use common::enquiries::Enquiry;

use crate::i18n::I18n;

/// The person as the log names them, or "anonymous".
fn person(i18n: I18n, enquiry: &Enquiry) -> String {
    if enquiry.is_anonymous() {
        return i18n.t("enquiry.anonymous").to_owned();
    }
    [&enquiry.name_zh, &enquiry.name_en, &enquiry.phone]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}
