//! i-Connect casework: the case list with its filters, opening a case for a client, and
//! the case page with its lifecycle actions and a supervisor's decision on closure.

mod detail;
mod list;
mod notes;
mod open;

pub use detail::CaseDetailPage;
pub use list::{CaseList, ClientCases};
pub use notes::hong_kong;
pub use open::{CaseFields, NatureChoice, OpenCasePage};

use common::cases::CasePerson;

/// A person's names, Chinese first, as staff write them.
pub fn person_name(person: &CasePerson) -> String {
    [person.name_zh.as_str(), person.name_en.as_str()]
        .into_iter()
        .filter(|name| !name.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
