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
use common::taxonomy::CaseNature;

use crate::api::Load;
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

/// Topics by their names in the current language (codes until the taxonomy arrives).
fn topics(i18n: I18n, natures: &Load<Vec<CaseNature>>, codes: &[String]) -> String {
    codes
        .iter()
        .map(|code| match natures {
            Load::Ready(natures) => natures
                .iter()
                .find(|n| &n.code == code)
                .map_or(code.as_str(), |n| i18n.pick(&n.name_zh, &n.name_en)),
            _ => code.as_str(),
        })
        .collect::<Vec<_>>()
        .join(i18n.t("match.reason_separator"))
}
